#include "store/rados/rados_errors.h"

#include <cerrno>
#include <cstring>

#include "base/encoding.h"

namespace kelp::store::rados {

namespace {
// radosgw's ERR_BUSY_RESHARDING, returned by cls_rgw's resharding guard.
constexpr int kErrBusyResharding = 2300;
}  // namespace

Status FromRados(int r, const std::string& what) {
  if (r >= 0) return Status::OK();
  const int e = -r;
  const std::string detail = what + ": " + std::strerror(e) + " (errno " + std::to_string(e) + ")";
  switch (e) {
    case ENOENT:
    case ENODATA:
      return Status::NotFound(detail);
    case EEXIST:
      return Status::Exists(detail);
    case ECANCELED:
      return Status::Canceled(detail);
    case EINVAL:
    case ERANGE:
    case E2BIG:
    case EFBIG:
    case ENAMETOOLONG:
      return Status::Invalid(detail);
    case ENOSPC:
      return Status(Code::kNoSpace, what + ": the cluster is full (ENOSPC)");
    case EDQUOT:
      return Status(Code::kNoSpace, what + ": the pool quota is exceeded (EDQUOT)");
    case EBUSY:
      return Status(Code::kBusy, detail);
    case kErrBusyResharding:
      return Status(Code::kBusy, what + ": bucket index is resharding (ERR_BUSY_RESHARDING)");
    case EOPNOTSUPP:
      return Status(Code::kNotImplemented, detail);
    case ETIMEDOUT:
      return Status::IOError(what + ": timed out waiting for the cluster");
    case ENOTCONN:
    case ESHUTDOWN:
    case ECONNREFUSED:
    case ECONNRESET:
    case EHOSTUNREACH:
      return Status::IOError(what + ": connection to the cluster lost (" + std::strerror(e) + ")");
    case EPERM:
    case EACCES:
      return Status::IOError(what + ": permission denied by the cluster (check the client's caps)");
    default:
      return Status::IOError(detail);
  }
}

Result<std::vector<NotifyReply>> DecodeNotifyReply(std::string_view bytes, size_t* timed_out) {
  Decoder d(bytes);
  std::vector<NotifyReply> out;
  uint32_t n = d.U32();
  for (uint32_t i = 0; i < n && d.ok(); ++i) {
    NotifyReply r;
    (void)d.U64();  // gid of the watching client
    r.watcher_id = d.U64();  // its watch cookie
    r.payload = d.Str();
    out.push_back(std::move(r));
  }
  uint32_t missed = d.U32();
  for (uint32_t i = 0; i < missed && d.ok(); ++i) d.Skip(16);
  if (!d.ok()) return Status::Corruption("undecodable notify reply: " + d.status().message());
  if (timed_out) *timed_out = missed;
  return out;
}

}  // namespace kelp::store::rados
