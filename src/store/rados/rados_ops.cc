#include "store/rados/rados_ops.h"

#include "store/rados/rados_errors.h"

namespace kelp::store::rados {

namespace {

using T = OpStep::Type;
using librados::bufferlist;

bufferlist Bl(const std::string& s) {
  bufferlist bl;
  bl.append(s.data(), s.size());
  return bl;
}

// LIBRADOS_CMPXATTR_OP_* have the values of our CmpOp (EQ=1 .. LTE=6), and
// the OSD compares (given, stored) in the same order our contract states.
uint8_t CmpCode(CmpOp op) {
  switch (op) {
    case CmpOp::kEq:
      return LIBRADOS_CMPXATTR_OP_EQ;
    case CmpOp::kNe:
      return LIBRADOS_CMPXATTR_OP_NE;
    case CmpOp::kGt:
      return LIBRADOS_CMPXATTR_OP_GT;
    case CmpOp::kGte:
      return LIBRADOS_CMPXATTR_OP_GTE;
    case CmpOp::kLt:
      return LIBRADOS_CMPXATTR_OP_LT;
    case CmpOp::kLte:
      return LIBRADOS_CMPXATTR_OP_LTE;
  }
  return LIBRADOS_CMPXATTR_OP_EQ;
}

// max = 0 means "all" in our interface; the OSD caps the answer at
// osd_max_omap_entries_per_request and reports more=true past it.
uint64_t OmapMax(uint64_t max) { return max ? max : UINT64_MAX; }

std::string StepName(T t) { return "step " + std::to_string(static_cast<int>(t)); }

}  // namespace

Status BuildWrite(const WriteOp& op, OpState* st) {
  const auto& steps = op.steps();
  st->outs.resize(steps.size());
  st->inputs.reserve(steps.size());
  st->flags = librados::OPERATION_FULL_TRY;  // a full cluster answers ENOSPC, no client stall
  librados::ObjectWriteOperation& w = st->wop;
  for (size_t i = 0; i < steps.size(); ++i) {
    const OpStep& s = steps[i];
    StepOut& o = st->outs[i];
    switch (s.type) {
      case T::kAssertExists:
        w.assert_exists();
        break;
      case T::kCreate:
        w.create(s.exclusive);
        break;
      case T::kCmpXattr:
        w.cmpxattr(s.name.c_str(), CmpCode(s.cmp), Bl(s.data));
        break;
      case T::kRemove:
        w.remove();
        if (s.failok) w.set_op_flags2(librados::OP_FAILOK);
        break;
      case T::kWriteFull:
        w.write_full(Bl(s.data));
        break;
      case T::kWrite:
        w.write(s.off, Bl(s.data));
        break;
      case T::kAppend:
        w.append(Bl(s.data));
        break;
      case T::kTruncate:
        w.truncate(s.off);
        break;
      case T::kZero:
        w.zero(s.off, s.len);
        break;
      case T::kSetXattr:
        w.setxattr(s.name.c_str(), Bl(s.data));
        break;
      case T::kRmXattr:
        w.rmxattr(s.name.c_str());
        break;
      case T::kOmapSet: {
        std::map<std::string, bufferlist> kv;
        for (const auto& [k, v] : s.kv) kv.emplace(k, Bl(v));
        w.omap_set(kv);
        break;
      }
      case T::kOmapRmKeys:
        w.omap_rm_keys(s.keys);
        break;
      case T::kOmapClear:
        w.omap_clear();
        break;
      case T::kOmapSetHeader:
        w.omap_set_header(Bl(s.data));
        break;
      case T::kSetMtime:
        st->mtime.tv_sec = s.mtime.sec;
        st->mtime.tv_nsec = s.mtime.nsec;
        w.mtime2(&st->mtime);
        break;
      case T::kExec:
        st->inputs.push_back(Bl(s.data));
        // Write ops return class output only when asked to (RETURNVEC).
        if (s.out_data) st->flags |= librados::OPERATION_RETURNVEC;
        w.exec(s.name.c_str(), s.name2.c_str(), st->inputs.back(), &o.bl, &o.rval);
        break;
      default:
        return Status::Invalid("read " + StepName(s.type) + " in a write op");
    }
  }
  return Status::OK();
}

Status BuildRead(const ReadOp& op, OpState* st) {
  const auto& steps = op.steps();
  st->outs.resize(steps.size());
  st->inputs.reserve(steps.size());
  librados::ObjectReadOperation& r = st->rop;
  for (size_t i = 0; i < steps.size(); ++i) {
    const OpStep& s = steps[i];
    StepOut& o = st->outs[i];
    switch (s.type) {
      case T::kAssertExists:
        r.assert_exists();
        break;
      case T::kCmpXattr:
        r.cmpxattr(s.name.c_str(), CmpCode(s.cmp), Bl(s.data));
        break;
      case T::kStat:
        r.stat2(&o.size, &o.ts, &o.rval);
        break;
      case T::kRead:
        r.read(s.off, s.len, &o.bl, &o.rval);
        break;
      case T::kGetXattr:
        r.getxattr(s.name.c_str(), &o.bl, &o.rval);
        break;
      case T::kGetXattrs:
        r.getxattrs(&o.attrs, &o.rval);
        break;
      case T::kOmapGetHeader:
        r.omap_get_header(&o.bl, &o.rval);
        break;
      case T::kOmapGetVals:
        r.omap_get_vals2(s.name, s.name2, OmapMax(s.max), &o.attrs, &o.more, &o.rval);
        break;
      case T::kOmapGetKeys:
        r.omap_get_keys2(s.name, OmapMax(s.max), &o.keys, &o.more, &o.rval);
        break;
      case T::kOmapGetValsByKeys:
        r.omap_get_vals_by_keys(s.keys, &o.attrs, &o.rval);
        break;
      case T::kExec:
        st->inputs.push_back(Bl(s.data));
        r.exec(s.name.c_str(), s.name2.c_str(), st->inputs.back(), &o.bl, &o.rval);
        break;
      default:
        return Status::Invalid("write " + StepName(s.type) + " in a read op");
    }
  }
  return Status::OK();
}

Status FinishOp(const std::vector<OpStep>& steps, OpState& st, int r, uint64_t version,
                const std::string& what) {
  Status whole = FromRados(r, what);
  // Per-step statuses: the steps up to the first one that failed, as the
  // embedded engine reports them (later steps did not run).
  for (size_t i = 0; i < steps.size(); ++i) {
    const OpStep& s = steps[i];
    int rv = st.outs[i].rval;
    if (rv < 0) {
      if (s.out_status) *s.out_status = FromRados(rv, what);
      break;
    }
    if (s.out_status && whole.ok()) *s.out_status = Status::OK();
  }
  if (!whole.ok()) return whole;
  for (size_t i = 0; i < steps.size(); ++i) {
    const OpStep& s = steps[i];
    StepOut& o = st.outs[i];
    switch (s.type) {
      case T::kStat:
        if (s.out_stat) {
          s.out_stat->size = o.size;
          s.out_stat->mtime = CephTime{static_cast<uint32_t>(o.ts.tv_sec),
                                       static_cast<uint32_t>(o.ts.tv_nsec)};
          s.out_stat->version = version;
        }
        break;
      case T::kRead:
      case T::kGetXattr:
      case T::kOmapGetHeader:
      case T::kExec:
        if (s.out_data) *s.out_data = o.bl.to_str();
        break;
      case T::kGetXattrs:
      case T::kOmapGetVals:
      case T::kOmapGetValsByKeys:
        if (s.out_map) {
          s.out_map->clear();
          for (auto& [k, v] : o.attrs) s.out_map->emplace(k, v.to_str());
        }
        if (s.out_more) *s.out_more = o.more;
        break;
      case T::kOmapGetKeys:
        if (s.out_map) {
          s.out_map->clear();
          for (const auto& k : o.keys) s.out_map->emplace(k, std::string());
        }
        if (s.out_more) *s.out_more = o.more;
        break;
      default:
        break;
    }
  }
  return Status::OK();
}

}  // namespace kelp::store::rados
