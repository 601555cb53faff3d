"""kelpd through awscli v2 (/usr/bin/aws) with its own temp config and
credentials files and --endpoint-url: s3 and s3api commands."""

import json
import os
import unittest
import urllib.error
import urllib.request

import harness
from harness import MiB, unique

S = harness.ModuleServer("awscli")
AWS = os.environ.get("KELP_E2E_AWS", "/usr/bin/aws")
SIZES = [0, 1, 4 * MiB - 1, 4 * MiB, 4 * MiB + 1, 20 * MiB]
SPECIAL_KEYS = ["with space", "utf8-ключ-über-日本語", "plus+sign", "percent%41sign", "percent%",
                "_leading", "a/b/c/slashes", "question?mark", "hash#tag", "mixed ?#+%&=;,:@$!'()*"]
ENV = {}


def setUpModule():
    S.setup()
    cfg = os.path.join(S.work, "aws-config")
    creds = os.path.join(S.work, "aws-credentials")
    with open(cfg, "w") as f:
        for profile in ("default", "profile user2"):
            f.write(f"[{profile}]\nregion = {harness.REGION}\noutput = json\n"
                    "s3 =\n    multipart_threshold = 5MB\n    multipart_chunksize = 5MB\n"
                    "    addressing_style = path\n")
    with open(creds, "w") as f:
        f.write(f"[default]\naws_access_key_id = {S.access_key}\n"
                f"aws_secret_access_key = {S.secret_key}\n")
        f.write(f"[user2]\naws_access_key_id = {S.user2[0]}\naws_secret_access_key = {S.user2[1]}\n")
    ENV.update(harness.clean_env(AWS_CONFIG_FILE=cfg, AWS_SHARED_CREDENTIALS_FILE=creds,
                                 AWS_PAGER="", AWS_EC2_METADATA_DISABLED="true"))


def tearDownModule():
    S.teardown()


def aws(*args, profile=None, check=True):
    cmd = [AWS, "--endpoint-url", S.endpoint] + (["--profile", profile] if profile else [])
    return harness.run_cli(cmd + list(args), env=ENV, check=check,
                           log=S.client_log)


def aws_json(*args, **kw):
    out = aws(*args, **kw).stdout
    return json.loads(out) if out.strip() else {}


def http(url, method="GET", data=None):
    req = urllib.request.Request(url, method=method, data=data)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class AwsCase(harness.KelpTestCase):
    server = S

    def mb(self):
        b = unique("aws")
        aws("s3", "mb", f"s3://{b}")
        return b

    def assertFails(self, proc, *needles):
        self.assertNotEqual(proc.returncode, 0, f"expected failure: {proc.stdout}")
        for n in needles:
            self.assertIn(n, proc.stderr)


