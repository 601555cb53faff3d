"""kelpd through s3cmd (Debian's /usr/bin/s3cmd) with a temp config: path
style, no SSL, SigV4 by default and one test with --signature-v2."""

import os
import unittest
import urllib.error
import urllib.request

import harness
from harness import MiB, unique

S = harness.ModuleServer("s3cmd")
S3CMD = os.environ.get("KELP_E2E_S3CMD", "/usr/bin/s3cmd")
SIZES = [0, 1, 4 * MiB - 1, 4 * MiB, 4 * MiB + 1, 20 * MiB]
SPECIAL_KEYS = ["with space", "utf8-ключ-über-日本語", "plus+sign", "percent%41sign", "_leading",
                "a/b/c/slashes", "question?mark", "hash#tag", "mixed ?#+%&=;,@$!'()"]
CFG = {}


def write_config(path, ak, sk):
    with open(path, "w") as f:
        f.write(f"""[default]
access_key = {ak}
secret_key = {sk}
host_base = 127.0.0.1:{S.port}
host_bucket = 127.0.0.1:{S.port}
use_https = False
check_ssl_certificate = False
signature_v2 = False
bucket_location = {harness.REGION}
multipart_chunk_size_mb = 5
enable_multipart = True
progress_meter = False
""")


def setUpModule():
    S.setup()
    CFG["admin"] = os.path.join(S.work, "s3cfg")
    CFG["user2"] = os.path.join(S.work, "s3cfg-user2")
    write_config(CFG["admin"], S.access_key, S.secret_key)
    write_config(CFG["user2"], *S.user2)


def tearDownModule():
    S.teardown()


def s3cmd(*args, user="admin", check=True):
    return harness.run_cli([S3CMD, "-c", CFG[user], "--no-ssl"] + list(args),
                           env=harness.clean_env(HOME=S.work), check=check, log=S.client_log)


def http(url, method="GET"):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def ls_keys(bucket, *extra):
    """Keys from `s3cmd ls` lines ("DATE TIME SIZE s3://bucket/key")."""
    prefix = f"s3://{bucket}/"
    out = s3cmd("ls", *extra, prefix).stdout.splitlines()
    return [line[line.index(prefix) + len(prefix):] for line in out if prefix in line]


class S3cmdCase(harness.KelpTestCase):
    server = S

    def mb(self):
        b = unique("s3cmd")
        s3cmd("mb", f"s3://{b}")
        return b

    def head(self, bucket, key):
        st, h, body = S.request("HEAD", f"/{bucket}/{key}")
        self.assertEqual(st, 200, f"HEAD {key}")
        return h


