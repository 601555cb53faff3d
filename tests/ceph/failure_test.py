"""kelpd on a real Ceph cluster when the cluster side goes wrong (run under /usr/bin/python3).

Bad input from the cluster must give the client a clear error (and kelpd's access log the
status), never crash or hang kelpd, and never make a half-written object visible.

  OsdRestart     osd.0 is killed (-9) and restarted (cluster.sh restart-osd) while a slow 20 MiB
                 PUT and GETs of the same key are in flight: kelpd stays up, the PUT succeeds or
                 fails with a 5xx, every complete GET body is the old or the new bytes, the object
                 afterwards is one of them (the new one if the PUT succeeded), later requests work
  OverwriteWhileReading  GETs of a 20 MiB object while it is overwritten, no fault: none is cut
                 (radosgw defers the old tails to its gc; checked on both gateways)
  PausedCluster  `ceph osd pause` beyond kelpd's 30 s op timeout: PUT and GET answer a 5xx within
                 a few op timeouts instead of hanging; kelpd works again after unpause; 150 GETs
                 parked on the paused cluster hold no thread (fibers) and a RADOS-free request
                 is answered at once
  CorruptEncodings  undecodable metadata on the cluster (garbage manifest, a future-version ACL,
                 a garbage user record): a 500 naming what failed to decode, logged with the
                 request id; the rest is served
  MissingPool    a bucket whose placement's data pool is deleted under a running kelpd: the next
                 PUT recreates the pool and succeeds (as radosgw 16.2.15: rgw_init_ioctx creates
                 missing pools); the object whose data went with the pool is a 404; a kelpd
                 started on that zone writes there too
  FullPool       `ceph osd pool set-quota <data pool> max_bytes`, and the OSD full ratios set to
                 1 %: a PUT on the full pool/cluster gets a 500 naming the quota / the full cluster (radosgw 16.2.15 itself stalls: it submits writes without
                 FULL_TRY and librados pauses them), also one that is cut off mid-body; nothing
                 half-written is listed; after the quota is lifted PUTs work
  BadMonitor     a conf whose mon_host refuses connections, or accepts and never answers: kelpd
                 exits 1 with one "kelpd: ..." sentence within its 30 s mount timeout (+ slack)

Env: KELP_CEPH_ENV (cluster.sh env file; without it a cluster is started and stopped here),
KELPD (the binary; the classes skip, saying why, when it has no --ceph-conf).

  KELP_CEPH_ENV=/tmp/c/env KELPD=build/src/kelpd/kelpd /usr/bin/python3 -m unittest -v failure_test
"""

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
import warnings

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
import botocore.exceptions

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop as I  # noqa: E402

MiB = I.MiB
RUN = os.urandom(3).hex()
CLUSTER = None
CREDS = None
KELP_SKIP = None
BIG = 20 * MiB


def setUpModule():
    global CLUSTER, CREDS, KELP_SKIP
    warnings.simplefilter("ignore", ResourceWarning)
    ok, why = I.kelpd_ceph_support()
    if not ok:
        KELP_SKIP = why
        return
    CLUSTER = I.Cluster()
    CREDS = (CLUSTER.env["RGW_ACCESS_KEY"], CLUSTER.env["RGW_SECRET_KEY"])


def tearDownModule():
    if CLUSTER:
        CLUSTER.stop()


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------

def cluster_dir():
    return CLUSTER.env.get("CEPH_DIR") or os.path.dirname(CLUSTER.conf)


def ceph(*args, timeout=60, check=True):
    """`ceph` CLI as the cluster's admin; returns stdout."""
    p = subprocess.run(["ceph", "-c", CLUSTER.conf, "-n", f"client.{CLUSTER.env['CEPH_USER']}",
                        *args], capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"ceph {' '.join(args)} failed: {p.stderr}")
    return p.stdout


def pool_flags(pool):
    for p in json.loads(ceph("osd", "pool", "ls", "detail", "--format=json")):
        if p["pool_name"] == pool:
            return p.get("flags_names", "")
    return None


def is_full(pool):
    flags = (pool_flags(pool) or "").split(",")
    return "full" in flags or "full_quota" in flags


def rados_ls(pool):
    p = subprocess.run(["rados", "-c", CLUSTER.conf, "-n", f"client.{CLUSTER.env['CEPH_USER']}",
                        "-p", pool, "ls"], capture_output=True, text=True, timeout=60, check=True)
    return p.stdout.split()


def wait_for(what, fn, timeout=60, every=0.5):
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(every)


