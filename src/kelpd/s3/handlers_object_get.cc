// GetObject / HeadObject: conditions, Range, partNumber, versionId and the
// response-* overrides in; the object's headers and streamed data out.
#include <fmt/format.h>

#include "kelpd/s3/handlers_internal.h"
#include "kelpd/s3/xml_writer.h"

namespace kelp::s3 {
namespace {

// Wire spelling of the stored headers (api::StoredHeaders keys).
std::string WireName(const std::string& lower) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"content-type", "Content-Type"},
      {"cache-control", "Cache-Control"},
      {"content-disposition", "Content-Disposition"},
      {"content-encoding", "Content-Encoding"},
      {"content-language", "Content-Language"},
      {"expires", "Expires"},
  };
  for (auto [l, w] : kNames) {
    if (lower == l) return w;
  }
  return lower;
}

}  // namespace

Status GetObject(S3Call& c) {
  api::GetObjectRequest req;
  req.bucket = c.route.bucket;
  req.key = c.route.key;
  req.version_id = c.query.GetOr("versionId", "");
  req.head_only = c.head();
  req.conditions = ParseConditions(c.headers());
  if (const std::string* range = c.Header("range")) req.range = ParseRange(*range);
  if (c.query.Has("partNumber")) {
    ASSIGN_OR_RETURN(uint64_t part, QueryUint(c, "partNumber", 0));
    if (part < 1 || part > 10000) {
      return Status(Code::kInvalidArgument,
                    "Part number must be an integer between 1 and 10000, inclusive");
    }
    req.part_number = static_cast<uint32_t>(part);
  }

  ASSIGN_OR_RETURN(auto download, c.gw.GetObject(c.ctx, req));
  const api::ObjectInfo& info = download->info();

  // Stored headers, then response-* overrides (radosgw applies them on top).
  api::StoredHeaders headers = info.headers;
  if (!headers.count("content-type")) headers["content-type"] = "binary/octet-stream";
  static const std::pair<const char*, const char*> kOverrides[] = {
      {"response-content-type", "content-type"},
      {"response-content-language", "content-language"},
      {"response-expires", "expires"},
      {"response-cache-control", "cache-control"},
      {"response-content-disposition", "content-disposition"},
      {"response-content-encoding", "content-encoding"},
  };
  for (auto [param, header] : kOverrides) {
    if (auto v = c.query.Get(param)) headers[header] = *v;
  }

  auto& out = c.out;
  out.SetStatus(download->partial() ? 206 : 200);
  out.AddHeader("Accept-Ranges", "bytes");
  // radosgw sends the object type on every GET/HEAD; Kelp has no appendable
  // objects (AppendObject is 501), so every object is Normal.
  out.AddHeader("x-rgw-object-type", "Normal");
  out.AddHeader("Last-Modified", FormatHttpDate(info.mtime));
  out.AddHeader("ETag", QuotedEtag(info.etag));
  if (download->partial()) {
    out.AddHeader("Content-Range", fmt::format("bytes {}-{}/{}", download->range_first(),
                                               download->range_last(), info.size));
  }
  for (const auto& [name, value] : headers) out.AddHeader(WireName(name), value);
  for (const auto& [name, value] : info.metadata) out.AddHeader("x-amz-meta-" + name, value);
  if (!info.version_id.empty()) out.AddHeader("x-amz-version-id", info.version_id);
  if (info.tag_count > 0) out.AddHeader("x-amz-tagging-count", std::to_string(info.tag_count));
  if (!info.storage_class.empty() && info.storage_class != "STANDARD") {
    out.AddHeader("x-amz-storage-class", info.storage_class);
  }
  RETURN_IF_ERROR(out.SendHead(download->content_length()));
  if (!req.head_only) {
    for (;;) {
      ASSIGN_OR_RETURN(std::string chunk, download->Read());
      if (chunk.empty()) break;
      RETURN_IF_ERROR(out.Write(chunk));
    }
  }
  return out.Finish();
}

}  // namespace kelp::s3