class BasicTest(S3cmdCase):
    def test_bucket_lifecycle(self):
        b = self.mb()
        self.assertIn(f"s3://{b}", s3cmd("ls").stdout)
        s3cmd("rb", f"s3://{b}")
        self.assertNotIn(f"s3://{b}", s3cmd("ls").stdout)

    def test_sizes(self):
        b = self.mb()
        for size in SIZES:
            with self.subTest(size=size):
                src = harness.make_random_file(self.tmp, size)
                s3cmd("put", src, f"s3://{b}/o{size}")
                h = self.head(b, f"o{size}")
                self.assertEqual(int(h["content-length"]), size)
                if size > 5 * MiB:  # s3cmd's multipart with 5 MiB chunks
                    want = harness.md5_of_parts(harness.part_md5s(src, 5 * MiB))
                else:
                    want = harness.file_md5(src)
                self.assertEqual(h["etag"], f'"{want}"')
                out = os.path.join(self.tmp, "out")
                s3cmd("get", "--force", f"s3://{b}/o{size}", out)
                self.assertTrue(harness.files_equal(src, out))
                self.assertIn(f"s3://{b}/o{size}", s3cmd("info", f"s3://{b}/o{size}").stdout)
                s3cmd("del", f"s3://{b}/o{size}")
                self.assertEqual(S.request("HEAD", f"/{b}/o{size}")[0], 404)
                os.unlink(src)

    def test_multipart_small_chunks(self):
        b = self.mb()
        src = harness.make_random_file(self.tmp, 20 * MiB)
        s3cmd("put", "--multipart-chunk-size-mb=5", src, f"s3://{b}/mp")
        self.assertEqual(self.head(b, "mp")["etag"],
                         f'"{harness.md5_of_parts(harness.part_md5s(src, 5 * MiB))}"')
        # No upload left in progress: only the header lines.
        self.assertEqual(s3cmd("multipart", f"s3://{b}").stdout.count(f"s3://{b}/mp"), 0)
        out = os.path.join(self.tmp, "out")
        s3cmd("get", "--force", f"s3://{b}/mp", out)
        self.assertTrue(harness.files_equal(src, out))

    def test_headers_and_metadata(self):
        b = self.mb()
        src = harness.make_random_file(self.tmp, 100)
        s3cmd("put", "--mime-type=text/x-kelp", "--add-header=Cache-Control:max-age=60",
              "--add-header=Content-Disposition:inline", "--add-header=x-amz-meta-color:blue",
              src, f"s3://{b}/m")
        h = self.head(b, "m")
        self.assertEqual(h["content-type"], "text/x-kelp")
        self.assertEqual(h["cache-control"], "max-age=60")
        self.assertEqual(h["content-disposition"], "inline")
        self.assertEqual(h["x-amz-meta-color"], "blue")
        # modify = server-side copy onto itself with REPLACE.
        s3cmd("modify", "--add-header=x-amz-meta-shape:round", f"s3://{b}/m")
        h = self.head(b, "m")
        self.assertEqual(h.get("x-amz-meta-shape"), "round")
        out = os.path.join(self.tmp, "out")
        s3cmd("get", "--force", f"s3://{b}/m", out)
        self.assertTrue(harness.files_equal(src, out))

    def test_copy_move(self):
        b = self.mb()
        src = harness.make_random_file(self.tmp, 6 * MiB)
        s3cmd("put", src, f"s3://{b}/a")
        s3cmd("cp", f"s3://{b}/a", f"s3://{b}/b")
        s3cmd("mv", f"s3://{b}/b", f"s3://{b}/c")
        self.assertEqual(ls_keys(b), ["a", "c"])
        out = os.path.join(self.tmp, "out")
        s3cmd("get", "--force", f"s3://{b}/c", out)
        self.assertTrue(harness.files_equal(src, out))

    def test_special_keys(self):
        b = self.mb()
        for key in SPECIAL_KEYS:
            with self.subTest(key=key):
                src = harness.make_random_file(self.tmp, 64)
                s3cmd("put", src, f"s3://{b}/{key}")
                st, _, body = S.request("GET", f"/{b}/{key}")
                with open(src, "rb") as f:
                    self.assertEqual((st, body), (200, f.read()))
                out = os.path.join(self.tmp, "out")
                s3cmd("get", "--force", f"s3://{b}/{key}", out)
                self.assertTrue(harness.files_equal(src, out))
        self.assertEqual(ls_keys(b, "--recursive"), sorted(SPECIAL_KEYS, key=lambda k: k.encode()))
        for key in SPECIAL_KEYS:
            s3cmd("del", f"s3://{b}/{key}")
        self.assertEqual(ls_keys(b, "--recursive"), [])

    def test_signature_v2(self):
        b = unique("s3cmdv2")
        s3cmd("--signature-v2", "mb", f"s3://{b}")
        src = harness.make_random_file(self.tmp, 4 * MiB + 1)
        s3cmd("--signature-v2", "put", "--add-header=x-amz-meta-sig:v2", src, f"s3://{b}/v2 key")
        out = os.path.join(self.tmp, "out")
        s3cmd("--signature-v2", "get", "--force", f"s3://{b}/v2 key", out)
        self.assertTrue(harness.files_equal(src, out))
        self.assertIn("v2 key", s3cmd("--signature-v2", "ls", f"s3://{b}").stdout)
        self.assertEqual(self.head(b, "v2 key")["x-amz-meta-sig"], "v2")
        s3cmd("--signature-v2", "del", f"s3://{b}/v2 key")
        s3cmd("--signature-v2", "rb", f"s3://{b}")


