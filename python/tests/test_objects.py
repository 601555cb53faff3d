"""Bucket and object round trips through the module, as a user would check them."""

import datetime as dt
import hashlib
import io

import pytest

import kelp
from conftest import pattern

MiB = 1 << 20


def test_bucket_lifecycle(alice, bob):
    assert alice.list_buckets() == []
    alice.create_bucket("bkt1")
    alice.create_bucket("bkt2")
    names = [b.name for b in alice.list_buckets()]
    assert names == ["bkt1", "bkt2"]
    created = alice.list_buckets()[0].creation_date
    assert abs(dt.datetime.now(dt.timezone.utc) - created) < dt.timedelta(minutes=5)
    alice.create_bucket("bkt1")  # radosgw: re-creating one's own bucket succeeds
    with pytest.raises(kelp.BucketAlreadyExists) as e:
        bob.create_bucket("bkt1")
    assert e.value.status == 409
    alice.put_object("bkt1", "k", b"x")
    with pytest.raises(kelp.Error) as e:
        alice.delete_bucket("bkt1")
    assert e.value.code == "BucketNotEmpty"
    alice.delete_object("bkt1", "k")
    alice.delete_bucket("bkt1")
    assert [b.name for b in alice.list_buckets()] == ["bkt2"]
    assert alice.bucket_exists("bkt2") and not alice.bucket_exists("bkt1")


@pytest.mark.parametrize("size", [0, 1, 5 * MiB, 9 * MiB])
def test_put_get_sizes(alice, size):
    alice.create_bucket("bkt")
    data = pattern(size, seed=size % 251)
    res = alice.put_object("bkt", "obj", data, content_type="application/x-test",
                           metadata={"color": "blue"})
    assert res.etag == hashlib.md5(data).hexdigest()
    assert alice.get_object("bkt", "obj") == data
    info = alice.head_object("bkt", "obj")
    assert info.size == size
    assert info.etag == res.etag
    assert info.content_type == "application/x-test"
    assert info.metadata == {"color": "blue"}
    assert info.owner == "alice"
    assert isinstance(info.mtime, dt.datetime) and info.mtime.tzinfo is not None


def test_ranges_across_stripes(alice):
    alice.create_bucket("bkt")
    data = pattern(9 * MiB, seed=3)
    alice.put_object("bkt", "big", data)
    four = 4 * MiB
    for first, last in [(0, 0), (10, 19), (four - 5, four + 5), (2 * four - 1, 2 * four),
                        (len(data) - 1, len(data) - 1)]:
        assert alice.get_object("bkt", "big", range=(first, last)) == data[first:last + 1]
    assert alice.get_object("bkt", "big", range=(len(data) - 100, None)) == data[-100:]
    assert alice.get_object("bkt", "big", range=(None, 1000)) == data[-1000:]
    with alice.open_object("bkt", "big", range=(four, four + 9)) as f:
        assert f.range == (four, four + 9)
        assert f.content_length == 10
        assert f.info.size == len(data)
    with pytest.raises(kelp.InvalidRange) as e:
        alice.get_object("bkt", "big", range=(len(data) + 10, None))
    assert e.value.status == 416


def test_file_like_reads(alice):
    alice.create_bucket("bkt")
    data = pattern(6 * MiB + 123, seed=9)
    alice.put_object("bkt", "k", data)
    with alice.open_object("bkt", "k") as f:
        assert isinstance(f, io.RawIOBase) and f.readable() and not f.seekable()
        assert f.read(10) == data[:10]
        buf = bytearray(100)
        assert f.readinto(buf) == 100
        assert bytes(buf) == data[10:110]
        rest = f.read()
        assert rest == data[110:]
        assert f.read(5) == b""
    assert f.closed
    with pytest.raises(ValueError):
        f.read(1)
    with alice.open_object("bkt", "k") as f:
        chunks = list(f)
        assert b"".join(chunks) == data
        assert len(chunks) > 1 and all(len(c) <= 4 * MiB for c in chunks)
    # Works under io.BufferedReader / TextIOWrapper.
    alice.put_object("bkt", "text", b"line one\nline two\n")
    with io.TextIOWrapper(io.BufferedReader(alice.open_object("bkt", "text")),
                          encoding="utf-8") as t:
        assert t.readlines() == ["line one\n", "line two\n"]


