// `rgw` listing and raw-entry methods: bucket_list, bi_get, bi_put,
// bi_list, bi_log_list, bi_log_trim (semantics of cls_rgw.cc, 16.2).
#include <algorithm>
#include <cstring>

#include "store/cls/rgw/index_io.h"

namespace kelp::store::cls::rgw {
namespace {

using KeyMap = std::map<std::string, std::string>;

const std::string kPrefixBegin(1, kBiPrefixChar);               // < every special key
const std::string kPrefixEnd = std::string(1, kBiPrefixChar) + "9999_";  // > every special key

// get_obj_vals: omap values after `start` with `prefix`, skipping the
// 0x80 namespace in the middle of the key space.
Status GetObjVals(ClsContext& ctx, const std::string& start, const std::string& prefix,
                  uint64_t num, KeyMap* keys, bool* more) {
  auto r = ctx.OmapGetVals(start, prefix, num, more);
  if (!r.ok()) return r.status();
  *keys = std::move(*r);
  if (keys->empty()) return Status::OK();
  if (static_cast<unsigned char>(keys->rbegin()->first[0]) < 0x80) return Status::OK();
  if (static_cast<unsigned char>(keys->begin()->first[0]) > 0x80) return Status::OK();
  std::string after(1, static_cast<char>(0x81));
  keys->erase(keys->lower_bound(kPrefixBegin), keys->lower_bound(after));
  if (keys->size() == num || !*more) return Status::OK();
  std::string next = after;
  if (!keys->empty() && next < keys->rbegin()->first) next = keys->rbegin()->first;
  auto r2 = ctx.OmapGetVals(next, prefix, num - keys->size(), more);
  if (!r2.ok()) return r2.status();
  keys->insert(r2->begin(), r2->end());
  return Status::OK();
}

// encode_list_index_key: the list key to start after for a marker.
std::string ListStartKey(ClsContext& ctx, const ObjKey& key) {
  if (key.instance.empty()) return key.name;
  ObjKey tmp = key;
  if (tmp.instance == "null") tmp.instance.clear();
  DirEntry entry;
  if (!ReadEntry(ctx, InstanceKey(tmp), &entry).ok()) {
    return key.name + '\x01';  // just after the object's own entries
  }
  return ListIndexKey(entry.key.name, entry.versioned_epoch, entry.key.instance);
}

Status BucketList(ClsContext& ctx, const std::string& in, std::string* out) {
  constexpr int kMaxAttempts = 8;
  ListOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  ListRet ret;
  auto h = ReadHeader(ctx);
  if (!h.ok()) return h.status();
  ret.dir.header = std::move(*h);
  auto& m = ret.dir.m;
  if (op.num_entries == 0) {
    EncodeOutput(ret, out);
    return Status::OK();
  }

  std::string start_after = ListStartKey(ctx, op.start_obj);
  ObjKey start_after_entry_key;
  std::string prev_omap_key, prev_prefix;
  bool done = false, more = true;
  bool has_delim = !op.delimiter.empty();
  if (has_delim && start_after > op.filter_prefix && start_after.size() >= op.delimiter.size() &&
      start_after.compare(start_after.size() - op.delimiter.size(), op.delimiter.size(),
                          op.delimiter) == 0) {
    start_after = AfterDelim(start_after);  // skip the rest of that "subdirectory"
  }

  for (int attempt = 0; attempt < kMaxAttempts && more && !done && m.size() < op.num_entries;
       ++attempt) {
    KeyMap keys;
    Status s = GetObjVals(ctx, start_after, op.filter_prefix, op.num_entries - m.size(), &keys,
                          &more);
    if (!s.ok()) return s;
    done = keys.empty();
    for (auto it = keys.begin(); it != keys.end(); ++it) {
      DirEntry entry;
      if (!DecodeFromString(it->second, entry).ok()) return Status::Invalid("corrupt entry");
      start_after = it->first;
      start_after_entry_key = entry.key;
      ObjKey key;
      uint64_t ver;
      if (!DecodeListIndexKey(it->first, &key, &ver)) continue;
      if (!entry.IsValid()) continue;
      // Without versions: only current, non-delete-marker entries, and not
      // the marker object itself.
      if (!op.list_versions && (!entry.IsVisible() || op.start_obj.name == key.name)) continue;
      if (has_delim) {
        size_t pos = key.name.find(op.delimiter, op.filter_prefix.size());
        if (pos != std::string::npos) {
          std::string prefix_key = key.name.substr(0, pos + op.delimiter.size());
          if (prefix_key == prev_prefix) continue;
          prev_prefix = prefix_key;
          if (m.size() < op.num_entries) {
            DirEntry proxy;
            proxy.key = ObjKey(prefix_key);
            proxy.flags = DirEntry::kFlagCommonPrefix;
            m[prefix_key] = std::move(proxy);
          }
          start_after = AfterDelim(prefix_key);
          start_after_entry_key = ObjKey(start_after);
          it = keys.lower_bound(start_after);
          --it;  // the loop increment moves past the subdirectory
          continue;
        }
      }
      if (m.size() < op.num_entries && it->first != prev_omap_key) {
        m[it->first] = std::move(entry);
        prev_omap_key = it->first;
      }
    }
  }
  ret.is_truncated = more && !done;
  if (ret.is_truncated) ret.marker = start_after_entry_key;
  // Upstream returns -EFBIG (RGWBIAdvanceAndRetryError) along with this
  // output when truncated with no entries; we return OK with the same
  // output: callers continue from `marker` in both cases.
  EncodeOutput(ret, out);
  return Status::OK();
}

Status BiGet(ClsContext& ctx, const std::string& in, std::string* out) {
  BiGetOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  BiGetRet ret;
  switch (op.type) {
    case kBiPlain: ret.entry.idx = op.key.name; break;
    case kBiInstance: ret.entry.idx = ObjIndexKey(op.key); break;
    case kBiOlh: ret.entry.idx = OlhKey(op.key.name); break;
    default: return Status::Invalid("bad bi entry type");
  }
  ret.entry.type = op.type;
  auto v = ctx.OmapGet(ret.entry.idx);
  if (!v.ok()) return v.status();
  ret.entry.data = std::move(*v);
  EncodeOutput(ret, out);
  return Status::OK();
}

Status BiPut(ClsContext& ctx, const std::string& in, std::string*) {
  BiPutOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  return ctx.OmapSet(op.entry.idx, op.entry.data);
}

// list_plain_entries_help: plain entries after `start_after`, before
// `end_key` (exclusive, "" = none), of object `name_filter` if given.
Status ListPlainHelp(ClsContext& ctx, const std::string& name_filter,
                     const std::string& start_after, const std::string& end_key, uint32_t max,
                     std::list<BiEntry>* entries, uint32_t* count, bool* end_key_reached,
                     bool* more) {
  *count = 0;
  *end_key_reached = false;
  auto raw = ctx.OmapGetVals(start_after, name_filter, max, more);
  if (!raw.ok()) return raw.status();
  for (auto& [k, v] : *raw) {
    if (!end_key.empty() && k >= end_key) {
      *end_key_reached = true;
      *more = false;
      return Status::OK();
    }
    DirEntry e;
    if (!DecodeFromString(v, e).ok()) return Status::IOError("corrupt plain entry");
    if (!name_filter.empty() && e.key.name > name_filter) {
      *more = false;
      *end_key_reached = true;
      return Status::OK();
    }
    entries->push_back(BiEntry{kBiPlain, k, v});
    if (++*count >= max) return Status::OK();
  }
  return Status::OK();
}

enum class Region { kLow, kBoth, kHigh };

Status ListPlain(ClsContext& ctx, const std::string& name_filter, const std::string& marker,
                 uint32_t max, std::list<BiEntry>* entries, bool* pmore, Region region,
                 uint32_t* added) {
  size_t start_size = entries->size();
  bool end_reached = false, more = false;
  uint32_t r = 0;
  if (region <= Region::kBoth && marker < kPrefixBegin) {
    Status s = ListPlainHelp(ctx, name_filter, marker, kPrefixBegin, max, entries, &r,
                             &end_reached, &more);
    if (!s.ok()) return s;
    if (r >= max || !end_reached || (!more && region == Region::kLow)) {
      *pmore = more;
      *added = static_cast<uint32_t>(entries->size() - start_size);
      return Status::OK();
    }
    max -= r;
  }
  if (region >= Region::kBoth) {
    Status s = ListPlainHelp(ctx, name_filter, std::max(marker, kPrefixEnd), "", max, entries,
                             &r, &end_reached, &more);
    if (!s.ok()) return s;
  }
  *pmore = more;
  *added = static_cast<uint32_t>(entries->size() - start_size);
  return Status::OK();
}

// bi_entry_gt: namespace order first (plain < bilog < instance < olh), then bytes.
int EntryRank(const std::string& s) {
  if (IsPlainKey(s)) return 0;
  static const char* prefixes[] = {"0_", "1000_", "1001_", "9999_"};
  for (int i = 0; i < 4; ++i) {
    if (s.compare(1, strlen(prefixes[i]), prefixes[i]) == 0) return i + 1;
  }
  return -1;
}
bool EntryGt(const std::string& a, const std::string& b) {
  int ra = EntryRank(a), rb = EntryRank(b);
  if (ra != rb) return ra > rb;
  return a > b;
}

// list_instance_entries / list_olh_entries: one special namespace.
Status ListSpecial(ClsContext& ctx, uint8_t type, const std::string& name,
                   const std::string& marker, uint32_t max, std::list<BiEntry>* entries,
                   bool* pmore, uint32_t* count) {
  *count = 0;
  std::string first = type == kBiInstance ? InstanceKey(ObjKey(name)) : OlhKey(name);
  std::string start_after =
      name.empty() ? (type == kBiInstance ? InstancePrefix() : OlhPrefix()) : first;
  const std::string filter = start_after;
  if (EntryGt(marker, start_after)) start_after = marker;
  if (max == 0) return Status::OK();
  KeyMap keys;
  // Upstream includes the start key itself when it exists (the null
  // instance of `name`, or the marker).
  auto k = ctx.OmapGet(start_after);
  if (!k.ok() && !k.status().IsNotFound()) return k.status();
  bool found_first = k.ok();
  if (found_first) --max;
  if (max > 0) {
    auto r = ctx.OmapGetVals(start_after, "", max, pmore);
    if (!r.ok()) return r.status();
    keys = std::move(*r);
  }
  if (found_first) keys[start_after] = std::move(*k);
  for (auto& [idx, data] : keys) {
    if (!filter.empty() && idx.compare(0, filter.size(), filter) != 0) {
      *pmore = false;
      return Status::OK();
    }
    std::string entry_name;
    if (type == kBiInstance) {
      DirEntry e;
      if (!DecodeFromString(data, e).ok()) return Status::IOError("corrupt instance entry");
      entry_name = e.key.name;
    } else {
      OlhEntry e;
      if (!DecodeFromString(data, e).ok()) return Status::IOError("corrupt olh entry");
      entry_name = e.key.name;
    }
    if (!name.empty() && entry_name != name) {
      *pmore = false;
      return Status::OK();
    }
    entries->push_back(BiEntry{type, idx, data});
    ++*count;
  }
  return Status::OK();
}

Status BiList(ClsContext& ctx, const std::string& in, std::string* out) {
  BiListOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  const uint32_t max = std::min<uint32_t>(op.max, 1000);
  BiListRet ret;
  bool more = false;
  uint32_t count = 0, n = 0;
  Status s = ListPlain(ctx, op.name_filter, op.marker, max, &ret.entries, &more, Region::kLow, &n);
  if (!s.ok()) return s;
  count = n;
  if (!more) {
    s = ListSpecial(ctx, kBiInstance, op.name_filter, op.marker, max - count, &ret.entries, &more,
                    &n);
    if (!s.ok()) return s;
    count += n;
  }
  if (!more) {
    s = ListSpecial(ctx, kBiOlh, op.name_filter, op.marker, max - count, &ret.entries, &more, &n);
    if (!s.ok()) return s;
    count += n;
  }
  if (!more) {
    s = ListPlain(ctx, op.name_filter, op.marker, max - count, &ret.entries, &more, Region::kHigh,
                  &n);
    if (!s.ok()) return s;
    count += n;
  }
  ret.is_truncated = count > max || more;
  while (count > max) {
    ret.entries.pop_back();
    --count;
  }
  EncodeOutput(ret, out);
  return Status::OK();
}

Status BiLogList(ClsContext& ctx, const std::string& in, std::string* out) {
  BiLogListOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  BiLogListRet ret;
  std::string start = BilogPrefix() + op.marker;
  const std::string end_key = InstancePrefix();  // first key past the bilog namespace
  auto r = ctx.OmapGetVals(start, "", op.max, &ret.truncated);
  if (!r.ok()) return r.status();
  for (auto& [k, v] : *r) {
    if (k > end_key) {
      ret.truncated = false;
      break;
    }
    BiLogEntry e;
    if (!DecodeFromString(v, e).ok()) return Status::IOError("corrupt bilog entry");
    ret.entries.push_back(std::move(e));
  }
  EncodeOutput(ret, out);
  return Status::OK();
}

// bi_log_trim removes bilog keys in [first after start_marker, end_marker];
// NotFound (upstream -ENODATA) when nothing is left to trim.
Status BiLogTrim(ClsContext& ctx, const std::string& in, std::string*) {
  BiLogTrimOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  std::string begin = BilogPrefix() + op.start_marker;
  std::string end = op.end_marker.empty() ? InstancePrefix()
                                          : BilogPrefix() + op.end_marker + std::string(1, '\0');
  bool more = false;
  auto first = ctx.OmapGetVals(begin, "", 1, &more);
  if (!first.ok()) return first.status();
  if (first->empty() || end < first->begin()->first) return Status::NotFound("nothing to trim");
  std::string cursor = first->begin()->first;
  if (Status s = ctx.OmapRm(cursor); !s.ok()) return s;
  while (true) {
    auto batch = ctx.OmapGetVals(cursor, "", 1000, &more);
    if (!batch.ok()) return batch.status();
    bool stop = batch->empty();
    for (auto& [k, v] : *batch) {
      if (k >= end) {
        stop = true;
        break;
      }
      if (Status s = ctx.OmapRm(k); !s.ok()) return s;
      cursor = k;
    }
    if (stop || !more) break;
  }
  return Status::OK();
}

}  // namespace

void RegisterListMethods(ClsRegistry& r) {
  r.Register("rgw", "bucket_list", BucketList);
  r.Register("rgw", "bi_get", BiGet);
  r.Register("rgw", "bi_put", BiPut);
  r.Register("rgw", "bi_list", BiList);
  r.Register("rgw", "bi_log_list", BiLogList);
  r.Register("rgw", "bi_log_trim", BiLogTrim);
}

}  // namespace kelp::store::cls::rgw
