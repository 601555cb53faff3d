"""libkelp directly on the Ceph cluster while kelpd and radosgw serve it: the Python module
writes through librados, kelpd and radosgw serve the object over S3 at once, kelp-admin
(--ceph-conf) stats and scans the bucket; and S3 writes are read by the module.

Needs $KELP_CEPH_ENV (DIR/env of `tests/ceph/cluster.sh start DIR`), $KELPD and the Python
module in $KELP_BUILD/python (default build/). Run: KELP_CEPH_ENV=DIR/env /usr/bin/python3 -m
unittest -v library_test  (in tests/ceph).
"""

import hashlib
import json
import os
import subprocess
import sys
import unittest
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop as I  # noqa: E402

BUILD = os.environ.get("KELP_BUILD", os.path.join(I.REPO, "build"))
KELP_ADMIN = os.environ.get("KELP_ADMIN", os.path.join(BUILD, "src/admin/kelp-admin"))
ENV = None
CLUSTER = None
KELPD = None
RUN = os.urandom(3).hex()
MiB = 1 << 20


def setUpModule():
    global ENV, CLUSTER, KELPD
    warnings.simplefilter("ignore", ResourceWarning)
    path = os.environ.get("KELP_CEPH_ENV")
    if not path:
        raise unittest.SkipTest("set KELP_CEPH_ENV to DIR/env of tests/ceph/cluster.sh start DIR")
    ok, why = I.kelpd_ceph_support()
    if not ok:
        raise unittest.SkipTest(why)
    ENV = I.read_env(path)

    class _C:
        env = ENV
        conf = ENV["CEPH_CONF"]
    CLUSTER = _C
    KELPD = I.Kelpd(CLUSTER)
    KELPD.start()


def tearDownModule():
    if KELPD:
        KELPD.stop()


def kelp_module():
    sys.path.insert(0, os.path.join(BUILD, "python"))
    import kelp  # noqa: E402  (built by the normal build into BUILD/python)
    return kelp


def admin(*args):
    # errors="replace": `object stat` prints binary xattrs raw, as radosgw-admin does
    p = subprocess.run([KELP_ADMIN, "--ceph-conf", ENV["CEPH_CONF"], "--ceph-user",
                        ENV["CEPH_USER"]] + list(args), capture_output=True, text=True,
                       errors="replace", timeout=120)
    return p


def chunks(total, seed):
    block = hashlib.sha256(seed.encode()).digest() * (MiB // 32)
    sent = 0
    while sent < total:
        n = min(MiB, total - sent)
        yield block[:n]
        sent += n


def sha_chunks(total, seed):
    h = hashlib.sha256()
    for c in chunks(total, seed):
        h.update(c)
    return h.hexdigest()


class ModuleOnCeph(unittest.TestCase):
    def test_module_writes_gateways_serve_admin_scans(self):
        kelp = kelp_module()
        uid = ENV["RGW_UID"]
        bucket = f"lib-{RUN}"
        size = 9 * MiB + 7
        with kelp.open(ceph_conf=ENV["CEPH_CONF"], ceph_user=ENV["CEPH_USER"]) as store:
            gw = store.as_user(uid)
            gw.create_bucket(bucket)
            gw.put_object(bucket, "big.bin", chunks(size, "lib"), content_type="application/x-lib",
                          metadata={"origin": "python"})
        want = sha_chunks(size, "lib")
        creds = (ENV["RGW_ACCESS_KEY"], ENV["RGW_SECRET_KEY"])
        for name, endpoint in (("kelpd", KELPD.endpoint), ("radosgw", ENV["RGW_ENDPOINT"])):
            c = I.s3_client(endpoint, creds)
            r = c.get_object(Bucket=bucket, Key="big.bin")
            body = r["Body"].read()
            self.assertEqual(hashlib.sha256(body).hexdigest(), want, name)
            self.assertEqual(r["ContentType"], "application/x-lib", name)
            self.assertEqual(r["Metadata"], {"origin": "python"}, name)
        st = admin("object", "stat", f"--bucket={bucket}", "--object=big.bin")
        self.assertEqual(st.returncode, 0, st.stderr)
        self.assertEqual(json.loads(st.stdout)["size"], size)
        scan = admin("bucket", "scan", f"--bucket={bucket}")
        self.assertEqual(scan.returncode, 0, scan.stdout + scan.stderr)
        report = json.loads(scan.stdout)
        self.assertEqual(report["checked_entries"], 1)
        self.assertEqual(report["orphan_tails"], [])
        check = I.Admin(CLUSTER).json("bucket", "check", f"--bucket={bucket}")
        self.assertEqual(I.bucket_check_problems(check), [], check)

    def test_s3_writes_module_reads(self):
        kelp = kelp_module()
        bucket = f"lib2-{RUN}"
        creds = (ENV["RGW_ACCESS_KEY"], ENV["RGW_SECRET_KEY"])
        c = I.s3_client(ENV["RGW_ENDPOINT"], creds)
        c.create_bucket(Bucket=bucket)
        body = I.data("lib2", 5 * MiB + 3)
        c.put_object(Bucket=bucket, Key="from-radosgw", Body=body)
        I.s3_client(KELPD.endpoint, creds).put_object(Bucket=bucket, Key="from-kelpd", Body=b"k")
        with kelp.open(ceph_conf=ENV["CEPH_CONF"], ceph_user=ENV["CEPH_USER"]) as store:
            gw = store.as_user(ENV["RGW_UID"])
            self.assertEqual([o.key for o in gw.list_objects(bucket)], ["from-kelpd", "from-radosgw"])
            self.assertEqual(gw.get_object(bucket, "from-radosgw"), body)
            gw.delete_object(bucket, "from-kelpd")
        keys = [o["Key"] for o in c.list_objects(Bucket=bucket).get("Contents", [])]
        self.assertEqual(keys, ["from-radosgw"])


if __name__ == "__main__":
    unittest.main()
