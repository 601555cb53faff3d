#include "store/cls/rgw/json.h"

#include <ctime>

namespace kelp::store::cls::rgw {

namespace {
const char* Bool(bool b) { return b ? "true" : "false"; }

const char* OlhOpName(uint8_t op) {
  switch (op) {
    case kOlhOpLinkOlh: return "link_olh";
    case kOlhOpUnlinkOlh: return "unlink_olh";
    case kOlhOpRemoveInstance: return "remove_instance";
    default: return "unknown";
  }
}
}  // namespace

std::string FormatUtime(const CephTime& t) {
  char buf[64];
  if (t.sec < 60u * 60 * 24 * 365 * 10) {
    snprintf(buf, sizeof(buf), "%ld.%06ld", static_cast<long>(t.sec),
             static_cast<long>(t.nsec / 1000));
    return buf;
  }
  time_t tt = t.sec;
  struct tm tm;
  gmtime_r(&tt, &tm);
  size_t n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(buf + n, sizeof(buf) - n, ".%06ldZ", static_cast<long>(t.nsec / 1000));
  return buf;
}

const char* CategoryName(uint8_t category) {
  switch (category) {
    case kCategoryNone: return "rgw.none";
    case kCategoryMain: return "rgw.main";
    case kCategoryShadow: return "rgw.shadow";
    case kCategoryMultiMeta: return "rgw.multimeta";
    default: return "unknown";
  }
}

OrderedJson ToJson(const ObjKey& k) {
  OrderedJson j;
  j["name"] = k.name;
  j["instance"] = k.instance;
  return j;
}

OrderedJson ToJson(const BucketEntryVer& v) {
  OrderedJson j;
  j["pool"] = v.pool;
  j["epoch"] = v.epoch;
  return j;
}

OrderedJson ToJson(const DirEntryMeta& m) {
  OrderedJson j;
  j["category"] = m.category;
  j["size"] = m.size;
  j["mtime"] = FormatUtime(m.mtime);
  j["etag"] = m.etag;
  j["storage_class"] = m.storage_class;
  j["owner"] = m.owner;
  j["owner_display_name"] = m.owner_display_name;
  j["content_type"] = m.content_type;
  j["accounted_size"] = m.accounted_size;
  j["user_data"] = m.user_data;
  j["appendable"] = Bool(m.appendable);
  return j;
}

OrderedJson ToJson(const PendingInfo& p) {
  OrderedJson j;
  j["state"] = p.state;
  j["timestamp"] = FormatUtime(p.timestamp);
  j["op"] = p.op;
  return j;
}

OrderedJson ToJson(const DirEntry& e) {
  OrderedJson j;
  j["name"] = e.key.name;
  j["instance"] = e.key.instance;
  j["ver"] = ToJson(e.ver);
  j["locator"] = e.locator;
  j["exists"] = Bool(e.exists);
  j["meta"] = ToJson(e.meta);
  j["tag"] = e.tag;
  j["flags"] = e.flags;
  OrderedJson pending = OrderedJson::array();
  for (const auto& [tag, info] : e.pending_map) {
    OrderedJson p;
    p["key"] = tag;
    p["val"] = ToJson(info);
    pending.push_back(std::move(p));
  }
  j["pending_map"] = std::move(pending);
  j["versioned_epoch"] = e.versioned_epoch;
  return j;
}

OrderedJson ToJson(const OlhLogEntry& e) {
  OrderedJson j;
  j["epoch"] = e.epoch;
  j["op"] = OlhOpName(e.op);
  j["op_tag"] = e.op_tag;
  j["key"] = ToJson(e.key);
  j["delete_marker"] = Bool(e.delete_marker);
  return j;
}

OrderedJson ToJson(const OlhEntry& e) {
  OrderedJson j;
  j["key"] = ToJson(e.key);
  j["delete_marker"] = Bool(e.delete_marker);
  j["epoch"] = e.epoch;
  OrderedJson log = OrderedJson::array();
  for (const auto& [epoch, entries] : e.pending_log) {
    OrderedJson item;
    item["key"] = epoch;
    OrderedJson vals = OrderedJson::array();
    for (const auto& le : entries) vals.push_back(ToJson(le));
    item["val"] = std::move(vals);
    log.push_back(std::move(item));
  }
  j["pending_log"] = std::move(log);
  j["tag"] = e.tag;
  j["exists"] = Bool(e.exists);
  j["pending_removal"] = Bool(e.pending_removal);
  return j;
}

Result<OrderedJson> BiEntryToJson(const BiEntry& b) {
  OrderedJson j;
  switch (b.type) {
    case kBiPlain: j["type"] = "plain"; break;
    case kBiInstance: j["type"] = "instance"; break;
    case kBiOlh: j["type"] = "olh"; break;
    default: return Status::Invalid("unknown bi entry type");
  }
  j["idx"] = b.idx;
  if (b.type == kBiOlh) {
    OlhEntry e;
    Status s = DecodeFromString(b.data, e);
    if (!s.ok()) return s;
    j["entry"] = ToJson(e);
  } else {
    DirEntry e;
    Status s = DecodeFromString(b.data, e);
    if (!s.ok()) return s;
    j["entry"] = ToJson(e);
  }
  return j;
}

}  // namespace kelp::store::cls::rgw
