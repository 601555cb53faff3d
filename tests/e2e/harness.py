"""End-to-end test harness for kelpd (stdlib only; run under /usr/bin/python3).

Starts kelpd on a fresh temp dir on port 0, parses the port and the initial admin
keys from its stdout, creates further users with kelp-admin, signs raw requests
with our own SigV4 signer, and stops kelpd by PID (SIGTERM, then SIGKILL).

Binaries come from $KELPD and $KELP_ADMIN (default: build/src/kelpd/kelpd and
build/src/admin/kelp-admin under the repo). On a failed test (or a kelpd that
crashed / did not stop) the logs are kept under $KELP_E2E_LOGDIR (default
/tmp/kelp-e2e-logs) and their tails printed to stderr.

Typical use in a test module:

    import harness
    S = harness.ModuleServer("boto3")          # one kelpd per module
    setUpModule, tearDownModule = S.setup, S.teardown

    class T(harness.KelpTestCase):
        server = S
        def test_x(self):
            status, headers, body = self.server.request("GET", "/")
"""

import datetime
import hashlib
import hmac
import http.client
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KELPD = os.environ.get("KELPD", os.path.join(REPO, "build/src/kelpd/kelpd"))
KELP_ADMIN = os.environ.get("KELP_ADMIN", os.path.join(REPO, "build/src/admin/kelp-admin"))
LOGDIR = os.environ.get("KELP_E2E_LOGDIR", "/tmp/kelp-e2e-logs")
REGION = "us-east-1"
MiB = 1024 * 1024
S3_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"

# ---------------------------------------------------------------------------
# SigV4 (header and query/presigned) -- our own, independent of kelp and botocore
# ---------------------------------------------------------------------------

UNSIGNED = "UNSIGNED-PAYLOAD"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def uri_encode(s, encode_slash=True):
    """AWS UriEncode: unreserved characters stay, everything else %XX (upper)."""
    safe = "-_.~" if encode_slash else "-_.~/"
    return urllib.parse.quote(s, safe=safe)


def _hmac(key, msg):
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret, date, region=REGION, service="s3"):
    k = _hmac(("AWS4" + secret).encode("utf-8"), date)
    k = _hmac(k, region)
    k = _hmac(k, service)
    return _hmac(k, "aws4_request")


def canonical_query(query):
    """query: list of (name, value) pairs, values already *decoded*."""
    pairs = sorted((uri_encode(k), uri_encode(v)) for k, v in query)
    return "&".join(f"{k}={v}" for k, v in pairs)


def canonical_request(method, path, query, headers, signed_names, payload_hash):
    canon_headers = "".join(
        f"{n}:{' '.join(str(headers[n]).strip().split())}\n" for n in signed_names)
    return "\n".join([method, uri_encode(path, encode_slash=False), canonical_query(query),
                      canon_headers, ";".join(signed_names), payload_hash])


def sign_v4(method, path, query, headers, payload_hash, access_key, secret_key,
            amz_date=None, region=REGION, service="s3"):
    """Adds x-amz-date, x-amz-content-sha256 and Authorization to `headers`
    (a dict with lower-case names, must contain 'host'). Returns the signature."""
    amz_date = amz_date or datetime.datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")
    headers["x-amz-date"] = amz_date
    headers["x-amz-content-sha256"] = payload_hash
    names = sorted(headers)
    creq = canonical_request(method, path, query, headers, names, payload_hash)
    scope = f"{amz_date[:8]}/{region}/{service}/aws4_request"
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                     hashlib.sha256(creq.encode("utf-8")).hexdigest()])
    sig = hmac.new(signing_key(secret_key, amz_date[:8], region, service), sts.encode("utf-8"),
                   hashlib.sha256).hexdigest()
    headers["authorization"] = (f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, "
                                f"SignedHeaders={';'.join(names)}, Signature={sig}")
    return sig


