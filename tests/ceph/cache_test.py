"""kelpd's metadata cache beside a real radosgw (run by tests/ceph/run.sh).

kelpd (cache on, its default) caches users, access-key index objects and bucket entrypoints /
instances and keeps them coherent by watching the control objects notify.0..7, which radosgw and
radosgw-admin notify on every metadata write.

  - It really serves from the cache: an access-key index object removed behind everyone's back
    with `rados rm` (no notify) still authenticates on kelpd (and on radosgw, which caches too),
    while a kelpd started with --no-metadata-cache refuses the key at once.
  - It stays correct: after radosgw / radosgw-admin change a user's keys, suspend it, change a
    bucket ACL, or delete a bucket and recreate it under another owner, kelpd's very next
    request answers accordingly (no sleep, no retry) although all of it was cached.
  - Its counters, logged when kelpd stops, show hits and applied notifies.
"""

import os
import re
import subprocess
import sys
import tempfile
import time
import unittest
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop as I  # noqa: E402

CLUSTER = ADMIN = KELPD = None
KELP_SKIP = None
RUN = os.urandom(3).hex()


def setUpModule():
    global CLUSTER, ADMIN, KELPD, KELP_SKIP
    warnings.simplefilter("ignore", ResourceWarning)
    CLUSTER = I.Cluster()
    try:
        ADMIN = I.Admin(CLUSTER)
        ok, why = I.kelpd_ceph_support()
        if ok:
            KELPD = I.Kelpd(CLUSTER).start()
        else:
            KELP_SKIP = why
    except BaseException:
        CLUSTER.stop()
        raise


def tearDownModule():
    if KELPD:
        KELPD.cleanup(keep_logs=os.environ.get("KELP_CEPH_KEEP_LOGS") == "1")
    if CLUSTER:
        CLUSTER.stop()


def start_uncached():
    """A second kelpd on the cluster with --no-metadata-cache (the comparison)."""
    k = I.Kelpd(CLUSTER)
    real_popen = subprocess.Popen

    def popen(args, *a, **kw):
        return real_popen(list(args) + ["--no-metadata-cache"], *a, **kw)

    subprocess.Popen = popen
    try:
        return k.start()
    finally:
        subprocess.Popen = real_popen


def rados(*args, check=True):
    cmd = ["rados", "-c", CLUSTER.conf, "-n", f"client.{CLUSTER.env['CEPH_USER']}"] + list(args)
    p = subprocess.run(cmd, capture_output=True, timeout=60)
    if check and p.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed: {p.stderr.decode(errors='replace')}")
    return p


def code(endpoint, creds, fn="list_buckets", **kw):
    return I.error_code(getattr(I.s3_client(endpoint, creds), fn), **kw)


