#include "store/object_store.h"

namespace kelp::store {

std::string ObjectId::ToString() const {
  std::string s = pool + "/" + ns + "/" + oid;
  if (!locator.empty()) s += "@" + locator;
  return s;
}

namespace {

// An op that completed before OperateAsync returned.
class DonePendingOp final : public PendingOp {
 public:
  explicit DonePendingOp(Status st) : st_(std::move(st)) {}
  Status Wait() override { return st_; }

 private:
  Status st_;
};

}  // namespace

std::unique_ptr<PendingOp> ObjectStore::OperateAsync(const ObjectId& id, WriteOp op,
                                                     uint64_t* version) {
  return std::make_unique<DonePendingOp>(Operate(id, op, version));
}

std::unique_ptr<PendingOp> ObjectStore::OperateAsync(const ObjectId& id, ReadOp op) {
  return std::make_unique<DonePendingOp>(Operate(id, op));
}

using T = OpStep::Type;

static OpStep Step(T t) {
  OpStep s;
  s.type = t;
  return s;
}

WriteOp& WriteOp::AssertExists() { steps_.push_back(Step(T::kAssertExists)); return *this; }
WriteOp& WriteOp::Create(bool exclusive) {
  auto s = Step(T::kCreate);
  s.exclusive = exclusive;
  steps_.push_back(std::move(s));
  return *this;
}
WriteOp& WriteOp::CmpXattr(const std::string& name, CmpOp op, std::string value) {
  auto s = Step(T::kCmpXattr);
  s.name = name;
  s.cmp = op;
  s.data = std::move(value);
  steps_.push_back(std::move(s));
  return *this;
}
WriteOp& WriteOp::Remove(bool failok) {
  auto s = Step(T::kRemove);
  s.failok = failok;
  steps_.push_back(std::move(s));
  return *this;
}
WriteOp& WriteOp::WriteFull(std::string data) {
  auto s = Step(T::kWriteFull);
  s.data = std::move(data);
  steps_.push_back(std::move(s));
  return *this;
}
WriteOp& WriteOp::Write(uint64_t off, std::string data) {
  auto s = Step(T::kWrite);
  s.off = off;
  s.data = std::move(data);
  steps_.push_back(std::move(s));
  return *this;
}
WriteOp& WriteOp::Append(std::string data) {
  auto s = Step(T::kAppend);
  s.data = std::move(data);
  steps_.push_back(std::move(s));
  return *this;
}
WriteOp& WriteOp::Truncate(uint64_t size) {
  auto s = Step(T::kTruncate);
  s.off = size;
  steps_.push_back(std::move(s));
  return *this;
}
WriteOp& WriteOp::SetXattr(const std::string& name, std::string value) {
  auto s = Step(T::kSetXattr);
  s.name = name;
  s.data = std::move(value);
  steps_.push_back(std::move(s));
  return *this;
}
WriteOp& WriteOp::RmXattr(const std::string& name) {
  auto s = Step(T::kRmXattr);
  s.name = name;
  steps_.push_back(std::move(s));
  return *this;
}
WriteOp& WriteOp::OmapSet(std::map<std::string, std::string> kv) {
  auto s = Step(T::kOmapSet);
  s.kv = std::move(kv);
  steps_.push_back(std::move(s));
  return *this;
}
WriteOp& WriteOp::OmapSet(const std::string& key, std::string value) {
  std::map<std::string, std::string> kv;
  kv.emplace(key, std::move(value));
  return OmapSet(std::move(kv));
}
WriteOp& WriteOp::OmapRmKeys(std::set<std::string> keys) {
  auto s = Step(T::kOmapRmKeys);
  s.keys = std::move(keys);
  steps_.push_back(std::move(s));
  return *this;
}
WriteOp& WriteOp::OmapClear() { steps_.push_back(Step(T::kOmapClear)); return *this; }
WriteOp& WriteOp::OmapSetHeader(std::string header) {
  auto s = Step(T::kOmapSetHeader);
  s.data = std::move(header);
  steps_.push_back(std::move(s));
  return *this;
}
WriteOp& WriteOp::SetMtime(CephTime t) {
  auto s = Step(T::kSetMtime);
  s.mtime = t;
  steps_.push_back(std::move(s));
  return *this;
}
WriteOp& WriteOp::Exec(const std::string& cls, const std::string& method,
                       std::string input, std::string* out) {
  auto s = Step(T::kExec);
  s.name = cls;
  s.name2 = method;
  s.data = std::move(input);
  s.out_data = out;
  steps_.push_back(std::move(s));
  return *this;
}

ReadOp& ReadOp::AssertExists() { steps_.push_back(Step(T::kAssertExists)); return *this; }
ReadOp& ReadOp::CmpXattr(const std::string& name, CmpOp op, std::string value) {
  auto s = Step(T::kCmpXattr);
  s.name = name;
  s.cmp = op;
  s.data = std::move(value);
  steps_.push_back(std::move(s));
  return *this;
}
ReadOp& ReadOp::Stat(ObjectStat* out) {
  auto s = Step(T::kStat);
  s.out_stat = out;
  steps_.push_back(std::move(s));
  return *this;
}
ReadOp& ReadOp::Read(uint64_t off, uint64_t len, std::string* out) {
  auto s = Step(T::kRead);
  s.off = off;
  s.len = len;
  s.out_data = out;
  steps_.push_back(std::move(s));
  return *this;
}
ReadOp& ReadOp::GetXattr(const std::string& name, std::string* out) {
  auto s = Step(T::kGetXattr);
  s.name = name;
  s.out_data = out;
  steps_.push_back(std::move(s));
  return *this;
}
ReadOp& ReadOp::GetXattrs(std::map<std::string, std::string>* out) {
  auto s = Step(T::kGetXattrs);
  s.out_map = out;
  steps_.push_back(std::move(s));
  return *this;
}
ReadOp& ReadOp::OmapGetHeader(std::string* out) {
  auto s = Step(T::kOmapGetHeader);
  s.out_data = out;
  steps_.push_back(std::move(s));
  return *this;
}
ReadOp& ReadOp::OmapGetVals(const std::string& start_after, const std::string& prefix,
                            uint64_t max, std::map<std::string, std::string>* out,
                            bool* more) {
  auto s = Step(T::kOmapGetVals);
  s.name = start_after;
  s.name2 = prefix;
  s.max = max;
  s.out_map = out;
  s.out_more = more;
  steps_.push_back(std::move(s));
  return *this;
}
ReadOp& ReadOp::OmapGetKeys(const std::string& start_after, uint64_t max,
                            std::map<std::string, std::string>* out, bool* more) {
  auto s = Step(T::kOmapGetKeys);
  s.name = start_after;
  s.max = max;
  s.out_map = out;
  s.out_more = more;
  steps_.push_back(std::move(s));
  return *this;
}
ReadOp& ReadOp::OmapGetValsByKeys(std::set<std::string> keys,
                                  std::map<std::string, std::string>* out) {
  auto s = Step(T::kOmapGetValsByKeys);
  s.keys = std::move(keys);
  s.out_map = out;
  steps_.push_back(std::move(s));
  return *this;
}
ReadOp& ReadOp::Exec(const std::string& cls, const std::string& method,
                     std::string input, std::string* out) {
  auto s = Step(T::kExec);
  s.name = cls;
  s.name2 = method;
  s.data = std::move(input);
  s.out_data = out;
  steps_.push_back(std::move(s));
  return *this;
}

}  // namespace kelp::store
