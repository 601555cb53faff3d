"""Helpers of the Ceph interop suite (tests/ceph/interop_test.py); /usr/bin/python3 + boto3.

- Env: the cluster.sh env file (CEPH_CONF, CEPH_USER, RGW_ENDPOINT, keys, PIDs), or a cluster
  started here (cluster.sh start/stop) when KELP_CEPH_ENV is not given.
- Admin: radosgw-admin helpers (users, keys, metadata get, bucket stats/check, object stat,
  gc process --include-all), JSON in, JSON out.
- Kelpd: kelpd on the same cluster (--ceph-conf/--ceph-user), when the binary supports it.
- write_fixture(): the fixture set written through one S3 endpoint (users come from Users).
- snapshot(): everything an S3 client can read back from an endpoint about a fixture, as a plain
  dict that compares equal across gateways (no request ids, no dates of the response itself).
"""

import datetime
import hashlib
import json
import os
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import boto3
import botocore
from botocore.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CLUSTER_SH = os.path.join(HERE, "cluster.sh")
MiB = 1024 * 1024
REGION = "us-east-1"


def log(msg):
    sys.stderr.write(f"[interop] {msg}\n")
    sys.stderr.flush()


# ---------------------------------------------------------------------------------------------
# cluster env
# ---------------------------------------------------------------------------------------------

def read_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            k, v = line.split("=", 1)
            env[k] = v.strip('"')
    for k in ("CEPH_CONF", "CEPH_USER", "RGW_ENDPOINT", "RGW_ACCESS_KEY", "RGW_SECRET_KEY"):
        if not env.get(k):
            raise RuntimeError(f"{path} has no {k}")
    return env


class Cluster:
    """The cluster under test: reused from $KELP_CEPH_ENV, or started here (and stopped)."""

    def __init__(self):
        self.dir = None
        given = os.environ.get("KELP_CEPH_ENV")
        if given:
            self.env = read_env(given)
            return
        self.dir = tempfile.mkdtemp(prefix="kelp-ceph-")
        t0 = time.monotonic()
        p = subprocess.run(["bash", CLUSTER_SH, "start", self.dir], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        if p.returncode != 0:
            self.stop()
            raise RuntimeError(f"cluster.sh start failed:\n{p.stdout}")
        log(f"cluster up in {time.monotonic() - t0:.1f}s in {self.dir}")
        self.env = read_env(os.path.join(self.dir, "env"))

    def stop(self):
        if self.dir:
            subprocess.run(["bash", CLUSTER_SH, "stop", self.dir])
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    @property
    def conf(self):
        return self.env["CEPH_CONF"]

    @property
    def rgw_endpoint(self):
        return self.env["RGW_ENDPOINT"]


# ---------------------------------------------------------------------------------------------
# radosgw-admin
# ---------------------------------------------------------------------------------------------

class AdminError(AssertionError):
    pass


class Admin:
    def __init__(self, cluster):
        self.conf = cluster.conf
        self.user = cluster.env["CEPH_USER"]

    def run(self, *args, check=True, timeout=120):
        cmd = ["radosgw-admin", "-c", self.conf, "-n", f"client.{self.user}"] + list(args)
        p = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                           timeout=timeout)  # object stat prints binary attrs (pg_ver) raw
        if check and p.returncode != 0:
            raise AdminError(f"{' '.join(cmd)} failed rc={p.returncode}:\n{p.stdout}{p.stderr}")
        return p

    def json(self, *args, **kw):
        out = self.run(*args, **kw).stdout
        try:
            return json.loads(out) if out.strip() else None
        except json.JSONDecodeError as e:
            raise AdminError(f"radosgw-admin {' '.join(args)} printed no JSON ({e}):\n{out}")

    # users and keys
    def user_create(self, uid, tenant=None, **opts):
        args = ["user", "create", f"--uid={uid}", f"--display-name=User {uid}"]
        if tenant:
            args.append(f"--tenant={tenant}")
        args += [f"--{k.replace('_', '-')}={v}" for k, v in opts.items()]
        return self.json(*args)

    def key_create(self, uid, access_key=None, secret_key=None):
        args = ["key", "create", f"--uid={uid}", "--key-type=s3"]
        args += [f"--access-key={access_key}"] if access_key else ["--gen-access-key"]
        args += [f"--secret-key={secret_key}"] if secret_key else ["--gen-secret"]
        return self.json(*args)

    def key_rm(self, uid, access_key):
        return self.json("key", "rm", f"--uid={uid}", f"--access-key={access_key}",
                         "--key-type=s3")

    def subuser_create(self, uid, subuser, secret):
        return self.json("subuser", "create", f"--uid={uid}", f"--subuser={uid}:{subuser}",
                         "--access=full", "--key-type=swift", f"--secret-key={secret}")

    def user_suspend(self, uid):
        return self.json("user", "suspend", f"--uid={uid}")

    def user_enable(self, uid):
        return self.json("user", "enable", f"--uid={uid}")

    def user_info(self, uid):
        return self.json("user", "info", f"--uid={uid}")

    # metadata / buckets / objects
    def metadata_get(self, key):
        """key like 'user:UID', 'bucket:NAME', 'bucket.instance:NAME:ID'."""
        return self.json("metadata", "get", key)

    def metadata_list(self, section):
        return self.json("metadata", "list", section)

    def bucket_stats(self, bucket):
        """bucket: 'name' or 'tenant/name'."""
        return self.json("bucket", "stats", f"--bucket={bucket}")

    def bucket_check(self, bucket):
        return self.json("bucket", "check", f"--bucket={bucket}")

    def object_stat(self, bucket, key):
        return self.json("object", "stat", f"--bucket={bucket}", f"--object={key}")

    def gc_process(self):
        self.run("gc", "process", "--include-all")

    def gc_list(self):
        return self.json("gc", "list", "--include-all") or []


