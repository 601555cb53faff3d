// RadosStore: the ObjectStore backend over a real Ceph (16.2) cluster, through
// librados' C++ API. The radosgw layout code (src/rgw) runs on it unchanged
// and writes exactly what radosgw writes: same pools, namespaces, oids,
// locators, xattrs, omap; Exec steps forward class/method/input bytes to the
// OSDs, which run the real cls_rgw/cls_version/cls_user/cls_lock/...
//
//   namespace kelp::store::rados {
//   struct RadosOptions { std::string conf_path; std::string user = "admin";
//                         int op_timeout_s = 30; };
//   Result<std::unique_ptr<ObjectStore>> OpenRadosStore(const RadosOptions&);
//   }
//
// Mapping (object_store.h -> librados):
//  - WriteOp -> one ObjectWriteOperation (create, cmpxattr in string mode with
//    the same operand order as our contract: the GIVEN value is compared to
//    the stored one, remove (failok -> OP_FAILOK), write_full, write, append,
//    truncate, zero, setxattr, rmxattr, omap_set/rm_keys/clear/set_header,
//    SetMtime -> the op's mtime2, exec). Operate's *version is the op's
//    object version (the completion's version, i.e. ioctx last_version).
//  - ReadOp -> one ObjectReadOperation (assert_exists, cmpxattr, stat2, read,
//    getxattr(s), omap_get_header/vals2/keys2/vals_by_keys, exec with output).
//    ObjectStat::version is the object version the read saw. Omap listings
//    with max = 0 ask for "everything", which the OSD caps at
//    osd_max_omap_entries_per_request (then *more = true).
//  - Errors: librados errnos map to the codes the embedded engine reports for
//    the same situation (rados_errors.h). A missing pool -> NotFound naming
//    the pool; a full cluster/pool -> kNoSpace (ops carry FULL_TRY, so the OSD
//    answers ENOSPC/EDQUOT at once instead of the client blocking until the
//    cluster has room); timeouts and lost connections -> kIOError.
//  - List: object_list with cursors (ObjectCursor::to_str); kAllNamespaces ->
//    librados::all_nspaces. max = 0 lists everything (as embedded does).
//  - Watch/Notify: watch2/unwatch2/notify2. Watch handles are librados watch
//    cookies; NotifyReply::watcher_id is the replying watch's cookie (= the
//    handle its Watch returned). Watch callbacks run on one dispatcher thread
//    of the store (never on librados' finisher, so a callback may itself call
//    the store); their return value is the notify_ack payload. A watch whose
//    connection broke is re-established on that thread. Notify timeout 0 =
//    30 s; watchers that did not answer in time are simply absent.
//  - Missing pools: with create_missing_pools a write op whose pool is absent
//    (or was deleted since its IoCtx was opened) creates the pool and is
//    submitted again, as radosgw does.
//  - InstanceId = rados.get_instance_id(); PoolId = pool_lookup; CreatePool =
//    pool_create + application "rgw" enabled (as radosgw creates its pools).
//
// Blocking: every call blocks its thread until the cluster answers. Object
// ops are submitted with aio_operate and waited for with op_timeout_s (also
// set as rados_osd_op_timeout/rados_mon_op_timeout/client_mount_timeout, so
// librados itself gives up): never longer than about op_timeout_s; a timeout
// fails with kIOError "timed out". List, pool calls and watch/unwatch are
// synchronous librados calls bounded by the same librados timeouts.
//
// Thread-safety: safe for concurrent use. One IoCtx per pool is cached;
// its namespace/locator are set and the op submitted under a per-pool lock
// (librados copies them into the op at submission).
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "store/object_store.h"

namespace kelp::store::rados {

struct RadosOptions {
  std::string conf_path;       // ceph.conf; "" = librados' default search ($CEPH_CONF, /etc/ceph)
  std::string user = "admin";  // authenticates as client.<user>
  int op_timeout_s = 30;       // per-op bound (see "Blocking" above)
  // radosgw's rgw_init_ioctx(create=true): a write to a pool that does not
  // exist (never created, or deleted under the gateway) creates it (with
  // application "rgw") and goes on, instead of failing NotFound. Reads of a
  // missing pool still fail NotFound.
  bool create_missing_pools = false;
};

// Connects to the cluster. Fails with kIOError naming the conf and user when
// the conf cannot be read or the monitors do not answer within op_timeout_s.
Result<std::unique_ptr<ObjectStore>> OpenRadosStore(const RadosOptions& opts);

}  // namespace kelp::store::rados
