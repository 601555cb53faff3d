// Command-line parsing (CLI11) and dispatch of kelp-admin commands.
#include "admin/commands.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <sstream>

#include "admin/admin.h"
#include "admin/commands_gc.h"
#include "admin/import_dump.h"

namespace kelp::admin {

int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case Code::kOk:
      return 0;
    case Code::kNotFound:
    case Code::kNoSuchUser:
    case Code::kNoSuchBucket:
    case Code::kNoSuchKey:
    case Code::kNoSuchUpload:
      return 2;  // ENOENT
    case Code::kExists:
    case Code::kUserAlreadyExists:
    case Code::kKeyExists:
    case Code::kEmailExists:
    case Code::kBucketAlreadyExists:
    case Code::kBucketAlreadyOwnedByYou:
      return 17;  // EEXIST
    case Code::kInvalid:
    case Code::kInvalidArgument:
    case Code::kInvalidBucketName:
    case Code::kInvalidAccessKeyId:
      return 22;  // EINVAL
    case Code::kBucketNotEmpty:
      return 39;  // ENOTEMPTY
    case Code::kCanceled:
      return 125;  // ECANCELED
    case Code::kBusy:
      return 16;  // EBUSY
    case Code::kAccessDenied:
      return 13;  // EACCES
    case Code::kNoSpace:
      return 28;  // ENOSPC
    case Code::kTooManyBuckets:
    case Code::kQuotaExceeded:
      return 122;  // EDQUOT
    case Code::kNotImplemented:
      return 95;  // EOPNOTSUPP
    default:
      return 5;  // EIO
  }
}

int Ctx::Fail(const std::string& prefix, const Status& s) {
  err << prefix << (s.message().empty() ? std::string(CodeName(s.code())) : s.message()) << "\n";
  return ExitCodeFor(s);
}

int Ctx::Fail(const std::string& message, int code) {
  err << message << "\n";
  return code;
}

namespace {

// Invalid UTF-8 bytes travel through nlohmann's dump as private-use code
// points U+F700+byte and are turned back into the raw byte afterwards.
constexpr uint32_t kRawBase = 0xF700;

std::string EscapeRaw(const std::string& s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    size_t n = c < 0x80                          ? 1
               : (c & 0xE0) == 0xC0 && c >= 0xC2 ? 2
               : (c & 0xF0) == 0xE0              ? 3
               : (c & 0xF8) == 0xF0 && c <= 0xF4 ? 4
                                                 : 0;
    bool ok = n > 0 && i + n <= s.size();
    for (size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok) {
      out.append(s, i, n);
      i += n;
      continue;
    }
    uint32_t cp = kRawBase + c;
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    ++i;
  }
  return out;
}

template <typename J>
J EscapeTree(const J& j) {
  if (j.is_string()) return EscapeRaw(j.template get<std::string>());
  if (j.is_array()) {
    J a = J::array();
    for (const auto& x : j) a.push_back(EscapeTree(x));
    return a;
  }
  if (j.is_object()) {
    J o = J::object();
    for (auto it = j.begin(); it != j.end(); ++it) o[EscapeRaw(it.key())] = EscapeTree(it.value());
    return o;
  }
  return j;
}

template <typename J>
std::string DumpRaw(const J& j) {
  std::string text = EscapeTree(j).dump(4);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = text[i];
    if (c == 0xEF && i + 2 < text.size()) {
      uint32_t cp = ((c & 0x0F) << 12) | ((static_cast<unsigned char>(text[i + 1]) & 0x3F) << 6) |
                    (static_cast<unsigned char>(text[i + 2]) & 0x3F);
      if (cp >= kRawBase && cp < kRawBase + 0x100) {
        out.push_back(static_cast<char>(cp - kRawBase));
        i += 2;
        continue;
      }
    }
    out.push_back(static_cast<char>(c));
  }
  return out;
}

}  // namespace

std::string DumpRawJson(const nlohmann::ordered_json& j) { return DumpRaw(j); }
std::string DumpRawJson(const nlohmann::json& j) { return DumpRaw(j); }

void Ctx::Print(const nlohmann::json& j) { out << DumpRaw(j) << "\n"; }

Result<rgw::User> ParseUid(const AdminOptions& opt) {
  rgw::User u = rgw::User::FromString(opt.uid);
  if (!opt.tenant.empty()) {
    if (!u.tenant.empty() && u.tenant != opt.tenant) {
      return Status(Code::kInvalidArgument, "bad tenant: " + opt.tenant);
    }
    u.tenant = opt.tenant;
  }
  return u;
}

void ParseBucket(const AdminOptions& opt, std::string* tenant, std::string* name) {
  auto slash = opt.bucket.find('/');
  if (slash != std::string::npos) {
    *tenant = opt.bucket.substr(0, slash);
    *name = opt.bucket.substr(slash + 1);
  } else {
    *tenant = opt.tenant;
    *name = opt.bucket;
  }
}