def presign_v4(method, host, path, access_key, secret_key, expires=300, amz_date=None,
               extra_query=(), region=REGION):
    """Returns the query string (encoded) of a SigV4 presigned URL."""
    amz_date = amz_date or datetime.datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")
    scope = f"{amz_date[:8]}/{region}/s3/aws4_request"
    query = list(extra_query) + [
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
        ("X-Amz-Credential", f"{access_key}/{scope}"),
        ("X-Amz-Date", amz_date),
        ("X-Amz-Expires", str(expires)),
        ("X-Amz-SignedHeaders", "host"),
    ]
    creq = canonical_request(method, path, query, {"host": host}, ["host"], UNSIGNED)
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                     hashlib.sha256(creq.encode("utf-8")).hexdigest()])
    sig = hmac.new(signing_key(secret_key, amz_date[:8], region), sts.encode("utf-8"),
                   hashlib.sha256).hexdigest()
    return canonical_query(query + [("X-Amz-Signature", sig)])


# ---------------------------------------------------------------------------
# Files with random data, compared in chunks (never one big Python string)
# ---------------------------------------------------------------------------

def make_random_file(directory, size, name=None):
    path = os.path.join(directory, name or f"rand-{size}-{os.urandom(4).hex()}")
    with open(path, "wb") as f:
        left = size
        while left > 0:
            n = min(left, MiB)
            f.write(os.urandom(n))
            left -= n
    return path


def file_md5(path):
    h = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(MiB), b""):
            h.update(chunk)
    return h.hexdigest()


def read_range(path, start, end_inclusive):
    with open(path, "rb") as f:
        f.seek(start)
        return f.read(end_inclusive - start + 1)


def stream_equals_file(stream, path):
    """Reads `stream` (has .read(n)) in chunks and compares with `path`."""
    with open(path, "rb") as f:
        while True:
            want = f.read(MiB)
            got = b""
            while len(got) < len(want):
                piece = stream.read(len(want) - len(got))
                if not piece:
                    break
                got += piece
            if got != want:
                return False
            if not want:
                return stream.read(1) == b""


def files_equal(a, b):
    if os.path.getsize(a) != os.path.getsize(b):
        return False
    with open(b, "rb") as fb:
        return stream_equals_file(fb, a)


def md5_of_parts(part_md5_hex):
    """S3 multipart ETag: md5 of the concatenated binary part md5s, '-N'."""
    joined = b"".join(bytes.fromhex(h) for h in part_md5_hex)
    return f"{hashlib.md5(joined).hexdigest()}-{len(part_md5_hex)}"


