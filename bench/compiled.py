"""epaper's modules compiled to bytecode before a bench times fresh ``epaper`` processes.

A desk's ``pip install`` compiles every module once. A checkout run with ``PYTHONDONTWRITEBYTECODE``
set (this machine sets it) compiles each module whose ``.pyc`` is missing or stale again in every
process, about 0.2 s of each command after a change: the benches would time the compiler, not
epaper. ``compileall`` writes the files whatever that variable says.
"""

from __future__ import annotations

import compileall
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def compile_epaper() -> None:
    """Bring every ``.pyc`` of the ``epaper`` package up to date (only stale ones are written)."""
    if not compileall.compile_dir(REPO / "epaper", quiet=1):
        raise SystemExit("compiling epaper's modules failed (a syntax error?)")
