#!/usr/bin/python3
"""Maintenance report: objects larger than a size and/or older than an age.

Walks every bucket of a Kelp store (or one) through the kelp module, as the
system identity (no ACL checks), listing page by page, and prints a table or
JSON. Example:

    PYTHONPATH=build/python ./find_large_objects.py --data /var/lib/kelp \\
        --min-size 100M --older-than 30 --json
"""

import argparse
import datetime as dt
import json
import re
import sys

import kelp

_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def parse_size(text: str) -> int:
    """'1500', '10K', '5M', '2G' or '1.5GiB' -> bytes."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*", text, re.I)
    if not m:
        raise argparse.ArgumentTypeError(f"not a size: {text!r}")
    return int(float(m.group(1)) * _UNITS[m.group(2).upper()])


def human(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def find(store: kelp.Store, buckets, min_size: int, older_than_days, prefix: str):
    """Yields (bucket, ObjectInfo) matching every given criterion."""
    gw = store.as_system()
    cutoff = None
    if older_than_days is not None:
        cutoff = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=older_than_days)
    for bucket in buckets:
        for obj in gw.list_objects(bucket, prefix=prefix):
            if obj.size < min_size:
                continue
            if cutoff is not None and obj.mtime > cutoff:
                continue
            yield bucket, obj


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True, help="the Kelp store directory")
    p.add_argument("--bucket", help="only this bucket (default: every bucket)")
    p.add_argument("--prefix", default="", help="only keys under this prefix")
    p.add_argument("--min-size", type=parse_size, default=0,
                   help="report objects of at least this size (e.g. 500M)")
    p.add_argument("--older-than", type=float, metavar="DAYS",
                   help="report objects last modified more than DAYS days ago")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = p.parse_args(argv)
    if args.min_size == 0 and args.older_than is None:
        p.error("give --min-size and/or --older-than")

    try:
        with kelp.open(args.data) as store:
            buckets = [args.bucket] if args.bucket else store.admin.list_buckets()
            rows = [{"bucket": b, "key": o.key, "size": o.size, "owner": o.owner,
                     "last_modified": o.mtime.isoformat()}
                    for b, o in find(store, buckets, args.min_size, args.older_than, args.prefix)]
    except kelp.Error as e:
        print(f"find_large_objects: {e}", file=sys.stderr)
        return 1

    if args.json:
        json.dump(rows, sys.stdout, indent=2)
        print()
        return 0
    header = ("BUCKET", "KEY", "SIZE", "LAST MODIFIED", "OWNER")
    table = [header] + [(r["bucket"], r["key"], human(r["size"]), r["last_modified"][:19],
                         r["owner"]) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(c.ljust(w) if i != 2 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(row, widths))).rstrip())
    total = sum(r["size"] for r in rows)
    print(f"{len(rows)} object(s), {human(total)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
