// Swift Dynamic Large Objects (X-Object-Manifest) read through S3, as
// radosgw's RGWGetObj::handle_user_manifest serves them: the segments are
// the objects of the manifest's container whose keys start with its prefix,
// concatenated in key order; the ETag is the MD5 of the segments' ETags
// (hex strings) concatenated.
#include "api/gateway_impl.h"
#include "api/upload.h"
#include "auth/uri.h"
#include "base/crypto.h"
#include "rgw/object/object_reader.h"

namespace kelp::api {

namespace {

struct Segment {
  std::string key;
  uint64_t size;
};

class DloDownload : public ObjectDownload {
 public:
  DloDownload(std::shared_ptr<rgw::LoadedBucket> bucket, rgw::Services& services, ObjectInfo info,
              std::vector<Segment> segments, uint64_t first, uint64_t end, bool partial)
      : bucket_(std::move(bucket)),
        services_(services),
        info_(std::move(info)),
        segments_(std::move(segments)),
        first_(first),
        end_(end),
        partial_(partial),
        pos_(first) {}

  const ObjectInfo& info() const override { return info_; }
  uint64_t content_length() const override { return end_ - first_; }
  bool partial() const override { return partial_; }
  uint64_t range_first() const override { return first_; }
  uint64_t range_last() const override { return end_ == 0 ? 0 : end_ - 1; }

  Result<std::string> Read() override {
    while (pos_ < end_) {
      if (!reader_) {
        // Find the segment holding pos_.
        while (seg_ < segments_.size() && seg_start_ + segments_[seg_].size <= pos_) {
          seg_start_ += segments_[seg_].size;
          ++seg_;
        }
        if (seg_ >= segments_.size()) return Status::Corruption("DLO segments shrank while reading");
        rgw::ObjKey key;
        key.name = segments_[seg_].key;
        ASSIGN_OR_RETURN(rgw::ObjectHead head, rgw::ReadHead(services_, *bucket_, key));
        uint64_t seg_end = std::min(end_ - seg_start_, segments_[seg_].size);
        reader_.emplace(services_, *bucket_, std::move(head), pos_ - seg_start_, seg_end);
      }
      ASSIGN_OR_RETURN(std::string chunk, reader_->Next());
      if (chunk.empty()) {
        reader_.reset();
        seg_start_ += segments_[seg_].size;
        ++seg_;
        if (pos_ < seg_start_) return Status::Corruption("DLO segment shorter than listed");
        continue;
      }
      pos_ += chunk.size();
      return chunk;
    }
    return std::string();
  }

 private:
  std::shared_ptr<rgw::LoadedBucket> bucket_;
  rgw::Services& services_;
  ObjectInfo info_;
  std::vector<Segment> segments_;
  uint64_t first_, end_;
  bool partial_;
  uint64_t pos_;
  size_t seg_ = 0;
  uint64_t seg_start_ = 0;
  std::optional<rgw::ObjectReader> reader_;
};

}  // namespace

Result<std::unique_ptr<ObjectDownload>> GatewayImpl::GetDlo(const RequestContext& ctx,
                                                            ObjectInfo info,
                                                            const std::string& manifest,
                                                            const GetObjectRequest& req) {
  std::string decoded = auth::UriDecode(manifest, /*plus_is_space=*/false);
  auto slash = decoded.find('/');
  if (slash == std::string::npos || slash == 0) {
    return Status(Code::kInvalidArgument, "bad DLO manifest: " + manifest);
  }
  std::string container = decoded.substr(0, slash);
  std::string prefix = decoded.substr(slash + 1);
  // The segments' container, read with the requester's rights.
  ASSIGN_OR_RETURN(auto seg_bucket, LoadBucket(ctx, container));
  std::vector<Segment> segments;
  uint64_t total = 0;
  Hasher etags(Hasher::Kind::kMd5);
  ListObjectsRequest list;
  list.bucket = container;
  list.prefix = prefix;
  while (true) {
    ASSIGN_OR_RETURN(ListObjectsResult page, ListObjects(ctx, list));
    for (const auto& o : page.objects) {
      segments.push_back({o.key, o.size});
      total += o.size;
      etags.Update(o.etag);
    }
    if (!page.truncated) break;
    list.marker = page.next_marker;
  }
  info.size = total;
  info.etag = HexEncode(etags.Finish());
  // radosgw returns the stored manifest as X-Object-Manifest on S3 too.
  info.headers["x-object-manifest"] = manifest;
  uint64_t first = 0, end = 0;
  bool partial = false;
  RETURN_IF_ERROR(ResolveRange(req.range, total, &first, &end, &partial));
  return std::unique_ptr<ObjectDownload>(new DloDownload(std::move(seg_bucket), *services_,
                                                         std::move(info), std::move(segments),
                                                         first, end, partial));
}

}  // namespace kelp::api
