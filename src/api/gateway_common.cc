// Gateway construction, authentication and the shared helpers.
#include <cctype>

#include "api/gateway_impl.h"
#include "auth/authenticate.h"
#include "rgw/meta/quota.h"
#include "rgw/object/layout.h"
#include "rgw/object/object_reader.h"
#include "rgw/types/acl_xml.h"
#include "rgw/types/obj_tags.h"

namespace kelp::api {
namespace {
void EnableCache(rgw::Services& services, const GatewayOptions& options) {
  if (!options.metadata_cache) return;
  rgw::MetadataCacheOptions opts;
  opts.cache.max_entries = options.metadata_cache_entries;
  services.EnableMetadataCache(opts);
}
}  // namespace

Result<std::unique_ptr<Gateway>> Gateway::Open(std::unique_ptr<store::ObjectStore> store,
                                               GatewayOptions options) {
  ASSIGN_OR_RETURN(auto services, rgw::Services::Init(*store));
  EnableCache(*services, options);
  return std::unique_ptr<Gateway>(
      new GatewayImpl(std::move(store), std::move(services), options));
}

Result<std::unique_ptr<Gateway>> Gateway::OpenUnowned(store::ObjectStore& store,
                                                      GatewayOptions options) {
  ASSIGN_OR_RETURN(auto services, rgw::Services::Init(store));
  EnableCache(*services, options);
  return std::unique_ptr<Gateway>(new GatewayImpl(nullptr, std::move(services), options));
}

namespace {
// Secrets of S3 access keys from users.keys -> users.uid.
class UserSecrets : public auth::SecretLookup {
 public:
  explicit UserSecrets(rgw::UserService& users) : users_(users) {}
  Result<std::string> SecretFor(const std::string& access_key) override {
    auto u = users_.GetByAccessKey(access_key);
    if (!u.ok()) {
      if (u.status().code() == Code::kInvalidAccessKeyId ||
          u.status().code() == Code::kNoSuchUser || u.status().IsNotFound()) {
        return Status(Code::kInvalidAccessKeyId,
                      "The AWS Access Key Id you provided does not exist in our records.");
      }
      return u.status();
    }
    user = std::move(*u);
    auto it = user.info.access_keys.find(access_key);
    if (it == user.info.access_keys.end()) {
      return Status(Code::kInvalidAccessKeyId,
                    "The AWS Access Key Id you provided does not exist in our records.");
    }
    return it->second.key;
  }
  rgw::LoadedUser user;