def status_of(fn, *a, **kw):
    """(HTTP status, S3 code, message) of an S3 call; (200, 'OK', '') when it succeeds."""
    try:
        fn(*a, **kw)
        return 200, "OK", ""
    except botocore.exceptions.ClientError as e:
        err = e.response.get("Error", {})
        return (e.response["ResponseMetadata"]["HTTPStatusCode"], err.get("Code", ""),
                err.get("Message", ""))


def keys_of(c, bucket):
    out = {}
    for page in c.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for o in page.get("Contents", []):
            out[o["Key"]] = (o["Size"], o["ETag"].strip('"'))
    return out


class _UnsignedPayload(S3SigV4Auth):
    def _should_sha256_sign_payload(self, request):
        return False  # x-amz-content-sha256: UNSIGNED-PAYLOAD, so the body can stream


def slow_put(endpoint, bucket, key, body, rate, abort_after=None, timeout=150):
    """PUTs body at `rate` bytes/s (SigV4, unsigned payload) over its own connection.
    abort_after=N closes the connection after N body bytes. Returns (status, response body) or
    ('error', repr(exception)) when the connection failed."""
    url = f"{endpoint}/{bucket}/{urllib.parse.quote(key)}"
    u = urllib.parse.urlsplit(url)
    req = AWSRequest(method="PUT", url=url, headers={"Content-Length": str(len(body))})
    _UnsignedPayload(Credentials(*CREDS), "s3", I.REGION).add_auth(req)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        conn.putrequest("PUT", u.path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", u.netloc)
        for k, v in req.headers.items():
            conn.putheader(k, v)
        conn.endheaders()
        t0, sent, chunk = time.monotonic(), 0, 256 * 1024
        while sent < len(body):
            if abort_after is not None and sent >= abort_after:
                conn.sock.shutdown(socket.SHUT_RDWR)
                conn.close()
                return "aborted", ""
            conn.send(body[sent:sent + chunk])
            sent += min(chunk, len(body) - sent)
            ahead = sent / rate - (time.monotonic() - t0)
            if ahead > 0:
                time.sleep(ahead)
        r = conn.getresponse()
        return r.status, r.read().decode(errors="replace")
    except (OSError, http.client.HTTPException) as e:
        # A server may answer an error before the body is in and close: read that answer.
        try:
            r = conn.getresponse()
            return r.status, r.read().decode(errors="replace")
        except (OSError, http.client.HTTPException):
            return "error", repr(e)
    finally:
        conn.close()


def read_full(c, bucket, key):
    """('ok', body, etag) / ('error', description) for one GET read to the end."""
    try:
        r = c.get_object(Bucket=bucket, Key=key)
        body = r["Body"].read()
        if len(body) != r["ContentLength"]:
            return ("short", f"{len(body)} of {r['ContentLength']} bytes")
        return ("ok", body, r["ETag"].strip('"'))
    except botocore.exceptions.ClientError as e:
        return ("error", f"{e.response['ResponseMetadata']['HTTPStatusCode']} "
                         f"{e.response.get('Error', {}).get('Code')}")
    except Exception as e:  # connection cut mid-body, timeouts: a failed GET, not a wrong one
        return ("error", repr(e))


def access_statuses(kelpd, method, path_part):
    """HTTP statuses of kelpd's access-log lines for `method` on a target containing path_part."""
    out = []
    try:
        with open(os.path.join(kelpd.tmp, "access.log")) as f:
            for line in f:
                if f'"{method} ' in line and path_part in line:
                    out.append(int(line.split('"')[2].split()[0]))
    except OSError:
        pass
    return out


class KelpdCase(unittest.TestCase):
    """A kelpd of its own per class, on the shared cluster."""
    kelpd = None

    @classmethod
    def setUpClass(cls):
        if KELP_SKIP:
            raise unittest.SkipTest(KELP_SKIP)
        cls.kelpd = I.Kelpd(CLUSTER).start()
        cls.s3 = I.s3_client(cls.kelpd.endpoint, CREDS)

    @classmethod
    def tearDownClass(cls):
        if cls.kelpd:
            cls.kelpd.cleanup(keep_logs=os.environ.get("KELP_CEPH_KEEP_LOGS") == "1")

    def assertKelpdUp(self):
        rc = self.kelpd.proc.poll() if self.kelpd.proc else "stopped"
        self.assertIsNone(rc, f"kelpd exited (rc={rc}); stderr:\n{self.kelpd.tail('kelpd.stderr')}")

    def assertWorks(self, bucket, key):
        body = I.data(key, 100 * 1024)
        self.s3.put_object(Bucket=bucket, Key=key, Body=body)
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key=key)["Body"].read(), body)


