"""``epaper build | validate | serve``. Exit 0 on success, 1 on invalid input, 2 on usage errors."""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from epaper import __version__

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="epaper", description="Turn a folder of articles into a finished "
                                     "newspaper edition: print PDF, reader PDFs and a web epaper.")
    parser.add_argument("--version", action="version", version=f"epaper {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = sub.add_parser("build", help="build an edition folder into OUT/<edition-id>/",
                           description="Build the edition: PDFs, page images, zoom tiles, viewer, layout.json, report.")
    build.add_argument("edition_dir", type=Path, metavar="EDITION_DIR")
    build.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")
    build.add_argument("--workers", type=int, default=2, help="processes for drawing and rasterizing (default 2)")
    build.add_argument("--breaker", choices=("knuth-plass", "greedy"), default="knuth-plass",
                       help="line breaking: total-fit Knuth–Plass (default) or first-fit greedy")
    build.add_argument("--base-url", metavar="URL", default=None,
                       help="public http(s) URL the output folder will be served from; makes the IIIF "
                            "manifest, image service and collection ids absolute (default: relative ids)")
    build.add_argument("--lock", metavar="PAGES", default=None,
                       help="keep these pages exactly as the previous build into OUT made them, e.g. 1,3-4")
    validate = sub.add_parser("validate", help="check an edition folder without building it",
                              description="Check an edition folder and list every problem (exit 1 if any).")
    validate.add_argument("edition_dir", type=Path, metavar="EDITION_DIR")
    serve = sub.add_parser("serve", help="preview built editions on localhost",
                           description="Serve an output folder on localhost to preview the epaper.")
    serve.add_argument("dir", type=Path, metavar="DIR", nargs="?", default=Path("output"))
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    return parser


def _print_problems(console: Console, problems) -> None:
    console.print(f"[bold red]{len(problems)} problem{'s' if len(problems) != 1 else ''} in the edition folder:[/]")
    for problem in problems:
        console.print(f"  {problem}", markup=False, highlight=False)


def _validate(args, console: Console) -> int:
    from epaper.ingest import validate_edition

    problems = validate_edition(args.edition_dir)
    if problems:
        _print_problems(console, problems)
        return EXIT_INVALID
    console.print(f"[green]{args.edition_dir}: the edition is valid.[/]")
    return EXIT_OK


def _is_base_url(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not parts.query and not parts.fragment


def _page_list(text: str) -> list[int]:
    """``"1,3-4"`` → ``[1, 3, 4]``; raises ValueError on anything else."""
    pages: list[int] = []
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        low, high = int(first), int(last or first)
        if low < 1 or high < low:
            raise ValueError(part)
        pages += range(low, high + 1)
    return sorted(set(pages))


def _build(args, console: Console) -> int:
    from epaper.build import build_edition
    from epaper.ingest import InvalidEdition
    from epaper.layout import LockError

    if args.workers < 1:
        console.print("[red]--workers must be at least 1[/]")
        return EXIT_USAGE
    if args.base_url is not None and not _is_base_url(args.base_url):
        console.print(f"[red]--base-url must be an absolute http(s) URL without query or fragment, "
                      f"such as https://epaper.example.com/archive/ (got {args.base_url!r})[/]", highlight=False)
        return EXIT_USAGE
    try:
        lock_pages = _page_list(args.lock) if args.lock else []
    except ValueError:
        console.print(f"[red]--lock takes page numbers like 1,3-4 (got {args.lock!r})[/]", highlight=False)
        return EXIT_USAGE
    columns = (TextColumn("{task.description:<20}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
               TimeElapsedColumn())
    tasks: dict[str, int] = {}
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        def progress(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(step, total=total)
            bar.update(tasks[step], completed=done, total=total)

        try:
            result = build_edition(args.edition_dir, args.out, workers=args.workers, breaker=args.breaker,
                                   base_url=args.base_url, lock_pages=lock_pages, progress=progress)
        except InvalidEdition as error:
            bar.stop()
            _print_problems(console, error.problems)
            return EXIT_INVALID
        except LockError as error:
            bar.stop()
            console.print(f"[red]cannot lock pages: {error}[/]", highlight=False)
            return EXIT_INVALID
    console.print(f"[bold green]Built[/] {result.pages} pages in {result.seconds:.1f} s: "
                  f"{result.placed} articles placed, {result.unplaced} not placed.")
    for item in result.laid_out.unplaced:
        console.print(f"  not placed: {item.article_id} — {item.reason}", markup=False, highlight=False)
    console.print(f"Output: {result.out_dir}")
    console.print(f"Open {result.out_dir / 'index.html'} or run: epaper serve {args.out}")
    return EXIT_OK


def _serve(args, console: Console) -> int:
    root = args.dir
    if not root.is_dir():
        console.print(f"[red]{root}: no such folder — build an edition first (epaper build EDITION_DIR --out {root})[/]")
        return EXIT_INVALID
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    with http.server.ThreadingHTTPServer((args.host, args.port), handler) as server:
        console.print(f"Serving {root} at http://{args.host}:{server.server_address[1]}/ (Ctrl-C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    console = Console(stderr=False)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    handlers = {"build": _build, "validate": _validate, "serve": _serve}
    return handlers[args.command](args, console)


if __name__ == "__main__":
    sys.exit(main())
