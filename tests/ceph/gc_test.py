"""Garbage collection of tail objects, Kelp beside radosgw 16.2.15 on one Ceph cluster.

  KelpEntriesRadosgwProcesses   an object overwritten through kelpd leaves its old tails and one
                                gc entry (tag = the old tail tag, chain = the old tails) that
                                `radosgw-admin gc list` shows and `radosgw-admin gc process
                                --include-all` releases
  RadosgwEntriesKelpProcesses   an object deleted through radosgw leaves radosgw's gc entry; kelpd's
                                gc thread (--gc-period) releases its tails once it is due

Needs $KELP_CEPH_ENV (DIR/env of `tests/ceph/cluster.sh start DIR`) and $KELPD (a kelpd with
--ceph-conf and --gc-period). Run: KELP_CEPH_ENV=DIR/env KELPD=build/src/kelpd/kelpd
/usr/bin/python3 -m unittest -v gc_test  (in tests/ceph).
"""

import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop as I  # noqa: E402

ENV = None
ADMIN = None
RUN = os.urandom(3).hex()
DATA_POOL = "default.rgw.buckets.data"
MiB = 1 << 20


def setUpModule():
    global ENV, ADMIN
    warnings.simplefilter("ignore", ResourceWarning)
    path = os.environ.get("KELP_CEPH_ENV")
    if not path:
        raise unittest.SkipTest("set KELP_CEPH_ENV to DIR/env of tests/ceph/cluster.sh start DIR")
    ok, why = I.kelpd_ceph_support()
    if not ok:
        raise unittest.SkipTest(why)
    ENV = I.read_env(path)

    class _C:  # interop.Admin wants a cluster-like object
        env = ENV
        conf = ENV["CEPH_CONF"]
    ADMIN = I.Admin(_C)


def creds():
    return (ENV["RGW_ACCESS_KEY"], ENV["RGW_SECRET_KEY"])


def rados_ls(prefix):
    p = subprocess.run(["rados", "-c", ENV["CEPH_CONF"], "-n", f"client.{ENV['CEPH_USER']}",
                        "-p", DATA_POOL, "ls"], capture_output=True, text=True, check=True,
                       timeout=60)
    return sorted(o for o in p.stdout.split() if o.startswith(prefix))


def shadows(bucket):
    marker = ADMIN.json("bucket", "stats", f"--bucket={bucket}")["marker"]
    return set(rados_ls(marker + "__shadow_"))


def gc_entries(include_all=True):
    args = ["gc", "list"] + (["--include-all"] if include_all else [])
    return ADMIN.json(*args) or []


def entries_naming(oids, entries):
    return [e for e in entries if {o["oid"] for o in e["objs"]} & set(oids)]


def pattern(seed, size):
    return I.data(seed, size)


class KelpdProc:
    """kelpd on the cluster with extra flags; stopped by its PID."""

    LISTEN_RE = re.compile(rb"listening on http://127\.0\.0\.1:(\d+)")

    def __init__(self, *flags):
        self.tmp = tempfile.mkdtemp(prefix="kelp-gc-test-")
        args = [I.KELPD, "--ceph-conf", ENV["CEPH_CONF"], "--ceph-user", ENV["CEPH_USER"],
                "--listen", "127.0.0.1:0"] + list(flags)
        self.err_path = os.path.join(self.tmp, "kelpd.stderr")
        with open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=err,
                                         stdin=subprocess.DEVNULL)
        buf, deadline = b"", time.monotonic() + 60
        while True:
            m = self.LISTEN_RE.search(buf)
            if m:
                self.endpoint = f"http://127.0.0.1:{int(m.group(1))}"
                break
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                raise RuntimeError(f"kelpd did not start: {' '.join(args)}\n{self.stderr()}")
            r, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if r:
                buf += os.read(self.proc.stdout.fileno(), 65536)

    def stderr(self):
        try:
            with open(self.err_path, "rb") as f:
                return f.read().decode(errors="replace")[-4000:]
        except OSError:
            return ""

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


