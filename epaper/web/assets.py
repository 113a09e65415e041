"""Copy the viewer's CSS/JS (and OpenSeadragon, when it was vendored) into an output folder.

OpenSeadragon comes from npm (pinned in package.json). A wheel carries it in
``epaper/web/static/vendor/openseadragon/`` (setup.py copies it in, and refuses to build without it);
a checkout (editable install) finds it in ``node_modules`` after ``npm ci``. Without either, the
viewer falls back to plain page images.
"""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["STATIC_DIR", "copy_static", "openseadragon_dir"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
_VENDORED = STATIC_DIR / "vendor" / "openseadragon"
_NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules" / "openseadragon" / "build" / "openseadragon"


def openseadragon_dir() -> Path | None:
    for candidate in (_VENDORED, _NODE_MODULES):
        if (candidate / "openseadragon.min.js").is_file():
            return candidate
    return None


def copy_static(target: Path) -> bool:
    """Copy the static assets to ``target``; return whether OpenSeadragon is included."""
    shutil.copytree(STATIC_DIR, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("vendor", ".*"))
    source = openseadragon_dir()
    if source is None:
        return False
    vendor = target / "vendor" / "openseadragon"
    vendor.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "openseadragon.min.js", vendor / "openseadragon.min.js")
    if (source / "images").is_dir():
        shutil.copytree(source / "images", vendor / "images", dirs_exist_ok=True)
    license_file = next((p for p in (source / "LICENSE.txt", source.parents[1] / "LICENSE.txt") if p.is_file()), None)
    if license_file:
        shutil.copy2(license_file, vendor / "LICENSE.txt")
    return True
