// Gateway: libkelp's S3-level API — the whole gateway as a library.
//
// Every operation takes a RequestContext saying who asks, checks permission
// (ACLs) itself, and returns a typed Result. Nothing here knows HTTP: kelpd,
// kelp-admin, the Python bindings and maintenance scripts all call these.
// Object data streams through ObjectUpload / ObjectDownload in bounded chunks.
//
// Thread-safety: a Gateway is safe for concurrent use from many threads.
// ObjectUpload/ObjectDownload objects are used by one thread at a time.
//
//   auto gw = Gateway::Open(std::move(store), {});
//   RequestContext ctx{Identity::System()};
//   auto up = (*gw)->PutObject(ctx, {.bucket = "b", .key = "k"});
//   (*up)->Write("hello");
//   auto res = (*up)->Complete();
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/types.h"
#include "base/status.h"
#include "store/object_store.h"

namespace kelp::auth {
struct SignedRequest;
struct AuthResult;
}  // namespace kelp::auth

namespace kelp::rgw {
class Services;
struct AccessControlPolicy;
}  // namespace kelp::rgw

namespace kelp::api {

struct GatewayOptions {
  // Maximum clock skew accepted for signed requests, seconds.
  int64_t max_skew_seconds = 15 * 60;
  // Cache users, access keys and bucket metadata, kept coherent with radosgw
  // and other kelp processes through the control objects' notifies
  // (rgw/services.h). Off for short-lived tools; kelpd turns it on.
  bool metadata_cache = false;
  size_t metadata_cache_entries = 10000;  // rgw_cache_lru_size
};

// Streaming upload of one object or one multipart part. Destroying it
// without a successful Complete() removes everything written so far; nothing
// becomes visible before Complete() succeeds.
class ObjectUpload {
 public:
  virtual ~ObjectUpload() = default;
  // Appends data. Chunks of any size; memory stays bounded.
  virtual Status Write(std::string_view data) = 0;
  // Verifies length/MD5/SHA-256, commits the object (or part) and makes it
  // visible atomically.
  virtual Result<PutObjectResult> Complete() = 0;
};

// Streaming read of one object (or a range of it).
class ObjectDownload {
 public:
  virtual ~ObjectDownload() = default;
  virtual const ObjectInfo& info() const = 0;
  // Bytes this download will return (range length or full size).
  virtual uint64_t content_length() const = 0;
  // Set when a Range was applied: first and last byte offsets.
  virtual bool partial() const = 0;
  virtual uint64_t range_first() const = 0;
  virtual uint64_t range_last() const = 0;
  // Next chunk of data, "" at the end.
  virtual Result<std::string> Read() = 0;
};

class Gateway {
 public:
  static Result<std::unique_ptr<Gateway>> Open(std::unique_ptr<store::ObjectStore> store,
                                               GatewayOptions options = {});
  // The same over a store the caller owns and keeps alive longer than the
  // Gateway (kelp-admin, tests, a program sharing one store among several).
  static Result<std::unique_ptr<Gateway>> OpenUnowned(store::ObjectStore& store,
                                                      GatewayOptions options = {});
  virtual ~Gateway() = default;

  // The layout services (users, buckets, ...) for administrative callers.
  virtual rgw::Services& services() = 0;
  virtual store::ObjectStore& store() = 0;

  // Verifies a signed S3 request and resolves its user. Anonymous requests
  // yield Identity::Anonymous(). `auth` receives the payload mode the body
  // must be checked against.
  virtual Result<Identity> Authenticate(const auth::SignedRequest& req,
                                        auth::AuthResult* auth) = 0;
  // The identity of user `uid` ("tenant$id" or "id") for a trusted caller
  // acting on its behalf without a signature (a program holding the store).
  // NoSuchUser if absent, AccountProblem if suspended. Identity::System()
  // acts as the system instead (no ACL checks).
  virtual Result<Identity> ActAs(const std::string& uid) = 0;

  // ---- buckets ----
  virtual Result<std::vector<BucketSummary>> ListBuckets(const RequestContext& ctx) = 0;
  virtual Status CreateBucket(const RequestContext& ctx, const CreateBucketRequest& req) = 0;
  virtual Status DeleteBucket(const RequestContext& ctx, const std::string& bucket) = 0;
  virtual Result<BucketHeadInfo> HeadBucket(const RequestContext& ctx,
                                            const std::string& bucket) = 0;
  // The zonegroup api_name, "" for the default.
  virtual Result<std::string> GetBucketLocation(const RequestContext& ctx,
                                                const std::string& bucket) = 0;
  // "Enabled", "Suspended" or "" (never enabled), from the bucket's flags.
  virtual Result<std::string> GetBucketVersioning(const RequestContext& ctx,
                                                  const std::string& bucket) = 0;
  virtual Result<ListObjectsResult> ListObjects(const RequestContext& ctx,
                                                const ListObjectsRequest& req) = 0;
  // PutBucketVersioning: "Enabled" or "Suspended" (InvalidArgument
  // otherwise; "" changes nothing). Bucket owner only. Sets the instance's
  // VERSIONED / VERSIONS_SUSPENDED flags as radosgw's RGWSetBucketVersioning.
  virtual Status PutBucketVersioning(const RequestContext& ctx, const std::string& bucket,
                                     const std::string& status) {
    (void)ctx, (void)bucket, (void)status;
    return Status(Code::kNotImplemented, "PutBucketVersioning");
  }
  // ListObjectVersions: every version and delete marker, by key, newest
  // first; unversioned objects appear as version "null". Needs bucket READ.
  virtual Result<ListVersionsResult> ListObjectVersions(const RequestContext& ctx,
                                                        const ListVersionsRequest& req) {
    (void)ctx, (void)req;
    return Status(Code::kNotImplemented, "ListObjectVersions");
  }