def parse_error(body):
    """Parses an S3 XML error body into a dict (Code, Message, Resource, RequestId...)."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return {}
    return {child.tag.replace(S3_NS, ""): (child.text or "") for child in root}


# ---------------------------------------------------------------------------
# kelpd process management
# ---------------------------------------------------------------------------

class Kelpd:
    """One kelpd process on its own temp dir."""

    LISTEN_RE = re.compile(rb"kelpd: listening on http://127\.0\.0\.1:(\d+)")

    def __init__(self, name, binary=KELPD, admin_binary=KELP_ADMIN, extra_args=()):
        self.name = name
        self.binary = binary
        self.admin_binary = admin_binary
        self.extra_args = list(extra_args)
        self.tmp = tempfile.mkdtemp(prefix=f"kelp-e2e-{name}-")
        self.data = os.path.join(self.tmp, "data")
        self.work = os.path.join(self.tmp, "work")  # scratch files for the tests
        os.makedirs(self.work)
        self.stdout_log = os.path.join(self.tmp, "kelpd.stdout")
        self.stderr_log = os.path.join(self.tmp, "kelpd.stderr")
        self.access_log = os.path.join(self.tmp, "access.log")
        self.admin_log = os.path.join(self.tmp, "kelp-admin.log")
        self.client_log = os.path.join(self.tmp, "clients.log")  # CLI clients' commands/output
        self.proc = None
        self.port = None
        self.access_key = None
        self.secret_key = None
        self.failed = False
        self.problems = []  # things noticed by the harness itself (crash, unclean stop)
        self._drain = None

    # -- lifecycle --
    def start(self, timeout=30):
        if not os.access(self.binary, os.X_OK):
            raise RuntimeError(f"kelpd binary not found: {self.binary} (set $KELPD)")
        first_start = not os.path.exists(self.data)
        args = [self.binary, "--data", self.data, "--listen", "127.0.0.1:0",
                "--dns-suffix", "localhost", "--access-log", self.access_log] + self.extra_args
        out = open(self.stdout_log, "ab")
        err = open(self.stderr_log, "ab")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=err,
                                     stdin=subprocess.DEVNULL)
        err.close()
        fd = self.proc.stdout.fileno()
        buf = b""
        deadline = time.monotonic() + timeout
        port = ak = sk = None
        listen_seen_at = None
        while True:
            if port and (ak and sk or not first_start):
                break
            # On a restart the keys are not printed; on first start give them 2 s after listening.
            if port and listen_seen_at and time.monotonic() - listen_seen_at > 2 and not first_start:
                break
            now = time.monotonic()
            if now > deadline:
                self._kill()
                raise RuntimeError(f"kelpd did not report port/keys in {timeout}s; stdout so far:\n"
                                   f"{buf.decode(errors='replace')}\n{self._tail(self.stderr_log)}")
            r, _, _ = select.select([fd], [], [], min(0.2, deadline - now))
            if not r:
                if self.proc.poll() is not None:
                    break
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            out.write(chunk)
            out.flush()
            buf += chunk
            m = self.LISTEN_RE.search(buf)
            if m and not port:
                port = int(m.group(1))
                listen_seen_at = time.monotonic()
            m = re.search(rb"AccessKey:\s*(\S+)", buf)
            if m:
                ak = m.group(1).decode()
            m = re.search(rb"SecretKey:\s*(\S+)", buf)
            if m:
                sk = m.group(1).decode()
        if not port or (first_start and not (ak and sk)):
            rc = self.proc.poll()
            self._kill()
            raise RuntimeError(f"kelpd failed to start (rc={rc}); stdout:\n"
                               f"{buf.decode(errors='replace')}\nstderr:\n"
                               f"{self._tail(self.stderr_log)}")
        self.port = port
        if ak:
            self.access_key, self.secret_key = ak, sk
        # Keep draining stdout so kelpd never blocks on a full pipe.
        self._drain = threading.Thread(target=self._drain_stdout, args=(out,), daemon=True)
        self._drain.start()
        return self

    def _drain_stdout(self, out):
        try:
            for chunk in iter(lambda: os.read(self.proc.stdout.fileno(), 65536), b""):
                out.write(chunk)
                out.flush()
        except OSError:
            pass
        finally:
            out.close()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=15):
        """SIGTERM by PID, then SIGKILL after `timeout`. Returns the exit code."""
        if self.proc is None:
            return None
        rc = self.proc.poll()
        if rc is not None:
            self.problems.append(f"kelpd (pid {self.proc.pid}) had already exited with rc={rc}")
        else:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.problems.append(f"kelpd (pid {self.proc.pid}) ignored SIGTERM for {timeout}s")
                rc = self._kill()
            if rc not in (0, -signal.SIGTERM):
                self.problems.append(f"kelpd exited with rc={rc} after SIGTERM")
        if self._drain:
            self._drain.join(5)
        self.proc = None
        return rc

    def _kill(self):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        return self.proc.wait() if self.proc else None

    def restart(self):
        self.stop()
        return self.start()

    def cleanup(self):
        """Stops kelpd; keeps logs when something failed, else removes the temp dir."""
        self.stop()
        if self.failed or self.problems:
            dest = os.path.join(LOGDIR, f"{self.name}-{int(time.time())}")
            os.makedirs(dest, exist_ok=True)
            for p in (self.stdout_log, self.stderr_log, self.access_log, self.admin_log,
                      self.client_log):
                if os.path.exists(p):
                    shutil.copy(p, dest)
            sys.stderr.write(f"\n=== kelpd [{self.name}] problems: {self.problems or 'test failures'}"
                             f"; logs kept in {dest} ===\n")
            for p in (self.stderr_log, self.access_log, self.admin_log):
                sys.stderr.write(f"--- tail of {os.path.basename(p)} ---\n{self._tail(p)}\n")
        shutil.rmtree(self.tmp, ignore_errors=True)

    @staticmethod
    def _tail(path, n=40):
        try:
            with open(path, "rb") as f:
                return b"".join(f.readlines()[-n:]).decode(errors="replace")
        except OSError:
            return "(none)"

    # -- properties --
    @property
    def host(self):
        return f"127.0.0.1:{self.port}"

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    # -- kelp-admin --
    def admin(self, *args, check=True, timeout=60):
        """Runs `kelp-admin --data DIR args...`; returns CompletedProcess (text)."""
        if not os.access(self.admin_binary, os.X_OK):
            raise RuntimeError(f"kelp-admin binary not found: {self.admin_binary} (set $KELP_ADMIN)")
        cmd = [self.admin_binary, "--data", self.data] + list(args)
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        with open(self.admin_log, "a") as log:
            log.write(f"$ {' '.join(cmd)}\n[rc={p.returncode}]\n{p.stdout}{p.stderr}\n")
        if check and p.returncode != 0:
            raise AssertionError(f"kelp-admin {' '.join(args)} failed rc={p.returncode}:\n"
                                 f"{p.stdout}\n{p.stderr}")
        return p

    def admin_json(self, *args, **kw):
        p = self.admin(*args, **kw)
        try:
            return json.loads(p.stdout)
        except json.JSONDecodeError as e:
            raise AssertionError(f"kelp-admin {' '.join(args)} printed no JSON ({e}):\n{p.stdout}")

    def create_user(self, uid, display_name=None, email=None):
        """Creates a user with kelp-admin; returns (access_key, secret_key)."""
        args = ["user", "create", f"--uid={uid}", f"--display-name={display_name or uid}"]
        if email:
            args.append(f"--email={email}")
        info = self.admin_json(*args)
        key = next(k for k in info["keys"] if k["user"] == uid)
        return key["access_key"], key["secret_key"]

    def owner_id(self, creds="admin"):
        """The canonical user id (uid) of `creds`, from ListBuckets' Owner/ID."""
        st, _, body = self.request("GET", "/", creds=creds)
        if st != 200:
            raise AssertionError(f"ListBuckets failed: {st} {body[:300]!r}")
        return ET.fromstring(body).findtext(f"{S3_NS}Owner/{S3_NS}ID")

    # -- raw HTTP --
    def request(self, method, path, query=(), headers=None, body=b"", creds="admin",
                host=None, payload_hash=None, timeout=60):
        """One signed (creds=(ak, sk) or 'admin') or anonymous (creds=None) request.
        `path` is the decoded path; `query` a list of (name, value) decoded pairs.
        Returns (status, headers dict lower-case, body bytes)."""
        headers = {k.lower(): v for k, v in (headers or {}).items()}
        headers.setdefault("host", host or self.host)
        if isinstance(body, str):
            body = body.encode()
        if body or method in ("PUT", "POST"):
            headers.setdefault("content-length", str(len(body)))
        if creds is not None:
            ak, sk = (self.access_key, self.secret_key) if creds == "admin" else creds
            ph = payload_hash or hashlib.sha256(body).hexdigest()
            sign_v4(method, path, query, headers, ph, ak, sk)
        url = uri_encode(path, encode_slash=False)
        if query:
            url += "?" + "&".join(uri_encode(k) + ("=" + uri_encode(v) if v != "" else "")
                                  for k, v in query)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.putrequest(method, url, skip_host=True, skip_accept_encoding=True)
            for k, v in headers.items():
                conn.putheader(k, v)
            conn.endheaders()
            if body:
                conn.send(body)
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        finally:
            conn.close()


