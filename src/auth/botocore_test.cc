// Cross-check against real botocore: testdata/botocore_fixtures.txt holds
// requests botocore 1.29 signed (SigV4 header / presigned, SigV2 header /
// presigned) for awkward keys (spaces, UTF-8, '+', '%', leading '_', '//',
// dot segments, reserved characters) and sub-resources; regenerate it with
// testdata/gen_botocore_fixtures.py. Every one must verify, and must stop
// verifying when its path changes.
#include <gtest/gtest.h>

#include <sstream>

#include "auth/authenticate.h"
#include "auth/test_util.h"

namespace kelp::auth {
namespace {

struct Fixture {
  std::string name;
  std::string version;
  bool presigned = false;
  int64_t now = 0;
  SignedRequest req;
  std::string payload;
};

std::vector<Fixture> LoadFixtures() {
  std::istringstream in(
      testing::ReadFile(std::string(KELP_SOURCE_DIR) + "/src/auth/testdata/botocore_fixtures.txt"));
  std::vector<Fixture> out;
  Fixture cur;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t sp = line.find(' ');
    std::string tag = line.substr(0, sp);
    std::string value = sp == std::string::npos ? "" : line.substr(sp + 1);
    if (tag == "case") {
      cur = Fixture{};
      cur.name = value;
    } else if (tag == "version") {
      cur.version = value;
    } else if (tag == "presigned") {
      cur.presigned = value == "1";
    } else if (tag == "now") {
      cur.now = std::stoll(value);
    } else if (tag == "method") {
      cur.req.method = value;
    } else if (tag == "path") {
      cur.req.raw_path = value;
    } else if (tag == "query") {
      cur.req.raw_query = value;
    } else if (tag == "header") {
      size_t tab = value.find('\t');
      cur.req.headers.emplace_back(value.substr(0, tab), value.substr(tab + 1));
    } else if (tag == "payload") {
      cur.payload = value;
    } else if (tag == "end") {
      out.push_back(cur);
    }
  }
  return out;
}

AuthOptions At(int64_t t) {
  AuthOptions o;
  o.now = std::chrono::system_clock::time_point(std::chrono::seconds(t));
  return o;
}

TEST(Botocore, EverySignedRequestVerifies) {
  std::vector<Fixture> fixtures = LoadFixtures();
  ASSERT_GE(fixtures.size(), 80u);
  MapSecrets secrets({{"AKIDKELPTEST", "wJal/rXU+tn==kelp/secret+key"}});
  for (const auto& f : fixtures) {
    SCOPED_TRACE(f.name + " " + f.req.raw_path + "?" + f.req.raw_query);
    auto r = Authenticate(f.req, secrets, At(f.now));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_FALSE(r->anonymous);
    EXPECT_EQ(r->access_key, "AKIDKELPTEST");
    EXPECT_EQ(r->presigned, f.presigned);
    EXPECT_EQ(r->version, f.version == "v4" ? SignatureVersion::kV4 : SignatureVersion::kV2);
    if (f.payload == "UNSIGNED-PAYLOAD" || f.payload == "-") {
      EXPECT_EQ(r->payload, PayloadMode::kUnsigned);
    } else {
      EXPECT_EQ(r->payload, PayloadMode::kSignedSha256);
      EXPECT_EQ(r->expected_sha256, f.payload);
    }

    // Another object name is another request.
    SignedRequest moved = f.req;
    moved.raw_path += "x";
    EXPECT_TRUE(Authenticate(moved, secrets, At(f.now)).status().Is(Code::kSignatureDoesNotMatch));
  }
}

TEST(Botocore, PresignedUrlsExpire) {
  MapSecrets secrets({{"AKIDKELPTEST", "wJal/rXU+tn==kelp/secret+key"}});
  int checked = 0;
  for (const auto& f : LoadFixtures()) {
    if (!f.presigned) continue;
    auto r = Authenticate(f.req, secrets, At(f.now + 3600));
    EXPECT_TRUE(r.status().Is(Code::kAccessDenied)) << f.name;
    EXPECT_EQ(r.status().message(), "Request has expired");
    ++checked;
  }
  EXPECT_GE(checked, 30);
}

TEST(Botocore, HeaderSignaturesAreSkewChecked) {
  MapSecrets secrets({{"AKIDKELPTEST", "wJal/rXU+tn==kelp/secret+key"}});
  for (const auto& f : LoadFixtures()) {
    if (f.presigned) continue;
    EXPECT_TRUE(
        Authenticate(f.req, secrets, At(f.now + 901)).status().Is(Code::kRequestTimeTooSkewed))
        << f.name;
  }
}

}  // namespace
}  // namespace kelp::auth