# ---------------------------------------------------------------------------------------------
# (a) an OSD killed and restarted under a PUT and GETs
# ---------------------------------------------------------------------------------------------

class OsdRestart(KelpdCase):
    def test_put_and_gets_across_osd_restart(self):
        bucket, key = f"fail-osd-{RUN}", "obj"
        self.s3.create_bucket(Bucket=bucket)
        old, new = I.data("old", BIG), I.data("new", BIG)
        known = {I.sha(old): "old", I.sha(new): "new"}
        self.s3.put_object(Bucket=bucket, Key=key, Body=old)

        put = {}
        stop = threading.Event()
        gets = []

        def putter():  # ~7 s at 3 MiB/s: the kill lands mid-body
            put["result"] = slow_put(self.kelpd.endpoint, bucket, key, new, rate=3 * MiB)
            put["end"] = time.monotonic()

        def getter():
            c = I.s3_client(self.kelpd.endpoint, CREDS)
            while not stop.is_set():
                gets.append(read_full(c, bucket, key))

        threads = [threading.Thread(target=putter)] + [threading.Thread(target=getter)
                                                      for _ in range(2)]
        for t in threads:
            t.start()
        try:
            time.sleep(2)
            restart_at = time.monotonic()
            p = subprocess.run(["bash", I.CLUSTER_SH, "restart-osd", cluster_dir()],
                               capture_output=True, text=True, timeout=180)
            self.assertEqual(p.returncode, 0, f"restart-osd failed: {p.stderr}")
            restarted_at = time.monotonic()
            threads[0].join(180)
            self.assertFalse(threads[0].is_alive(), "the PUT never finished")
            time.sleep(1)  # a GET round after the PUT settled
        finally:
            stop.set()
            for t in threads:
                t.join(180)
        self.assertKelpdUp()

        status, text = put["result"]
        # restart-osd kills the OSD within ~1 s of its start (one mon query first)
        self.assertGreater(put["end"] - restart_at, 1.5, "the PUT ended before the OSD was killed")
        I.log(f"PUT across the OSD restart (restart-osd took {restarted_at - restart_at:.1f}s, "
              f"the PUT ended {put['end'] - restart_at:.1f}s after it began): "
              f"{status} {text[:200]}; GETs: "
              f"{sum(g[0] == 'ok' for g in gets)} complete, "
              f"{sum(g[0] != 'ok' for g in gets)} failed {sorted({g[1] for g in gets if g[0] != 'ok'})}")
        self.assertTrue(status == 200 or (isinstance(status, int) and status >= 500),
                        f"PUT answered {status}: {text}")
        for g in gets:
            if g[0] == "ok":
                self.assertIn(I.sha(g[1]), known, "a GET returned neither the old nor the new bytes")
                self.assertEqual(g[2], I.md5(g[1]), "GET's ETag does not match its body")
        self.assertGreater(len(gets), 0)

        got = read_full(self.s3, bucket, key)
        self.assertEqual(got[0], "ok", f"GET after the restart failed: {got}")
        which = known.get(I.sha(got[1]))
        self.assertIsNotNone(which, "the object is a mix of the old and new bytes")
        if status == 200:
            self.assertEqual(which, "new", "the PUT succeeded but the old bytes are served")
        self.assertEqual(keys_of(self.s3, bucket), {key: (BIG, I.md5(got[1]))})
        self.assertWorks(bucket, "after-restart")


