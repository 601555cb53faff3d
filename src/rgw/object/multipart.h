// Multipart uploads in radosgw's layout: the upload's meta object
// `<marker>__multipart_<key>.<upload id>.meta` in the placement's
// data_extra_pool (data = multipart_upload_info, xattrs = the future
// object's attrs, omap "part.%08d" = RGWUploadPartInfo), part objects
// `<marker>__multipart_<key>.<upload id>.<n>` (+ shadow stripes), index
// entries for the meta object (category MultiMeta) and each part, and
// completion into a head object whose manifest chains the parts.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "rgw/meta/bucket_service.h"
#include "rgw/object/object_writer.h"
#include "rgw/types/multipart.h"

namespace kelp::rgw {

class Services;

struct UploadMeta {
  std::string key;
  std::string upload_id;
  CephTime initiated;
  std::string owner;
  std::string owner_display_name;
  std::map<std::string, std::string> attrs;
};

struct PartSpec {
  uint32_t num = 0;
  std::string etag;  // unquoted
};

// Visits the part records (omap "part.%08d" -> RGWUploadPartInfo) of the
// upload meta object `meta`, in part order. NotFound if the meta object is
// absent; an undecodable record fails the walk unless skip_undecodable.
Status ForEachUploadPart(store::ObjectStore& store, const store::ObjectId& meta,
                         bool skip_undecodable,
                         const std::function<Status(UploadPartInfo&)>& fn);

class Multipart {
 public:
  Multipart(Services& services, const LoadedBucket& bucket) : services_(services), bucket_(bucket) {}

  // Creates the meta object and its index entry; returns the upload id.
  Result<std::string> Init(const std::string& key, const std::map<std::string, std::string>& attrs,
                           const std::string& owner, const std::string& owner_display_name);
  Result<UploadMeta> GetUpload(const std::string& key, const std::string& upload_id);  // NoSuchUpload
  // A writer for part `num`; call CommitPart with it after the data.
  Result<std::unique_ptr<ObjectWriter>> PartWriter(const UploadMeta& upload, uint32_t num);
  Result<CommitResult> CommitPart(const UploadMeta& upload, uint32_t num, ObjectWriter& writer,
                                  std::map<std::string, std::string> attrs);
  Result<std::map<uint32_t, UploadPartInfo>> ListParts(const UploadMeta& upload);
  // Completes: validates the list, writes the head, drops the index
  // entries of parts and meta, removes the meta object and unused parts.
  // `instance` names the version the head becomes ("" = the plain/null
  // head); linking it (set_olh) is the caller's.
  Result<CommitResult> Complete(const UploadMeta& upload, const std::vector<PartSpec>& parts,
                                const std::string& instance = "");
  Status Abort(const UploadMeta& upload);
  // Uploads in key order (from the bucket index).
  Result<std::vector<UploadMeta>> ListUploads(const std::string& prefix, size_t max,
                                              const std::string& key_marker,
                                              const std::string& upload_id_marker,
                                              bool* truncated);

 private:
  Result<CommitResult> CompleteLocked(const UploadMeta& upload, const std::vector<PartSpec>& parts,
                                      const std::string& instance);
  Obj MetaObj(const std::string& key, const std::string& upload_id) const;
  store::ObjectId MetaId(const std::string& key, const std::string& upload_id) const;

  Services& services_;
  const LoadedBucket& bucket_;
};

}  // namespace kelp::rgw
