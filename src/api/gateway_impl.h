// GatewayImpl: the Gateway over rgw::Services. Internal to libkelp; split
// into one .cc per feature (buckets, objects, multipart, acl/tagging, auth).
#pragma once

#include <memory>
#include <string>

#include "api/gateway.h"
#include "api/upload.h"
#include "rgw/meta/bucket_service.h"
#include "rgw/object/object_reader.h"
#include "rgw/object/object_writer.h"
#include "rgw/services.h"
#include "rgw/types/acl.h"
#include "rgw/types/acl_xml.h"

namespace kelp::api {

class GatewayImpl : public Gateway {
 public:
  GatewayImpl(std::unique_ptr<store::ObjectStore> store, std::unique_ptr<rgw::Services> services,
              GatewayOptions options)
      : owned_store_(std::move(store)), services_(std::move(services)), options_(options) {}

  rgw::Services& services() override { return *services_; }
  store::ObjectStore& store() override { return services_->store(); }

  Result<Identity> Authenticate(const auth::SignedRequest& req, auth::AuthResult* auth) override;
  Result<Identity> ActAs(const std::string& uid) override;

  Result<std::vector<BucketSummary>> ListBuckets(const RequestContext& ctx) override;
  Status CreateBucket(const RequestContext& ctx, const CreateBucketRequest& req) override;
  Status DeleteBucket(const RequestContext& ctx, const std::string& bucket) override;
  Result<BucketHeadInfo> HeadBucket(const RequestContext& ctx, const std::string& bucket) override;
  Result<std::string> GetBucketLocation(const RequestContext& ctx,
                                        const std::string& bucket) override;
  Result<ListObjectsResult> ListObjects(const RequestContext& ctx,
                                        const ListObjectsRequest& req) override;
  Result<rgw::AccessControlPolicy> GetBucketAcl(const RequestContext& ctx,
                                                const std::string& bucket) override;
  Status PutBucketAcl(const RequestContext& ctx, const std::string& bucket,
                      const std::string& canned,
                      const std::map<std::string, std::string>& grant_headers,
                      const rgw::AccessControlPolicy* policy) override;
  Result<std::map<std::string, std::string>> GetBucketTagging(const RequestContext& ctx,
                                                              const std::string& bucket) override;
  Status PutBucketTagging(const RequestContext& ctx, const std::string& bucket,
                          const std::map<std::string, std::string>& tags) override;
  Status DeleteBucketTagging(const RequestContext& ctx, const std::string& bucket) override;

  Result<std::unique_ptr<ObjectUpload>> PutObject(const RequestContext& ctx,
                                                  const PutObjectRequest& req) override;
  Result<std::unique_ptr<ObjectDownload>> GetObject(const RequestContext& ctx,
                                                    const GetObjectRequest& req) override;
  Result<DeleteResult> DeleteObject(const RequestContext& ctx, const std::string& bucket,
                                    const std::string& key, const std::string& version_id) override;
  Result<std::vector<DeleteResult>> DeleteObjects(const RequestContext& ctx,
                                                  const std::string& bucket,
                                                  const std::vector<std::string>& keys) override;
  Result<std::string> GetBucketVersioning(const RequestContext& ctx,
                                          const std::string& bucket) override;
  Status PutBucketVersioning(const RequestContext& ctx, const std::string& bucket,
                             const std::string& status) override;
  Result<ListVersionsResult> ListObjectVersions(const RequestContext& ctx,
                                                const ListVersionsRequest& req) override;
  Result<CopyObjectResult> CopyObject(const RequestContext& ctx,
                                      const CopyObjectRequest& req) override;
  Result<rgw::AccessControlPolicy> GetObjectAcl(const RequestContext& ctx,
                                                const std::string& bucket,
                                                const std::string& key) override;
  Status PutObjectAcl(const RequestContext& ctx, const std::string& bucket, const std::string& key,
                      const std::string& canned,
                      const std::map<std::string, std::string>& grant_headers,
                      const rgw::AccessControlPolicy* policy) override;
  Result<std::map<std::string, std::string>> GetObjectTagging(const RequestContext& ctx,
                                                              const std::string& bucket,
                                                              const std::string& key) override;
  Status PutObjectTagging(const RequestContext& ctx, const std::string& bucket,
                          const std::string& key,
                          const std::map<std::string, std::string>& tags) override;
  Status DeleteObjectTagging(const RequestContext& ctx, const std::string& bucket,
                             const std::string& key) override;

  Result<std::string> CreateMultipartUpload(const RequestContext& ctx,
                                            const PutObjectRequest& req) override;
  Result<std::unique_ptr<ObjectUpload>> UploadPart(const RequestContext& ctx,
                                                   const std::string& bucket,
                                                   const std::string& key,
                                                   const std::string& upload_id,
                                                   uint32_t part_number,
                                                   const PutObjectRequest& body) override;
  Result<CopyObjectResult> UploadPartCopy(const RequestContext& ctx, const CopyObjectRequest& src,
                                          const std::string& upload_id, uint32_t part_number,
                                          std::optional<ByteRange> range) override;
  Result<PutObjectResult> CompleteMultipartUpload(const RequestContext& ctx,
                                                  const std::string& bucket,
                                                  const std::string& key,
                                                  const std::string& upload_id,
                                                  const std::vector<CompletedPart>& parts) override;
  Status AbortMultipartUpload(const RequestContext& ctx, const std::string& bucket,
                              const std::string& key, const std::string& upload_id) override;
  Result<ListPartsResult> ListParts(const RequestContext& ctx, const std::string& bucket,
                                    const std::string& key, const std::string& upload_id,
                                    uint32_t part_marker, uint32_t max_parts) override;
  Result<ListUploadsResult> ListMultipartUploads(const RequestContext& ctx,
                                                 const ListUploadsRequest& req) override;