class OverwriteWhileReading(KelpdCase):
    """GETs of a 20 MiB object while it is overwritten (no fault): every GET completes with one
    of the versions. radosgw 16.2.15 passes: an overwrite hands the old tail stripes to the gc
    (rgw_gc_obj_min_wait, 2 h), so a GET that started on the old manifest finishes."""

    def check(self, endpoint, name):
        c = I.s3_client(endpoint, CREDS)
        bucket = f"fail-race-{name}-{RUN}"
        c.create_bucket(Bucket=bucket)
        bodies = [I.data(f"race{i}", BIG) for i in range(3)]
        known = {I.sha(b) for b in bodies}
        c.put_object(Bucket=bucket, Key="o", Body=bodies[0])
        stop, res = threading.Event(), []

        def getter():
            cc = I.s3_client(endpoint, CREDS)
            while not stop.is_set():
                r = read_full(cc, bucket, "o")
                res.append("ok" if r[0] == "ok" and I.sha(r[1]) in known else
                           "MIX" if r[0] == "ok" else r[1][:120])

        threads = [threading.Thread(target=getter) for _ in range(2)]
        for t in threads:
            t.start()
        t0, n = time.monotonic(), 0
        try:
            while time.monotonic() - t0 < 8 or n < 4:  # a few overwrites on a slow gateway too
                n += 1
                c.put_object(Bucket=bucket, Key="o", Body=bodies[n % 3])
        finally:
            stop.set()
            for t in threads:
                t.join(120)
        bad = [r for r in res if r != "ok"]
        I.log(f"{name}: {n} overwrites, {len(res)} GETs, {len(bad)} failed: {sorted(set(bad))}")
        self.assertGreater(len(res), 0)
        self.assertEqual(bad, [], f"{name}: GETs cut or mixed by a concurrent overwrite")

    def test_radosgw(self):
        self.check(CLUSTER.rgw_endpoint, "rgw")

    def test_kelpd(self):
        self.check(self.kelpd.endpoint, "kelpd")
        self.assertKelpdUp()


class PausedCluster(KelpdCase):
    """`ceph osd pause` (no OSD serves reads or writes) for longer than kelpd's 30 s op timeout:
    a PUT and a GET answer a 5xx within the timeout (+ slack) instead of hanging, kelpd stays up,
    and works again after `ceph osd unpause`. (radosgw 16.2.15 waits as long as the pause lasts:
    it sets no rados_osd_op_timeout.)"""

    OP_TIMEOUT = 30

    def tearDown(self):
        ceph("osd", "unpause")

    def test_ops_time_out_while_paused(self):
        bucket = f"fail-pause-{RUN}"
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_object(Bucket=bucket, Key="before", Body=I.data("before", 1 * MiB))
        ceph("osd", "pause")
        res = {}

        def run(name, fn, **kw):
            t0 = time.monotonic()
            res[name] = status_of(fn, **kw) + (time.monotonic() - t0,)

        c = I.s3_client(self.kelpd.endpoint, CREDS)
        threads = [threading.Thread(target=run, args=("put", self.s3.put_object),
                                    kwargs=dict(Bucket=bucket, Key="paused", Body=b"p" * 1000)),
                   threading.Thread(target=run, args=("get", c.get_object),
                                    kwargs=dict(Bucket=bucket, Key="before"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(self.OP_TIMEOUT * 6)
        self.assertFalse(any(t.is_alive() for t in threads), "a request hangs on a paused cluster")
        for name, (status, code, msg, took) in res.items():
            I.log(f"{name} on a paused cluster: {status} {code} {msg!r} after {took:.1f}s")
        for name, (status, code, msg, took) in res.items():
            # With users and buckets in kelpd's metadata cache the GET's only RADOS op is the
            # head read, which the OSD may still serve if it went out before the client saw the
            # pause: a 200 is right then. A PUT always writes, so it fails; its failure path
            # (index cancel, removal of what was written) waits for its own op timeouts.
            if name == "get" and status == 200:
                continue
            self.assertGreaterEqual(status, 500, f"{name}: {status} {code} {msg}")
            self.assertLess(took, self.OP_TIMEOUT * 4 + 15, f"{name} took {took:.0f}s")
        self.assertKelpdUp()
        ceph("osd", "unpause")
        wait_for("kelpd to serve again", lambda: status_of(
            self.s3.head_object, Bucket=bucket, Key="before")[0] == 200, timeout=60)
        self.assertWorks(bucket, "after-unpause")
        listed = keys_of(self.s3, bucket)
        self.assertNotIn("paused", listed, "a PUT that timed out is listed")


    def test_parked_requests_hold_no_thread(self):
        """kelpd on Ceph runs requests on fibers: 150 GETs waiting on a paused cluster (more than
        the 64 threads a worker pool would have) hold no thread, so a request that needs no
        RADOS round trip is still answered at once, and the process's thread count stays flat."""
        bucket = f"fail-park-{RUN}"
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_object(Bucket=bucket, Key="obj", Body=b"x" * 1000)
        url = self.s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "obj"},
                                             ExpiresIn=600)
        u = urllib.parse.urlsplit(self.kelpd.endpoint)

        def threads_of_kelpd():
            with open(f"/proc/{self.kelpd.proc.pid}/status") as f:
                return int(next(line for line in f if line.startswith("Threads:")).split()[1])

        def bad_auth_request():
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=20)
            t0 = time.monotonic()
            conn.request("GET", "/", headers={"Authorization": "AWS4-HMAC-SHA256 nonsense"})
            r = conn.getresponse()
            r.read()
            conn.close()
            return r.status, time.monotonic() - t0

        status, _ = bad_auth_request()
        self.assertEqual(status, 400)
        before = threads_of_kelpd()
        ceph("osd", "pause")
        results = []

        def get():
            try:
                with urllib.request.urlopen(url, timeout=120) as r:
                    results.append(r.status)
            except urllib.error.HTTPError as e:
                results.append(e.code)
            except Exception as e:  # noqa: BLE001
                results.append(repr(e))

        parked = [threading.Thread(target=get) for _ in range(150)]
        for t in parked:
            t.start()
        time.sleep(3)  # let them all reach kelpd and park on the paused OSDs
        self.assertEqual(len(results), 0, f"GETs answered although the cluster is paused: {results[:3]}")
        during = threads_of_kelpd()
        status, took = bad_auth_request()
        I.log(f"150 GETs parked: kelpd threads {before} -> {during}; a RADOS-free request "
              f"answered {status} in {took * 1000:.0f} ms")
        self.assertEqual(status, 400)
        self.assertLess(took, 2.0, "a request queued behind requests parked on RADOS")
        self.assertLess(during - before, 16, "parked requests hold threads")
        ceph("osd", "unpause")
        for t in parked:
            t.join(180)
        self.assertEqual(len(results), 150)
        self.assertKelpdUp()
        self.assertWorks(bucket, "after-parking")


