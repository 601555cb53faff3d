#!/usr/bin/python3
"""Small librados-based helper for tests/ceph/cluster.sh (one process instead of
many `ceph` CLI runs, which cost ~0.5 s each).

  cephctl.py ports N                         print N free TCP ports on 127.0.0.1
  cephctl.py prep CONF DIR NOSDS [PIDS]            mgr.x key -> DIR/mgr.x/keyring; NOSDS new OSDs
                                             (`osd new` + DIR/osd.ID/keyring); prints
                                             "ID UUID" per OSD
  cephctl.py pools CONF APP NAME...         creates the pools (concurrently) for application APP
  cephctl.py rgw-key CONF NAME FILE          get-or-create NAME's key (rgw caps) into FILE
  cephctl.py up-from CONF ID                 the epoch osd.ID last booted in (0: down)
  cephctl.py wait CONF NOSDS TIMEOUT PIDS [osd.ID>EPOCH]
                                             waits until the mgr is available, NOSDS OSDs are
                                             up+in and every PG of every pool is active+clean;
                                             PIDS = "name=pid,..." are watched: exit 3 naming a
                                             daemon that died, exit 2 on timeout; with
                                             osd.ID>EPOCH also until osd.ID booted after EPOCH
                                             and every PG re-peered since
  cephctl.py health CONF                     prints the health status and its checks (one line)

Runs under /usr/bin/python3 (Debian's python3-rados).
"""

import json
import os
import socket
import sys
import time


def free_ports(n):
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


def connect(conf, timeout=30, pids=None):
    """A connected rados.Rados as client.admin; tries again (the mon may still be starting)
    until `timeout`, and gives up at once when a watched daemon died."""
    import rados  # only the subcommands that talk to the cluster need it
    deadline = time.monotonic() + timeout
    while True:
        c = rados.Rados(conffile=conf, name="client.admin",
                        conf={"client_mount_timeout": "3", "rados_mon_op_timeout": "20"})
        try:
            c.connect(timeout=3)
            return c
        except Exception as e:
            who = dead(pids or {})
            if who:
                raise SystemExit(f"cephctl: {who} (pid {pids[who]}) died")
            if time.monotonic() > deadline:
                raise SystemExit(f"cephctl: cannot reach the mon: {e}")
            time.sleep(0.2)


def mon(c, prefix, inbuf=b"", **args):
    cmd = dict(args, prefix=prefix, format="json")
    ret, out, err = c.mon_command(json.dumps(cmd), inbuf, timeout=20)
    if ret != 0:
        raise RuntimeError(f"mon command {prefix} failed ({ret}): {err}")
    return json.loads(out) if out.strip() else None


def mgr(c, prefix, **args):
    cmd = dict(args, prefix=prefix, format="json")
    ret, out, err = c.mgr_command(json.dumps(cmd), b"", timeout=10)
    if ret != 0:
        raise RuntimeError(f"mgr command {prefix} failed ({ret}): {err}")
    return json.loads(out) if out.strip() else None


def write_keyring(path, name, key):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(f"[{name}]\n\tkey = {key}\n")


def get_or_create(c, name, caps):
    r = mon(c, "auth get-or-create", entity=name, caps=caps)
    return r[0]["key"]


def gen_secret():
    """A fresh cephx secret, as `ceph-authtool --gen-print-key` prints it:
    base64(u16 type=1 AES, utime_t created, u16 len=16, 16 random bytes)."""
    import base64
    import struct
    now = time.time()
    raw = struct.pack("<HIIH", 1, int(now), int((now % 1) * 1e9), 16) + os.urandom(16)
    return base64.b64encode(raw).decode()


def cmd_prep(conf, d, nosds, pids):
    import uuid
    c = connect(conf, pids=parse_pids(pids))
    key = get_or_create(c, "mgr.x", ["mon", "allow profile mgr", "osd", "allow *",
                                     "mds", "allow *"])
    write_keyring(os.path.join(d, "mgr.x", "keyring"), "mgr.x", key)
    for _ in range(nosds):
        u = str(uuid.uuid4())
        secret = gen_secret()
        ret, out, err = c.mon_command(json.dumps({"prefix": "osd new", "uuid": u,
                                                  "format": "json"}),
                                      json.dumps({"cephx_secret": secret}).encode(), timeout=20)
        if ret != 0:
            raise SystemExit(f"cephctl: osd new failed ({ret}): {err}")
        osd_id = json.loads(out)["osdid"]
        write_keyring(os.path.join(d, f"osd.{osd_id}", "keyring"), f"osd.{osd_id}", secret)
        print(osd_id, u)
    c.shutdown()


def cmd_rgw_key(conf, name, path):
    c = connect(conf)
    key = get_or_create(c, name, ["mon", "allow rw", "osd", "allow rwx", "mgr", "allow rw"])
    write_keyring(path, name, key)
    c.shutdown()


