// Translation of librados results into Kelp Status, and decoding of a
// notify2 reply. Kept free of librados types so it is unit-tested without a
// cluster.
//
// Errno -> Code follows what the embedded engine reports for the same
// situation (store/embedded/op_runner.h): ENOENT/ENODATA -> NotFound,
// EEXIST -> Exists, ECANCELED -> Canceled, EINVAL/ERANGE/E2BIG/EFBIG/
// ENAMETOOLONG -> Invalid, ENOSPC/EDQUOT -> NoSpace, EBUSY and radosgw's
// ERR_BUSY_RESHARDING -> Busy, EOPNOTSUPP -> NotImplemented (unknown class
// method), EIO -> IOError (a class found corrupt data), ETIMEDOUT ->
// IOError "timed out", connection errors -> IOError, anything else ->
// IOError with strerror.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/object_store.h"

namespace kelp::store::rados {

// `r` is a librados return value (< 0 = -errno). `what` names the operation
// and object for the message, e.g. "operate on default.rgw.meta/users.uid/x".
Status FromRados(int r, const std::string& what);

// notify2's reply: map<pair<gid, cookie>, bufferlist> acks followed by
// set<pair<gid, cookie>> timeouts (what radosgw decodes). Returns the acks in
// order, watcher_id = the watch cookie; `*timed_out` = number of watchers
// that did not answer. Corruption if the bytes do not parse.
Result<std::vector<NotifyReply>> DecodeNotifyReply(std::string_view bytes,
                                                   size_t* timed_out = nullptr);

}  // namespace kelp::store::rados
