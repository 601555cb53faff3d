#include "admin/import_dump.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/crypto.h"
#include "store/cls/rgw/keys.h"
#include "store/cls/rgw/types.h"

namespace kelp::admin {
namespace fs = std::filesystem;
namespace {

Result<std::string> ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<std::string> Unhex(const nlohmann::json& v, const char* what) {
  std::string raw;
  if (!v.is_string() || !HexDecode(v.get<std::string>(), &raw)) {
    return Status::Corruption(std::string("manifest: bad ") + what);
  }
  return raw;
}

// Raw name of a file in xattr/ or omap/: hex of the bytes, or "x<sha256>"
// with the raw name in a sibling "<file>.name" (names over 127 bytes).
Result<std::string> RawName(const fs::path& file) {
  std::string base = file.filename().string();
  if (!base.empty() && base[0] == 'x') {
    fs::path name_file = file;
    name_file += ".name";
    return ReadFile(name_file);
  }
  std::string raw;
  if (!HexDecode(base, &raw)) return Status::Corruption("dump: bad hex name " + file.string());
  return raw;
}

}  // namespace

Result<ImportStats> ImportDump(store::ObjectStore& store, const std::string& dump_dir) {
  fs::path root(dump_dir);
  ASSIGN_OR_RETURN(std::string text, ReadFile(root / "manifest.json"));
  nlohmann::json manifest = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (manifest.is_discarded() || !manifest.contains("objects") || !manifest.contains("pools")) {
    return Status::Corruption("manifest.json of " + dump_dir + " is not a RADOS dump manifest");
  }
  ImportStats stats;
  for (const auto& pool : manifest["pools"]) {
    std::string name = pool.value("name", "");
    ASSIGN_OR_RETURN(bool exists, store.PoolExists(name));
    if (!exists) RETURN_IF_ERROR(store.CreatePool(name));
    ++stats.pools;
  }
  for (const auto& obj : manifest["objects"]) {
    store::ObjectId id;
    id.pool = obj.value("pool", "");
    ASSIGN_OR_RETURN(id.ns, Unhex(obj["namespace_hex"], "namespace_hex"));
    ASSIGN_OR_RETURN(id.oid, Unhex(obj["oid_hex"], "oid_hex"));
    ASSIGN_OR_RETURN(id.locator, Unhex(obj["locator_hex"], "locator_hex"));
    fs::path dir = root / obj.value("path", "");
    if (!obj.value("data_stored", false)) {
      return Status::Corruption("dump holds no data for " + id.ToString());
    }
    store::WriteOp op;
    op.Remove(/*failok=*/true);
    op.Create(false);
    std::string data;
    if (fs::exists(dir / "data")) {
      ASSIGN_OR_RETURN(data, ReadFile(dir / "data"));
    }
    if (data.size() != obj.value("size", uint64_t{0})) {
      return Status::Corruption("dump data of " + id.ToString() + " has the wrong size");
    }
    stats.bytes += data.size();
    op.WriteFull(std::move(data));
    for (const auto& x : obj.value("xattrs", nlohmann::json::array())) {
      ASSIGN_OR_RETURN(std::string name, Unhex(x["name_hex"], "xattr name_hex"));
      ASSIGN_OR_RETURN(std::string value, ReadFile(dir / "xattr" / x.value("file", "")));
      op.SetXattr(name, std::move(value));
      ++stats.xattrs;
    }
    if (fs::exists(dir / "omap_header")) {
      ASSIGN_OR_RETURN(std::string header, ReadFile(dir / "omap_header"));
      op.OmapSetHeader(std::move(header));
    }
    std::map<std::string, std::string> kv;
    if (fs::is_directory(dir / "omap")) {
      for (const auto& e : fs::directory_iterator(dir / "omap")) {
        if (e.path().extension() == ".name") continue;
        ASSIGN_OR_RETURN(std::string key, RawName(e.path()));
        ASSIGN_OR_RETURN(kv[key], ReadFile(e.path()));
      }
    }
    if (kv.size() != obj.value("omap_key_count", size_t{0})) {
      return Status::Corruption("dump omap of " + id.ToString() + " has the wrong key count");
    }
    stats.omap_keys += kv.size();
    if (!kv.empty()) op.OmapSet(std::move(kv));
    RETURN_IF_ERROR(store.Operate(id, op).Annotate("importing " + id.ToString()));
    ++stats.objects;
  }
  return stats;
}

Result<size_t> RestoreHeadMtimes(rgw::Services& svc) {
  namespace clsrgw = store::cls::rgw;
  size_t touched = 0;
  ASSIGN_OR_RETURN(auto instances, svc.buckets().ListInstances("", 0, nullptr));
  for (const auto& key : instances) {
    // "[tenant/]name:bucket_id"
    auto colon = key.rfind(':');
    std::string bucket_key = key.substr(0, colon);
    auto slash = bucket_key.find('/');
    std::string tenant = slash == std::string::npos ? "" : bucket_key.substr(0, slash);
    std::string name = slash == std::string::npos ? bucket_key : bucket_key.substr(slash + 1);
    auto b = svc.buckets().GetInstance(tenant, name, key.substr(colon + 1));
    if (!b.ok()) continue;
    auto placement = svc.zone().Placement(b->info.placement_rule.name);
    if (!placement.ok()) continue;
    rgw::Pool data = b->info.bucket.explicit_placement.data_pool;
    if (data.empty()) data = placement->DataPool(b->info.placement_rule.storage_class);
    uint32_t n = std::max<uint32_t>(b->num_shards(), 1);
    for (uint32_t s = 0; s < n; ++s) {
      std::string after;
      bool more = true;
      while (more) {
        std::map<std::string, std::string> kv;
        store::ReadOp op;
        op.OmapGetVals(after, "", 1000, &kv, &more);
        if (!svc.store().Operate(b->IndexShard(svc.zone(), s), op).ok() || kv.empty()) break;
        for (const auto& [idx, val] : kv) {
          after = idx;
          if (!clsrgw::IsPlainKey(idx)) continue;
          clsrgw::DirEntry e;
          if (!DecodeFromString(val, e).ok() || !e.exists || e.meta.mtime.IsZero()) continue;
          rgw::Obj obj;
          obj.bucket = b->info.bucket;
          if (!rgw::ObjKey::ParseRawOid(e.key.name, &obj.key) || !obj.key.ns.empty()) continue;
          obj.key.instance = e.key.instance;
          store::ObjectId head = rgw::ZoneService::Id(data, obj.GetOid(), obj.GetLocator());
          // The embedded engine commits an op only when it changes something
          // besides the mtime, so one xattr is rewritten with its own value.
          std::map<std::string, std::string> xattrs;
          if (!svc.store().Operate(head, store::ReadOp().GetXattrs(&xattrs)).ok()) continue;
          store::WriteOp set;
          set.AssertExists();
          if (!xattrs.empty()) set.SetXattr(xattrs.begin()->first, xattrs.begin()->second);
          set.SetMtime(e.meta.mtime);
          if (svc.store().Operate(head, set).ok()) ++touched;
        }
      }
    }
  }
  return touched;
}

}  // namespace kelp::admin
