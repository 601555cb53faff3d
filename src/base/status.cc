#include "base/status.h"

namespace kelp {

const char* CodeName(Code code) {
  switch (code) {
#define K(x) case Code::k##x: return #x;
    K(Ok) K(NotFound) K(Exists) K(Canceled) K(Corruption) K(IOError) K(Busy)
    K(Invalid) K(NoSpace) K(Internal) K(AccessDenied) K(AccountProblem)
    K(AuthorizationHeaderMalformed) K(BadDigest) K(BucketAlreadyExists)
    K(BucketAlreadyOwnedByYou) K(BucketNotEmpty) K(EntityTooLarge)
    K(EntityTooSmall) K(ExpiredToken) K(IncompleteBody) K(InvalidAccessKeyId)
    K(InvalidArgument) K(InvalidBucketName) K(InvalidDigest) K(InvalidPart)
    K(InvalidPartOrder) K(InvalidRange) K(InvalidRequest) K(InvalidTag)
    K(KeyTooLong) K(MalformedACLError) K(MalformedXML) K(MetadataTooLarge)
    K(MethodNotAllowed) K(MissingContentLength) K(NoSuchBucket) K(NoSuchKey)
    K(NoSuchUpload) K(NoSuchTagSet) K(NoSuchUser) K(NotImplemented)
    K(NotModified) K(PreconditionFailed) K(RequestHeaderSectionTooLarge)
    K(RequestTimeout) K(RequestTimeTooSkewed) K(ServiceUnavailable)
    K(SignatureDoesNotMatch) K(TooManyBuckets) K(UserAlreadyExists)
    K(KeyExists) K(EmailExists) K(QuotaExceeded) K(UnresolvableGrantByEmailAddress)
#undef K
  }
  return "Unknown";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string s = CodeName(code_);
  if (!message_.empty()) s += ": " + message_;
  return s;
}

}  // namespace kelp
