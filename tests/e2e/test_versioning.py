"""Versioned buckets through boto3 against kelpd: PutBucketVersioning, versions,
delete markers, deletion by version id, ListObjectVersions (paged), suspended
buckets and the null version."""

import unittest

import boto3
import botocore.config
import botocore.exceptions

import harness
from harness import unique

S = harness.ModuleServer("versioning", second_user=False)
setUpModule, tearDownModule = S.setup, S.teardown


def client():
    cfg = botocore.config.Config(signature_version="s3v4", s3={"addressing_style": "path"},
                                 retries={"max_attempts": 1})
    return boto3.client("s3", endpoint_url=S.endpoint, aws_access_key_id=S.access_key,
                        aws_secret_access_key=S.secret_key, region_name=harness.REGION,
                        config=cfg)


def get(s3, bucket, key, version=None):
    kw = {"VersionId": version} if version else {}
    return s3.get_object(Bucket=bucket, Key=key, **kw)["Body"].read()


class Versioning(unittest.TestCase):
    def setUp(self):
        self.s3 = client()
        self.bucket = unique("ver")
        self.s3.create_bucket(Bucket=self.bucket)

    def enable(self, status="Enabled"):
        self.s3.put_bucket_versioning(Bucket=self.bucket,
                                      VersioningConfiguration={"Status": status})

    def test_versions_markers_and_removal(self):
        s3, b = self.s3, self.bucket
        self.assertNotIn("Status", s3.get_bucket_versioning(Bucket=b))
        self.enable()
        self.assertEqual(s3.get_bucket_versioning(Bucket=b)["Status"], "Enabled")
        ids = [s3.put_object(Bucket=b, Key="doc.txt", Body=f"v{i}".encode())["VersionId"]
               for i in range(3)]
        self.assertEqual(len(set(ids)), 3)
        self.assertEqual(get(s3, b, "doc.txt"), b"v2")
        for i, vid in enumerate(ids):
            r = s3.get_object(Bucket=b, Key="doc.txt", VersionId=vid)
            self.assertEqual(r["Body"].read(), f"v{i}".encode())
            self.assertEqual(r["VersionId"], vid)
        lv = s3.list_object_versions(Bucket=b)
        self.assertEqual([v["VersionId"] for v in lv["Versions"]], ids[::-1])
        self.assertEqual([v["IsLatest"] for v in lv["Versions"]], [True, False, False])
        self.assertNotIn("DeleteMarkers", lv)

        d = s3.delete_object(Bucket=b, Key="doc.txt")
        self.assertTrue(d["DeleteMarker"])
        marker = d["VersionId"]
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            s3.get_object(Bucket=b, Key="doc.txt")
        self.assertEqual(cm.exception.response["Error"]["Code"], "NoSuchKey")
        lv = s3.list_object_versions(Bucket=b)
        self.assertEqual(len(lv["DeleteMarkers"]), 1)
        self.assertTrue(lv["DeleteMarkers"][0]["IsLatest"])
        self.assertEqual(lv["DeleteMarkers"][0]["VersionId"], marker)
        self.assertEqual(s3.list_objects_v2(Bucket=b)["KeyCount"], 0)

        d = s3.delete_object(Bucket=b, Key="doc.txt", VersionId=marker)
        self.assertEqual(d["VersionId"], marker)
        self.assertEqual(get(s3, b, "doc.txt"), b"v2")
        s3.delete_object(Bucket=b, Key="doc.txt", VersionId=ids[2])
        self.assertEqual(get(s3, b, "doc.txt"), b"v1")
        for vid in ids[:2]:
            s3.delete_object(Bucket=b, Key="doc.txt", VersionId=vid)
        self.assertNotIn("Versions", s3.list_object_versions(Bucket=b))
        s3.delete_bucket(Bucket=b)

    def test_paged_listing(self):
        s3, b = self.s3, self.bucket
        self.enable()
        want = []
        for key in ["a", "b/x", "b/y", "c"]:
            vids = [s3.put_object(Bucket=b, Key=key, Body=b"x")["VersionId"] for _ in range(2)]
            want += [(key, v) for v in reversed(vids)]
        got = []
        pages = s3.get_paginator("list_object_versions").paginate(
            Bucket=b, PaginationConfig={"PageSize": 3})
        for page in pages:
            got += [(v["Key"], v["VersionId"]) for v in page.get("Versions", [])]
        self.assertEqual(got, want)
        lv = s3.list_object_versions(Bucket=b, Delimiter="/")
        self.assertEqual([p["Prefix"] for p in lv["CommonPrefixes"]], ["b/"])

    def test_suspended_null_version(self):
        s3, b = self.s3, self.bucket
        self.enable()
        v1 = s3.put_object(Bucket=b, Key="state.txt", Body=b"one")["VersionId"]
        self.enable("Suspended")
        self.assertEqual(s3.get_bucket_versioning(Bucket=b)["Status"], "Suspended")
        s3.put_object(Bucket=b, Key="state.txt", Body=b"null")
        self.assertEqual(get(s3, b, "state.txt"), b"null")
        self.assertEqual(get(s3, b, "state.txt", "null"), b"null")
        self.assertEqual(get(s3, b, "state.txt", v1), b"one")
        lv = s3.list_object_versions(Bucket=b)["Versions"]
        self.assertEqual([(v["VersionId"], v["IsLatest"]) for v in lv],
                         [("null", True), (v1, False)])

    def test_multi_delete_adds_markers(self):
        s3, b = self.s3, self.bucket
        self.enable()
        s3.put_object(Bucket=b, Key="k1", Body=b"1")
        r = s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "k1"}]})
        self.assertTrue(r["Deleted"][0]["DeleteMarker"])
        self.assertEqual(len(s3.list_object_versions(Bucket=b)["DeleteMarkers"]), 1)