def bucket_check_problems(check):
    """What `radosgw-admin bucket check` says is wrong (empty list = consistent index)."""
    problems = []
    if not check:
        return problems
    if check.get("invalid_multipart_entries"):
        problems.append(f"invalid multipart entries: {check['invalid_multipart_entries']}")
    res = check.get("check_result", {})

    def nonzero(header):
        # A category whose counters all went back to 0 (rgw.multimeta after every upload
        # completed) stays in the stored header but not in the calculated one, with radosgw too.
        usage = (header or {}).get("usage", {})
        return {c: v for c, v in usage.items() if any(v.values())}
    if nonzero(res.get("existing_header")) != nonzero(res.get("calculated_header")):
        problems.append(f"index header {res.get('existing_header')} != "
                        f"calculated {res.get('calculated_header')}")
    return problems


# ---------------------------------------------------------------------------------------------
# S3 clients
# ---------------------------------------------------------------------------------------------

def s3_client(endpoint, creds):
    """creds = (access_key, secret_key), or None for anonymous requests."""
    cfg = dict(s3={"addressing_style": "path"}, retries={"max_attempts": 1, "mode": "standard"},
               connect_timeout=10, read_timeout=120, max_pool_connections=16)
    if creds is None:
        return boto3.client("s3", endpoint_url=endpoint, region_name=REGION,
                            config=Config(signature_version=botocore.UNSIGNED, **cfg))
    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION,
                        aws_access_key_id=creds[0], aws_secret_access_key=creds[1],
                        config=Config(signature_version="s3v4", **cfg))


def error_code(fn, *a, **kw):
    """Runs an S3 call; returns 'OK' or the S3 error code (or HTTP status) it failed with."""
    try:
        fn(*a, **kw)
        return "OK"
    except botocore.exceptions.ClientError as e:
        err = e.response.get("Error", {})
        return err.get("Code") or str(e.response.get("ResponseMetadata", {}).get("HTTPStatusCode"))


