#!/usr/bin/env python3
"""A static file server for the search benchmark: serves a folder on
127.0.0.1 and logs every request as one JSON line (path, bytes, gzipped
bytes), so the benchmark can count what a query downloads.

Usage: serve.py FOLDER PORT LOGFILE
"""
import gzip
import http.server
import json
import os
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self):
        path = self.translate_path(self.path)
        size = zipped = 0
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                data = handle.read()
            size, zipped = len(data), len(gzip.compress(data, 9))
        with open(LOG, "a") as log:
            log.write(json.dumps({"path": self.path, "bytes": size, "gzip": zipped}) + "\n")
        super().do_GET()


if __name__ == "__main__":
    folder, port, LOG = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.chdir(folder)
    http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
