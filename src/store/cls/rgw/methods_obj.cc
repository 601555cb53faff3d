// `rgw` methods run on head objects in the data pool: obj_remove,
// obj_store_pg_ver, obj_check_attrs_prefix, obj_check_mtime (cls_rgw.cc).
#include "store/cls/rgw/index_io.h"

namespace kelp::store::cls::rgw {
namespace {

// Removes the object but keeps the xattrs with the given prefixes (radosgw
// keeps e.g. "user.rgw.olh" state when deleting an OLH's data).
Status ObjRemove(ClsContext& ctx, const std::string& in, std::string*) {
  ObjRemoveOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  if (op.keep_attr_prefixes.empty()) return ctx.Remove();
  std::map<std::string, std::string> attrs;
  auto all = ctx.GetXattrs();
  if (!all.ok() && !all.status().IsNotFound()) return all.status();
  if (all.ok()) attrs = std::move(*all);
  std::map<std::string, std::string> keep;
  for (const auto& prefix : op.keep_attr_prefixes) {
    for (auto it = attrs.lower_bound(prefix); it != attrs.end(); ++it) {
      if (it->first.compare(0, prefix.size(), prefix) != 0) break;
      keep[it->first] = it->second;
    }
  }
  if (Status s = ctx.Remove(); !s.ok()) return s;
  if (keep.empty()) return Status::OK();
  if (Status s = ctx.Create(false); !s.ok()) return s;
  for (auto& [name, value] : keep) {
    if (Status s = ctx.SetXattr(name, value); !s.ok()) return s;
  }
  return Status::OK();
}

// Stores the object's version (u64) in xattr `attr` ("user.rgw.pg_ver").
Status StorePgVer(ClsContext& ctx, const std::string& in, std::string*) {
  StorePgVerOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  return ctx.SetXattr(op.attr, EncodeToString(ctx.CurrentVersion()));
}

Status CheckAttrsPrefix(ClsContext& ctx, const std::string& in, std::string*) {
  CheckAttrsPrefixOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  if (op.check_prefix.empty()) return Status::Invalid("empty prefix");
  bool exist = false;
  auto all = ctx.GetXattrs();
  if (!all.ok() && !all.status().IsNotFound()) return all.status();
  if (all.ok()) {
    auto it = all->lower_bound(op.check_prefix);
    exist = it != all->end() && it->first.compare(0, op.check_prefix.size(), op.check_prefix) == 0;
  }
  if (exist == op.fail_if_exist) return Status::Canceled("attrs prefix check failed");
  return Status::OK();
}

// Compares the object's mtime (zero if absent) with the given one; whole
// seconds unless high_precision_time.
Status CheckMtime(ClsContext& ctx, const std::string& in, std::string*) {
  CheckMtimeOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  CephTime obj;
  auto st = ctx.Stat();
  if (st.ok()) {
    obj = st->mtime;
  } else if (!st.status().IsNotFound()) {
    return st.status();
  }
  CephTime want = op.mtime;
  if (!op.high_precision_time) {
    obj.nsec = 0;
    want.nsec = 0;
  }
  bool check;
  switch (op.type) {
    case kMtimeEq: check = obj == want; break;
    case kMtimeLt: check = obj < want; break;
    case kMtimeLe: check = obj <= want; break;
    case kMtimeGt: check = obj > want; break;
    case kMtimeGe: check = obj >= want; break;
    default: return Status::Invalid("bad mtime check type");
  }
  return check ? Status::OK() : Status::Canceled("mtime check failed");
}

}  // namespace

void RegisterObjMethods(ClsRegistry& r) {
  r.Register("rgw", "obj_remove", ObjRemove);
  r.Register("rgw", "obj_store_pg_ver", StorePgVer);
  r.Register("rgw", "obj_check_attrs_prefix", CheckAttrsPrefix);
  r.Register("rgw", "obj_check_mtime", CheckMtime);
}

}  // namespace kelp::store::cls::rgw
