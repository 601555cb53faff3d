// Multipart upload records (rgw_multi.h, rgw_compression_types.h):
//   <marker>__multipart_<key>.<upload id>.meta in the data_extra_pool:
//     data = multipart_upload_info, omap "part.%08d" -> RGWUploadPartInfo.
// Values; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/encoding.h"
#include "rgw/types/common.h"
#include "rgw/types/manifest.h"

namespace kelp::rgw {

// multipart_upload_info: ENC(1,1){rgw_placement_rule dest_placement}.
struct MultipartUploadInfo {
  PlacementRule dest_placement;
  friend bool operator==(const MultipartUploadInfo&, const MultipartUploadInfo&) = default;
};
void Encode(Encoder& e, const MultipartUploadInfo& v);
void Decode(Decoder& d, MultipartUploadInfo& v);

// compression_block: ENC(1,1){u64 old_ofs, u64 new_ofs, u64 len}.
struct CompressionBlock {
  uint64_t old_ofs = 0;
  uint64_t new_ofs = 0;
  uint64_t len = 0;
  friend bool operator==(const CompressionBlock&, const CompressionBlock&) = default;
};
void Encode(Encoder& e, const CompressionBlock& v);
void Decode(Decoder& d, CompressionBlock& v);

// RGWCompressionInfo: ENC(2,1){compression_type, u64 orig_size,
// optional<s32> compressor_message, vector<compression_block> blocks}.
struct CompressionInfo {
  std::string compression_type = "none";
  uint64_t orig_size = 0;
  std::optional<int32_t> compressor_message;
  std::vector<CompressionBlock> blocks;
  friend bool operator==(const CompressionInfo&, const CompressionInfo&) = default;
};
void Encode(Encoder& e, const CompressionInfo& v);
void Decode(Decoder& d, CompressionInfo& v);

// RGWUploadPartInfo: ENC(4,2){u32 num, u64 size, etag, real_time modified,
// manifest, cs_info, u64 accounted_size}; decodes LEGACY(4,2,2).
struct UploadPartInfo {
  uint32_t num = 0;
  uint64_t size = 0;
  uint64_t accounted_size = 0;
  std::string etag;
  CephTime modified;
  ObjManifest manifest;
  CompressionInfo cs_info;
};
void Encode(Encoder& e, const UploadPartInfo& v);
void Decode(Decoder& d, UploadPartInfo& v);

// "2~" + 32 alphanumerics (MULTIPART_UPLOAD_ID_PREFIX); legacy "2/" accepted.
std::string NewUploadId();
// "part.%08d" (the omap key of a part of a "2~"/"2/" upload).
std::string PartOmapKey(uint32_t part_num);
// RGWMPObj: "<key>.<upload id>.meta" and "<key>.<upload id>" (part prefix).
std::string MultipartMetaName(const std::string& key, const std::string& upload_id);
std::string MultipartPartPrefix(const std::string& key, const std::string& upload_id);

nlohmann::json ToJson(const UploadPartInfo& v);

}  // namespace kelp::rgw
