"""kelp.Error carries libkelp's S3 error table (the one kelpd answers with)."""

import os
import re

import kelp
from kelp import _kelp
from conftest import SOURCE_DIR


def test_table_covers_every_code():
    table = _kelp.s3_error_table()
    status_h = open(os.path.join(SOURCE_DIR, "src/base/status.h")).read()
    codes = set(re.findall(r"^\s+k(\w+),", status_h, re.M))
    assert codes and codes == set(table), codes ^ set(table)
    assert table["NoSuchKey"][:2] == ("NoSuchKey", 404)
    assert table["NotFound"][:2] == ("NoSuchKey", 404)
    assert table["AccountProblem"][:2] == ("UserSuspended", 403)
    assert table["Corruption"][:2] == ("InternalError", 500)


def test_error_for():
    e = kelp.error_for("NotFound", "gone")
    assert isinstance(e, kelp.NoSuchKey) and e.status == 404 and e.message == "gone"
    e = kelp.error_for("Corruption")
    assert type(e) is kelp.Error and (e.code, e.status) == ("InternalError", 500)
    assert e.kelp_code == "Corruption" and e.message  # the table's default message
    assert isinstance(kelp.error_for("AccessDenied"), kelp.AccessDenied)
