"""Where the bundled fonts and layouts are, installed or in a checkout."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(installed_name: str, checkout_name: str) -> Path:
    # Installed: setuptools maps fonts/ and layouts/ to epaper/_fonts and epaper/_layouts.
    installed = _PACKAGE / installed_name
    if installed.is_dir():
        return installed
    # A checkout (editable install or plain source tree): the folders sit beside the package.
    return _PACKAGE.parent / checkout_name


@cache
def fonts_dir() -> Path:
    return _data_dir("_fonts", "fonts")


@cache
def layouts_dir() -> Path:
    return _data_dir("_layouts", "layouts")


@dataclass(frozen=True)
class FontConfig:
    """``fonts/fonts.yaml``: each face's file, and which face sets which script in each style."""

    files: dict[str, Path]                   # face name -> TrueType file
    script_faces: dict[str, dict[str, str]]  # script -> {Latin face -> the face that sets that script}


@cache
def font_config() -> FontConfig:
    """The bundled fonts' configuration, read once for the life of the process (typesetting measures
    with it, ingest checks coverage with it)."""
    directory = fonts_dir()
    spec = yaml.safe_load((directory / "fonts.yaml").read_text(encoding="utf-8"))
    return FontConfig({name: directory / entry["file"] for name, entry in spec["faces"].items()},
                      spec.get("script_faces", {}))