class BucketObjectTest(AwsCase):
    def test_bucket_lifecycle(self):
        b = self.mb()
        self.assertIn(b, aws("s3", "ls").stdout)
        names = [x["Name"] for x in aws_json("s3api", "list-buckets")["Buckets"]]
        self.assertIn(b, names)
        aws("s3api", "head-bucket", "--bucket", b)
        aws("s3", "rb", f"s3://{b}")
        self.assertNotIn(b, aws("s3", "ls").stdout)
        self.assertFails(aws("s3", "rb", f"s3://{b}", check=False), "NoSuchBucket")

    def test_sizes(self):
        b = self.mb()
        for size in SIZES:
            with self.subTest(size=size):
                src = harness.make_random_file(self.tmp, size)
                aws("s3", "cp", src, f"s3://{b}/o{size}")
                head = aws_json("s3api", "head-object", "--bucket", b, "--key", f"o{size}")
                self.assertEqual(head["ContentLength"], size)
                if size > 5 * MiB:  # the CLI's automatic multipart (5 MB threshold/chunks)
                    want = harness.md5_of_parts(harness.part_md5s(src, 5 * MiB))
                else:
                    want = harness.file_md5(src)
                self.assertEqual(head["ETag"], f'"{want}"')
                out = os.path.join(self.tmp, "out")
                aws("s3", "cp", f"s3://{b}/o{size}", out)
                self.assertTrue(harness.files_equal(src, out))
                # Through s3api get-object too.
                aws("s3api", "get-object", "--bucket", b, "--key", f"o{size}", out)
                self.assertTrue(harness.files_equal(src, out))
                aws("s3", "rm", f"s3://{b}/o{size}")
                self.assertFails(aws("s3api", "head-object", "--bucket", b, "--key", f"o{size}",
                                     check=False), "404")
                os.unlink(src)

    def test_multipart_20mib(self):
        b = self.mb()
        src = harness.make_random_file(self.tmp, 20 * MiB)
        aws("s3", "cp", src, f"s3://{b}/mp")
        etag = aws_json("s3api", "head-object", "--bucket", b, "--key", "mp")["ETag"]
        self.assertEqual(etag, f'"{harness.md5_of_parts(harness.part_md5s(src, 5 * MiB))}"')
        self.assertTrue(etag.endswith('-4"'))
        self.assertEqual(aws_json("s3api", "list-multipart-uploads", "--bucket", b).get("Uploads"),
                         None)
        out = os.path.join(self.tmp, "out")
        aws("s3", "cp", f"s3://{b}/mp", out)
        self.assertTrue(harness.files_equal(src, out))

    def test_ranges(self):
        b = self.mb()
        src = harness.make_random_file(self.tmp, 5 * MiB)
        aws("s3api", "put-object", "--bucket", b, "--key", "r", "--body", src)
        out = os.path.join(self.tmp, "part")
        n = 5 * MiB
        for spec, start, end in [("bytes=0-0", 0, 0), ("bytes=100-199", 100, 199),
                                 ("bytes=-500", n - 500, n - 1), ("bytes=1000-", 1000, n - 1),
                                 (f"bytes={4 * MiB - 5}-{4 * MiB + 5}", 4 * MiB - 5, 4 * MiB + 5)]:
            with self.subTest(spec=spec):
                r = aws_json("s3api", "get-object", "--bucket", b, "--key", "r", "--range", spec, out)
                self.assertEqual(r["ContentRange"], f"bytes {start}-{end}/{n}")
                with open(out, "rb") as f:
                    self.assertEqual(f.read(), harness.read_range(src, start, end))
        self.assertFails(aws("s3api", "get-object", "--bucket", b, "--key", "r", "--range",
                             f"bytes={n}-", out, check=False), "InvalidRange")

    def test_metadata(self):
        b = self.mb()
        src = harness.make_random_file(self.tmp, 1000)
        aws("s3", "cp", src, f"s3://{b}/m", "--metadata", "color=blue,shape=round",
            "--content-type", "text/x-kelp", "--cache-control", "max-age=60",
            "--content-disposition", 'attachment; filename="x y.txt"')
        head = aws_json("s3api", "head-object", "--bucket", b, "--key", "m")
        self.assertEqual(head["Metadata"], {"color": "blue", "shape": "round"})
        self.assertEqual(head["ContentType"], "text/x-kelp")
        self.assertEqual(head["CacheControl"], "max-age=60")
        self.assertEqual(head["ContentDisposition"], 'attachment; filename="x y.txt"')

    def test_presign(self):
        b = self.mb()
        src = harness.make_random_file(self.tmp, 12345)
        aws("s3", "cp", src, f"s3://{b}/pre sign+")
        url = aws("s3", "presign", f"s3://{b}/pre sign+", "--expires-in", "300").stdout.strip()
        st, body = http(url)
        self.assertEqual(st, 200)
        with open(src, "rb") as f:
            self.assertEqual(body, f.read())
        st, _ = http(url.replace("Signature=", "Signature=0"))
        self.assertEqual(st, 403)

    def test_special_keys(self):
        b = self.mb()
        for key in SPECIAL_KEYS:
            with self.subTest(key=key):
                src = harness.make_random_file(self.tmp, 100)
                aws("s3", "cp", src, f"s3://{b}/{key}")
                out = os.path.join(self.tmp, "out")
                aws("s3", "cp", f"s3://{b}/{key}", out)
                self.assertTrue(harness.files_equal(src, out))
                aws("s3api", "head-object", "--bucket", b, "--key", key)
        listed = [o["Key"] for o in aws_json("s3api", "list-objects-v2", "--bucket", b)["Contents"]]
        self.assertEqual(listed, sorted(SPECIAL_KEYS, key=lambda k: k.encode()))
        for key in SPECIAL_KEYS:
            aws("s3", "rm", f"s3://{b}/{key}")
        self.assertNotIn("Contents", aws_json("s3api", "list-objects-v2", "--bucket", b))