namespace {

using Handler = std::function<int(Ctx&)>;

void AddCommonOptions(CLI::App* cmd, AdminOptions& o) {
  cmd->add_option("--uid,-i", o.uid, "user id ([tenant$]id)");
  cmd->add_option("--tenant", o.tenant, "tenant");
  cmd->add_option("--display-name", o.display_name, "display name");
  cmd->add_option("--email", o.email, "e-mail address");
  cmd->add_option("--access-key", o.access_key, "S3 access key");
  cmd->add_option("--secret-key,--secret", o.secret_key, "secret key");
  cmd->add_option("--key-type", o.key_type, "key type (s3)");
  cmd->add_flag("--gen-access-key", o.gen_access_key, "generate an access key");
  cmd->add_flag("--gen-secret", o.gen_secret, "generate a secret key");
  cmd->add_option("--max-buckets", o.max_buckets, "max number of buckets for a user");
  cmd->add_option("--quota-scope", o.quota_scope, "quota scope: bucket or user");
  cmd->add_flag("--sync-stats", o.sync_stats, "user stats: update the user's stats from its buckets first");
  cmd->add_option("--max-objects", o.max_objects, "quota: max number of objects (-1: none)");
  cmd->add_option("--max-size", o.max_size, "quota: max size in bytes, B/K/M/G/T (-1: none)");
  cmd->add_option("--max-entries", o.max_entries, "max entries to list");
  cmd->add_option("--marker", o.marker, "listing marker");
  cmd->add_option("--bucket,-b", o.bucket, "bucket name ([tenant/]name)");
  cmd->add_option("--bucket-id", o.bucket_id, "bucket id");
  cmd->add_option("--object,-o", o.object, "object name");
  cmd->add_option("--object-version", o.object_version, "object version id");
  cmd->add_flag("--purge-objects", o.purge_objects, "remove a bucket's objects first");
  cmd->add_flag("--purge-data", o.purge_data, "remove the user's buckets and data");
  cmd->add_flag("--purge-keys", o.purge_keys, "remove all keys of the user");
  cmd->add_flag("--system", o.system, "system user");
  cmd->add_flag("--admin", o.admin, "admin user");
  cmd->add_option("--suspended", o.suspended, "suspend (1) or enable (0)");
  cmd->add_option("--infile", o.infile, "object put: file to upload (- = stdin)");
  cmd->add_option("--outfile", o.outfile, "object get: file to write (- = stdout)");
  cmd->add_option("--content-type", o.content_type, "object put: Content-Type");
  cmd->add_option("--metadata", o.metadata, "object put: user metadata k=v (repeatable)")
      ->allow_extra_args(false);
  cmd->add_flag("--fix", o.fix, "bucket scan: repair what was found");
  cmd->add_flag("--include-all", o.include_all, "gc list/process: entries not yet due too");
  cmd->add_option("--min-age-seconds", o.min_age_seconds,
                  "bucket scan --fix: spare orphans younger than this (writes in flight)");
  cmd->add_option("args", o.positional, "positional arguments");
}

struct Command {
  std::string group, verb, help;
  Handler run;
};

std::vector<Command> Commands() {
  return {
      {"user", "create", "create a new user", UserCreate},
      {"user", "info", "get user info", UserInfo},
      {"user", "modify", "modify user", UserModify},
      {"user", "rm", "remove user", UserRm},
      {"user", "list", "list users", UserList},
      {"user", "stats", "show user stats as accounted by quota subsystem", UserStats},
      {"user", "suspend", "suspend a user", [](Ctx& c) { return UserSuspend(c, true); }},
      {"user", "enable", "re-enable a user after suspension",
       [](Ctx& c) { return UserSuspend(c, false); }},
      {"key", "create", "create access key", KeyCreate},
      {"key", "rm", "remove access key", KeyRm},
      {"bucket", "list", "list buckets (of a user with --uid)", BucketList},
      {"bucket", "stats", "returns bucket statistics", BucketStats},
      {"bucket", "rm", "remove bucket", BucketRm},
      {"bucket", "link", "link bucket to specified user", BucketLink},
      {"bi", "list", "list raw bucket index entries", BiList},
      {"object", "stat", "stat an object for its metadata", ObjectStat},
      {"object", "put", "upload an object (--infile PATH|-)", ObjectPut},
      {"object", "get", "download an object (--outfile PATH|-)", ObjectGet},
      {"object", "rm", "remove object", ObjectRm},
      {"bucket", "scan", "check index, heads and tails of a bucket (--fix repairs)", BucketScan},
      {"metadata", "list", "list metadata keys [section]", MetadataList},
      {"quota", "set", "set quota params", [](Ctx& c) { return Quota(c, "set"); }},
      {"quota", "enable", "enable quota", [](Ctx& c) { return Quota(c, "enable"); }},
      {"quota", "disable", "disable quota", [](Ctx& c) { return Quota(c, "disable"); }},
      {"zone", "get", "show zone cluster params", ZoneGet},
      {"zonegroup", "get", "show zonegroup info", ZoneGroupGet},
      {"metadata", "get", "get metadata info <section>:<key>", MetadataGet},
      {"gc", "list", "dump expired garbage collection objects (--include-all: all)",
       [](Ctx& c) { return GcList(c, c.opt.include_all); }},
      {"gc", "process", "manually process garbage (--include-all: not yet expired too)",
       [](Ctx& c) { return GcProcess(c, c.opt.include_all); }},
  };
}

// Parses args into `opt`; returns the handler, or sets *rc (help, errors).
Handler Parse(const std::vector<std::string>& args, AdminOptions& opt, std::ostream& out,
              std::ostream& err, int* rc) {
  CLI::App app{"kelp-admin: administer a Kelp (radosgw-compatible) store", "kelp-admin"};
  app.require_subcommand(1);
  std::map<std::string, CLI::App*> groups;
  std::vector<std::pair<CLI::App*, Handler>> leaves;
  for (const auto& cmd : Commands()) {
    CLI::App*& g = groups[cmd.group];
    if (!g) {
      g = app.add_subcommand(cmd.group, cmd.group + " commands");
      g->require_subcommand(1);
    }
    CLI::App* leaf = g->add_subcommand(cmd.verb, cmd.help);
    AddCommonOptions(leaf, opt);
    leaves.emplace_back(leaf, cmd.run);
  }
  CLI::App* store = app.add_subcommand("store", "store commands");
  store->require_subcommand(1);
  store->add_subcommand("import-dump", "load a golden RADOS dump: import-dump DUMP_DIR")
      ->add_option("args", opt.positional);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 wants it so
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    *rc = app.exit(e, out, err);
    if (*rc != 0) *rc = 22;  // EINVAL, as radosgw-admin for bad usage
    return nullptr;
  }
  for (auto& [leaf, run] : leaves) {
    if (leaf->parsed()) return run;
  }
  if (store->parsed()) {
    *rc = 22;
    err << "store import-dump must run on a store that nothing else holds (stop kelpd first)\n";
    return nullptr;
  }
  *rc = 22;
  err << "unrecognized command\n";
  return nullptr;
}

}  // namespace