class ListingTest(S3cmdCase):
    @classmethod
    def setUpClass(cls):
        cls.bucket = unique("s3cmdlist")
        s3cmd("mb", f"s3://{cls.bucket}")
        cls.keys = harness.listing_keys()
        harness.put_many(S.k, cls.bucket, cls.keys)

    def test_recursive(self):
        self.assertEqual(ls_keys(self.bucket, "--recursive"), self.keys)

    def test_delimited(self):
        out = s3cmd("ls", f"s3://{self.bucket}/").stdout.splitlines()
        dirs = [line.split()[-1] for line in out if line.split()[0] == "DIR"]
        self.assertEqual(dirs, [f"s3://{self.bucket}/dir{i}/" for i in range(7)])
        files = [line.split()[-1] for line in out if line.split()[0] != "DIR"]
        self.assertEqual(files, [f"s3://{self.bucket}/{k}" for k in self.keys if "/" not in k])

    def test_prefix(self):
        out = s3cmd("ls", "--recursive", f"s3://{self.bucket}/dir3/sub1/").stdout.splitlines()
        keys = [line.split()[-1].split(f"s3://{self.bucket}/", 1)[1] for line in out]
        self.assertEqual(keys, [k for k in self.keys if k.startswith("dir3/sub1/")])

    def test_du(self):
        out = s3cmd("du", f"s3://{self.bucket}").stdout.split()
        self.assertEqual(int(out[0]), sum(len(k.encode()) for k in self.keys))
        self.assertEqual(int(out[1]), len(self.keys))


class AclPresignDeleteTest(S3cmdCase):
    def test_acl(self):
        b = self.mb()
        src = harness.make_random_file(self.tmp, 10)
        s3cmd("put", src, f"s3://{b}/o")
        out = os.path.join(self.tmp, "out")
        p = s3cmd("get", "--force", f"s3://{b}/o", out, user="user2", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("403", p.stderr + p.stdout)  # s3cmd HEADs first: no error body
        self.assertEqual(http(f"{S.endpoint}/{b}/o")[0], 403)
        s3cmd("setacl", "--acl-public", f"s3://{b}/o")
        self.assertEqual(http(f"{S.endpoint}/{b}/o")[0], 200)
        s3cmd("get", "--force", f"s3://{b}/o", out, user="user2")
        self.assertTrue(harness.files_equal(src, out))
        s3cmd("setacl", "--acl-private", f"s3://{b}/o")
        self.assertEqual(http(f"{S.endpoint}/{b}/o")[0], 403)
        s3cmd("setacl", "--acl-grant=read:tester2", f"s3://{b}")
        self.assertIn(f"s3://{b}/o", s3cmd("ls", f"s3://{b}", user="user2").stdout)

    def test_signurl(self):
        b = self.mb()
        src = harness.make_random_file(self.tmp, 1000)
        s3cmd("put", src, f"s3://{b}/signed obj")
        url = s3cmd("signurl", f"s3://{b}/signed obj", "+300").stdout.strip()
        st, body = http(url)
        self.assertEqual(st, 200, body[:300])
        with open(src, "rb") as f:
            self.assertEqual(body, f.read())

    def test_recursive_delete(self):
        b = self.mb()
        keys = [f"d/{i}" for i in range(30)] + ["keep"]
        harness.put_many(S.k, b, keys)
        s3cmd("del", "--recursive", "--force", f"s3://{b}/d/")  # multi-object delete batches
        self.assertEqual(ls_keys(b, "--recursive"), ["keep"])
        p = s3cmd("rb", f"s3://{b}", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("BucketNotEmpty", p.stderr + p.stdout)
        s3cmd("rb", "--recursive", "--force", f"s3://{b}")
        self.assertNotIn(f"s3://{b}", s3cmd("ls").stdout)


if __name__ == "__main__":
    unittest.main()
