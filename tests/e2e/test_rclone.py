"""kelpd through rclone (Debian's /usr/bin/rclone) with a temp config,
provider Ceph, --s3-force-path-style."""

import json
import os
import unittest
import urllib.error
import urllib.request

import harness
from harness import MiB, unique

S = harness.ModuleServer("rclone")
RCLONE = os.environ.get("KELP_E2E_RCLONE", "/usr/bin/rclone")
SIZES = [0, 1, 4 * MiB - 1, 4 * MiB, 4 * MiB + 1, 20 * MiB]
# rclone maps a few characters of remote names (its "encoding"); these keys
# survive unchanged with the S3 backend's defaults.
SPECIAL_KEYS = ["with space", "utf8-ключ-über-日本語", "plus+sign", "percent%41sign", "_leading",
                "a/b/c/slashes", "question?mark", "hash#tag", "mixed ?#+%&=;,@$!'()"]
CONF = {}


def setUpModule():
    S.setup()
    CONF["path"] = os.path.join(S.work, "rclone.conf")
    with open(CONF["path"], "w") as f:
        for name, (ak, sk) in (("kelp", (S.access_key, S.secret_key)), ("kelp2", S.user2)):
            f.write(f"[{name}]\ntype = s3\nprovider = Ceph\naccess_key_id = {ak}\n"
                    f"secret_access_key = {sk}\nendpoint = {S.endpoint}\n"
                    f"region = {harness.REGION}\nforce_path_style = true\n\n")


def tearDownModule():
    S.teardown()


def rclone(*args, check=True):
    cmd = [RCLONE, "--config", CONF["path"], "--s3-force-path-style", "--retries", "1",
           "--low-level-retries", "1"] + list(args)
    return harness.run_cli(cmd, env=harness.clean_env(HOME=S.work), check=check, log=S.client_log)


def http(url, method="GET"):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class RcloneCase(harness.KelpTestCase):
    server = S

    def mkdir(self):
        b = unique("rclone")
        rclone("mkdir", f"kelp:{b}")
        return b

    def head(self, bucket, key):
        st, h, _ = S.request("HEAD", f"/{bucket}/{key}")
        self.assertEqual(st, 200, f"HEAD {key}")
        return h


