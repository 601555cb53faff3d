// JSON renderings of bucket-index entries as radosgw-admin prints them
// (`bi list`, `bucket list`, `bucket stats`): same field names, order and
// value forms (bools as "true"/"false" strings, times via utime_t::gmtime).
//
// Index keys and names may hold bytes that are not UTF-8 (0x80 prefixes);
// strings are stored raw, so dump with an error handler (e.g.
// `j.dump(4, ' ', false, nlohmann::json::error_handler_t::ignore)`) or
// compare values directly.
#pragma once

#include <nlohmann/json.hpp>

#include "store/cls/rgw/types.h"

namespace kelp::store::cls::rgw {

using OrderedJson = nlohmann::ordered_json;

// utime_t::gmtime: "2026-11-23T01:24:19.128221Z", or "<sec>.<usec>" for
// times under ten years after the epoch (e.g. "0.000000").
std::string FormatUtime(const CephTime& t);

OrderedJson ToJson(const ObjKey& k);
OrderedJson ToJson(const BucketEntryVer& v);
OrderedJson ToJson(const DirEntryMeta& m);
OrderedJson ToJson(const PendingInfo& p);
OrderedJson ToJson(const DirEntry& e);
OrderedJson ToJson(const OlhLogEntry& e);
OrderedJson ToJson(const OlhEntry& e);
// One `bi list` element: {"type": "plain"|"instance"|"olh", "idx", "entry"}.
// The entry is decoded from b.data; Corruption if it does not decode.
Result<OrderedJson> BiEntryToJson(const BiEntry& b);
// radosgw-admin's "rgw.main"-style names of categories.
const char* CategoryName(uint8_t category);

}  // namespace kelp::store::cls::rgw
