"""kelp.Error and its subclasses: libkelp failures in S3 vocabulary.

Every failed libkelp call raises :class:`Error` (or a subclass named after the
S3 error code) carrying the S3 error ``code`` string, the ``message`` and the
HTTP ``status`` kelpd would answer with, so code written against kelpd's
error responses reads the same here.

The code/status pairs come from libkelp's one S3 error table
(src/base/s3_errors.h, the same kelpd renders), through the native module.
"""

from __future__ import annotations

from typing import Dict, Tuple, Type

__all__ = [
    "Error",
    "AccessDenied",
    "BadDigest",
    "BucketAlreadyExists",
    "BucketAlreadyOwnedByYou",
    "BucketNotEmpty",
    "EntityTooSmall",
    "IncompleteBody",
    "InvalidArgument",
    "InvalidBucketName",
    "InvalidPart",
    "InvalidPartOrder",
    "InvalidRange",
    "NoSuchBucket",
    "NoSuchKey",
    "NoSuchTagSet",
    "NoSuchUpload",
    "NoSuchUser",
    "NotModified",
    "PreconditionFailed",
    "ServiceUnavailable",
    "UserAlreadyExists",
    "UserSuspended",
]


class Error(Exception):
    """A failed Kelp operation.

    Attributes:
        code: the S3 error code string, e.g. ``"NoSuchKey"``.
        message: the human-readable message.
        status: the HTTP status kelpd answers with, e.g. ``404``.
        kelp_code: libkelp's own code name (``kelp::CodeName``), e.g. ``"NotFound"``.
    """

    code: str = "InternalError"
    status: int = 500

    def __init__(self, message: str = "", *, code: str | None = None, status: int | None = None,
                 kelp_code: str = "") -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.kelp_code = kelp_code

    def __str__(self) -> str:
        return f"{self.code} ({self.status}): {self.message}" if self.message else self.code

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, status={self.status}, message={self.message!r})"


class AccessDenied(Error):
    """The caller may not perform the operation (ACLs)."""

    code = "AccessDenied"
    status = 403

class BadDigest(Error):
    """The Content-MD5 did not match the data."""

    code = "BadDigest"
    status = 400

class BucketAlreadyExists(Error):
    """The bucket name is taken."""

    code = "BucketAlreadyExists"
    status = 409

class BucketAlreadyOwnedByYou(Error):
    """The caller already owns the bucket."""

    code = "BucketAlreadyOwnedByYou"
    status = 409

class BucketNotEmpty(Error):
    """The bucket still holds objects."""

    code = "BucketNotEmpty"
    status = 409

class EntityTooSmall(Error):
    """A multipart part is below the minimum size."""

    code = "EntityTooSmall"
    status = 400

class IncompleteBody(Error):
    """Fewer bytes than content_length were sent."""

    code = "IncompleteBody"
    status = 400

class InvalidArgument(Error):
    """An argument is not valid."""

    code = "InvalidArgument"
    status = 400

class InvalidBucketName(Error):
    """The bucket name is not valid."""

    code = "InvalidBucketName"
    status = 400

class InvalidPart(Error):
    """A listed part was not found or its ETag differs."""

    code = "InvalidPart"
    status = 400

class InvalidPartOrder(Error):
    """Parts were not listed in ascending order."""

    code = "InvalidPartOrder"
    status = 400

class InvalidRange(Error):
    """The requested range cannot be satisfied."""

    code = "InvalidRange"
    status = 416

class NoSuchBucket(Error):
    """The bucket does not exist."""

    code = "NoSuchBucket"
    status = 404

class NoSuchKey(Error):
    """The object does not exist."""

    code = "NoSuchKey"
    status = 404

class NoSuchTagSet(Error):
    """No tags are set."""

    code = "NoSuchTagSet"
    status = 404

class NoSuchUpload(Error):
    """The multipart upload does not exist."""

    code = "NoSuchUpload"
    status = 404

class NoSuchUser(Error):
    """The user does not exist."""

    code = "NoSuchUser"
    status = 404

class NotModified(Error):
    """If-None-Match / If-Modified-Since held: not modified."""

    code = "NotModified"
    status = 304

class PreconditionFailed(Error):
    """If-Match / If-Unmodified-Since failed."""

    code = "PreconditionFailed"
    status = 412

class ServiceUnavailable(Error):
    """The store is busy (e.g. held by another process without a socket)."""

    code = "ServiceUnavailable"
    status = 503

class UserSuspended(Error):
    """The user (or the bucket owner) is suspended."""

    code = "UserSuspended"
    status = 403


class UserAlreadyExists(Error):
    """The user already exists."""

    code = "UserAlreadyExists"
    status = 409

_CLASSES: Dict[str, Type[Error]] = {
    cls.code: cls for cls in (
        AccessDenied, BadDigest, BucketAlreadyExists, BucketAlreadyOwnedByYou, BucketNotEmpty,
        EntityTooSmall, IncompleteBody, InvalidArgument, InvalidBucketName, InvalidPart,
        InvalidPartOrder, InvalidRange, NoSuchBucket, NoSuchKey, NoSuchTagSet, NoSuchUpload,
        NoSuchUser, NotModified, PreconditionFailed, ServiceUnavailable, UserAlreadyExists,
        UserSuspended)
}

_TABLE: Dict[str, Tuple[str, int, str]] = {}


def _table() -> Dict[str, Tuple[str, int, str]]:
    if not _TABLE:
        from . import _kelp
        _TABLE.update(_kelp.s3_error_table())
    return _TABLE


def error_for(kelp_code: str, message: str = "") -> Error:
    """The exception for a libkelp code name (``kelp::CodeName``, e.g. "NotFound")."""
    s3_code, status, default = _table().get(kelp_code, ("InternalError", 500, ""))
    return _make(kelp_code, s3_code, status, message or default)


def _make(kelp_code: str, s3_code: str, status: int, message: str) -> Error:
    cls = _CLASSES.get(s3_code, Error)
    return cls(message, code=s3_code, status=status, kelp_code=kelp_code)


def _from_status(st: Tuple[str, str, int, str]) -> Error:
    # Called by the native module's exception translator with
    # (kelp code name, S3 code, HTTP status, message).
    return _make(*st)


for _cls in (Error, *_CLASSES.values()):
    _cls.__module__ = "kelp"  # shown as kelp.NoSuchKey, picklable by that name
