"""Helpers for the browser tests: a static server on port 0 that sends the build's precompressed
``.gz`` copies (as a static host configured for them does), and a CSP-safe wait."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
import time
from pathlib import Path

__all__ = ["serve", "wait_until"]


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves ``name.gz`` with ``Content-Encoding: gzip`` when the browser accepts gzip."""

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        packed = path + ".gz"
        if "gzip" in self.headers.get("Accept-Encoding", "") and os.path.isfile(packed) and os.path.isfile(path):
            ctype = self.guess_type(path)
            handle = open(packed, "rb")
            size = os.fstat(handle.fileno()).st_size
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(size))
            self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            return handle
        return super().send_head()


@contextlib.contextmanager
def serve(directory: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def wait_until(page, expression: str, timeout: float = 10.0) -> None:
    """Poll a JS expression with page.evaluate. (Playwright's wait_for_function re-evaluates its
    predicate with eval(), which the pages' strict CSP rightly refuses.)"""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        page.wait_for_timeout(50)
