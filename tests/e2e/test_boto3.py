"""kelpd through boto3/botocore (Debian's, /usr/bin/python3): buckets, objects of
boundary sizes, multipart, listing, ranges, metadata, presigned URLs, ACLs,
special keys, conditional GETs, copy, tagging, multi-object delete."""

import concurrent.futures
import os
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import boto3
import boto3.s3.transfer
import botocore.config
import botocore.exceptions

import harness
from harness import MiB, unique

S = harness.ModuleServer("boto3")
setUpModule, tearDownModule = S.setup, S.teardown

SIZES = [0, 1, 4 * MiB - 1, 4 * MiB, 4 * MiB + 1, 20 * MiB]
SPECIAL_KEYS = [
    "with space", "two  spaces and trailing ", "utf8-ключ-über-日本語", "plus+sign", "percent%41sign",
    "percent%", "_leading_underscore", "a/b/c/slashes", "question?mark", "hash#tag",
    "mixed ?#+%&=;,:@$!'()*", "tilde~and.dots..", "ends/with/slash/",
]


def client(creds=None, addressing="path", signature="s3v4", read_timeout=120):
    ak, sk = creds or (S.access_key, S.secret_key)
    cfg = botocore.config.Config(signature_version=signature, s3={"addressing_style": addressing},
                                 retries={"max_attempts": 1}, connect_timeout=10,
                                 read_timeout=read_timeout)
    return boto3.client("s3", endpoint_url=S.endpoint, aws_access_key_id=ak,
                        aws_secret_access_key=sk, region_name=harness.REGION, config=cfg)


def err_code(cm):
    e = cm.exception.response
    return e["ResponseMetadata"]["HTTPStatusCode"], e["Error"]["Code"]


def http_get(url, headers=None, method="GET", data=None):
    """urllib request; returns (status, body bytes) also for HTTP errors."""
    req = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class Boto3Case(harness.KelpTestCase):
    server = S

    @classmethod
    def setUpClass(cls):
        cls.s3 = client()

    def new_bucket(self, s3=None):
        name = unique()
        (s3 or self.s3).create_bucket(Bucket=name)
        return name

    def put_file(self, bucket, key, path, **kw):
        with open(path, "rb") as f:
            return self.s3.put_object(Bucket=bucket, Key=key, Body=f, **kw)

    def assertObjectEquals(self, bucket, key, path, s3=None):
        resp = (s3 or self.s3).get_object(Bucket=bucket, Key=key)
        self.assertEqual(resp["ContentLength"], os.path.getsize(path))
        self.assertTrue(harness.stream_equals_file(resp["Body"], path), f"{key}: bytes differ")


