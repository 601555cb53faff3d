"""Listing pagination, multipart uploads and ACL enforcement."""

import hashlib

import pytest

import kelp
from conftest import pattern

MiB = 1 << 20


def test_listing_2500_keys_with_delimiter(alice):
    alice.create_bucket("bkt")
    keys = []
    for d in range(5):
        for i in range(500):
            keys.append(f"dir{d}/file{i:04d}")
    for k in keys[:2490]:
        alice.put_object("bkt", k, b"")
    top = [f"top{i}" for i in range(10)]
    for k in top:
        alice.put_object("bkt", k, k.encode())
    # Every key, paged 1000 (and 333) at a time, in order.
    listed = [o.key for o in alice.list_objects("bkt")]
    assert listed == sorted(keys[:2490] + top)
    assert [o.key for o in alice.list_objects("bkt", page_size=333)] == listed
    # One page is at most max_keys and says where to go on.
    page = alice.list_objects_page("bkt", max_keys=1000)
    assert len(page.objects) == 1000 and page.truncated
    assert page.next_marker == page.objects[-1].key
    # Delimiter: directories roll up into CommonPrefix entries, in order.
    entries = list(alice.list_objects("bkt", delimiter="/", page_size=3))
    assert [e.prefix for e in entries if isinstance(e, kelp.CommonPrefix)] == [
        f"dir{d}/" for d in range(5)]
    assert [e.key for e in entries if isinstance(e, kelp.ObjectInfo)] == top
    # Prefix + delimiter inside one directory.
    sub = list(alice.list_objects("bkt", prefix="dir4/", delimiter="/", page_size=100))
    assert len(sub) == 490 and all(isinstance(e, kelp.ObjectInfo) for e in sub)
    assert [o.key for o in alice.list_objects("bkt", start_after="top7")] == ["top8", "top9"]
    top3 = next(o for o in alice.list_objects("bkt", prefix="top3"))
    assert top3.size == 4 and top3.etag == hashlib.md5(b"top3").hexdigest()


def test_multipart(alice):
    alice.create_bucket("bkt")
    parts_data = [pattern(5 * MiB, seed=1), pattern(5 * MiB, seed=2), pattern(123, seed=3)]
    uid = alice.create_multipart_upload("bkt", "mp", content_type="video/mp4",
                                        metadata={"src": "cam"})
    assert [u.upload_id for u in alice.list_multipart_uploads("bkt")] == [uid]
    etags = []
    etags.append(alice.upload_part("bkt", "mp", uid, 1, parts_data[0]).etag)
    # A part from an iterable of chunks.
    etags.append(alice.upload_part("bkt", "mp", uid, 2,
                                   (parts_data[1][i:i + MiB] for i in range(0, 5 * MiB, MiB))).etag)
    etags.append(alice.upload_part("bkt", "mp", uid, 3, parts_data[2]).etag)
    listed = list(alice.list_parts("bkt", "mp", uid))
    assert [(p.number, p.size, p.etag) for p in listed] == [
        (i + 1, len(d), hashlib.md5(d).hexdigest()) for i, d in enumerate(parts_data)]
    res = alice.complete_multipart_upload("bkt", "mp", uid, listed)
    md5s = b"".join(hashlib.md5(d).digest() for d in parts_data)
    assert res.etag == f"{hashlib.md5(md5s).hexdigest()}-3"
    whole = b"".join(parts_data)
    assert alice.get_object("bkt", "mp") == whole
    assert alice.get_object("bkt", "mp", range=(5 * MiB - 2, 5 * MiB + 1)) == whole[5 * MiB - 2:5 * MiB + 2]
    info = alice.head_object("bkt", "mp")
    assert info.content_type == "video/mp4" and info.metadata == {"src": "cam"}
    assert list(alice.list_multipart_uploads("bkt")) == []


def test_multipart_errors_and_abort(alice):
    alice.create_bucket("bkt")
    uid = alice.create_multipart_upload("bkt", "mp")
    e1 = alice.upload_part("bkt", "mp", uid, 1, b"small").etag
    e2 = alice.upload_part("bkt", "mp", uid, 2, b"last").etag
    with pytest.raises(kelp.EntityTooSmall):
        alice.complete_multipart_upload("bkt", "mp", uid, [(1, e1), (2, e2)])
    with pytest.raises(kelp.InvalidPart):
        alice.complete_multipart_upload("bkt", "mp", uid, [(1, "0" * 32)])
    alice.abort_multipart_upload("bkt", "mp", uid)
    with pytest.raises(kelp.NoSuchUpload):
        alice.upload_part("bkt", "mp", uid, 3, b"x")
    assert not alice.object_exists("bkt", "mp")


