"""Serving an output folder in tests: ``epaper serve --port 0`` as a user runs it, or its server in-process."""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

SERVING = re.compile(r"Serving .* at (http://\S+/) ")


@contextlib.contextmanager
def epaper_serve(root: Path, *extra: str) -> Iterator[str]:
    """Run ``epaper serve ROOT --port 0`` and yield the URL it printed; stop it afterwards."""
    process = subprocess.Popen([sys.executable, "-m", "epaper", "serve", str(root), "--port", "0", *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    try:
        line = process.stdout.readline()
        match = SERVING.search(line)
        assert match, f"epaper serve printed {line!r}"
        yield match[1]
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


@contextlib.contextmanager
def serving(root: Path) -> Iterator[str]:
    """epaper's server for ``root`` on a free port, in a thread of this process; yields its URL."""
    from epaper.serve import make_server

    server = make_server(root, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
