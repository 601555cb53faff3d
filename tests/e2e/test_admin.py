"""kelp-admin against a running kelpd (commands forwarded to it) and before
kelpd starts: users, keys, suspension, bucket list/stats, metadata, object
stat, bi list; plus kelpd's graceful stop and restart on the same data dir."""

import os
import unittest

import boto3
import botocore.config
import botocore.exceptions

import harness
from harness import MiB, unique

S = harness.ModuleServer("admin")
setUpModule, tearDownModule = S.setup, S.teardown


def client(ak, sk, port=None):
    cfg = botocore.config.Config(signature_version="s3v4", s3={"addressing_style": "path"},
                                 retries={"max_attempts": 1})
    return boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port or S.port}",
                        aws_access_key_id=ak, aws_secret_access_key=sk,
                        region_name=harness.REGION, config=cfg)


def s3_status(fn, **kw):
    try:
        r = fn(**kw)
        return r["ResponseMetadata"]["HTTPStatusCode"], None
    except botocore.exceptions.ClientError as e:
        return e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"]


class UserTest(harness.KelpTestCase):
    server = S

    def test_create_info_list(self):
        info = S.admin_json("user", "create", "--uid=alice", "--display-name=Alice Liddell",
                            "--email=alice@example.com")
        self.assertEqual(info["user_id"], "alice")
        self.assertEqual(info["display_name"], "Alice Liddell")
        self.assertEqual(info["email"], "alice@example.com")
        self.assertEqual(info["suspended"], 0)
        self.assertEqual(len(info["keys"]), 1)
        key = info["keys"][0]
        self.assertEqual(key["user"], "alice")
        self.assertEqual(len(key["access_key"]), 20)
        self.assertEqual(len(key["secret_key"]), 40)
        again = S.admin_json("user", "info", "--uid=alice")
        self.assertEqual(again["keys"], info["keys"])
        self.assertEqual(again["display_name"], "Alice Liddell")
        users = S.admin_json("user", "list")
        self.assertIn("alice", users)
        self.assertIn("tester2", users)
        self.assertIn("alice", S.admin_json("metadata", "list", "user"))
        # The new user works through S3 at once (command forwarded to the running kelpd).
        s3 = client(key["access_key"], key["secret_key"])
        b = unique("alice")
        s3.create_bucket(Bucket=b)
        self.assertEqual(S.owner_id((key["access_key"], key["secret_key"])), "alice")

    def test_create_with_given_keys_and_duplicate(self):
        ak, sk = "AKIAGIVEN00000000001", "givenSecretKey0000000000000000000000000A"
        info = S.admin_json("user", "create", "--uid=given", "--display-name=Given",
                            f"--access-key={ak}", f"--secret-key={sk}")
        self.assertEqual([(k["access_key"], k["secret_key"]) for k in info["keys"]], [(ak, sk)])
        self.assertEqual(s3_status(client(ak, sk).list_buckets)[0], 200)
        dup = S.admin("user", "create", "--uid=given", "--display-name=Other", check=False)
        self.assertNotEqual(dup.returncode, 0, "creating an existing uid must fail")
        missing = S.admin("user", "info", "--uid=nobody-here", check=False)
        self.assertNotEqual(missing.returncode, 0)

    def test_suspend_enable(self):
        ak, sk = S.create_user("suspendee")
        s3 = client(ak, sk)
        b = unique("susp")
        s3.create_bucket(Bucket=b)
        info = S.admin_json("user", "suspend", "--uid=suspendee")
        self.assertEqual(info["suspended"], 1)
        self.assertEqual(S.admin_json("user", "info", "--uid=suspendee")["suspended"], 1)
        st, code = s3_status(s3.list_objects_v2, Bucket=b)
        self.assertEqual(st, 403, f"suspended user got {st} {code}")
        st, code = s3_status(s3.put_object, Bucket=b, Key="k", Body=b"x")
        self.assertEqual(st, 403, f"suspended user got {st} {code}")
        info = S.admin_json("user", "enable", "--uid=suspendee")
        self.assertEqual(info["suspended"], 0)
        self.assertEqual(s3_status(s3.put_object, Bucket=b, Key="k", Body=b"x")[0], 200)

    def test_key_create_rm(self):
        ak, sk = S.create_user("keyuser")
        info = S.admin_json("key", "create", "--uid=keyuser", "--key-type=s3", "--gen-access-key",
                            "--gen-secret")
        keys = {k["access_key"]: k["secret_key"] for k in info["keys"]}
        self.assertEqual(len(keys), 2)
        self.assertEqual(keys[ak], sk)
        ak2 = next(k for k in keys if k != ak)
        s3b = client(ak2, keys[ak2])
        self.assertEqual(s3_status(s3b.list_buckets)[0], 200)
        info = S.admin_json("key", "rm", "--uid=keyuser", f"--access-key={ak}")
        self.assertEqual([k["access_key"] for k in info["keys"]], [ak2])
        self.assertEqual(s3_status(client(ak, sk).list_buckets), (403, "InvalidAccessKeyId"))
        self.assertEqual(s3_status(s3b.list_buckets)[0], 200)

    def test_user_rm(self):
        ak, sk = S.create_user("goner")
        S.admin("user", "rm", "--uid=goner")
        self.assertNotIn("goner", S.admin_json("user", "list"))
        self.assertNotEqual(S.admin("user", "info", "--uid=goner", check=False).returncode, 0)
        self.assertEqual(s3_status(client(ak, sk).list_buckets), (403, "InvalidAccessKeyId"))


