#include "store/cls/refcount/methods.h"

#include "store/cls/refcount/types.h"

namespace kelp::store::cls::refcount {
namespace {

template <typename T>
Status DecodeInput(const std::string& in, T* op) {
  if (!DecodeFromString(in, *op).ok()) return Status::Invalid("cannot decode input");
  return Status::OK();
}

// NotFound if the object is missing; no xattr = the implicit reference
// when the caller counts it.
Status ReadRefcount(ClsContext& ctx, bool implicit_ref, ObjRefcount* r) {
  *r = ObjRefcount();
  if (!ctx.Exists()) return Status::NotFound("no such object");
  auto x = ctx.GetXattr(kRefcountXattr);
  if (!x.ok()) {
    if (!x.status().IsNotFound()) return x.status();
    if (implicit_ref) r->refs[kWildcardTag] = true;
    return Status::OK();
  }
  if (!DecodeFromString(*x, *r).ok()) return Status::IOError("corrupt refcount");
  return Status::OK();
}

Status Get(ClsContext& ctx, const std::string& in, std::string*) {
  GetOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  ObjRefcount r;
  if (Status s = ReadRefcount(ctx, op.implicit_ref, &r); !s.ok()) return s;
  r.refs[op.tag] = true;
  return ctx.SetXattr(kRefcountXattr, EncodeToString(r));
}

Status Put(ClsContext& ctx, const std::string& in, std::string*) {
  PutOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  ObjRefcount r;
  if (Status s = ReadRefcount(ctx, op.implicit_ref, &r); !s.ok()) return s;
  if (r.refs.empty()) return Status::Invalid("put without references");
  auto it = r.refs.find(op.tag);
  if (it == r.refs.end() && op.implicit_ref) it = r.refs.find(kWildcardTag);
  // Unknown or already retired tags are no-ops (replayed gc puts).
  if (it == r.refs.end() || r.retired_refs.count(op.tag)) return Status::OK();
  r.retired_refs.insert(op.tag);
  r.refs.erase(it);
  if (r.refs.empty()) return ctx.Remove();
  return ctx.SetXattr(kRefcountXattr, EncodeToString(r));
}

Status Set(ClsContext& ctx, const std::string& in, std::string*) {
  SetOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  if (op.refs.empty()) return ctx.Remove();
  ObjRefcount r;
  for (const auto& t : op.refs) r.refs[t] = true;
  return ctx.SetXattr(kRefcountXattr, EncodeToString(r));
}

Status Read(ClsContext& ctx, const std::string& in, std::string* out) {
  ReadOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  ObjRefcount r;
  if (Status s = ReadRefcount(ctx, op.implicit_ref, &r); !s.ok()) return s;
  ReadRet ret;
  for (const auto& [t, v] : r.refs) ret.refs.push_back(t);
  if (out) *out = EncodeToString(ret);
  return Status::OK();
}

}  // namespace

void RegisterMethods(ClsRegistry& r) {
  r.Register("refcount", "get", Get);
  r.Register("refcount", "put", Put);
  r.Register("refcount", "set", Set);
  r.Register("refcount", "read", Read);
}

}  // namespace kelp::store::cls::refcount
