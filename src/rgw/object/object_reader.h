// Reading objects in radosgw's layout: the head object's xattrs and
// manifest, then the data stripe by stripe (head data, tail stripes,
// multipart parts) in bounded chunks.
#pragma once

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
  // Reads bytes [first, end) of the object.
  ObjectReader(Services& services, const LoadedBucket& bucket, ObjectHead head, uint64_t first,
               uint64_t end);
  // Next chunk of at most `max` bytes; "" at the end.
  Result<std::string> Next(size_t max = 1 << 20);

 private:
  struct Piece {
    uint64_t ofs;   // in the S3 object
    uint64_t size;
    Obj loc;
    uint64_t loc_ofs;  // offset inside the RADOS object
  };
  Services& services_;
  const LoadedBucket& bucket_;
  ObjectHead head_;
  std::vector<Piece> pieces_;
  uint64_t pos_;
  uint64_t end_;
  size_t piece_ = 0;
  // The head's data from pos head_buf_ofs_ on (read whole on first use).
  std::string head_buf_;
  uint64_t head_buf_ofs_ = 0;
};

// Deletes `key` (non-versioned): index prepare(DEL), guarded head removal,
// index complete, tail release. A missing object is not an error.
Status DeleteObject(Services& services, const LoadedBucket& bucket, const ObjKey& key,
                    const std::string& hash_name);

}  // namespace kelp::rgw