 private:
  rgw::UserService& users_;
};
}  // namespace

Result<Identity> GatewayImpl::Authenticate(const auth::SignedRequest& req,
                                           auth::AuthResult* out) {
  UserSecrets secrets(services_->users());
  auth::AuthOptions opts;
  opts.max_skew = std::chrono::seconds(options_.max_skew_seconds);
  opts.strict_signed_headers = false;  // radosgw 16.2 signs only what the client lists
  ASSIGN_OR_RETURN(auth::AuthResult res, auth::Authenticate(req, secrets, opts));
  Identity id;
  if (!res.anonymous) {
    const rgw::UserInfo& info = secrets.user.info;
    if (info.suspended) {
      return Status(Code::kAccountProblem, "Your account is suspended.");
    }
    id.anonymous = false;
    id.user = info.user_id;
    id.display_name = info.display_name;
    id.access_key = res.access_key;
    id.system = info.system != 0;
  }
  if (out) *out = std::move(res);
  return id;
}

Result<Identity> GatewayImpl::ActAs(const std::string& uid) {
  ASSIGN_OR_RETURN(rgw::LoadedUser u, services_->users().Get(rgw::User::FromString(uid)));
  if (u.info.suspended) return Status(Code::kAccountProblem, "Your account is suspended.");
  Identity id;
  id.anonymous = false;
  id.user = u.info.user_id;
  id.display_name = u.info.display_name;
  if (!u.info.access_keys.empty()) id.access_key = u.info.access_keys.begin()->first;
  id.system = u.info.system != 0;
  return id;
}

Result<std::shared_ptr<rgw::LoadedBucket>> GatewayImpl::LoadBucket(const RequestContext& ctx,
                                                                   const std::string& bucket) {
  std::string tenant = ctx.who.user.tenant;
  std::string name = bucket;
  auto colon = bucket.find(':');
  if (colon != std::string::npos) {
    tenant = bucket.substr(0, colon);
    name = bucket.substr(colon + 1);
  }
  auto b = services_->buckets().Get(tenant, name);
  if (!b.ok()) {
    if (b.status().IsNotFound() || b.status().code() == Code::kNoSuchBucket) {
      return Status(Code::kNoSuchBucket, "The specified bucket does not exist");
    }
    return b.status();
  }
  return std::make_shared<rgw::LoadedBucket>(std::move(*b));
}

Status GatewayImpl::CheckPolicyPerm(const RequestContext& ctx,
                                    const rgw::AccessControlPolicy& policy, uint32_t perm) {
  if (ctx.who.system) return Status::OK();
  const rgw::User* user = ctx.who.anonymous ? nullptr : &ctx.who.user;
  if (policy.GetPermsFor(user, perm) == perm) return Status::OK();
  return Status(Code::kAccessDenied, "Access Denied");
}

Status GatewayImpl::CheckBucketPerm(const RequestContext& ctx, const rgw::LoadedBucket& bucket,
                                    uint32_t perm) {
  if (ctx.who.system) return Status::OK();
  if (bucket.info.flags & 1) {  // BUCKET_SUSPENDED
    return Status(Code::kAccountProblem, "The bucket's owner is suspended.");
  }
  // The bucket owner may always read and change the ACL (radosgw: owner
  // implicit READ_ACP/WRITE_ACP).
  if (!ctx.who.anonymous && bucket.info.owner == ctx.who.user &&
      (perm & ~(rgw::kPermReadAcp | rgw::kPermWriteAcp)) == 0) {
    return Status::OK();
  }
  return CheckPolicyPerm(ctx, bucket.acl, perm);
}

Status GatewayImpl::CheckBucketOwner(const RequestContext& ctx, const rgw::LoadedBucket& bucket) {
  if (ctx.who.system) return Status::OK();
  if (!ctx.who.anonymous && bucket.info.owner == ctx.who.user) return Status::OK();
  return Status(Code::kAccessDenied, "Access Denied");
}

Result<rgw::AccessControlPolicy> GatewayImpl::ObjectPolicy(
    const rgw::LoadedBucket& bucket, const std::map<std::string, std::string>& attrs) {
  auto it = attrs.find(rgw::kAttrAcl);
  if (it == attrs.end()) {
    return rgw::MakeDefaultPolicy(bucket.info.owner, bucket.acl.owner.display_name);
  }
  rgw::AccessControlPolicy acl;
  RETURN_IF_ERROR(DecodeFromString(it->second, acl).Annotate("decoding object ACL"));
  return acl;
}

Status GatewayImpl::HideMissing(const RequestContext& ctx, const rgw::LoadedBucket& bucket,
                                Status st) {
  if (st.code() == Code::kNoSuchKey && !CheckBucketPerm(ctx, bucket, rgw::kPermRead).ok()) {
    return Status(Code::kAccessDenied, "Access Denied");
  }
  return st;
}

Result<rgw::ObjectHead> GatewayImpl::ReadObjectFor(const RequestContext& ctx,
                                                   const rgw::LoadedBucket& bucket,
                                                   const rgw::ObjKey& key, uint32_t perm,
                                                   rgw::AccessControlPolicy* acl,
                                                   bool prefetch_data) {
  if (bucket.info.flags & 1) {  // BUCKET_SUSPENDED
    return Status(Code::kAccountProblem, "The bucket's owner is suspended.");
  }
  auto head = rgw::ReadHead(*services_, bucket, key, prefetch_data);
  if (!head.ok()) return HideMissing(ctx, bucket, head.status());
  ASSIGN_OR_RETURN(*acl, ObjectPolicy(bucket, head->attrs));
  RETURN_IF_ERROR(CheckPolicyPerm(ctx, *acl, perm));
  return head;
}

Result<rgw::AccessControlPolicy> GatewayImpl::PolicyFor(
    const RequestContext& ctx, const std::string& canned,
    const std::map<std::string, std::string>& grants, const rgw::LoadedBucket* bucket) {
  rgw::User owner = ctx.who.user;
  std::string display = ctx.who.display_name;
  rgw::User bucket_owner = bucket ? bucket->info.owner : owner;
  std::string bucket_owner_display = bucket ? bucket->acl.owner.display_name : display;
  if (!grants.empty()) {
    if (!canned.empty()) {
      return Status(Code::kInvalidRequest,
                    "Specifying both Canned ACLs and Header Grants is not allowed");
    }
    std::map<std::string, std::string> headers;
    for (const auto& [perm, value] : grants) headers["x-amz-grant-" + perm] = value;
    ASSIGN_OR_RETURN(auto policy,
                     rgw::PolicyFromGrantHeaders(owner, display, headers, GranteeResolver()));
    return policy;
  }
  return rgw::MakeCannedPolicy(owner, display, canned.empty() ? "private" : canned, bucket_owner,
                               bucket_owner_display);
}

Result<std::map<std::string, std::string>> GatewayImpl::ObjectAttrs(
    const RequestContext& ctx, const rgw::LoadedBucket& bucket, const PutObjectRequest& req) {
  std::map<std::string, std::string> attrs;
  ASSIGN_OR_RETURN(auto acl, PolicyFor(ctx, req.canned_acl, req.grant_headers, &bucket));
  attrs[rgw::kAttrAcl] = EncodeToString(acl);
  for (const auto& h : rgw::kStoredHeaderAttrs) {
    auto it = req.headers.find(h.http);
    if (it != req.headers.end()) attrs[h.attr] = rgw::WithNul(it->second);
  }
  size_t meta_bytes = 0;
  for (const auto& [k, v] : req.metadata) {
    meta_bytes += k.size() + v.size();
    attrs[std::string(rgw::kAttrMetaPrefix) + k] = rgw::WithNul(v);
  }
  if (meta_bytes > 8192) {
    return Status(Code::kMetadataTooLarge,
                  "Your metadata headers exceed the maximum allowed metadata size.");
  }
  for (const auto& [k, v] : req.recorded_amz_headers) {
    attrs[std::string(rgw::kAttrPrefix) + k] = rgw::WithNul(v);
  }
  return attrs;
}

Status ValidateBucketName(const std::string& name) {
  auto bad = [&](const std::string& why) {
    return Status(Code::kInvalidBucketName, "The specified bucket is not valid: " + why);
  };
  if (name.size() < 3 || name.size() > 63) return bad("length must be 3 to 63");
  for (char c : name) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
          c == '.' || c == '-' || c == '_')) {
      return bad("invalid character");
    }
  }
  if (name.front() == '.' || name.front() == '-' || name.back() == '.' || name.back() == '-') {
    return bad("must start and end with a letter or digit");
  }
  if (name.find("..") != std::string::npos) return bad("consecutive periods");
  // Not an IP address.
  int dots = 0;
  bool all_digits_dots = true;
  for (char c : name) {
    if (c == '.') ++dots;
    else if (!std::isdigit(static_cast<unsigned char>(c))) all_digits_dots = false;
  }
  if (all_digits_dots && dots == 3) return bad("formatted like an IP address");
  return Status::OK();
}

