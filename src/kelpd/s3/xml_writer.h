// XmlWriter: builds the compact XML documents S3 responses carry, the way
// radosgw's XMLFormatter prints them (declaration, no indentation, text
// escaped, elements closed in order).
//
//   XmlWriter w;
//   w.Open("Tagging", kS3Xmlns).Open("TagSet");
//   w.Open("Tag").Leaf("Key", "k").Leaf("Value", "v").Close();
//   std::string body = w.Finish();  // closes TagSet and Tagging
//
// Thread-compatible value type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/encoding.h"

namespace kelp::s3 {

inline constexpr std::string_view kS3Xmlns = "http://s3.amazonaws.com/doc/2006-03-01/";

class XmlWriter {
 public:
  XmlWriter();  // starts with <?xml version="1.0" encoding="UTF-8"?>

  XmlWriter& Open(std::string_view name, std::string_view xmlns = {});
  XmlWriter& Close();  // closes the innermost open element
  XmlWriter& Leaf(std::string_view name, std::string_view text);
  XmlWriter& Leaf(std::string_view name, const char* text) {
    return Leaf(name, std::string_view(text));
  }
  XmlWriter& Leaf(std::string_view name, const std::string& text) {
    return Leaf(name, std::string_view(text));
  }
  XmlWriter& Leaf(std::string_view name, uint64_t value);
  XmlWriter& Leaf(std::string_view name, bool value);  // "true"/"false"
  // Text content of the innermost open element.
  XmlWriter& Text(std::string_view text);

  // Closes every open element and returns the document.
  std::string Finish();

 private:
  std::string out_;
  std::vector<std::string> open_;
};

// S3 XML timestamp with milliseconds, as radosgw's dump_time:
// "2026-11-23T01:24:11.202Z".
std::string FormatIso8601(const CephTime& t);
// RFC 1123 date for Last-Modified and friends: "Mon, 23 Nov 2026 01:24:11 GMT".
std::string FormatHttpDate(const CephTime& t);

}  // namespace kelp::s3
