// S3Handler: kelpd's S3 dialect — translates HTTP exchanges into libkelp
// Gateway calls and renders their typed results.
//
// Per request: RouteS3 (operation, bucket, key) -> Gateway::Authenticate
// (signature; payload mode the body must satisfy) -> the operation's
// handler (handlers_<feature>.cc) parses query/headers/XML body into a typed
// request, calls the Gateway and renders XML/headers. Every error goes
// through errors.h's one table as an S3 <Error> document (no body for HEAD).
// Operations the router names but Kelp does not implement answer 501
// NotImplemented. Object bodies stream in chunks of at most 1 MiB.
//
//   S3Handler s3(*gateway, {.dns_suffixes = {"s3.local"}});
//   server.Start(options, s3.AsHandler());
//
// Thread-safety: Handle may run concurrently on many threads (the Gateway is
// thread-safe; the handler keeps no per-request state of its own).
#pragma once

#include <string>
#include <vector>

#include "api/gateway.h"
#include "kelpd/http/exchange.h"

namespace kelp::s3 {

struct S3HandlerOptions {
  // Host names under which buckets are addressed virtual-host style.
  std::vector<std::string> dns_suffixes;
  // Sent as x-amz-id-2 and as <HostId> in errors.
  std::string host_id = "kelp";
};

class S3Handler {
 public:
  S3Handler(api::Gateway& gateway, S3HandlerOptions options);

  void Handle(http::HttpRequest& req, http::BodyReader& body, http::ResponseWriter& out);
  // A Handler calling Handle on this object, which must outlive the server.
  http::Handler AsHandler();

 private:
  api::Gateway& gateway_;
  S3HandlerOptions options_;
};

}  // namespace kelp::s3
