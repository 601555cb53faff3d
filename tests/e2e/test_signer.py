"""Checks the harness's own SigV4 signer against the worked examples of the AWS
S3 documentation ("Signature Calculations for the Authorization Header" and
"Authenticating Requests: Using Query Parameters"). Needs no kelpd."""

import unittest

import harness

AK = "AKIAIOSFODNN7EXAMPLE"
SK = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
DATE = "20130524T000000Z"
HOST = "examplebucket.s3.amazonaws.com"


class SignerTest(unittest.TestCase):
    def sign(self, method, path, query, headers, payload_hash):
        headers = dict(headers, host=HOST)
        return harness.sign_v4(method, path, query, headers, payload_hash, AK, SK, amz_date=DATE)

    def test_get_object(self):
        sig = self.sign("GET", "/test.txt", [], {"range": "bytes=0-9"}, harness.EMPTY_SHA256)
        self.assertEqual(sig, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")

    def test_put_object(self):
        import hashlib
        body = b"Welcome to Amazon S3."
        sig = self.sign("PUT", "/test$file.text", [],
                        {"date": "Fri, 24 May 2013 00:00:00 GMT",
                         "x-amz-storage-class": "REDUCED_REDUNDANCY"},
                        hashlib.sha256(body).hexdigest())
        self.assertEqual(sig, "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")

    def test_get_bucket_lifecycle(self):
        sig = self.sign("GET", "/", [("lifecycle", "")], {}, harness.EMPTY_SHA256)
        self.assertEqual(sig, "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")

    def test_list_objects(self):
        sig = self.sign("GET", "/", [("max-keys", "2"), ("prefix", "J")], {}, harness.EMPTY_SHA256)
        self.assertEqual(sig, "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")

    def test_presigned_get(self):
        q = harness.presign_v4("GET", HOST, "/test.txt", AK, SK, expires=86400, amz_date=DATE)
        self.assertIn(
            "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", q)

    def test_multipart_etag(self):
        # md5("a"), md5("b") -> md5 of the 32 raw bytes, suffixed with the part count.
        import hashlib
        parts = [hashlib.md5(b"a").hexdigest(), hashlib.md5(b"b").hexdigest()]
        raw = hashlib.md5(b"a").digest() + hashlib.md5(b"b").digest()
        self.assertEqual(harness.md5_of_parts(parts), hashlib.md5(raw).hexdigest() + "-2")


if __name__ == "__main__":
    unittest.main()
