// Parity: the same op sequences against the embedded engine and against a
// real cluster must end with the same status code and the same object
// state. This is what lets src/rgw run unchanged on either store.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "store/cls/version/types.h"
#include "store/embedded/embedded_store.h"
#include "store/rados/rados_store.h"
#include "store/rados/rados_test_util.h"

namespace kelp::store::rados {
namespace {

using testing::CephConf;

struct Scenario {
  const char* name;
  // Non-empty: a known divergence of the embedded engine from Ceph's OSD
  // (reported; Ceph is the reference). The test then expects the stores to
  // DIFFER, so whoever aligns the embedded engine also updates this list.
  const char* known_divergence;
  std::function<void(ObjectStore&, const ObjectId&)> setup;  // may be null
  std::function<Status(ObjectStore&, const ObjectId&)> op;
};

// What an observer sees of the object afterwards.
std::string Describe(ObjectStore& s, const ObjectId& id) {
  std::string data, hdr;
  ObjectStat st;
  std::map<std::string, std::string> xattrs, omap;
  Status r = s.Operate(id, ReadOp()
                               .Stat(&st)
                               .Read(0, 0, &data)
                               .GetXattrs(&xattrs)
                               .OmapGetHeader(&hdr)
                               .OmapGetVals("", "", 0, &omap));
  if (r.IsNotFound()) return "<absent>";
  if (!r.ok()) return "<" + r.ToString() + ">";
  std::string out = "size=" + std::to_string(st.size) + " data=" + data + " hdr=" + hdr;
  for (const auto& [k, v] : xattrs) {
    if (k != cls::version::kVersionXattr) out += " x:" + k + "=" + v;
  }
  for (const auto& [k, v] : omap) out += " o:" + k + "=" + v;
  return out;
}

void Put(ObjectStore& s, const ObjectId& id) {
  ASSERT_TRUE(s.Operate(id, WriteOp().WriteFull("abc").SetXattr("a", "1").OmapSet("k", "v")).ok());
}

std::vector<Scenario> Scenarios() {
  using S = ObjectStore;
  using I = ObjectId;
  return {
      {"assert_exists_missing", "", nullptr,
       [](S& s, const I& id) { return s.Operate(id, WriteOp().AssertExists().WriteFull("x")); }},
      {"create_exclusive_existing", "", Put,
       [](S& s, const I& id) { return s.Operate(id, WriteOp().Create(true).WriteFull("x")); }},
      {"create_nonexclusive_existing", "", Put,
       [](S& s, const I& id) { return s.Operate(id, WriteOp().Create(false)); }},
      {"remove_missing",
       "",
       nullptr, [](S& s, const I& id) { return s.Operate(id, WriteOp().Remove()); }},
      {"remove_failok_missing", "", nullptr,
       [](S& s, const I& id) { return s.Operate(id, WriteOp().Remove(true)); }},
      {"remove_then_write", "", Put,
       [](S& s, const I& id) { return s.Operate(id, WriteOp().Remove().WriteFull("new")); }},
      {"omap_rm_keys_missing", "", nullptr,
       [](S& s, const I& id) { return s.Operate(id, WriteOp().OmapRmKeys({"k"})); }},
      {"omap_clear_missing", "", nullptr,
       [](S& s, const I& id) { return s.Operate(id, WriteOp().OmapClear()); }},
      {"omap_set_empty_creates", "", nullptr,
       [](S& s, const I& id) { return s.Operate(id, WriteOp().OmapSet({})); }},
      {"rmxattr_missing_object",
       "" /* aligned: ENOENT on both */,
       nullptr,
       [](S& s, const I& id) { return s.Operate(id, WriteOp().RmXattr("a")); }},
      {"rmxattr_missing_xattr", "", Put,
       [](S& s, const I& id) { return s.Operate(id, WriteOp().RmXattr("nope")); }},
      {"setxattr_creates", "", nullptr,
       [](S& s, const I& id) { return s.Operate(id, WriteOp().SetXattr("a", "1")); }},
      {"truncate_missing",
       "Ceph: TRUNCATE of a missing object is a no-op (no object); embedded creates it zero-filled",
       nullptr,
       [](S& s, const I& id) { return s.Operate(id, WriteOp().Truncate(4)); }},
      {"truncate_grows",
       "",
       Put, [](S& s, const I& id) { return s.Operate(id, WriteOp().Truncate(5)); }},
      {"cmpxattr_missing_object_eq_empty",
       "" /* aligned: ENOENT on both */,
       nullptr,
       [](S& s, const I& id) {
         return s.Operate(id, WriteOp().CmpXattr("a", CmpOp::kEq, "").WriteFull("x"));
       }},
      {"cmpxattr_missing_object_eq_value",
       "" /* aligned: ENOENT on both */,
       nullptr,
       [](S& s, const I& id) {
         return s.Operate(id, WriteOp().CmpXattr("a", CmpOp::kEq, "1").WriteFull("x"));
       }},
      {"cmpxattr_fail_keeps_object", "", Put,
       [](S& s, const I& id) {
         return s.Operate(id, WriteOp().WriteFull("lost").CmpXattr("a", CmpOp::kEq, "2"));
       }},
      {"cmpxattr_gte_passes", "", Put,
       [](S& s, const I& id) {
         return s.Operate(id, WriteOp().CmpXattr("a", CmpOp::kGte, "1").Append("d"));
       }},
      {"read_missing", "", nullptr,
       [](S& s, const I& id) {
         std::string d;
         return s.Operate(id, ReadOp().Read(0, 0, &d));
       }},
      {"read_past_end", "", Put,
       [](S& s, const I& id) {
         std::string d = "sentinel";
         Status st = s.Operate(id, ReadOp().Read(10, 5, &d));
         return st.ok() && !d.empty() ? Status::Internal("read past end gave data") : st;
       }},
      {"getxattr_missing", "", Put,
       [](S& s, const I& id) {
         std::string d;
         return s.Operate(id, ReadOp().GetXattr("nope", &d));
       }},
      {"omap_header_absent_reads_empty", "", Put,
       [](S& s, const I& id) {
         std::string h = "sentinel";
         Status st = s.Operate(id, ReadOp().OmapGetHeader(&h));
         return st.ok() && !h.empty() ? Status::Internal("header not empty") : st;
       }},
      {"exec_unknown_method", "", Put,
       [](S& s, const I& id) {
         std::string out;
         return s.Operate(id, ReadOp().Exec("version", "no_such", "", &out));
       }},
      {"version_read_unversioned", "", Put,
       [](S& s, const I& id) {
         std::string out;
         return s.Operate(id, ReadOp().Exec("version", "read", "", &out));
       }},
      {"version_check_missing_object",
       "Ceph: a write op of only read-class calls on a missing object is ENOENT; "
       "embedded runs the class (Canceled)",
       nullptr,
       [](S& s, const I& id) {
         cls::version::CheckOp c;
         c.conds = {{cls::version::ObjVersion{1, "t"}, cls::version::kCondEq}};
         return s.Operate(id, WriteOp().Exec("version", "check_conds", EncodeToString(c)));
       }},
      {"rgw_init_index_twice", "", nullptr,
       [](S& s, const I& id) {
         RETURN_IF_ERROR(s.Operate(id, WriteOp().Exec("rgw", "bucket_init_index", "")));
         return s.Operate(id, WriteOp().Exec("rgw", "bucket_init_index", ""));
       }},
      {"watch_missing", "", nullptr,
       [](S& s, const I& id) { return s.Watch(id, nullptr).status(); }},
  };
}

TEST(RadosParity, SameCodesAndStateAsTheEmbeddedEngine) {
  KELP_REQUIRE_CEPH();
  auto rados = testing::OpenTestStore();
  ASSERT_TRUE(rados);
  auto dir = std::filesystem::temp_directory_path() /
             ("kelp-rados-parity-" + std::to_string(::getpid()));
  auto emb = embedded::OpenEmbeddedStore(dir.string(), {.sync = false});
  ASSERT_TRUE(emb.ok()) << emb.status().ToString();
  const std::string pool = testing::UniqueName("kelp-rados-parity");
  ASSERT_TRUE(rados->CreatePool(pool).ok());
  ASSERT_TRUE((*emb)->CreatePool(pool).ok());

  for (const Scenario& sc : Scenarios()) {
    SCOPED_TRACE(sc.name);
    ObjectId id{pool, "", sc.name, ""};
    if (sc.setup) {
      sc.setup(**emb, id);
      sc.setup(*rados, id);
    }
    Status e = sc.op(**emb, id);
    Status r = sc.op(*rados, id);
    std::string de = Describe(**emb, id), dr = Describe(*rados, id);
    bool same = e.code() == r.code() && de == dr;
    if (*sc.known_divergence) {
      EXPECT_FALSE(same) << "no longer diverges (update the list): " << sc.known_divergence;
      continue;
    }
    EXPECT_EQ(CodeName(r.code()), std::string(CodeName(e.code())))
        << "embedded: " << e.ToString() << "\n   rados: " << r.ToString();
    EXPECT_EQ(dr, de);
  }
  emb->reset();
  std::filesystem::remove_all(dir);
  rados.reset();
  testing::DeletePool(pool);
}

}  // namespace
}  // namespace kelp::store::rados
