// DeleteObject and the multi-object DeleteObjects (POST ?delete).
#include "kelpd/s3/handlers_internal.h"
#include "kelpd/s3/xml_parse.h"
#include "kelpd/s3/xml_render.h"

namespace kelp::s3 {

Status DeleteObject(S3Call& c) {
  ASSIGN_OR_RETURN(api::DeleteResult r, c.gw.DeleteObject(c.ctx, c.route.bucket, c.route.key,
                                                          c.query.GetOr("versionId", "")));
  if (r.delete_marker) c.out.AddHeader("x-amz-delete-marker", "true");
  if (!r.version_id.empty()) c.out.AddHeader("x-amz-version-id", r.version_id);
  return SendEmpty(c, 204);
}

Status DeleteObjects(S3Call& c) {
  ASSIGN_OR_RETURN(std::string body, ReadSmallBody(c));
  ASSIGN_OR_RETURN(DeleteObjectsInput in, ParseDeleteObjects(body));
  bool versions = false;
  for (const auto& o : in.objects) versions |= !o.version_id.empty();
  std::vector<api::DeleteResult> results;
  if (!versions) {
    std::vector<std::string> keys;
    keys.reserve(in.objects.size());
    for (const auto& o : in.objects) keys.push_back(o.key);
    ASSIGN_OR_RETURN(results, c.gw.DeleteObjects(c.ctx, c.route.bucket, keys));
  } else {
    // Specific versions: one DeleteObject each (the Gateway's batch call
    // takes keys only).
    for (const auto& o : in.objects) {
      auto r = c.gw.DeleteObject(c.ctx, c.route.bucket, o.key, o.version_id);
      if (r.ok()) {
        results.push_back(std::move(*r));
      } else {
        api::DeleteResult failed;
        failed.key = o.key;
        failed.version_id = o.version_id;
        failed.status = r.status();
        results.push_back(std::move(failed));
      }
    }
  }
  return SendXml(c, RenderDeleteResult(results, in.quiet));
}

}  // namespace kelp::s3
