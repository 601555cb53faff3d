#include "kelpd/s3/xml_parse.h"

#include <cstring>
#include <pugixml.hpp>

namespace kelp::s3 {
namespace {

Status Malformed(std::string m =
                     "The XML you provided was not well-formed or did not validate "
                     "against our published schema") {
  return Status(Code::kMalformedXML, std::move(m));
}

std::string_view LocalName(const pugi::xml_node& n) {
  std::string_view name = n.name();
  auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node Child(const pugi::xml_node& parent, std::string_view name) {
  for (auto c : parent.children()) {
    if (c.type() == pugi::node_element && LocalName(c) == name) return c;
  }
  return {};
}

template <typename Fn>
void ForEachChild(const pugi::xml_node& parent, std::string_view name, Fn fn) {
  for (auto c : parent.children()) {
    if (c.type() == pugi::node_element && LocalName(c) == name) fn(c);
  }
}

// Parses `body` and returns its root element, which must be named `root`.
Status Load(pugi::xml_document& doc, std::string_view body, std::string_view root,
            pugi::xml_node* out) {
  auto res =
      doc.load_buffer(body.data(), body.size(), pugi::parse_default | pugi::parse_ws_pcdata_single);
  if (!res) return Malformed();
  pugi::xml_node r = doc.document_element();
  if (!r || LocalName(r) != root) return Malformed();
  *out = r;
  return Status::OK();
}

std::string Text(const pugi::xml_node& n) { return n.child_value(); }

bool ParseU32(const std::string& s, uint32_t* v) {
  std::string t = s;
  while (!t.empty() && isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  size_t start = t.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return false;
  t = t.substr(start);
  if (t.empty() || t.size() > 10 || t.find_first_not_of("0123456789") != std::string::npos)
    return false;
  uint64_t x = std::stoull(t);
  if (x > UINT32_MAX) return false;
  *v = static_cast<uint32_t>(x);
  return true;
}

}  // namespace

Result<std::string> ParseCreateBucketConfiguration(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return std::string();
  pugi::xml_document doc;
  pugi::xml_node root;
  RETURN_IF_ERROR(Load(doc, body, "CreateBucketConfiguration", &root));
  return Text(Child(root, "LocationConstraint"));
}

Result<std::vector<api::CompletedPart>> ParseCompleteMultipartUpload(std::string_view body) {
  pugi::xml_document doc;
  pugi::xml_node root;
  RETURN_IF_ERROR(Load(doc, body, "CompleteMultipartUpload", &root));
  std::vector<api::CompletedPart> parts;
  bool bad = false;
  ForEachChild(root, "Part", [&](const pugi::xml_node& p) {
    api::CompletedPart part;
    auto num = Child(p, "PartNumber");
    auto etag = Child(p, "ETag");
    if (!num || !etag || !ParseU32(Text(num), &part.number)) {
      bad = true;
      return;
    }
    part.etag = Text(etag);
    parts.push_back(std::move(part));
  });
  if (bad || parts.empty()) return Malformed();
  return parts;
}

Result<DeleteObjectsInput> ParseDeleteObjects(std::string_view body) {
  pugi::xml_document doc;
  pugi::xml_node root;
  RETURN_IF_ERROR(Load(doc, body, "Delete", &root));
  DeleteObjectsInput in;
  if (auto q = Child(root, "Quiet")) {
    std::string v = Text(q);
    in.quiet = (v == "true" || v == "True" || v == "TRUE");
  }
  bool bad = false;
  ForEachChild(root, "Object", [&](const pugi::xml_node& o) {
    auto key = Child(o, "Key");
    if (!key) {
      bad = true;
      return;
    }
    in.objects.push_back({Text(key), Text(Child(o, "VersionId"))});
  });
  if (bad || in.objects.empty() || in.objects.size() > 1000) return Malformed();
  return in;
}

Result<std::string> ParseVersioningConfiguration(std::string_view body) {
  pugi::xml_document doc;
  pugi::xml_node root;
  RETURN_IF_ERROR(Load(doc, body, "VersioningConfiguration", &root));
  return Text(Child(root, "Status"));
}

Result<std::map<std::string, std::string>> ParseTagging(std::string_view body) {
  pugi::xml_document doc;
  pugi::xml_node root;
  RETURN_IF_ERROR(Load(doc, body, "Tagging", &root));
  auto set = Child(root, "TagSet");
  if (!set) return Malformed();
  std::map<std::string, std::string> tags;
  Status st;
  ForEachChild(set, "Tag", [&](const pugi::xml_node& t) {
    if (!st.ok()) return;
    auto key = Child(t, "Key");
    if (!key) {
      st = Malformed();
      return;
    }
    if (!tags.emplace(Text(key), Text(Child(t, "Value"))).second) {
      st = Status(Code::kInvalidTag, "Cannot provide multiple Tags with the same key");
    }
  });
  if (!st.ok()) return st;
  return tags;
}

}  // namespace kelp::s3