class BasicTest(RcloneCase):
    def test_bucket_lifecycle(self):
        b = self.mkdir()
        self.assertIn(b, rclone("lsd", "kelp:").stdout)
        rclone("rmdir", f"kelp:{b}")
        self.assertNotIn(b, rclone("lsd", "kelp:").stdout)

    def test_sizes(self):
        b = self.mkdir()
        for size in SIZES:
            with self.subTest(size=size):
                src = harness.make_random_file(self.tmp, size)
                rclone("copyto", src, f"kelp:{b}/o{size}")
                info = json.loads(rclone("lsjson", "--hash", f"kelp:{b}/o{size}").stdout)
                self.assertEqual(info[0]["Size"], size)
                self.assertEqual(info[0]["Hashes"]["md5"], harness.file_md5(src))
                self.assertEqual(int(self.head(b, f"o{size}")["content-length"]), size)
                out = os.path.join(self.tmp, "out")
                rclone("copyto", f"kelp:{b}/o{size}", out)
                self.assertTrue(harness.files_equal(src, out))
                rclone("deletefile", f"kelp:{b}/o{size}")
                self.assertEqual(S.request("HEAD", f"/{b}/o{size}")[0], 404)
                os.unlink(src)

    def test_multipart(self):
        b = self.mkdir()
        src = harness.make_random_file(self.tmp, 20 * MiB)
        rclone("copyto", "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M", src, f"kelp:{b}/mp")
        self.assertEqual(self.head(b, "mp")["etag"],
                         f'"{harness.md5_of_parts(harness.part_md5s(src, 5 * MiB))}"')
        out = os.path.join(self.tmp, "out")
        rclone("copyto", f"kelp:{b}/mp", out)
        self.assertTrue(harness.files_equal(src, out))
        self.assertEqual(rclone("md5sum", f"kelp:{b}/mp").stdout.split()[0], harness.file_md5(src))

    def test_ranges(self):
        b = self.mkdir()
        src = harness.make_random_file(self.tmp, 5 * MiB)
        rclone("copyto", src, f"kelp:{b}/r")
        n = 5 * MiB
        for offset, count in [(0, 1), (100, 100), (n - 500, -1), (1000, -1),
                              (4 * MiB - 5, 11)]:
            with self.subTest(offset=offset, count=count):
                args = ["cat", "--offset", str(offset)] + (["--count", str(count)] if count > 0 else [])
                p = harness.subprocess.run(
                    [RCLONE, "--config", CONF["path"], "--s3-force-path-style"] + args +
                    [f"kelp:{b}/r"], capture_output=True, env=harness.clean_env(HOME=S.work),
                    timeout=120)
                self.assertEqual(p.returncode, 0, p.stderr)
                end = offset + count - 1 if count > 0 else n - 1
                self.assertEqual(p.stdout, harness.read_range(src, offset, end))

    def test_headers_and_metadata(self):
        b = self.mkdir()
        src = harness.make_random_file(self.tmp, 100)
        rclone("copyto", "--header-upload", "Cache-Control: max-age=60",
               "--header-upload", "Content-Type: text/x-kelp",
               "--header-upload", "Content-Disposition: inline",
               "--header-upload", "X-Amz-Meta-Color: blue", src, f"kelp:{b}/m")
        h = self.head(b, "m")
        self.assertEqual(h["cache-control"], "max-age=60")
        self.assertEqual(h["content-type"], "text/x-kelp")
        self.assertEqual(h["content-disposition"], "inline")
        self.assertEqual(h["x-amz-meta-color"], "blue")
        self.assertIn("x-amz-meta-mtime", h)  # rclone's own metadata round-trips too

    def test_server_side_copy_and_move(self):
        b = self.mkdir()
        src = harness.make_random_file(self.tmp, 6 * MiB)
        rclone("copyto", src, f"kelp:{b}/a")
        rclone("copyto", f"kelp:{b}/a", f"kelp:{b}/b")
        rclone("moveto", f"kelp:{b}/b", f"kelp:{b}/c")
        self.assertEqual(sorted(rclone("lsf", f"kelp:{b}").stdout.split()), ["a", "c"])
        out = os.path.join(self.tmp, "out")
        rclone("copyto", f"kelp:{b}/c", out)
        self.assertTrue(harness.files_equal(src, out))

    def test_special_keys(self):
        b = self.mkdir()
        for key in SPECIAL_KEYS:
            with self.subTest(key=key):
                src = harness.make_random_file(self.tmp, 64)
                rclone("copyto", src, f"kelp:{b}/{key}")
                st, _, body = S.request("GET", f"/{b}/{key}")  # the exact key exists
                with open(src, "rb") as f:
                    self.assertEqual((st, body), (200, f.read()))
                out = os.path.join(self.tmp, "out")
                rclone("copyto", f"kelp:{b}/{key}", out)
                self.assertTrue(harness.files_equal(src, out))
        listed = sorted(rclone("lsf", "-R", "--files-only", f"kelp:{b}").stdout.splitlines())
        self.assertEqual(listed, sorted(SPECIAL_KEYS))
        rclone("delete", f"kelp:{b}")
        self.assertEqual(rclone("lsf", "-R", f"kelp:{b}").stdout, "")

    def test_link(self):
        b = self.mkdir()
        src = harness.make_random_file(self.tmp, 2000)
        rclone("copyto", src, f"kelp:{b}/linked obj")
        url = rclone("link", "--expire", "1h", f"kelp:{b}/linked obj").stdout.strip()
        st, body = http(url)
        self.assertEqual(st, 200, body[:300])
        with open(src, "rb") as f:
            self.assertEqual(body, f.read())

    def test_acl_other_user(self):
        b = self.mkdir()
        src = harness.make_random_file(self.tmp, 10)
        rclone("copyto", src, f"kelp:{b}/o")
        p = rclone("cat", f"kelp2:{b}/o", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("AccessDenied", p.stderr)
        p = rclone("lsf", f"kelp2:{b}", check=False)
        self.assertNotEqual(p.returncode, 0)
        rclone("copyto", "--s3-acl", "public-read", src, f"kelp:{b}/pub")
        out = os.path.join(self.tmp, "out")
        rclone("copyto", f"kelp2:{b}/pub", out)
        self.assertTrue(harness.files_equal(src, out))
        self.assertEqual(http(f"{S.endpoint}/{b}/pub")[0], 200)


class ListingTest(RcloneCase):
    @classmethod
    def setUpClass(cls):
        cls.bucket = unique("rclist")
        cls.keys = harness.listing_keys()
        src = os.path.join(S.work, "rclone-src")
        for k in cls.keys:
            os.makedirs(os.path.join(src, os.path.dirname(k)), exist_ok=True)
            with open(os.path.join(src, k), "wb") as f:
                f.write(k.encode())
        rclone("copy", "--transfers", "8", src, f"kelp:{cls.bucket}")

    def test_list_versions_and_chunks(self):
        for version in ("1", "2"):
            for encode in ("true", "false"):
                with self.subTest(version=version, url_encode=encode):
                    out = rclone("lsf", "-R", "--files-only", "--s3-list-chunk", "100",
                                 "--s3-list-version", version, "--s3-list-url-encode", encode,
                                 f"kelp:{self.bucket}").stdout.splitlines()
                    self.assertEqual(sorted(out, key=lambda k: k.encode()), self.keys)

    def test_directories(self):
        out = rclone("lsf", "--dirs-only", f"kelp:{self.bucket}").stdout.split()
        self.assertEqual(out, [f"dir{i}/" for i in range(7)])
        out = rclone("lsf", "--s3-list-chunk", "7", f"kelp:{self.bucket}/dir5").stdout.split()
        self.assertEqual(out, ["sub0/", "sub1/", "sub2/"])
        size = rclone("size", "--json", f"kelp:{self.bucket}").stdout
        size = json.loads(size)
        self.assertEqual((size["count"], size["bytes"]),
                         (len(self.keys), sum(len(k.encode()) for k in self.keys)))

    def test_check_matches_source(self):
        src = os.path.join(S.work, "rclone-src")
        rclone("check", src, f"kelp:{self.bucket}")


if __name__ == "__main__":
    unittest.main()
