// Internal to kelp-admin: parsed options and the command handlers
// (commands_*.cc). Each handler prints radosgw-admin's JSON to `out` or a
// message to `err` and returns the exit code.
#pragma once

#include <cstdint>
#include <istream>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "base/status.h"
#include "rgw/services.h"
#include "rgw/types/common.h"

namespace kelp::admin {

struct AdminOptions {
  std::string uid;
  std::string tenant;
  std::string display_name;
  std::string email;
  std::string access_key;
  std::string secret_key;
  std::string key_type = "s3";
  std::string bucket;
  std::string bucket_id;
  std::string object;
  std::string object_version;
  std::string marker;
  bool gen_access_key = false;
  bool gen_secret = false;
  bool purge_objects = false;
  bool purge_data = false;
  bool purge_keys = false;
  bool system = false;
  bool admin = false;
  std::optional<int> max_buckets;
  // quota set/enable/disable.
  std::string quota_scope;              // "bucket" | "user"
  std::optional<int64_t> max_objects;
  bool sync_stats = false;              // user stats --sync-stats
  std::optional<std::string> max_size;  // bytes, B/K/M/G/T suffixes
  std::optional<int> max_entries;
  std::optional<int> suspended;
  // object put / get.
  std::string infile;   // "-" = stdin
  std::string outfile;  // "-" or "" = stdout
  std::string content_type;
  std::vector<std::string> metadata;  // "k=v"
  // bucket scan.
  bool fix = false;
  bool include_all = false;  // gc list/process
  int64_t min_age_seconds = 3600;
  std::vector<std::string> positional;
};

// Command context: the streams and the services.
struct Ctx {
  rgw::Services& svc;
  const AdminOptions& opt;
  std::ostream& out;
  std::ostream& err;
  // The caller's stdin, for `object put --infile -`; null when the command
  // runs inside kelpd (admin socket), where object data cannot stream.
  std::istream* in = nullptr;

  // radosgw-admin's formatter: 4-space indented JSON and a newline.
  void Print(const nlohmann::json& j);
  // "<prefix>: <message>" on stderr; returns the exit code for `s`.
  int Fail(const std::string& prefix, const Status& s);
  int Fail(const std::string& message, int code);
};

// 4-space JSON whose strings keep their raw bytes, as radosgw-admin writes
// them (bi list keys hold a bare 0x80; object attrs may hold any byte).
std::string DumpRawJson(const nlohmann::ordered_json& j);
std::string DumpRawJson(const nlohmann::json& j);

// --uid/--tenant as radosgw-admin combines them ("tenant$id" or --tenant).
Result<rgw::User> ParseUid(const AdminOptions& opt);
// --bucket "[tenant/]name" (or --tenant + name).
void ParseBucket(const AdminOptions& opt, std::string* tenant, std::string* name);

int UserCreate(Ctx& c);
int UserInfo(Ctx& c);
int UserModify(Ctx& c);
int UserRm(Ctx& c);
int UserList(Ctx& c);
int UserSuspend(Ctx& c, bool suspend);
int UserStats(Ctx& c);
int KeyCreate(Ctx& c);
int KeyRm(Ctx& c);

int BucketList(Ctx& c);
int BucketStats(Ctx& c);
int BucketRm(Ctx& c);
int BucketLink(Ctx& c);
int BiList(Ctx& c);
int ObjectStat(Ctx& c);
int ObjectPut(Ctx& c);
int ObjectGet(Ctx& c);
int ObjectRm(Ctx& c);
int BucketScan(Ctx& c);

// quota set|enable|disable (`verb`).
int Quota(Ctx& c, const std::string& verb);

int ZoneGet(Ctx& c);
int ZoneGroupGet(Ctx& c);

int MetadataList(Ctx& c);
int MetadataGet(Ctx& c);

}  // namespace kelp::admin