class BucketAdminTest(harness.KelpTestCase):
    server = S

    def test_bucket_list_stats_metadata(self):
        ak, sk = S.create_user("bucketeer")
        s3 = client(ak, sk)
        b = unique("stats")
        s3.create_bucket(Bucket=b)
        sizes = [0, 1, 1000, 4 * MiB + 1]
        total = 0
        for i, size in enumerate(sizes):
            path = harness.make_random_file(self.tmp, size)
            with open(path, "rb") as f:
                s3.put_object(Bucket=b, Key=f"obj{i}", Body=f)
            total += size
        up = s3.create_multipart_upload(Bucket=b, Key="mp")["UploadId"]
        parts = []
        for n in (1, 2):
            r = s3.upload_part(Bucket=b, Key="mp", UploadId=up, PartNumber=n,
                               Body=os.urandom(5 * MiB if n == 1 else 100))
            parts.append({"PartNumber": n, "ETag": r["ETag"]})
        s3.complete_multipart_upload(Bucket=b, Key="mp", UploadId=up,
                                     MultipartUpload={"Parts": parts})
        total += 5 * MiB + 100

        self.assertEqual(S.admin_json("bucket", "list", "--uid=bucketeer"), [b])
        self.assertIn(b, S.admin_json("bucket", "list"))
        stats = S.admin_json("bucket", "stats", f"--bucket={b}")
        self.assertEqual(stats["bucket"], b)
        self.assertEqual(stats["owner"], "bucketeer")
        main = stats["usage"]["rgw.main"]
        self.assertEqual(main["num_objects"], len(sizes) + 1)
        self.assertEqual(main["size"], total)
        # Deleting an object shows in the stats at once.
        s3.delete_object(Bucket=b, Key="obj3")
        main = S.admin_json("bucket", "stats", f"--bucket={b}")["usage"]["rgw.main"]
        self.assertEqual((main["num_objects"], main["size"]), (len(sizes), total - (4 * MiB + 1)))

        self.assertIn(b, S.admin_json("metadata", "list", "bucket"))
        ep = S.admin_json("metadata", "get", f"bucket:{b}")
        self.assertEqual(ep["key"], f"bucket:{b}")
        self.assertEqual(ep["data"]["owner"], "bucketeer")
        bucket_id = ep["data"]["bucket"]["bucket_id"]
        self.assertEqual(stats["id"], bucket_id)
        instances = S.admin_json("metadata", "list", "bucket.instance")
        self.assertIn(f"{b}:{bucket_id}", instances)
        inst = S.admin_json("metadata", "get", f"bucket.instance:{b}:{bucket_id}")
        self.assertEqual(inst["data"]["bucket_info"]["bucket"]["name"], b)
        self.assertEqual(inst["data"]["bucket_info"]["owner"], "bucketeer")
        user = S.admin_json("metadata", "get", "user:bucketeer")
        self.assertEqual(user["data"]["user_id"], "bucketeer")
        self.assertEqual(user["data"]["keys"][0]["access_key"], ak)

        st = S.admin_json("object", "stat", f"--bucket={b}", "--object=obj2")
        self.assertEqual(st["size"], 1000)
        etag = s3.head_object(Bucket=b, Key="obj2")["ETag"].strip('"')
        self.assertEqual(st["etag"], etag)
        entries = S.admin_json("bi", "list", f"--bucket={b}")
        names = sorted(e["entry"]["name"] for e in entries if e.get("type") == "plain")
        self.assertEqual(names, ["mp", "obj0", "obj1", "obj2"])

    def test_bucket_created_by_s3_visible_at_once(self):
        b = unique("vis")
        st, _, _ = S.request("PUT", f"/{b}")
        self.assertEqual(st, 200)
        self.assertIn(b, S.admin_json("bucket", "list"))
        st, _, _ = S.request("DELETE", f"/{b}")
        self.assertEqual(st, 204)
        self.assertNotIn(b, S.admin_json("bucket", "list"))