def rados(*args, data=None):
    """`rados` CLI as the cluster's admin (data: bytes for stdin)."""
    p = subprocess.run(["rados", "-c", CLUSTER.conf, "-n", f"client.{CLUSTER.env['CEPH_USER']}",
                        *args], input=data, capture_output=True, timeout=60)
    if p.returncode != 0:
        raise AssertionError(f"rados {' '.join(args)} failed: {p.stderr.decode(errors='replace')}")
    return p.stdout


class CorruptEncodings(KelpdCase):
    """Metadata on the cluster that does not decode — garbage, or an encoding whose compat
    version is newer than radosgw 16.2 writes — is a clear 5xx naming what failed, in the
    response and on kelpd's stderr with the request id; kelpd stays up and serves the rest."""

    def assertClearFailure(self, fn, what, **kw):
        status, code, msg = status_of(fn, **kw)
        I.log(f"{what}: {status} {code} {msg!r}")
        self.assertGreaterEqual(status, 500, f"{what}: {status} {code} {msg}")
        self.assertTrue("decod" in msg.lower() or "version" in msg.lower(),
                        f"{what}: the message does not say what failed: {msg!r}")
        self.assertKelpdUp()
        wait_for("the failure on kelpd's stderr", lambda: any(
            f" {status} " in line and "decod" in line.lower()
            for line in self.kelpd.tail("kelpd.stderr", 200).splitlines()), timeout=10)

    def test_undecodable_object_metadata(self):
        bucket = f"fail-enc-{RUN}"
        self.s3.create_bucket(Bucket=bucket)
        for key in ("good", "bad-manifest", "future-acl"):
            self.s3.put_object(Bucket=bucket, Key=key, Body=I.data(key, 6 * MiB))
        marker = I.Admin(CLUSTER).bucket_stats(bucket)["marker"]
        pool = "default.rgw.buckets.data"
        rados("-p", pool, "setxattr", f"{marker}_bad-manifest", "user.rgw.manifest",
              data=b"\x01garbage")
        # struct_v 99, compat 99: a future encoding (ENC_START(v, compat, bl) header + length)
        rados("-p", pool, "setxattr", f"{marker}_future-acl", "user.rgw.acl",
              data=bytes([99, 99]) + (4).to_bytes(4, "little") + b"\0\0\0\0")
        self.assertClearFailure(self.s3.get_object, "GET with a garbage manifest",
                                Bucket=bucket, Key="bad-manifest")
        self.assertClearFailure(self.s3.get_object, "GET with a future ACL encoding",
                                Bucket=bucket, Key="future-acl")
        body = self.s3.get_object(Bucket=bucket, Key="good")["Body"].read()
        self.assertEqual(I.sha(body), I.sha(I.data("good", 6 * MiB)))
        self.assertEqual(set(keys_of(self.s3, bucket)), {"good", "bad-manifest", "future-acl"})

    def test_undecodable_user(self):
        admin = I.Admin(CLUSTER)
        uid = f"fail-enc-user-{RUN}"
        info = admin.user_create(uid)
        creds = (info["keys"][0]["access_key"], info["keys"][0]["secret_key"])
        rados("-p", "default.rgw.meta", "-N", "users.uid", "put", uid, "-", data=b"\x03\x01junk")
        c = I.s3_client(self.kelpd.endpoint, creds)
        self.assertClearFailure(c.list_buckets, "request by a user whose record is garbage")
        self.assertEqual(status_of(self.s3.list_buckets)[0], 200)


