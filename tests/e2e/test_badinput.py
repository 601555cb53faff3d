"""Bad input through raw HTTP (http.client / sockets + the harness's SigV4 signer):
each case checks the S3 error (status, Code, full error body) and that kelpd
keeps serving a normal request afterwards."""

import base64
import hashlib
import socket
import time
import unittest

import harness
from harness import unique

S = harness.ModuleServer("badinput", second_user=False)
setUpModule, tearDownModule = S.setup, S.teardown


class BadInputTest(harness.KelpTestCase):
    server = S

    @classmethod
    def setUpClass(cls):
        cls.bucket = unique("bad")
        st, _, body = S.request("PUT", f"/{cls.bucket}")
        assert st == 200, (st, body)

    def tearDown(self):
        # After every bad request a normal one must still succeed.
        if S.alive():
            st, _, body = S.request("PUT", f"/{self.bucket}/still-alive", body=b"ok")
            self.assertEqual(st, 200, f"kelpd stopped serving after {self.id()}: {body[:300]!r}")
            st, _, body = S.request("GET", f"/{self.bucket}/still-alive")
            self.assertEqual((st, body), (200, b"ok"))
        super().tearDown()

    def assertFullError(self, resp, status, code, resource=None):
        err = self.assertS3Error(resp, status, code)
        for field in ("Code", "Message", "Resource", "RequestId"):
            self.assertIn(field, err, f"error body lacks <{field}>: {resp[2][:400]!r}")
        self.assertTrue(err["RequestId"], "empty RequestId")
        if resource is not None:
            self.assertEqual(err["Resource"], resource)
        return err

    def assertAbsent(self, key):
        st, _, body = S.request("HEAD", f"/{self.bucket}/{key}")
        self.assertEqual(st, 404, f"{key} exists after a failed upload")
        st, _, body = S.request("GET", f"/{self.bucket}", [("list-type", "2"), ("prefix", key)])
        self.assertEqual(st, 200)
        self.assertNotIn(f"<Key>{key}</Key>".encode(), body)

    # -- malformed XML --
    def test_malformed_complete_multipart(self):
        st, _, body = S.request("POST", f"/{self.bucket}/mp", [("uploads", "")])
        self.assertEqual(st, 200, body)
        upload_id = body.split(b"<UploadId>")[1].split(b"</UploadId>")[0].decode()
        st, _, _ = S.request("PUT", f"/{self.bucket}/mp", [("partNumber", "1"),
                                                          ("uploadId", upload_id)], body=b"x" * 100)
        self.assertEqual(st, 200)
        for bad in (b"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>",
                    b"this is not xml", b"<CompleteMultipartUpload><Part></CompleteMultipartUpload>"):
            with self.subTest(body=bad):
                resp = S.request("POST", f"/{self.bucket}/mp", [("uploadId", upload_id)], body=bad)
                self.assertFullError(resp, 400, "MalformedXML")
        self.assertAbsent("mp")

    def test_malformed_delete_objects(self):
        S.request("PUT", f"/{self.bucket}/victim", body=b"v")
        for bad in (b"<Delete><Object><Key>victim</Key>", b"<<>>", b""):
            with self.subTest(body=bad):
                md5 = base64.b64encode(hashlib.md5(bad).digest()).decode()
                resp = S.request("POST", f"/{self.bucket}", [("delete", "")], body=bad,
                                 headers={"Content-MD5": md5})
                self.assertFullError(resp, 400, "MalformedXML")
        st, _, body = S.request("GET", f"/{self.bucket}/victim")
        self.assertEqual((st, body), (200, b"v"))

    def test_malformed_put_bucket_acl(self):
        for bad in (b"<AccessControlPolicy><Owner><ID>x</ID>", b"not xml at all"):
            with self.subTest(body=bad):
                resp = S.request("PUT", f"/{self.bucket}", [("acl", "")], body=bad)
                self.assertFullError(resp, 400, "MalformedXML")
        # The bucket is still private and ours.
        st, _, body = S.request("GET", f"/{self.bucket}", [("acl", "")])
        self.assertEqual(st, 200)
        self.assertNotIn(b"AllUsers", body)

    # -- authentication --
    def test_wrong_signature(self):
        resp = S.request("GET", f"/{self.bucket}", creds=(S.access_key, S.secret_key + "x"))
        self.assertFullError(resp, 403, "SignatureDoesNotMatch")
        resp = S.request("PUT", f"/{self.bucket}/sig", body=b"data",
                         creds=(S.access_key, "not-the-secret"))
        self.assertFullError(resp, 403, "SignatureDoesNotMatch")
        self.assertAbsent("sig")

    def test_payload_hash_mismatch(self):
        resp = S.request("PUT", f"/{self.bucket}/ph", body=b"real body",
                         payload_hash=hashlib.sha256(b"other body").hexdigest())
        st = resp[0]
        self.assertEqual(st, 400, resp[2][:300])
        self.assertIn(harness.parse_error(resp[2]).get("Code"),
                      ("XAmzContentSHA256Mismatch", "BadDigest"))
        self.assertAbsent("ph")

    def test_unknown_access_key(self):
        resp = S.request("GET", f"/{self.bucket}", creds=("AKIANOSUCHKEY0000000", "whatever"))
        self.assertFullError(resp, 403, "InvalidAccessKeyId")

    def test_request_time_too_skewed(self):
        headers = {"host": S.host}
        old = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() - 3600))
        harness.sign_v4("GET", f"/{self.bucket}", [], headers, harness.EMPTY_SHA256,
                        S.access_key, S.secret_key, amz_date=old)
        resp = S.request("GET", f"/{self.bucket}", headers=headers, creds=None)
        self.assertFullError(resp, 403, "RequestTimeTooSkewed")

    # -- Content-MD5 --
    def test_invalid_digest(self):
        for bad in ("not base64!", base64.b64encode(b"short").decode()):
            with self.subTest(md5=bad):
                resp = S.request("PUT", f"/{self.bucket}/md5-invalid", body=b"hello",
                                 headers={"Content-MD5": bad})
                self.assertFullError(resp, 400, "InvalidDigest")
        self.assertAbsent("md5-invalid")

    def test_bad_digest(self):
        wrong = base64.b64encode(hashlib.md5(b"something else").digest()).decode()
        resp = S.request("PUT", f"/{self.bucket}/md5-bad", body=b"hello", headers={"Content-MD5": wrong})
        self.assertFullError(resp, 400, "BadDigest")
        self.assertAbsent("md5-bad")
        right = base64.b64encode(hashlib.md5(b"hello").digest()).decode()
        st, h, _ = S.request("PUT", f"/{self.bucket}/md5-good", body=b"hello",
                             headers={"Content-MD5": right})
        self.assertEqual(st, 200)
        self.assertEqual(h.get("etag"), f'"{hashlib.md5(b"hello").hexdigest()}"')

    def test_bad_digest_overwrite_keeps_old(self):
        S.request("PUT", f"/{self.bucket}/keep-old", body=b"old")
        wrong = base64.b64encode(hashlib.md5(b"x").digest()).decode()
        resp = S.request("PUT", f"/{self.bucket}/keep-old", body=b"new", headers={"Content-MD5": wrong})
        self.assertFullError(resp, 400, "BadDigest")
        self.assertEqual(S.request("GET", f"/{self.bucket}/keep-old")[2], b"old")

    # -- broken transport --
    def test_truncated_body(self):
        body = b"z" * 1000
        headers = {"host": S.host, "content-length": "100000"}
        harness.sign_v4("PUT", f"/{self.bucket}/truncated", [], headers, harness.UNSIGNED,
                        S.access_key, S.secret_key)
        s = socket.create_connection(("127.0.0.1", S.port))
        s.sendall((f"PUT /{self.bucket}/truncated HTTP/1.1\r\n" +
                   "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n").encode() + body)
        time.sleep(0.3)
        s.close()
        for _ in range(2):
            self.assertAbsent("truncated")
            time.sleep(1)

    def test_oversized_headers(self):
        for headers in ({"x-amz-meta-big": "a" * 70000},
                        {f"x-custom-{i}": "v" * 100 for i in range(1000)}):
            with self.subTest(n=len(headers)):
                s = socket.create_connection(("127.0.0.1", S.port))
                s.settimeout(30)
                req = (f"GET /{self.bucket}/x HTTP/1.1\r\nHost: {S.host}\r\n" +
                       "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n").encode()
                try:
                    s.sendall(req)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                data = b""
                try:
                    while b"\r\n" not in data:
                        chunk = s.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                except ConnectionResetError:
                    pass
                s.close()
                status = data.split(b" ")[1] if data.startswith(b"HTTP/1.1 ") else b"(none)"
                self.assertIn(status, (b"431", b"400"), f"reply: {data[:200]!r}")

    def test_garbage_request_line(self):
        s = socket.create_connection(("127.0.0.1", S.port))
        s.settimeout(30)
        s.sendall(b"THIS IS NOT HTTP\r\n\r\n")
        data = s.recv(4096)
        s.close()
        self.assertTrue(data == b"" or data.startswith(b"HTTP/1.1 400"), data[:200])

    # -- names and operations --
    def test_invalid_bucket_names(self):
        # radosgw accepts "_" (and kelpd too); these are invalid for both.
        for name in ("ab", "a" * 64, "-dash-start", "bad..dots", "bad*star", "192.168.5.4",
                     "endsdash-"):
            with self.subTest(name=name):
                resp = S.request("PUT", f"/{name}")
                self.assertFullError(resp, 400, "InvalidBucketName")

    def test_not_implemented(self):
        S.request("PUT", f"/{self.bucket}/obj", body=b"data")
        cases = [("GET", f"/{self.bucket}/obj", [("torrent", "")]),
                 ("POST", f"/{self.bucket}/obj", [("select", ""), ("select-type", "2")]),
                 ("GET", f"/{self.bucket}/obj", [("select", ""), ("select-type", "2")])]
        for method, path, query in cases:
            with self.subTest(method=method, query=query):
                resp = S.request(method, path, query, body=b"<x/>" if method == "POST" else b"")
                self.assertFullError(resp, 501, "NotImplemented")

    def test_error_resource(self):
        resp = S.request("GET", f"/{self.bucket}/no such key")
        err = self.assertFullError(resp, 404, "NoSuchKey")
        self.assertIn("no such key", harness.urllib.parse.unquote(err["Resource"]))
        resp = S.request("GET", "/no-such-bucket-here-xyz")
        self.assertFullError(resp, 404, "NoSuchBucket")

    def test_anonymous_denied(self):
        resp = S.request("GET", f"/{self.bucket}", creds=None)
        self.assertFullError(resp, 403, "AccessDenied")
        resp = S.request("PUT", f"/{self.bucket}/anon", body=b"x", creds=None)
        self.assertFullError(resp, 403, "AccessDenied")
        self.assertAbsent("anon")


if __name__ == "__main__":
    unittest.main()
