#include "store/cls/version/methods.h"

#include "base/crypto.h"
#include "store/cls/version/types.h"

namespace kelp::store::cls::version {
namespace {

template <typename T>
Status DecodeInput(const std::string& in, T* op) {
  if (!DecodeFromString(in, *op).ok()) return Status::Invalid("cannot decode input");
  return Status::OK();
}

// read_version: a missing xattr reads as ver 0; writers (implicit_create)
// then start from a fresh random 24-character tag.
Status ReadVersion(ClsContext& ctx, bool implicit_create, ObjVersion* v) {
  *v = ObjVersion();
  auto x = ctx.GetXattr(kVersionXattr);
  if (!x.ok()) {
    if (!x.status().IsNotFound()) return x.status();
    if (implicit_create) v->tag = Base64Encode(RandomBytes(18));  // 24 chars
    return Status::OK();
  }
  if (!DecodeFromString(*x, *v).ok()) return Status::IOError("corrupt " + std::string(kVersionXattr));
  return Status::OK();
}

Status SetVersion(ClsContext& ctx, const ObjVersion& v) {
  return ctx.SetXattr(kVersionXattr, EncodeToString(v));
}

Status Set(ClsContext& ctx, const std::string& in, std::string*) {
  SetOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  return SetVersion(ctx, op.objv);
}

Status Inc(ClsContext& ctx, const std::string& in, std::string*) {
  IncOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  ObjVersion v;
  if (Status s = ReadVersion(ctx, true, &v); !s.ok()) return s;
  if (!CheckConds(v, op.conds)) return Status::Canceled("object version condition failed");
  v.ver++;
  return SetVersion(ctx, v);
}

Status Read(ClsContext& ctx, const std::string&, std::string* out) {
  ReadRet ret;
  if (Status s = ReadVersion(ctx, false, &ret.objv); !s.ok()) return s;
  if (out) *out = EncodeToString(ret);
  return Status::OK();
}

Status Check(ClsContext& ctx, const std::string& in, std::string*) {
  CheckOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  ObjVersion v;
  if (Status s = ReadVersion(ctx, false, &v); !s.ok()) return s;
  if (!CheckConds(v, op.conds)) return Status::Canceled("object version condition failed");
  return Status::OK();
}

}  // namespace

void RegisterMethods(ClsRegistry& r) {
  r.Register("version", "set", Set);
  r.Register("version", "inc", Inc);
  r.Register("version", "inc_conds", Inc);  // upstream registers the same function
  r.Register("version", "read", Read);
  r.Register("version", "check_conds", Check);
}

}  // namespace kelp::store::cls::version
