"""The C++ cluster tests (build/src/store/rados/kelp_store_rados_test) on the suite's cluster.

Under ctest they skip (no KELP_CEPH_CONF); here they get the cluster and everything their opt-in
parts need, so none of them skips:
  KELP_CEPH_CONF          the cluster's ceph.conf (RadosStore ops, guards, object classes, pools,
                          watch/notify, paused cluster, full pool, failed re-watch, gateway)
  KELP_CEPH_RESTART_OSD   `cluster.sh restart-osd DIR`: a watch survives the OSD's kill -9
  KELP_RGW_OBJECT(_FILE)  an object uploaded through radosgw here, which Kelp's library must read
                          back byte for byte

Needs $KELP_CEPH_ENV (DIR/env of `tests/ceph/cluster.sh start DIR`); the binary is found next to
$KELPD's build tree (default build/). Run: KELP_CEPH_ENV=DIR/env /usr/bin/python3 -m unittest -v
store_gtest_test  (in tests/ceph).
"""

import os
import re
import subprocess
import sys
import tempfile
import unittest
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop as I  # noqa: E402

ENV = None
BINARY = None


def setUpModule():
    global ENV, BINARY
    warnings.simplefilter("ignore", ResourceWarning)
    path = os.environ.get("KELP_CEPH_ENV")
    if not path:
        raise unittest.SkipTest("set KELP_CEPH_ENV to DIR/env of tests/ceph/cluster.sh start DIR")
    ENV = I.read_env(path)
    # $KELPD is <build>/src/kelpd/kelpd
    build = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(I.KELPD))))
    BINARY = os.path.join(build, "src/store/rados/kelp_store_rados_test")
    if not os.access(BINARY, os.X_OK):
        raise unittest.SkipTest(f"no {BINARY} (built without librados or tests?)")


class StoreGtests(unittest.TestCase):
    def test_every_cluster_gtest_passes_and_none_skips(self):
        s3 = I.s3_client(ENV["RGW_ENDPOINT"], (ENV["RGW_ACCESS_KEY"], ENV["RGW_SECRET_KEY"]))
        bucket = "gtest-" + os.urandom(3).hex()
        key = "from radosgw/é 5MiB+1"
        data = os.urandom(5 * (1 << 20) + 1)
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key=key, Body=data)
        with tempfile.NamedTemporaryFile(prefix="kelp-gtest-") as f:
            f.write(data)
            f.flush()
            env = dict(os.environ,
                       KELP_CEPH_CONF=ENV["CEPH_CONF"],
                       KELP_CEPH_RESTART_OSD=f"bash {I.CLUSTER_SH} restart-osd {ENV['CEPH_DIR']}",
                       KELP_RGW_OBJECT=f"{ENV['RGW_UID']}/{bucket}/{key}",
                       KELP_RGW_OBJECT_FILE=f.name)
            p = subprocess.run([BINARY, "--gtest_brief=1"], env=env, capture_output=True,
                               text=True, timeout=900)
        out = p.stdout + p.stderr
        self.assertEqual(p.returncode, 0, f"cluster gtests failed:\n{out[-6000:]}")
        passed = re.search(r"\[  PASSED  \] (\d+) tests?", out)
        self.assertIsNotNone(passed, out[-3000:])
        self.assertNotIn("SKIPPED", out, f"a cluster gtest skipped:\n{out[-3000:]}")
        print(f"\n[gtest] {passed.group(1)} cluster tests passed", file=sys.stderr)
        s3.delete_object(Bucket=bucket, Key=key)
        s3.delete_bucket(Bucket=bucket)


if __name__ == "__main__":
    unittest.main()
