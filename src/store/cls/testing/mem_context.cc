#include "store/cls/testing/mem_context.h"

namespace kelp::store::cls::testing {

Status MemContext::Mutate() {
  if (read_only_) return Status::Invalid("write in a read-only class call");
  obj_->exists = true;
  wrote_ = true;
  return Status::OK();
}

Result<ObjectStat> MemContext::Stat() {
  if (!obj_->exists) return Status::NotFound("no such object");
  ObjectStat st;
  st.size = obj_->data.size();
  st.mtime = obj_->mtime;
  st.version = obj_->version;
  return st;
}

Status MemContext::Create(bool exclusive) {
  if (exclusive && obj_->exists) return Status::Exists("object exists");
  return Mutate();
}

Status MemContext::Remove() {
  if (!obj_->exists) return Status::NotFound("no such object");
  if (Status s = Mutate(); !s.ok()) return s;
  uint64_t v = obj_->version;
  *obj_ = MemObject();
  obj_->version = v;
  return Status::OK();
}

Result<std::string> MemContext::Read(uint64_t off, uint64_t len) {
  if (!obj_->exists) return Status::NotFound("no such object");
  if (off >= obj_->data.size()) return std::string();
  return obj_->data.substr(off, len == 0 ? std::string::npos : len);
}

Status MemContext::WriteFull(std::string data) {
  if (Status s = Mutate(); !s.ok()) return s;
  obj_->data = std::move(data);
  return Status::OK();
}

Result<std::string> MemContext::GetXattr(const std::string& name) {
  if (!obj_->exists) return Status::NotFound("no such object");
  auto it = obj_->xattrs.find(name);
  if (it == obj_->xattrs.end()) return Status::NotFound("no such xattr");
  return it->second;
}

Result<std::map<std::string, std::string>> MemContext::GetXattrs() {
  if (!obj_->exists) return Status::NotFound("no such object");
  return obj_->xattrs;
}

Status MemContext::SetXattr(const std::string& name, std::string value) {
  if (Status s = Mutate(); !s.ok()) return s;
  obj_->xattrs[name] = std::move(value);
  return Status::OK();
}

Status MemContext::RmXattr(const std::string& name) {
  if (Status s = Mutate(); !s.ok()) return s;
  obj_->xattrs.erase(name);
  return Status::OK();
}

Result<std::string> MemContext::OmapGetHeader() { return obj_->omap_header; }

Status MemContext::OmapSetHeader(std::string header) {
  if (Status s = Mutate(); !s.ok()) return s;
  obj_->omap_header = std::move(header);
  return Status::OK();
}

Result<std::string> MemContext::OmapGet(const std::string& key) {
  auto it = obj_->omap.find(key);
  if (it == obj_->omap.end()) return Status::NotFound("no such omap key");
  return it->second;
}

Result<std::map<std::string, std::string>> MemContext::OmapGetVals(
    const std::string& start_after, const std::string& prefix, uint64_t max, bool* more) {
  std::map<std::string, std::string> out;
  auto it = obj_->omap.upper_bound(start_after);
  if (start_after < prefix) it = obj_->omap.lower_bound(prefix);
  bool m = false;
  for (; it != obj_->omap.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    if (out.size() >= max) {
      m = true;
      break;
    }
    out.emplace(it->first, it->second);
  }
  if (more) *more = m;
  return out;
}

Status MemContext::OmapSet(const std::string& key, std::string value) {
  if (Status s = Mutate(); !s.ok()) return s;
  obj_->omap[key] = std::move(value);
  return Status::OK();
}

Status MemContext::OmapRm(const std::string& key) {
  if (Status s = Mutate(); !s.ok()) return s;
  obj_->omap.erase(key);
  return Status::OK();
}

Status Exec(MemObject& obj, const std::string& cls, const std::string& method,
            const std::string& in, std::string* out, CephTime now, bool read_only) {
  RegisterBuiltinClasses();
  const ClsMethod* fn = ClsRegistry::Instance().Find(cls, method);
  if (!fn) return Status(Code::kNotImplemented, cls + "." + method);
  MemObject copy = obj;
  MemContext ctx(&copy, now, read_only);
  std::string result;
  Status s = (*fn)(ctx, in, &result);
  if (!s.ok()) return s;
  if (ctx.wrote()) {
    copy.version = obj.version + 1;
    if (copy.exists) copy.mtime = now;
    obj = std::move(copy);
  }
  if (out) *out = std::move(result);
  return Status::OK();
}

}  // namespace kelp::store::cls::testing
