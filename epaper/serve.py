"""``epaper serve``: a preview server for an output folder that IIIF viewers and phones can use.

What a static file server needs for an epaper, over the standard library's: ``Access-Control-Allow-
Origin: *`` on every answer (IIIF viewers on other origins fetch the manifest and tiles), gzip for
text (JSON, HTML, CSS, JS, XML: a manifest or search index shrinks about tenfold; JPEG tiles are sent
as they are), and nothing outside the folder, symbolic links included: a path is served only when
its real location is inside the folder. Hidden names (the build cache ``.store/``, a build's staging
folder ``.<id>.building-*``) are neither served nor listed: they are the builder's, not the readers'.

A replate replaces files at the addresses they had (``thumbs/016.jpg``, ``pages/016.pdf``), and
without a word on caching a browser keeps an image it fetched for a while (a tenth of its age) and
shows the old page. So every answer says ``Cache-Control: no-cache`` (ask again, each time) and
files carry an ``ETag`` made of the file's inode, size and time: an unchanged file is a 304 and
costs no bytes. Not the modification time alone: a published file is a hard link to an object of
the build cache, and a replate that puts an earlier text back links an object older than the one
the browser holds, which ``If-Modified-Since`` would call unchanged. A zoom tile is the exception:
its address names its bytes (``tiles/<name>/…``, :mod:`epaper.tile_sets`), so it may be kept for a year.

IIIF documents (a tile set's ``info.json``, a manifest, the collections) are ``application/json``,
or ``application/ld+json`` with the API's context as its profile to a client that asks for JSON-LD
(``Accept``), as the Image and Presentation APIs say a server should (the IIIF validator's jsonld test).
"""

from __future__ import annotations

import email.utils
import errno
import functools
import gzip
import html
import http.server
import io
import os
import re
import socket
import socketserver
from http import HTTPStatus
from pathlib import Path
from urllib.parse import quote, urlsplit

from epaper.urls import TILE_SET_NAME_LENGTH, TILE_SETS_DIR

__all__ = ["COMPRESSED_TYPES", "ServeError", "make_server"]

# Media types worth compressing: text. Images (JPEG tiles, thumbnails) and PDFs are compressed already.
COMPRESSED_TYPES = frozenset({
    "application/json", "application/ld+json", "application/javascript", "text/javascript", "text/html",
    "text/css", "application/xml", "text/xml", "text/plain", "image/svg+xml",
})


class ServeError(Exception):
    """The server cannot start; the message is one line for the user."""


@functools.lru_cache(maxsize=64)
def _gzipped(path: str, mtime_ns: int, size: int) -> bytes:
    # Keyed by modification time and size: a rebuilt file is compressed again, an unchanged one once.
    with open(path, "rb") as source:
        return gzip.compress(source.read(), compresslevel=6, mtime=0)


def _accepts(header: str | None, *names: str) -> bool:
    """Whether the ``Accept`` or ``Accept-Encoding`` header ``header`` takes the first of its
    entries named in ``names`` (case aside): named, and not with ``q=0`` (wherever among its
    parameters)."""
    for entry in (header or "").split(","):
        name, *params = (part.strip() for part in entry.split(";"))
        if name.lower() in names:
            weights = [value for key, _, value in (p.partition("=") for p in params) if key.strip().lower() == "q"]
            try:
                return not weights or float(weights[0]) > 0
            except ValueError:
                return True
    return False


# The IIIF documents of an output folder (their URL paths), by the API whose context is their profile.
_IMAGE_INFO = re.compile(r"/(?:.+/)?tiles/[^/]+/info\.json")
_PRESENTATION = re.compile(r"/(?:[^/]+/(?:versions/\d+/)?manifest\.json|collection\.json|collections/[^/]+\.json)")
_PROFILES = ((_IMAGE_INFO, "http://iiif.io/api/image/3/context.json"),
             (_PRESENTATION, "http://iiif.io/api/presentation/3/context.json"))


def _iiif_profile(url_path: str) -> str | None:
    """The JSON-LD context of the IIIF document at ``url_path``, or None: not one."""
    return next((profile for pattern, profile in _PROFILES if pattern.fullmatch(url_path)), None)


