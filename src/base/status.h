// Status and Result<T>: Kelp's one error model.
//
// A Status is either OK or carries a domain Code plus a human-readable
// message. Codes name what went wrong in S3/RGW vocabulary (NoSuchBucket,
// AccessDenied, ...) and storage vocabulary (NotFound, Exists, Canceled,
// Corruption, IOError). Every dialect (S3 XML, Swift, admin JSON, CLI exit
// codes) maps a Code to its wire form in ONE table of its own
// (kelpd/s3/errors.cc for S3); nothing else invents error strings.
//
// Thread-safety: Status and Result are values; distinct objects may be used
// from distinct threads freely.
//
//   Result<int> Parse(std::string_view s);
//   auto r = Parse("42");
//   if (!r.ok()) return r.status();
//   int v = *r;
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace kelp {

enum class Code : unsigned short {
  kOk = 0,
  // --- storage / generic (librados errno analogues) ---
  kNotFound,         // ENOENT
  kExists,           // EEXIST
  kCanceled,         // ECANCELED: a guard (cmpxattr, objv check) failed
  kCorruption,       // undecodable bytes on disk
  kIOError,          // the OS or the store failed
  kBusy,             // EBUSY / resharding / lock held
  kInvalid,          // EINVAL from the store or an object class
  kNoSpace,          // ENOSPC
  kInternal,         // a bug or an impossible state
  // --- S3 request errors ---
  kAccessDenied,
  kAccountProblem,   // suspended user
  kAuthorizationHeaderMalformed,
  kBadDigest,
  kBucketAlreadyExists,
  kBucketAlreadyOwnedByYou,
  kBucketNotEmpty,
  kEntityTooLarge,
  kEntityTooSmall,
  kExpiredToken,
  kIncompleteBody,
  kInvalidAccessKeyId,
  kInvalidArgument,
  kInvalidBucketName,
  kInvalidDigest,
  kInvalidPart,
  kInvalidPartOrder,
  kInvalidRange,
  kInvalidRequest,
  kInvalidTag,
  kKeyTooLong,
  kMalformedACLError,
  kMalformedXML,
  kMetadataTooLarge,
  kMethodNotAllowed,
  kMissingContentLength,
  kNoSuchBucket,
  kNoSuchKey,
  kNoSuchUpload,
  kNoSuchTagSet,
  kNoSuchUser,
  kNotImplemented,
  kNotModified,
  kPreconditionFailed,
  kRequestHeaderSectionTooLarge,
  kRequestTimeout,
  kRequestTimeTooSkewed,
  kServiceUnavailable,
  kSignatureDoesNotMatch,
  kTooManyBuckets,
  kUserAlreadyExists,
  kKeyExists,        // access key already belongs to another user
  kEmailExists,
  kQuotaExceeded,    // a user or bucket quota (radosgw ERR_QUOTA_EXCEEDED)
  kUnresolvableGrantByEmailAddress,  // an ACL grant to an e-mail no user has
  kLastCode = kUnresolvableGrantByEmailAddress,
};

// Name of a code, e.g. "NoSuchBucket". Stable; used in logs and admin JSON.
const char* CodeName(Code code);

class Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status OK() { return Status(); }
  static Status NotFound(std::string m = {}) { return {Code::kNotFound, std::move(m)}; }
  static Status Exists(std::string m = {}) { return {Code::kExists, std::move(m)}; }
  static Status Canceled(std::string m = {}) { return {Code::kCanceled, std::move(m)}; }
  static Status Corruption(std::string m = {}) { return {Code::kCorruption, std::move(m)}; }
  static Status IOError(std::string m = {}) { return {Code::kIOError, std::move(m)}; }
  static Status Invalid(std::string m = {}) { return {Code::kInvalid, std::move(m)}; }
  static Status Internal(std::string m = {}) { return {Code::kInternal, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  bool Is(Code c) const { return code_ == c; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsExists() const { return code_ == Code::kExists; }
  bool IsCanceled() const { return code_ == Code::kCanceled; }

  // "NoSuchBucket: the bucket does not exist"
  std::string ToString() const;

  // Same code, message prefixed with context: "reading user x: ...".
  Status Annotate(const std::string& context) const {
    if (ok()) return *this;
    return Status(code_, context + ": " + message_);
  }

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or an error Status (never an OK status without a value).
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}                  // NOLINT
  Result(Status status) : status_(std::move(status)) {           // NOLINT
    assert(!status_.ok());
  }
  Result(Code code, std::string m) : status_(code, std::move(m)) {}

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T&& operator*() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace kelp

// Early-return helpers.
#define KELP_CONCAT_INNER(a, b) a##b
#define KELP_CONCAT(a, b) KELP_CONCAT_INNER(a, b)

#define RETURN_IF_ERROR(expr)                  \
  do {                                         \
    ::kelp::Status _st = (expr);               \
    if (!_st.ok()) return _st;                 \
  } while (0)

// ASSIGN_OR_RETURN(auto x, Foo());
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(KELP_CONCAT(_res_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(*tmp)
