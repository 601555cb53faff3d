// Reading objects in radosgw's layout: the head object's xattrs and
// manifest, then the data stripe by stripe (head data, tail stripes,
// multipart parts) in bounded chunks.
//
// Read-ahead: ObjectReader keeps up to `window` bytes of reads in flight
// ahead of its consumer (ObjectStore::OperateAsync), each read at most one
// stripe piece and kGetObjMaxReqSize bytes, as radosgw's get_obj keeps
// rgw_get_obj_window_size (16 MiB) of rgw_get_obj_max_req_size (4 MiB) reads
// going. Only bytes of the requested range are read. Memory is bounded by
// the window (plus the head's prefetched data, released once passed).
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "rgw/meta/bucket_service.h"
#include "rgw/types/common.h"
#include "rgw/types/manifest.h"
#include "store/object_store.h"

namespace kelp::rgw {

class Services;

// radosgw's rgw_get_obj_window_size and rgw_get_obj_max_req_size defaults.
inline constexpr uint64_t kGetObjWindowSize = 16ull << 20;
inline constexpr uint64_t kGetObjMaxReqSize = 4ull << 20;

struct ObjectHead {
  Obj obj;
  store::ObjectId id;
  store::ObjectStat stat;
  std::map<std::string, std::string> attrs;
  std::optional<ObjManifest> manifest;
  uint64_t size = 0;  // of the S3 object
  std::string etag;
  std::string idtag;
  std::string version_id;  // the instance served ("null", an id, or "" if unversioned)
  // The head object's data, read in the same op as its attributes when asked
  // (ReadHead with prefetch_data): a GET then never needs the head again.
  std::string data;
  bool data_prefetched = false;

  // xattr value without a trailing NUL, "" if absent.
  std::string Attr(const std::string& name) const;
};

// The data object id of an rgw_obj in the bucket's data pool.
store::ObjectId DataObjectId(Services& services, const LoadedBucket& bucket, const Obj& obj);

// Reads the head of `key` (NoSuchKey when absent). For a versioned object
// without an instance it follows the OLH to the current version.
// With prefetch_data the head's own data (at most 4 MiB) comes in the same
// read, as radosgw prefetches it for a GET: what a response streams is then
// fixed before its headers go out, whatever overwrite comes next (old tails
// wait in gc).
Result<ObjectHead> ReadHead(Services& services, const LoadedBucket& bucket, const ObjKey& key,
                            bool prefetch_data = false);

class ObjectReader {
 public:
  // Reads bytes [first, end) of the object, with up to `window` bytes of
  // reads in flight (no I/O before the first Next()).
  ObjectReader(Services& services, const LoadedBucket& bucket, ObjectHead head, uint64_t first,
               uint64_t end, uint64_t window = kGetObjWindowSize);
  // Waits for the reads in flight (a client that went away mid-stream).
  ~ObjectReader();
  ObjectReader(ObjectReader&&) = default;
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;
  ObjectReader& operator=(ObjectReader&&) = delete;

  // Next chunk of at most `max` bytes; "" at the end. With max >= the read
  // size (the default) a finished read is handed over whole, without a copy.
  Result<std::string> Next(size_t max = kGetObjMaxReqSize);

 private:
  struct Piece {
    uint64_t ofs;   // in the S3 object
    uint64_t size;
    Obj loc;
    uint64_t loc_ofs;  // offset inside the RADOS object
  };
  // One read: [ofs, ofs + size) of the S3 object.
  struct Chunk {
    uint64_t ofs = 0;
    uint64_t size = 0;
    std::string oid;                    // for errors
    std::unique_ptr<std::string> data;  // the op's output: stable address
    std::unique_ptr<store::PendingOp> op;  // destroyed (waited for) before data
    bool ready = false;                 // data checked and complete
  };
  // Starts reads until the window is full or the range is covered; a layout
  // error stops issuing and is reported when the consumer gets there.
  void Fill();
  Status Issue(uint64_t max_bytes, Chunk* out);
  Status Ready(Chunk& c);

  Services& services_;
  const LoadedBucket& bucket_;
  ObjectHead head_;
  std::vector<Piece> pieces_;
  uint64_t pos_;         // next byte handed to the consumer
  uint64_t end_;
  uint64_t window_;
  uint64_t issue_pos_;   // next byte to request
  size_t piece_ = 0;     // piece of issue_pos_
  std::deque<Chunk> chunks_;
  uint64_t chunk_bytes_ = 0;  // sum of chunks_[i].size (in flight or unconsumed)
  Status issue_error_;  // layout error met while issuing
  Status read_error_;   // sticky: a failed read ends the stream
};

// Deletes `key` (non-versioned): index prepare(DEL), guarded head removal,
// index complete, tail release. A missing object is not an error.
Status DeleteObject(Services& services, const LoadedBucket& bucket, const ObjKey& key,
                    const std::string& hash_name);

}  // namespace kelp::rgw
