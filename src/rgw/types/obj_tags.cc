#include "rgw/types/obj_tags.h"

#include <sstream>

#include <pugixml.hpp>

namespace kelp::rgw {

void Encode(Encoder& e, const ObjTags& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.tag_map); });
}
void Decode(Decoder& d, ObjTags& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.tag_map); });
}

Status ObjTags::Add(const std::string& key, const std::string& value, size_t max_tags) {
  if (tag_map.size() >= max_tags || key.empty() || key.size() > kMaxKeySize ||
      value.size() > kMaxValueSize) {
    return Status(Code::kInvalidTag, "invalid tag " + key);
  }
  tag_map.emplace(key, value);
  return Status::OK();
}

Result<ObjTags> ObjTags::FromXml(std::string_view xml, size_t max_tags) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) {
    return Status(Code::kMalformedXML, "tagging document is not XML");
  }
  pugi::xml_node tagging = doc.child("Tagging");
  pugi::xml_node tagset = tagging.child("TagSet");
  if (!tagging || !tagset) return Status(Code::kMalformedXML, "missing Tagging/TagSet");
  ObjTags tags;
  for (pugi::xml_node tag : tagset.children("Tag")) {
    pugi::xml_node key = tag.child("Key");
    pugi::xml_node value = tag.child("Value");
    if (!key) return Status(Code::kMalformedXML, "Tag without Key");
    RETURN_IF_ERROR(tags.Add(key.text().get(), value.text().get(), max_tags));
  }
  return tags;
}

std::string ObjTags::ToXml() const {
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto tagging = doc.append_child("Tagging");
  tagging.append_attribute("xmlns") = "http://s3.amazonaws.com/doc/2006-03-01/";
  auto tagset = tagging.append_child("TagSet");
  for (const auto& [k, v] : tag_map) {
    auto tag = tagset.append_child("Tag");
    tag.append_child("Key").text().set(k.c_str());
    tag.append_child("Value").text().set(v.c_str());
  }
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw);
  return out.str();
}

namespace {
bool UrlDecode(std::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+') {
      out->push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= in.size()) return false;
      auto hex = [](char h) -> int {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'a' && h <= 'f') return h - 'a' + 10;
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return -1;
      };
      int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out->push_back(c);
    }
  }
  return true;
}
}  // namespace

Result<ObjTags> ObjTags::FromHeader(std::string_view header, size_t max_tags) {
  ObjTags tags;
  while (!header.empty()) {
    size_t amp = header.find('&');
    std::string_view pair = header.substr(0, amp);
    header = amp == std::string_view::npos ? std::string_view() : header.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key, value;
    if (!UrlDecode(pair.substr(0, eq), &key) ||
        (eq != std::string_view::npos && !UrlDecode(pair.substr(eq + 1), &value))) {
      return Status(Code::kInvalidTag, "bad x-amz-tagging encoding");
    }
    RETURN_IF_ERROR(tags.Add(key, value, max_tags));
  }
  return tags;
}

nlohmann::json ToJson(const ObjTags& v) {
  nlohmann::json set = nlohmann::json::object();
  for (const auto& [k, val] : v.tag_map) set[k] = val;
  return {{"tagset", set}};
}

}  // namespace kelp::rgw
