// ObjectWriter: streams one S3 object (or one multipart part) into radosgw's
// layout: the first 4 MiB become the head object's data, the rest 4 MiB tail
// stripes written as they fill; Commit() then runs the bucket-index
// prepare, the atomic head write (data + xattrs + manifest) and the index
// complete, so the object becomes visible at once or not at all.
//
// Memory: at most one head buffer and one stripe buffer (8 MiB) per writer.
// A writer destroyed without a successful Commit() removes its tail objects.
#pragma once

#include <list>
#include <map>
#include <optional>
#include <set>
#include <memory>
#include <string>
#include <vector>

#include "base/crypto.h"
#include "base/status.h"
#include "rgw/meta/bucket_service.h"
#include "rgw/types/common.h"
#include "rgw/types/manifest.h"
#include "store/cls/rgw/types.h"

namespace kelp::rgw {

class Services;

struct WriteSpec {
  ObjKey key;              // the head object's key (ns "multipart" for parts)
  std::string hash_name;   // index shard hash source (the S3 object name)
  // Multipart part: upload prefix "<key>.<upload id>" and part number.
  std::string part_prefix;
  uint32_t part_num = 0;
  std::string owner;               // user id text
  std::string owner_display_name;
  std::string content_type;        // for the index entry
  // Multipart completion: the head gets no data and this manifest (the
  // concatenation of the parts' manifests) instead of the writer's own.
  std::optional<ObjManifest> manifest_override;
};

struct CommitResult {
  std::string etag;
  uint64_t size = 0;
  CephTime mtime;
  ObjManifest manifest;
};

class ObjectWriter {
 public:
  ObjectWriter(Services& services, const LoadedBucket& bucket, WriteSpec spec);
  ~ObjectWriter();
  ObjectWriter(const ObjectWriter&) = delete;
  ObjectWriter& operator=(const ObjectWriter&) = delete;

  Status Write(std::string_view data);
  uint64_t size() const { return size_; }
  // MD5 of everything written (valid after Finish* only once).
  const std::string& md5() const { return md5_raw_; }

  // Flushes buffers and computes the MD5; call before Commit.
  Status FinishData();

  // Makes the object visible. `attrs` are the head xattrs (user.rgw.acl,
  // content type, metadata...); etag/idtag/tail_tag/manifest/pg_ver/
  // source_zone are added here. `etag` overrides the MD5 ETag (multipart).
  Result<CommitResult> Commit(std::map<std::string, std::string> attrs,
                              const std::string& etag_override = {},
                              const std::list<store::cls::rgw::ObjKey>& remove_objs = {});

 private:
  Status FlushStripe();
  // Multipart parts: create the part head exclusively before any data, so
  // an earlier upload of the same part is never overwritten
  // (MultipartObjectProcessor falls back to "<key>.<random>" on EEXIST).
  Status EnsurePartHead();
  Obj TailObj(uint32_t stripe) const;
  store::ObjectId DataId(const Obj& obj) const;

  Services& services_;
  const LoadedBucket& bucket_;
  WriteSpec spec_;
  std::string prefix_;        // tail prefix (".<rand>_" or part prefix)
  std::string head_buf_;
  std::string stripe_buf_;
  uint32_t next_stripe_ = 1;  // tail stripe number of stripe_buf_
  std::vector<Obj> written_tails_;
  uint64_t size_ = 0;
  Hasher md5_{Hasher::Kind::kMd5};
  std::string md5_raw_;
  bool finished_ = false;
  bool committed_ = false;
  bool part_head_created_ = false;
};

// Hands the data objects a manifest names, except the head and `keep`, to
// garbage collection under `tag` (the old head's tail tag), as radosgw does
// after an overwrite or delete (rgw/object/gc.h): they stay readable until
// the entry expires (rgw_gc_obj_min_wait) and a gc pass releases them. If the
// chain cannot be queued they are released at once (radosgw's
// delete_objs_inline).
void RemoveTails(Services& services, const ObjManifest& manifest, const std::string& tag,
                 const std::set<std::string>& keep = {});
// Releases them now: cls_refcount put with `tag` on each (an object goes
// when its last reference does; tails shared by copies survive).
void ReleaseTailsNow(Services& services, const ObjManifest& manifest, const std::string& tag,
                     const std::set<std::string>& keep = {});

}  // namespace kelp::rgw
