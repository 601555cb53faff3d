#!/usr/bin/python3
"""Put/get through the kelp module vs the same through boto3 against kelpd.

One run on this machine: 4 KiB objects (ops/s) and 64 MiB objects (MiB/s),
single-threaded, then 4 threads (the module releases the GIL during I/O, so
threads overlap). kelpd is started here (binary from $KELPD, else
<build>/src/kelpd/kelpd, <build> from $KELP_BUILD_DIR or the module's path);
it prints its URL and AccessKey/SecretKey lines at startup.

The module runs twice: on its own embedded store directory, and on kelpd's
directory, which api::OpenStore reaches through kelpd's store socket (skipped,
with a note, where that is not available).

    PYTHONPATH=build-python/python /usr/bin/python3 bench/python/bench_put_get.py \\
        [--small 2000] [--large 4] [--out bench/python/results.md]
"""

import argparse
import os
import pathlib
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import boto3
import botocore.config

import kelp

KiB, MiB = 1 << 10, 1 << 20


def kelpd_binary() -> str:
    if os.environ.get("KELPD"):
        return os.environ["KELPD"]
    build = os.environ.get("KELP_BUILD_DIR") or str(pathlib.Path(kelp.__file__).parents[2])
    return os.path.join(build, "src", "kelpd", "kelpd")