ObjectInfo InfoFromAttrs(const std::string& key, uint64_t size, CephTime mtime,
                         const std::map<std::string, std::string>& attrs) {
  ObjectInfo info;
  info.key = key;
  info.size = size;
  info.mtime = mtime;
  auto get = [&](const char* name) {
    auto it = attrs.find(name);
    return it == attrs.end() ? std::string() : rgw::StripNul(it->second);
  };
  info.etag = get(rgw::kAttrEtag);
  for (const auto& h : rgw::kStoredHeaderAttrs) {
    auto it = attrs.find(h.attr);
    if (it != attrs.end()) info.headers[h.http] = rgw::StripNul(it->second);
  }
  const std::string meta_prefix = rgw::kAttrMetaPrefix;
  for (auto it = attrs.lower_bound(meta_prefix);
       it != attrs.end() && it->first.compare(0, meta_prefix.size(), meta_prefix) == 0; ++it) {
    info.metadata[it->first.substr(meta_prefix.size())] = rgw::StripNul(it->second);
  }
  auto acl_it = attrs.find(rgw::kAttrAcl);
  if (acl_it != attrs.end()) {
    rgw::AccessControlPolicy acl;
    if (DecodeFromString(acl_it->second, acl).ok()) {
      info.owner = acl.owner.id;
      info.owner_display_name = acl.owner.display_name;
    }
  }
  auto tag_it = attrs.find(rgw::kAttrTagging);
  if (tag_it != attrs.end()) {
    rgw::ObjTags tags;
    if (DecodeFromString(tag_it->second, tags).ok()) info.tag_count = tags.tag_map.size();
  }
  return info;
}

