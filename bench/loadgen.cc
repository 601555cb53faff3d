// kelp-loadgen: drives N concurrent S3 clients doing PUT or GET of objects of
// one size for T seconds or K operations against an endpoint (kelpd, or nginx
// with unsigned GETs) and prints ops/s, MiB/s and latency percentiles as one
// JSON line.
//
//   kelp-loadgen --endpoint http://127.0.0.1:8000 --access-key AK --secret-key SK
//       --bucket bench --op put --size 4K --clients 8 --duration 10 --create-bucket
//   kelp-loadgen --endpoint http://127.0.0.1:8080 --bucket bench --op get --size 4K ...
//   kelp-loadgen --gen-file /srv/bench/obj-0 --size 4K   # the same bytes as a file
//   kelp-loadgen --selftest                               # SigV4 vs the AWS example
//
// Object bodies are a fixed pseudo-random 1 MiB pattern repeated, generated on
// the fly (or read from --input-file), so a 1 GiB PUT never sits in memory.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <unistd.h>

#include "base/crypto.h"
#include "http_client.h"
#include "sigv4.h"

namespace kelp::bench {
namespace {

constexpr size_t kPattern = 1 << 20;

const std::string& Pattern() {
  static const std::string p = [] {
    std::string s(kPattern, '\0');
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < kPattern; i += 8) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      std::memcpy(s.data() + i, &x, 8);
    }
    return s;
  }();
  return p;
}

std::string_view PatternAt(uint64_t off, size_t max) {
  size_t start = off % kPattern;
  return std::string_view(Pattern()).substr(start, std::min(max, kPattern - start));
}

bool ParseSize(const std::string& s, uint64_t* out) {
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || v < 0) return false;
  std::string suf(end);
  uint64_t mult = 1;
  if (suf == "K" || suf == "KiB" || suf == "k") mult = 1ull << 10;
  else if (suf == "M" || suf == "MiB") mult = 1ull << 20;
  else if (suf == "G" || suf == "GiB") mult = 1ull << 30;
  else if (!suf.empty() && suf != "B") return false;
  *out = static_cast<uint64_t>(v * static_cast<double>(mult));
  return true;
}

struct Options {
  std::string endpoint, op = "get", size_text = "4K", bucket = "bench", prefix = "obj-";
  std::string access_key, secret_key, region = "us-east-1", payload = "sha256", label;
  std::string input_file, output_file, gen_file;
  int clients = 1, keys = 100;
  double duration = 10;
  uint64_t ops = 0, size = 0;
  bool create_bucket = false, prefill = false, verify = false, selftest = false;
};

class Runner {
 public:
  explicit Runner(const Options& o) : o_(o) {
    std::string ep = o.endpoint;
    if (ep.rfind("http://", 0) == 0) ep = ep.substr(7);
    if (!ep.empty() && ep.back() == '/') ep.pop_back();
    host_header_ = ep;
    size_t colon = ep.rfind(':');
    host_ = colon == std::string::npos ? ep : ep.substr(0, colon);
    port_ = colon == std::string::npos ? 80 : static_cast<uint16_t>(std::stoi(ep.substr(colon + 1)));
    creds_.access_key = o.access_key;
    creds_.secret_key = o.secret_key;
    creds_.region = o.region;
    if (!o.input_file.empty()) {
      input_fd_ = ::open(o.input_file.c_str(), O_RDONLY);
      if (input_fd_ < 0) throw std::runtime_error("cannot open " + o.input_file);
    }
  }
  ~Runner() {
    if (input_fd_ >= 0) ::close(input_fd_);
  }

  bool signed_requests() const { return !creds_.access_key.empty(); }

  // The request body's SHA-256, computed once: every object has the same bytes.
  void ComputePayloadHash() {
    if (o_.payload != "sha256" || !signed_requests()) {
      payload_hash_ = "UNSIGNED-PAYLOAD";
      return;
    }
    Hasher h(Hasher::Kind::kSha256);
    std::string buf;
    for (uint64_t off = 0; off < o_.size;) {
      std::string_view piece = Body(off, o_.size - off, &buf);
      h.Update(piece);
      off += piece.size();
    }
    payload_hash_ = HexEncode(h.Finish());
  }

  std::string_view Body(uint64_t off, uint64_t max, std::string* buf) const {
    size_t n = static_cast<size_t>(std::min<uint64_t>(max, kPattern));
    if (input_fd_ < 0) return PatternAt(off, n);
    buf->resize(n);
    ssize_t r = ::pread(input_fd_, buf->data(), n, static_cast<off_t>(off));
    return r > 0 ? std::string_view(buf->data(), static_cast<size_t>(r)) : std::string_view();
  }