# ---------------------------------------------------------------------------------------------
# (b) a placement whose data pool is deleted
# ---------------------------------------------------------------------------------------------

class MissingPool(unittest.TestCase):
    """The zonegroup's default placement is pointed at a new placement target with its own data
    pool (radosgw, already running, keeps its loaded zone); kelpd started on it creates the pools,
    a bucket lands there, then the data pool is deleted under kelpd. Restored afterwards."""

    PLACEMENT = f"kelp-doomed-{RUN}"
    DATA_POOL = f"kelp-doomed-{RUN}.data"

    @classmethod
    def setUpClass(cls):
        if KELP_SKIP:
            raise unittest.SkipTest(KELP_SKIP)
        cls.admin = I.Admin(CLUSTER)
        cls.kelpds = []
        cls.admin.run("zonegroup", "placement", "add", "--rgw-zonegroup=default",
                      f"--placement-id={cls.PLACEMENT}")
        cls.admin.run("zone", "placement", "add", "--rgw-zone=default",
                      f"--placement-id={cls.PLACEMENT}", f"--data-pool={cls.DATA_POOL}",
                      "--index-pool=default.rgw.buckets.index",
                      "--data-extra-pool=default.rgw.buckets.non-ec")
        cls.admin.run("zonegroup", "placement", "default", "--rgw-zonegroup=default",
                      f"--placement-id={cls.PLACEMENT}")

    @classmethod
    def tearDownClass(cls):
        for k in cls.kelpds:
            k.cleanup(keep_logs=os.environ.get("KELP_CEPH_KEEP_LOGS") == "1")
        cls.admin.run("zonegroup", "placement", "default", "--rgw-zonegroup=default",
                      "--placement-id=default-placement", check=False)
        cls.admin.run("zone", "placement", "rm", "--rgw-zone=default",
                      f"--placement-id={cls.PLACEMENT}", check=False)
        cls.admin.run("zonegroup", "placement", "rm", "--rgw-zonegroup=default",
                      f"--placement-id={cls.PLACEMENT}", check=False)
        ceph("osd", "pool", "rm", cls.DATA_POOL, cls.DATA_POOL, "--yes-i-really-really-mean-it",
             check=False)

    def start_kelpd(self):
        k = I.Kelpd(CLUSTER).start()
        self.kelpds.append(k)
        return k, I.s3_client(k.endpoint, CREDS)

    def test_data_pool_deleted_under_kelpd(self):
        kelpd, s3 = self.start_kelpd()
        self.assertIsNotNone(pool_flags(self.DATA_POOL), "kelpd did not create the zone's data pool")
        bucket = f"fail-pool-{RUN}"
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key="before", Body=I.data("before", 1 * MiB))
        ceph("osd", "pool", "rm", self.DATA_POOL, self.DATA_POOL, "--yes-i-really-really-mean-it")

        # radosgw 16.2.15 recreates the pool on the next write (rgw_init_ioctx with create=true)
        # and the PUT succeeds; so does kelpd (RadosOptions::create_missing_pools).
        for size in (1000, 6 * MiB):  # head only; head + tail stripes
            key = f"after-{size}"
            body = I.data(key, size)
            status, code, msg = status_of(s3.put_object, Bucket=bucket, Key=key, Body=body)
            I.log(f"PUT {size} B with the data pool deleted: {status} {code} {msg!r}")
            self.assertEqual((status, code), (200, "OK"), f"PUT on a deleted pool: {msg}")
            self.assertEqual(s3.get_object(Bucket=bucket, Key=key)["Body"].read(), body)
        self.assertIsNotNone(pool_flags(self.DATA_POOL), "the data pool was not recreated")
        status, code, msg = status_of(s3.get_object, Bucket=bucket, Key="before")
        I.log(f"GET of an object whose data went with the pool: {status} {code} {msg!r}")
        self.assertEqual((status, code), (404, "NoSuchKey"))
        self.assertIsNone(kelpd.proc.poll(), f"kelpd exited: {kelpd.tail('kelpd.stderr')}")
        # bucket operations on the other pools still work
        self.assertEqual(status_of(s3.head_bucket, Bucket=bucket)[0], 200)

        # A second kelpd on the recreated pool sees and writes the same.
        kelpd2, s3b = self.start_kelpd()
        body = I.data("again", 6 * MiB)
        s3b.put_object(Bucket=bucket, Key="again", Body=body)
        self.assertEqual(s3b.get_object(Bucket=bucket, Key="again")["Body"].read(), body)
        # and the first kelpd writes to the recreated pool too (no handle left on the old one)
        status, code, msg = status_of(s3.put_object, Bucket=bucket, Key="again-1", Body=body)
        self.assertEqual((status, code), (200, "OK"), f"first kelpd after the pool came back: {msg}")
        self.assertEqual(s3b.get_object(Bucket=bucket, Key="again-1")["Body"].read(), body)