class VersionedCopyAndMultipart(unittest.TestCase):
    """CopyObject and multipart uploads into a versioned bucket make new versions, as PUT does
    (`aws s3 cp` of a large file uses multipart)."""

    def setUp(self):
        self.s3 = client()
        self.bucket = unique("vermp")
        self.s3.create_bucket(Bucket=self.bucket)
        self.s3.put_bucket_versioning(Bucket=self.bucket,
                                      VersioningConfiguration={"Status": "Enabled"})

    def test_copy_and_multipart_are_versions(self):
        s3, b = self.s3, self.bucket
        v1 = s3.put_object(Bucket=b, Key="k", Body=b"one")["VersionId"]
        c = s3.copy_object(Bucket=b, Key="k", CopySource={"Bucket": b, "Key": "k"},
                           MetadataDirective="REPLACE", Metadata={"m": "x"})
        v2 = c["VersionId"]
        self.assertNotEqual(v2, v1)
        mp = s3.create_multipart_upload(Bucket=b, Key="k")
        p1 = b"a" * (5 * 1024 * 1024)
        p2 = b"b" * 1000
        parts = []
        for n, data in ((1, p1), (2, p2)):
            e = s3.upload_part(Bucket=b, Key="k", UploadId=mp["UploadId"], PartNumber=n,
                               Body=data)["ETag"]
            parts.append({"PartNumber": n, "ETag": e})
        done = s3.complete_multipart_upload(Bucket=b, Key="k", UploadId=mp["UploadId"],
                                            MultipartUpload={"Parts": parts})
        v3 = done["VersionId"]
        self.assertNotIn(v3, (v1, v2))
        versions = s3.list_object_versions(Bucket=b)["Versions"]
        self.assertEqual([v["VersionId"] for v in versions], [v3, v2, v1])
        self.assertEqual(versions[0]["ETag"], done["ETag"])
        self.assertEqual(get(s3, b, "k"), p1 + p2)
        self.assertEqual(get(s3, b, "k", v2), b"one")
        self.assertEqual(s3.head_object(Bucket=b, Key="k", VersionId=v2)["Metadata"], {"m": "x"})
        self.assertEqual(get(s3, b, "k", v1), b"one")
        # Removing the newest version brings the copy back.
        s3.delete_object(Bucket=b, Key="k", VersionId=v3)
        self.assertEqual(s3.head_object(Bucket=b, Key="k")["VersionId"], v2)
        self.assertEqual(s3.list_multipart_uploads(Bucket=b).get("Uploads", []), [])


if __name__ == "__main__":
    unittest.main()
