// Object listing of the embedded engine: namespaces, locators, cursors.
#include "store/embedded/embedded_store.h"
#include "store/embedded/test_util.h"

namespace kelp::store::embedded {
namespace {

using testing::MustOpen;
using testing::TempDir;

std::string Name(const ListEntry& e) { return e.ns + "/" + e.oid + "@" + e.locator; }

class EmbeddedListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = MustOpen(dir_.path());
    ASSERT_TRUE(store_);
    ASSERT_TRUE(store_->CreatePool("p").ok());
    ASSERT_TRUE(store_->CreatePool("other").ok());
    for (int i = 0; i < 10; ++i) Put("p", "", "obj" + std::to_string(i));
    Put("p", "", "obj3", "loc");
    for (int i = 0; i < 4; ++i) Put("p", "users", "u" + std::to_string(i));
    Put("p", "keys", "k");
    Put("other", "", "elsewhere");
  }
  void Put(const std::string& pool, const std::string& ns, const std::string& oid,
           const std::string& loc = "") {
    ASSERT_TRUE(store_->Operate(ObjectId{pool, ns, oid, loc}, WriteOp().Create(false)).ok());
  }
  // Lists everything in pages of `page`.
  std::vector<std::string> ListAll(const std::string& ns, size_t page) {
    std::vector<std::string> out;
    std::string cursor;
    int rounds = 0;
    do {
      std::string next;
      auto r = store_->List("p", ns, cursor, page, &next);
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      if (!r.ok()) break;
      EXPECT_LE(r->size(), page);
      for (const auto& e : *r) out.push_back(Name(e));
      cursor = next;
    } while (!cursor.empty() && ++rounds < 100);
    return out;
  }

  TempDir dir_;
  std::unique_ptr<ObjectStore> store_;
};

TEST_F(EmbeddedListTest, DefaultNamespaceOnlyWithLocators) {
  auto all = ListAll("", 1000);
  ASSERT_EQ(all.size(), 11u);
  EXPECT_EQ(all[0], "/obj0@");
  EXPECT_EQ(all[3], "/obj3@");
  EXPECT_EQ(all[4], "/obj3@loc");
  EXPECT_EQ(ListAll("users", 1000),
            (std::vector<std::string>{"users/u0@", "users/u1@", "users/u2@", "users/u3@"}));
  EXPECT_TRUE(ListAll("none", 10).empty());
}

TEST_F(EmbeddedListTest, AllNamespacesAndPagingAreStable) {
  auto whole = ListAll(kAllNamespaces, 1000);
  ASSERT_EQ(whole.size(), 16u);
  for (size_t page : {1, 3, 7, 16}) EXPECT_EQ(ListAll(kAllNamespaces, page), whole) << page;
  EXPECT_EQ(ListAll("", 3), ListAll("", 1000));
}

TEST_F(EmbeddedListTest, CursorSurvivesChangesAndRemovals) {
  std::string next;
  auto r = store_->List("p", "", "", 4, &next);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 4u);
  ASSERT_FALSE(next.empty());
  // Remove the last listed object and one ahead; add one ahead.
  ASSERT_TRUE(store_->Operate(ObjectId{"p", "", "obj3", ""}, WriteOp().Remove()).ok());
  ASSERT_TRUE(store_->Operate(ObjectId{"p", "", "obj5", ""}, WriteOp().Remove()).ok());
  Put("p", "", "obj55");
  auto rest = store_->List("p", "", next, 100, &next);
  ASSERT_TRUE(rest.ok()) << rest.status().ToString();
  std::vector<std::string> names;
  for (const auto& e : *rest) names.push_back(Name(e));
  EXPECT_EQ(names, (std::vector<std::string>{"/obj3@loc", "/obj4@", "/obj55@", "/obj6@", "/obj7@",
                                             "/obj8@", "/obj9@"}));
  EXPECT_EQ(next, "");
}

TEST_F(EmbeddedListTest, BadCursorAndMissingPool) {
  std::string next;
  EXPECT_EQ(store_->List("p", "", "zz", 10, &next).status().code(), Code::kInvalid);
  // A cursor from another pool is rejected, not misapplied.
  auto r = store_->List("other", "", "", 0, &next);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_TRUE(store_->List("nopool", "", "", 10, &next).status().IsNotFound());
  auto page = store_->List("p", "", "", 1, &next);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(store_->List("other", "", next, 10, &next).status().code(), Code::kInvalid);
}

}  // namespace
}  // namespace kelp::store::embedded
