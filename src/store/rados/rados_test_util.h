// Test helpers for the cluster tests: the store opened from KELP_CEPH_CONF
// (tests skip without it) and a throwaway pool per test suite.
#pragma once

#include <gtest/gtest.h>
#include <rados/librados.hpp>

#include <cstdlib>
#include <memory>
#include <random>
#include <string>

#include "store/rados/rados_store.h"

namespace kelp::store::rados::testing {

inline const char* CephConf() {
  const char* c = std::getenv("KELP_CEPH_CONF");
  return (c && *c) ? c : nullptr;
}

#define KELP_REQUIRE_CEPH()                                                         \
  do {                                                                              \
    if (!::kelp::store::rados::testing::CephConf())                                 \
      GTEST_SKIP() << "set KELP_CEPH_CONF=<ceph.conf> to run against a Ceph cluster " \
                      "(e.g. /work/shared/tools/ceph-mini.sh up DIR)";                 \
  } while (0)

inline std::string UniqueName(const std::string& prefix) {
  std::random_device rd;
  return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(rd() % 100000);
}

inline std::unique_ptr<ObjectStore> OpenTestStore(int timeout_s = 30) {
  RadosOptions o;
  o.conf_path = CephConf();
  o.op_timeout_s = timeout_s;
  auto s = OpenRadosStore(o);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

// Deletes pools through librados directly (not part of ObjectStore).
inline void DeletePool(const std::string& pool) {
  librados::Rados r;
  if (r.init("admin") < 0 || r.conf_read_file(CephConf()) < 0 || r.connect() < 0) return;
  (void)r.pool_delete(pool.c_str());
  r.shutdown();
}

// Runs a mon command (JSON) through librados; returns its result code and
// (in *outs) its output followed by its status string.
inline int MonCommand(const std::string& json, std::string* outs = nullptr) {
  librados::Rados r;
  if (r.init("admin") < 0 || r.conf_read_file(CephConf()) < 0 || r.connect() < 0) return -EIO;
  librados::bufferlist in, out;
  std::string s;
  int rc = r.mon_command(json, in, &out, &s);
  if (outs) *outs = out.to_str() + s;
  r.shutdown();
  return rc;
}

}  // namespace kelp::store::rados::testing
