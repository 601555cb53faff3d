"""The stubs match the native module and everything public is documented."""

import ast
import inspect
import os

import kelp
from kelp import _kelp

STUB = os.path.join(os.path.dirname(kelp.__file__), "_kelp.pyi")


def _stub_classes():
    tree = ast.parse(open(STUB).read())
    return {node.name: {f.name for f in node.body if isinstance(f, ast.FunctionDef)}
            for node in tree.body if isinstance(node, ast.ClassDef)}


def _native_members(cls):
    return {n for n in dir(cls) if not n.startswith("_")} | (
        {"__init__"} if "__init__" in cls.__dict__ else set())


def test_stub_matches_native_module():
    stub = _stub_classes()
    native = {n: getattr(_kelp, n) for n in dir(_kelp)
              if isinstance(getattr(_kelp, n), type) and not n.startswith("_")}
    assert set(stub) == set(native)
    for name, cls in native.items():
        members = _native_members(cls)
        if "__init__" not in stub[name]:
            members.discard("__init__")
        assert stub[name] == members, (name, stub[name] ^ members)


def test_public_api_documented():
    missing = []
    for name in kelp.__all__:
        obj = getattr(kelp, name)
        if callable(obj) and not inspect.getdoc(obj):
            missing.append(name)
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if attr.startswith("_") or not (callable(member) or isinstance(member, property)):
                    continue
                if not inspect.getdoc(member):
                    missing.append(f"{name}.{attr}")
    for cls in (_kelp.Store, _kelp.Gateway, _kelp.Upload, _kelp.Download):
        for attr in _native_members(cls) - {"__init__"}:
            if not inspect.getdoc(getattr(cls, attr)):
                missing.append(f"_kelp.{cls.__name__}.{attr}")
    assert missing == []
