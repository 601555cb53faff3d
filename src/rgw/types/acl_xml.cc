#include "rgw/types/acl_xml.h"

#include <cstring>
#include <sstream>

#include <pugixml.hpp>

namespace kelp::rgw {

namespace {

constexpr const char* kXsiNs = "http://www.w3.org/2001/XMLSchema-instance";

const char* GranteeTypeName(uint32_t type) {
  switch (type) {
    case kGranteeCanonUser: return "CanonicalUser";
    case kGranteeEmail: return "AmazonCustomerByEmail";
    case kGranteeGroup: return "Group";
    default: return nullptr;
  }
}

std::string_view GroupUri(uint32_t group) {
  if (group == kGroupAllUsers) return kAllUsersUri;
  if (group == kGroupAuthenticated) return kAuthenticatedUsersUri;
  return {};
}

uint32_t UriToGroup(std::string_view uri) {
  if (uri == kAllUsersUri) return kGroupAllUsers;
  if (uri == kAuthenticatedUsersUri) return kGroupAuthenticated;
  return kGroupNone;
}

void AppendPermissions(pugi::xml_node grant, uint32_t flags) {
  // ACLPermission_S3::to_xml: FULL_CONTROL, or one element per bit.
  if ((flags & kPermFullControl) == kPermFullControl) {
    grant.append_child("Permission").text().set("FULL_CONTROL");
    return;
  }
  static constexpr std::pair<uint32_t, const char*> kBits[] = {
      {kPermRead, "READ"}, {kPermWrite, "WRITE"}, {kPermReadAcp, "READ_ACP"},
      {kPermWriteAcp, "WRITE_ACP"}};
  for (const auto& [bit, name] : kBits) {
    if (flags & bit) grant.append_child("Permission").text().set(name);
  }
}

bool ParsePermission(std::string_view s, uint32_t* perm) {
  if (s == "FULL_CONTROL") *perm = kPermFullControl;
  else if (s == "READ") *perm = kPermRead;
  else if (s == "WRITE") *perm = kPermWrite;
  else if (s == "READ_ACP") *perm = kPermReadAcp;
  else if (s == "WRITE_ACP") *perm = kPermWriteAcp;
  else return false;
  return true;
}

// Local name of an element/attribute ("xsi:type" -> "type").
std::string_view LocalName(const char* name) {
  std::string_view n(name);
  size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

pugi::xml_node Child(pugi::xml_node parent, std::string_view local) {
  for (pugi::xml_node c : parent.children()) {
    if (c.type() == pugi::node_element && LocalName(c.name()) == local) return c;
  }
  return {};
}

Status MalformedAcl(const std::string& why) { return Status(Code::kMalformedACLError, why); }

// Resolves a canonical or e-mail grantee into a canonical grant.
Result<AclGrant> ResolveGrantee(std::string_view kind, const std::string& value,
                                const std::string& display_name, uint32_t perm,
                                const UserResolver& resolve) {
  if (resolve) {
    auto r = resolve(kind, value);
    if (!r.ok()) return r.status();
    return AclGrant::Canon(r->first, r->second, perm);
  }
  if (kind == "emailAddress") return AclGrant::Email(value, perm);
  return AclGrant::Canon(User::FromString(value), display_name, perm);
}

}  // namespace

std::string AclToXml(const AccessControlPolicy& policy) {
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto root = doc.append_child("AccessControlPolicy");
  root.append_attribute("xmlns") = std::string(kS3Xmlns).c_str();
  if (!policy.owner.id.empty()) {
    auto owner = root.append_child("Owner");
    owner.append_child("ID").text().set(policy.owner.id.ToString().c_str());
    if (!policy.owner.display_name.empty()) {
      owner.append_child("DisplayName").text().set(policy.owner.display_name.c_str());
    }
  }
  auto list = root.append_child("AccessControlList");
  for (const auto& [key, g] : policy.acl.grant_map) {
    const char* type = GranteeTypeName(g.type.type);
    if (g.permission.flags == 0 || !type) continue;
    auto grant = list.append_child("Grant");
    auto grantee = grant.append_child("Grantee");
    grantee.append_attribute("xmlns:xsi") = kXsiNs;
    grantee.append_attribute("xsi:type") = type;
    switch (g.type.type) {
      case kGranteeCanonUser:
        grantee.append_child("ID").text().set(g.id.ToString().c_str());
        if (!g.name.empty()) grantee.append_child("DisplayName").text().set(g.name.c_str());
        break;
      case kGranteeEmail:
        grantee.append_child("EmailAddress").text().set(g.email.c_str());
        break;
      case kGranteeGroup:
        grantee.append_child("URI").text().set(std::string(GroupUri(g.group)).c_str());
        break;
    }
    AppendPermissions(grant, static_cast<uint32_t>(g.permission.flags));
  }
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw);
  return out.str();
}

Result<AccessControlPolicy> AclFromXml(std::string_view xml, const UserResolver& resolve) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) {
    return Status(Code::kMalformedXML, "ACL document is not well-formed XML");
  }
  pugi::xml_node root = doc.document_element();
  if (!root || LocalName(root.name()) != "AccessControlPolicy") {
    return MalformedAcl("missing AccessControlPolicy");
  }
  AccessControlPolicy policy;
  pugi::xml_node owner = Child(root, "Owner");
  pugi::xml_node owner_id = Child(owner, "ID");
  if (!owner || !owner_id) return MalformedAcl("missing Owner/ID");
  policy.owner.id = User::FromString(owner_id.text().get());
  policy.owner.display_name = Child(owner, "DisplayName").text().get();
  pugi::xml_node list = Child(root, "AccessControlList");
  if (!list) return MalformedAcl("missing AccessControlList");
  for (pugi::xml_node grant : list.children()) {
    if (grant.type() != pugi::node_element || LocalName(grant.name()) != "Grant") continue;
    pugi::xml_node grantee = Child(grant, "Grantee");
    pugi::xml_node perm_node = Child(grant, "Permission");
    if (!grantee || !perm_node) return MalformedAcl("Grant without Grantee or Permission");
    uint32_t perm = 0;
    if (!ParsePermission(perm_node.text().get(), &perm)) {
      return MalformedAcl(std::string("unknown permission ") + perm_node.text().get());
    }
    std::string_view type;
    for (pugi::xml_attribute a : grantee.attributes()) {
      if (LocalName(a.name()) == "type" && std::strncmp(a.name(), "xmlns", 5) != 0) {
        type = a.value();
      }
    }
    if (type == "CanonicalUser") {
      pugi::xml_node id = Child(grantee, "ID");
      if (!id) return MalformedAcl("CanonicalUser grantee without ID");
      ASSIGN_OR_RETURN(AclGrant g, ResolveGrantee("id", id.text().get(),
                                                  Child(grantee, "DisplayName").text().get(),
                                                  perm, resolve));
      policy.acl.AddGrant(g);
    } else if (type == "AmazonCustomerByEmail") {
      pugi::xml_node email = Child(grantee, "EmailAddress");
      if (!email) return MalformedAcl("email grantee without EmailAddress");
      ASSIGN_OR_RETURN(AclGrant g,
                       ResolveGrantee("emailAddress", email.text().get(), "", perm, resolve));
      policy.acl.AddGrant(g);
    } else if (type == "Group") {
      uint32_t group = UriToGroup(Child(grantee, "URI").text().get());
      if (group == kGroupNone) return MalformedAcl("unknown group URI");
      policy.acl.AddGrant(AclGrant::Group(group, perm));
    } else {
      return MalformedAcl("unknown grantee type " + std::string(type));
    }
  }
  return policy;
}

