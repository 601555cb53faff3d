// libkelp's public API in one include: the whole S3 gateway as a library.
//
//   #include <kelp/api/kelp.h>         (installed; link Kelp::kelp)
//
//   auto store = kelp::api::OpenStore({.data_dir = "/var/lib/kelp"});  // or .ceph_conf
//   auto gw = kelp::api::Gateway::Open(std::move(*store));
//   kelp::api::RequestContext ctx{(*gw)->ActAs("alice").value()};      // or Identity::System()
//   (*gw)->CreateBucket(ctx, {.bucket = "photos"});
//   auto up = (*gw)->PutObject(ctx, {.bucket = "photos", .key = "a.jpg"});
//   (*up)->Write(bytes); (*up)->Complete();
//   auto down = (*gw)->GetObject(ctx, {.bucket = "photos", .key = "a.jpg"});
//   for (auto c = (*down)->Read(); c.ok() && !c->empty(); c = (*down)->Read()) ...
//
// Users and keys: (*gw)->services().users() (rgw/meta/user_service.h).
// Errors: kelp::Status codes (base/status.h); S3 wire form: base/s3_errors.h.
// See docs/api.md for the whole tour.
#pragma once

#include "api/gateway.h"
#include "api/open_store.h"
#include "api/types.h"
#include "base/s3_errors.h"
#include "base/status.h"
#include "rgw/services.h"
#include "rgw/types/acl.h"
