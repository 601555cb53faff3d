#include "kelpd/s3/xml_writer.h"

#include <fmt/format.h>

#include <ctime>

#include "auth/amz_time.h"
#include "kelpd/s3/errors.h"

namespace kelp::s3 {

XmlWriter::XmlWriter() : out_(R"(<?xml version="1.0" encoding="UTF-8"?>)") {}

XmlWriter& XmlWriter::Open(std::string_view name, std::string_view xmlns) {
  out_ += '<';
  out_ += name;
  if (!xmlns.empty()) {
    out_ += " xmlns=\"";
    out_ += XmlEscape(xmlns);
    out_ += '"';
  }
  out_ += '>';
  open_.emplace_back(name);
  return *this;
}

XmlWriter& XmlWriter::Close() {
  if (open_.empty()) return *this;
  out_ += "</";
  out_ += open_.back();
  out_ += '>';
  open_.pop_back();
  return *this;
}

XmlWriter& XmlWriter::Leaf(std::string_view name, std::string_view text) {
  out_ += '<';
  out_ += name;
  out_ += '>';
  out_ += XmlEscape(text);
  out_ += "</";
  out_ += name;
  out_ += '>';
  return *this;
}

XmlWriter& XmlWriter::Leaf(std::string_view name, uint64_t value) {
  return Leaf(name, std::string_view(std::to_string(value)));
}

XmlWriter& XmlWriter::Leaf(std::string_view name, bool value) {
  return Leaf(name, std::string_view(value ? "true" : "false"));
}

XmlWriter& XmlWriter::Text(std::string_view text) {
  out_ += XmlEscape(text);
  return *this;
}

std::string XmlWriter::Finish() {
  while (!open_.empty()) Close();
  return std::move(out_);
}

std::string FormatIso8601(const CephTime& t) {
  time_t secs = t.sec;
  struct tm tm;
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, t.nsec / 1000000);
}

std::string FormatHttpDate(const CephTime& t) { return auth::FormatHttpDate(t.sec); }

}  // namespace kelp::s3