class BucketTest(Boto3Case):
    def test_location_and_anonymous_listing_as_radosgw(self):
        """Measured on radosgw 16.2.15: the location is the zonegroup's api_name ("default"),
        and an anonymous GET / lists no bucket (200, not AccessDenied)."""
        name = unique()
        self.s3.create_bucket(Bucket=name)
        self.assertEqual(self.s3.get_bucket_location(Bucket=name)["LocationConstraint"], "default")
        anon = boto3.client("s3", endpoint_url=S.endpoint, region_name=harness.REGION,
                            config=botocore.config.Config(signature_version=botocore.UNSIGNED,
                                                          s3={"addressing_style": "path"}))
        self.assertEqual(anon.list_buckets()["Buckets"], [])

    def test_create_list_head_delete(self):
        name = unique()
        self.s3.create_bucket(Bucket=name)
        names = [b["Name"] for b in self.s3.list_buckets()["Buckets"]]
        self.assertIn(name, names)
        self.assertEqual(self.s3.head_bucket(Bucket=name)["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.s3.delete_bucket(Bucket=name)
        self.assertNotIn(name, [b["Name"] for b in self.s3.list_buckets()["Buckets"]])
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.s3.head_bucket(Bucket=name)
        self.assertEqual(err_code(cm)[0], 404)

    def test_delete_missing_and_nonempty(self):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.s3.delete_bucket(Bucket=unique("missing"))
        self.assertEqual(err_code(cm), (404, "NoSuchBucket"))
        b = self.new_bucket()
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.s3.delete_bucket(Bucket=b)
        self.assertEqual(err_code(cm), (409, "BucketNotEmpty"))

    def test_other_users_bucket_name_taken(self):
        b = self.new_bucket()
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            client(S.user2).create_bucket(Bucket=b)
        self.assertEqual(err_code(cm), (409, "BucketAlreadyExists"))

    def test_list_buckets_is_per_user(self):
        b = self.new_bucket()
        names = [x["Name"] for x in client(S.user2).list_buckets()["Buckets"]]
        self.assertNotIn(b, names)

    def test_missing_object_and_bucket(self):
        b = self.new_bucket()
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.s3.get_object(Bucket=b, Key="nope")
        self.assertEqual(err_code(cm), (404, "NoSuchKey"))
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.s3.get_object(Bucket=unique("missing"), Key="nope")
        self.assertEqual(err_code(cm), (404, "NoSuchBucket"))


class ObjectSizesTest(Boto3Case):
    def test_put_get_head_delete_sizes(self):
        b = self.new_bucket()
        for size in SIZES:
            with self.subTest(size=size):
                path = harness.make_random_file(self.tmp, size)
                md5 = harness.file_md5(path)
                key = f"obj-{size}"
                put = self.put_file(b, key, path)
                self.assertEqual(put["ETag"], f'"{md5}"')
                head = self.s3.head_object(Bucket=b, Key=key)
                self.assertEqual(head["ContentLength"], size)
                self.assertEqual(head["ETag"], f'"{md5}"')
                self.assertObjectEquals(b, key, path)
                self.s3.delete_object(Bucket=b, Key=key)
                with self.assertRaises(botocore.exceptions.ClientError) as cm:
                    self.s3.head_object(Bucket=b, Key=key)
                self.assertEqual(err_code(cm)[0], 404)
                os.unlink(path)

    def test_keepalive_after_empty_put(self):
        # botocore sends "Expect: 100-continue" on every PutObject; an empty PUT must
        # leave the kept-alive connection usable for the next one (no read timeout).
        b = self.new_bucket()
        s3 = client(read_timeout=3)
        t0 = time.monotonic()
        for key, body in (("e0", b""), ("e1", b"x"), ("e2", b""), ("e3", b"yz")):
            s3.put_object(Bucket=b, Key=key, Body=body)
        self.assertLess(time.monotonic() - t0, 5, "PUTs after an empty PUT stalled")
        self.assertEqual(s3.get_object(Bucket=b, Key="e3")["Body"].read(), b"yz")

    def test_overwrite_replaces_content(self):
        b = self.new_bucket()
        big = harness.make_random_file(self.tmp, 5 * MiB)
        small = harness.make_random_file(self.tmp, 10)
        self.put_file(b, "k", big)
        self.put_file(b, "k", small)
        self.assertObjectEquals(b, "k", small)
        objs = self.s3.list_objects_v2(Bucket=b)["Contents"]
        self.assertEqual([(o["Key"], o["Size"]) for o in objs], [("k", 10)])

    def test_upload_file_and_download_file(self):
        # boto3's managed transfer (threads, multipart above 8 MiB by default).
        b = self.new_bucket()
        path = harness.make_random_file(self.tmp, 20 * MiB)
        self.s3.upload_file(path, b, "managed")
        out = os.path.join(self.tmp, "out")
        self.s3.download_file(b, "managed", out)
        self.assertTrue(harness.files_equal(path, out))


class MultipartTest(Boto3Case):
    def upload_parts(self, b, key, paths):
        up = self.s3.create_multipart_upload(Bucket=b, Key=key, ContentType="application/x-test",
                                             Metadata={"m": "v"})
        uid = up["UploadId"]
        parts = []
        for n, p in enumerate(paths, 1):
            with open(p, "rb") as f:
                r = self.s3.upload_part(Bucket=b, Key=key, UploadId=uid, PartNumber=n, Body=f)
            self.assertEqual(r["ETag"], f'"{harness.file_md5(p)}"')
            parts.append({"PartNumber": n, "ETag": r["ETag"]})
        return uid, parts

    def test_explicit_multipart(self):
        b = self.new_bucket()
        paths = [harness.make_random_file(self.tmp, s) for s in (5 * MiB, 5 * MiB, 1 * MiB)]
        uid, parts = self.upload_parts(b, "mp", paths)
        listed = self.s3.list_parts(Bucket=b, Key="mp", UploadId=uid)["Parts"]
        self.assertEqual([(p["PartNumber"], p["Size"], p["ETag"]) for p in listed],
                         [(p["PartNumber"], os.path.getsize(paths[i]), p["ETag"])
                          for i, p in enumerate(parts)])
        ups = self.s3.list_multipart_uploads(Bucket=b).get("Uploads", [])
        self.assertEqual([(u["Key"], u["UploadId"]) for u in ups], [("mp", uid)])
        done = self.s3.complete_multipart_upload(Bucket=b, Key="mp", UploadId=uid,
                                                 MultipartUpload={"Parts": parts})
        want_etag = harness.md5_of_parts([harness.file_md5(p) for p in paths])
        self.assertEqual(done["ETag"], f'"{want_etag}"')
        whole = os.path.join(self.tmp, "whole")
        with open(whole, "wb") as out:
            for p in paths:
                with open(p, "rb") as f:
                    out.write(f.read())
        head = self.s3.head_object(Bucket=b, Key="mp")
        self.assertEqual(head["ETag"], f'"{want_etag}"')
        self.assertEqual(head["ContentLength"], 11 * MiB)
        self.assertEqual(head["ContentType"], "application/x-test")
        self.assertEqual(head["Metadata"], {"m": "v"})
        self.assertObjectEquals(b, "mp", whole)
        # A range across the part-1/part-2 boundary.
        r = self.s3.get_object(Bucket=b, Key="mp", Range=f"bytes={5 * MiB - 10}-{5 * MiB + 9}")
        self.assertEqual(r["Body"].read(), harness.read_range(whole, 5 * MiB - 10, 5 * MiB + 9))
        self.assertEqual(self.s3.list_multipart_uploads(Bucket=b).get("Uploads", []), [])

    def test_abort(self):
        b = self.new_bucket()
        p = harness.make_random_file(self.tmp, 1 * MiB)
        uid, _ = self.upload_parts(b, "ab", [p])
        self.s3.abort_multipart_upload(Bucket=b, Key="ab", UploadId=uid)
        self.assertEqual(self.s3.list_multipart_uploads(Bucket=b).get("Uploads", []), [])
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.s3.list_parts(Bucket=b, Key="ab", UploadId=uid)
        self.assertEqual(err_code(cm), (404, "NoSuchUpload"))
        self.assertNotIn("Contents", self.s3.list_objects_v2(Bucket=b))
        # The bucket is empty again: it can be deleted.
        self.s3.delete_bucket(Bucket=b)

    def test_too_small_part_and_bad_etag(self):
        b = self.new_bucket()
        paths = [harness.make_random_file(self.tmp, s) for s in (1 * MiB, 1 * MiB)]
        uid, parts = self.upload_parts(b, "small", paths)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.s3.complete_multipart_upload(Bucket=b, Key="small", UploadId=uid,
                                              MultipartUpload={"Parts": parts})
        self.assertEqual(err_code(cm), (400, "EntityTooSmall"))
        bad = [{"PartNumber": 1, "ETag": '"00000000000000000000000000000000"'}]
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.s3.complete_multipart_upload(Bucket=b, Key="small", UploadId=uid,
                                              MultipartUpload={"Parts": bad})
        self.assertEqual(err_code(cm), (400, "InvalidPart"))
        # Completing only the last (small) part is allowed.
        done = self.s3.complete_multipart_upload(Bucket=b, Key="small", UploadId=uid,
                                                 MultipartUpload={"Parts": parts[1:]})
        self.assertEqual(done["ETag"], f'"{harness.md5_of_parts([harness.file_md5(paths[1])])}"')
        self.assertObjectEquals(b, "small", paths[1])

    def test_part_overwrite(self):
        b = self.new_bucket()
        up = self.s3.create_multipart_upload(Bucket=b, Key="k")["UploadId"]
        self.s3.upload_part(Bucket=b, Key="k", UploadId=up, PartNumber=1, Body=b"first")
        r = self.s3.upload_part(Bucket=b, Key="k", UploadId=up, PartNumber=1, Body=b"second")
        self.s3.complete_multipart_upload(
            Bucket=b, Key="k", UploadId=up,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": r["ETag"]}]})
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"second")


class ListingTest(Boto3Case):
    """1,000+ keys; every listing is compared with the sorted expected list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = unique("list")
        cls.s3.create_bucket(Bucket=cls.bucket)
        keys = [f"dir{i % 7}/sub{i % 3}/key{i:04d}" for i in range(1000)]
        keys += [f"top{i:03d}" for i in range(60)]
        keys += SPECIAL_KEYS + ["dir1/", "dir1/sub0/"]
        cls.keys = sorted(set(keys), key=lambda k: k.encode("utf-8"))
        pool = concurrent.futures.ThreadPoolExecutor(8)
        clients = [client() for _ in range(8)]
        list(pool.map(lambda ik: clients[ik[0] % 8].put_object(Bucket=cls.bucket, Key=ik[1],
                                                               Body=ik[1].encode()),
                      enumerate(cls.keys)))
        pool.shutdown()

    def expect(self, prefix="", delimiter=None, start_after=None):
        keys, prefixes = [], set()
        for k in self.keys:
            if not k.startswith(prefix):
                continue
            if start_after is not None and k.encode() <= start_after.encode():
                continue
            rest = k[len(prefix):]
            if delimiter and delimiter in rest:
                prefixes.add(prefix + rest[:rest.index(delimiter) + len(delimiter)])
            else:
                keys.append(k)
        return keys, sorted(prefixes, key=lambda k: k.encode())

    def test_v1_marker_paging(self):
        got, marker, pages = [], "", 0
        while True:
            r = self.s3.list_objects(Bucket=self.bucket, Marker=marker, MaxKeys=100)
            page = [o["Key"] for o in r.get("Contents", [])]
            self.assertLessEqual(len(page), 100)
            self.assertEqual(r["MaxKeys"], 100)
            got += page
            pages += 1
            if not r["IsTruncated"]:
                break
            marker = page[-1]
        self.assertEqual(got, self.keys)
        self.assertEqual(pages, (len(self.keys) + 99) // 100)

    def test_v1_delimiter_next_marker(self):
        want_keys, want_prefixes = self.expect(delimiter="/")
        keys, prefixes, marker = [], [], ""
        while True:
            r = self.s3.list_objects(Bucket=self.bucket, Delimiter="/", Marker=marker, MaxKeys=5)
            keys += [o["Key"] for o in r.get("Contents", [])]
            prefixes += [p["Prefix"] for p in r.get("CommonPrefixes", [])]
            if not r["IsTruncated"]:
                break
            marker = r["NextMarker"]
        self.assertEqual(keys, want_keys)
        self.assertEqual(prefixes, want_prefixes)

    def test_prefix_and_delimiter(self):
        for prefix in ("dir3/", "dir1/", "dir1/sub0/", "top0", "a/", "nothing-here"):
            with self.subTest(prefix=prefix):
                want_keys, want_prefixes = self.expect(prefix=prefix, delimiter="/")
                r = self.s3.list_objects_v2(Bucket=self.bucket, Prefix=prefix, Delimiter="/")
                self.assertEqual([o["Key"] for o in r.get("Contents", [])], want_keys)
                self.assertEqual([p["Prefix"] for p in r.get("CommonPrefixes", [])], want_prefixes)
                self.assertEqual(r["KeyCount"], len(want_keys) + len(want_prefixes))

    def test_v2_continuation_paging(self):
        got, token, pages = [], None, 0
        while True:
            kw = {"ContinuationToken": token} if token else {}
            r = self.s3.list_objects_v2(Bucket=self.bucket, MaxKeys=250, **kw)
            page = [o["Key"] for o in r.get("Contents", [])]
            self.assertEqual(r["KeyCount"], len(page))
            got += page
            pages += 1
            if not r["IsTruncated"]:
                self.assertNotIn("NextContinuationToken", r)
                break
            token = r["NextContinuationToken"]
        self.assertEqual(got, self.keys)
        self.assertEqual(pages, (len(self.keys) + 249) // 250)

    def test_v2_default_max_keys_is_1000(self):
        r = self.s3.list_objects_v2(Bucket=self.bucket)
        self.assertEqual(r["KeyCount"], 1000)
        self.assertTrue(r["IsTruncated"])
        self.assertEqual([o["Key"] for o in r["Contents"]], self.keys[:1000])

    def test_v2_start_after(self):
        start = self.keys[500]
        got, token = [], None
        while True:
            kw = {"ContinuationToken": token} if token else {"StartAfter": start}
            r = self.s3.list_objects_v2(Bucket=self.bucket, MaxKeys=300, **kw)
            got += [o["Key"] for o in r.get("Contents", [])]
            if not r["IsTruncated"]:
                break
            token = r["NextContinuationToken"]
        self.assertEqual(got, self.keys[501:])

    def test_v2_delimiter_paging_counts_prefixes(self):
        want_keys, want_prefixes = self.expect(prefix="dir2/", delimiter="/")
        keys, prefixes, token = [], [], None
        while True:
            kw = {"ContinuationToken": token} if token else {}
            r = self.s3.list_objects_v2(Bucket=self.bucket, Prefix="dir2/", Delimiter="/",
                                        MaxKeys=1, **kw)
            self.assertLessEqual(r["KeyCount"], 1)
            keys += [o["Key"] for o in r.get("Contents", [])]
            prefixes += [p["Prefix"] for p in r.get("CommonPrefixes", [])]
            if not r["IsTruncated"]:
                break
            token = r["NextContinuationToken"]
        self.assertEqual(keys, want_keys)
        self.assertEqual(prefixes, want_prefixes)

    def test_encoding_type_url_raw(self):
        # botocore decodes EncodingType=url transparently; check the raw XML instead.
        for listing in (("list-type", "2"), ("marker", "")):
            with self.subTest(listing=listing[0]):
                query = [("encoding-type", "url"), ("max-keys", "1000")]
                if listing[1]:
                    query.append(listing)
                st, _, body = S.request("GET", f"/{self.bucket}", query)
                self.assertEqual(st, 200, body[:300])
                root = ET.fromstring(body)
                raw = [e.text for e in root.iter(harness.S3_NS + "Key")]
                self.assertEqual(root.findtext(harness.S3_NS + "EncodingType"), "url")
                self.assertEqual([urllib.parse.unquote_plus(k) for k in raw], self.keys[:1000])
                for k in raw:
                    self.assertNotIn(" ", k)
                    self.assertTrue(k.isascii(), k)

    def test_special_keys_as_prefix(self):
        for k in SPECIAL_KEYS:
            with self.subTest(key=k):
                r = self.s3.list_objects_v2(Bucket=self.bucket, Prefix=k)
                self.assertEqual([o["Key"] for o in r.get("Contents", [])],
                                 [x for x in self.keys if x.startswith(k)])


class RangeTest(Boto3Case):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = unique("range")
        cls.s3.create_bucket(Bucket=cls.bucket)
        cls.size = 5 * MiB
        cls.path = harness.make_random_file(S.work, cls.size, "range-src")
        with open(cls.path, "rb") as f:
            cls.s3.put_object(Bucket=cls.bucket, Key="r", Body=f)

    def check(self, spec, start, end):
        r = self.s3.get_object(Bucket=self.bucket, Key="r", Range=spec)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 206)
        self.assertEqual(r["ContentRange"], f"bytes {start}-{end}/{self.size}")
        self.assertEqual(r["ContentLength"], end - start + 1)
        self.assertEqual(r["Body"].read(), harness.read_range(self.path, start, end))

    def test_ranges(self):
        n = self.size
        cases = [("bytes=0-0", 0, 0), ("bytes=100-199", 100, 199), ("bytes=-500", n - 500, n - 1),
                 ("bytes=1000-", 1000, n - 1),
                 (f"bytes={4 * MiB - 100}-{4 * MiB + 99}", 4 * MiB - 100, 4 * MiB + 99),
                 (f"bytes={n - 1}-{n + 1000}", n - 1, n - 1)]
        for spec, start, end in cases:
            with self.subTest(spec=spec):
                self.check(spec, start, end)

    def test_unsatisfiable(self):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.s3.get_object(Bucket=self.bucket, Key="r", Range=f"bytes={self.size}-")
        self.assertEqual(err_code(cm), (416, "InvalidRange"))

    def test_range_on_empty_object(self):
        self.s3.put_object(Bucket=self.bucket, Key="empty", Body=b"")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.s3.get_object(Bucket=self.bucket, Key="empty", Range="bytes=0-0")
        self.assertEqual(err_code(cm), (416, "InvalidRange"))


class MetadataTest(Boto3Case):
    def test_round_trip(self):
        b = self.new_bucket()
        self.s3.put_object(Bucket=b, Key="m", Body=b"hello",
                           Metadata={"color": "blue", "Mixed-Case": "Some Value"},
                           ContentType="text/x-kelp; charset=utf-8",
                           ContentDisposition='attachment; filename="a b.txt"',
                           CacheControl="max-age=60, private", ContentEncoding="identity",
                           ContentLanguage="en-GB")
        for resp in (self.s3.head_object(Bucket=b, Key="m"), self.s3.get_object(Bucket=b, Key="m")):
            self.assertEqual(resp["Metadata"], {"color": "blue", "mixed-case": "Some Value"})
            self.assertEqual(resp["ContentType"], "text/x-kelp; charset=utf-8")
            self.assertEqual(resp["ContentDisposition"], 'attachment; filename="a b.txt"')
            self.assertEqual(resp["CacheControl"], "max-age=60, private")
            self.assertEqual(resp["ContentEncoding"], "identity")
            self.assertEqual(resp["ContentLanguage"], "en-GB")
            self.assertIn("LastModified", resp)

    def test_default_content_type(self):
        b = self.new_bucket()
        # botocore sends no Content-Type when none is given.
        st, _, _ = S.request("PUT", f"/{b}/plain", body=b"x")
        self.assertEqual(st, 200)
        self.assertEqual(self.s3.head_object(Bucket=b, Key="plain")["ContentType"],
                         "binary/octet-stream")

    def test_response_header_overrides(self):
        b = self.new_bucket()
        self.s3.put_object(Bucket=b, Key="o", Body=b"x", ContentType="text/plain")
        r = self.s3.get_object(Bucket=b, Key="o", ResponseContentType="application/json",
                               ResponseContentDisposition="inline", ResponseCacheControl="no-cache")
        self.assertEqual(r["ContentType"], "application/json")
        self.assertEqual(r["ContentDisposition"], "inline")
        self.assertEqual(r["CacheControl"], "no-cache")


class PresignTest(Boto3Case):
    def test_presigned_get_and_put(self):
        b = self.new_bucket()
        path = harness.make_random_file(self.tmp, 300_000)
        with open(path, "rb") as f:
            data = f.read()
        put_url = self.s3.generate_presigned_url("put_object", Params={"Bucket": b, "Key": "p q+r"},
                                                 ExpiresIn=300)
        st, body = http_get(put_url, method="PUT", data=data,
                            headers={"Content-Type": "application/octet-stream"})
        self.assertEqual(st, 200, body)
        get_url = self.s3.generate_presigned_url("get_object", Params={"Bucket": b, "Key": "p q+r"},
                                                 ExpiresIn=300)
        st, body = http_get(get_url)
        self.assertEqual(st, 200)
        self.assertEqual(body, data)
        # Same URL with a Range header.
        st, body = http_get(get_url, headers={"Range": "bytes=10-19"})
        self.assertEqual((st, body), (206, data[10:20]))

    def test_presigned_v2(self):
        b = self.new_bucket()
        self.s3.put_object(Bucket=b, Key="v2", Body=b"sig-v2")
        url = client(signature="s3").generate_presigned_url(
            "get_object", Params={"Bucket": b, "Key": "v2"}, ExpiresIn=300)
        self.assertIn("Signature=", url)
        self.assertEqual(http_get(url), (200, b"sig-v2"))

    def test_presigned_tampered_and_expired(self):
        b = self.new_bucket()
        self.s3.put_object(Bucket=b, Key="a", Body=b"a")
        self.s3.put_object(Bucket=b, Key="b", Body=b"b")
        url = self.s3.generate_presigned_url("get_object", Params={"Bucket": b, "Key": "a"},
                                             ExpiresIn=300)
        st, body = http_get(url.replace(f"/{b}/a?", f"/{b}/b?"))
        self.assertEqual(st, 403)
        self.assertEqual(harness.parse_error(body).get("Code"), "SignatureDoesNotMatch")
        url = self.s3.generate_presigned_url("get_object", Params={"Bucket": b, "Key": "a"},
                                             ExpiresIn=1)
        time.sleep(2.5)
        st, body = http_get(url)
        self.assertEqual(st, 403)
        self.assertEqual(harness.parse_error(body).get("Code"), "AccessDenied")

    def test_own_presigner(self):
        b = self.new_bucket()
        self.s3.put_object(Bucket=b, Key="own key", Body=b"mine")
        q = harness.presign_v4("GET", S.host, f"/{b}/own key", S.access_key, S.secret_key)
        self.assertEqual(http_get(f"{S.endpoint}/{b}/own%20key?{q}"), (200, b"mine"))


class AclTest(Boto3Case):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = client(S.user2)
        cls.user2_id = "tester2"

    def denied(self, fn, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(**kw)
        self.assertEqual(err_code(cm), (403, "AccessDenied"))

    def policy(self, grants):
        """AccessControlPolicy for put_*_acl: owner FULL_CONTROL plus `grants`
        [(uid, permission)]."""
        owner = {"ID": S.owner_id()}
        return {"Owner": owner, "Grants": [
            {"Grantee": {"Type": "CanonicalUser", "ID": owner["ID"]}, "Permission": "FULL_CONTROL"}
        ] + [{"Grantee": {"Type": "CanonicalUser", "ID": uid}, "Permission": perm}
             for uid, perm in grants]}

    def test_private_then_grants(self):
        b = self.new_bucket()
        self.s3.put_object(Bucket=b, Key="secret", Body=b"s3cr3t")
        self.denied(self.other.list_objects_v2, Bucket=b)
        self.denied(self.other.get_object, Bucket=b, Key="secret")
        self.denied(self.other.put_object, Bucket=b, Key="intruder", Body=b"x")
        self.denied(self.other.delete_object, Bucket=b, Key="secret")
        self.denied(self.other.get_bucket_acl, Bucket=b)
        # Grant READ on the bucket: listing works, the private object is still denied.
        self.s3.put_bucket_acl(Bucket=b, AccessControlPolicy=self.policy([(self.user2_id, "READ")]))
        keys = [o["Key"] for o in self.other.list_objects_v2(Bucket=b)["Contents"]]
        self.assertEqual(keys, ["secret"])
        self.denied(self.other.get_object, Bucket=b, Key="secret")
        self.denied(self.other.put_object, Bucket=b, Key="intruder", Body=b"x")
        # Grant READ on the object.
        self.s3.put_object_acl(Bucket=b, Key="secret",
                               AccessControlPolicy=self.policy([(self.user2_id, "READ")]))
        self.assertEqual(self.other.get_object(Bucket=b, Key="secret")["Body"].read(), b"s3cr3t")
        acl = self.s3.get_object_acl(Bucket=b, Key="secret")
        grants = {(g["Grantee"].get("ID"), g["Permission"]) for g in acl["Grants"]}
        self.assertEqual(grants, {(self.user2_id, "READ"), (S.owner_id(), "FULL_CONTROL")})
        # WRITE on the bucket lets the other user upload; the object is theirs, so the
        # bucket owner reads it only when granted (bucket-owner-full-control).
        self.s3.put_bucket_acl(Bucket=b, AccessControlPolicy=self.policy([(self.user2_id, "WRITE")]))
        self.other.put_object(Bucket=b, Key="from-user2", Body=b"hi")
        self.denied(self.s3.get_object, Bucket=b, Key="from-user2")
        self.other.put_object(Bucket=b, Key="shared", Body=b"hi", ACL="bucket-owner-full-control")
        self.assertEqual(self.s3.get_object(Bucket=b, Key="shared")["Body"].read(), b"hi")

    def test_grant_headers(self):
        b = self.new_bucket()
        self.s3.put_object(Bucket=b, Key="o", Body=b"granted")
        self.s3.put_bucket_acl(Bucket=b, GrantRead=f"id={self.user2_id}",
                               GrantFullControl=f"id={S.owner_id()}")
        self.assertEqual([o["Key"] for o in self.other.list_objects_v2(Bucket=b)["Contents"]], ["o"])
        self.s3.put_object(Bucket=b, Key="o2", Body=b"granted", GrantRead=f"id={self.user2_id}")
        self.assertEqual(self.other.get_object(Bucket=b, Key="o2")["Body"].read(), b"granted")

    def test_canned_public_read(self):
        b = self.new_bucket()
        self.s3.put_object(Bucket=b, Key="pub", Body=b"public data")
        url = f"{S.endpoint}/{b}/pub"
        st, body = http_get(url)
        self.assertEqual(st, 403)
        self.assertEqual(harness.parse_error(body).get("Code"), "AccessDenied")
        self.denied(self.other.get_object, Bucket=b, Key="pub")
        self.s3.put_object_acl(Bucket=b, Key="pub", ACL="public-read")
        self.assertEqual(http_get(url), (200, b"public data"))
        self.assertEqual(self.other.get_object(Bucket=b, Key="pub")["Body"].read(), b"public data")
        # Anonymous listing needs a public-read bucket.
        self.assertEqual(http_get(f"{S.endpoint}/{b}")[0], 403)
        self.s3.put_bucket_acl(Bucket=b, ACL="public-read")
        st, body = http_get(f"{S.endpoint}/{b}")
        self.assertEqual(st, 200)
        self.assertIn(b"<Key>pub</Key>", body)
        # Anonymous writes are still denied.
        st, _ = http_get(f"{S.endpoint}/{b}/anon", method="PUT", data=b"x")
        self.assertEqual(st, 403)

    def test_put_with_canned_acl(self):
        b = self.new_bucket()
        self.s3.put_object(Bucket=b, Key="pr", Body=b"x", ACL="public-read")
        self.assertEqual(http_get(f"{S.endpoint}/{b}/pr"), (200, b"x"))
        b2 = unique()
        self.s3.create_bucket(Bucket=b2, ACL="public-read-write")
        self.other.put_object(Bucket=b2, Key="w", Body=b"y")
        st, body = http_get(f"{S.endpoint}/{b2}")
        self.assertEqual(st, 200)
        self.assertIn(b"<Key>w</Key>", body)


class SpecialKeysTest(Boto3Case):
    def test_put_get_head_list_delete(self):
        b = self.new_bucket()
        for key in SPECIAL_KEYS:
            with self.subTest(key=key):
                body = ("data of " + key).encode()
                self.s3.put_object(Bucket=b, Key=key, Body=body)
                self.assertEqual(self.s3.get_object(Bucket=b, Key=key)["Body"].read(), body)
                self.assertEqual(self.s3.head_object(Bucket=b, Key=key)["ContentLength"], len(body))
        listed = [o["Key"] for o in self.s3.list_objects_v2(Bucket=b)["Contents"]]
        self.assertEqual(listed, sorted(SPECIAL_KEYS, key=lambda k: k.encode()))
        for key in SPECIAL_KEYS:
            self.s3.delete_object(Bucket=b, Key=key)
        self.assertNotIn("Contents", self.s3.list_objects_v2(Bucket=b))

    def test_virtual_host_style_raw(self):
        b = self.new_bucket()
        host = f"{b}.localhost:{S.port}"
        st, _, body = S.request("PUT", "/vh key+1", body=b"vhost", host=host)
        self.assertEqual(st, 200, body)
        st, _, body = S.request("GET", "/vh key+1", host=host)
        self.assertEqual((st, body), (200, b"vhost"))
        st, _, body = S.request("GET", "/", [("list-type", "2")], host=host)
        self.assertEqual(st, 200)
        self.assertIn(b"<Key>vh key+1</Key>", body)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="vh key+1")["Body"].read(), b"vhost")


class ConditionalTest(Boto3Case):
    def test_conditions(self):
        b = self.new_bucket()
        etag = self.s3.put_object(Bucket=b, Key="c", Body=b"cond")["ETag"]
        lm = self.s3.head_object(Bucket=b, Key="c")["LastModified"]
        future = lm.replace(year=lm.year + 1)
        past = lm.replace(year=lm.year - 1)
        ok = [dict(IfMatch=etag), dict(IfNoneMatch='"0123"'), dict(IfModifiedSince=past),
              dict(IfUnmodifiedSince=future)]
        for kw in ok:
            with self.subTest(**{k: str(v) for k, v in kw.items()}):
                self.assertEqual(self.s3.get_object(Bucket=b, Key="c", **kw)["Body"].read(), b"cond")
        bad = [(dict(IfMatch='"0123"'), 412), (dict(IfNoneMatch=etag), 304),
               (dict(IfModifiedSince=future), 304), (dict(IfUnmodifiedSince=past), 412)]
        for kw, status in bad:
            for op in (self.s3.get_object, self.s3.head_object):
                with self.subTest(op=op.__name__, **{k: str(v) for k, v in kw.items()}):
                    with self.assertRaises(botocore.exceptions.ClientError) as cm:
                        op(Bucket=b, Key="c", **kw)
                    self.assertEqual(err_code(cm)[0], status)
                    if status == 412 and op == self.s3.get_object:
                        self.assertEqual(err_code(cm)[1], "PreconditionFailed")


class CopyTest(Boto3Case):
    def test_copy_directives(self):
        b1, b2 = self.new_bucket(), self.new_bucket()
        path = harness.make_random_file(self.tmp, 6 * MiB)
        self.put_file(b1, "src key+?", path, Metadata={"a": "1"}, ContentType="text/x-src",
                      CacheControl="no-store")
        r = self.s3.copy_object(Bucket=b2, Key="dst", CopySource={"Bucket": b1, "Key": "src key+?"})
        self.assertEqual(r["CopyObjectResult"]["ETag"], f'"{harness.file_md5(path)}"')
        h = self.s3.head_object(Bucket=b2, Key="dst")
        self.assertEqual((h["Metadata"], h["ContentType"], h["CacheControl"]),
                         ({"a": "1"}, "text/x-src", "no-store"))
        self.assertObjectEquals(b2, "dst", path)
        self.s3.copy_object(Bucket=b2, Key="dst2", CopySource={"Bucket": b1, "Key": "src key+?"},
                            MetadataDirective="REPLACE", Metadata={"b": "2"},
                            ContentType="text/x-new")
        h = self.s3.head_object(Bucket=b2, Key="dst2")
        self.assertEqual((h["Metadata"], h["ContentType"]), ({"b": "2"}, "text/x-new"))
        self.assertObjectEquals(b2, "dst2", path)
        # Copying onto itself requires REPLACE.
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.s3.copy_object(Bucket=b1, Key="src key+?",
                                CopySource={"Bucket": b1, "Key": "src key+?"})
        self.assertEqual(err_code(cm), (400, "InvalidRequest"))
        self.s3.copy_object(Bucket=b1, Key="src key+?", CopySource={"Bucket": b1, "Key": "src key+?"},
                            MetadataDirective="REPLACE", Metadata={"c": "3"})
        self.assertEqual(self.s3.head_object(Bucket=b1, Key="src key+?")["Metadata"], {"c": "3"})
        self.assertObjectEquals(b1, "src key+?", path)

    def test_copy_multipart_source_and_missing(self):
        b = self.new_bucket()
        path = harness.make_random_file(self.tmp, 20 * MiB)
        cfg = boto3.s3.transfer.TransferConfig(multipart_threshold=5 * MiB,
                                               multipart_chunksize=5 * MiB)
        self.s3.upload_file(path, b, "mp", Config=cfg)
        self.assertTrue(self.s3.head_object(Bucket=b, Key="mp")["ETag"].endswith('-4"'))
        self.s3.copy_object(Bucket=b, Key="mp-copy", CopySource={"Bucket": b, "Key": "mp"})
        self.assertObjectEquals(b, "mp-copy", path)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.s3.copy_object(Bucket=b, Key="x", CopySource={"Bucket": b, "Key": "missing"})
        self.assertEqual(err_code(cm), (404, "NoSuchKey"))

    def test_copy_needs_read_on_source(self):
        b = self.new_bucket()
        self.s3.put_object(Bucket=b, Key="private", Body=b"p")
        ob = self.new_bucket(client(S.user2))
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            client(S.user2).copy_object(Bucket=ob, Key="stolen",
                                        CopySource={"Bucket": b, "Key": "private"})
        self.assertEqual(err_code(cm), (403, "AccessDenied"))


class TaggingTest(Boto3Case):
    def test_object_tagging(self):
        b = self.new_bucket()
        self.s3.put_object(Bucket=b, Key="t", Body=b"x", Tagging="a=1&b=two%20words")
        h = self.s3.get_object(Bucket=b, Key="t")
        self.assertEqual(h.get("TagCount"), 2)
        tags = self.s3.get_object_tagging(Bucket=b, Key="t")["TagSet"]
        self.assertEqual(sorted((t["Key"], t["Value"]) for t in tags), [("a", "1"), ("b", "two words")])
        self.s3.put_object_tagging(Bucket=b, Key="t", Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
        tags = self.s3.get_object_tagging(Bucket=b, Key="t")["TagSet"]
        self.assertEqual([(t["Key"], t["Value"]) for t in tags], [("k", "v")])
        self.s3.delete_object_tagging(Bucket=b, Key="t")
        self.assertEqual(self.s3.get_object_tagging(Bucket=b, Key="t")["TagSet"], [])
        self.assertEqual(self.s3.get_object(Bucket=b, Key="t")["Body"].read(), b"x")

    def test_bucket_tagging(self):
        b = self.new_bucket()
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.s3.get_bucket_tagging(Bucket=b)
        # radosgw 16.2.15 answers NoSuchTagSet here (as AWS), measured.
        self.assertEqual(err_code(cm), (404, "NoSuchTagSet"))
        self.s3.put_bucket_tagging(Bucket=b, Tagging={"TagSet": [{"Key": "team", "Value": "kelp"},
                                                                 {"Key": "env", "Value": "test"}]})
        tags = self.s3.get_bucket_tagging(Bucket=b)["TagSet"]
        self.assertEqual(sorted((t["Key"], t["Value"]) for t in tags),
                         [("env", "test"), ("team", "kelp")])
        self.s3.delete_bucket_tagging(Bucket=b)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.s3.get_bucket_tagging(Bucket=b)
        # radosgw 16.2.15 answers NoSuchTagSet here (as AWS), measured.
        self.assertEqual(err_code(cm), (404, "NoSuchTagSet"))


class MultiDeleteTest(Boto3Case):
    def test_delete_objects(self):
        b = self.new_bucket()
        keys = [f"d/{i}" for i in range(5)] + ["sp ace+", "ключ"]
        for k in keys:
            self.s3.put_object(Bucket=b, Key=k, Body=b"x")
        self.s3.put_object(Bucket=b, Key="keep", Body=b"x")
        r = self.s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": k} for k in keys + ["nope"]]})
        self.assertEqual(sorted(d["Key"] for d in r["Deleted"]), sorted(keys + ["nope"]))
        self.assertEqual(r.get("Errors", []), [])
        self.assertEqual([o["Key"] for o in self.s3.list_objects_v2(Bucket=b)["Contents"]], ["keep"])
        r = self.s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "keep"}], "Quiet": True})
        self.assertEqual(r.get("Deleted", []), [])
        self.assertNotIn("Contents", self.s3.list_objects_v2(Bucket=b))

    def test_delete_objects_denied_for_other_user(self):
        b = self.new_bucket()
        self.s3.put_object(Bucket=b, Key="mine", Body=b"x")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            client(S.user2).delete_objects(Bucket=b, Delete={"Objects": [{"Key": "mine"}]})
        self.assertEqual(err_code(cm), (403, "AccessDenied"))
        self.assertEqual(self.s3.get_object(Bucket=b, Key="mine")["Body"].read(), b"x")


class SigV2Test(Boto3Case):
    def test_sigv2_client(self):
        s3v2 = client(signature="s3")
        b = self.new_bucket()
        s3v2.put_object(Bucket=b, Key="v2 key+", Body=b"v2 body", Metadata={"x": "y"})
        r = s3v2.get_object(Bucket=b, Key="v2 key+")
        self.assertEqual((r["Body"].read(), r["Metadata"]), (b"v2 body", {"x": "y"}))
        s3v2.delete_object(Bucket=b, Key="v2 key+")
        self.assertNotIn("Contents", self.s3.list_objects_v2(Bucket=b))


if __name__ == "__main__":
    unittest.main()
