"""Fixtures: a fresh embedded store per test in pytest's tmp_path, with users
alice and bob."""

import os
import sys

import pytest

import kelp

SOURCE_DIR = os.environ.get(
    "KELP_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


@pytest.fixture
def store(tmp_path):
    with kelp.open(tmp_path / "store") as s:
        yield s


@pytest.fixture
def alice(store):
    store.admin.create_user("alice", "Alice")
    return store.as_user("alice")


@pytest.fixture
def bob(store):
    store.admin.create_user("bob", "Bob")
    return store.as_user("bob")


def pattern(n: int, seed: int = 1) -> bytes:
    """n deterministic, non-repeating-looking bytes."""
    block = bytes((i * 131 + seed * 7 + (i >> 8)) & 0xFF for i in range(65536))
    reps, rest = divmod(n, len(block))
    return block * reps + block[:rest]


sys.modules.setdefault("kelp_test_util", sys.modules[__name__])
