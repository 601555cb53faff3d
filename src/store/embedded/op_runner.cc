#include "store/embedded/op_runner.h"

#include "store/cls/cls.h"
#include "store/embedded/cls_context.h"

namespace kelp::store::embedded {

namespace {

using T = OpStep::Type;

bool IsWrite(T t) {
  switch (t) {
    case T::kCreate:
    case T::kRemove:
    case T::kWriteFull:
    case T::kWrite:
    case T::kAppend:
    case T::kTruncate:
    case T::kZero:
    case T::kSetXattr:
    case T::kRmXattr:
    case T::kOmapSet:
    case T::kOmapRmKeys:
    case T::kOmapClear:
    case T::kOmapSetHeader:
    case T::kSetMtime:
      return true;
    default:
      return false;
  }
}

bool Compare(CmpOp op, int c) {
  switch (op) {
    case CmpOp::kEq:
      return c == 0;
    case CmpOp::kNe:
      return c != 0;
    case CmpOp::kGt:
      return c > 0;
    case CmpOp::kGte:
      return c >= 0;
    case CmpOp::kLt:
      return c < 0;
    case CmpOp::kLte:
      return c <= 0;
  }
  return false;
}

Status Missing(const StagedObject& obj) { return Status::NotFound(obj.name() + " does not exist"); }

Status RunStep(StagedObject& obj, const OpStep& s, const OpEnv& env) {
  if (env.read_only && IsWrite(s.type)) {
    return Status::Invalid("write step in a read op on " + obj.name());
  }
  switch (s.type) {
    case T::kAssertExists:
      return obj.exists() ? Status::OK() : Missing(obj);
    case T::kCreate:
      return obj.Create(s.exclusive);
    case T::kCmpXattr: {
      if (!obj.exists()) return Missing(obj);  // an OSD answers ENOENT, not a comparison
      ASSIGN_OR_RETURN(auto stored, obj.GetXattr(s.name));
      std::string_view have = stored ? std::string_view(*stored) : std::string_view();
      if (!Compare(s.cmp, std::string_view(s.data).compare(have))) {
        return Status::Canceled("xattr " + s.name + " comparison failed on " + obj.name());
      }
      return Status::OK();
    }
    case T::kRemove:
      if (!obj.exists() && s.failok) return Status::OK();
      return obj.Remove();
    case T::kWriteFull:
      return obj.WriteFull(s.data);
    case T::kWrite:
      return obj.Write(s.off, s.data);
    case T::kAppend:
      return obj.Append(s.data);
    case T::kTruncate:
      return obj.Truncate(s.off);
    case T::kZero:
      return obj.Zero(s.off, s.len);
    case T::kSetXattr:
      obj.SetXattr(s.name, s.data);
      return Status::OK();
    case T::kRmXattr:
      if (!obj.exists()) return Missing(obj);  // as an OSD: ENOENT, nothing created
      obj.RmXattr(s.name);
      return Status::OK();
    case T::kOmapSet:
      for (const auto& [k, v] : s.kv) obj.OmapSet(k, v);
      if (s.kv.empty()) return obj.Create(false);
      return Status::OK();
    case T::kOmapRmKeys:
      if (!obj.exists()) return Missing(obj);
      for (const auto& k : s.keys) obj.OmapRm(k);
      return Status::OK();
    case T::kOmapClear:
      if (!obj.exists()) return Missing(obj);
      obj.OmapClear();
      return Status::OK();
    case T::kOmapSetHeader:
      obj.OmapSetHeader(s.data);
      return Status::OK();
    case T::kSetMtime:
      obj.SetMtime(s.mtime);
      return Status::OK();

    case T::kStat:
      if (!obj.exists()) return Missing(obj);
      if (s.out_stat) {
        const ObjectRecord& r = obj.record();
        *s.out_stat = ObjectStat{r.size, r.mtime, r.version};
      }
      return Status::OK();
    case T::kRead: {
      if (!obj.exists()) return Missing(obj);
      ASSIGN_OR_RETURN(std::string data, obj.Read(s.off, s.len));
      if (s.out_data) *s.out_data = std::move(data);
      return Status::OK();
    }
    case T::kGetXattr: {
      if (!obj.exists()) return Missing(obj);
      ASSIGN_OR_RETURN(auto v, obj.GetXattr(s.name));
      if (!v) return Status::NotFound("xattr " + s.name + " not found on " + obj.name());
      if (s.out_data) *s.out_data = std::move(*v);
      return Status::OK();
    }
    case T::kGetXattrs: {
      if (!obj.exists()) return Missing(obj);
      ASSIGN_OR_RETURN(auto all, obj.GetXattrs());
      if (s.out_map) *s.out_map = std::move(all);
      return Status::OK();
    }
    case T::kOmapGetHeader: {
      if (!obj.exists()) return Missing(obj);
      ASSIGN_OR_RETURN(std::string h, obj.OmapGetHeader());
      if (s.out_data) *s.out_data = std::move(h);
      return Status::OK();
    }
    case T::kOmapGetVals:
    case T::kOmapGetKeys: {
      if (!obj.exists()) return Missing(obj);
      bool more = false;
      const std::string& prefix = s.type == T::kOmapGetVals ? s.name2 : std::string();
      ASSIGN_OR_RETURN(auto vals, obj.OmapGetVals(s.name, prefix, s.max, &more));
      if (s.type == T::kOmapGetKeys) {
        for (auto& [k, v] : vals) v.clear();
      }
      if (s.out_map) *s.out_map = std::move(vals);
      if (s.out_more) *s.out_more = more;
      return Status::OK();
    }
    case T::kOmapGetValsByKeys: {
      if (!obj.exists()) return Missing(obj);
      std::map<std::string, std::string> out;
      for (const auto& k : s.keys) {
        ASSIGN_OR_RETURN(auto v, obj.OmapGet(k));
        if (v) out.emplace(k, std::move(*v));
      }
      if (s.out_map) *s.out_map = std::move(out);
      return Status::OK();
    }

    case T::kExec: {
      const cls::ClsMethod* method = cls::ClsRegistry::Instance().Find(s.name, s.name2);
      if (!method) {
        return Status(Code::kNotImplemented,
                      "class " + s.name + " method " + s.name2 + " not found");
      }
      StagedClsContext ctx(&obj, env.read_only, env.version, env.now);
      std::string out;
      RETURN_IF_ERROR((*method)(ctx, s.data, &out));
      if (s.out_data) *s.out_data = std::move(out);
      return Status::OK();
    }
  }
  return Status::Invalid("unknown op step type " + std::to_string(static_cast<int>(s.type)));
}

}  // namespace

Status RunSteps(StagedObject& obj, const std::vector<OpStep>& steps, const OpEnv& env) {
  for (const OpStep& s : steps) {
    Status st = RunStep(obj, s, env);
    if (s.out_status) *s.out_status = st;
    if (!st.ok()) return st;
  }
  return Status::OK();
}

}  // namespace kelp::store::embedded
