// The ObjectUpload behind PutObject and UploadPart: streams into an
// rgw::ObjectWriter and verifies length, Content-MD5 and the signed
// SHA-256 before anything becomes visible.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "api/gateway.h"
#include "rgw/meta/bucket_service.h"
#include "rgw/object/object_writer.h"

namespace kelp::api {

// Commits a finished writer: for objects `writer.Commit(attrs)`, for parts
// the multipart bookkeeping. Returns the ETag.
using CommitFn = std::function<Result<std::string>(rgw::ObjectWriter& writer,
                                                   std::map<std::string, std::string> attrs)>;

// Checks the size of a finished upload before it is committed (a quota when
// the length was not known up front: chunked transfer).
using SizeCheck = std::function<Status(uint64_t size)>;

// The quota's part in an upload: `check` (null: none) before the commit,
// `committed` (null: none) after a successful one.
struct QuotaHooks {
  SizeCheck check;
  std::function<void()> committed;
};

// Validates Content-MD5 (InvalidDigest when not 16 base64 bytes) and builds
// the upload. `commit` null = plain object commit.
Result<std::unique_ptr<ObjectUpload>> MakeUpload(std::shared_ptr<rgw::LoadedBucket> bucket,
                                                 std::unique_ptr<rgw::ObjectWriter> writer,
                                                 std::map<std::string, std::string> attrs,
                                                 const PutObjectRequest& req, CommitFn commit,
                                                 QuotaHooks quota = {});

// An ETag without its surrounding double quotes, if it has them.
std::string Unquote(std::string s);

// Resolves an S3 Range against an object of `size` bytes into [first, end);
// InvalidRange when unsatisfiable. No range: the whole object.
Status ResolveRange(const std::optional<ByteRange>& range, uint64_t size, uint64_t* first,
                    uint64_t* end, bool* partial);

// Evaluates If-Match / If-None-Match / If-(Un)Modified-Since for an object
// with `etag` and `mtime`. For copy sources "not modified" is a 412.
Status CheckConditions(const Conditions& c, const std::string& etag, CephTime mtime,
                       bool is_copy_source);

}  // namespace kelp::api