# ---------------------------------------------------------------------------------------------
# (c) a pool over its quota
# ---------------------------------------------------------------------------------------------

class FullPool(KelpdCase):
    POOL = "default.rgw.buckets.data"

    def set_quota(self, max_bytes):
        ceph("osd", "pool", "set-quota", self.POOL, "max_bytes", str(max_bytes))

    def set_ratios(self, nearfull, backfillfull, full):
        # in this order when lowering, the reverse when raising: the mon keeps them ordered
        order = [("nearfull", nearfull), ("backfillfull", backfillfull), ("full", full)]
        if full > 0.5:
            order.reverse()
        for name, v in order:
            ceph("osd", f"set-{name}-ratio", str(v))

    def tearDown(self):
        self.set_ratios(0.85, 0.90, 0.95)
        self.set_quota(0)
        wait_for("the pool's full flag to clear", lambda: not is_full(self.POOL))

    def test_put_on_a_full_cluster(self):
        bucket = f"fail-fullc-{RUN}"
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_object(Bucket=bucket, Key="before", Body=I.data("before", 1 * MiB))
        self.s3.put_object(Bucket=bucket, Key="doomed", Body=b"x")
        self.set_ratios(0.005, 0.008, 0.01)  # the OSD is "full" at 1 % used
        wait_for("the full flag on the data pool", lambda: is_full(self.POOL))
        for size in (1000, 6 * MiB):
            key = f"full-{size}"
            t0 = time.monotonic()
            status, code, msg = status_of(self.s3.put_object, Bucket=bucket, Key=key,
                                          Body=I.data(key, size))
            I.log(f"PUT {size} B on a full cluster: {status} {code} {msg!r}")
            self.assertEqual((status, code), (500, "InternalError"))
            self.assertIn("full", msg, "the error does not say the cluster is full")
            self.assertLess(time.monotonic() - t0, 30, "the refused PUT took too long")
        status, code, msg = status_of(self.s3.create_bucket, Bucket=f"fail-fullc-new-{RUN}")
        I.log(f"CreateBucket on a full cluster: {status} {code} {msg!r}")
        self.assertEqual(status, 500)
        # reads and deletes (which free space) still work
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="before")["Body"].read(),
                         I.data("before", 1 * MiB))
        self.assertEqual(status_of(self.s3.delete_object, Bucket=bucket, Key="doomed")[0], 200)
        self.assertEqual(keys_of(self.s3, bucket), {"before": (MiB, I.md5(I.data("before", MiB)))})
        self.assertKelpdUp()

        self.set_ratios(0.85, 0.90, 0.95)
        wait_for("the full flag to clear", lambda: not is_full(self.POOL))
        self.assertEqual(status_of(self.s3.head_bucket, Bucket=f"fail-fullc-new-{RUN}")[0], 404,
                         "the bucket refused on the full cluster exists half-made")
        self.assertWorks(bucket, "after-full")

    def test_put_on_a_full_pool(self):
        bucket = f"fail-full-{RUN}"
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_object(Bucket=bucket, Key="before", Body=I.data("before", 1 * MiB))
        before = keys_of(self.s3, bucket)

        # a PUT streaming when the quota hits: its first stripes land, a later one is refused
        cut = {}
        t = threading.Thread(target=lambda: cut.update(
            r=slow_put(self.kelpd.endpoint, bucket, "cut", I.data("cut", BIG), rate=1.5 * MiB)))
        t.start()
        time.sleep(4)  # ~6 MiB in: the head buffered, tail stripe 1 on its way
        self.set_quota(1)
        wait_for("the pool's full flag", lambda: is_full(self.POOL))
        t.join(120)
        self.assertFalse(t.is_alive(), "the PUT cut by the quota hangs")
        I.log(f"PUT running when the quota hit: {cut['r'][0]} {cut['r'][1][:300]}")

        for size in (1000, 6 * MiB):
            key = f"full-{size}"
            t0 = time.monotonic()
            status, code, msg = status_of(self.s3.put_object, Bucket=bucket, Key=key,
                                          Body=I.data(key, size))
            I.log(f"PUT {size} B on the full pool: {status} {code} {msg!r} "
                  f"in {time.monotonic() - t0:.1f}s")
            self.assertEqual((status, code), (500, "InternalError"))
            self.assertIn("quota", msg, "the error does not say the pool quota is exceeded")
            self.assertLess(time.monotonic() - t0, 30, "the refused PUT took too long")
            wait_for("a 500 line in kelpd's access log", lambda: 500 in access_statuses(
                self.kelpd, "PUT", key), timeout=10)
        self.assertKelpdUp()
        self.assertIn(cut["r"][0], (200, 500))
        listed = keys_of(self.s3, bucket)
        expect = dict(before)
        if cut["r"][0] == 200:
            expect["cut"] = (BIG, I.md5(I.data("cut", BIG)))
        self.assertEqual(listed, expect, "a refused PUT is listed")
        # no RADOS object of a refused PUT is left behind: the bucket's data objects are the
        # heads of the listed keys and the 4 tail stripes of a 20 MiB one
        marker = I.Admin(CLUSTER).bucket_stats(bucket)["marker"]
        objs = [o for o in rados_ls(self.POOL) if o.startswith(marker + "_")]
        tails = [o for o in objs if o.startswith(marker + "__shadow_")]
        self.assertEqual(sorted(set(objs) - set(tails)), sorted(f"{marker}_{k}" for k in listed))
        self.assertEqual(len(tails), 4 if "cut" in listed else 0,
                         f"tail stripes of a refused PUT remain: {tails}")
        # reads still work on a full pool
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="before")["Body"].read(),
                         I.data("before", 1 * MiB))

        self.set_quota(0)
        wait_for("the pool's full flag to clear", lambda: not is_full(self.POOL))
        self.assertWorks(bucket, "after-quota")
        big = I.data("after-big", BIG)
        self.s3.put_object(Bucket=bucket, Key="after-big", Body=big)
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="after-big")["Body"].read(), big)