# A tile image of a set published beside the editions: /tiles/<name>/<region>/<size>/0/default.jpg.
_TILE = re.compile(rf"/{TILE_SETS_DIR}/[0-9a-f]{{{TILE_SET_NAME_LENGTH}}}/[^/]+/[^/]+/0/default\.jpg")


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves ``directory`` (a real path, resolved once) and nothing outside it."""

    _etag: str | None = None  # the file being answered's (see the module)

    def guess_type(self, path):  # noqa: ANN001, ANN201 - the base class's signature
        kind = super().guess_type(path)
        if kind == "application/json" and self._json_ld_profile() is not None:
            return f'application/ld+json;profile="{self._json_ld_profile()}"'
        return kind

    def _json_ld_profile(self) -> str | None:
        """The IIIF context to answer this request's document with as JSON-LD: asked for, and one."""
        if not _accepts(self.headers.get("Accept"), "application/ld+json"):
            return None
        return _iiif_profile(urlsplit(self.path).path)

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        if _iiif_profile(urlsplit(self.path).path) is not None:
            self.send_header("Vary", "Accept")  # its media type follows the Accept header
        # A zoom tile's address names its bytes (epaper.tile_sets): never another image there. (Not a
        # missing one's answer: a file is answered when it has an ETag.)
        tile = self._etag is not None and _TILE.fullmatch(urlsplit(self.path).path) is not None
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if tile else "no-cache")
        if self._etag is not None:
            self.send_header("ETag", self._etag)
        super().end_headers()

    def _known(self, etag: str) -> bool:
        """Whether the request's ``If-None-Match`` names ``etag`` (then the answer is a 304)."""
        asked = self.headers.get("If-None-Match") or ""
        return any(tag.strip().removeprefix("W/") in (etag, "*") for tag in asked.split(","))

    def _inside(self, path: str) -> bool:
        real = os.path.realpath(path)
        return real == self.directory or real.startswith(self.directory + os.sep)

    def _hidden(self) -> bool:
        return any(part.startswith(".") for part in urlsplit(self.path).path.split("/"))

    def list_directory(self, path):  # noqa: ANN001, ANN201 - the base class's signature
        # The base class lists every name; this lists the visible ones (see the module).
        try:
            names = sorted((n for n in os.listdir(path) if not n.startswith(".")), key=str.lower)
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "No permission to list directory")
            return None
        title = html.escape(urlsplit(self.path).path, quote=False)
        entries = "".join(
            f'<li><a href="{quote(name + suffix)}">{html.escape(name + suffix, quote=False)}</a></li>'
            for name in names for suffix in ["/" if os.path.isdir(os.path.join(path, name)) else ""])
        body = (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>"
                f"<body><h1>{title}</h1><ul>{entries}</ul></body></html>").encode("utf-8", "surrogateescape")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def send_header(self, keyword: str, value: str) -> None:
        # list_directory sent the unfiltered length before filtering; send the filtered one instead.
        length = getattr(self, "_listing_length", None)
        if keyword == "Content-Length" and length is not None:
            value = str(length)
        super().send_header(keyword, value)

    def send_head(self):  # noqa: ANN201 - the base class's signature
        self._etag = None  # (a connection kept alive answers several requests with one handler)
        if self._hidden():
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        path = self.translate_path(self.path)
        if (os.path.isdir(path) and os.path.isfile(os.path.join(path, "info.json"))
                and not os.path.isfile(os.path.join(path, "index.html")) and self._inside(path)):
            # An IIIF image service's address (a page's tiles/<name>): its image information, as the
            # Image API asks (a 303 to info.json), not a listing of its tile folders (an archive's audit).
            self.send_response(HTTPStatus.SEE_OTHER)
            self.send_header("Location", urlsplit(self.path).path.rstrip("/") + "/info.json")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if os.path.isdir(path) and urlsplit(self.path).path.endswith("/"):
            index = next((os.path.join(path, name) for name in ("index.html", "index.htm")
                          if os.path.isfile(os.path.join(path, name))), None)
            path = index or path
        if not self._inside(path):
            # As if it were not there: a link out of the folder is not the folder's to show.
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        gzipped = (os.path.isfile(path) and self.guess_type(path).partition(";")[0] in COMPRESSED_TYPES
                   and _accepts(self.headers.get("Accept-Encoding"), "gzip", "*"))
        if os.path.isfile(path):
            try:
                stat = os.stat(path)
            except OSError:
                stat = None
            if stat is not None:
                # The compressed answer is another representation: another tag.
                self._etag = (f'"{stat.st_ino:x}-{stat.st_size:x}-{stat.st_mtime_ns:x}{"-gz" if gzipped else ""}'
                              f'{"-ld" if self._json_ld_profile() else ""}"')
                if self._known(self._etag):
                    self.send_response(HTTPStatus.NOT_MODIFIED)
                    self.end_headers()
                    return None
        if gzipped:
            return self._send_gzipped(os.path.realpath(path))
        return super().send_head()

    def _send_gzipped(self, real: str):  # noqa: ANN202
        try:
            stat = os.stat(real)
            body = _gzipped(real, stat.st_mtime_ns, stat.st_size)
        except OSError:  # unreadable, or gone since the check (a rebuild): as the plain path answers
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        since = self.headers.get("If-Modified-Since")
        if since and not self.headers.get("If-None-Match"):
            try:
                if int(stat.st_mtime) <= email.utils.parsedate_to_datetime(since).timestamp():
                    self.send_response(HTTPStatus.NOT_MODIFIED)
                    self.end_headers()
                    return None
            except (TypeError, ValueError, IndexError, OverflowError):
                pass
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(real))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        return io.BytesIO(body)


def make_server(root: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    """A server for ``root`` bound to ``host:port`` (port 0: a free one); raises :class:`ServeError`."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except (socket.gaierror, UnicodeError) as error:
        raise ServeError(f"cannot serve on host {host!r}: not an address or a name of this machine "
                         f"({error}); use --host 127.0.0.1") from None

    class Server(http.server.ThreadingHTTPServer):
        address_family = family
        daemon_threads = True

        def server_bind(self) -> None:
            # HTTPServer.server_bind asks DNS for the host's full name, which can hang offline.
            socketserver.TCPServer.server_bind(self)
            self.server_name, self.server_port = host, self.server_address[1]

    handler = functools.partial(_Handler, directory=os.path.realpath(root))
    try:
        return Server((host, port), handler)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {host} is already in use: choose another with --port "
                             f"(--port 0 takes a free one)") from None
        if error.errno == errno.EACCES:
            raise ServeError(f"no permission to use port {port} on {host}: ports below 1024 need root; "
                             f"choose another with --port") from None
        if error.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
            raise ServeError(f"cannot serve on host {host!r}: it is not an address of this machine; "
                             f"use --host 127.0.0.1 (or 0.0.0.0 for every network)") from None
        raise ServeError(f"cannot serve on {host}:{port}: {error.strerror or error}") from None
