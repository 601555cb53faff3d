// kelp-admin object put / get / rm through libkelp's Gateway, so data
// streams in bounded chunks exactly as an S3 PUT/GET would move it.
//
// radosgw-admin has `object rm` (rgw_remove_object: ENOENT for a missing
// object); put/get are Kelp's own and follow its conventions: ENOENT 2 for a
// missing bucket/object, EINVAL 22 for missing arguments, one sentence on
// stderr.
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

#include "admin/commands.h"
#include "api/gateway.h"

namespace kelp::admin {
namespace {

constexpr size_t kChunk = 1 << 20;

// cpp_strerror's "(N) text".
std::string ErrnoText(int e) { return "(" + std::to_string(e) + ") " + std::strerror(e); }

// The Gateway's bucket name: "tenant:name" (radosgw-admin spells it
// "tenant/name").
std::string GatewayBucket(const AdminOptions& opt) {
  std::string tenant, name;
  ParseBucket(opt, &tenant, &name);
  return tenant.empty() ? name : tenant + ":" + name;
}

int CheckArgs(Ctx& c) {
  if (c.opt.bucket.empty()) return c.Fail("ERROR: bucket not specified", 22);
  if (c.opt.object.empty()) return c.Fail("ERROR: object not specified", 22);
  return 0;
}

// Errors of the Gateway as radosgw-admin words them.
int FailOp(Ctx& c, const std::string& what, const Status& s) {
  if (s.Is(Code::kNoSuchBucket)) {
    return c.Fail("ERROR: could not init bucket: " + ErrnoText(ENOENT), 2);
  }
  if (s.Is(Code::kNoSuchKey) || s.IsNotFound()) {
    return c.Fail("ERROR: " + what + ": " + ErrnoText(ENOENT), 2);
  }
  return c.Fail("ERROR: " + what + ": ", s);
}

struct Session {
  std::unique_ptr<api::Gateway> gw;
  api::RequestContext ctx;
};

// A Gateway over the command's store, acting as --uid when given (with its
// ACL checks), else as the system on behalf of the bucket's owner (so new
// objects get the owner's ACL, as radosgw-admin's own writes do).
Result<Session> Open(Ctx& c) {
  Session s;
  ASSIGN_OR_RETURN(s.gw, api::Gateway::OpenUnowned(c.svc.store()));
  if (!c.opt.uid.empty()) {
    auto uid = ParseUid(c.opt);
    if (!uid.ok()) return uid.status();
    ASSIGN_OR_RETURN(s.ctx.who, s.gw->ActAs(uid->ToString()));
    return s;
  }
  s.ctx.who = api::Identity::System();
  std::string tenant, name;
  ParseBucket(c.opt, &tenant, &name);
  auto b = c.svc.buckets().Get(tenant, name);
  if (b.ok()) {
    s.ctx.who.user = b->info.owner;
    auto owner = c.svc.users().Get(b->info.owner);
    if (owner.ok()) s.ctx.who.display_name = owner->info.display_name;
  }
  return s;
}

int Refuse(Ctx& c) {
  return c.Fail(
      "ERROR: object put/get stream object data and cannot run inside kelpd's admin socket; run "
      "kelp-admin where it can open the store",
      22);
}

}  // namespace

int ObjectPut(Ctx& c) {
  if (int rc = CheckArgs(c)) return rc;
  if (!c.in) return Refuse(c);
  if (c.opt.infile.empty()) return c.Fail("ERROR: --infile not specified (- for stdin)", 22);
  api::PutObjectRequest req;
  req.bucket = GatewayBucket(c.opt);
  req.key = c.opt.object;
  if (!c.opt.content_type.empty()) req.headers["content-type"] = c.opt.content_type;
  for (const auto& kv : c.opt.metadata) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return c.Fail("ERROR: --metadata wants key=value, got '" + kv + "'", 22);
    }
    std::string key = kv.substr(0, eq);
    for (auto& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (key.rfind("x-amz-meta-", 0) == 0) key = key.substr(11);
    req.metadata[key] = kv.substr(eq + 1);
  }
  std::ifstream file;
  std::istream* in = c.in;
  if (c.opt.infile != "-") {
    file.open(c.opt.infile, std::ios::binary);
    if (!file) {
      int e = errno ? errno : ENOENT;
      return c.Fail("ERROR: could not open --infile " + c.opt.infile + ": " + ErrnoText(e), e);
    }
    in = &file;
  }
  auto s = Open(c);
  if (!s.ok()) return FailOp(c, "could not act as " + c.opt.uid, s.status());
  auto up = s->gw->PutObject(s->ctx, req);
  if (!up.ok()) return FailOp(c, "could not put object", up.status());
  std::string buf(kChunk, '\0');
  uint64_t size = 0;
  while (*in) {
    in->read(buf.data(), static_cast<std::streamsize>(buf.size()));
    std::streamsize n = in->gcount();
    if (n <= 0) break;
    size += static_cast<uint64_t>(n);
    Status st = (*up)->Write(std::string_view(buf.data(), static_cast<size_t>(n)));
    if (!st.ok()) return FailOp(c, "could not put object", st);
  }
  if (in->bad()) return c.Fail("ERROR: reading --infile " + c.opt.infile + " failed", 5);
  auto res = (*up)->Complete();
  if (!res.ok()) return FailOp(c, "could not put object", res.status());
  nlohmann::ordered_json j;
  j["bucket"] = c.opt.bucket;
  j["object"] = c.opt.object;
  j["size"] = size;
  j["etag"] = res->etag;
  if (!res->version_id.empty()) j["version_id"] = res->version_id;
  c.out << DumpRawJson(j) << "\n";
  return 0;
}

