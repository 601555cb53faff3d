// ObjectWriter: streams one S3 object (or one multipart part) into radosgw's
// layout: the first 4 MiB become the head object's data, the rest 4 MiB tail
// stripes written as they fill; Commit() then runs the bucket-index
// prepare, the atomic head write (data + xattrs + manifest) and the index
// complete, so the object becomes visible at once or not at all.
//
// Pipelining: tail stripes are written with ObjectStore::OperateAsync, up to
// WriteSpec::window bytes in flight (radosgw's rgw_put_obj_min_window_size,
// 16 MiB, enforced by its AioThrottle); Write() waits for the oldest stripe
// only when the window is full. Each tail object gets exactly one write op
// (WriteFull of a fresh name), so no two ops in flight touch one object; the
// head (and a part head's exclusive create) are written synchronously, never
// while a stripe of the same object is in flight. FinishData() waits for every
// stripe; the first failed one fails the upload (sticky) with the same error
// a synchronous write gave.
//
// Memory: the head buffer, the stripes in flight (window) and one stripe
// being filled: 4 + 16 + 4 MiB per writer with the defaults.
// A writer destroyed without a successful Commit() waits for its writes in
// flight, then removes its tail objects (and a part's head).
#pragma once

#include <deque>
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
#include "store/object_store.h"

namespace kelp::rgw {

class Services;

// Bytes of tail stripes a writer keeps in flight: radosgw's
// rgw_put_obj_min_window_size default (16 MiB = 4 stripes of 4 MiB).
inline constexpr uint64_t kPutObjWindowSize = 16ull << 20;

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
  // Tail bytes in flight at most (at least one stripe is always allowed).
  uint64_t window = kPutObjWindowSize;
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
  // Starts the write of stripe_buf_ (after making room in the window).
  Status FlushStripe();
  // Waits for the oldest stripe in flight; returns the sticky write error.
  Status WaitOldest();
  // Waits for every stripe in flight (all of them, even after an error).
  Status DrainWrites();
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
  std::vector<Obj> written_tails_;  // every tail whose write was started
  struct InFlight {
    uint64_t bytes;
    std::unique_ptr<store::PendingOp> op;
  };
  std::deque<InFlight> inflight_;
  uint64_t inflight_bytes_ = 0;
  Status write_error_;  // first failed stripe write
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