Result<QuotaHooks> GatewayImpl::QuotaFor(const RequestContext& ctx,
                                         std::shared_ptr<rgw::LoadedBucket> bucket,
                                         std::optional<uint64_t> length) {
  if (ctx.who.system) return QuotaHooks();  // RGWOp::init_quota skips system requests
  auto owner = services_->users().Get(bucket->info.owner);
  if (!owner.ok()) {
    if (owner.status().Is(Code::kNoSuchUser)) return QuotaHooks();  // an orphaned bucket
    return owner.status();
  }
  const rgw::AppliedQuotas q = rgw::QuotasFor(bucket->info, owner->info);
  if (!q.any()) return QuotaHooks();
  rgw::Services* svc = services_.get();
  QuotaHooks hooks;
  if (length) {
    RETURN_IF_ERROR(rgw::CheckQuota(svc->buckets(), svc->users(), *bucket, q, *length));
  } else {
    hooks.check = [svc, bucket, q](uint64_t size) {
      return rgw::CheckQuota(svc->buckets(), svc->users(), *bucket, q, size);
    };
  }
  if (q.user.enabled) {
    hooks.committed = [svc, bucket] {
      // Best effort: the object is written; a failed sync only delays
      // what the next check sees of this bucket.
      (void)rgw::SyncUserStats(svc->buckets(), svc->users(), *bucket);
    };
  }
  return hooks;
}

// Grantees named by id or e-mail must be users of this gateway: radosgw
// looks them up to fill in display names and turns e-mail grantees into
// canonical users (RGWAccessControlList_S3::create_from_grants).
rgw::UserResolver GatewayImpl::GranteeResolver() {
  return [this](std::string_view kind, std::string_view value)
             -> Result<std::pair<rgw::User, std::string>> {
    if (kind == "emailAddress") {
      auto u = services_->users().GetByEmail(std::string(value));
      if (!u.ok()) {
        if (!u.status().Is(Code::kNoSuchUser)) return u.status();
        return Status(Code::kUnresolvableGrantByEmailAddress,
                      "No user has the e-mail address " + std::string(value));
      }
      return std::make_pair(u->info.user_id, u->info.display_name);
    }
    auto u = services_->users().Get(rgw::User::FromString(value));
    if (!u.ok()) {
      if (!u.status().Is(Code::kNoSuchUser)) return u.status();
      return Status(Code::kInvalidArgument, "Invalid id in grant: " + std::string(value));
    }
    return std::make_pair(u->info.user_id, u->info.display_name);
  };
}

Result<rgw::AccessControlPolicy> GatewayImpl::ResolveGrantees(
    const rgw::AccessControlPolicy& in) {
  rgw::AccessControlPolicy out;
  out.owner = in.owner;
  out.acl.referer_list = in.acl.referer_list;
  const rgw::UserResolver resolve = GranteeResolver();
  for (const auto& [key, g] : in.acl.grant_map) {
    const bool email = g.type.type == rgw::kGranteeEmail;
    if (!email && g.type.type != rgw::kGranteeCanonUser) {
      out.acl.AddGrant(g);
      continue;
    }
    ASSIGN_OR_RETURN(auto user, resolve(email ? "emailAddress" : "id",
                                        email ? g.email : g.id.ToString()));
    out.acl.AddGrant(rgw::AclGrant::Canon(user.first, user.second,
                                          static_cast<uint32_t>(g.permission.flags)));
  }
  return out;
}

}  // namespace kelp::api