  HttpConnection::Response Request(HttpConnection& c, const std::string& method,
                                   const std::string& path, uint64_t length,
                                   const HttpConnection::BodySink& sink) {
    std::map<std::string, std::string> h{{"host", host_header_}};
    if (length > 0 || method == "PUT") h["content-length"] = std::to_string(length);
    if (signed_requests()) {
      SignV4(creds_, method, path, {}, h,
             method == "PUT" && length > 0 ? payload_hash_
                                           : HexEncode(Sha256("")),
             AmzDateNow());
    }
    h.erase("content-length");  // HttpConnection writes it itself
    std::string buf;
    return c.Do(method, UriEncode(path, false), h, length,
                [&](uint64_t off, size_t max) { return Body(off, max, &buf); }, sink);
  }

  std::string KeyPath(uint64_t i) const {
    return "/" + o_.bucket + "/" + o_.prefix + std::to_string(i % static_cast<uint64_t>(o_.keys));
  }

  bool CreateBucket() {
    HttpConnection c(host_, port_);
    auto r = Request(c, "PUT", "/" + o_.bucket, 0, nullptr);
    if (r.status == 200 || r.status == 409) return true;  // 409: already ours/exists
    std::cerr << "create bucket: " << r.status << " " << r.error << "\n";
    return false;
  }

  bool Prefill() {
    std::atomic<int> next{0};
    std::atomic<bool> ok{true};
    std::vector<std::thread> ts;
    for (int t = 0; t < std::max(1, std::min(o_.clients, 8)); ++t) {
      ts.emplace_back([&] {
        HttpConnection c(host_, port_);
        for (int i; (i = next++) < o_.keys && ok;) {
          auto r = Request(c, "PUT", KeyPath(i), o_.size, nullptr);
          if (r.status != 200) {
            std::cerr << "prefill " << KeyPath(i) << ": " << r.status << " " << r.error << "\n";
            ok = false;
          }
        }
      });
    }
    for (auto& t : ts) t.join();
    return ok;
  }

  int Run() {
    const bool put = o_.op == "put";
    std::atomic<uint64_t> next{0}, errors{0}, bytes{0}, ops_done{0};
    std::atomic<int> reported{0};
    std::vector<std::vector<double>> lat(static_cast<size_t>(o_.clients));
    std::FILE* out = nullptr;
    if (!o_.output_file.empty()) out = std::fopen(o_.output_file.c_str(), "wb");
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                      std::chrono::duration<double>(o_.duration));
    std::vector<std::thread> ts;
    for (int t = 0; t < o_.clients; ++t) {
      ts.emplace_back([&, t] {
        HttpConnection c(host_, port_);
        auto& mine = lat[static_cast<size_t>(t)];
        for (;;) {
          uint64_t i = next++;
          if (o_.ops ? i >= o_.ops : std::chrono::steady_clock::now() >= deadline) break;
          uint64_t got = 0;
          bool mismatch = false;
          auto sink = [&](const char* p, size_t n) {
            if (o_.verify && !mismatch) {
              for (size_t k = 0; k < n;) {
                std::string_view want = PatternAt(got + k, n - k);
                if (std::memcmp(p + k, want.data(), want.size()) != 0) mismatch = true;
                k += want.size();
              }
            }
            if (out) std::fwrite(p, 1, n, out);
            got += n;
          };
          auto t0 = std::chrono::steady_clock::now();
          auto r = put ? Request(c, "PUT", KeyPath(i), o_.size, nullptr)
                       : Request(c, "GET", KeyPath(i), 0, sink);
          double ms = std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - t0).count();
          bool ok = r.status >= 200 && r.status < 300 && !mismatch &&
                    (put || r.body_bytes == o_.size);
          if (!ok) {
            ++errors;
            if (reported++ < 5) {
              std::cerr << o_.op << " " << KeyPath(i) << ": status " << r.status << " body "
                        << r.body_bytes << "/" << o_.size << (mismatch ? " MISMATCH " : " ")
                        << r.error.substr(0, 300) << "\n";
            }
            continue;
          }
          ++ops_done;
          bytes += o_.size;
          mine.push_back(ms);
        }
      });
    }
    for (auto& t : ts) t.join();
    double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (out) std::fclose(out);
    std::vector<double> all;
    for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
    std::sort(all.begin(), all.end());
    auto pct = [&](double p) {
      if (all.empty()) return 0.0;
      size_t idx = static_cast<size_t>(p * static_cast<double>(all.size() - 1) + 0.5);
      return all[std::min(idx, all.size() - 1)];
    };
    std::printf(
        "{\"label\":\"%s\",\"op\":\"%s\",\"size\":%llu,\"clients\":%d,\"ops\":%llu,"
        "\"errors\":%llu,\"seconds\":%.3f,\"ops_per_s\":%.1f,\"mib_per_s\":%.2f,"
        "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}\n",
        o_.label.c_str(), o_.op.c_str(), static_cast<unsigned long long>(o_.size), o_.clients,
        static_cast<unsigned long long>(ops_done.load()),
        static_cast<unsigned long long>(errors.load()), secs,
        static_cast<double>(ops_done) / secs,
        static_cast<double>(bytes) / secs / (1 << 20), pct(0.5), pct(0.99),
        all.empty() ? 0.0 : all.back());
    std::fflush(stdout);
    return errors ? 2 : (ops_done ? 0 : 3);
  }

 private:
  const Options& o_;
  Credentials creds_;
  std::string host_, host_header_, payload_hash_;
  uint16_t port_ = 80;
  int input_fd_ = -1;
};

