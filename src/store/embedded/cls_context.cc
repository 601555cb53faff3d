#include "store/embedded/cls_context.h"

namespace kelp::store::embedded {

Status StagedClsContext::CheckWritable() const {
  if (read_only_) return Status::Invalid("object class wrote to " + obj_->name() + " in a read op");
  return Status::OK();
}

Status StagedClsContext::CheckExists() const {
  if (!obj_->exists()) return Status::NotFound(obj_->name() + " does not exist");
  return Status::OK();
}

bool StagedClsContext::Exists() { return obj_->exists(); }

Result<ObjectStat> StagedClsContext::Stat() {
  RETURN_IF_ERROR(CheckExists());
  const ObjectRecord& r = obj_->record();
  return ObjectStat{r.size, r.mtime, r.version};
}

Status StagedClsContext::Create(bool exclusive) {
  RETURN_IF_ERROR(CheckWritable());
  return obj_->Create(exclusive);
}

Status StagedClsContext::Remove() {
  RETURN_IF_ERROR(CheckWritable());
  return obj_->Remove();
}

Result<std::string> StagedClsContext::Read(uint64_t off, uint64_t len) {
  RETURN_IF_ERROR(CheckExists());
  return obj_->Read(off, len);
}

Status StagedClsContext::WriteFull(std::string data) {
  RETURN_IF_ERROR(CheckWritable());
  return obj_->WriteFull(std::move(data));
}

Result<std::string> StagedClsContext::GetXattr(const std::string& name) {
  RETURN_IF_ERROR(CheckExists());
  ASSIGN_OR_RETURN(auto v, obj_->GetXattr(name));
  if (!v) return Status::NotFound("xattr " + name + " not found on " + obj_->name());
  return std::move(*v);
}

Result<std::map<std::string, std::string>> StagedClsContext::GetXattrs() {
  RETURN_IF_ERROR(CheckExists());
  return obj_->GetXattrs();
}

Status StagedClsContext::SetXattr(const std::string& name, std::string value) {
  RETURN_IF_ERROR(CheckWritable());
  obj_->SetXattr(name, std::move(value));
  return Status::OK();
}

Status StagedClsContext::RmXattr(const std::string& name) {
  RETURN_IF_ERROR(CheckWritable());
  obj_->RmXattr(name);
  return Status::OK();
}

Result<std::string> StagedClsContext::OmapGetHeader() { return obj_->OmapGetHeader(); }

Status StagedClsContext::OmapSetHeader(std::string header) {
  RETURN_IF_ERROR(CheckWritable());
  obj_->OmapSetHeader(std::move(header));
  return Status::OK();
}

Result<std::string> StagedClsContext::OmapGet(const std::string& key) {
  ASSIGN_OR_RETURN(auto v, obj_->OmapGet(key));
  if (!v) return Status::NotFound("omap key not found on " + obj_->name());
  return std::move(*v);
}

Result<std::map<std::string, std::string>> StagedClsContext::OmapGetVals(
    const std::string& start_after, const std::string& prefix, uint64_t max, bool* more) {
  return obj_->OmapGetVals(start_after, prefix, max, more);
}

Status StagedClsContext::OmapSet(const std::string& key, std::string value) {
  RETURN_IF_ERROR(CheckWritable());
  obj_->OmapSet(key, std::move(value));
  return Status::OK();
}

Status StagedClsContext::OmapRm(const std::string& key) {
  RETURN_IF_ERROR(CheckWritable());
  obj_->OmapRm(key);
  return Status::OK();
}

}  // namespace kelp::store::embedded
