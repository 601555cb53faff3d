#include "base/s3_errors.h"

namespace kelp {
namespace {

// Indexed by kelp::Code. Statuses and codes: radosgw's rgw_http_s3_errors where it has one
// (EEXIST -> 409 BucketAlreadyExists, ENOENT -> 404 NoSuchKey, ERR_USER_SUSPENDED -> 403
// UserSuspended, ERR_REQUEST_TIMEOUT -> 400 RequestTimeout, ERR_NO_SUCH_TAG_SET -> 404
// NoSuchTagSet (measured on 16.2.15), ERR_LENGTH_REQUIRED -> 411 MissingContentLength).
const S3ErrorInfo* Lookup(Code code) {
  static const S3ErrorInfo kInternal{500, "InternalError",
                                     "We encountered an internal error. Please try again."};
  switch (code) {
    case Code::kOk: {
      static const S3ErrorInfo kOk{200, "", ""};
      return &kOk;
    }
#define E(c, status, s3code, msg)                  \
  case Code::c: {                                  \
    static const S3ErrorInfo kInfo{status, s3code, msg}; \
    return &kInfo;                                 \
  }
    // --- storage / generic ---
    E(kNotFound, 404, "NoSuchKey", "The specified key does not exist.")
    E(kExists, 409, "BucketAlreadyExists",
      "The requested bucket name is not available.")
    E(kInvalid, 400, "InvalidArgument", "Invalid Argument")
    E(kBusy, 503, "ServiceUnavailable", "Please reduce your request rate.")
    case Code::kCanceled:
    case Code::kCorruption:
    case Code::kIOError:
    case Code::kNoSpace:
    case Code::kInternal:
      return &kInternal;
    // --- S3 request errors ---
    E(kAccessDenied, 403, "AccessDenied", "Access Denied")
    E(kAccountProblem, 403, "UserSuspended", "The user is suspended.")
    E(kAuthorizationHeaderMalformed, 400, "AuthorizationHeaderMalformed",
      "The authorization header is malformed.")
    E(kBadDigest, 400, "BadDigest",
      "The Content-MD5 you specified did not match what we received.")
    E(kBucketAlreadyExists, 409, "BucketAlreadyExists",
      "The requested bucket name is not available.")
    E(kBucketAlreadyOwnedByYou, 409, "BucketAlreadyOwnedByYou",
      "Your previous request to create the named bucket succeeded and you already own it.")
    E(kBucketNotEmpty, 409, "BucketNotEmpty",
      "The bucket you tried to delete is not empty.")
    E(kEntityTooLarge, 400, "EntityTooLarge",
      "Your proposed upload exceeds the maximum allowed object size.")
    E(kEntityTooSmall, 400, "EntityTooSmall",
      "Your proposed upload is smaller than the minimum allowed object size.")
    E(kExpiredToken, 400, "ExpiredToken", "The provided token has expired.")
    E(kIncompleteBody, 400, "IncompleteBody",
      "You did not provide the number of bytes specified by the Content-Length HTTP header.")
    E(kInvalidAccessKeyId, 403, "InvalidAccessKeyId",
      "The AWS access key ID you provided does not exist in our records.")
    E(kInvalidArgument, 400, "InvalidArgument", "Invalid Argument")
    E(kInvalidBucketName, 400, "InvalidBucketName",
      "The specified bucket is not valid.")
    E(kInvalidDigest, 400, "InvalidDigest",
      "The Content-MD5 you specified is not valid.")
    E(kInvalidPart, 400, "InvalidPart",
      "One or more of the specified parts could not be found.")
    E(kInvalidPartOrder, 400, "InvalidPartOrder",
      "The list of parts was not in ascending order.")
    E(kInvalidRange, 416, "InvalidRange", "The requested range cannot be satisfied.")
    E(kInvalidRequest, 400, "InvalidRequest", "Invalid Request")
    E(kInvalidTag, 400, "InvalidTag", "The tag provided was not a valid tag.")
    E(kKeyTooLong, 400, "KeyTooLongError", "Your key is too long.")
    E(kMalformedACLError, 400, "MalformedACLError",
      "The XML you provided was not well-formed or did not validate against our published "
      "schema.")
    E(kMalformedXML, 400, "MalformedXML",
      "The XML you provided was not well-formed or did not validate against our published "
      "schema.")
    E(kMetadataTooLarge, 400, "MetadataTooLarge",
      "Your metadata headers exceed the maximum allowed metadata size.")
    E(kMethodNotAllowed, 405, "MethodNotAllowed",
      "The specified method is not allowed against this resource.")
    E(kMissingContentLength, 411, "MissingContentLength",
      "You must provide the Content-Length HTTP header.")
    E(kNoSuchBucket, 404, "NoSuchBucket", "The specified bucket does not exist.")
    E(kNoSuchKey, 404, "NoSuchKey", "The specified key does not exist.")
    E(kNoSuchUpload, 404, "NoSuchUpload", "The specified multipart upload does not exist.")
    E(kNoSuchTagSet, 404, "NoSuchTagSet", "The TagSet does not exist.")
    E(kNoSuchUser, 404, "NoSuchUser", "The specified user does not exist.")
    E(kNotImplemented, 501, "NotImplemented",
      "A header or query you provided implies functionality that is not implemented.")
    E(kNotModified, 304, "NotModified", "Not Modified")
    E(kPreconditionFailed, 412, "PreconditionFailed",
      "At least one of the preconditions you specified did not hold.")
    E(kRequestHeaderSectionTooLarge, 431, "RequestHeaderSectionTooLarge",
      "Your request header section exceeds the maximum allowed size.")
    E(kRequestTimeout, 400, "RequestTimeout",
      "Your socket connection to the server was not read from or written to within the "
      "timeout period.")
    E(kRequestTimeTooSkewed, 403, "RequestTimeTooSkewed",
      "The difference between the request time and the server's time is too large.")
    E(kServiceUnavailable, 503, "ServiceUnavailable", "Please reduce your request rate.")
    E(kSignatureDoesNotMatch, 403, "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided.")
    E(kTooManyBuckets, 400, "TooManyBuckets",
      "You have attempted to create more buckets than allowed.")
    E(kUserAlreadyExists, 409, "UserAlreadyExists", "The user already exists.")
    E(kKeyExists, 409, "KeyExists", "The access key already exists.")
    E(kEmailExists, 409, "EmailExists", "The email address is already in use.")
    E(kQuotaExceeded, 403, "QuotaExceeded", "Quota exceeded.")
    E(kUnresolvableGrantByEmailAddress, 400, "UnresolvableGrantByEmailAddress",
      "The e-mail address you provided does not match any account on record.")
#undef E
  }
  return &kInternal;
}

}  // namespace

const S3ErrorInfo& S3ErrorFor(Code code) { return *Lookup(code); }

}  // namespace kelp
