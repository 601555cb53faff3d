#include "base/status.h"

#include <gtest/gtest.h>

namespace kelp {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Status(Code::kInvalidArgument, "odd");
  return x / 2;
}

Status UseHalf(int x, int* out) {
  ASSIGN_OR_RETURN(*out, Half(x));
  return Status::OK();
}

TEST(Status, OkAndError) {
  EXPECT_TRUE(Status().ok());
  Status s = Status::NotFound("no such object");
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.IsNotFound());
  EXPECT_EQ(s.ToString(), "NotFound: no such object");
  EXPECT_EQ(s.Annotate("reading x").message(), "reading x: no such object");
}

TEST(Result, ValueOrStatus) {
  int v = 0;
  EXPECT_TRUE(UseHalf(8, &v).ok());
  EXPECT_EQ(v, 4);
  Status s = UseHalf(3, &v);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace kelp
