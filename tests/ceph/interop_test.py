"""Kelp beside a real radosgw 16.2.15 on one throwaway Ceph cluster (run by tests/ceph/run.sh).

The cluster comes from $KELP_CEPH_ENV (an env file written by cluster.sh start), or is started
here and stopped at the end. kelpd ($KELPD) is started on the same cluster when its --help shows
--ceph-conf; otherwise every class that needs it is skipped, saying why.

  RadosgwSelfCheck          the fixture written and read back through radosgw; radosgw-admin views
  RadosgwWritesKelpServes   the radosgw-written fixture, read through kelpd, equals radosgw's view
  KelpWritesRadosgwServes   the same fixture written through kelpd; radosgw serves it, admin agrees
  Coherence                 keys / suspension / ACLs / objects changed through one, seen at once
                            by the other
  Mixed                     both gateways write 1000 objects each into one bucket concurrently
"""

import json
import os
import subprocess
import sys
import time
import unittest
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop as I  # noqa: E402

CLUSTER = ADMIN = USERS = KELPD = None
KELP_SKIP = None
RUN = os.urandom(3).hex()
_FIXTURES = {}


def setUpModule():
    global CLUSTER, ADMIN, USERS, KELPD, KELP_SKIP
    warnings.simplefilter("ignore", ResourceWarning)  # boto3 clients dropped without close()
    CLUSTER = I.Cluster()
    try:
        ADMIN = I.Admin(CLUSTER)
        USERS = I.Users(ADMIN, RUN)
        ok, why = I.kelpd_ceph_support()
        if ok:
            KELPD = I.Kelpd(CLUSTER).start()
        else:
            KELP_SKIP = why
            I.log(f"kelpd tests skipped: {why}")
    except BaseException:
        CLUSTER.stop()
        raise


def tearDownModule():
    if KELPD:
        KELPD.cleanup(keep_logs=os.environ.get("KELP_CEPH_KEEP_LOGS") == "1")
    if CLUSTER:
        CLUSTER.stop()


def rgw_fixture():
    """The fixture written through radosgw (once per run)."""
    if "rw" not in _FIXTURES:
        t0 = time.monotonic()
        _FIXTURES["rw"] = I.write_fixture(CLUSTER.rgw_endpoint, USERS, f"rw-{RUN}")
        I.log(f"fixture written through radosgw in {time.monotonic() - t0:.1f}s")
    return _FIXTURES["rw"]


def kelp_fixture():
    if "kw" not in _FIXTURES:
        _FIXTURES["kw"] = I.write_fixture(KELPD.endpoint, USERS, f"kw-{RUN}")
    return _FIXTURES["kw"]


def needs_kelpd(cls):
    """Class decorator: skip with the reason when kelpd cannot run on the cluster."""
    orig = cls.__dict__.get("setUpClass")

    @classmethod
    def setUpClass(klass):
        if KELPD is None:
            raise unittest.SkipTest(KELP_SKIP or "kelpd not started")
        if orig:
            orig.__func__(klass)
    cls.setUpClass = setUpClass
    return cls


# ---------------------------------------------------------------------------------------------
# what the fixture must read back as, whoever wrote it and whoever serves it
# ---------------------------------------------------------------------------------------------

