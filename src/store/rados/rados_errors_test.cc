// Errno mapping and notify-reply decoding: no cluster needed.
#include "store/rados/rados_errors.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "base/encoding.h"

namespace kelp::store::rados {
namespace {

TEST(RadosErrors, MapsErrnosAsTheEmbeddedEngineReportsThem) {
  EXPECT_TRUE(FromRados(0, "x").ok());
  EXPECT_TRUE(FromRados(5, "x").ok());  // positive = bytes/count, not an error
  EXPECT_EQ(FromRados(-ENOENT, "x").code(), Code::kNotFound);
  EXPECT_EQ(FromRados(-ENODATA, "x").code(), Code::kNotFound);
  EXPECT_EQ(FromRados(-EEXIST, "x").code(), Code::kExists);
  EXPECT_EQ(FromRados(-ECANCELED, "x").code(), Code::kCanceled);
  EXPECT_EQ(FromRados(-EINVAL, "x").code(), Code::kInvalid);
  EXPECT_EQ(FromRados(-ENOSPC, "x").code(), Code::kNoSpace);
  EXPECT_EQ(FromRados(-EDQUOT, "x").code(), Code::kNoSpace);
  EXPECT_EQ(FromRados(-EBUSY, "x").code(), Code::kBusy);
  EXPECT_EQ(FromRados(-2300, "x").code(), Code::kBusy);  // ERR_BUSY_RESHARDING
  EXPECT_EQ(FromRados(-EOPNOTSUPP, "x").code(), Code::kNotImplemented);
  EXPECT_EQ(FromRados(-EIO, "x").code(), Code::kIOError);
  Status t = FromRados(-ETIMEDOUT, "read op on p//o");
  EXPECT_EQ(t.code(), Code::kIOError);
  EXPECT_NE(t.message().find("timed out"), std::string::npos) << t.message();
  EXPECT_NE(t.message().find("p//o"), std::string::npos) << t.message();
  EXPECT_NE(FromRados(-EDQUOT, "w").message().find("quota"), std::string::npos);
  EXPECT_EQ(FromRados(-ENOTCONN, "x").code(), Code::kIOError);
}

std::string Reply(const std::vector<std::tuple<uint64_t, uint64_t, std::string>>& acks,
                  const std::vector<std::pair<uint64_t, uint64_t>>& timeouts) {
  std::string s;
  Encoder e(&s);
  e.U32(static_cast<uint32_t>(acks.size()));
  for (const auto& [gid, cookie, payload] : acks) {
    e.U64(gid);
    e.U64(cookie);
    e.U32(static_cast<uint32_t>(payload.size()));
    s += payload;
  }
  e.U32(static_cast<uint32_t>(timeouts.size()));
  for (const auto& [gid, cookie] : timeouts) {
    e.U64(gid);
    e.U64(cookie);
  }
  return s;
}

TEST(RadosErrors, DecodesNotifyReplyAcksAndTimeouts) {
  size_t missed = 99;
  auto r = DecodeNotifyReply(Reply({{4100, 7, "pong"}, {4101, 9, ""}}, {{4200, 3}}), &missed);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].watcher_id, 7u);
  EXPECT_EQ((*r)[0].payload, "pong");
  EXPECT_EQ((*r)[1].watcher_id, 9u);
  EXPECT_EQ((*r)[1].payload, "");
  EXPECT_EQ(missed, 1u);

  auto empty = DecodeNotifyReply(Reply({}, {}), &missed);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  EXPECT_EQ(missed, 0u);

  std::string cut = Reply({{1, 2, "payload"}}, {});
  cut.resize(cut.size() - 6);
  EXPECT_EQ(DecodeNotifyReply(cut).status().code(), Code::kCorruption);
}

}  // namespace
}  // namespace kelp::store::rados