int ObjectGet(Ctx& c) {
  if (int rc = CheckArgs(c)) return rc;
  if (!c.in) return Refuse(c);
  auto s = Open(c);
  if (!s.ok()) return FailOp(c, "could not act as " + c.opt.uid, s.status());
  api::GetObjectRequest req;
  req.bucket = GatewayBucket(c.opt);
  req.key = c.opt.object;
  req.version_id = c.opt.object_version;
  auto down = s->gw->GetObject(s->ctx, req);
  if (!down.ok()) return FailOp(c, "failed to read object", down.status());
  const bool to_file = !c.opt.outfile.empty() && c.opt.outfile != "-";
  std::ofstream file;
  if (to_file) {
    file.open(c.opt.outfile, std::ios::binary | std::ios::trunc);
    if (!file) {
      int e = errno ? errno : EIO;
      return c.Fail("ERROR: could not open --outfile " + c.opt.outfile + ": " + ErrnoText(e), e);
    }
  }
  std::ostream& out = to_file ? static_cast<std::ostream&>(file) : c.out;
  for (;;) {
    auto chunk = (*down)->Read();
    if (!chunk.ok()) {
      if (to_file) {
        file.close();
        std::remove(c.opt.outfile.c_str());  // no partial file that looks complete
      }
      return FailOp(c, "failed to read object", chunk.status());
    }
    if (chunk->empty()) break;
    out.write(chunk->data(), static_cast<std::streamsize>(chunk->size()));
    if (!out) return c.Fail("ERROR: writing the object data failed", 5);
  }
  out.flush();
  if (!out) return c.Fail("ERROR: writing the object data failed", 5);
  return 0;
}

// radosgw-admin object rm: rgw_remove_object, which fails with ENOENT when
// the object does not exist.
int ObjectRm(Ctx& c) {
  if (int rc = CheckArgs(c)) return rc;
  auto s = Open(c);
  if (!s.ok()) return FailOp(c, "could not act as " + c.opt.uid, s.status());
  std::string bucket = GatewayBucket(c.opt);
  api::GetObjectRequest head;
  head.bucket = bucket;
  head.key = c.opt.object;
  head.version_id = c.opt.object_version;
  head.head_only = true;
  auto found = s->gw->GetObject(s->ctx, head);
  if (!found.ok()) return FailOp(c, "object remove returned", found.status());
  auto del = s->gw->DeleteObject(s->ctx, bucket, c.opt.object, c.opt.object_version);
  if (!del.ok()) return FailOp(c, "object remove returned", del.status());
  return 0;
}

}  // namespace kelp::admin