def test_acl_enforcement(alice, bob, store):
    alice.create_bucket("private")
    alice.put_object("private", "secret", b"s3cr3t")
    with pytest.raises(kelp.AccessDenied) as e:
        bob.get_object("private", "secret")
    assert e.value.code == "AccessDenied" and e.value.status == 403
    with pytest.raises(kelp.AccessDenied):
        list(bob.list_objects("private"))
    with pytest.raises(kelp.AccessDenied):
        bob.put_object("private", "intruder", b"x")
    with pytest.raises(kelp.AccessDenied):
        bob.delete_object("private", "secret")
    acl = alice.get_bucket_acl("private")
    assert acl.owner_id == "alice"
    assert [(g.type, g.id, g.permission) for g in acl.grants] == [
        ("CanonicalUser", "alice", "FULL_CONTROL")]
    # Granting bob READ on the bucket lets him list but still not read objects.
    alice.put_bucket_acl("private", grants={"read": 'id="bob"'})
    assert [o.key for o in bob.list_objects("private")] == ["secret"]
    with pytest.raises(kelp.AccessDenied):
        bob.get_object("private", "secret")
    alice.put_object_acl("private", "secret", acl="public-read")
    assert bob.get_object("private", "secret") == b"s3cr3t"
    groups = [g for g in alice.get_object_acl("private", "secret").grants if g.type == "Group"]
    assert [(g.uri, g.permission) for g in groups] == [
        ("http://acs.amazonaws.com/groups/global/AllUsers", "READ")]
    # public-read-write bucket: bob may write; the object is his.
    alice.create_bucket("shared", acl="public-read-write")
    bob.put_object("shared", "from-bob", b"hi")
    assert bob.head_object("shared", "from-bob").owner == "bob"
    with pytest.raises(kelp.AccessDenied):  # S3: the bucket owner needs a grant to read it
        alice.get_object("shared", "from-bob")
    # The system identity bypasses ACLs.
    sysgw = store.as_system()
    assert sysgw.is_system
    assert sysgw.get_object("private", "secret") == b"s3cr3t"


def test_users_and_errors(store):
    u = store.admin.create_user("carol", "Carol", email="carol@example.com")
    assert u["user_id"] == "carol" and u["display_name"] == "Carol"
    assert len(u["keys"]) == 1 and len(u["keys"][0]["access_key"]) == 20
    with pytest.raises(kelp.UserAlreadyExists) as e:
        store.admin.create_user("carol", "Again")
    assert e.value.status == 409
    assert "carol" in store.admin.list_users()
    assert store.admin.get_user("carol")["email"] == "carol@example.com"
    with pytest.raises(kelp.NoSuchUser):
        store.as_user("nobody")
    gw = store.as_user("carol")
    assert gw.uid == "carol"
    with pytest.raises(kelp.NoSuchBucket) as e:
        gw.put_object("missing", "k", b"")
    assert (e.value.code, e.value.status) == ("NoSuchBucket", 404)
    gw.create_bucket("bkt")
    with pytest.raises(kelp.NoSuchKey) as e:
        gw.get_object("bkt", "missing")
    assert (e.value.code, e.value.status) == ("NoSuchKey", 404)
    assert isinstance(e.value, kelp.Error) and isinstance(e.value, Exception)
    assert "NoSuchKey" in str(e.value)
    with pytest.raises(kelp.NoSuchKey):
        gw.head_object("bkt", "missing")
    with pytest.raises(kelp.InvalidBucketName):
        gw.create_bucket("Bad_Name!")
    store.admin.suspend_user("carol")
    with pytest.raises(kelp.Error) as e:
        store.as_user("carol")
    assert (e.value.code, e.value.status) == ("UserSuspended", 403)
    store.admin.suspend_user("carol", False)
    store.as_user("carol").delete_bucket("bkt")
    store.admin.remove_user("carol")
    with pytest.raises(kelp.NoSuchUser):
        store.admin.get_user("carol")
