"""Where an output folder is served: the one default address and the base URLs the IIIF ids start with.

IIIF viewers need absolute ids, and a build cannot know where its folder will be published. So every
build writes absolute ids against a *base URL* (the URL of the output root): ``--base-url`` when given,
else the address ``epaper serve`` uses by default, so a fresh build works in any IIIF viewer as soon as
it is served. ``epaper rebase`` moves a finished build to another host (:mod:`epaper.rebase`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_HOST", "DEFAULT_PORT", "TILE_SETS_DIR", "TILE_SET_NAME_LENGTH", "edition_url", "is_base_url", "root_url", "served_url"]

DEFAULT_HOST = "127.0.0.1"
# The folder of the output root that holds the pages' zoom tiles, one set per page for every edition
# and version that prints it (epaper.tile_sets): ``OUT/tiles/<name>/``, beside ``OUT/<edition id>/``.
TILE_SETS_DIR = "tiles"
TILE_SET_NAME_LENGTH = 24  # hex digits of the set's digest: 96 bits, no two sets of an archive alike
DEFAULT_PORT = 8000


def served_url(host: str, port: int) -> str:
    """The URL of the output root that ``epaper serve`` serves on ``host:port``."""
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


DEFAULT_BASE_URL = served_url(DEFAULT_HOST, DEFAULT_PORT)


def is_base_url(url: str) -> bool:
    """An absolute http(s) URL without query or fragment: something ids can be appended to."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not parts.query and not parts.fragment


def root_url(base_url: str | None) -> str:
    """``base_url`` (or the default) with exactly one trailing slash."""
    return (base_url or DEFAULT_BASE_URL).rstrip("/") + "/"


def edition_url(base_url: str | None, edition_id: str) -> str:
    """The public URL of ``OUT/<edition id>/`` when ``OUT`` is served at ``base_url``."""
    return f"{root_url(base_url)}{edition_id}/"
