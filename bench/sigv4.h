// Minimal AWS Signature V4 (header form) for the load generator. Kept inside
// bench/ so the benchmark does not depend on kelp::auth's verifier; it is
// checked against the AWS documentation's worked example by
// `kelp-loadgen --selftest`.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kelp::bench {

struct Credentials {
  std::string access_key;
  std::string secret_key;
  std::string region = "us-east-1";
};

// AWS UriEncode: unreserved characters stay, the rest become %XX (upper case).
std::string UriEncode(const std::string& s, bool encode_slash);

// Signs a request in place: adds x-amz-date, x-amz-content-sha256 and
// Authorization to `headers` (lower-case names; must hold "host"). `path` and
// the query values are decoded; every header in `headers` is signed.
// `amz_date` is "YYYYMMDDTHHMMSSZ". Returns the hex signature.
std::string SignV4(const Credentials& creds, const std::string& method, const std::string& path,
                   const std::vector<std::pair<std::string, std::string>>& query,
                   std::map<std::string, std::string>& headers, const std::string& payload_hash,
                   const std::string& amz_date);

// Current UTC time as "YYYYMMDDTHHMMSSZ".
std::string AmzDateNow();

}  // namespace kelp::bench
