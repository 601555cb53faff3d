"""The examples in examples/python run against a real store."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

import kelp
from conftest import SOURCE_DIR, pattern

EXAMPLES = os.path.join(SOURCE_DIR, "examples", "python")
MiB = 1 << 20


@pytest.fixture
def populated(tmp_path):
    data_dir = tmp_path / "store"
    with kelp.open(data_dir) as store:
        store.admin.create_user("alice", "Alice")
        store.admin.create_user("bob", "Bob")
        a, b = store.as_user("alice"), store.as_user("bob")
        a.create_bucket("photos")
        a.put_object("photos", "big.raw", pattern(3 * MiB), content_type="image/x-raw")
        a.put_object("photos", "dir/small.txt", b"hello", content_type="text/plain")
        a.put_object("photos", "dir/sub/medium.bin", pattern(MiB + 5))
        b.create_bucket("bobs")
        b.put_object("bobs", "huge.iso", pattern(2 * MiB))
        time.sleep(1.5)
        b.put_object("bobs", "fresh.iso", pattern(2 * MiB + 1))
    return data_dir


def run_find(*args):
    out = subprocess.run([sys.executable, os.path.join(EXAMPLES, "find_large_objects.py"), *args],
                         capture_output=True, text=True, env=os.environ, timeout=120)
    return out


def test_find_large_objects(populated):
    out = run_find("--data", str(populated), "--min-size", "1M", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [(r["bucket"], r["key"], r["size"], r["owner"]) for r in rows] == [
        ("bobs", "fresh.iso", 2 * MiB + 1, "bob"), ("bobs", "huge.iso", 2 * MiB, "bob"),
        ("photos", "big.raw", 3 * MiB, "alice"), ("photos", "dir/sub/medium.bin", MiB + 5, "alice")]
    # Older than one second: the object written last is too fresh.
    out = run_find("--data", str(populated), "--bucket", "bobs", "--older-than", str(1 / 86400),
                   "--json")
    assert [r["key"] for r in json.loads(out.stdout)] == ["huge.iso"]
    # Table form.
    out = run_find("--data", str(populated), "--min-size", "2.5M")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split()[:3] == ["BUCKET", "KEY", "SIZE"]
    assert "big.raw" in lines[1] and "3.0 MiB" in lines[1]
    assert lines[-1] == "1 object(s), 3.0 MiB"
    # Errors are one line, non-zero exit.
    out = run_find("--data", str(populated), "--bucket", "nope", "--min-size", "1")
    assert out.returncode == 1 and "NoSuchBucket" in out.stderr


def test_browse(populated):
    proc = subprocess.Popen([sys.executable, os.path.join(EXAMPLES, "browse.py"), "--data",
                             str(populated), "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=os.environ)
    try:
        line = proc.stdout.readline()
        assert line.startswith("browse: serving on http://127.0.0.1:"), proc.stderr.read()
        base = line.split()[-1]

        def get(path):
            with urllib.request.urlopen(base + path.lstrip("/"), timeout=30) as r:
                return r.status, r.headers, r.read()

        status, _, body = get("/")
        assert status == 200 and b"/b/photos/" in body and b"/b/bobs/" in body
        _, _, body = get("/b/photos/")
        assert b"prefix=dir/" in body and b"/o/photos/big.raw" in body
        assert b"small.txt" not in body  # rolled up under dir/
        _, _, body = get("/b/photos/?prefix=dir/")
        assert b"/o/photos/dir/small.txt" in body and b"prefix=dir/sub/" in body
        status, headers, body = get("/o/photos/big.raw")
        assert status == 200 and body == pattern(3 * MiB)
        assert headers["Content-Type"] == "image/x-raw"
        assert headers["Content-Length"] == str(3 * MiB)
        with pytest.raises(urllib.error.HTTPError) as e:
            get("/o/photos/missing")
        assert e.value.code == 404
    finally:
        proc.terminate()
        proc.wait(timeout=30)
