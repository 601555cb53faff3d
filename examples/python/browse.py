#!/usr/bin/python3
"""A read-only web page browsing a Kelp store's buckets and objects.

    PYTHONPATH=build/python ./browse.py --data /var/lib/kelp [--uid alice] [--port 8000]

/ lists buckets, /b/BUCKET/?prefix=P lists one "directory", /o/BUCKET/KEY
streams the object (chunk by chunk, never whole in memory). Served by
http.server's threads; the kelp module releases the GIL during I/O.
"""

import argparse
import html
import shutil
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import kelp


class Handler(BaseHTTPRequestHandler):
    store: kelp.Store
    gw: kelp.Gateway

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        parts = [urllib.parse.unquote(p) for p in url.path.split("/", 3)[1:]]
        try:
            if parts[0] == "":
                self.page("Buckets", [(f"/b/{urllib.parse.quote(b)}/", b) for b in self.buckets()])
            elif parts[0] == "b" and len(parts) >= 2:
                prefix = urllib.parse.parse_qs(url.query).get("prefix", [""])[0]
                self.listing(parts[1], prefix)
            elif parts[0] == "o" and len(parts) == 3:
                self.download(parts[1], parts[2])
            else:
                self.send_error(404)
        except kelp.Error as e:
            self.send_error(e.status, e.code, e.message)

    def buckets(self):
        if self.gw.is_system:
            return self.store.admin.list_buckets()
        return [b.name for b in self.gw.list_buckets()]

    def listing(self, bucket, prefix):
        q = urllib.parse.quote
        links = []
        for e in self.gw.list_objects(bucket, prefix=prefix, delimiter="/"):
            if isinstance(e, kelp.CommonPrefix):
                links.append((f"/b/{q(bucket)}/?prefix={q(e.prefix)}", e.prefix))
            else:
                links.append((f"/o/{q(bucket)}/{q(e.key)}",
                              f"{e.key}  ({e.size} bytes, {e.mtime:%Y-%m-%d %H:%M})"))
        self.page(f"{bucket}/{prefix}", links)

    def download(self, bucket, key):
        with self.gw.open_object(bucket, key) as f:
            self.send_response(200)
            self.send_header("Content-Type", f.info.content_type or "application/octet-stream")
            self.send_header("Content-Length", str(f.content_length))
            self.send_header("ETag", f'"{f.info.etag}"')
            self.end_headers()
            shutil.copyfileobj(f, self.wfile, 1 << 20)

    def page(self, title, links):
        items = "".join(f'<li><a href="{html.escape(h)}">{html.escape(t)}</a></li>'
                        for h, t in links)
        body = (f"<!doctype html><title>{html.escape(title)}</title>"
                f'<h1>{html.escape(title)}</h1><p><a href="/">buckets</a></p><ul>{items}</ul>')
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main(argv=None):
    p = argparse.ArgumentParser(description="Browse a Kelp store over HTTP (read-only).")
    p.add_argument("--data", required=True, help="the Kelp store directory")
    p.add_argument("--uid", help="act as this user (default: the system, every bucket)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    args = p.parse_args(argv)
    with kelp.open(args.data) as store:
        Handler.store = store
        Handler.gw = store.as_user(args.uid) if args.uid else store.as_system()
        server = ThreadingHTTPServer((args.host, args.port), Handler)
        print(f"browse: serving on http://{args.host}:{server.server_port}/", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())