class Kelpd:
    """kelpd on a free loopback port over `data_dir`; stopped by stop()."""

    def __init__(self, binary: str, data_dir: str) -> None:
        self.proc = subprocess.Popen([binary, "--data", data_dir, "--listen", "127.0.0.1:0"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = self.access_key = self.secret_key = ""
        deadline = time.time() + 60
        while not (self.url and self.access_key and self.secret_key):
            line = self.proc.stdout.readline()
            if not line or time.time() > deadline:
                self.stop()
                raise RuntimeError("kelpd did not start")
            if line.startswith("kelpd: listening on "):
                self.url = line.split()[-1]
            elif line.startswith("AccessKey: "):
                self.access_key = line.split()[-1]
            elif line.startswith("SecretKey: "):
                self.secret_key = line.split()[-1]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=60)


def timed(fn, count: int, threads: int = 1) -> float:
    """Seconds to run fn(i) for i in range(count), split over `threads`."""
    def worker(t):
        for i in range(t, count, threads):
            fn(i)
    start = time.perf_counter()
    if threads == 1:
        worker(0)
    else:
        ts = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    return time.perf_counter() - start


def drain_module(gw, bucket, key) -> int:
    n = 0
    with gw.open_object(bucket, key) as f:
        for chunk in f:
            n += len(chunk)
    return n


def drain_boto(s3, bucket, key) -> int:
    n = 0
    for chunk in s3.get_object(Bucket=bucket, Key=key)["Body"].iter_chunks(1 * MiB):
        n += len(chunk)
    return n


def main() -> int:
    p = argparse.ArgumentParser(description="kelp module vs boto3+kelpd put/get benchmark")
    p.add_argument("--small", type=int, default=2000, help="4 KiB objects per phase")
    p.add_argument("--large", type=int, default=4, help="64 MiB objects per phase")
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "results.md"))
    args = p.parse_args()

    tmp = tempfile.mkdtemp(prefix="kelp-bench-")
    kelpd_dir = os.path.join(tmp, "kelpd")
    kd = Kelpd(kelpd_binary(), kelpd_dir)
    stores = []
    try:
        # The module on its own embedded store, and (when api::OpenStore can reach a
        # store kelpd holds) on kelpd's directory through kelpd's store socket.
        variants = []  # (label, Gateway)
        own = kelp.open(os.path.join(tmp, "module"))
        stores.append(own)
        own.admin.create_user("bench", "Bench")
        variants.append(("module, own dir", own.as_user("bench")))
        try:
            shared = kelp.open(kelpd_dir)
            stores.append(shared)
            shared.admin.create_user("bench", "Bench")
            variants.append(("module, kelpd's dir via socket", shared.as_user("bench")))
        except kelp.Error as e:
            if e.code != "ServiceUnavailable":
                raise
            print(f"note: the module cannot open kelpd's directory ({e}); own dir only")
        s3 = boto3.client("s3", endpoint_url=kd.url, aws_access_key_id=kd.access_key,
                          aws_secret_access_key=kd.secret_key, region_name="us-east-1",
                          config=botocore.config.Config(
                              s3={"addressing_style": "path"}, retries={"max_attempts": 1},
                              max_pool_connections=args.threads * 2))
        for n_, (_, gw) in enumerate(variants):
            gw.create_bucket(f"bench-mod{n_}")
        s3.create_bucket(Bucket="bench-boto")

        small = os.urandom(4 * KiB)
        large = os.urandom(64 * MiB)
        rows = []  # (case, threads, count, bytes each, [(label, seconds)])

        def case(name, count, size, threads, mod_fn, boto_fn):
            results = []
            for n_, (label, gw) in enumerate(variants):
                results.append((label, timed(lambda i: mod_fn(gw, f"bench-mod{n_}", i), count,
                                             threads)))
            results.append(("boto3 + kelpd", timed(boto_fn, count, threads)))
            rows.append((name, threads, count, size, results))
            tb = results[-1][1]
            print(f"{name:<11} x{threads}: " + " | ".join(
                f"{label} {count / t:8.1f} ops/s {count * size / MiB / t:7.1f} MiB/s "
                f"({tb / t:.2f}x boto3)" for label, t in results), flush=True)

        n, m = args.small, args.large
        for threads in (1, args.threads):
            tag = f"t{threads}-"
            case("put 4 KiB", n, len(small), threads,
                 lambda gw, b, i: gw.put_object(b, f"{tag}s{i}", small),
                 lambda i: s3.put_object(Bucket="bench-boto", Key=f"{tag}s{i}", Body=small))
            case("get 4 KiB", n, len(small), threads,
                 lambda gw, b, i: gw.get_object(b, f"{tag}s{i}"),
                 lambda i: s3.get_object(Bucket="bench-boto", Key=f"{tag}s{i}")["Body"].read())
            case("put 64 MiB", m, len(large), threads,
                 lambda gw, b, i: gw.put_object(b, f"{tag}l{i}", large),
                 lambda i: s3.put_object(Bucket="bench-boto", Key=f"{tag}l{i}", Body=large))
            case("get 64 MiB", m, len(large), threads,
                 lambda gw, b, i: drain_module(gw, b, f"{tag}l{i}"),
                 lambda i: drain_boto(s3, "bench-boto", f"{tag}l{i}"))
    finally:
        for st in stores:
            st.close()
        kd.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    labels = [label for label, _ in rows[0][4]]
    lines = [
        "# kelp Python module vs boto3 + kelpd",
        "",
        f"One run, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{platform.node()} ({os.cpu_count()} cores, load avg "
        f"{os.getloadavg()[0]:.1f} at the end), Python {platform.python_version()}, "
        f"boto3 {boto3.__version__}. Module: user `bench` via Store.as_user (ACL checks as "
        f"in kelpd), on its own embedded store directory and on kelpd's directory through "
        f"kelpd's store socket (when available); boto3: kelpd's admin key, SigV4, "
        f"path-style, loopback. 64 MiB gets stream in chunks (module: ObjectStream "
        f"iteration; boto3: iter_chunks(1 MiB)). Cells: ops/s, MiB/s (speed-up over boto3).",
        "",
        "| operation | threads | " + " | ".join(labels) + " |",
        "|---|---:|" + "---:|" * len(labels),
    ]
    for name, threads, count, size, results in rows:
        tb = results[-1][1]
        cells = [f"{count / t:.1f} ops/s, {count * size / MiB / t:.1f} MiB/s"
                 + (f" ({tb / t:.2f}x)" if label != "boto3 + kelpd" else "")
                 for label, t in results]
        lines.append(f"| {name} | {threads} | " + " | ".join(cells) + " |")
    text = "\n".join(lines) + "\n"
    with open(args.out, "w") as f:
        f.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