class QuotaTest(harness.KelpTestCase):
    """radosgw-admin's quota commands through kelp-admin, seen by an S3 client at once."""
    server = S

    def test_bucket_quota_set_enable_disable(self):
        ak, sk = S.create_user("quota-b")
        s3 = client(ak, sk)
        b = unique("quota")
        s3.create_bucket(Bucket=b)
        # `set` alone does not enable; `enable` does.
        S.admin("quota", "set", f"--bucket={b}", "--max-objects=2", "--max-size=1K")
        s3.put_object(Bucket=b, Key="one", Body=b"x" * 2000)
        S.admin("quota", "set", f"--bucket={b}", "--max-size=-1")
        S.admin("quota", "enable", f"--bucket={b}")
        quota = S.admin_json("bucket", "stats", f"--bucket={b}")["bucket_quota"]
        self.assertEqual((quota["enabled"], quota["max_objects"], quota["max_size"]),
                         (True, 2, -1))
        s3.put_object(Bucket=b, Key="two", Body=b"y")
        self.assertEqual(s3_status(s3.put_object, Bucket=b, Key="three", Body=b"z"),
                         (403, "QuotaExceeded"))
        names = [o["Key"] for o in s3.list_objects_v2(Bucket=b).get("Contents", [])]
        self.assertEqual(names, ["one", "two"])
        S.admin("quota", "disable", f"--bucket={b}")
        self.assertEqual(s3_status(s3.put_object, Bucket=b, Key="three", Body=b"z")[0], 200)

    def test_user_scopes_and_size_suffixes(self):
        ak, sk = S.create_user("quota-u")
        s3 = client(ak, sk)
        b1, b2 = unique("quota1"), unique("quota2")
        s3.create_bucket(Bucket=b1)
        s3.create_bucket(Bucket=b2)
        S.admin("quota", "enable", "--uid=quota-u", "--quota-scope=user", "--max-size=8K")
        info = S.admin_json("user", "info", "--uid=quota-u")
        self.assertEqual((info["user_quota"]["enabled"], info["user_quota"]["max_size"]),
                         (True, 8192))
        s3.put_object(Bucket=b1, Key="a", Body=b"a" * 4096)
        s3.put_object(Bucket=b2, Key="b", Body=b"b")  # rounded to 4 KiB: 8 KiB in all
        self.assertEqual(s3_status(s3.put_object, Bucket=b1, Key="c", Body=b"c"),
                         (403, "QuotaExceeded"))
        # The user's default bucket quota (scope bucket) is another field.
        S.admin("quota", "disable", "--uid=quota-u", "--quota-scope=user")
        S.admin("quota", "enable", "--uid=quota-u", "--quota-scope=bucket", "--max-objects=1")
        self.assertEqual(s3_status(s3.put_object, Bucket=b1, Key="c", Body=b"c"),
                         (403, "QuotaExceeded"))
        b3 = unique("quota3")
        s3.create_bucket(Bucket=b3)
        self.assertEqual(s3_status(s3.put_object, Bucket=b3, Key="c", Body=b"c")[0], 200)
        # Bad input: a clear sentence and a non-zero exit.
        bad = S.admin("quota", "set", "--uid=quota-u", "--max-objects=3", check=False)
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("quota scope", bad.stderr)
        bad = S.admin("quota", "set", f"--bucket={b1}", "--max-size=12Q", check=False)
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("--max-size", bad.stderr)


