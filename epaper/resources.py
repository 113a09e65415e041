"""Where the bundled fonts and layouts are, installed or in a checkout."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


def _package_dir(package: str, checkout_name: str) -> Path:
    try:
        path = Path(str(resources.files(package)))
        if path.is_dir():
            return path
    except ModuleNotFoundError:
        pass
    # Running from a checkout without installing: the folders sit beside the package.
    return Path(__file__).resolve().parent.parent / checkout_name


@cache
def fonts_dir() -> Path:
    return _package_dir("epaper._fonts", "fonts")


@cache
def layouts_dir() -> Path:
    return _package_dir("epaper._layouts", "layouts")