// The worked example of the AWS S3 SigV4 documentation (GET /test.txt, Range).
int SelfTest() {
  Credentials c{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1"};
  std::map<std::string, std::string> h{{"host", "examplebucket.s3.amazonaws.com"},
                                       {"range", "bytes=0-9"}};
  std::string sig = SignV4(c, "GET", "/test.txt", {}, h,
                           "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                           "20130524T000000Z");
  const char* want = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";
  std::map<std::string, std::string> h2{{"host", "examplebucket.s3.amazonaws.com"}};
  std::string sig2 = SignV4(c, "GET", "/", {{"max-keys", "2"}, {"prefix", "J"}}, h2,
                            HexEncode(Sha256("")), "20130524T000000Z");
  const char* want2 = "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7";
  bool ok = sig == want && sig2 == want2;
  std::printf("sigv4 selftest: %s\n", ok ? "ok" : ("FAILED " + sig + " " + sig2).c_str());
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace kelp::bench

int main(int argc, char** argv) {
  using namespace kelp::bench;
  Options o;
  CLI::App app{"kelp-loadgen: S3 PUT/GET load generator"};
  app.add_option("--endpoint", o.endpoint, "http://HOST:PORT (IPv4 address)");
  app.add_option("--op", o.op, "put | get")->check(CLI::IsMember({"put", "get"}));
  app.add_option("--size", o.size_text, "object size, e.g. 4K, 64M, 1G");
  app.add_option("--clients", o.clients, "concurrent connections")->check(CLI::PositiveNumber);
  app.add_option("--duration", o.duration, "seconds to run (unless --ops)");
  app.add_option("--ops", o.ops, "number of operations (overrides --duration)");
  app.add_option("--bucket", o.bucket);
  app.add_option("--prefix", o.prefix, "key prefix; keys are <prefix><i mod keys>");
  app.add_option("--keys", o.keys, "distinct keys")->check(CLI::PositiveNumber);
  app.add_option("--access-key", o.access_key, "SigV4 credentials; none = unsigned requests");
  app.add_option("--secret-key", o.secret_key);
  app.add_option("--region", o.region);
  app.add_option("--payload", o.payload, "sha256 | unsigned")
      ->check(CLI::IsMember({"sha256", "unsigned"}));
  app.add_option("--label", o.label, "echoed in the JSON");
  app.add_option("--input-file", o.input_file, "PUT this file's bytes instead of the pattern");
  app.add_option("--output-file", o.output_file, "write GET bodies here");
  app.add_option("--gen-file", o.gen_file, "write --size pattern bytes to this file and exit");
  app.add_flag("--create-bucket", o.create_bucket);
  app.add_flag("--prefill", o.prefill, "PUT all keys before a GET run");
  app.add_flag("--verify", o.verify, "compare GET bodies with the pattern");
  app.add_flag("--selftest", o.selftest, "check the SigV4 signer against the AWS example");
  CLI11_PARSE(app, argc, argv);
  if (o.selftest) return SelfTest();
  if (!o.input_file.empty()) {
    std::ifstream f(o.input_file, std::ios::binary | std::ios::ate);
    if (!f) {
      std::cerr << "cannot open " << o.input_file << "\n";
      return 1;
    }
    o.size = static_cast<uint64_t>(f.tellg());
  } else if (!ParseSize(o.size_text, &o.size)) {
    std::cerr << "bad --size " << o.size_text << "\n";
    return 1;
  }
  if (!o.gen_file.empty()) {
    std::FILE* f = std::fopen(o.gen_file.c_str(), "wb");
    if (!f) return 1;
    for (uint64_t off = 0; off < o.size;) {
      auto piece = PatternAt(off, static_cast<size_t>(std::min<uint64_t>(o.size - off, 1 << 20)));
      std::fwrite(piece.data(), 1, piece.size(), f);
      off += piece.size();
    }
    return std::fclose(f) == 0 ? 0 : 1;
  }
  if (o.endpoint.empty()) {
    std::cerr << "--endpoint is required\n";
    return 1;
  }
  Runner r(o);
  r.ComputePayloadHash();
  if (o.create_bucket && !r.CreateBucket()) return 1;
  if (o.prefill && !r.Prefill()) return 1;
  return r.Run();
}