class UserStatsTest(harness.KelpTestCase):
    server = S

    def test_sync_stats_sums_every_bucket(self):
        ak, sk = S.create_user("stats-u")
        s3 = client(ak, sk)
        b1, b2 = unique("stats1"), unique("stats2")
        s3.create_bucket(Bucket=b1)
        s3.create_bucket(Bucket=b2)
        s3.put_object(Bucket=b1, Key="a", Body=b"a" * 5000)
        s3.put_object(Bucket=b2, Key="b", Body=b"b" * 10)
        s3.put_object(Bucket=b2, Key="c", Body=b"")
        st = S.admin_json("user", "stats", "--uid=stats-u", "--sync-stats")
        self.assertEqual(st["stats"]["num_objects"], 3)
        self.assertEqual(st["stats"]["size"], 5010)
        self.assertEqual(st["stats"]["size_actual"], 8192 + 4096)  # each rounded to 4 KiB
        self.assertNotEqual(st["last_stats_sync"], "0.000000")
        s3.delete_object(Bucket=b1, Key="a")
        st = S.admin_json("user", "stats", "--uid=stats-u", "--sync-stats")
        self.assertEqual((st["stats"]["num_objects"], st["stats"]["size"]), (2, 10))


class LifecycleTest(unittest.TestCase):
    """Own kelpd instances: admin before start, graceful stop, restart."""

    def test_admin_before_start_then_restart(self):
        k = harness.Kelpd("lifecycle")
        try:
            info = k.admin_json("user", "create", "--uid=early", "--display-name=Early Bird")
            key = info["keys"][0]
            k.start()
            s3 = client(key["access_key"], key["secret_key"], port=k.port)
            b = unique("early")
            s3.create_bucket(Bucket=b)
            path = harness.make_random_file(k.work, 6 * MiB)
            with open(path, "rb") as f:
                s3.put_object(Bucket=b, Key="persist me", Body=f, Metadata={"m": "1"})
            self.assertEqual(k.stop(), 0, "kelpd must exit 0 on SIGTERM")
            # Offline admin sees what was written through S3.
            self.assertIn(b, k.admin_json("bucket", "list", "--uid=early"))
            k.start()
            s3 = client(key["access_key"], key["secret_key"], port=k.port)
            r = s3.get_object(Bucket=b, Key="persist me")
            self.assertEqual(r["Metadata"], {"m": "1"})
            self.assertTrue(harness.stream_equals_file(r["Body"], path))
            self.assertEqual(k.stop(), 0)
        except BaseException:
            k.failed = True
            raise
        finally:
            k.cleanup()

    def test_keys_printed_once_and_stable(self):
        k = harness.Kelpd("keys")
        try:
            k.start()
            ak, sk = k.access_key, k.secret_key
            self.assertEqual(len(ak), 20)
            self.assertGreaterEqual(len(sk), 40)
            self.assertEqual(k.request("GET", "/")[0], 200)
            k.restart()
            self.assertEqual(k.request("GET", "/", creds=(ak, sk))[0], 200)
            k.access_key, k.secret_key = ak, sk
        except BaseException:
            k.failed = True
            raise
        finally:
            k.cleanup()


if __name__ == "__main__":
    unittest.main()