class ListingTest(AwsCase):
    @classmethod
    def setUpClass(cls):
        # Upload 1,060 files with the CLI's own parallel sync.
        cls.bucket = unique("awslist")
        aws("s3", "mb", f"s3://{cls.bucket}")
        cls.keys = harness.listing_keys()
        src = os.path.join(S.work, "sync-src")
        for k in cls.keys:
            os.makedirs(os.path.join(src, os.path.dirname(k)), exist_ok=True)
            with open(os.path.join(src, k), "wb") as f:
                f.write(k.encode())
        aws("s3", "sync", src, f"s3://{cls.bucket}/")

    def test_v1_paging(self):
        r = aws_json("s3api", "list-objects", "--bucket", self.bucket, "--page-size", "100")
        self.assertEqual([o["Key"] for o in r["Contents"]], self.keys)

    def test_v2_paging_start_after(self):
        r = aws_json("s3api", "list-objects-v2", "--bucket", self.bucket, "--page-size", "150")
        self.assertEqual([o["Key"] for o in r["Contents"]], self.keys)
        r = aws_json("s3api", "list-objects-v2", "--bucket", self.bucket, "--page-size", "70",
                     "--start-after", self.keys[99])
        self.assertEqual([o["Key"] for o in r["Contents"]], self.keys[100:])
        r = aws_json("s3api", "list-objects-v2", "--bucket", self.bucket, "--max-keys", "10",
                     "--no-paginate")
        self.assertEqual(([o["Key"] for o in r["Contents"]], r["IsTruncated"], r["KeyCount"]),
                         (self.keys[:10], True, 10))
        self.assertIn("NextContinuationToken", r)

    def test_prefix_delimiter(self):
        r = aws_json("s3api", "list-objects-v2", "--bucket", self.bucket, "--delimiter", "/")
        self.assertEqual([p["Prefix"] for p in r["CommonPrefixes"]], [f"dir{i}/" for i in range(7)])
        self.assertEqual([o["Key"] for o in r["Contents"]], [k for k in self.keys if "/" not in k])
        r = aws_json("s3api", "list-objects", "--bucket", self.bucket, "--prefix", "dir4/",
                     "--delimiter", "/")
        self.assertEqual([p["Prefix"] for p in r["CommonPrefixes"]],
                         ["dir4/sub0/", "dir4/sub1/", "dir4/sub2/"])
        self.assertNotIn("Contents", r)

    def test_s3_ls_recursive(self):
        out = aws("s3", "ls", "--recursive", f"s3://{self.bucket}/").stdout.splitlines()
        keys = [line.split(None, 3)[3] for line in out]
        self.assertEqual(keys, self.keys)


class AclTest(AwsCase):
    def test_denied_then_granted(self):
        b = self.mb()
        src = harness.make_random_file(self.tmp, 10)
        aws("s3", "cp", src, f"s3://{b}/o")
        out = os.path.join(self.tmp, "out")
        self.assertFails(aws("s3", "ls", f"s3://{b}", profile="user2", check=False), "AccessDenied")
        self.assertFails(aws("s3api", "get-object", "--bucket", b, "--key", "o", out,
                             profile="user2", check=False), "AccessDenied")
        self.assertEqual(http(f"{S.endpoint}/{b}/o")[0], 403)
        owner = S.owner_id()
        policy = {"Owner": {"ID": owner}, "Grants": [
            {"Grantee": {"Type": "CanonicalUser", "ID": owner}, "Permission": "FULL_CONTROL"},
            {"Grantee": {"Type": "CanonicalUser", "ID": "tester2"}, "Permission": "READ"}]}
        aws("s3api", "put-bucket-acl", "--bucket", b, "--access-control-policy", json.dumps(policy))
        self.assertIn(" o\n", aws("s3", "ls", f"s3://{b}", profile="user2").stdout)
        aws("s3api", "put-object-acl", "--bucket", b, "--key", "o", "--acl", "public-read")
        aws("s3api", "get-object", "--bucket", b, "--key", "o", out, profile="user2")
        self.assertTrue(harness.files_equal(src, out))
        st, body = http(f"{S.endpoint}/{b}/o")
        self.assertEqual(st, 200)
        with open(src, "rb") as f:
            self.assertEqual(body, f.read())
        grants = aws_json("s3api", "get-object-acl", "--bucket", b, "--key", "o")["Grants"]
        self.assertIn(("http://acs.amazonaws.com/groups/global/AllUsers", "READ"),
                      [(g["Grantee"].get("URI"), g["Permission"]) for g in grants])


