// The client side of radosgw 16.2's OLH ("object logical head") protocol,
// which makes a name in a versioned bucket point at one of its versions.
//
// The OLH is the plain head object "<marker>_<name>" (size 0, or the null
// version's data). Its xattrs say which version is current:
//   user.rgw.olh.info        RGWOLHInfo{target obj, removed (delete marker)}
//   user.rgw.olh.ver         decimal epoch of the last applied OLH log entry
//   user.rgw.olh.idtag       32 random [0-9a-z]; guards every OLH update
//   user.rgw.olh.pending.<t> RGWOLHPendingInfo{time} while an op is in flight
// The bucket index keeps the authoritative state and a log of changes
// (cls rgw bucket_link_olh / bucket_unlink_instance); writers then replay the
// log onto the OLH object (apply_olh_log) and trim it. Each call below is the
// sequence of RGWRados::set_olh / unlink_obj_instance: init modification on
// the OLH object, the index op, read_olh_log, apply, trim_olh_log and, when
// the last version went away, removal of the OLH object and its index entry.
//
// Version instances are ObjKey.instance: a 31-character id, or "" for the
// null version (suspended buckets, objects written before versioning).
// Thread-safety: stateless functions; concurrent writers race on the OLH
// tag/ver guards and retry as radosgw does.
#pragma once

#include <string>

#include "base/status.h"
#include "rgw/meta/bucket_service.h"
#include "rgw/types/bucket_info.h"
#include "rgw/types/common.h"
#include "store/cls/rgw/types.h"

namespace kelp::rgw {

class Services;

// RGWRados::gen_rand_obj_instance_name: 31 chars of [0-9A-Za-z.-] (a 32-byte
// buffer with its NUL; no '_', which would break raw key parsing).
std::string NewInstanceId();

// Bucket versioning state from RGWBucketInfo flags (rgw/types/bucket_info.h).
inline bool VersioningConfigured(uint32_t flags) { return flags & kBucketVersioned; }
inline bool VersioningEnabled(uint32_t flags) {
  return (flags & kBucketVersioned) && !(flags & kBucketVersionsSuspended);
}

// True when the plain head of `name` carries user.rgw.olh.info (radosgw's
// RGWObjState::is_olh): a write to it must go through SetOlh.
Result<bool> IsOlh(Services& services, const LoadedBucket& bucket, const std::string& name);

// set_olh: makes `target` (name + instance, "" = null) the current version,
// or with delete_marker a delete marker with that instance (`meta` carries
// its owner and mtime). olh_epoch 0 lets the index pick the next epoch.
// NotFound when a delete marker is asked for while one is already current
// (cls_rgw refuses the link then).
Status SetOlh(Services& services, const LoadedBucket& bucket, const ObjKey& target,
              bool delete_marker, const store::cls::rgw::DirEntryMeta* meta,
              uint64_t olh_epoch = 0);

// unlink_obj_instance: removes version `target` ("" or "null" = the null
// version); the next older version (if any) becomes current, its head
// object goes (apply_olh_log's delete_obj of the instance).
Status UnlinkInstance(Services& services, const LoadedBucket& bucket, const ObjKey& target,
                      uint64_t olh_epoch = 0);

// bi_get_instance: the index entry of one version (NotFound if absent).
Result<store::cls::rgw::DirEntry> GetInstanceEntry(Services& services, const LoadedBucket& bucket,
                                                   const ObjKey& target);

}  // namespace kelp::rgw
