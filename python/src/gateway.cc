// kelp._kelp.Gateway: every libkelp Gateway operation for one identity.
// Each call releases the GIL for the libkelp work; results come back as
// plain dicts/tuples that python/kelp/__init__.py turns into dataclasses.
#include <pybind11/stl.h>

#include "core.h"
#include "rgw/types/acl.h"
#include "rgw/types/acl_xml.h"

namespace kelp::py {

using StrMap = std::map<std::string, std::string>;

std::map<std::string, std::string> ToStringMap(const pyb::object& o) {
  if (o.is_none()) return {};
  return o.cast<StrMap>();
}

namespace {

uint64_t Nanos(const CephTime& t) { return t.ToNanos(); }

CephTime FromNanos(int64_t ns) {
  CephTime t;
  t.sec = static_cast<uint32_t>(ns / 1000000000);
  t.nsec = static_cast<uint32_t>(ns % 1000000000);
  return t;
}

const char* PermName(uint32_t bit) {
  switch (bit) {
    case rgw::kPermRead: return "READ";
    case rgw::kPermWrite: return "WRITE";
    case rgw::kPermReadAcp: return "READ_ACP";
    case rgw::kPermWriteAcp: return "WRITE_ACP";
  }
  return "";
}

// {"owner": {"id", "display_name"}, "grants": [{"type", "id", "display_name",
// "email", "uri", "permission"}]}, one grant per permission as S3 lists them.
pyb::dict AclToDict(const rgw::AccessControlPolicy& p) {
  pyb::dict out;
  pyb::dict owner;
  owner["id"] = p.owner.id.ToString();
  owner["display_name"] = p.owner.display_name;
  out["owner"] = owner;
  pyb::list grants;
  for (const auto& [_, g] : p.acl.grant_map) {
    std::string type = "CanonicalUser", uri;
    if (g.type.type == rgw::kGranteeEmail) type = "AmazonCustomerByEmail";
    if (g.type.type == rgw::kGranteeGroup) {
      type = "Group";
      uri = g.group == rgw::kGroupAllUsers ? std::string(rgw::kAllUsersUri)
                                           : std::string(rgw::kAuthenticatedUsersUri);
    }
    std::vector<std::string> perms;
    uint32_t flags = static_cast<uint32_t>(g.permission.flags);
    if ((flags & rgw::kPermFullControl) == rgw::kPermFullControl) {
      perms.push_back("FULL_CONTROL");
    } else {
      for (uint32_t bit : {rgw::kPermRead, rgw::kPermWrite, rgw::kPermReadAcp, rgw::kPermWriteAcp}) {
        if (flags & bit) perms.push_back(PermName(bit));
      }
    }
    for (const auto& perm : perms) {
      pyb::dict d;
      d["type"] = type;
      d["id"] = g.id.ToString();
      d["display_name"] = g.name;
      d["email"] = g.email;
      d["uri"] = uri;
      d["permission"] = perm;
      grants.append(d);
    }
  }
  out["grants"] = grants;
  return out;
}

std::optional<rgw::AccessControlPolicy> PolicyFromXml(const std::string& xml) {
  if (xml.empty()) return std::nullopt;
  return Unwrap(rgw::AclFromXml(xml));
}

api::Conditions MakeConditions(const std::string& if_match, const std::string& if_none_match,
                               std::optional<int64_t> modified_since,
                               std::optional<int64_t> unmodified_since) {
  api::Conditions c;
  c.if_match = if_match;
  c.if_none_match = if_none_match;
  if (modified_since) c.if_modified_since = FromNanos(*modified_since);
  if (unmodified_since) c.if_unmodified_since = FromNanos(*unmodified_since);
  return c;
}

api::PutObjectRequest MakePut(const std::string& bucket, const std::string& key,
                              std::optional<uint64_t> content_length,
                              const std::string& content_md5, const pyb::object& headers,
                              const pyb::object& metadata, const std::string& acl,
                              const pyb::object& grants, const std::string& tagging) {
  api::PutObjectRequest req;
  req.bucket = bucket;
  req.key = key;
  req.content_length = content_length;
  req.content_md5 = content_md5;
  req.headers = ToStringMap(headers);
  req.metadata = ToStringMap(metadata);
  req.canned_acl = acl;
  req.grant_headers = ToStringMap(grants);
  req.tagging = tagging;
  return req;
}

pyb::dict DeleteResultToDict(const api::DeleteResult& r) {
  pyb::dict d;
  d["key"] = r.key;
  d["version_id"] = r.version_id;
  d["delete_marker"] = r.delete_marker;
  d["error"] = r.status.ok() ? pyb::object(pyb::none())
                             : pyb::object(StatusTuple(r.status));
  return d;
}

pyb::dict UploadToDict(const api::MultipartUpload& u) {
  pyb::dict d;
  d["key"] = u.key;
  d["upload_id"] = u.upload_id;
  d["initiated_ns"] = Nanos(u.initiated);
  d["owner"] = u.owner.ToString();
  d["owner_display_name"] = u.owner_display_name;
  return d;
}

using G = GatewayHandle;

}  // namespace

pyb::dict ObjectInfoToDict(const api::ObjectInfo& info) {
  pyb::dict d;
  d["key"] = info.key;
  d["version_id"] = info.version_id;
  d["size"] = info.size;
  d["mtime_ns"] = Nanos(info.mtime);
  d["etag"] = info.etag;
  d["storage_class"] = info.storage_class;
  d["owner"] = info.owner.ToString();
  d["owner_display_name"] = info.owner_display_name;
  d["headers"] = info.headers;
  d["metadata"] = info.metadata;
  d["tags"] = info.tags;
  d["tag_count"] = info.tag_count;
  return d;
}

void BindGateway(pyb::module_& m) {
  using pyb::arg;
  pyb::class_<G> c(m, "Gateway", "libkelp's S3 operations acting as one identity (native).");
  c.def_property_readonly(
       "uid", [](const G& g) { return g.ctx.who.system ? std::string() : g.ctx.who.user.ToString(); },
       "The user this gateway acts as ('' for the system).")
      .def_property_readonly(
          "display_name", [](const G& g) { return g.ctx.who.display_name; },
          "The display name of that user.")
      .def_property_readonly(
          "is_system", [](const G& g) { return g.ctx.who.system; },
          "True when ACL checks are bypassed.");

  // ---- buckets ----
  c.def(
      "list_buckets",
      [](G& g) {
        auto r = Unwrap(NoGil(*g.core, [&](api::Gateway& gw) { return gw.ListBuckets(g.ctx); }));
        std::vector<std::pair<std::string, uint64_t>> out;
        for (const auto& b : r) out.emplace_back(b.name, Nanos(b.creation_time));
        return out;
      },
      "[(name, creation_ns)] of the buckets the user owns.");
  c.def(
      "create_bucket",
      [](G& g, const std::string& bucket, const std::string& acl, const pyb::object& grants,
         const std::string& location) {
        api::CreateBucketRequest req;
        req.bucket = bucket;
        req.canned_acl = acl;
        req.grant_headers = ToStringMap(grants);
        req.location_constraint = location;
        Check(NoGil(*g.core, [&](api::Gateway& gw) { return gw.CreateBucket(g.ctx, req); }));
      },
      arg("bucket"), arg("acl") = "", arg("grants") = pyb::none(), arg("location") = "",
      "Creates a bucket.");
  c.def(
      "delete_bucket",
      [](G& g, const std::string& bucket) {
        Check(NoGil(*g.core, [&](api::Gateway& gw) { return gw.DeleteBucket(g.ctx, bucket); }));
      },
      arg("bucket"), "Deletes an empty bucket.");
  c.def(
      "head_bucket",
      [](G& g, const std::string& bucket) {
        Check(NoGil(*g.core,
                    [&](api::Gateway& gw) { return gw.HeadBucket(g.ctx, bucket).status(); }));
      },
      arg("bucket"), "Raises unless the bucket exists and may be read.");
  c.def(
      "get_bucket_location",
      [](G& g, const std::string& bucket) {
        return Unwrap(
            NoGil(*g.core, [&](api::Gateway& gw) { return gw.GetBucketLocation(g.ctx, bucket); }));
      },
      arg("bucket"), "The zonegroup api_name ('' for the default).");
  c.def(
      "get_bucket_versioning",
      [](G& g, const std::string& bucket) {
        return Unwrap(NoGil(*g.core,
                            [&](api::Gateway& gw) { return gw.GetBucketVersioning(g.ctx, bucket); }));
      },
      arg("bucket"), "'Enabled', 'Suspended' or ''.");
  c.def(
      "list_objects",
      [](G& g, const std::string& bucket, const std::string& prefix, const std::string& delimiter,
         const std::string& marker, uint32_t max_keys) {
        api::ListObjectsRequest req{bucket, prefix, delimiter, marker, max_keys};
        auto r = Unwrap(NoGil(*g.core, [&](api::Gateway& gw) { return gw.ListObjects(g.ctx, req); }));
        pyb::list objects;
        for (const auto& o : r.objects) objects.append(ObjectInfoToDict(o));
        return pyb::make_tuple(objects, r.common_prefixes, r.truncated, r.next_marker);
      },
      arg("bucket"), arg("prefix") = "", arg("delimiter") = "", arg("marker") = "",
      arg("max_keys") = 1000,
      "One page: (objects, common_prefixes, truncated, next_marker).");
  c.def(
      "get_bucket_acl",
      [](G& g, const std::string& bucket) {
        return AclToDict(
            Unwrap(NoGil(*g.core, [&](api::Gateway& gw) { return gw.GetBucketAcl(g.ctx, bucket); })));
      },
      arg("bucket"), "The bucket's ACL as a dict.");
  c.def(
      "put_bucket_acl",
      [](G& g, const std::string& bucket, const std::string& acl, const pyb::object& grants,
         const std::string& xml) {
        auto grant_map = ToStringMap(grants);
        auto policy = PolicyFromXml(xml);
        Check(NoGil(*g.core, [&](api::Gateway& gw) {
          return gw.PutBucketAcl(g.ctx, bucket, acl, grant_map, policy ? &*policy : nullptr);
        }));
      },
      arg("bucket"), arg("acl") = "", arg("grants") = pyb::none(), arg("xml") = "",
      "Sets the ACL from a canned name, grants or an AccessControlPolicy XML document.");
  c.def(
      "get_bucket_tagging",
      [](G& g, const std::string& bucket) {
        return Unwrap(
            NoGil(*g.core, [&](api::Gateway& gw) { return gw.GetBucketTagging(g.ctx, bucket); }));
      },
      arg("bucket"), "The bucket's tags.");
  c.def(
      "put_bucket_tagging",
      [](G& g, const std::string& bucket, const StrMap& tags) {
        Check(NoGil(*g.core,
                    [&](api::Gateway& gw) { return gw.PutBucketTagging(g.ctx, bucket, tags); }));
      },
      arg("bucket"), arg("tags"), "Replaces the bucket's tags.");
  c.def(
      "delete_bucket_tagging",
      [](G& g, const std::string& bucket) {
        Check(NoGil(*g.core, [&](api::Gateway& gw) { return gw.DeleteBucketTagging(g.ctx, bucket); }));
      },
      arg("bucket"), "Removes the bucket's tags.");

  // ---- objects ----
  c.def(
      "put_object",
      [](G& g, const std::string& bucket, const std::string& key,
         std::optional<uint64_t> content_length, const std::string& content_md5,
         const pyb::object& headers, const pyb::object& metadata, const std::string& acl,
         const pyb::object& grants, const std::string& tagging) {
        auto req = MakePut(bucket, key, content_length, content_md5, headers, metadata, acl,
                           grants, tagging);
        auto up = Unwrap(NoGil(*g.core, [&](api::Gateway& gw) { return gw.PutObject(g.ctx, req); }));
        return MakeUpload(g.core, std::move(up));
      },
      arg("bucket"), arg("key"), arg("content_length") = std::nullopt, arg("content_md5") = "",
      arg("headers") = pyb::none(), arg("metadata") = pyb::none(), arg("acl") = "",
      arg("grants") = pyb::none(), arg("tagging") = "",
      "Starts a streaming upload; returns an Upload.");
  c.def(
      "put_object_data",
      [](G& g, const std::string& bucket, const std::string& key, const pyb::handle& data,
         const std::string& content_md5, const pyb::object& headers, const pyb::object& metadata,
         const std::string& acl, const pyb::object& grants, const std::string& tagging) {
        BufferView buf(data);
        auto req = MakePut(bucket, key, buf.size(), content_md5, headers, metadata, acl, grants,
                           tagging);
        auto res = Unwrap(NoGil(*g.core, [&](api::Gateway& gw) -> Result<api::PutObjectResult> {
          ASSIGN_OR_RETURN(auto up, gw.PutObject(g.ctx, req));
          RETURN_IF_ERROR(up->Write(std::string_view(buf.data(), buf.size())));
          return up->Complete();
        }));
        return pyb::make_tuple(res.etag, res.version_id);
      },
      arg("bucket"), arg("key"), arg("data"), arg("content_md5") = "",
      arg("headers") = pyb::none(), arg("metadata") = pyb::none(), arg("acl") = "",
      arg("grants") = pyb::none(), arg("tagging") = "",
      "Stores a whole in-memory buffer in one call (one GIL release); returns (etag, version_id).");
  c.def(
      "get_object",
      [](G& g, const std::string& bucket, const std::string& key, const std::string& version_id,
         std::optional<uint64_t> first, std::optional<uint64_t> last,
         std::optional<uint64_t> suffix, const std::string& if_match,
         const std::string& if_none_match, std::optional<int64_t> if_modified_since_ns,
         std::optional<int64_t> if_unmodified_since_ns, bool head_only,
         std::optional<uint32_t> part_number) {
        api::GetObjectRequest req;
        req.bucket = bucket;
        req.key = key;
        req.version_id = version_id;
        if (first || last || suffix) req.range = api::ByteRange{first, last, suffix};
        req.conditions = MakeConditions(if_match, if_none_match, if_modified_since_ns,
                                        if_unmodified_since_ns);
        req.head_only = head_only;
        req.part_number = part_number;
        auto dl = Unwrap(NoGil(*g.core, [&](api::Gateway& gw) { return gw.GetObject(g.ctx, req); }));
        return MakeDownload(g.core, std::move(dl));
      },
      arg("bucket"), arg("key"), arg("version_id") = "", arg("first") = std::nullopt,
      arg("last") = std::nullopt, arg("suffix") = std::nullopt, arg("if_match") = "",
      arg("if_none_match") = "", arg("if_modified_since_ns") = std::nullopt,
      arg("if_unmodified_since_ns") = std::nullopt, arg("head_only") = false,
      arg("part_number") = std::nullopt, "Starts a streaming read; returns a Download.");
  c.def(
      "get_object_data",
      [](G& g, const std::string& bucket, const std::string& key, const std::string& version_id,
         std::optional<uint64_t> first, std::optional<uint64_t> last,
         std::optional<uint64_t> suffix) {
        api::GetObjectRequest req;
        req.bucket = bucket;
        req.key = key;
        req.version_id = version_id;
        if (first || last || suffix) req.range = api::ByteRange{first, last, suffix};
        std::string data = Unwrap(NoGil(*g.core, [&](api::Gateway& gw) -> Result<std::string> {
          ASSIGN_OR_RETURN(auto dl, gw.GetObject(g.ctx, req));
          std::string out;
          out.reserve(dl->content_length());
          for (;;) {
            ASSIGN_OR_RETURN(std::string chunk, dl->Read());
            if (chunk.empty()) return out;
            out += chunk;
          }
        }));
        return pyb::bytes(data.data(), data.size());
      },
      arg("bucket"), arg("key"), arg("version_id") = "", arg("first") = std::nullopt,
      arg("last") = std::nullopt, arg("suffix") = std::nullopt,
      "The whole object (or range) as bytes in one call (small objects).");
  c.def(
      "delete_object",
      [](G& g, const std::string& bucket, const std::string& key, const std::string& version_id) {
        return DeleteResultToDict(Unwrap(NoGil(*g.core, [&](api::Gateway& gw) {
          return gw.DeleteObject(g.ctx, bucket, key, version_id);
        })));
      },
      arg("bucket"), arg("key"), arg("version_id") = "", "Deletes one object.");
  c.def(
      "delete_objects",
      [](G& g, const std::string& bucket, const std::vector<std::string>& keys) {
        auto r = Unwrap(NoGil(
            *g.core, [&](api::Gateway& gw) { return gw.DeleteObjects(g.ctx, bucket, keys); }));
        pyb::list out;
        for (const auto& d : r) out.append(DeleteResultToDict(d));
        return out;
      },
      arg("bucket"), arg("keys"), "Deletes many keys; per-key results.");
  c.def(
      "copy_object",
      [](G& g, const std::string& src_bucket, const std::string& src_key,
         const std::string& dst_bucket, const std::string& dst_key,
         const std::string& src_version_id, bool replace_metadata, const pyb::object& headers,
         const pyb::object& metadata, const std::string& acl, const pyb::object& grants,
         const std::string& if_match, const std::string& if_none_match) {
        api::CopyObjectRequest req;
        req.src_bucket = src_bucket;
        req.src_key = src_key;
        req.src_version_id = src_version_id;
        req.src_conditions = MakeConditions(if_match, if_none_match, std::nullopt, std::nullopt);
        req.dst_bucket = dst_bucket;
        req.dst_key = dst_key;
        req.directive =
            replace_metadata ? api::MetadataDirective::kReplace : api::MetadataDirective::kCopy;
        req.headers = ToStringMap(headers);
        req.metadata = ToStringMap(metadata);
        req.canned_acl = acl;
        req.grant_headers = ToStringMap(grants);
        auto r = Unwrap(NoGil(*g.core, [&](api::Gateway& gw) { return gw.CopyObject(g.ctx, req); }));
        return pyb::make_tuple(r.etag, Nanos(r.mtime));
      },
      arg("src_bucket"), arg("src_key"), arg("dst_bucket"), arg("dst_key"),
      arg("src_version_id") = "", arg("replace_metadata") = false, arg("headers") = pyb::none(),
      arg("metadata") = pyb::none(), arg("acl") = "", arg("grants") = pyb::none(),
      arg("if_match") = "", arg("if_none_match") = "",
      "Server-side copy; returns (etag, mtime_ns).");
  c.def(
      "get_object_acl",
      [](G& g, const std::string& bucket, const std::string& key) {
        return AclToDict(Unwrap(
            NoGil(*g.core, [&](api::Gateway& gw) { return gw.GetObjectAcl(g.ctx, bucket, key); })));
      },
      arg("bucket"), arg("key"), "The object's ACL as a dict.");
  c.def(
      "put_object_acl",
      [](G& g, const std::string& bucket, const std::string& key, const std::string& acl,
         const pyb::object& grants, const std::string& xml) {
        auto grant_map = ToStringMap(grants);
        auto policy = PolicyFromXml(xml);
        Check(NoGil(*g.core, [&](api::Gateway& gw) {
          return gw.PutObjectAcl(g.ctx, bucket, key, acl, grant_map, policy ? &*policy : nullptr);
        }));
      },
      arg("bucket"), arg("key"), arg("acl") = "", arg("grants") = pyb::none(), arg("xml") = "",
      "Sets the object's ACL from a canned name, grants or an XML document.");
  c.def(
      "get_object_tagging",
      [](G& g, const std::string& bucket, const std::string& key) {
        return Unwrap(NoGil(
            *g.core, [&](api::Gateway& gw) { return gw.GetObjectTagging(g.ctx, bucket, key); }));
      },
      arg("bucket"), arg("key"), "The object's tags.");
  c.def(
      "put_object_tagging",
      [](G& g, const std::string& bucket, const std::string& key, const StrMap& tags) {
        Check(NoGil(*g.core, [&](api::Gateway& gw) {
          return gw.PutObjectTagging(g.ctx, bucket, key, tags);
        }));
      },
      arg("bucket"), arg("key"), arg("tags"), "Replaces the object's tags.");
  c.def(
      "delete_object_tagging",
      [](G& g, const std::string& bucket, const std::string& key) {
        Check(NoGil(*g.core, [&](api::Gateway& gw) {
          return gw.DeleteObjectTagging(g.ctx, bucket, key);
        }));
      },
      arg("bucket"), arg("key"), "Removes the object's tags.");

  // ---- multipart ----
  c.def(
      "create_multipart_upload",
      [](G& g, const std::string& bucket, const std::string& key, const pyb::object& headers,
         const pyb::object& metadata, const std::string& acl, const pyb::object& grants,
         const std::string& tagging) {
        auto req = MakePut(bucket, key, std::nullopt, "", headers, metadata, acl, grants, tagging);
        return Unwrap(NoGil(
            *g.core, [&](api::Gateway& gw) { return gw.CreateMultipartUpload(g.ctx, req); }));
      },
      arg("bucket"), arg("key"), arg("headers") = pyb::none(), arg("metadata") = pyb::none(),
      arg("acl") = "", arg("grants") = pyb::none(), arg("tagging") = "",
      "Starts a multipart upload; returns its upload id.");
  c.def(
      "upload_part",
      [](G& g, const std::string& bucket, const std::string& key, const std::string& upload_id,
         uint32_t part_number, std::optional<uint64_t> content_length,
         const std::string& content_md5) {
        api::PutObjectRequest body;
        body.bucket = bucket;
        body.key = key;
        body.content_length = content_length;
        body.content_md5 = content_md5;
        auto up = Unwrap(NoGil(*g.core, [&](api::Gateway& gw) {
          return gw.UploadPart(g.ctx, bucket, key, upload_id, part_number, body);
        }));
        return MakeUpload(g.core, std::move(up));
      },
      arg("bucket"), arg("key"), arg("upload_id"), arg("part_number"),
      arg("content_length") = std::nullopt, arg("content_md5") = "",
      "Starts a streaming part upload; returns an Upload.");
  c.def(
      "upload_part_copy",
      [](G& g, const std::string& src_bucket, const std::string& src_key,
         const std::string& bucket, const std::string& key, const std::string& upload_id,
         uint32_t part_number, std::optional<uint64_t> first, std::optional<uint64_t> last) {
        api::CopyObjectRequest src;
        src.src_bucket = src_bucket;
        src.src_key = src_key;
        src.dst_bucket = bucket;
        src.dst_key = key;
        std::optional<api::ByteRange> range;
        if (first || last) range = api::ByteRange{first, last, std::nullopt};
        auto r = Unwrap(NoGil(*g.core, [&](api::Gateway& gw) {
          return gw.UploadPartCopy(g.ctx, src, upload_id, part_number, range);
        }));
        return pyb::make_tuple(r.etag, Nanos(r.mtime));
      },
      arg("src_bucket"), arg("src_key"), arg("bucket"), arg("key"), arg("upload_id"),
      arg("part_number"), arg("first") = std::nullopt, arg("last") = std::nullopt,
      "Copies (a range of) an object into a part; returns (etag, mtime_ns).");
  c.def(
      "complete_multipart_upload",
      [](G& g, const std::string& bucket, const std::string& key, const std::string& upload_id,
         const std::vector<std::pair<uint32_t, std::string>>& parts) {
        std::vector<api::CompletedPart> done;
        for (const auto& [n, etag] : parts) done.push_back({n, etag});
        auto r = Unwrap(NoGil(*g.core, [&](api::Gateway& gw) {
          return gw.CompleteMultipartUpload(g.ctx, bucket, key, upload_id, done);
        }));
        return pyb::make_tuple(r.etag, r.version_id);
      },
      arg("bucket"), arg("key"), arg("upload_id"), arg("parts"),
      "Assembles [(part_number, etag)]; returns (etag, version_id).");
  c.def(
      "abort_multipart_upload",
      [](G& g, const std::string& bucket, const std::string& key, const std::string& upload_id) {
        Check(NoGil(*g.core, [&](api::Gateway& gw) {
          return gw.AbortMultipartUpload(g.ctx, bucket, key, upload_id);
        }));
      },
      arg("bucket"), arg("key"), arg("upload_id"), "Aborts a multipart upload.");
  c.def(
      "list_parts",
      [](G& g, const std::string& bucket, const std::string& key, const std::string& upload_id,
         uint32_t part_marker, uint32_t max_parts) {
        auto r = Unwrap(NoGil(*g.core, [&](api::Gateway& gw) {
          return gw.ListParts(g.ctx, bucket, key, upload_id, part_marker, max_parts);
        }));
        pyb::list parts;
        for (const auto& p : r.parts) {
          parts.append(pyb::make_tuple(p.number, p.size, p.etag, Nanos(p.mtime)));
        }
        return pyb::make_tuple(parts, r.truncated, r.next_marker, UploadToDict(r.upload));
      },
      arg("bucket"), arg("key"), arg("upload_id"), arg("part_marker") = 0,
      arg("max_parts") = 1000,
      "One page: ([(number, size, etag, mtime_ns)], truncated, next_marker, upload).");
  c.def(
      "list_multipart_uploads",
      [](G& g, const std::string& bucket, const std::string& prefix, const std::string& delimiter,
         const std::string& key_marker, const std::string& upload_id_marker,
         uint32_t max_uploads) {
        api::ListUploadsRequest req{bucket,     prefix,          delimiter,
                                    key_marker, upload_id_marker, max_uploads};
        auto r = Unwrap(
            NoGil(*g.core, [&](api::Gateway& gw) { return gw.ListMultipartUploads(g.ctx, req); }));
        pyb::list uploads;
        for (const auto& u : r.uploads) uploads.append(UploadToDict(u));
        return pyb::make_tuple(uploads, r.common_prefixes, r.truncated, r.next_key_marker,
                               r.next_upload_id_marker);
      },
      arg("bucket"), arg("prefix") = "", arg("delimiter") = "", arg("key_marker") = "",
      arg("upload_id_marker") = "", arg("max_uploads") = 1000,
      "One page: (uploads, common_prefixes, truncated, next_key_marker, next_upload_id_marker).");
}

}  // namespace kelp::py
