#!/usr/bin/python3
"""Signs S3 requests with the real botocore and writes them to
botocore_fixtures.txt, which botocore_test.cc verifies with Authenticate().

Run under Debian's python3 (botocore from python3-boto3):
    /usr/bin/python3 src/auth/testdata/gen_botocore_fixtures.py > src/auth/testdata/botocore_fixtures.txt

Output format, one record per case:
    case <name>
    version v4|v2
    presigned 0|1
    now <unix seconds the verifier should assume>
    method <METHOD>
    path <raw path as sent>
    query <raw query as sent, may be empty>
    header <name>\t<value>        (repeated)
    payload <UNSIGNED-PAYLOAD | hex sha256 | ->
    end
"""
import hashlib
import sys
from unittest import mock
from urllib.parse import quote, urlsplit

import botocore
from botocore.auth import HmacV1Auth, HmacV1QueryAuth, S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
import datetime

ACCESS_KEY = "AKIDKELPTEST"
SECRET = "wJal/rXU+tn==kelp/secret+key"
NOW = 1709287810  # 2024-03-01T10:10:10Z
CREDS = Credentials(ACCESS_KEY, SECRET)

KEYS = [
    "plain.txt",
    "with space.txt",
    "utf8/\u00e9\u4e2d\u6587.bin",
    "plus+sign+key",
    "percent%41%2F.txt",
    "_leading_underscore",
    "dir//double/./dot/../x",
    "special!$&'()*,;=:@.txt",
    "tilde~key",
    "trailing/",
    "q?hash#key",
]

QUERIES = [
    [],
    [("acl", "")],
    [("uploads", "")],
    [("partNumber", "3"), ("uploadId", "2~abc+def/xyz")],
    [("versionId", "v1 2+3")],
    [("response-content-type", "text/plain; charset=utf-8"),
     ("response-content-disposition", 'attachment; filename="r\u00e9sum\u00e9.pdf"')],
]

LIST_QUERIES = [
    [("list-type", "2"), ("prefix", "a b+c/\u00e9"), ("delimiter", "/"), ("max-keys", "10")],
    [("prefix", "_"), ("marker", "x%y")],
    [("versions", ""), ("key-marker", "k 1"), ("version-id-marker", "null")],
]


class FixedDatetime(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return datetime.datetime.utcfromtimestamp(NOW)


def url_for(scheme, bucket, key, query):
    path = "/" + bucket + ("/" + quote(key, safe="/~") if key is not None else "")
    q = "&".join(
        quote(k, safe="-_.~") + ("=" + quote(v, safe="-_.~") if v != "" or k not in
                                  ("acl", "uploads", "versions") else "")
        for k, v in query)
    return f"{scheme}://localhost:8000{path}" + ("?" + q if q else "")


def emit(name, version, presigned, method, url, headers, payload, now=NOW):
    split = urlsplit(url)
    out = sys.stdout
    out.write(f"case {name}\nversion {version}\npresigned {int(presigned)}\nnow {now}\n")
    out.write(f"method {method}\npath {split.path}\nquery {split.query}\n")
    for k, v in headers:
        out.write(f"header {k}\t{v}\n")
    out.write(f"payload {payload}\nend\n\n")


def header_list(req):
    hs = [(k, v if isinstance(v, str) else v.decode()) for k, v in req.headers.items()]
    if not any(k.lower() == "host" for k, _ in hs):
        hs.append(("Host", urlsplit(req.url).netloc))
    return hs


class S3Config:
    def __init__(self, sign_payload):
        self.s3 = {"payload_signing_enabled": sign_payload}


def sign_v4(name, method, scheme, bucket, key, query, body=b"", extra=None, sign_payload=True):
    url = url_for(scheme, bucket, key, query)
    req = AWSRequest(method=method, url=url, data=body, headers=dict(extra or {}))
    req.context["client_config"] = S3Config(sign_payload)
    with mock.patch("botocore.auth.datetime.datetime", FixedDatetime):
        S3SigV4Auth(CREDS, "s3", "us-east-1").add_auth(req)
    payload = req.headers["X-Amz-Content-SHA256"]
    if payload != "UNSIGNED-PAYLOAD":
        assert payload == hashlib.sha256(body).hexdigest()
    emit(name, "v4", False, method, req.url, header_list(req), payload)


def presign_v4(name, method, bucket, key, query, extra=None):
    url = url_for("http", bucket, key, query)
    req = AWSRequest(method=method, url=url, headers=dict(extra or {}))
    with mock.patch("botocore.auth.datetime.datetime", FixedDatetime):
        S3SigV4QueryAuth(CREDS, "s3", "eu-central-1", expires=3600).add_auth(req)
    prepared = req.prepare()
    emit(name, "v4", True, method, prepared.url, header_list(req), "UNSIGNED-PAYLOAD",
         now=NOW + 1800)


def sign_v2(name, method, bucket, key, query, extra=None):
    url = url_for("http", bucket, key, query)
    req = AWSRequest(method=method, url=url, headers=dict(extra or {}))
    with mock.patch("botocore.auth.formatdate",
                    lambda usegmt=True: "Fri, 01 Mar 2024 10:10:10 GMT"):
        HmacV1Auth(CREDS).add_auth(req)
    emit(name, "v2", False, method, req.url, header_list(req), "-")


def presign_v2(name, method, bucket, key, query):
    url = url_for("http", bucket, key, query)
    req = AWSRequest(method=method, url=url)
    with mock.patch("botocore.auth.time.time", lambda: NOW):
        HmacV1QueryAuth(CREDS, expires=600).add_auth(req)
    prepared = req.prepare()
    emit(name, "v2", True, method, prepared.url, header_list(req), "-", now=NOW + 300)


def main():
    sys.stdout.write(f"# generated by gen_botocore_fixtures.py with botocore {botocore.__version__}\n\n")
    meta = {"x-amz-meta-note": "  two   spaces  inside ", "Content-Type": "text/plain"}
    for i, key in enumerate(KEYS):
        sign_v4(f"v4_put_key{i}", "PUT", "http", "bkt", key, [], b"hello " + key.encode(), meta)
        sign_v4(f"v4_get_unsigned_key{i}", "GET", "https", "bkt", key, [], b"",
                {"Range": "bytes=0-9"}, sign_payload=False)
        presign_v4(f"v4_presign_key{i}", "GET", "bkt", key, [])
        sign_v2(f"v2_get_key{i}", "GET", "bkt", key, [])
        presign_v2(f"v2_presign_key{i}", "GET", "bkt", key, [])
    for i, query in enumerate(QUERIES):
        sign_v4(f"v4_sub{i}", "PUT", "http", "bkt", "obj key+1", query, b"x" * 100)
        presign_v4(f"v4_presign_sub{i}", "GET", "bkt", "obj key+1", query)
        sign_v2(f"v2_sub{i}", "PUT", "bkt", "obj key+1", query, {"x-amz-acl": "private"})
        presign_v2(f"v2_presign_sub{i}", "GET", "bkt", "obj key+1", query)
    for i, query in enumerate(LIST_QUERIES):
        sign_v4(f"v4_list{i}", "GET", "http", "bkt", None, query)
        presign_v4(f"v4_presign_list{i}", "GET", "bkt", None, query)
        sign_v2(f"v2_list{i}", "GET", "bkt", None, query)
    sign_v4("v4_list_buckets", "GET", "http", "", None, [])


if __name__ == "__main__":
    main()
