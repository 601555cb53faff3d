// RegisterBuiltinClasses(): Kelp's implementations of the object classes
// radosgw calls, under radosgw's class and method names.
#include <mutex>

#include "store/cls/cls.h"
#include "store/cls/lock/methods.h"
#include "store/cls/refcount/methods.h"
#include "store/cls/rgw/index_io.h"
#include "store/cls/rgw_gc/methods.h"
#include "store/cls/user/methods.h"
#include "store/cls/version/methods.h"

namespace kelp::store::cls {

void RegisterBuiltinClasses() {
  static std::once_flag once;
  std::call_once(once, [] {
    ClsRegistry& r = ClsRegistry::Instance();
    rgw::RegisterIndexMethods(r);
    rgw::RegisterListMethods(r);
    rgw::RegisterObjMethods(r);
    rgw::RegisterOlhMethods(r);
    version::RegisterMethods(r);
    user::RegisterMethods(r);
    lock::RegisterMethods(r);
    refcount::RegisterMethods(r);
    rgw_gc::RegisterMethods(r);
  });
}

}  // namespace kelp::store::cls