Result<AccessControlPolicy> PolicyFromGrantHeaders(const User& owner,
                                                   const std::string& display_name,
                                                   const std::map<std::string, std::string>& headers,
                                                   const UserResolver& resolve) {
  static constexpr std::pair<uint32_t, const char*> kHeaders[] = {
      {kPermRead, "x-amz-grant-read"},
      {kPermWrite, "x-amz-grant-write"},
      {kPermReadAcp, "x-amz-grant-read-acp"},
      {kPermWriteAcp, "x-amz-grant-write-acp"},
      {kPermFullControl, "x-amz-grant-full-control"}};
  AccessControlPolicy policy;
  policy.owner = AclOwner{owner, display_name};
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\0')) {
      s.remove_suffix(1);
    }
    return s;
  };
  for (const auto& [perm, name] : kHeaders) {
    auto it = headers.find(name);
    if (it == headers.end()) continue;
    std::string_view rest = it->second;
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      std::string_view item = trim(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (item.empty()) continue;
      size_t eq = item.find('=');
      if (eq == std::string_view::npos) {
        return Status(Code::kInvalidArgument, "bad grant: " + std::string(item));
      }
      std::string_view kind = trim(item.substr(0, eq));
      std::string_view value = trim(item.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      if (kind == "uri") {
        uint32_t group = UriToGroup(value);
        if (group == kGroupNone) {
          return Status(Code::kInvalidArgument, "unknown group " + std::string(value));
        }
        policy.acl.AddGrant(AclGrant::Group(group, perm));
      } else if (kind == "id" || kind == "emailAddress") {
        ASSIGN_OR_RETURN(AclGrant g, ResolveGrantee(kind, std::string(value), "", perm, resolve));
        policy.acl.AddGrant(g);
      } else {
        return Status(Code::kInvalidArgument, "unknown grantee kind " + std::string(kind));
      }
    }
  }
  return policy;
}

}  // namespace kelp::rgw
