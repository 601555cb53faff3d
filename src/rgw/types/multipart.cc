#include "rgw/types/multipart.h"

#include <cstdio>

#include "base/crypto.h"

namespace kelp::rgw {

void Encode(Encoder& e, const MultipartUploadInfo& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.dest_placement); });
}
void Decode(Decoder& d, MultipartUploadInfo& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.dest_placement); });
}

void Encode(Encoder& e, const CompressionBlock& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.old_ofs);
    Encode(e, v.new_ofs);
    Encode(e, v.len);
  });
}
void Decode(Decoder& d, CompressionBlock& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.old_ofs);
    Decode(d, v.new_ofs);
    Decode(d, v.len);
  });
}

void Encode(Encoder& e, const CompressionInfo& v) {
  e.Versioned(2, 1, [&] {
    Encode(e, v.compression_type);
    Encode(e, v.orig_size);
    Encode(e, v.compressor_message);
    Encode(e, v.blocks);
  });
}
void Decode(Decoder& d, CompressionInfo& v) {
  d.Versioned(2, [&](uint8_t sv) {
    Decode(d, v.compression_type);
    Decode(d, v.orig_size);
    if (sv >= 2) Decode(d, v.compressor_message);
    Decode(d, v.blocks);
  });
}

void Encode(Encoder& e, const UploadPartInfo& v) {
  e.Versioned(4, 2, [&] {
    Encode(e, v.num);
    Encode(e, v.size);
    Encode(e, v.etag);
    Encode(e, v.modified);
    Encode(e, v.manifest);
    Encode(e, v.cs_info);
    Encode(e, v.accounted_size);
  });
}
void Decode(Decoder& d, UploadPartInfo& v) {
  d.VersionedLegacy(4, 2, 2, [&](uint8_t sv) {
    Decode(d, v.num);
    Decode(d, v.size);
    Decode(d, v.etag);
    Decode(d, v.modified);
    if (sv >= 3) Decode(d, v.manifest);
    if (sv >= 4) {
      Decode(d, v.cs_info);
      Decode(d, v.accounted_size);
    } else {
      v.accounted_size = v.size;
    }
  });
}

std::string NewUploadId() { return "2~" + RandomAlnum(32); }

std::string PartOmapKey(uint32_t part_num) {
  char buf[32];
  snprintf(buf, sizeof(buf), "part.%08u", part_num);
  return buf;
}

std::string MultipartMetaName(const std::string& key, const std::string& upload_id) {
  return key + "." + upload_id + ".meta";
}
std::string MultipartPartPrefix(const std::string& key, const std::string& upload_id) {
  return key + "." + upload_id;
}

nlohmann::json ToJson(const UploadPartInfo& v) {
  return {{"num", v.num},
          {"size", v.size},
          {"etag", v.etag},
          {"modified", FormatTime(v.modified)}};
}

}  // namespace kelp::rgw