  // Swift Dynamic Large Object read over S3 (dlo.cc): the concatenation of
  // the objects under the manifest's "container/prefix", in key order.
  Result<std::unique_ptr<ObjectDownload>> GetDlo(const RequestContext& ctx, ObjectInfo info,
                                                 const std::string& manifest,
                                                 const GetObjectRequest& req);

  // ---- shared helpers (gateway_common.cc) ----
  // Resolves "name" or "tenant:name" in the requester's tenant.
  Result<std::shared_ptr<rgw::LoadedBucket>> LoadBucket(const RequestContext& ctx,
                                                        const std::string& bucket);
  // AccessDenied unless the requester has `perm` on the bucket.
  Status CheckBucketPerm(const RequestContext& ctx, const rgw::LoadedBucket& bucket,
                         uint32_t perm);
  Status CheckPolicyPerm(const RequestContext& ctx, const rgw::AccessControlPolicy& policy,
                         uint32_t perm);
  // The quotas of a write of one object into `bucket` (rgw/meta/quota.h):
  // checked now when `length` is known, else left in `check` for the end of
  // the upload; `committed` keeps a user quota's stats current. Empty when
  // no quota applies; system requests are not held to quotas.
  Result<QuotaHooks> QuotaFor(const RequestContext& ctx,
                              std::shared_ptr<rgw::LoadedBucket> bucket,
                              std::optional<uint64_t> length);
  // ---- versioned writes (gateway_versioning.cc) ----
  // Where a new object written to `key` goes in a bucket with versioning
  // configured (RGWPutObj, RGWCopyObj, RGWCompleteMultipart alike): Enabled ->
  // a new instance, linked through set_olh; Suspended -> the null version
  // (no instance), linked only when the head is already an OLH.
  struct VersionTarget {
    std::string instance;    // "" = the null version
    bool link = false;       // set_olh after the head is written
    std::string version_id;  // reported to the client ("" when suspended)
  };
  Result<VersionTarget> NewVersionTarget(const rgw::LoadedBucket& bucket, const std::string& key);
  // set_olh for a version just written, when `t.link`.
  Status LinkVersion(const rgw::LoadedBucket& bucket, const rgw::ObjKey& key,
                     const VersionTarget& t);
  // PutObject into a bucket with versioning configured: a new instance
  // (Enabled) or the null version (Suspended), linked through set_olh.
  Result<std::unique_ptr<ObjectUpload>> PutObjectVersioned(
      std::shared_ptr<rgw::LoadedBucket> bucket, rgw::WriteSpec spec,
      std::map<std::string, std::string> attrs, const PutObjectRequest& req, QuotaHooks quota);
  // DeleteObject there: a delete marker without a version id, else removal
  // of that version (radosgw's Delete::delete_obj, versioned branch).
  Result<DeleteResult> DeleteObjectVersioned(const RequestContext& ctx,
                                             const rgw::LoadedBucket& bucket,
                                             const std::string& key,
                                             const std::string& version_id);
  // AccessDenied unless the requester owns the bucket (or is the system).
  Status CheckBucketOwner(const RequestContext& ctx, const rgw::LoadedBucket& bucket);
  // The object's ACL, or radosgw's default (bucket owner FULL_CONTROL) when
  // the head carries none.
  Result<rgw::AccessControlPolicy> ObjectPolicy(const rgw::LoadedBucket& bucket,
                                                const std::map<std::string, std::string>& attrs);
  // Reads an object's head and checks `perm` against its ACL (suspended
  // buckets, hidden NoSuchKey and the default ACL included); *acl gets it.
  Result<rgw::ObjectHead> ReadObjectFor(const RequestContext& ctx, const rgw::LoadedBucket& bucket,
                                        const rgw::ObjKey& key, uint32_t perm,
                                        rgw::AccessControlPolicy* acl, bool prefetch_data = false);
  // Maps NoSuchKey to AccessDenied for requesters who may not list the
  // bucket (radosgw's read_obj_policy), so keys do not leak.
  Status HideMissing(const RequestContext& ctx, const rgw::LoadedBucket& bucket, Status st);
  // Builds the ACL for a new bucket/object from a canned ACL or grant headers.
  // Resolves user and e-mail grantees of a PUT ACL document (display names
  // filled in, e-mail grants made canonical); unknown id -> InvalidArgument,
  // unknown e-mail -> UnresolvableGrantByEmailAddress.
  Result<rgw::AccessControlPolicy> ResolveGrantees(const rgw::AccessControlPolicy& in);
  rgw::UserResolver GranteeResolver();
  Result<rgw::AccessControlPolicy> PolicyFor(const RequestContext& ctx, const std::string& canned,
                                             const std::map<std::string, std::string>& grants,
                                             const rgw::LoadedBucket* bucket);
  // Head xattrs for a new object from its request.
  Result<std::map<std::string, std::string>> ObjectAttrs(const RequestContext& ctx,
                                                         const rgw::LoadedBucket& bucket,
                                                         const PutObjectRequest& req);

 private:
  std::unique_ptr<store::ObjectStore> owned_store_;  // null when opened unowned
  std::unique_ptr<rgw::Services> services_;
  GatewayOptions options_;
};

// S3 bucket naming rules (radosgw's valid_s3_bucket_name, strict form).
Status ValidateBucketName(const std::string& name);
// ObjectInfo from a head's xattrs.
ObjectInfo InfoFromAttrs(const std::string& key, uint64_t size, CephTime mtime,
                         const std::map<std::string, std::string>& attrs);

}  // namespace kelp::api
