#include "store/cls/cls.h"

namespace kelp::store::cls {

ClsRegistry& ClsRegistry::Instance() {
  static ClsRegistry registry;
  return registry;
}

void ClsRegistry::Register(const std::string& cls, const std::string& method,
                           ClsMethod fn) {
  methods_[{cls, method}] = std::move(fn);
}

const ClsMethod* ClsRegistry::Find(const std::string& cls,
                                   const std::string& method) const {
  auto it = methods_.find({cls, method});
  return it == methods_.end() ? nullptr : &it->second;
}

}  // namespace kelp::store::cls
