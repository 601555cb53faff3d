#include "kelpd/s3/xml_render.h"

#include "auth/uri.h"
#include "base/crypto.h"
#include "kelpd/s3/errors.h"
#include "kelpd/s3/xml_writer.h"

namespace kelp::s3 {
namespace {

std::string Quoted(const std::string& etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') return etag;
  return "\"" + etag + "\"";
}

void Owner(XmlWriter& w, std::string_view element, const rgw::User& id,
           const std::string& display_name) {
  w.Open(element).Leaf("ID", id.ToString()).Leaf("DisplayName", display_name).Close();
}

// One <Contents> entry as radosgw 16.2 writes it: the key url-encoded (slashes too) under
// encoding-type=url, the owner always in v1 and with fetch-owner in v2, and <Type>.
void Contents(XmlWriter& w, const api::ObjectInfo& o, bool url, bool owner) {
  w.Open("Contents");
  w.Leaf("Key", url ? RgwUrlEncode(o.key, true) : o.key);
  w.Leaf("LastModified", FormatIso8601(o.mtime));
  w.Leaf("ETag", Quoted(o.etag));
  w.Leaf("Size", uint64_t{o.size});
  w.Leaf("StorageClass", o.storage_class.empty() ? "STANDARD" : o.storage_class);
  if (owner) Owner(w, "Owner", o.owner, o.owner_display_name);
  w.Leaf("Type", "Normal");
  w.Close();
}

// Common prefixes keep their slashes under encoding-type=url.
void Prefixes(XmlWriter& w, const std::vector<std::string>& prefixes, bool url) {
  for (const auto& p : prefixes) {
    w.Open("CommonPrefixes").Leaf("Prefix", url ? RgwUrlEncode(p, false) : p).Close();
  }
}

// radosgw's send_common_response: what v1 and v2 share, in its order.
void ListHead(XmlWriter& w, const ListObjectsEcho& e, const api::ListObjectsResult& r) {
  w.Open("ListBucketResult", kS3Xmlns);
  if (e.url_encode) w.Leaf("EncodingType", "url");
  if (!e.tenant.empty()) w.Leaf("Tenant", e.tenant);
  w.Leaf("Name", e.bucket);
  w.Leaf("Prefix", e.prefix);
  w.Leaf("MaxKeys", uint64_t{e.max_keys});
  if (!e.delimiter.empty()) {
    w.Leaf("Delimiter", e.url_encode ? RgwUrlEncode(e.delimiter, false) : e.delimiter);
  }
  w.Leaf("IsTruncated", r.truncated);
  Prefixes(w, r.common_prefixes, e.url_encode);
}

}  // namespace

std::string UrlEncodeKey(const std::string& key) { return RgwUrlEncode(key, false); }

// radosgw's url_encode (rgw_common.cc): controls, space, non-ASCII and
// "#%&+,/:;<=>?@[\]^`{} as %XX (upper case); everything else, '~!*'()$|' included, as is.
std::string RgwUrlEncode(std::string_view s, bool encode_slash) {
  static constexpr std::string_view kSpecial = "\"#%&+,/:;<=>?@[\\]^`{}";
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    bool escape = c <= 0x20 || c >= 0x7f || kSpecial.find(static_cast<char>(c)) != kSpecial.npos;
    if (c == '/' && !encode_slash) escape = false;
    if (escape) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string RenderListBuckets(const api::Identity& who,
                              const std::vector<api::BucketSummary>& buckets) {
  XmlWriter w;
  w.Open("ListAllMyBucketsResult", kS3Xmlns);
  Owner(w, "Owner", who.user, who.display_name);
  w.Open("Buckets");
  for (const auto& b : buckets) {
    w.Open("Bucket").Leaf("Name", b.name).Leaf("CreationDate", FormatIso8601(b.creation_time));
    w.Close();
  }
  return w.Finish();
}

std::string RenderListObjectsV1(const ListObjectsEcho& e, const api::ListObjectsResult& r) {
  XmlWriter w;
  ListHead(w, e, r);
  for (const auto& o : r.objects) Contents(w, o, e.url_encode, true);
  // radosgw sends the markers last. Deliberately unlike 16.2 (and like later radosgw's
  // dump_urlsafe and AWS), they are url-encoded under encoding-type=url: 16.2 sends them raw,
  // so botocore decodes a '+' in a key to ' ' and a paging client repeats or skips keys.
  auto marker = [&](const std::string& m) { return e.url_encode ? RgwUrlEncode(m, false) : m; };
  w.Leaf("Marker", marker(e.marker));
  if (r.truncated && !r.next_marker.empty()) w.Leaf("NextMarker", marker(r.next_marker));
  return w.Finish();
}

std::string RenderListObjectsV2(const ListObjectsEcho& e, const api::ListObjectsResult& r) {
  XmlWriter w;
  ListHead(w, e, r);
  for (const auto& o : r.objects) Contents(w, o, e.url_encode, e.fetch_owner);
  if (e.has_continuation_token) w.Leaf("ContinuationToken", e.continuation_token);
  if (r.truncated && !r.next_marker.empty()) {
    w.Leaf("NextContinuationToken", EncodeContinuationToken(r.next_marker));
  }
  w.Leaf("KeyCount", uint64_t{r.objects.size() + r.common_prefixes.size()});
  if (e.has_start_after) w.Leaf("StartAfter", e.start_after);
  return w.Finish();
}

// radosgw's continuation token is the key to resume after, as it is: a client
// that got a token from radosgw can continue on Kelp behind the same proxy.
std::string EncodeContinuationToken(const std::string& marker) { return marker; }

bool DecodeContinuationToken(const std::string& token, std::string* marker) {
  *marker = token;
  return true;
}

std::string RenderLocation(const std::string& api_name) {
  XmlWriter w;
  w.Open("LocationConstraint", kS3Xmlns).Text(api_name);
  return w.Finish();
}

std::string RenderVersioning(const std::string& status) {
  XmlWriter w;
  w.Open("VersioningConfiguration", kS3Xmlns);
  if (!status.empty()) {
    w.Leaf("Status", status);
    w.Leaf("MfaDelete", "Disabled");  // radosgw always adds it once versioned (no MFA here)
  }
  return w.Finish();
}

std::string RenderListVersions(const ListVersionsEcho& e, const api::ListVersionsResult& r) {
  // radosgw 16.2's send_versioned_response: with encoding-type=url only the
  // entries' Key (slashes too) and the Delimiter/CommonPrefixes (slashes
  // kept) are encoded; the markers and Prefix are sent as they are.
  auto key = [&](const std::string& s) { return e.url_encode ? RgwUrlEncode(s, true) : s; };
  auto path = [&](const std::string& s) { return e.url_encode ? UrlEncodeKey(s) : s; };
  XmlWriter w;
  w.Open("ListVersionsResult", kS3Xmlns);
  if (e.url_encode) w.Leaf("EncodingType", "url");
  w.Leaf("Name", e.bucket);
  w.Leaf("Prefix", e.prefix);
  w.Leaf("MaxKeys", uint64_t{e.max_keys});
  if (!e.delimiter.empty()) w.Leaf("Delimiter", path(e.delimiter));
  w.Leaf("IsTruncated", r.truncated);
  Prefixes(w, r.common_prefixes, e.url_encode);
  w.Leaf("KeyMarker", e.key_marker);
  w.Leaf("VersionIdMarker", e.version_id_marker);
  if (r.truncated && !r.next_key_marker.empty()) {
    w.Leaf("NextKeyMarker", r.next_key_marker);
    w.Leaf("NextVersionIdMarker",
           r.next_version_id_marker.empty() ? "null" : r.next_version_id_marker);
  }
  for (const auto& v : r.versions) {
    w.Open(v.delete_marker ? "DeleteMarker" : "Version");
    w.Leaf("Key", key(v.info.key));
    w.Leaf("VersionId", v.info.version_id.empty() ? "null" : v.info.version_id);
    w.Leaf("IsLatest", v.is_latest);
    w.Leaf("LastModified", FormatIso8601(v.info.mtime));
    if (!v.delete_marker) {
      w.Leaf("ETag", Quoted(v.info.etag));
      w.Leaf("Size", uint64_t{v.info.size});
      w.Leaf("StorageClass", v.info.storage_class.empty() ? "STANDARD" : v.info.storage_class);
    }
    Owner(w, "Owner", v.info.owner, v.info.owner_display_name);
    w.Leaf("Type", "Normal");
    w.Close();
  }
  return w.Finish();
}

std::string RenderInitiateMultipart(const std::string& bucket, const std::string& key,
                                    const std::string& upload_id) {
  XmlWriter w;
  w.Open("InitiateMultipartUploadResult", kS3Xmlns);
  w.Leaf("Bucket", bucket).Leaf("Key", key).Leaf("UploadId", upload_id);
  return w.Finish();
}

std::string RenderCompleteMultipart(const std::string& location, const std::string& bucket,
                                    const std::string& key, const std::string& etag) {
  XmlWriter w;
  w.Open("CompleteMultipartUploadResult", kS3Xmlns);
  w.Leaf("Location", location).Leaf("Bucket", bucket).Leaf("Key", key);
  w.Leaf("ETag", Quoted(etag));
  return w.Finish();
}

std::string RenderListParts(const ListPartsEcho& e, const api::ListPartsResult& r) {
  XmlWriter w;
  w.Open("ListPartsResult", kS3Xmlns);
  w.Leaf("Bucket", e.bucket).Leaf("Key", e.key).Leaf("UploadId", e.upload_id);
  Owner(w, "Initiator", r.upload.owner, r.upload.owner_display_name);
  Owner(w, "Owner", r.upload.owner, r.upload.owner_display_name);
  w.Leaf("StorageClass", "STANDARD");
  w.Leaf("PartNumberMarker", uint64_t{e.part_number_marker});
  w.Leaf("NextPartNumberMarker", uint64_t{r.next_marker});
  w.Leaf("MaxParts", uint64_t{e.max_parts});
  w.Leaf("IsTruncated", r.truncated);
  for (const auto& p : r.parts) {
    w.Open("Part");
    w.Leaf("PartNumber", uint64_t{p.number});
    w.Leaf("LastModified", FormatIso8601(p.mtime));
    w.Leaf("ETag", Quoted(p.etag));
    w.Leaf("Size", uint64_t{p.size});
    w.Close();
  }
  return w.Finish();
}

std::string RenderListUploads(const ListUploadsEcho& e, const api::ListUploadsResult& r) {
  auto enc = [&](const std::string& s) { return e.url_encode ? UrlEncodeKey(s) : s; };
  XmlWriter w;
  w.Open("ListMultipartUploadsResult", kS3Xmlns);
  if (!e.tenant.empty()) w.Leaf("Tenant", e.tenant);
  w.Leaf("Bucket", e.bucket_name.empty() ? e.req.bucket : e.bucket_name);
  // radosgw 16.2 (RGWListBucketMultiparts_ObjStore_S3): prefix and markers only when set.
  if (!e.req.prefix.empty()) w.Leaf("Prefix", enc(e.req.prefix));
  if (!e.req.key_marker.empty()) w.Leaf("KeyMarker", enc(e.req.key_marker));
  if (!e.req.upload_id_marker.empty()) w.Leaf("UploadIdMarker", e.req.upload_id_marker);
  if (!r.next_key_marker.empty()) w.Leaf("NextKeyMarker", enc(r.next_key_marker));
  if (!r.next_upload_id_marker.empty()) w.Leaf("NextUploadIdMarker", r.next_upload_id_marker);
  w.Leaf("MaxUploads", uint64_t{e.req.max_uploads});
  if (!e.req.delimiter.empty()) w.Leaf("Delimiter", enc(e.req.delimiter));
  if (e.url_encode) w.Leaf("EncodingType", "url");
  w.Leaf("IsTruncated", r.truncated);
  for (const auto& u : r.uploads) {
    w.Open("Upload");
    w.Leaf("Key", enc(u.key)).Leaf("UploadId", u.upload_id);
    Owner(w, "Initiator", u.owner, u.owner_display_name);
    Owner(w, "Owner", u.owner, u.owner_display_name);
    w.Leaf("StorageClass", "STANDARD");
    w.Leaf("Initiated", FormatIso8601(u.initiated));
    w.Close();
  }
  Prefixes(w, r.common_prefixes, e.url_encode);
  return w.Finish();
}

std::string RenderCopyResult(const api::CopyObjectResult& r, bool part) {
  XmlWriter w;
  w.Open(part ? "CopyPartResult" : "CopyObjectResult", kS3Xmlns);
  w.Leaf("LastModified", FormatIso8601(r.mtime)).Leaf("ETag", Quoted(r.etag));
  return w.Finish();
}

std::string RenderDeleteResult(const std::vector<api::DeleteResult>& results, bool quiet) {
  XmlWriter w;
  w.Open("DeleteResult", kS3Xmlns);
  for (const auto& d : results) {
    if (d.status.ok()) {
      if (quiet) continue;
      w.Open("Deleted").Leaf("Key", d.key);
      if (!d.version_id.empty() && !d.delete_marker) w.Leaf("VersionId", d.version_id);
      if (d.delete_marker) {
        w.Leaf("DeleteMarker", true);
        if (!d.version_id.empty()) w.Leaf("DeleteMarkerVersionId", d.version_id);
      }
      w.Close();
    } else {
      const S3ErrorInfo& info = S3ErrorFor(d.status.code());
      w.Open("Error").Leaf("Key", d.key);
      if (!d.version_id.empty()) w.Leaf("VersionId", d.version_id);
      w.Leaf("Code", info.code);
      w.Leaf("Message", d.status.message().empty() ? info.message : d.status.message());
      w.Close();
    }
  }
  return w.Finish();
}

std::string RenderTagging(const std::map<std::string, std::string>& tags) {
  XmlWriter w;
  w.Open("Tagging", kS3Xmlns).Open("TagSet");
  for (const auto& [k, v] : tags) w.Open("Tag").Leaf("Key", k).Leaf("Value", v).Close();
  return w.Finish();
}

}  // namespace kelp::s3
