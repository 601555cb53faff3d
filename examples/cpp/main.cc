// kelp-example: uses libkelp directly, without HTTP.
//
//   kelp-example STORE_DIR put BUCKET KEY FILE   upload FILE (streamed) as the system
//   kelp-example STORE_DIR get BUCKET KEY        write the object to stdout (streamed)
//   kelp-example STORE_DIR ls BUCKET             list keys with size and ETag
//
// The bucket is created (owned by user "example") on first put.
#include <kelp/api/kelp.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <vector>

namespace api = kelp::api;

namespace {

int Fail(const kelp::Status& s) {
  const kelp::S3ErrorInfo& e = kelp::S3ErrorFor(s.code());
  std::cerr << "kelp-example: " << e.code << ": " << s.ToString() << "\n";
  return 1;
}

// The owner of the example's buckets, created on first use.
kelp::Result<api::Identity> ExampleUser(api::Gateway& gw) {
  auto id = gw.ActAs("example");
  if (id.ok() || !id.status().Is(kelp::Code::kNoSuchUser)) return id;
  kelp::rgw::UserSpec spec;
  spec.uid = kelp::rgw::User::FromString("example");
  spec.display_name = "Example User";
  auto created = gw.services().users().Create(spec);
  if (!created.ok()) return created.status();
  return gw.ActAs("example");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> a(argv + 1, argv + argc);
  if (a.size() < 3) {
    std::cerr << "usage: kelp-example STORE_DIR put|get|ls BUCKET [KEY [FILE]]\n";
    return 2;
  }
  auto store = api::OpenStore({.data_dir = a[0]});
  if (!store.ok()) return Fail(store.status());
  auto gw = api::Gateway::Open(std::move(*store));
  if (!gw.ok()) return Fail(gw.status());
  auto who = ExampleUser(**gw);
  if (!who.ok()) return Fail(who.status());
  api::RequestContext ctx{*who};
  const std::string& cmd = a[1];
  const std::string& bucket = a[2];

  if (cmd == "put" && a.size() == 5) {
    kelp::Status made = (*gw)->CreateBucket(ctx, {.bucket = bucket});
    if (!made.ok() && !made.Is(kelp::Code::kBucketAlreadyOwnedByYou)) return Fail(made);
    std::ifstream in(a[4], std::ios::binary);
    if (!in) {
      std::cerr << "kelp-example: cannot read " << a[4] << "\n";
      return 1;
    }
    auto up = (*gw)->PutObject(ctx, {.bucket = bucket, .key = a[3]});
    if (!up.ok()) return Fail(up.status());
    std::vector<char> buf(1 << 20);
    while (in) {
      in.read(buf.data(), buf.size());
      if (in.gcount() == 0) break;
      if (auto s = (*up)->Write({buf.data(), size_t(in.gcount())}); !s.ok()) return Fail(s);
    }
    auto done = (*up)->Complete();
    if (!done.ok()) return Fail(done.status());
    std::cout << "etag " << done->etag << "\n";
    return 0;
  }
  if (cmd == "get" && a.size() == 4) {
    auto down = (*gw)->GetObject(ctx, {.bucket = bucket, .key = a[3]});
    if (!down.ok()) return Fail(down.status());
    for (;;) {
      auto chunk = (*down)->Read();
      if (!chunk.ok()) return Fail(chunk.status());
      if (chunk->empty()) break;
      std::fwrite(chunk->data(), 1, chunk->size(), stdout);
    }
    return 0;
  }
  if (cmd == "ls" && a.size() == 3) {
    api::ListObjectsRequest req{.bucket = bucket};
    for (;;) {
      auto page = (*gw)->ListObjects(ctx, req);
      if (!page.ok()) return Fail(page.status());
      for (const auto& o : page->objects) std::cout << o.key << "\t" << o.size << "\t" << o.etag << "\n";
      if (!page->truncated) break;
      req.marker = page->next_marker;
    }
    return 0;
  }
  std::cerr << "kelp-example: unknown command or wrong arguments\n";
  return 2;
}
