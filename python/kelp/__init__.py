"""kelp: the Kelp S3 gateway (libkelp) in-process, without HTTP.

Programs use a Kelp store directly with the same authorization (ACLs), RADOS
layout and consistency as kelpd::

    import kelp

    with kelp.open("/var/lib/kelp") as store:
        store.admin.create_user("alice", "Alice")
        gw = store.as_user("alice")
        gw.create_bucket("photos")
        gw.put_object("photos", "a.jpg", b"...", content_type="image/jpeg")
        with gw.open_object("photos", "a.jpg") as f:
            head = f.read(16)
        for obj in gw.list_objects("photos", prefix="a"):
            print(obj.key, obj.size, obj.mtime)

Every libkelp call releases the GIL, so threads sharing one store run in
parallel. Object data always streams in bounded chunks: ``put_object``
accepts bytes, a binary file object or an iterable of bytes, and
``open_object`` returns a file-like stream.

Failures raise :class:`kelp.Error` (``.code``, ``.message``, ``.status``) or
one of its subclasses (:class:`NoSuchKey`, :class:`NoSuchBucket`,
:class:`AccessDenied`, ...).
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import os
import urllib.parse
from dataclasses import dataclass, field
from typing import (Any, BinaryIO, Dict, Iterable, Iterator, List, Mapping, Optional,
                    Tuple, Union)

from . import _kelp
from ._errors import *  # noqa: F401,F403  (kelp.Error, kelp.NoSuchKey, ...)
from ._errors import Error, _from_status, error_for
from ._errors import __all__ as _errors_all

__all__ = [
    "open", "Store", "Admin", "Gateway", "ObjectStream", "ObjectInfo", "CommonPrefix", "Bucket",
    "PutResult", "CopyResult", "DeleteResult", "Part", "MultipartUpload", "Grant", "Acl",
    "ListPage", "DEFAULT_CHUNK_SIZE", "error_for",
] + list(_errors_all)

#: Bytes read from a file object or returned per chunk when streaming.
DEFAULT_CHUNK_SIZE = 4 << 20  # radosgw's stripe size

#: Data put_object / upload_part accept: bytes-like, a binary file object, or
#: an iterable of bytes-like chunks.
Data = Union[bytes, bytearray, memoryview, BinaryIO, Iterable[bytes]]
#: (first, last) inclusive byte offsets; last None = to the end; first None =
#: the last `last` bytes (HTTP "bytes=-N").
Range = Tuple[Optional[int], Optional[int]]


def _time(ns: int) -> _dt.datetime:
    return _dt.datetime.fromtimestamp(ns // 1_000_000_000, _dt.timezone.utc).replace(
        microsecond=(ns % 1_000_000_000) // 1000)


def _ns(t: Optional[_dt.datetime]) -> Optional[int]:
    if t is None:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=_dt.timezone.utc)
    return int(t.timestamp()) * 1_000_000_000 + t.microsecond * 1000


# ---------------------------------------------------------------- values ---


@dataclass(frozen=True)
class ObjectInfo:
    """An object's metadata, as HEAD or a listing returns it.

    ``headers`` holds the stored HTTP headers in lower case (``content-type``,
    ``cache-control``, ...); ``metadata`` the user metadata without the
    ``x-amz-meta-`` prefix. Listings fill only key, size, etag, mtime,
    storage_class and owner.
    """

    key: str
    size: int
    etag: str
    mtime: _dt.datetime
    version_id: str = ""
    storage_class: str = "STANDARD"
    owner: str = ""
    owner_display_name: str = ""
    headers: Dict[str, str] = field(default_factory=dict)
    metadata: Dict[str, str] = field(default_factory=dict)
    tag_count: int = 0

    @property
    def content_type(self) -> str:
        """The stored Content-Type ('' if none)."""
        return self.headers.get("content-type", "")

    @property
    def last_modified(self) -> _dt.datetime:
        """Alias of mtime (S3's Last-Modified)."""
        return self.mtime

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> "ObjectInfo":
        return cls(key=d["key"], size=d["size"], etag=d["etag"], mtime=_time(d["mtime_ns"]),
                   version_id=d["version_id"], storage_class=d["storage_class"],
                   owner=d["owner"], owner_display_name=d["owner_display_name"],
                   headers=dict(d["headers"]), metadata=dict(d["metadata"]),
                   tag_count=d["tag_count"])


@dataclass(frozen=True)
class CommonPrefix:
    """A common prefix ("directory") of a delimited listing."""

    prefix: str


@dataclass(frozen=True)
class ListPage:
    """One page of a listing: objects, common prefixes and where to go on."""

    objects: List[ObjectInfo]
    common_prefixes: List[str]
    truncated: bool
    next_marker: str


@dataclass(frozen=True)
class Bucket:
    """A bucket of the user's bucket list."""

    name: str
    creation_date: _dt.datetime


@dataclass(frozen=True)
class PutResult:
    """Result of a put, part upload or multipart completion."""

    etag: str
    version_id: str = ""


@dataclass(frozen=True)
class CopyResult:
    """Result of a server-side copy."""

    etag: str
    mtime: _dt.datetime


@dataclass(frozen=True)
class DeleteResult:
    """Result of deleting one key (error set when that key failed in delete_objects)."""

    key: str
    version_id: str = ""
    delete_marker: bool = False
    error: Optional[Error] = None

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> "DeleteResult":
        err = _from_status(d["error"]) if d["error"] is not None else None
        return cls(d["key"], d["version_id"], d["delete_marker"], err)


@dataclass(frozen=True)
class Part:
    """An uploaded part of a multipart upload."""

    number: int
    size: int
    etag: str
    mtime: _dt.datetime


@dataclass(frozen=True)
class MultipartUpload:
    """An in-progress multipart upload."""

    key: str
    upload_id: str
    initiated: _dt.datetime
    owner: str
    owner_display_name: str

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> "MultipartUpload":
        return cls(d["key"], d["upload_id"], _time(d["initiated_ns"]), d["owner"],
                   d["owner_display_name"])


@dataclass(frozen=True)
class Grant:
    """One ACL grant. type: CanonicalUser, AmazonCustomerByEmail or Group;
    permission: FULL_CONTROL, READ, WRITE, READ_ACP or WRITE_ACP."""

    type: str
    permission: str
    id: str = ""
    display_name: str = ""
    email: str = ""
    uri: str = ""


@dataclass(frozen=True)
class Acl:
    """An access control policy: the owner and the grants."""

    owner_id: str
    owner_display_name: str
    grants: List[Grant]

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> "Acl":
        return cls(d["owner"]["id"], d["owner"]["display_name"],
                   [Grant(g["type"], g["permission"], g["id"], g["display_name"], g["email"],
                          g["uri"]) for g in d["grants"]])


# ---------------------------------------------------------------- streams ---


class ObjectStream(io.RawIOBase):
    """A read-only, non-seekable binary stream over an object (or a range).

    Compatible with io.RawIOBase (``read``, ``readinto``, ``readall``, wrap
    it in io.BufferedReader or io.TextIOWrapper as needed). Iterating yields
    the data in chunks (as botocore's StreamingBody does), not lines.
    ``info`` is the object's metadata; ``content_length`` the bytes this
    stream returns.
    """

    def __init__(self, download: "_kelp.Download") -> None:
        super().__init__()
        self._dl = download
        self.info: ObjectInfo = ObjectInfo._from(download.info)
        self.content_length: int = download.content_length
        #: (first, last) when a range applied, else None.
        self.range: Optional[Tuple[int, int]] = (
            (download.range_first, download.range_last) if download.partial else None)

    def readable(self) -> bool:
        """True: the stream can be read."""
        return True

    def readinto(self, buffer: Any) -> int:  # type: ignore[override]
        """Fills `buffer` as far as the data goes; returns the byte count (0 at the end)."""
        self._check()
        return self._dl.readinto(buffer)

    def read(self, size: Optional[int] = -1) -> bytes:
        """Up to `size` bytes; all the rest for -1/None; b'' at the end."""
        self._check()
        if size is None or size < 0:
            return self.readall()
        if size == 0:
            return b""
        return self._dl.read(size)

    def readall(self) -> bytes:
        """All remaining bytes (fine for small objects; stream large ones)."""
        self._check()
        chunks = []
        while True:
            c = self._dl.read(-1)
            if not c:
                return b"".join(chunks)
            chunks.append(c)

    def iter_chunks(self, chunk_size: Optional[int] = None) -> Iterator[bytes]:
        """Yields the data in chunks of at most `chunk_size` (default: as stored)."""
        self._check()
        while True:
            c = self._dl.read(-1 if chunk_size is None else chunk_size)
            if not c:
                return
            yield c

    def __iter__(self) -> Iterator[bytes]:  # type: ignore[override]
        return self.iter_chunks()

    def __next__(self) -> bytes:  # type: ignore[override]
        c = self._dl.read(-1)
        if not c:
            raise StopIteration
        return c

    def close(self) -> None:
        """Ends the read (further reads raise ValueError)."""
        if not self.closed:
            self._dl.close()
        super().close()

    def _check(self) -> None:
        if self.closed:
            raise ValueError("I/O operation on closed object stream")

    def __enter__(self) -> "ObjectStream":
        return self


def _feed(upload: "_kelp.Upload", data: Data, chunk_size: int) -> PutResult:
    """Writes `data` into `upload` chunk by chunk and completes it (aborts on error)."""
    try:
        if isinstance(data, str):
            raise TypeError("object data must be bytes, a binary file or an iterable of bytes, "
                            "not str (encode it, or use upload_file for a path)")
        if isinstance(data, (bytes, bytearray, memoryview)):
            upload.write(data)
        elif hasattr(data, "readinto"):
            buf = bytearray(chunk_size)
            view = memoryview(buf)
            while True:
                n = data.readinto(buf)  # type: ignore[union-attr]
                if not n:
                    break
                upload.write(view[:n])
        elif hasattr(data, "read"):
            while True:
                chunk = data.read(chunk_size)  # type: ignore[union-attr]
                if not chunk:
                    break
                if isinstance(chunk, str):
                    raise TypeError("file object returned str: open it in binary mode")
                upload.write(chunk)
        else:
            for chunk in data:  # type: ignore[union-attr]
                if isinstance(chunk, str):
                    raise TypeError("iterable yielded str: yield bytes")
                if chunk:
                    upload.write(chunk)
        etag, version_id = upload.complete()
        return PutResult(etag, version_id)
    except BaseException:
        upload.abort()
        raise


def _headers(content_type: Optional[str], headers: Optional[Mapping[str, str]]) -> Dict[str, str]:
    out = {k.lower(): v for k, v in (headers or {}).items()}
    if content_type is not None:
        out["content-type"] = content_type
    return out


def _grants(grants: Optional[Mapping[str, str]]) -> Dict[str, str]:
    # Accept "read_acp", "READ-ACP", "x-amz-grant-read-acp" alike.
    out = {}
    for k, v in (grants or {}).items():
        k = k.lower().replace("_", "-")
        if k.startswith("x-amz-grant-"):
            k = k[len("x-amz-grant-"):]
        out[k] = v
    return out


def _tagging(tags: Optional[Mapping[str, str]]) -> str:
    return urllib.parse.urlencode(dict(tags)) if tags else ""


def _range_args(rng: Optional[Range]) -> Dict[str, Optional[int]]:
    if rng is None:
        return {}
    first, last = rng
    if first is None:
        if last is None:
            raise ValueError("range needs a first offset or a suffix length")
        return {"suffix": last}
    return {"first": first, "last": last}


# ---------------------------------------------------------------- gateway ---


class Gateway:
    """S3 operations acting as one identity (a user, or the system).

    Obtained from :meth:`Store.as_user` (ACLs apply exactly as in kelpd) or
    :meth:`Store.as_system` (no ACL checks, for maintenance). Safe to share
    between threads.
    """

    def __init__(self, native: "_kelp.Gateway") -> None:
        self._g = native

    @property
    def uid(self) -> str:
        """The user id this gateway acts as ('' for the system)."""
        return self._g.uid

    @property
    def is_system(self) -> bool:
        """True for the system identity (ACL checks bypassed)."""
        return self._g.is_system

    def __repr__(self) -> str:
        return f"<kelp.Gateway {'system' if self.is_system else self.uid!r}>"

    # ---- buckets ----

    def list_buckets(self) -> List[Bucket]:
        """The buckets this user owns."""
        return [Bucket(n, _time(t)) for n, t in self._g.list_buckets()]

    def create_bucket(self, bucket: str, *, acl: str = "", grants: Optional[Mapping[str, str]] = None,
                      location: str = "") -> None:
        """Creates `bucket` (canned `acl` such as "public-read", or `grants` like
        {"read": 'id="bob"'}); BucketAlreadyOwnedByYou / BucketAlreadyExists if taken."""
        self._g.create_bucket(bucket, acl, _grants(grants), location)

    def delete_bucket(self, bucket: str) -> None:
        """Deletes an empty bucket (BucketNotEmpty otherwise)."""
        self._g.delete_bucket(bucket)

    def head_bucket(self, bucket: str) -> None:
        """Raises NoSuchBucket / AccessDenied unless the bucket exists and is readable."""
        self._g.head_bucket(bucket)

    def bucket_exists(self, bucket: str) -> bool:
        """True when the bucket exists (whoever owns it)."""
        try:
            self._g.head_bucket(bucket)
            return True
        except Error as e:
            if e.code == "NoSuchBucket":
                return False
            if e.code == "AccessDenied":
                return True
            raise

    def get_bucket_location(self, bucket: str) -> str:
        """The bucket's zonegroup api_name ('' for the default)."""
        return self._g.get_bucket_location(bucket)

    def get_bucket_versioning(self, bucket: str) -> str:
        """'Enabled', 'Suspended' or '' (never enabled)."""
        return self._g.get_bucket_versioning(bucket)

    def list_objects_page(self, bucket: str, *, prefix: str = "", delimiter: str = "",
                          marker: str = "", max_keys: int = 1000) -> ListPage:
        """One page of at most `max_keys` entries after `marker`."""
        objs, prefixes, truncated, next_marker = self._g.list_objects(
            bucket, prefix, delimiter, marker, max_keys)
        return ListPage([ObjectInfo._from(o) for o in objs], list(prefixes), truncated,
                        next_marker)

    def list_objects(self, bucket: str, *, prefix: str = "", delimiter: str = "",
                     start_after: str = "", page_size: int = 1000
                     ) -> Iterator[Union[ObjectInfo, CommonPrefix]]:
        """Every object under `prefix`, in key order, fetched `page_size` at a time.

        With a `delimiter`, keys sharing a prefix up to it are rolled up into a
        :class:`CommonPrefix`, yielded in order among the objects.
        """
        marker = start_after
        while True:
            page = self.list_objects_page(bucket, prefix=prefix, delimiter=delimiter,
                                          marker=marker, max_keys=page_size)
            entries: List[Tuple[str, Union[ObjectInfo, CommonPrefix]]] = (
                [(o.key, o) for o in page.objects] + [(p, CommonPrefix(p)) for p in
                                                      page.common_prefixes])
            entries.sort(key=lambda e: e[0])
            for _, e in entries:
                yield e
            if not page.truncated or not page.next_marker:
                return
            marker = page.next_marker

    def get_bucket_acl(self, bucket: str) -> Acl:
        """The bucket's ACL."""
        return Acl._from(self._g.get_bucket_acl(bucket))

    def put_bucket_acl(self, bucket: str, *, acl: str = "",
                       grants: Optional[Mapping[str, str]] = None, xml: str = "") -> None:
        """Replaces the bucket's ACL: a canned `acl` ("private", "public-read",
        "public-read-write", "authenticated-read"), `grants` ({"read": 'id="bob"',
        "full-control": 'emailAddress="a@b"'}) or an AccessControlPolicy `xml` document."""
        self._g.put_bucket_acl(bucket, acl, _grants(grants), xml)

    def get_bucket_tagging(self, bucket: str) -> Dict[str, str]:
        """The bucket's tags (NoSuchTagSet if none)."""
        return dict(self._g.get_bucket_tagging(bucket))

    def put_bucket_tagging(self, bucket: str, tags: Mapping[str, str]) -> None:
        """Replaces the bucket's tags."""
        self._g.put_bucket_tagging(bucket, dict(tags))

    def delete_bucket_tagging(self, bucket: str) -> None:
        """Removes the bucket's tags."""
        self._g.delete_bucket_tagging(bucket)

    # ---- objects ----

    def put_object(self, bucket: str, key: str, data: Data, *, content_type: Optional[str] = None,
                   metadata: Optional[Mapping[str, str]] = None,
                   headers: Optional[Mapping[str, str]] = None, acl: str = "",
                   grants: Optional[Mapping[str, str]] = None,
                   tags: Optional[Mapping[str, str]] = None,
                   content_length: Optional[int] = None, content_md5: str = "",
                   chunk_size: int = DEFAULT_CHUNK_SIZE) -> PutResult:
        """Stores an object from bytes, a binary file object (read `chunk_size` at a
        time) or an iterable of bytes chunks; never holds more than a chunk.

        `headers` are stored HTTP headers (cache-control, content-disposition,
        content-encoding, content-language, expires); `metadata` user metadata
        (x-amz-meta-*). With `content_length`/`content_md5` (base64) the data is
        verified (IncompleteBody / BadDigest). Nothing is visible unless it all
        succeeds.
        """
        if isinstance(data, (bytes, bytearray, memoryview)) and content_length is None:
            # In memory already: one native call, one GIL release.
            etag, version_id = self._g.put_object_data(
                bucket, key, data, content_md5, _headers(content_type, headers),
                dict(metadata or {}), acl, _grants(grants), _tagging(tags))
            return PutResult(etag, version_id)
        up = self._g.put_object(bucket, key, content_length, content_md5,
                                _headers(content_type, headers), dict(metadata or {}), acl,
                                _grants(grants), _tagging(tags))
        return _feed(up, data, chunk_size)

    def upload_file(self, bucket: str, key: str, path: Union[str, "os.PathLike[str]"],
                    **kwargs: Any) -> PutResult:
        """Stores the file at `path` (streamed); kwargs as put_object."""
        with io.open(path, "rb") as f:
            kwargs.setdefault("content_length", os.fstat(f.fileno()).st_size)
            return self.put_object(bucket, key, f, **kwargs)

    def open_object(self, bucket: str, key: str, *, range: Optional[Range] = None,
                    version_id: str = "", if_match: str = "", if_none_match: str = "",
                    if_modified_since: Optional[_dt.datetime] = None,
                    if_unmodified_since: Optional[_dt.datetime] = None,
                    part_number: Optional[int] = None) -> ObjectStream:
        """Opens the object (or `range`=(first, last) of it, inclusive) as a stream.

        Use as a context manager. Conditions raise PreconditionFailed /
        NotModified like kelpd's 412 / 304.
        """
        dl = self._g.get_object(bucket, key, version_id=version_id, **_range_args(range),
                                if_match=if_match, if_none_match=if_none_match,
                                if_modified_since_ns=_ns(if_modified_since),
                                if_unmodified_since_ns=_ns(if_unmodified_since),
                                part_number=part_number)
        return ObjectStream(dl)

    def get_object(self, bucket: str, key: str, *, range: Optional[Range] = None,
                   version_id: str = "") -> bytes:
        """The object's bytes (or a range of them) in one call: for small objects
        (use open_object or download_file to stream large ones)."""
        return self._g.get_object_data(bucket, key, version_id, **_range_args(range))

    def download_file(self, bucket: str, key: str, path: Union[str, "os.PathLike[str]"], *,
                      range: Optional[Range] = None, chunk_size: int = DEFAULT_CHUNK_SIZE) -> int:
        """Streams the object into the file at `path`; returns the byte count."""
        total = 0
        buf = bytearray(chunk_size)
        view = memoryview(buf)
        with self.open_object(bucket, key, range=range) as src, io.open(path, "wb") as dst:
            while True:
                n = src.readinto(buf)
                if not n:
                    return total
                dst.write(view[:n])
                total += n

    def head_object(self, bucket: str, key: str, *, version_id: str = "") -> ObjectInfo:
        """The object's metadata (NoSuchKey if absent)."""
        dl = self._g.get_object(bucket, key, version_id=version_id, head_only=True)
        try:
            return ObjectInfo._from(dl.info)
        finally:
            dl.close()

    def object_exists(self, bucket: str, key: str) -> bool:
        """True when the object exists (False on NoSuchKey)."""
        try:
            self.head_object(bucket, key)
            return True
        except Error as e:
            if e.code == "NoSuchKey":
                return False
            raise

    def copy_object(self, src_bucket: str, src_key: str, dst_bucket: str, dst_key: str, *,
                    src_version_id: str = "", metadata: Optional[Mapping[str, str]] = None,
                    content_type: Optional[str] = None,
                    headers: Optional[Mapping[str, str]] = None, acl: str = "",
                    grants: Optional[Mapping[str, str]] = None, if_match: str = "",
                    if_none_match: str = "") -> CopyResult:
        """Server-side copy. Metadata and headers are copied unless `metadata`,
        `content_type` or `headers` is given (S3's REPLACE directive)."""
        replace = metadata is not None or content_type is not None or headers is not None
        etag, mtime = self._g.copy_object(
            src_bucket, src_key, dst_bucket, dst_key, src_version_id, replace,
            _headers(content_type, headers), dict(metadata or {}), acl, _grants(grants),
            if_match, if_none_match)
        return CopyResult(etag, _time(mtime))

    def delete_object(self, bucket: str, key: str, *, version_id: str = "") -> DeleteResult:
        """Deletes one object (succeeds for an absent key, as S3 does)."""
        return DeleteResult._from(self._g.delete_object(bucket, key, version_id))

    def delete_objects(self, bucket: str, keys: Iterable[str]) -> List[DeleteResult]:
        """Deletes many keys (1000 per call); per-key results with .error set on failure."""
        keys = list(keys)
        out: List[DeleteResult] = []
        for i in range(0, len(keys), 1000):
            out += [DeleteResult._from(d) for d in self._g.delete_objects(bucket, keys[i:i + 1000])]
        return out

    def get_object_acl(self, bucket: str, key: str) -> Acl:
        """The object's ACL."""
        return Acl._from(self._g.get_object_acl(bucket, key))

    def put_object_acl(self, bucket: str, key: str, *, acl: str = "",
                       grants: Optional[Mapping[str, str]] = None, xml: str = "") -> None:
        """Replaces the object's ACL (canned `acl`, `grants` or `xml`, as put_bucket_acl)."""
        self._g.put_object_acl(bucket, key, acl, _grants(grants), xml)

    def get_object_tagging(self, bucket: str, key: str) -> Dict[str, str]:
        """The object's tags ({} if none)."""
        return dict(self._g.get_object_tagging(bucket, key))

    def put_object_tagging(self, bucket: str, key: str, tags: Mapping[str, str]) -> None:
        """Replaces the object's tags."""
        self._g.put_object_tagging(bucket, key, dict(tags))

    def delete_object_tagging(self, bucket: str, key: str) -> None:
        """Removes the object's tags."""
        self._g.delete_object_tagging(bucket, key)

    # ---- multipart ----

    def create_multipart_upload(self, bucket: str, key: str, *, content_type: Optional[str] = None,
                                metadata: Optional[Mapping[str, str]] = None,
                                headers: Optional[Mapping[str, str]] = None, acl: str = "",
                                grants: Optional[Mapping[str, str]] = None,
                                tags: Optional[Mapping[str, str]] = None) -> str:
        """Starts a multipart upload; returns its upload id."""
        return self._g.create_multipart_upload(bucket, key, _headers(content_type, headers),
                                               dict(metadata or {}), acl, _grants(grants),
                                               _tagging(tags))

    def upload_part(self, bucket: str, key: str, upload_id: str, part_number: int, data: Data, *,
                    content_length: Optional[int] = None, content_md5: str = "",
                    chunk_size: int = DEFAULT_CHUNK_SIZE) -> PutResult:
        """Uploads part `part_number` (1..10000) from bytes, a file or an iterable;
        returns its ETag (parts but the last must be at least 5 MiB)."""
        if content_length is None and isinstance(data, (bytes, bytearray)):
            content_length = len(data)
        up = self._g.upload_part(bucket, key, upload_id, part_number, content_length, content_md5)
        return _feed(up, data, chunk_size)

    def upload_part_copy(self, src_bucket: str, src_key: str, bucket: str, key: str,
                         upload_id: str, part_number: int, *,
                         range: Optional[Tuple[int, int]] = None) -> CopyResult:
        """Copies an object (or `range` of it) into a part."""
        first, last = range if range is not None else (None, None)
        etag, mtime = self._g.upload_part_copy(src_bucket, src_key, bucket, key, upload_id,
                                               part_number, first, last)
        return CopyResult(etag, _time(mtime))

    def complete_multipart_upload(self, bucket: str, key: str, upload_id: str,
                                  parts: Iterable[Union[Tuple[int, str], Part]]) -> PutResult:
        """Assembles the parts [(part_number, etag)] (or Part objects) in order."""
        pairs = [(p.number, p.etag) if isinstance(p, Part) else (int(p[0]), str(p[1]))
                 for p in parts]
        etag, version_id = self._g.complete_multipart_upload(bucket, key, upload_id, pairs)
        return PutResult(etag, version_id)

    def abort_multipart_upload(self, bucket: str, key: str, upload_id: str) -> None:
        """Aborts the upload and frees its parts."""
        self._g.abort_multipart_upload(bucket, key, upload_id)

    def list_parts(self, bucket: str, key: str, upload_id: str) -> Iterator[Part]:
        """The uploaded parts, in order (paged under the hood)."""
        marker = 0
        while True:
            parts, truncated, next_marker, _ = self._g.list_parts(bucket, key, upload_id, marker,
                                                                  1000)
            for n, size, etag, mtime in parts:
                yield Part(n, size, etag, _time(mtime))
            if not truncated:
                return
            marker = next_marker

    def list_multipart_uploads(self, bucket: str, *, prefix: str = ""
                               ) -> Iterator[MultipartUpload]:
        """The bucket's in-progress uploads under `prefix` (paged under the hood)."""
        key_marker, id_marker = "", ""
        while True:
            uploads, _, truncated, key_marker, id_marker = self._g.list_multipart_uploads(
                bucket, prefix, "", key_marker, id_marker, 1000)
            for u in uploads:
                yield MultipartUpload._from(u)
            if not truncated:
                return


# ------------------------------------------------------------------ store ---


class Admin:
    """User administration of a store (what radosgw-admin user ... does).

    User records are returned as dicts in radosgw-admin's JSON shape
    (``user_id``, ``display_name``, ``keys`` [{``access_key``, ``secret_key``}], ...).
    """

    def __init__(self, native: "_kelp.Store") -> None:
        self._s = native

    def create_user(self, uid: str, display_name: str, *, email: str = "",
                    access_key: str = "", secret_key: str = "", generate_key: bool = True,
                    max_buckets: Optional[int] = None, system: bool = False, admin: bool = False,
                    suspended: bool = False) -> Dict[str, Any]:
        """Creates a user (UserAlreadyExists if taken); keys are generated unless
        given or generate_key is False."""
        return json.loads(self._s.create_user(uid, display_name, email, access_key, secret_key,
                                              generate_key, max_buckets, system, admin,
                                              suspended))

    def get_user(self, uid: str) -> Dict[str, Any]:
        """The user record (NoSuchUser if absent)."""
        return json.loads(self._s.get_user(uid))

    def remove_user(self, uid: str) -> None:
        """Removes a user that owns no bucket (BucketNotEmpty otherwise)."""
        self._s.remove_user(uid)

    def suspend_user(self, uid: str, suspended: bool = True) -> None:
        """Suspends (or with suspended=False re-enables) a user and its buckets."""
        self._s.set_user_suspended(uid, suspended)

    def add_key(self, uid: str, access_key: str, secret_key: str) -> Dict[str, Any]:
        """Adds an S3 key pair to a user; returns the user record."""
        return json.loads(self._s.add_key(uid, access_key, secret_key))

    def list_users(self) -> List[str]:
        """Every user id, in order."""
        return list(self._s.list_users())

    def list_buckets(self) -> List[str]:
        """Every bucket of the store, whoever owns it ("tenant:name" for tenanted
        buckets, the form the Gateway calls accept)."""
        return list(self._s.list_buckets())


class Store:
    """An open Kelp store. Use :func:`kelp.open` and close it (or use ``with``)."""

    def __init__(self, native: "_kelp.Store") -> None:
        self._s = native
        self.admin = Admin(native)

    def as_system(self) -> Gateway:
        """A Gateway acting as the system: no ACL checks (maintenance, admin tools)."""
        return Gateway(self._s.gateway(None))

    def as_user(self, uid: str) -> Gateway:
        """A Gateway acting as user `uid` ("tenant$id" or "id"), ACLs enforced as
        kelpd enforces them (NoSuchUser, UserSuspended)."""
        return Gateway(self._s.gateway(uid))

    @property
    def closed(self) -> bool:
        """True once closed."""
        return self._s.closed

    def close(self) -> None:
        """Waits for calls in flight, ends open streams and releases the store."""
        self._s.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<kelp.Store {'closed' if self.closed else 'open'}>"


def open(data_dir: Union[str, "os.PathLike[str]", None] = None, *,  # noqa: A001
         ceph_conf: Optional[str] = None, ceph_user: str = "admin") -> Store:
    """Opens a Kelp store: the embedded store in `data_dir` (created if absent),
    or a Ceph cluster with `ceph_conf` (and cephx `ceph_user`).

    While kelpd holds `data_dir`, the store is reached through kelpd's store
    socket (same data, same consistency) where libkelp supports it.
    """
    if (data_dir is None) == (ceph_conf is None):
        raise ValueError("give exactly one of data_dir or ceph_conf")
    native = _kelp.Store(os.fspath(data_dir) if data_dir is not None else "",
                         ceph_conf or "", ceph_user)
    return Store(native)
