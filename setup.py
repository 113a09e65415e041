"""Build hook: a wheel (or a non-editable install) carries OpenSeadragon, the viewer's deep zoom.

OpenSeadragon comes from npm (pinned in package.json; ``npm ci --omit=dev`` puts it in node_modules/).
It is copied, with its licence, into ``epaper/web/static/vendor/openseadragon/`` of the build. A build
without it fails here, loudly: a wheel whose viewer cannot zoom, beside tens of megabytes of tiles it
cannot show, is worse than no wheel. An editable install copies nothing: it finds node_modules/ in
place (epaper/web/assets.py), and without npm the viewer shows plain page images.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.errors import SetupError

ROOT = Path(__file__).resolve().parent
PACKAGE = ROOT / "node_modules" / "openseadragon"
VENDOR = Path("epaper", "web", "static", "vendor", "openseadragon")


def _pinned_version() -> str:
    return json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]["openseadragon"]


class BuildPyWithViewer(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        pinned = _pinned_version()
        build = PACKAGE / "build" / "openseadragon"
        try:
            found = json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))["version"]
        except (OSError, ValueError, KeyError):
            found = None
        if found != pinned or not (build / "openseadragon.min.js").is_file() or not (PACKAGE / "LICENSE.txt").is_file():
            have = f"version {found}" if found else "nothing"
            raise SetupError(
                f"OpenSeadragon {pinned} is missing from {PACKAGE} (found {have}): the viewer would have no "
                f"deep zoom. Run `npm ci --omit=dev` in {ROOT} (package.json pins it), then build again.")
        target = Path(self.build_lib) / VENDOR
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(build / "openseadragon.min.js", target / "openseadragon.min.js")
        shutil.copytree(build / "images", target / "images", dirs_exist_ok=True)
        shutil.copy2(PACKAGE / "LICENSE.txt", target / "LICENSE.txt")


setup(cmdclass={"build_py": BuildPyWithViewer})