class KelpEntriesRadosgwProcesses(unittest.TestCase):
    def setUp(self):
        # No gc thread: the entry must wait for radosgw-admin.
        self.kelpd = KelpdProc("--gc-period", "0")

    def tearDown(self):
        self.kelpd.stop()

    def test_overwrite_through_kelp_then_radosgw_admin_gc(self):
        c = I.s3_client(self.kelpd.endpoint, creds())
        bucket = f"kgc-{RUN}"
        c.create_bucket(Bucket=bucket)
        v1, v2 = pattern("gc-v1", 20 * MiB), pattern("gc-v2", 20 * MiB)
        c.put_object(Bucket=bucket, Key="big", Body=v1)
        old_tails = shadows(bucket)
        self.assertEqual(len(old_tails), 4)  # 4 MiB head + four 4 MiB stripes
        old_tag = ADMIN.object_stat(bucket, "big")["attrs"]["user.rgw.tail_tag"]

        c.put_object(Bucket=bucket, Key="big", Body=v2)
        tails = shadows(bucket)
        new_tails = tails - old_tails
        self.assertEqual(len(new_tails), 4)
        self.assertTrue(old_tails <= tails, "the old tails wait for gc")

        mine = entries_naming(old_tails, gc_entries())
        self.assertEqual(len(mine), 1, mine)
        e = mine[0]
        self.assertEqual(e["tag"], old_tag.rstrip("\x00") + "\x00")  # the raw xattr
        self.assertTrue(e["tag"].endswith("\x00"))
        self.assertEqual(sorted(o["oid"] for o in e["objs"]), sorted(old_tails))
        for o in e["objs"]:
            self.assertEqual((o["pool"], o["key"], o["instance"]), (DATA_POOL, "", ""))
        # Not due for rgw_gc_obj_min_wait (7200 s): plain `gc list` does not show it.
        self.assertEqual(entries_naming(old_tails, gc_entries(include_all=False)), [])

        ADMIN.run("gc", "process", "--include-all")
        self.assertEqual(shadows(bucket), new_tails)
        self.assertEqual(entries_naming(old_tails, gc_entries()), [])
        self.assertEqual(c.get_object(Bucket=bucket, Key="big")["Body"].read(), v2)
        rgw = I.s3_client(ENV["RGW_ENDPOINT"], creds())
        self.assertEqual(rgw.get_object(Bucket=bucket, Key="big")["Body"].read(), v2)


class RadosgwEntriesKelpProcesses(unittest.TestCase):
    ASOK = None

    def rgw_config_set(self, key, value):
        asok = os.path.join(ENV["CEPH_DIR"], "run", f"{ENV.get('RGW_NAME', 'client.rgw.gw')}.asok")
        p = subprocess.run(["ceph", "--admin-daemon", asok, "config", "set", key, str(value)],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def setUp(self):
        # radosgw's own entries become due after 1 s (its gc thread runs hourly).
        self.rgw_config_set("rgw_gc_obj_min_wait", 1)
        self.kelpd = None

    def tearDown(self):
        if self.kelpd:
            self.kelpd.stop()
        self.rgw_config_set("rgw_gc_obj_min_wait", 7200)

    def test_delete_through_radosgw_then_kelp_gc_thread(self):
        rgw = I.s3_client(ENV["RGW_ENDPOINT"], creds())
        bucket = f"rgc-{RUN}"
        rgw.create_bucket(Bucket=bucket)
        rgw.put_object(Bucket=bucket, Key="keep", Body=pattern("keep", 9 * MiB))
        keep_tails = shadows(bucket)
        self.assertEqual(len(keep_tails), 2)
        rgw.put_object(Bucket=bucket, Key="big", Body=pattern("rgc", 20 * MiB))
        doomed = shadows(bucket) - keep_tails
        self.assertEqual(len(doomed), 4)
        tag = ADMIN.object_stat(bucket, "big")["attrs"]["user.rgw.tail_tag"]
        rgw.delete_object(Bucket=bucket, Key="big")
        self.assertEqual(shadows(bucket), keep_tails | doomed, "radosgw left the tails for gc")
        theirs = entries_naming(doomed, gc_entries())
        self.assertEqual(len(theirs), 1, theirs)
        self.assertEqual(theirs[0]["tag"], tag.rstrip("\x00") + "\x00")
        self.assertEqual({o["oid"] for o in theirs[0]["objs"]}, doomed)

        time.sleep(1.5)  # due now
        self.kelpd = KelpdProc("--gc-period", "1")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if not (shadows(bucket) & doomed) and not entries_naming(doomed, gc_entries()):
                break
            time.sleep(1)
        self.assertEqual(shadows(bucket) & doomed, set(), self.kelpd.stderr())
        self.assertEqual(entries_naming(doomed, gc_entries()), [])
        # The other object's tails are untouched and it still reads back.
        self.assertEqual(shadows(bucket), keep_tails)
        body = I.s3_client(self.kelpd.endpoint, creds()).get_object(Bucket=bucket, Key="keep")
        self.assertEqual(body["Body"].read(), pattern("keep", 9 * MiB))


if __name__ == "__main__":
    unittest.main()
