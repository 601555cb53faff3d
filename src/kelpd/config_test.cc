#include "kelpd/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <vector>

namespace kelp::kelpd {
namespace {

Result<Config> Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "kelpd");
  return ParseConfig(static_cast<int>(args.size()), args.data());
}

TEST(ParseListen, Forms) {
  std::string host;
  uint16_t port = 1;
  ASSERT_TRUE(ParseListen("127.0.0.1:0", &host, &port).ok());
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 0);
  ASSERT_TRUE(ParseListen(":8080", &host, &port).ok());
  EXPECT_EQ(host, "0.0.0.0");
  EXPECT_EQ(port, 8080);
  ASSERT_TRUE(ParseListen("[::1]:7480", &host, &port).ok());
  EXPECT_EQ(host, "::1");
  for (const char* bad : {"localhost", "h:99999", "h:", "::1:80", "h:8x"}) {
    EXPECT_EQ(ParseListen(bad, &host, &port).code(), Code::kInvalidArgument) << bad;
  }
}

TEST(ParseConfig, Defaults) {
  auto c = Parse({});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->data_dir, "./kelp-data");
  EXPECT_EQ(c->listen_host, "127.0.0.1");
  EXPECT_EQ(c->listen_port, 7480);
  EXPECT_TRUE(c->dns_suffixes.empty());
}

TEST(ParseConfig, FlagsAndRepeatedDnsSuffix) {
  auto c = Parse({"--data", "/tmp/d", "--listen", "0.0.0.0:9000", "--dns-suffix", "a.example",
                  "--dns-suffix", "b.example", "--threads", "8", "--idle-timeout", "5",
                  "--access-log", "-"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->data_dir, "/tmp/d");
  EXPECT_EQ(c->listen_host, "0.0.0.0");
  EXPECT_EQ(c->listen_port, 9000);
  EXPECT_EQ(c->dns_suffixes, (std::vector<std::string>{"a.example", "b.example"}));
  EXPECT_EQ(c->threads, 8u);
  EXPECT_EQ(c->idle_timeout_sec, 5u);
  EXPECT_EQ(c->access_log, "-");
}

TEST(ParseConfig, BadFlagsAreOneSentenceErrors) {
  EXPECT_EQ(Parse({"--bogus"}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Parse({"--listen", "nonsense"}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Parse({"--threads", "x"}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Parse({"--config", "/nonexistent/kelpd.conf"}).status().code(), Code::kInvalidArgument);
}

TEST(ParseConfig, ConfigFileWithFlagOverride) {
  std::string path = testing::TempDir() + "/kelpd_config_test.conf";
  {
    std::ofstream f(path);
    f << "# kelpd settings\n"
         "data = /srv/kelp\n"
         "listen = 127.0.0.1:7000\n"
         "idle-timeout = 30\n";
  }
  auto c = Parse({"--config", path.c_str(), "--listen", "127.0.0.1:7001"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->data_dir, "/srv/kelp");
  EXPECT_EQ(c->listen_port, 7001);  // the flag wins
  EXPECT_EQ(c->idle_timeout_sec, 30u);

  {
    std::ofstream f(path);
    f << "no-such-key = 1\n";
  }
  EXPECT_EQ(Parse({"--config", path.c_str()}).status().code(), Code::kInvalidArgument);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace kelp::kelpd