def run_cli(args, env=None, timeout=600, check=True, log=None):
    """Runs a client CLI; returns CompletedProcess (text). Appends the command and
    its output to `log` (a path) when given."""
    p = subprocess.run(args, capture_output=True, text=True, errors="replace", timeout=timeout,
                       env=env, stdin=subprocess.DEVNULL)
    if log:
        with open(log, "a") as f:
            f.write(f"$ {' '.join(args)}\n[rc={p.returncode}]\n{p.stdout[-4000:]}{p.stderr[-4000:]}\n")
    if check and p.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed rc={p.returncode}:\n{p.stdout[-3000:]}\n"
                             f"{p.stderr[-3000:]}")
    return p


def clean_env(**extra):
    """os.environ without AWS_* / RCLONE_* / S3CMD variables, plus `extra`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "RCLONE_", "S3CMD"))}
    env.update(extra)
    return env


def put_many(kelpd, bucket, keys, threads=8, body_of=lambda k: k.encode("utf-8")):
    """PUTs every key (body = the key's UTF-8 bytes) with raw signed requests."""
    import concurrent.futures

    def put(key):
        st, _, body = kelpd.request("PUT", f"/{bucket}/{key}", body=body_of(key))
        if st != 200:
            raise AssertionError(f"PUT {key}: {st} {body[:200]!r}")
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(put, keys))


