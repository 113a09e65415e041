"""A plain (non-editable) install must carry every subpackage, the fonts and the layouts."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed_for_the_wheel():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {"epaper"} | {f"epaper.{p.parent.name}" for p in (REPO / "epaper").glob("*/__init__.py")}
    assert found <= listed, f"add to pyproject.toml packages: {sorted(found - listed)}"
    assert config["package-dir"]["epaper._fonts"] == "fonts"
    assert config["package-dir"]["epaper._layouts"] == "layouts"
    assert {"*.ttf", "*.yaml"} <= set(config["package-data"]["epaper._fonts"])
    assert "*.yaml" in config["package-data"]["epaper._layouts"]