class ConditionalCopyTagDeleteTest(AwsCase):
    def test_conditional_get(self):
        b = self.mb()
        src = harness.make_random_file(self.tmp, 100)
        aws("s3", "cp", src, f"s3://{b}/c")
        etag = aws_json("s3api", "head-object", "--bucket", b, "--key", "c")["ETag"]
        out = os.path.join(self.tmp, "out")
        aws("s3api", "get-object", "--bucket", b, "--key", "c", "--if-match", etag, out)
        self.assertFails(aws("s3api", "get-object", "--bucket", b, "--key", "c", "--if-match",
                             '"abc"', out, check=False), "PreconditionFailed")
        self.assertFails(aws("s3api", "get-object", "--bucket", b, "--key", "c", "--if-none-match",
                             etag, out, check=False), "304")
        self.assertFails(aws("s3api", "get-object", "--bucket", b, "--key", "c",
                             "--if-modified-since", "2099-01-01T00:00:00Z", out, check=False), "304")
        self.assertFails(aws("s3api", "get-object", "--bucket", b, "--key", "c",
                             "--if-unmodified-since", "2000-01-01T00:00:00Z", out, check=False),
                         "PreconditionFailed")

    def test_copy(self):
        b = self.mb()
        src = harness.make_random_file(self.tmp, 7 * MiB)
        aws("s3", "cp", src, f"s3://{b}/src", "--metadata", "a=1", "--content-type", "text/x-a")
        aws("s3", "cp", f"s3://{b}/src", f"s3://{b}/dst")  # CLI copies metadata (multipart copy)
        out = os.path.join(self.tmp, "out")
        aws("s3", "cp", f"s3://{b}/dst", out)
        self.assertTrue(harness.files_equal(src, out))
        aws("s3api", "copy-object", "--bucket", b, "--key", "same", "--copy-source", f"{b}/src")
        head = aws_json("s3api", "head-object", "--bucket", b, "--key", "same")
        self.assertEqual((head["Metadata"], head["ContentType"]), ({"a": "1"}, "text/x-a"))
        aws("s3api", "copy-object", "--bucket", b, "--key", "repl", "--copy-source", f"{b}/src",
            "--metadata-directive", "REPLACE", "--metadata", "b=2", "--content-type", "text/x-b")
        head = aws_json("s3api", "head-object", "--bucket", b, "--key", "repl")
        self.assertEqual((head["Metadata"], head["ContentType"]), ({"b": "2"}, "text/x-b"))
        aws("s3api", "get-object", "--bucket", b, "--key", "repl", out)
        self.assertTrue(harness.files_equal(src, out))

    def test_tagging(self):
        b = self.mb()
        src = harness.make_random_file(self.tmp, 10)
        aws("s3", "cp", src, f"s3://{b}/t")
        aws("s3api", "put-object-tagging", "--bucket", b, "--key", "t", "--tagging",
            '{"TagSet":[{"Key":"k1","Value":"v1"},{"Key":"k2","Value":"v 2"}]}')
        tags = aws_json("s3api", "get-object-tagging", "--bucket", b, "--key", "t")["TagSet"]
        self.assertEqual(sorted((t["Key"], t["Value"]) for t in tags), [("k1", "v1"), ("k2", "v 2")])
        aws("s3api", "put-bucket-tagging", "--bucket", b, "--tagging",
            '{"TagSet":[{"Key":"team","Value":"kelp"}]}')
        tags = aws_json("s3api", "get-bucket-tagging", "--bucket", b)["TagSet"]
        self.assertEqual(tags, [{"Key": "team", "Value": "kelp"}])
        aws("s3api", "delete-bucket-tagging", "--bucket", b)
        self.assertFails(aws("s3api", "get-bucket-tagging", "--bucket", b, check=False),
                         "NoSuchTagSet")

    def test_delete_objects(self):
        b = self.mb()
        keys = [f"x/{i}" for i in range(20)]
        harness.put_many(S.k, b, keys + ["keep"])
        spec = json.dumps({"Objects": [{"Key": k} for k in keys[:10]]})
        r = aws_json("s3api", "delete-objects", "--bucket", b, "--delete", spec)
        self.assertEqual(sorted(d["Key"] for d in r["Deleted"]), sorted(keys[:10]))
        aws("s3", "rm", "--recursive", f"s3://{b}/x/")
        listed = [o["Key"] for o in aws_json("s3api", "list-objects-v2", "--bucket", b)["Contents"]]
        self.assertEqual(listed, ["keep"])


if __name__ == "__main__":
    unittest.main()