class KelpdMetadataCache(unittest.TestCase):
    n = 0

    @classmethod
    def setUpClass(cls):
        if KELPD is None:
            raise unittest.SkipTest(KELP_SKIP or "kelpd not started")

    def setUp(self):
        KelpdMetadataCache.n += 1
        self.uid = f"mc-{RUN}-{KelpdMetadataCache.n}"
        info = ADMIN.user_create(self.uid)
        self.creds = (info["keys"][0]["access_key"], info["keys"][0]["secret_key"])
        # warm kelpd's cache: key index + user (twice: the second is a hit)
        for _ in range(2):
            self.assertEqual(code(KELPD.endpoint, self.creds), "OK")

    def test_a_cache_enabled_at_start(self):
        self.assertIn("metadata cache enabled", KELPD.tail("kelpd.stderr", 200))

    def test_b_serves_from_cache(self):
        key = self.creds[0]
        with tempfile.TemporaryDirectory() as tmp:
            saved = os.path.join(tmp, "key")
            rados("-p", "default.rgw.meta", "-N", "users.keys", "get", key, saved)
            # gone from RADOS without any notify: only a cache still knows the key
            rados("-p", "default.rgw.meta", "-N", "users.keys", "rm", key)
            try:
                self.assertEqual(code(KELPD.endpoint, self.creds), "OK",
                                 "kelpd read the key index from RADOS: not cached")
                uncached = start_uncached()
                try:
                    self.assertEqual(code(uncached.endpoint, self.creds), "InvalidAccessKeyId")
                finally:
                    uncached.cleanup()
            finally:
                rados("-p", "default.rgw.meta", "-N", "users.keys", "put", key, saved)

    def test_c_key_changes_seen_at_once(self):
        k = ADMIN.key_create(self.uid)["keys"]
        new = next((x["access_key"], x["secret_key"]) for x in k if x["access_key"] != self.creds[0])
        self.assertEqual(code(KELPD.endpoint, new), "OK")
        self.assertEqual(code(KELPD.endpoint, new), "OK")
        ADMIN.key_rm(self.uid, self.creds[0])
        self.assertEqual(code(KELPD.endpoint, self.creds), "InvalidAccessKeyId")
        self.assertEqual(code(KELPD.endpoint, new), "OK")
        # recreated with another secret: the cached user must not keep the old one
        ADMIN.key_rm(self.uid, new[0])
        ADMIN.key_create(self.uid, access_key=new[0], secret_key="x" * 40)
        self.assertEqual(code(KELPD.endpoint, new), "SignatureDoesNotMatch")
        self.assertEqual(code(KELPD.endpoint, (new[0], "x" * 40)), "OK")

    def test_d_suspension_seen_at_once(self):
        ADMIN.user_suspend(self.uid)
        self.assertEqual(code(KELPD.endpoint, self.creds), "UserSuspended")
        ADMIN.user_enable(self.uid)
        self.assertEqual(code(KELPD.endpoint, self.creds), "OK")
        ADMIN.user_suspend(self.uid)
        self.assertEqual(code(KELPD.endpoint, self.creds), "UserSuspended")

    def test_e_bucket_acl_via_radosgw_seen_at_once(self):
        rgw = I.s3_client(CLUSTER.rgw_endpoint, self.creds)
        bucket = f"{self.uid}-acl"
        rgw.create_bucket(Bucket=bucket)
        for acl, want in [("private", "AccessDenied"), ("public-read", "OK"),
                          ("private", "AccessDenied"), ("public-read", "OK")]:
            rgw.put_bucket_acl(Bucket=bucket, ACL=acl)
            for _ in range(2):  # the second answer comes from the cache
                self.assertEqual(code(KELPD.endpoint, None, "list_objects", Bucket=bucket), want,
                                 acl)

    def test_f_bucket_deleted_and_recreated_by_another_owner(self):
        other = ADMIN.user_create(f"{self.uid}-other")["keys"][0]
        other = (other["access_key"], other["secret_key"])
        bucket = f"{self.uid}-re"
        first = I.s3_client(CLUSTER.rgw_endpoint, self.creds)
        first.create_bucket(Bucket=bucket)
        first.put_object(Bucket=bucket, Key="k", Body=b"first")
        kelp = I.s3_client(KELPD.endpoint, self.creds)
        for _ in range(2):
            self.assertEqual(kelp.get_object(Bucket=bucket, Key="k")["Body"].read(), b"first")
        first.delete_object(Bucket=bucket, Key="k")
        first.delete_bucket(Bucket=bucket)
        self.assertEqual(code(KELPD.endpoint, self.creds, "list_objects", Bucket=bucket),
                         "NoSuchBucket")
        second = I.s3_client(CLUSTER.rgw_endpoint, other)
        second.create_bucket(Bucket=bucket)
        second.put_object(Bucket=bucket, Key="k", Body=b"second")
        self.assertEqual(code(KELPD.endpoint, self.creds, "list_objects", Bucket=bucket),
                         "AccessDenied")
        kelp2 = I.s3_client(KELPD.endpoint, other)
        self.assertEqual(kelp2.get_object(Bucket=bucket, Key="k")["Body"].read(), b"second")

    def test_g_kelp_writes_seen_by_radosgw_and_kelp(self):
        kelp = I.s3_client(KELPD.endpoint, self.creds)
        bucket = f"{self.uid}-kw"
        kelp.create_bucket(Bucket=bucket)
        kelp.put_bucket_acl(Bucket=bucket, ACL="public-read")
        self.assertEqual(code(CLUSTER.rgw_endpoint, None, "list_objects", Bucket=bucket), "OK")
        self.assertEqual(code(KELPD.endpoint, None, "list_objects", Bucket=bucket), "OK")
        kelp.put_bucket_acl(Bucket=bucket, ACL="private")
        self.assertEqual(code(CLUSTER.rgw_endpoint, None, "list_objects", Bucket=bucket),
                         "AccessDenied")
        self.assertEqual(code(KELPD.endpoint, None, "list_objects", Bucket=bucket),
                         "AccessDenied")

    def test_y_coherent_after_an_osd_restart(self):
        """The OSD holding the control objects is killed and restarted: kelpd's watches break
        or are re-sent; either way the cache is back (or was never stale) and the next change
        is seen at once."""
        cluster_dir = CLUSTER.env.get("CEPH_DIR") or os.path.dirname(CLUSTER.conf)
        p = subprocess.run(["bash", I.CLUSTER_SH, "restart-osd", cluster_dir],
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(p.returncode, 0, f"restart-osd failed: {p.stderr}")
        self.assertEqual(code(KELPD.endpoint, self.creds), "OK")
        ADMIN.user_suspend(self.uid)
        self.assertEqual(code(KELPD.endpoint, self.creds), "UserSuspended")
        ADMIN.user_enable(self.uid)
        self.assertEqual(code(KELPD.endpoint, self.creds), "OK")
        events = [line for line in KELPD.tail("kelpd.stderr", 200).splitlines()
                  if "metadata cache" in line]
        I.log("kelpd cache events: " + "; ".join(events[-6:]))
        if any("disabled" in e for e in events):  # it must have come back by now (2 s pings)
            deadline = time.monotonic() + 30
            while "enabled" not in events[-1] and time.monotonic() < deadline:
                time.sleep(1)
                events = [line for line in KELPD.tail("kelpd.stderr", 200).splitlines()
                          if "metadata cache" in line]
            self.assertIn("enabled", events[-1])

    def test_z_counters_at_shutdown(self):
        global KELPD
        KELPD.stop()
        line = KELPD.tail("kelpd.stderr", 50)
        m = re.search(r"metadata cache stopped: (.*)", line)
        self.assertIsNotNone(m, f"no counters line in kelpd's stderr:\n{line}")
        counters = dict(kv.split("=") for kv in m.group(1).split())
        I.log(f"kelpd metadata cache: {m.group(1)}")
        self.assertGreater(int(counters["hits"]), 0)
        self.assertGreater(int(counters["notifies"]), 0)
        self.assertEqual(int(counters["bypassed"]), 0)  # the watches never failed
        KELPD.start()  # for anything that runs after us


if __name__ == "__main__":
    unittest.main()
