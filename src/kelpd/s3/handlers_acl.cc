// Get/PutBucketAcl and Get/PutObjectAcl. The AccessControlPolicy document is
// rgw/types/acl_xml.h's (radosgw's RGWAccessControlPolicy_S3 form); which of
// x-amz-acl, x-amz-grant-* or the body applies is the Gateway's decision.
#include "kelpd/s3/handlers_internal.h"

#if __has_include("rgw/types/acl_xml.h")
#include "rgw/types/acl_xml.h"
#define KELP_HAVE_ACL_XML 1
#endif

namespace kelp::s3 {

#ifdef KELP_HAVE_ACL_XML
Status GetAcl(S3Call& c, bool object) {
  auto policy = object ? c.gw.GetObjectAcl(c.ctx, c.route.bucket, c.route.key)
                       : c.gw.GetBucketAcl(c.ctx, c.route.bucket);
  if (!policy.ok()) return policy.status();
  return SendXml(c, rgw::AclToXml(*policy));
}

Status PutAcl(S3Call& c, bool object) {
  std::string canned = CannedAcl(c);
  auto grants = ExtractGrantHeaders(c.headers());
  ASSIGN_OR_RETURN(std::string body, ReadSmallBody(c));
  std::optional<rgw::AccessControlPolicy> policy;
  if (canned.empty() && grants.empty()) {
    if (body.empty()) return Status(Code::kMalformedACLError, "");
    ASSIGN_OR_RETURN(policy, rgw::AclFromXml(body));
  }
  const rgw::AccessControlPolicy* p = policy ? &*policy : nullptr;
  RETURN_IF_ERROR(object ? c.gw.PutObjectAcl(c.ctx, c.route.bucket, c.route.key, canned, grants, p)
                         : c.gw.PutBucketAcl(c.ctx, c.route.bucket, canned, grants, p));
  return SendEmpty(c, 200);
}
#else
Status GetAcl(S3Call&, bool) {
  return Status(Code::kNotImplemented, "ACL documents are not available in this build");
}
Status PutAcl(S3Call&, bool) {
  return Status(Code::kNotImplemented, "ACL documents are not available in this build");
}
#endif

}  // namespace kelp::s3