# ---------------------------------------------------------------------------------------------
# kelpd on the cluster
# ---------------------------------------------------------------------------------------------

KELPD = os.environ.get("KELPD", os.path.join(REPO, "build/src/kelpd/kelpd"))


def kelpd_ceph_support():
    """(True, '') when $KELPD can run on a Ceph cluster, else (False, why)."""
    if not os.access(KELPD, os.X_OK):
        return False, f"no kelpd binary at {KELPD} (set $KELPD)"
    try:
        out = subprocess.run([KELPD, "--help"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, f"{KELPD} --help failed: {e}"
    if "--ceph-conf" not in out.stdout + out.stderr:
        return False, f"{KELPD} has no --ceph-conf option yet (kelpd on RADOS not built)"
    return True, ""


def kelp_admin(conf, user, *args):
    """Runs kelp-admin (next to $KELPD) on the cluster; returns CompletedProcess (text)."""
    binary = os.environ.get("KELP_ADMIN") or os.path.join(
        os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(KELPD)))),
        "src/admin/kelp-admin")
    return subprocess.run([binary, "--ceph-conf", conf, "--ceph-user", user] + list(args),
                          capture_output=True, text=True, errors="replace", timeout=120)


class Kelpd:
    """kelpd serving the cluster's RADOS pools; stopped by PID (TERM, then KILL)."""

    LISTEN_RE = re.compile(rb"listening on http://127\.0\.0\.1:(\d+)")

    def __init__(self, cluster):
        self.cluster = cluster
        self.tmp = tempfile.mkdtemp(prefix="kelp-ceph-kelpd-")
        self.proc = None
        self.endpoint = None

    def start(self, timeout=60):
        args = [KELPD, "--ceph-conf", self.cluster.conf, "--ceph-user",
                self.cluster.env["CEPH_USER"], "--listen", "127.0.0.1:0",
                "--access-log", os.path.join(self.tmp, "access.log")]
        err = open(os.path.join(self.tmp, "kelpd.stderr"), "ab")
        self.out = open(os.path.join(self.tmp, "kelpd.stdout"), "ab")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=err,
                                     stdin=subprocess.DEVNULL)
        err.close()
        fd, buf = self.proc.stdout.fileno(), b""
        deadline = time.monotonic() + timeout
        while True:
            m = self.LISTEN_RE.search(buf)
            if m:
                self.endpoint = f"http://127.0.0.1:{int(m.group(1))}"
                break
            if time.monotonic() > deadline or self.proc.poll() is not None:
                rc = self.proc.poll()
                self.stop()
                raise RuntimeError(f"kelpd did not start (rc={rc}): {' '.join(args)}\n"
                                   f"stdout: {buf.decode(errors='replace')}\n"
                                   f"stderr: {self.tail('kelpd.stderr')}")
            r, _, _ = select.select([fd], [], [], 0.2)
            if r:
                chunk = os.read(fd, 65536)
                self.out.write(chunk)
                buf += chunk
        threading.Thread(target=self._drain, daemon=True).start()
        log(f"kelpd on the cluster at {self.endpoint} (pid {self.proc.pid})")
        return self

    def _drain(self):
        try:
            for chunk in iter(lambda: os.read(self.proc.stdout.fileno(), 65536), b""):
                self.out.write(chunk)
        except (OSError, AttributeError, ValueError):
            pass

    def tail(self, name, n=40):
        try:
            with open(os.path.join(self.tmp, name), "rb") as f:
                return b"".join(f.readlines()[-n:]).decode(errors="replace")
        except OSError:
            return "(none)"

    def stop(self, timeout=15):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None

    def cleanup(self, keep_logs=False):
        self.stop()
        if keep_logs:
            log(f"kelpd logs kept in {self.tmp}; stderr tail:\n{self.tail('kelpd.stderr')}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# users (created once per run with radosgw-admin; both gateways share them)
# ---------------------------------------------------------------------------------------------

class Users:
    """owner: owns the main buckets, has a Swift subuser; multikey: three S3 keys; tenant: a
    tenanted user (TENANT$UID); suspended: suspended after creation."""

    def __init__(self, admin, run):
        self.admin = admin
        self.run = run
        self.owner_uid = f"owner-{run}"
        info = admin.user_create(self.owner_uid, email=f"owner-{run}@example.com")
        k = info["keys"][0]
        self.owner = (k["access_key"], k["secret_key"])
        self.swift_user = f"{self.owner_uid}:swift"
        self.swift_secret = f"swift-secret-{run}"
        admin.subuser_create(self.owner_uid, "swift", self.swift_secret)

        self.multikey_uid = f"multikey-{run}"
        admin.user_create(self.multikey_uid)
        for _ in range(2):
            admin.key_create(self.multikey_uid)
        info = admin.user_info(self.multikey_uid)
        self.multikey = [(k["access_key"], k["secret_key"]) for k in info["keys"]]

        self.tenant = f"tn{run}"
        self.tenant_uid = f"tuser-{run}"
        info = admin.user_create(self.tenant_uid, tenant=self.tenant)
        k = info["keys"][0]
        self.tenanted = (k["access_key"], k["secret_key"])

        self.suspended_uid = f"suspended-{run}"
        info = admin.user_create(self.suspended_uid)
        k = info["keys"][0]
        self.suspended = (k["access_key"], k["secret_key"])
        admin.user_suspend(self.suspended_uid)


# ---------------------------------------------------------------------------------------------
# the fixture
# ---------------------------------------------------------------------------------------------

def data(seed, size):
    """Deterministic bytes (the same fixture content whichever gateway writes it)."""
    return random.Random(f"{seed}:{size}").randbytes(size)


def sha(b):
    return hashlib.sha256(b).hexdigest()


def md5(b):
    return hashlib.md5(b).hexdigest()


def range_specs(size):
    """Byte ranges read from objects over 4 MiB: the first byte, across the head / first stripe
    boundary (radosgw's 4 MiB rgw_max_chunk_size), the last byte, and most of the object."""
    return ("0-0", f"{4 * MiB - 1}-{4 * MiB}", f"{size - 1}-", f"1000-{size - 1000}")


def range_shas(body):
    out = {}
    for spec in range_specs(len(body)):
        a, b = spec.split("-")
        out[spec] = sha(body[int(a):(int(b) + 1 if b else len(body))])
    return out


PLAIN_SIZES = {
    "empty": 0,
    "one-byte": 1,
    "size/4MiB-1": 4 * MiB - 1,
    "size/4MiB": 4 * MiB,
    "size/4MiB+1": 4 * MiB + 1,
    "size/20MiB": 20 * MiB,
    "with space.txt": 100,
    "ütf8/日本語 ключ.txt": 200,
    "_leading-underscore": 10,
    "a/b/c/deep.txt": 11,
    "a/b/sibling.txt": 12,
    "a/top.txt": 13,
    "dir/": 0,
}
HEADERS_KEY = "headers.html"
HEADERS = dict(ContentType="text/html; charset=utf-8", CacheControl="max-age=3600, public",
               ContentDisposition='attachment; filename="report.html"', ContentLanguage="en",
               Metadata={"color": "blue", "mixed-case-name": "Value With Spaces", "n": "1"})
MP_KEY = "mp/three-part"
MP_PARTS = [5 * MiB, 5 * MiB, 1 * MiB + 7]
UNFINISHED_KEY = "mp/unfinished"


class Fixture:
    """What write_fixture() wrote: bucket names by role, the owner creds of each bucket, and the
    expected content {role: {key: {sha256, size, etag, ...}}}."""

    def __init__(self, prefix, users):
        self.prefix = prefix
        self.users = users
        self.buckets = {
            "plain": (f"{prefix}-plain", users.owner),
            "versioned": (f"{prefix}-versioned", users.owner),
            "acl": (f"{prefix}-acl", users.owner),
            "tenant": (f"{prefix}-tenant", users.tenanted),
        }
        self.expected = {role: {} for role in self.buckets}
        self.versions = {}  # versioned bucket: key -> [sha256 of each version, oldest first]
        self.unfinished_parts = []

    def admin_bucket(self, role):
        """The bucket's name as radosgw-admin wants it (tenant/name for the tenanted one)."""
        name = self.buckets[role][0]
        return f"{self.users.tenant}/{name}" if role == "tenant" else name


def write_fixture(endpoint, users, prefix):
    """Writes the fixture through the S3 endpoint; returns the Fixture."""
    fx = Fixture(prefix, users)
    c = s3_client(endpoint, users.owner)

    def put(role, key, body, **kw):
        bucket, creds = fx.buckets[role]
        cl = c if creds == users.owner else s3_client(endpoint, creds)
        r = cl.put_object(Bucket=bucket, Key=key, Body=body, **kw)
        fx.expected[role][key] = {"sha256": sha(body), "size": len(body),
                                  "etag": f'"{md5(body)}"'}
        if "ContentType" in kw:
            fx.expected[role][key]["content_type"] = kw["ContentType"]
        if len(body) > 4 * MiB:
            fx.expected[role][key]["ranges"] = range_shas(body)
        return r

    # plain: sizes around the 4 MiB head/stripe boundary, odd keys, stored headers, multipart
    plain = fx.buckets["plain"][0]
    c.create_bucket(Bucket=plain)
    for key, size in PLAIN_SIZES.items():
        put("plain", key, data(key, size))
    put("plain", HEADERS_KEY, b"<html><body>kelp</body></html>\n", **HEADERS)
    fx.expected["plain"][HEADERS_KEY].update(
        content_type=HEADERS["ContentType"], cache_control=HEADERS["CacheControl"],
        content_disposition=HEADERS["ContentDisposition"], metadata=HEADERS["Metadata"])

    up = c.create_multipart_upload(Bucket=plain, Key=MP_KEY, ContentType="application/x-kelp",
                                   Metadata={"kind": "multipart"})
    parts, md5s, whole = [], [], b""
    for i, size in enumerate(MP_PARTS, 1):
        body = data(f"{MP_KEY}#{i}", size)
        r = c.upload_part(Bucket=plain, Key=MP_KEY, UploadId=up["UploadId"], PartNumber=i,
                          Body=body)
        parts.append({"PartNumber": i, "ETag": r["ETag"]})
        md5s.append(md5(body))
        whole += body
    c.complete_multipart_upload(Bucket=plain, Key=MP_KEY, UploadId=up["UploadId"],
                                MultipartUpload={"Parts": parts})
    mp_etag = hashlib.md5(b"".join(bytes.fromhex(h) for h in md5s)).hexdigest()
    fx.expected["plain"][MP_KEY] = {"sha256": sha(whole), "size": len(whole),
                                    "etag": f'"{mp_etag}-{len(MP_PARTS)}"',
                                    "content_type": "application/x-kelp",
                                    "metadata": {"kind": "multipart"},
                                    "ranges": range_shas(whole)}

    up = c.create_multipart_upload(Bucket=plain, Key=UNFINISHED_KEY)
    for i, size in ((1, 5 * MiB), (3, 1234)):
        body = data(f"{UNFINISHED_KEY}#{i}", size)
        c.upload_part(Bucket=plain, Key=UNFINISHED_KEY, UploadId=up["UploadId"], PartNumber=i,
                      Body=body)
        fx.unfinished_parts.append((i, f'"{md5(body)}"', size))

    # versioned: a null version from before versioning, three versions, a delete marker
    ver = fx.buckets["versioned"][0]
    c.create_bucket(Bucket=ver)
    put("versioned", "pre-versioning", data("pre", 33))
    c.put_bucket_versioning(Bucket=ver, VersioningConfiguration={"Status": "Enabled"})
    fx.versions["doc"] = []
    for i, size in enumerate((10, 4 * MiB + 1, 3)):
        body = data(f"doc-v{i}", size)
        put("versioned", "doc", body)
        fx.versions["doc"].append(sha(body))
    put("versioned", "gone", data("gone", 5))
    fx.versions["gone"] = [fx.expected["versioned"].pop("gone")["sha256"]]
    c.delete_object(Bucket=ver, Key="gone")

    # acl: public-read bucket; public, private and granted objects
    acl = fx.buckets["acl"][0]
    c.create_bucket(Bucket=acl, ACL="public-read")
    put("acl", "public.txt", b"public\n", ACL="public-read")
    put("acl", "private.txt", b"private\n")
    # explicit grants replace the default ACL: the owner keeps FULL_CONTROL only when named
    put("acl", "granted.txt", b"granted\n", GrantRead=f"id={users.multikey_uid}",
        GrantFullControl=f"id={users.owner_uid}")

    # tenant: the tenanted user's own bucket
    t = s3_client(endpoint, users.tenanted)
    t.create_bucket(Bucket=fx.buckets["tenant"][0])
    put("tenant", "t/one.txt", b"one\n")
    put("tenant", "t/two.txt", b"two\n", ContentType="text/plain")
    put("tenant", "t/big", data("tbig", 4 * MiB + 1))
    return fx


# ---------------------------------------------------------------------------------------------
# snapshot: everything readable, as comparable data
# ---------------------------------------------------------------------------------------------

def iso(t):
    return t.isoformat() if isinstance(t, datetime.datetime) else t


def norm_acl(r):
    grants = []
    for g in r.get("Grants", []):
        ge = g["Grantee"]
        who = ge.get("ID") or ge.get("URI") or ge.get("EmailAddress")
        grants.append((ge.get("Type"), who, ge.get("DisplayName"), g["Permission"]))
    return {"owner": r.get("Owner", {}).get("ID"), "grants": sorted(grants, key=repr)}


def entry(o):
    return {"key": o["Key"], "size": o["Size"], "etag": o.get("ETag"),
            "mtime": iso(o.get("LastModified")), "owner": o.get("Owner", {}).get("ID"),
            "class": o.get("StorageClass")}


def list_all(c, bucket, v2, page=None, **kw):
    """Every page of ListObjects(V2), paged by hand ({'contents', 'prefixes', 'pages'}).
    V1 pages go on from the last key (from NextMarker only with a delimiter): radosgw 16.2.15
    sends NextMarker unencoded under encoding-type=url, so a key with '+' comes back to
    botocore as a space. Kelp deliberately encodes it (as AWS and later radosgw do), so the
    NextMarker values are not compared; what the pages contain is."""
    out = {"contents": [], "prefixes": [], "pages": 0}
    args = dict(kw, Bucket=bucket)
    if page:
        args["MaxKeys"] = page
    if v2:
        args["FetchOwner"] = True
    for _ in range(10000):
        r = (c.list_objects_v2 if v2 else c.list_objects)(**args)
        out["pages"] += 1
        contents = [entry(o) for o in r.get("Contents", [])]
        prefixes = [x["Prefix"] for x in r.get("CommonPrefixes", [])]
        out["contents"] += contents
        out["prefixes"] += prefixes
        if not r.get("IsTruncated"):
            return out
        if v2:
            args["ContinuationToken"] = r["NextContinuationToken"]
        elif "Delimiter" in kw:
            args["Marker"] = r["NextMarker"]
        else:
            args["Marker"] = contents[-1]["key"]
    raise AssertionError(f"listing {bucket} did not end")


# response headers that name the request or the server, not the object
VOLATILE_HEADERS = {"date", "x-amz-request-id", "x-amz-id-2", "connection", "keep-alive",
                    "server", "x-trans-id", "x-openstack-request-id"}


def raw_response(c, op, **kw):
    """The response body bytes of one call (boto3 parses them away), e.g. to compare the XML
    two gateways send byte for byte."""
    got = []

    def hook(http_response, **_):
        got.append(http_response.content)
    event = f"after-call.s3.{c.meta.method_to_api_mapping[op]}"
    c.meta.events.register(event, hook)
    try:
        getattr(c, op)(**kw)
    finally:
        c.meta.events.unregister(event, hook)
    return got[-1].decode("utf-8", errors="replace")


def read_object(c, bucket, key, **kw):
    r = c.get_object(Bucket=bucket, Key=key, **kw)
    body = r["Body"].read()
    headers = {k: v for k, v in r["ResponseMetadata"]["HTTPHeaders"].items()
               if k not in VOLATILE_HEADERS}
    return {"sha256": sha(body), "size": len(body), "length": r.get("ContentLength"),
            "etag": r.get("ETag"), "content_type": r.get("ContentType"),
            "cache_control": r.get("CacheControl"),
            "content_disposition": r.get("ContentDisposition"),
            "content_language": r.get("ContentLanguage"),
            "content_encoding": r.get("ContentEncoding"), "metadata": r.get("Metadata"),
            "mtime": iso(r.get("LastModified")), "version_id": r.get("VersionId"),
            "range": r.get("ContentRange"), "headers": headers}


def snapshot(endpoint, fx):
    """Everything about the fixture that S3 clients can read from `endpoint`, as a dict."""
    u = fx.users
    snap = {}
    owner = s3_client(endpoint, u.owner)
    anon = s3_client(endpoint, None)

    def buckets_of(creds):
        r = s3_client(endpoint, creds).list_buckets()
        mine = {b for b, _ in fx.buckets.values()}
        return {"owner": r["Owner"]["ID"],
                "buckets": [(b["Name"], iso(b["CreationDate"])) for b in r["Buckets"]
                            if b["Name"] in mine]}
    snap["user:owner"] = buckets_of(u.owner)
    snap["user:tenanted"] = buckets_of(u.tenanted)
    snap["user:multikey"] = [buckets_of(k) for k in u.multikey]
    snap["user:suspended"] = error_code(s3_client(endpoint, u.suspended).list_buckets)

    for role, (bucket, creds) in fx.buckets.items():
        c = owner if creds == u.owner else s3_client(endpoint, creds)
        b = {}
        b["versioning"] = c.get_bucket_versioning(Bucket=bucket).get("Status")
        b["acl"] = norm_acl(c.get_bucket_acl(Bucket=bucket))
        b["list_v1"] = list_all(c, bucket, v2=False)
        b["list_v1_paged"] = list_all(c, bucket, v2=False, page=3)
        b["list_v1_delim"] = list_all(c, bucket, v2=False, Delimiter="/")
        b["list_v2"] = list_all(c, bucket, v2=True)
        b["list_v2_paged"] = list_all(c, bucket, v2=True, page=4)
        b["list_v2_delim"] = list_all(c, bucket, v2=True, Delimiter="/")
        b["list_v2_prefix_delim"] = list_all(c, bucket, v2=True, Prefix="a/", Delimiter="/")
        b["list_v2_start_after"] = list_all(c, bucket, v2=True, StartAfter="dir/")
        b["raw_xml"] = {
            "list_v1": raw_response(c, "list_objects", Bucket=bucket),
            "list_v2_delim": raw_response(c, "list_objects_v2", Bucket=bucket, Delimiter="/",
                                          FetchOwner=True),
            "acl": raw_response(c, "get_bucket_acl", Bucket=bucket),
            "uploads": raw_response(c, "list_multipart_uploads", Bucket=bucket),
        }
        ups = c.list_multipart_uploads(Bucket=bucket).get("Uploads", [])
        b["uploads"] = []
        for up in ups:
            parts = c.list_parts(Bucket=bucket, Key=up["Key"], UploadId=up["UploadId"])
            b["uploads"].append({
                "key": up["Key"], "upload_id": up["UploadId"],
                "initiator": up.get("Initiator", {}).get("ID"),
                "owner": up.get("Owner", {}).get("ID"), "initiated": iso(up.get("Initiated")),
                "parts": [(p["PartNumber"], p["ETag"], p["Size"], iso(p["LastModified"]))
                          for p in parts.get("Parts", [])]})
        objs = {}
        for o in b["list_v1"]["contents"]:
            key = o["key"]
            objs[key] = read_object(c, bucket, key)
            objs[key]["acl"] = norm_acl(c.get_object_acl(Bucket=bucket, Key=key))
            size = o["size"]
            if size > 4 * MiB:  # ranges across the head / first stripe boundary and at the end
                objs[key]["ranges"] = {
                    rg: read_object(c, bucket, key, Range=f"bytes={rg}")["sha256"]
                    for rg in range_specs(size)}
        b["objects"] = objs
        if b["versioning"]:
            v = c.list_object_versions(Bucket=bucket)
            b["versions"] = [
                {"key": x["Key"], "version_id": x["VersionId"], "latest": x["IsLatest"],
                 "etag": x.get("ETag"), "size": x.get("Size"), "mtime": iso(x["LastModified"])}
                for x in v.get("Versions", [])]
            b["delete_markers"] = [
                {"key": x["Key"], "version_id": x["VersionId"], "latest": x["IsLatest"],
                 "mtime": iso(x["LastModified"])} for x in v.get("DeleteMarkers", [])]
            b["version_reads"] = {
                f"{x['key']}@{x['version_id']}":
                    read_object(c, bucket, x["key"], VersionId=x["version_id"])["sha256"]
                for x in b["versions"]}
        if role == "acl":
            b["anonymous"] = {k: error_code(anon.get_object, Bucket=bucket, Key=k)
                              for k in sorted(objs)}
            b["anonymous"]["(list)"] = error_code(anon.list_objects, Bucket=bucket)
            mk = s3_client(endpoint, u.multikey[0])
            b["multikey"] = {k: error_code(mk.get_object, Bucket=bucket, Key=k)
                             for k in sorted(objs)}
        snap[f"bucket:{role}"] = b
    return snap


# ---------------------------------------------------------------------------------------------
# Swift (radosgw's auth v1 and container listing)
# ---------------------------------------------------------------------------------------------

def swift_listing(endpoint, user, secret, container):
    req = urllib.request.Request(f"{endpoint}/auth/1.0",
                                 headers={"X-Auth-User": user, "X-Auth-Key": secret})
    with urllib.request.urlopen(req, timeout=30) as r:
        url, token = r.headers["X-Storage-Url"], r.headers["X-Auth-Token"]
    req = urllib.request.Request(f"{url}/{urllib.request.quote(container)}?format=json",
                                 headers={"X-Auth-Token": token})
    with urllib.request.urlopen(req, timeout=30) as r:
        return [(o["name"], o["bytes"], o["hash"]) for o in json.loads(r.read())]


# ---------------------------------------------------------------------------------------------
# concurrent writes (Mixed)
# ---------------------------------------------------------------------------------------------

def put_many(endpoint, creds, bucket, keys, threads=8):
    """PUTs every key (body = the key's bytes, repeated); returns the list of errors."""
    errors, lock = [], threading.Lock()
    todo = list(keys)

    def worker():
        c = s3_client(endpoint, creds)
        while True:
            with lock:
                if not todo:
                    return
                key = todo.pop()
            try:
                c.put_object(Bucket=bucket, Key=key, Body=(key.encode() * 8))
            except Exception as e:
                with lock:
                    errors.append(f"{key}: {e}")
    ts = [threading.Thread(target=worker) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return errors