bool IsImportDump(const std::vector<std::string>& args) {
  return args.size() >= 2 && args[0] == "store" && args[1] == "import-dump";
}

bool IsStreamingCommand(const std::vector<std::string>& args) {
  return args.size() >= 2 && args[0] == "object" && (args[1] == "put" || args[1] == "get");
}

namespace {

int Run(const std::vector<std::string>& args, rgw::Services& services, std::istream* in,
        std::ostream& out, std::ostream& err) {
  try {
    AdminOptions opt;
    int rc = 0;
    Handler run = Parse(args, opt, out, err, &rc);
    if (!run) return rc;
    Ctx c{services, opt, out, err, in};
    return run(c);
  } catch (const std::exception& e) {  // a library throwing must not take kelpd down
    err << "ERROR: internal error: " << e.what() << "\n";
    return 5;  // EIO
  }
}

}  // namespace

int RunAdmin(const std::vector<std::string>& args, rgw::Services& services, std::ostream& out,
             std::ostream& err) {
  return Run(args, services, nullptr, out, err);
}

int RunAdmin(const std::vector<std::string>& args, rgw::Services& services, std::istream& in,
             std::ostream& out, std::ostream& err) {
  return Run(args, services, &in, out, err);
}

int RunImportDump(const std::vector<std::string>& args, store::ObjectStore& store,
                  std::ostream& out, std::ostream& err) {
  if (args.size() != 3) {
    err << "usage: kelp-admin --data DIR store import-dump DUMP_DIR\n";
    return 22;
  }
  auto exists = store.PoolExists(".rgw.root");
  if (exists.ok() && *exists) {
    std::string cursor;
    auto list = store.List(".rgw.root", store::kAllNamespaces, "", 1, &cursor);
    if (list.ok() && !list->empty()) {
      err << "store import-dump: the store already holds a zone (.rgw.root is not empty)\n";
      return 17;
    }
  }
  auto stats = ImportDump(store, args[2]);
  if (!stats.ok()) {
    err << "store import-dump: " << stats.status().ToString() << "\n";
    return ExitCodeFor(stats.status());
  }
  // The imported zone, read the way kelpd will read it, names the buckets
  // whose heads get their mtimes back.
  auto svc = rgw::Services::Init(store);
  if (!svc.ok()) {
    err << "store import-dump: the imported zone does not load: " << svc.status().ToString()
        << "\n";
    return ExitCodeFor(svc.status());
  }
  auto mtimes = RestoreHeadMtimes(**svc);
  if (!mtimes.ok()) {
    err << "store import-dump: restoring object mtimes: " << mtimes.status().ToString() << "\n";
    return ExitCodeFor(mtimes.status());
  }
  nlohmann::json j = {{"pools", stats->pools},           {"objects", stats->objects},
                      {"head_mtimes_restored", *mtimes}, {"xattrs", stats->xattrs},
                      {"omap_keys", stats->omap_keys},   {"bytes", stats->bytes}};
  out << DumpRawJson(j) << "\n";
  return 0;
}

}  // namespace kelp::admin
