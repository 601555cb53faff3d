// Interprets the steps of a WriteOp / ReadOp against a StagedObject, in
// order, with librados semantics: a failing step fails the whole op (the
// caller then commits nothing). Outputs are written through the steps'
// pointers as the steps run.
//
// Semantics reproduced from Ceph's OSD (PrimaryLogPG::do_osd_ops):
//  - writes implicitly create the object; Create(exclusive) on an existing
//    object -> Exists; AssertExists/Remove on a missing one -> NotFound
//    (Remove(failok) -> no-op); OmapRmKeys/OmapClear on a missing object ->
//    NotFound (Ceph returns ENOENT there rather than creating it).
//  - CmpXattr compares the GIVEN value against the stored one, as Ceph's
//    do_xattr_cmp_str(op, given, stored): kGt passes when given > stored.
//    A missing xattr (or object) compares as "". Failure -> Canceled.
//  - GetXattr of a missing xattr -> NotFound (ENODATA in librados).
//  - Exec of an unknown class method -> NotImplemented (EOPNOTSUPP).
#pragma once

#include <vector>

#include "store/embedded/staged_object.h"
#include "store/object_store.h"

namespace kelp::store::embedded {

struct OpEnv {
  bool read_only = false;
  uint64_t version = 0;  // what object classes see as CurrentVersion()
  CephTime now;
};

Status RunSteps(StagedObject& obj, const std::vector<OpStep>& steps, const OpEnv& env);

}  // namespace kelp::store::embedded