def cmd_pools(conf, app, names):
    """Creates the pools concurrently (the mon batches the proposals: ~1 s for all instead of
    ~1.5 s each as radosgw creating them one by one), tagged with application `app`."""
    import threading
    c = connect(conf)
    errors = []

    def one(name):
        try:
            mon(c, "osd pool create", pool=name)
            mon(c, "osd pool application enable", pool=name, app=app)
        except Exception as e:
            errors.append(f"{name}: {e}")
    threads = [threading.Thread(target=one, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    c.shutdown()
    if errors:
        raise SystemExit("cephctl: pool creation failed: " + "; ".join(errors))


def parse_pids(s):
    out = {}
    for item in filter(None, s.split(",")):
        name, pid = item.split("=")
        out[name] = int(pid)
    return out


def dead(pids):
    for name, pid in pids.items():
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split(")")[-1].split()[0] == "Z":
                    return name
        except OSError:
            return name
    return None


def osd_up_from(c, osd_id):
    """The osdmap epoch osd.ID last booted in (0 when it is not up)."""
    for o in mon(c, "osd dump")["osds"]:
        if o["osd"] == osd_id:
            return o["up_from"] if o["up"] else 0
    return 0


def rebooted(c, osd_id, old_up_from):
    """(ok, description): osd.ID booted again after epoch old_up_from and the mgr's stats of
    every PG come from an interval that began at or after that boot (a digest taken before the
    kill would still say active+clean)."""
    up_from = osd_up_from(c, osd_id)
    if up_from <= old_up_from:
        return False, f"osd.{osd_id} not booted again yet (up_from {up_from})"
    pgs = mgr(c, "pg ls")
    pgs = pgs.get("pg_stats", []) if isinstance(pgs, dict) else pgs
    old = [p["pgid"] for p in pgs if p.get("mapping_epoch", 0) < up_from]
    if old:
        return False, f"osd.{osd_id} up since e{up_from}; {len(old)} PGs not re-peered yet"
    return True, ""


def state(c, nosds):
    """Returns (ok, description)."""
    s = mon(c, "status")
    mgr_up = s["mgrmap"].get("available", False)
    o = s["osdmap"]
    o = o.get("osdmap", o)
    d = mon(c, "osd dump")
    want = sum(p["pg_num"] for p in d["pools"])
    clean, total, states = 0, 0, {}
    if mgr_up:
        try:
            # `pg stat` is answered by the running mgr (status may carry a stale digest)
            pg = mgr(c, "pg stat")
            pg = pg.get("pg_summary", pg)
            total = pg.get("num_pgs", 0)
            for x in pg.get("num_pg_by_state", []):
                states[x["name"]] = x["num"]
            clean = states.get("active+clean", 0)
        except Exception as e:
            return False, f"pg stat: {e}"
    ok = (mgr_up and o["num_up_osds"] == nosds and o["num_in_osds"] == nosds
          and clean == want == total)
    desc = (f"health={s['health']['status']} mgr={'up' if mgr_up else 'down'} "
            f"osds up/in={o['num_up_osds']}/{o['num_in_osds']} of {nosds} "
            f"pgs={states or total} of {want}")
    return ok, desc


def cmd_wait(conf, nosds, timeout, pids, reboot=None):
    t0 = time.monotonic()
    pids = parse_pids(pids)
    c = connect(conf, timeout=max(5, int(timeout)), pids=pids)
    desc = ""
    while True:
        who = dead(pids)
        if who:
            print(f"cephctl: {who} (pid {pids[who]}) died", file=sys.stderr)
            sys.exit(3)
        try:
            ok, desc = rebooted(c, *reboot) if reboot else (True, "")
            if ok:
                ok, desc = state(c, nosds)
        except Exception as e:
            ok, desc = False, str(e)
        if ok:
            print(f"cephctl: {desc} after {time.monotonic() - t0:.1f}s", file=sys.stderr)
            c.shutdown()
            return
        if time.monotonic() - t0 > timeout:
            print(f"cephctl: not ready after {timeout}s: {desc}", file=sys.stderr)
            sys.exit(2)
        time.sleep(0.25)


def cmd_health(conf):
    c = connect(conf)
    h = mon(c, "health")
    checks = "; ".join(f"{k}: {v['summary']['message']}" for k, v in h.get("checks", {}).items())
    print(h["status"] + (f" ({checks})" if checks else ""))
    c.shutdown()


def main(argv):
    if not argv:
        raise SystemExit(__doc__)
    cmd, args = argv[0], argv[1:]
    if cmd == "ports":
        print(" ".join(map(str, free_ports(int(args[0])))))
    elif cmd == "prep":
        cmd_prep(args[0], args[1], int(args[2]), args[3] if len(args) > 3 else "")
    elif cmd == "pools":
        cmd_pools(args[0], args[1], args[2:])
    elif cmd == "rgw-key":
        cmd_rgw_key(*args)
    elif cmd == "wait":
        reboot = None
        if len(args) > 4:  # osd.ID>EPOCH
            name, epoch = args[4].split(">")
            reboot = (int(name.split(".")[1]), int(epoch))
        cmd_wait(args[0], int(args[1]), float(args[2]), args[3] if len(args) > 3 else "", reboot)
    elif cmd == "up-from":
        c = connect(args[0])
        print(osd_up_from(c, int(args[1])))
        c.shutdown()
    elif cmd == "health":
        cmd_health(args[0])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