  virtual Result<rgw::AccessControlPolicy> GetBucketAcl(const RequestContext& ctx,
                                                        const std::string& bucket) = 0;
  // Exactly one of canned / grant headers / policy is used (in that order).
  virtual Status PutBucketAcl(const RequestContext& ctx, const std::string& bucket,
                              const std::string& canned,
                              const std::map<std::string, std::string>& grant_headers,
                              const rgw::AccessControlPolicy* policy) = 0;
  virtual Result<std::map<std::string, std::string>> GetBucketTagging(
      const RequestContext& ctx, const std::string& bucket) = 0;
  virtual Status PutBucketTagging(const RequestContext& ctx, const std::string& bucket,
                                  const std::map<std::string, std::string>& tags) = 0;
  virtual Status DeleteBucketTagging(const RequestContext& ctx, const std::string& bucket) = 0;

  // ---- objects ----
  virtual Result<std::unique_ptr<ObjectUpload>> PutObject(const RequestContext& ctx,
                                                          const PutObjectRequest& req) = 0;
  virtual Result<std::unique_ptr<ObjectDownload>> GetObject(const RequestContext& ctx,
                                                            const GetObjectRequest& req) = 0;
  virtual Result<DeleteResult> DeleteObject(const RequestContext& ctx, const std::string& bucket,
                                            const std::string& key,
                                            const std::string& version_id) = 0;
  // Per-key results; the whole request fails (AccessDenied, NoSuchBucket)
  // when the caller may not write the bucket, as radosgw's
  // RGWDeleteMultiObj::verify_permission does.
  virtual Result<std::vector<DeleteResult>> DeleteObjects(const RequestContext& ctx,
                                                          const std::string& bucket,
                                                          const std::vector<std::string>& keys) = 0;
  virtual Result<CopyObjectResult> CopyObject(const RequestContext& ctx,
                                              const CopyObjectRequest& req) = 0;

  virtual Result<rgw::AccessControlPolicy> GetObjectAcl(const RequestContext& ctx,
                                                        const std::string& bucket,
                                                        const std::string& key) = 0;
  virtual Status PutObjectAcl(const RequestContext& ctx, const std::string& bucket,
                              const std::string& key, const std::string& canned,
                              const std::map<std::string, std::string>& grant_headers,
                              const rgw::AccessControlPolicy* policy) = 0;
  virtual Result<std::map<std::string, std::string>> GetObjectTagging(
      const RequestContext& ctx, const std::string& bucket, const std::string& key) = 0;
  virtual Status PutObjectTagging(const RequestContext& ctx, const std::string& bucket,
                                  const std::string& key,
                                  const std::map<std::string, std::string>& tags) = 0;
  virtual Status DeleteObjectTagging(const RequestContext& ctx, const std::string& bucket,
                                     const std::string& key) = 0;

  // ---- multipart ----
  virtual Result<std::string> CreateMultipartUpload(const RequestContext& ctx,
                                                    const PutObjectRequest& req) = 0;
  virtual Result<std::unique_ptr<ObjectUpload>> UploadPart(
      const RequestContext& ctx, const std::string& bucket, const std::string& key,
      const std::string& upload_id, uint32_t part_number, const PutObjectRequest& body) = 0;
  virtual Result<CopyObjectResult> UploadPartCopy(const RequestContext& ctx,
                                                  const CopyObjectRequest& src,
                                                  const std::string& upload_id,
                                                  uint32_t part_number,
                                                  std::optional<ByteRange> range) = 0;
  virtual Result<PutObjectResult> CompleteMultipartUpload(
      const RequestContext& ctx, const std::string& bucket, const std::string& key,
      const std::string& upload_id, const std::vector<CompletedPart>& parts) = 0;
  virtual Status AbortMultipartUpload(const RequestContext& ctx, const std::string& bucket,
                                      const std::string& key, const std::string& upload_id) = 0;
  virtual Result<ListPartsResult> ListParts(const RequestContext& ctx, const std::string& bucket,
                                            const std::string& key, const std::string& upload_id,
                                            uint32_t part_marker, uint32_t max_parts) = 0;
  virtual Result<ListUploadsResult> ListMultipartUploads(const RequestContext& ctx,
                                                         const ListUploadsRequest& req) = 0;
};

}  // namespace kelp::api