class FixtureChecks(unittest.TestCase):

    def assertSnapshotHoldsFixture(self, snap, fx):
        u = fx.users
        self.assertEqual(snap["user:owner"]["owner"], u.owner_uid)
        self.assertEqual([b for b, _ in snap["user:owner"]["buckets"]],
                         sorted(fx.buckets[r][0] for r in ("plain", "versioned", "acl")))
        self.assertEqual(snap["user:tenanted"]["owner"], f"{u.tenant}${u.tenant_uid}")
        self.assertEqual([b for b, _ in snap["user:tenanted"]["buckets"]],
                         [fx.buckets["tenant"][0]])
        self.assertEqual(len(snap["user:multikey"]), 3, "multikey has three keys")
        for r in snap["user:multikey"]:
            self.assertEqual(r["owner"], u.multikey_uid)
        self.assertEqual(snap["user:suspended"], "UserSuspended")

        for role, expected in fx.expected.items():
            b = snap[f"bucket:{role}"]
            keys = sorted(expected)
            with self.subTest(role=role, what="listings"):
                self.assertEqual([o["key"] for o in b["list_v1"]["contents"]], keys)
                self.assertEqual(b["list_v2"]["contents"], b["list_v1"]["contents"])
                self.assertEqual(b["list_v1_paged"]["contents"], b["list_v1"]["contents"])
                self.assertEqual(b["list_v2_paged"]["contents"], b["list_v2"]["contents"])
                self.assertEqual(b["list_v1_paged"]["pages"], (len(keys) + 2) // 3)
                self.assertEqual(b["list_v2_paged"]["pages"], (len(keys) + 3) // 4)
                top = [k for k in keys if "/" not in k]
                prefixes = sorted({k.split("/")[0] + "/" for k in keys if "/" in k})
                for name in ("list_v1_delim", "list_v2_delim"):
                    self.assertEqual([o["key"] for o in b[name]["contents"]], top, name)
                    self.assertEqual(b[name]["prefixes"], prefixes, name)
                under_a = [k for k in keys if k.startswith("a/")]
                self.assertEqual([o["key"] for o in b["list_v2_prefix_delim"]["contents"]],
                                 [k for k in under_a if "/" not in k[2:]])
                self.assertEqual(b["list_v2_prefix_delim"]["prefixes"],
                                 sorted({"a/" + k[2:].split("/")[0] + "/" for k in under_a
                                         if "/" in k[2:]}))
                self.assertEqual([o["key"] for o in b["list_v2_start_after"]["contents"]],
                                 [k for k in keys if k > "dir/"])
                for o in b["list_v1"]["contents"]:
                    self.assertEqual(o["size"], expected[o["key"]]["size"], o["key"])
                    self.assertEqual(o["etag"], expected[o["key"]]["etag"], o["key"])
                    self.assertEqual(o["owner"], b["acl"]["owner"], o["key"])
            for key, e in expected.items():
                with self.subTest(role=role, key=key):
                    o = b["objects"][key]
                    self.assertEqual(o["sha256"], e["sha256"])
                    self.assertEqual(o["size"], e["size"])
                    self.assertEqual(o["length"], e["size"])
                    self.assertEqual(o["etag"], e["etag"])
                    self.assertEqual(o["content_type"],
                                     e.get("content_type", "binary/octet-stream"))
                    self.assertEqual(o["metadata"], e.get("metadata", {}))
                    for h in ("cache_control", "content_disposition"):
                        if h in e:
                            self.assertEqual(o[h], e[h], h)
                    if "ranges" in e:
                        self.assertEqual(o["ranges"], e["ranges"])
                    self.assertEqual(o["acl"]["owner"], b["acl"]["owner"])

        plain = snap["bucket:plain"]
        self.assertEqual(plain["versioning"], None)
        self.assertEqual(len(plain["uploads"]), 1, plain["uploads"])
        up = plain["uploads"][0]
        self.assertEqual(up["key"], I.UNFINISHED_KEY)
        self.assertEqual([p[:3] for p in up["parts"]], fx.unfinished_parts)
        self.assertEqual(up["initiator"], u.owner_uid)
        self.assertEqual(plain["objects"][I.HEADERS_KEY]["content_language"], "en")

        ver = snap["bucket:versioned"]
        self.assertEqual(ver["versioning"], "Enabled")
        by_key = {}
        for v in ver["versions"]:
            by_key.setdefault(v["key"], []).append(v)
        self.assertEqual(sorted(by_key), ["doc", "gone", "pre-versioning"])
        self.assertEqual([ver["version_reads"][f"doc@{v['version_id']}"]
                          for v in reversed(by_key["doc"])], fx.versions["doc"])
        self.assertEqual([v["latest"] for v in by_key["doc"]], [True, False, False])
        self.assertEqual([v["version_id"] for v in by_key["pre-versioning"]], ["null"])
        self.assertEqual(ver["version_reads"][f"gone@{by_key['gone'][0]['version_id']}"],
                         fx.versions["gone"][0])
        self.assertEqual([(m["key"], m["latest"]) for m in ver["delete_markers"]],
                         [("gone", True)])
        self.assertEqual(ver["objects"]["doc"]["version_id"], by_key["doc"][0]["version_id"])

        acl = snap["bucket:acl"]
        all_users = "http://acs.amazonaws.com/groups/global/AllUsers"
        self.assertIn(("Group", all_users, None, "READ"), acl["acl"]["grants"])
        self.assertEqual(acl["anonymous"], {"(list)": "OK", "granted.txt": "AccessDenied",
                                            "private.txt": "AccessDenied", "public.txt": "OK"})
        self.assertEqual(acl["multikey"], {"granted.txt": "OK", "private.txt": "AccessDenied",
                                           "public.txt": "OK"})
        self.assertIn(("CanonicalUser", u.multikey_uid, f"User {u.multikey_uid}", "READ"),
                      acl["objects"]["granted.txt"]["acl"]["grants"])

    def assertSnapshotsEqual(self, a, b, names=("a", "b")):
        """Section by section (one subTest each), so one gap does not hide the others."""
        self.assertEqual(sorted(a), sorted(b))
        for section in sorted(a):
            if isinstance(a[section], dict):
                for part in sorted(set(a[section]) | set(b[section])):
                    with self.subTest(section=section, part=part):
                        self.assertEqual(a[section].get(part), b[section].get(part),
                                         f"{names[0]} vs {names[1]}")
            else:
                with self.subTest(section=section):
                    self.assertEqual(a[section], b[section], f"{names[0]} vs {names[1]}")

    def assertAdminViewsClean(self, fx):
        """bucket check finds the index consistent; bucket stats count what the listing holds."""
        for role in fx.buckets:
            name = fx.admin_bucket(role)
            with self.subTest(bucket=name):
                self.assertEqual(I.bucket_check_problems(ADMIN.bucket_check(name)), [])
                st = ADMIN.bucket_stats(name)
                main = st["usage"].get("rgw.main", {})
                live = len(fx.expected[role])
                if role == "versioned":  # every version counts, the delete marker does not
                    live = 1 + 3 + 1
                if role == "plain":  # the unfinished upload's two parts count in rgw.main
                    live += 2
                self.assertEqual(main.get("num_objects"), live, st["usage"])
                if role == "plain":  # the unfinished upload's parts are rgw.multimeta entries
                    self.assertIn("rgw.multimeta", st["usage"])


# ---------------------------------------------------------------------------------------------

class RadosgwSelfCheck(FixtureChecks):
    """radosgw alone: the fixture and the fetch/compare helpers themselves are right."""

    @classmethod
    def setUpClass(cls):
        cls.fx = rgw_fixture()
        cls.snap = I.snapshot(CLUSTER.rgw_endpoint, cls.fx)

    def test_fixture_reads_back(self):
        self.assertSnapshotHoldsFixture(self.snap, self.fx)

    def test_two_fetches_equal(self):
        first = I.snapshot(CLUSTER.rgw_endpoint, self.fx)
        second = I.snapshot(CLUSTER.rgw_endpoint, self.fx)
        self.assertSnapshotsEqual(first, second, ("first fetch", "second fetch"))

    def test_snapshot_sees_a_change(self):
        """The comparison is not blind: changed metadata of one object shows up there only."""
        bucket = self.fx.buckets["acl"][0]
        c = I.s3_client(CLUSTER.rgw_endpoint, USERS.owner)
        before = I.snapshot(CLUSTER.rgw_endpoint, self.fx)
        c.put_object(Bucket=bucket, Key="private.txt", Body=b"private\n",
                     Metadata={"changed": "1"})
        try:
            after = I.snapshot(CLUSTER.rgw_endpoint, self.fx)
            self.assertEqual(after["bucket:acl"]["objects"]["private.txt"]["metadata"],
                             {"changed": "1"})
            self.assertNotEqual(after["bucket:acl"], before["bucket:acl"])
            self.assertEqual(after["bucket:plain"], before["bucket:plain"])
        finally:
            c.put_object(Bucket=bucket, Key="private.txt", Body=b"private\n")

    def test_admin_bucket_stats_and_check(self):
        self.assertAdminViewsClean(self.fx)
        st = ADMIN.bucket_stats(self.fx.admin_bucket("plain"))
        self.assertEqual(st["owner"], USERS.owner_uid)
        size = sum(e["size"] for e in self.fx.expected["plain"].values())
        size += sum(p[2] for p in self.fx.unfinished_parts)  # uploaded parts count in rgw.main
        self.assertEqual(st["usage"]["rgw.main"]["size"], size)
        self.assertEqual(ADMIN.bucket_stats(self.fx.admin_bucket("tenant"))["tenant"],
                         USERS.tenant)

    def test_admin_metadata_get(self):
        u = ADMIN.metadata_get(f"user:{USERS.owner_uid}")["data"]
        self.assertIn(USERS.owner[0], [k["access_key"] for k in u["keys"]])
        self.assertEqual([k["user"] for k in u["swift_keys"]], [USERS.swift_user])
        self.assertEqual(ADMIN.metadata_get(f"user:{USERS.suspended_uid}")["data"]["suspended"], 1)
        mk = ADMIN.metadata_get(f"user:{USERS.multikey_uid}")["data"]
        self.assertEqual(len(mk["keys"]), 3)
        t = ADMIN.metadata_get(f"user:{USERS.tenant}${USERS.tenant_uid}")["data"]
        self.assertEqual(t["user_id"], f"{USERS.tenant}${USERS.tenant_uid}")
        name = self.fx.buckets["plain"][0]
        b = ADMIN.metadata_get(f"bucket:{name}")["data"]
        self.assertEqual(b["owner"], USERS.owner_uid)
        inst = ADMIN.metadata_get(f"bucket.instance:{name}:{b['bucket']['bucket_id']}")["data"]
        self.assertEqual(inst["bucket_info"]["bucket"]["name"], name)
        self.assertIn(name, ADMIN.metadata_list("bucket"))

    def test_admin_object_stat(self):
        bucket = self.fx.admin_bucket("plain")
        st = ADMIN.object_stat(bucket, "size/20MiB")
        self.assertEqual(st["size"], 20 * I.MiB)
        self.assertEqual(st["manifest"]["obj_size"], 20 * I.MiB)
        self.assertEqual(st["etag"], self.fx.expected["plain"]["size/20MiB"]["etag"].strip('"'))
        st = ADMIN.object_stat(bucket, I.HEADERS_KEY)
        self.assertEqual(st["attrs"]["user.rgw.content_type"].rstrip("\x00"),
                         I.HEADERS["ContentType"])
        self.assertEqual(st["attrs"]["user.rgw.x-amz-meta-color"].rstrip("\x00"), "blue")
        st = ADMIN.object_stat(bucket, "ütf8/日本語 ключ.txt")
        self.assertEqual(st["size"], 200)

    def test_admin_gc_process(self):
        """An overwritten 20 MiB object leaves tail objects for gc; gc process --include-all
        removes them."""
        c = I.s3_client(CLUSTER.rgw_endpoint, USERS.owner)
        bucket = f"gc-{RUN}"
        c.create_bucket(Bucket=bucket)
        c.put_object(Bucket=bucket, Key="big", Body=I.data("gc", 20 * I.MiB))
        c.put_object(Bucket=bucket, Key="big", Body=b"small")
        tags = [e for e in ADMIN.gc_list() if any(bucket_marker_in(o, ADMIN, bucket)
                                                   for o in e["objs"])]
        self.assertTrue(tags, "the overwrite queued the old tail for gc")
        ADMIN.gc_process()
        left = [e for e in ADMIN.gc_list() if any(bucket_marker_in(o, ADMIN, bucket)
                                                   for o in e["objs"])]
        self.assertEqual(left, [])
        self.assertEqual(c.get_object(Bucket=bucket, Key="big")["Body"].read(), b"small")

    def test_swift_listing_matches_s3(self):
        name = self.fx.buckets["plain"][0]
        swift = I.swift_listing(CLUSTER.rgw_endpoint, USERS.swift_user, USERS.swift_secret, name)
        s3 = [(o["key"], o["size"], o["etag"].strip('"'))
              for o in self.snap["bucket:plain"]["list_v1"]["contents"]]
        self.assertEqual(swift, s3)


_MARKERS = {}


def bucket_marker_in(gc_obj, admin, bucket):
    if bucket not in _MARKERS:
        _MARKERS[bucket] = admin.bucket_stats(bucket)["marker"]
    return gc_obj["oid"].startswith(_MARKERS[bucket] + "_")


# ---------------------------------------------------------------------------------------------

@needs_kelpd
class RadosgwWritesKelpServes(FixtureChecks):

    @classmethod
    def setUpClass(cls):
        cls.fx = rgw_fixture()

    def test_kelp_serves_the_fixture(self):
        self.assertSnapshotHoldsFixture(I.snapshot(KELPD.endpoint, self.fx), self.fx)

    def test_kelp_view_equals_radosgw_view(self):
        self.assertSnapshotsEqual(I.snapshot(CLUSTER.rgw_endpoint, self.fx),
                                  I.snapshot(KELPD.endpoint, self.fx), ("radosgw", "kelpd"))


@needs_kelpd
class KelpWritesRadosgwServes(FixtureChecks):

    @classmethod
    def setUpClass(cls):
        cls.fx = kelp_fixture()

    def test_radosgw_serves_the_fixture(self):
        self.assertSnapshotHoldsFixture(I.snapshot(CLUSTER.rgw_endpoint, self.fx), self.fx)

    def test_radosgw_view_equals_kelp_view(self):
        self.assertSnapshotsEqual(I.snapshot(CLUSTER.rgw_endpoint, self.fx),
                                  I.snapshot(KELPD.endpoint, self.fx), ("radosgw", "kelpd"))

    def test_admin_views_clean(self):
        self.assertAdminViewsClean(self.fx)

    def test_admin_stats_equal_radosgw_written(self):
        rw = rgw_fixture()
        for role in self.fx.buckets:
            with self.subTest(role=role):
                self.assertEqual(ADMIN.bucket_stats(self.fx.admin_bucket(role))["usage"],
                                 ADMIN.bucket_stats(rw.admin_bucket(role))["usage"])

    def test_admin_object_stat_equal_radosgw_written(self):
        rw = rgw_fixture()
        for key in ("size/20MiB", I.MP_KEY, I.HEADERS_KEY, "empty"):
            with self.subTest(key=key):
                k = ADMIN.object_stat(self.fx.admin_bucket("plain"), key)
                r = ADMIN.object_stat(rw.admin_bucket("plain"), key)
                for field in ("size", "etag"):
                    self.assertEqual(k[field], r[field], field)
                self.assertEqual(sorted(k["attrs"]), sorted(r["attrs"]))
                self.assertEqual(k["manifest"]["obj_size"], r["manifest"]["obj_size"])

    def test_gc_process_after_kelp_overwrite(self):
        c = I.s3_client(KELPD.endpoint, USERS.owner)
        bucket = f"kgc-{RUN}"
        c.create_bucket(Bucket=bucket)
        c.put_object(Bucket=bucket, Key="big", Body=I.data("kgc", 20 * I.MiB))
        c.put_object(Bucket=bucket, Key="big", Body=b"small")
        ADMIN.gc_process()
        self.assertEqual([e for e in ADMIN.gc_list()
                          if any(bucket_marker_in(o, ADMIN, bucket) for o in e["objs"])], [])
        self.assertEqual(I.s3_client(CLUSTER.rgw_endpoint, USERS.owner)
                         .get_object(Bucket=bucket, Key="big")["Body"].read(), b"small")


@needs_kelpd
class VersionedCopyAndMultipart(unittest.TestCase):
    """Kelp's CopyObject and multipart Complete into a versioned bucket make versions radosgw
    serves: same version list, bytes per version id and ETags; bucket check clean; radosgw
    deletes them all and gc leaves nothing of the bucket."""

    def test_kelp_writes_radosgw_serves_and_removes(self):
        k = I.s3_client(KELPD.endpoint, USERS.owner)
        r = I.s3_client(CLUSTER.rgw_endpoint, USERS.owner)
        bucket = f"vcm-{RUN}"
        k.create_bucket(Bucket=bucket)
        k.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        v1 = k.put_object(Bucket=bucket, Key="doc", Body=b"one")["VersionId"]
        v2 = k.copy_object(Bucket=bucket, Key="doc", CopySource={"Bucket": bucket, "Key": "doc"},
                           MetadataDirective="REPLACE", Metadata={"m": "copy"})["VersionId"]
        up = k.create_multipart_upload(Bucket=bucket, Key="doc")["UploadId"]
        bodies = [I.data("vcm1", 5 * I.MiB), I.data("vcm2", 5 * I.MiB), I.data("vcm3", 1000)]
        parts = [{"PartNumber": n, "ETag": k.upload_part(Bucket=bucket, Key="doc", UploadId=up,
                                                         PartNumber=n, Body=b)["ETag"]}
                 for n, b in enumerate(bodies, 1)]
        done = k.complete_multipart_upload(Bucket=bucket, Key="doc", UploadId=up,
                                           MultipartUpload={"Parts": parts})
        v3 = done["VersionId"]

        def versions(c):
            return [(v["Key"], v["VersionId"], v["ETag"], v["Size"], v["IsLatest"])
                    for v in c.list_object_versions(Bucket=bucket)["Versions"]]
        self.assertEqual([v[1] for v in versions(r)], [v3, v2, v1])
        self.assertEqual(versions(r), versions(k))
        want = {v1: b"one", v2: b"one", v3: b"".join(bodies)}
        for vid, body in want.items():
            got = r.get_object(Bucket=bucket, Key="doc", VersionId=vid)
            self.assertEqual(I.sha(got["Body"].read()), I.sha(body), vid)
            self.assertEqual(got["VersionId"], vid)
        self.assertEqual(r.head_object(Bucket=bucket, Key="doc", VersionId=v2)["Metadata"],
                         {"m": "copy"})
        self.assertEqual(r.get_object(Bucket=bucket, Key="doc")["ETag"], done["ETag"])
        self.assertEqual(I.bucket_check_problems(ADMIN.bucket_check(bucket)), [])
        stats = ADMIN.bucket_stats(bucket)["usage"]["rgw.main"]
        self.assertEqual(stats["num_objects"], 3)
        self.assertEqual(stats["size"], 3 + 3 + sum(map(len, bodies)))

        for vid in (v3, v2, v1):
            r.delete_object(Bucket=bucket, Key="doc", VersionId=vid)
        self.assertNotIn("Versions", r.list_object_versions(Bucket=bucket))
        ADMIN.gc_process()
        marker = ADMIN.bucket_stats(bucket)["marker"]
        left = subprocess.run(["rados", "-c", CLUSTER.conf, "-p", "default.rgw.buckets.data",
                               "ls", "--all"], capture_output=True, text=True, check=True).stdout
        self.assertEqual([line for line in left.splitlines() if marker in line], [],
                         "data objects of the deleted versions remain")
        r.delete_bucket(Bucket=bucket)


# ---------------------------------------------------------------------------------------------

@needs_kelpd
class Coherence(unittest.TestCase):
    """A change made through one gateway (or radosgw-admin) is answered at once by the other:
    no sleep, no retry (radosgw's caches are kept coherent by watch/notify on the control pool)."""

    n = 0

    def setUp(self):
        Coherence.n += 1
        self.uid = f"co-{RUN}-{Coherence.n}"  # also the prefix of the test's bucket names
        info = ADMIN.user_create(self.uid)
        self.creds = (info["keys"][0]["access_key"], info["keys"][0]["secret_key"])
        # both gateways have seen the user (and cached it)
        for ep in (CLUSTER.rgw_endpoint, KELPD.endpoint):
            self.assertEqual(I.error_code(I.s3_client(ep, self.creds).list_buckets), "OK")

    def test_key_created_by_radosgw_admin_works_on_kelp(self):
        k = ADMIN.key_create(self.uid)["keys"]
        new = next((x["access_key"], x["secret_key"]) for x in k if x["access_key"] != self.creds[0])
        self.assertEqual(I.error_code(I.s3_client(KELPD.endpoint, new).list_buckets), "OK")

    def test_key_removed_by_radosgw_admin_refused_by_kelp(self):
        ADMIN.key_create(self.uid)
        ADMIN.key_rm(self.uid, self.creds[0])
        self.assertEqual(I.error_code(I.s3_client(KELPD.endpoint, self.creds).list_buckets),
                         "InvalidAccessKeyId")

    def test_suspension_seen_by_kelp(self):
        ADMIN.user_suspend(self.uid)
        self.assertEqual(I.error_code(I.s3_client(KELPD.endpoint, self.creds).list_buckets),
                         "UserSuspended")
        ADMIN.user_enable(self.uid)
        self.assertEqual(I.error_code(I.s3_client(KELPD.endpoint, self.creds).list_buckets), "OK")

    def _acl_flip(self, writer, reader):
        c = I.s3_client(writer, self.creds)
        bucket = f"{self.uid}-b"
        c.create_bucket(Bucket=bucket)
        anon = I.s3_client(reader, None)
        self.assertEqual(I.error_code(anon.list_objects, Bucket=bucket), "AccessDenied")
        c.put_bucket_acl(Bucket=bucket, ACL="public-read")
        self.assertEqual(I.error_code(anon.list_objects, Bucket=bucket), "OK")
        c.put_bucket_acl(Bucket=bucket, ACL="private")
        self.assertEqual(I.error_code(anon.list_objects, Bucket=bucket), "AccessDenied")

    def test_bucket_acl_via_radosgw_seen_by_kelp(self):
        self._acl_flip(CLUSTER.rgw_endpoint, KELPD.endpoint)

    def test_bucket_acl_via_kelp_seen_by_radosgw(self):
        self._acl_flip(KELPD.endpoint, CLUSTER.rgw_endpoint)

    def test_bucket_quota_via_radosgw_admin_enforced_by_kelp(self):
        k = I.s3_client(KELPD.endpoint, self.creds)
        r = I.s3_client(CLUSTER.rgw_endpoint, self.creds)
        bucket = f"{self.uid}-q"
        k.create_bucket(Bucket=bucket)
        k.put_object(Bucket=bucket, Key="one", Body=b"1")
        ADMIN.run("quota", "set", f"--bucket={bucket}", "--max-objects=2")
        ADMIN.run("quota", "enable", f"--bucket={bucket}")
        k.put_object(Bucket=bucket, Key="two", Body=b"2")
        # Both gateways refuse the third object, with the same error.
        for c in (k, r):
            self.assertEqual(I.error_code(c.put_object, Bucket=bucket, Key="three", Body=b"3"),
                             "QuotaExceeded")
        ADMIN.run("quota", "disable", f"--bucket={bucket}")
        self.assertEqual(I.error_code(k.put_object, Bucket=bucket, Key="three", Body=b"3"), "OK")

    def test_user_bucket_quota_via_kelp_admin_enforced_by_radosgw(self):
        r = I.s3_client(CLUSTER.rgw_endpoint, self.creds)
        bucket = f"{self.uid}-uq"
        r.create_bucket(Bucket=bucket)
        p = I.kelp_admin(CLUSTER.conf, CLUSTER.env["CEPH_USER"], "quota", "enable",
                         f"--uid={self.uid}", "--quota-scope=bucket", "--max-objects=1")
        self.assertEqual(p.returncode, 0, p.stderr)
        info = ADMIN.json("user", "info", f"--uid={self.uid}")
        self.assertEqual((info["bucket_quota"]["enabled"], info["bucket_quota"]["max_objects"]),
                         (True, 1))
        r.put_object(Bucket=bucket, Key="one", Body=b"1")
        self.assertEqual(I.error_code(r.put_object, Bucket=bucket, Key="two", Body=b"2"),
                         "QuotaExceeded")
        k = I.s3_client(KELPD.endpoint, self.creds)
        self.assertEqual(I.error_code(k.put_object, Bucket=bucket, Key="two", Body=b"2"),
                         "QuotaExceeded")

    def test_user_stats_sync_agrees(self):
        """`user stats --sync-stats` through kelp-admin and radosgw-admin: same totals."""
        k = I.s3_client(KELPD.endpoint, self.creds)
        r = I.s3_client(CLUSTER.rgw_endpoint, self.creds)
        k.create_bucket(Bucket=f"{self.uid}-s1")
        r.create_bucket(Bucket=f"{self.uid}-s2")
        k.put_object(Bucket=f"{self.uid}-s1", Key="a", Body=b"a" * 5000)
        r.put_object(Bucket=f"{self.uid}-s2", Key="b", Body=b"b" * 10)
        k.put_object(Bucket=f"{self.uid}-s2", Key="c", Body=I.data("st", 5 * I.MiB + 1))
        p = I.kelp_admin(CLUSTER.conf, CLUSTER.env["CEPH_USER"], "user", "stats",
                         f"--uid={self.uid}", "--sync-stats")
        self.assertEqual(p.returncode, 0, p.stderr)
        mine = json.loads(p.stdout)["stats"]
        self.assertEqual((mine["num_objects"], mine["size"]), (3, 5010 + 5 * I.MiB + 1))
        theirs = ADMIN.json("user", "stats", f"--uid={self.uid}", "--sync-stats")["stats"]
        self.assertEqual(mine, theirs)

    def test_objects_overwritten_and_deleted_across(self):
        r = I.s3_client(CLUSTER.rgw_endpoint, self.creds)
        k = I.s3_client(KELPD.endpoint, self.creds)
        bucket = f"{self.uid}-o"
        r.create_bucket(Bucket=bucket)
        for i, (w, rd) in enumerate([(r, k), (k, r), (r, k), (k, r)]):
            body = I.data(f"co{i}", 5 * I.MiB + i)
            w.put_object(Bucket=bucket, Key="obj", Body=body)
            self.assertEqual(I.sha(rd.get_object(Bucket=bucket, Key="obj")["Body"].read()),
                             I.sha(body), f"round {i}")
        k.delete_object(Bucket=bucket, Key="obj")
        self.assertEqual(I.error_code(r.head_object, Bucket=bucket, Key="obj"), "404")


@needs_kelpd
class Mixed(unittest.TestCase):
    """Both gateways write 1000 objects each, at the same time, into one bucket."""

    def test_concurrent_writes_into_one_bucket(self):
        bucket = f"mixed-{RUN}"
        c = I.s3_client(CLUSTER.rgw_endpoint, USERS.owner)
        c.create_bucket(Bucket=bucket)
        errors = {}
        import threading
        jobs = [("radosgw", CLUSTER.rgw_endpoint, [f"rgw/{i:04d}" for i in range(1000)]),
                ("kelpd", KELPD.endpoint, [f"kelp/{i:04d}" for i in range(1000)])]
        ts = [threading.Thread(target=lambda n=n, ep=ep, ks=ks: errors.__setitem__(
            n, I.put_many(ep, USERS.owner, bucket, ks, threads=6))) for n, ep, ks in jobs]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        self.assertEqual(errors, {"radosgw": [], "kelpd": []})
        want = sorted(k for _, _, ks in jobs for k in ks)
        views = {}
        for name, ep in (("radosgw", CLUSTER.rgw_endpoint), ("kelpd", KELPD.endpoint)):
            cl = I.s3_client(ep, USERS.owner)
            views[name] = I.list_all(cl, bucket, v2=True)["contents"]
            self.assertEqual([o["key"] for o in views[name]], want, name)
            self.assertEqual(I.list_all(cl, bucket, v2=False, Delimiter="/")["prefixes"],
                             ["kelp/", "rgw/"], name)
        self.assertEqual(views["radosgw"], views["kelpd"])
        st = ADMIN.bucket_stats(bucket)["usage"]["rgw.main"]
        self.assertEqual(st["num_objects"], 2000)
        self.assertEqual(st["size"], sum(len(k) * 8 for k in want))
        self.assertEqual(I.bucket_check_problems(ADMIN.bucket_check(bucket)), [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
