"""The module and kelpd on one store directory: the module reaches the store
through kelpd's store socket, and each sees the other's writes at once."""

import os
import subprocess

import pytest

import kelp
from conftest import pattern

KELPD = os.environ.get("KELPD") or os.path.join(os.environ.get("KELP_BUILD_DIR", ""), "src",
                                                "kelpd", "kelpd")
pytestmark = pytest.mark.skipif(not os.access(KELPD, os.X_OK),
                                reason=f"kelpd not built ({KELPD}); set KELPD or KELP_BUILD_DIR")
MiB = 1 << 20


@pytest.fixture
def kelpd(tmp_path):
    data_dir = tmp_path / "data"
    proc = subprocess.Popen([KELPD, "--data", str(data_dir), "--listen", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    info = {}
    try:
        while len(info) < 3:
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            if line.startswith("kelpd: listening on "):
                info["url"] = line.split()[-1]
            elif line.startswith("AccessKey: "):
                info["ak"] = line.split()[-1]
            elif line.startswith("SecretKey: "):
                info["sk"] = line.split()[-1]
        yield data_dir, info
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def s3_client(info):
    boto3 = pytest.importorskip("boto3")
    import botocore.config
    return boto3.client("s3", endpoint_url=info["url"], aws_access_key_id=info["ak"],
                        aws_secret_access_key=info["sk"], region_name="us-east-1",
                        config=botocore.config.Config(s3={"addressing_style": "path"},
                                                      retries={"max_attempts": 1}))


def test_module_and_kelpd_share_a_store(kelpd):
    data_dir, info = kelpd
    s3 = s3_client(info)
    data = pattern(5 * MiB, seed=11)
    with kelp.open(data_dir) as store:  # held by kelpd: goes through its store socket
        gw = store.as_user("admin")     # the user kelpd created and printed the key of
        gw.create_bucket("shared")
        gw.put_object("shared", "from-module", data, content_type="application/x-k",
                      metadata={"origin": "python"})
        got = s3.get_object(Bucket="shared", Key="from-module")
        assert got["Body"].read() == data
        assert got["ContentType"] == "application/x-k"
        assert got["Metadata"] == {"origin": "python"}
        s3.put_object(Bucket="shared", Key="from-s3", Body=b"hello from boto3")
        assert gw.get_object("shared", "from-s3") == b"hello from boto3"
        assert [o.key for o in gw.list_objects("shared")] == ["from-module", "from-s3"]
        # A user made through the module is enforced by kelpd's ACLs and vice versa.
        store.admin.create_user("eve", "Eve")
        with pytest.raises(kelp.AccessDenied):
            store.as_user("eve").get_object("shared", "from-s3")
        gw.delete_object("shared", "from-s3")
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="shared").get("Contents", [])]
        assert keys == ["from-module"]