def listing_keys(n_deep=1000, n_top=60):
    """The 1,000+ key set the listing tests use (sorted by UTF-8 bytes like S3)."""
    keys = [f"dir{i % 7}/sub{i % 3}/key{i:04d}" for i in range(n_deep)]
    keys += [f"top{i:03d}" for i in range(n_top)]
    return sorted(set(keys), key=lambda k: k.encode("utf-8"))


def part_md5s(path, part_size):
    """md5 hex of each `part_size` slice of the file (multipart ETag input)."""
    out = []
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(part_size), b""):
            out.append(hashlib.md5(chunk).hexdigest())
    return out


class ModuleServer:
    """One kelpd (plus a second user 'tester2') shared by all tests of a module."""

    def __init__(self, name, second_user=True):
        self.name = name
        self.second_user = second_user
        self.k = None
        self.user2 = None  # (ak, sk)

    def setup(self):
        self.k = Kelpd(self.name).start()
        if self.second_user:
            self.user2 = self.k.create_user("tester2", "Second Tester", "tester2@example.com")

    def teardown(self):
        if self.k:
            self.k.cleanup()

    def __getattr__(self, item):  # delegate to the Kelpd
        if item in ("k", "name", "second_user", "user2"):
            raise AttributeError(item)
        return getattr(self.k, item)


class KelpTestCase(unittest.TestCase):
    """Marks the module's server as failed when a test fails, so logs are kept,
    and checks after each test that kelpd is still running."""

    server = None  # a ModuleServer

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="t-", dir=self.server.work)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)
        result = getattr(self._outcome, "result", None)
        if result is not None:
            bad = [t for t, _ in list(result.errors) + list(result.failures) if t is self]
            if bad:
                self.server.k.failed = True
        if not self.server.alive():
            self.server.k.failed = True
            self.fail(f"kelpd died during {self.id()} (rc={self.server.k.proc.poll()})")

    def assertS3Error(self, resp, status, code):
        """resp: (status, headers, body) from Kelpd.request."""
        st, _, body = resp
        err = parse_error(body)
        self.assertEqual((st, err.get("Code")), (status, code),
                         f"expected {status} {code}, got {st}: {body[:500]!r}")
        return err


_counter = [0]
_counter_lock = threading.Lock()


def unique(prefix="b"):
    """A bucket name unique within this process (valid S3 name)."""
    with _counter_lock:
        _counter[0] += 1
        return f"{prefix}-{os.getpid()}-{_counter[0]}-{os.urandom(2).hex()}"