# ---------------------------------------------------------------------------------------------
# (d) a wrong monitor address
# ---------------------------------------------------------------------------------------------

class BadMonitor(unittest.TestCase):
    MOUNT_TIMEOUT = 30  # kelpd's RadosOptions.op_timeout_s, also its client_mount_timeout

    @classmethod
    def setUpClass(cls):
        if KELP_SKIP:
            raise unittest.SkipTest(KELP_SKIP)

    def run_with_mon(self, mon_host):
        tmp = tempfile.mkdtemp(prefix="kelp-badmon-")
        self.addCleanup(shutil.rmtree, tmp, True)
        conf = os.path.join(tmp, "ceph.conf")
        with open(CLUSTER.conf) as src, open(conf, "w") as dst:
            for line in src:
                if line.strip().startswith("mon_host"):
                    line = f"mon_host = {mon_host}\n"
                dst.write(line)
        t0 = time.monotonic()
        p = subprocess.run([I.KELPD, "--ceph-conf", conf, "--ceph-user", CLUSTER.env["CEPH_USER"],
                            "--listen", "127.0.0.1:0"], capture_output=True, text=True,
                           timeout=self.MOUNT_TIMEOUT + 60)
        took = time.monotonic() - t0
        I.log(f"kelpd with mon_host={mon_host}: rc={p.returncode} in {took:.1f}s, "
              f"stderr {p.stderr.strip()!r}")
        self.assertEqual(p.returncode, 1)
        self.assertNotIn("listening", p.stdout)
        lines = [l for l in p.stderr.splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, f"not one sentence: {p.stderr!r}")
        self.assertTrue(lines[0].startswith("kelpd: "), lines[0])
        self.assertIn(conf, lines[0], "the error does not name the conf")
        self.assertLess(took, self.MOUNT_TIMEOUT + 20)

    def test_refused(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()  # nothing listens there
        self.run_with_mon(f"[v2:127.0.0.1:{port}]")

    def test_silent(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(16)  # accepts (the kernel completes the handshake), never says a word
        self.addCleanup(s.close)
        self.run_with_mon(f"[v2:127.0.0.1:{s.getsockname()[1]},v1:127.0.0.1:{s.getsockname()[1]}]")


if __name__ == "__main__":
    unittest.main(verbosity=2)