def test_put_from_file_and_iterable_and_transfer_files(alice, tmp_path):
    alice.create_bucket("bkt")
    data = pattern(5 * MiB + 7, seed=5)
    src = tmp_path / "src.bin"
    src.write_bytes(data)
    with open(src, "rb") as f:
        alice.put_object("bkt", "from-file", f, chunk_size=MiB)
    assert alice.get_object("bkt", "from-file") == data
    alice.put_object("bkt", "from-iter", (data[i:i + 300_000] for i in range(0, len(data), 300_000)))
    assert alice.get_object("bkt", "from-iter") == data
    alice.put_object("bkt", "from-bytesio", io.BytesIO(data))
    assert alice.head_object("bkt", "from-bytesio").size == len(data)
    alice.upload_file("bkt", "uploaded", src, content_type="application/octet-stream")
    dst = tmp_path / "dst.bin"
    assert alice.download_file("bkt", "uploaded", dst) == len(data)
    assert dst.read_bytes() == data
    with pytest.raises(TypeError):
        alice.put_object("bkt", "s", "a str is not data")


def test_failed_stream_leaves_nothing(alice):
    alice.create_bucket("bkt")

    def gen():
        yield b"a" * 1000
        raise RuntimeError("source broke")

    with pytest.raises(RuntimeError):
        alice.put_object("bkt", "k", gen())
    assert not alice.object_exists("bkt", "k")
    with pytest.raises(kelp.IncompleteBody):
        alice.put_object("bkt", "k", iter([b"abc"]), content_length=10)
    assert not alice.object_exists("bkt", "k")


def test_overwrite_copy_delete(alice):
    alice.create_bucket("bkt")
    alice.put_object("bkt", "k", b"one", metadata={"v": "1"})
    alice.put_object("bkt", "k", b"two!", metadata={"v": "2"})
    assert alice.get_object("bkt", "k") == b"two!"
    assert alice.head_object("bkt", "k").metadata == {"v": "2"}
    r = alice.copy_object("bkt", "k", "bkt", "copy")
    assert r.etag == hashlib.md5(b"two!").hexdigest()
    assert alice.head_object("bkt", "copy").metadata == {"v": "2"}
    alice.copy_object("bkt", "k", "bkt", "copy2", metadata={"v": "3"}, content_type="text/plain")
    info = alice.head_object("bkt", "copy2")
    assert info.metadata == {"v": "3"} and info.content_type == "text/plain"
    res = alice.delete_objects("bkt", ["k", "copy", "never-existed"])
    assert [d.key for d in res] == ["k", "copy", "never-existed"]
    assert all(d.error is None for d in res)
    assert [o.key for o in alice.list_objects("bkt")] == ["copy2"]


def test_conditional_reads(alice):
    alice.create_bucket("bkt")
    etag = alice.put_object("bkt", "k", b"data").etag
    with alice.open_object("bkt", "k", if_match=etag) as f:
        assert f.read() == b"data"
    with pytest.raises(kelp.PreconditionFailed):
        alice.open_object("bkt", "k", if_match="0" * 32)
    with pytest.raises(kelp.NotModified) as e:
        alice.open_object("bkt", "k", if_none_match=etag)
    assert e.value.status == 304


def test_tagging(alice):
    alice.create_bucket("bkt")
    alice.put_object("bkt", "k", b"x", tags={"env": "prod", "team": "a b"})
    assert alice.get_object_tagging("bkt", "k") == {"env": "prod", "team": "a b"}
    assert alice.head_object("bkt", "k").tag_count == 2
    alice.put_object_tagging("bkt", "k", {"x": "1"})
    assert alice.get_object_tagging("bkt", "k") == {"x": "1"}
    alice.delete_object_tagging("bkt", "k")
    assert alice.get_object_tagging("bkt", "k") == {}
    alice.put_bucket_tagging("bkt", {"owner": "alice"})
    assert alice.get_bucket_tagging("bkt") == {"owner": "alice"}
    alice.delete_bucket_tagging("bkt")
    with pytest.raises(kelp.NoSuchTagSet) as e:
        alice.get_bucket_tagging("bkt")
    assert e.value.code == "NoSuchTagSet"


def test_closed_store(tmp_path):
    s = kelp.open(tmp_path / "s")
    s.admin.create_user("u", "U")
    gw = s.as_user("u")
    gw.create_bucket("bkt")
    gw.put_object("bkt", "k", pattern(5 * MiB))
    f = gw.open_object("bkt", "k")
    assert f.read(3) == pattern(3)
    s.close()
    assert s.closed
    with pytest.raises(ValueError):
        gw.list_buckets()
    with pytest.raises(ValueError):
        f.read()  # the stream was ended by close
    # The directory is free again: a second open sees the data.
    with kelp.open(tmp_path / "s") as s2:
        assert s2.as_user("u").get_object("bkt", "k", range=(0, 2)) == pattern(3)


def test_store_held_by_another_opener(tmp_path):
    # The embedded store is held by one opener at a time; with nobody serving
    # the store socket a second open is ServiceUnavailable (kBusy).
    with kelp.open(tmp_path / "s"):
        with pytest.raises(kelp.ServiceUnavailable) as e:
            kelp.open(tmp_path / "s")
        assert e.value.status == 503
    with pytest.raises(ValueError):
        kelp.open()
