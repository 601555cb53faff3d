"""libkelp used directly while kelpd serves the same store: the Python module
writes, awscli reads through kelpd, kelp-admin scans; and the other way round.

The module opens kelpd's data directory; since kelpd holds it, api::OpenStore
connects to kelpd's store socket and runs all gateway logic in this process."""

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import unittest

import harness
from harness import MiB, unique

REPO = harness.REPO
BUILD = os.environ.get("KELP_BUILD", os.path.join(REPO, "build"))
sys.path.insert(0, os.path.join(BUILD, "python"))
import kelp  # noqa: E402  (the module built into BUILD/python)

S = harness.ModuleServer("library", second_user=False)
setUpModule, tearDownModule = S.setup, S.teardown


def chunks(total, size=1 * MiB, seed=b"x"):
    """A generator of `total` bytes in `size` pieces (never held whole)."""
    block = hashlib.sha256(seed).digest() * (size // 32)
    sent = 0
    while sent < total:
        n = min(size, total - sent)
        yield block[:n]
        sent += n


def sha_of_chunks(total, size=1 * MiB, seed=b"x"):
    h = hashlib.sha256()
    for c in chunks(total, size, seed):
        h.update(c)
    return h.hexdigest()


class LibraryAndKelpd(harness.KelpTestCase):
    server = S

    def aws(self, *args, check=True):
        env = dict(os.environ, AWS_ACCESS_KEY_ID=S.k.access_key,
                   AWS_SECRET_ACCESS_KEY=S.k.secret_key, AWS_DEFAULT_REGION=harness.REGION,
                   AWS_EC2_METADATA_DISABLED="true")
        p = subprocess.run(["/usr/bin/aws", "--endpoint-url", f"http://127.0.0.1:{S.k.port}"]
                           + list(args), capture_output=True, env=env, timeout=120)
        if check and p.returncode != 0:
            self.fail(f"aws {' '.join(args)} failed: {p.stderr.decode(errors='replace')}")
        return p

    def test_python_writes_awscli_reads_admin_scans(self):
        bucket = unique("lib")
        size = 9 * MiB + 123  # crosses the 4 MiB head and tail stripes
        with kelp.open(S.k.data) as store:
            gw = store.as_user("admin")
            gw.create_bucket(bucket)
            gw.put_object(bucket, "big.bin", chunks(size), content_type="application/x-test",
                          metadata={"origin": "python"})
            gw.put_object(bucket, "dir/small.txt", b"hello from python\n")
        # awscli through kelpd sees both objects at once, with the same bytes and metadata.
        ls = self.aws("s3", "ls", f"s3://{bucket}", "--recursive").stdout.decode()
        self.assertIn("big.bin", ls)
        self.assertIn("dir/small.txt", ls)
        out = self.aws("s3", "cp", f"s3://{bucket}/big.bin", "-").stdout
        self.assertEqual(len(out), size)
        self.assertEqual(hashlib.sha256(out).hexdigest(), sha_of_chunks(size))
        head = json.loads(self.aws("s3api", "head-object", "--bucket", bucket,
                                   "--key", "big.bin").stdout)
        self.assertEqual(head["ContentType"], "application/x-test")
        self.assertEqual(head["Metadata"], {"origin": "python"})
        small = self.aws("s3", "cp", f"s3://{bucket}/dir/small.txt", "-").stdout
        self.assertEqual(small, b"hello from python\n")
        # kelp-admin walks the bucket through the same store: everything is consistent.
        scan = S.admin("bucket", "scan", "--bucket", bucket, check=False)
        self.assertEqual(scan.returncode, 0, scan.stdout + scan.stderr)
        report = json.loads(scan.stdout)
        self.assertEqual(report["checked_entries"], 2)
        for problem in ("dangling_entries", "orphan_heads", "orphan_tails", "mismatched"):
            self.assertEqual(report[problem], [], problem)
        stats = S.admin_json("bucket", "stats", "--bucket", bucket)
        self.assertEqual(stats["usage"]["rgw.main"]["num_objects"], 2)
        self.assertEqual(stats["usage"]["rgw.main"]["size"], size + len(b"hello from python\n"))

    def test_awscli_and_admin_write_python_reads(self):
        bucket = unique("lib")
        self.aws("s3", "mb", f"s3://{bucket}")
        with tempfile.NamedTemporaryFile() as f:
            for c in chunks(5 * MiB, seed=b"aws"):
                f.write(c)
            f.flush()
            self.aws("s3", "cp", f.name, f"s3://{bucket}/from-aws.bin")
            put = S.admin("object", "put", "--bucket", bucket, "--object", "from-admin.bin",
                          "--infile", f.name, check=False)
            self.assertEqual(put.returncode, 0, put.stderr)
        want = sha_of_chunks(5 * MiB, seed=b"aws")
        with kelp.open(S.k.data) as store:
            gw = store.as_user("admin")
            keys = [o.key for o in gw.list_objects(bucket)]
            self.assertEqual(keys, ["from-admin.bin", "from-aws.bin"])
            for key in keys:
                h = hashlib.sha256()
                with gw.open_object(bucket, key) as stream:
                    for piece in stream:
                        h.update(piece)
                self.assertEqual(h.hexdigest(), want, key)
            # Python deletes; awscli no longer sees it.
            gw.delete_object(bucket, "from-aws.bin")
        ls = self.aws("s3", "ls", f"s3://{bucket}").stdout.decode()
        self.assertNotIn("from-aws.bin", ls)
        self.assertIn("from-admin.bin", ls)

    def test_permissions_hold_outside_kelpd(self):
        bucket = unique("lib")
        self.aws("s3", "mb", f"s3://{bucket}")  # owned by admin, private
        S.admin("user", "create", "--uid=mallory", "--display-name=Mallory")
        with kelp.open(S.k.data) as store:
            with self.assertRaises(kelp.AccessDenied):
                store.as_user("mallory").put_object(bucket, "x", b"nope")
            with self.assertRaises(kelp.NoSuchKey):
                store.as_user("admin").get_object(bucket, "x")


if __name__ == "__main__":
    unittest.main()
