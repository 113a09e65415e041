"""Where the bundled fonts and layouts are, installed or in a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

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
