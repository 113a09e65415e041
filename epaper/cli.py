"""``epaper build | replate | watch | validate | serve | rebase | build-night``.

Exit codes: 0 success; 1 the edition has errors (or, with ``--strict``, warnings), or its output could
not be written; 2 a usage error (a bad option); 130 stopped by Ctrl-C, 143 stopped by SIGTERM (``watch``:
in the middle of a step).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from epaper import __version__, stops
from epaper.collector import cycle_collector_paused
from epaper.urls import DEFAULT_BASE_URL, DEFAULT_HOST, DEFAULT_PORT, is_base_url, served_url

if TYPE_CHECKING:  # (the commands import what they use when they run: --help stays quick)
    from epaper.ingest.problems import Problem
    from epaper.model import Edition

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # Ctrl-C in the middle of a step (as a shell reports SIGINT)
EXIT_TERMINATED = 128 + signal.SIGTERM  # 143: SIGTERM in the middle of a step (as a shell reports it)
MAX_PAGES = 1000  # page numbers past any edition's: a range wider is a typo (not a list of a billion pages)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="epaper", description="Turn a folder of articles into a finished "
                                     "newspaper edition: print PDF, reader PDFs and a web epaper.")
    parser.add_argument("--version", action="version", version=f"epaper {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = sub.add_parser("build", help="build an edition folder into OUT/<edition-id>/",
                           description="Build the edition: PDFs, page images, zoom tiles, viewer, layout.json, report.")
    _add_edition_options(build, breaker="line breaking: total-fit Knuth–Plass (default) or first-fit greedy",
                         base_url="public http(s) URL the output folder will be served from; every IIIF id "
                                  f"starts with it (default: {DEFAULT_BASE_URL}, where epaper serve serves it)")
    build.add_argument("--lock", metavar="PAGES", default=None,
                       help="keep these pages exactly as the previous build into OUT made them, e.g. 1,3-4")
    build.add_argument("--strict", action="store_true",
                       help="treat warnings as errors: list them, write nothing and exit 1")
    _add_scheduler_option(build)
    replate = sub.add_parser("replate", help="make one page of a built edition again (late news)",
                             description="Make page N of the edition built in OUT_DIR again from its edition "
                                         "folder, with the pages its stories jump to or from (and the front's "
                                         "teasers if a headline changed); every other page stays as it was. "
                                         "Publishes the next numbered version; the previous one is kept in "
                                         "versions/<n>/. In a night (epaper build-night), a page of the main "
                                         "edition changes in every zone printing it too.")
    replate.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    replate.add_argument("--page", action="append", required=True, metavar="N",
                         help="the page to make again; several together as 4,6 (or --page 4 --page 6), "
                              "in one version")
    replate.add_argument("--edition", metavar="ID", default=None,
                         help="which edition, when OUT_DIR holds several: its folder name, or for an edition "
                              "of a night its name in the night file (e.g. Harbour)")
    replate.add_argument("--workers", type=int, default=2, help="processes for drawing and rasterizing (default 2)")
    _add_scheduler_option(replate)
    watch = sub.add_parser("watch", help="keep a built edition, or a night, in step with its folders (late news)",
                           description="Build EDITION_DIR into OUT if it is not published there, then stay: each "
                                       "time a story is saved, replate the pages printing it (the next numbered "
                                       "version, every other page as it was; a story new to a section, or moved "
                                       "there, has that section's pages planned again); a change of what "
                                       "edition.yaml says of the edition builds it whole. One process for the "
                                       "night: each replate takes about half the time of epaper replate. Given "
                                       "a night file (epaper build-night), the same for every edition of the "
                                       "night: a main edition's page replated in every zone printing it, a "
                                       "zone's story on its own pages. Ctrl-C stops.")
    _add_edition_options(watch, breaker="line breaking of a first build (one published keeps its own)",
                         base_url="public http(s) URL of the output folder, for a first build (one published "
                                  "keeps its own)", source="EDITION_DIR|NIGHT_FILE")
    watch.add_argument("--poll", action="store_true",
                       help="look for saved files every 300 ms instead of being told by the system: for an "
                            "edition folder on a network share, saved from another machine")
    validate = sub.add_parser("validate", help="check an edition folder (or a night file) without building it",
                              description="Check an edition folder, or a night file and the folders it names, "
                                          "and list every problem (exit 1 if any); then lay it out as build (or "
                                          "build-night) would, for its warnings and, in a night, a zone it would "
                                          "refuse (a jump that would not land). Nothing is written.")
    validate.add_argument("edition_dir", type=Path, metavar="EDITION_DIR|NIGHT_FILE")
    validate.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    serve = sub.add_parser("serve", help="preview built editions on localhost",
                           description="Serve an output folder (CORS for IIIF viewers, gzip for text) to "
                                       "preview the epaper. Nothing outside the folder is served.")
    serve.add_argument("dir", type=Path, metavar="DIR", nargs="?", default=Path("output"))
    serve.add_argument("--port", type=_port, default=DEFAULT_PORT,
                       help=f"TCP port (default {DEFAULT_PORT}; 0 takes a free one and prints it)")
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    night = sub.add_parser("build-night", help="build a night: a main edition and its zone editions",
                           description="Build every edition of NIGHT_FILE (night.yaml: a main edition and its "
                                       "variants) into OUT/<edition-id>/; a page the same in two editions is "
                                       "made once and its files are shared (hard links).")
    night.add_argument("night_file", type=Path, metavar="NIGHT_FILE")
    night.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")
    night.add_argument("--workers", type=int, default=2, help="processes for drawing and rasterizing (default 2)")
    night.add_argument("--base-url", metavar="URL", default=None,
                       help=f"public http(s) URL the output folder will be served from (default: {DEFAULT_BASE_URL})")
    night.add_argument("--strict", action="store_true",
                       help="treat warnings (a blank page, a story left out, ...) of any edition as errors: list "
                            "them, publish nothing and exit 1")
    _add_scheduler_option(night)
    rebase = sub.add_parser("rebase", help="rewrite the IIIF ids of a finished build for another host",
                            description="Rewrite every IIIF id under OUT_DIR (manifests, info.json, collections) "
                                        "to start with URL, the address OUT_DIR is now served from. Nothing is "
                                        "rendered again.")
    rebase.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    rebase.add_argument("url", metavar="URL")
    return parser


def _add_edition_options(command: argparse.ArgumentParser, *, breaker: str, base_url: str,
                         source: str = "EDITION_DIR") -> None:
    """EDITION_DIR (``source``), --out, --workers, --breaker and --base-url of a command that builds
    an edition folder."""
    command.add_argument("edition_dir", type=Path, metavar=source)
    command.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")
    command.add_argument("--workers", type=int, default=2, help="processes for drawing and rasterizing (default 2)")
    command.add_argument("--breaker", choices=("knuth-plass", "greedy"), default="knuth-plass", help=breaker)
    command.add_argument("--base-url", metavar="URL", default=None, help=base_url)


def _add_scheduler_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--scheduler", metavar="tcp://HOST:PORT", default=None,
                         help="draw and rasterize pages on this Dask scheduler's workers instead of local "
                              "processes (--workers); they need epaper installed and the output folder "
                              "at the same path (see the README)")


def _scheduler_problem(args, console: Console) -> bool:
    """Print what is wrong with ``--scheduler`` (a usage error), if anything."""
    from epaper.tasks import scheduler_address_problem

    problem = args.scheduler is not None and scheduler_address_problem(args.scheduler)
    if problem:
        console.print(problem, style="red", highlight=False, markup=False, soft_wrap=True)
    return bool(problem)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: give a whole number from 0 to 65535 "
                                         f"(0 takes a free one)")
    return port


def _print_problems(console: Console, problems, subject: str = "the edition folder", unused=()) -> None:
    """``problems``, after ``unused``: what the input says that is not used (a misspelt field,
    ``ProblemsError.warnings``), often why the problems are there (the order of
    :func:`~epaper.ingest.problems.problem_lines`)."""
    from epaper.ingest.problems import UNUSED_HEADING

    if unused:
        console.print(f"[bold yellow]{escape(UNUSED_HEADING)}[/]", highlight=False)
        for warning in unused:
            console.print(f"  {warning}", markup=False, highlight=False)
    console.print(f"[bold red]{len(problems)} problem{'s' if len(problems) != 1 else ''} in {escape(subject)}:[/]",
                  highlight=False)
    for problem in problems:
        prefix = "warning (--strict): " if problem.is_warning else ""
        console.print(f"  {prefix}{problem}", markup=False, highlight=False)


def _print_warnings(console: Console, warnings, printed: set[str] | None = None) -> None:
    """The build's warnings; with ``printed`` (what ``epaper watch`` printed for earlier builds),
    only those not printed before, and how many are as before."""
    fresh = [w for w in warnings if printed is None or str(w) not in printed]
    if fresh:
        console.print(f"[bold yellow]{len(warnings)} warning{'s' if len(warnings) != 1 else ''}[/] "
                      "(printed without; --strict makes them errors)"
                      + (f", {len(warnings) - len(fresh)} of them as before:" if len(fresh) < len(warnings) else ":"))
    elif warnings:
        console.print(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}, as before (report.html lists them).",
                      markup=False, highlight=False)
    for warning in fresh:
        console.print(f"  {warning}", markup=False, highlight=False)
    if printed is not None:
        printed.update(str(w) for w in warnings)


def _validate(args, console: Console) -> int:
    from epaper.ingest import read_edition

    if _manifest_given(args.edition_dir, console):
        return EXIT_INVALID
    if args.edition_dir.is_file():
        return _validate_night(args, console)
    if not args.edition_dir.exists():  # (validate takes both: the message says so, as watch's does)
        console.print(f"[red]{escape(str(args.edition_dir))}: no such folder or file — give an edition folder (it "
                      "holds edition.yaml) or a night file (night.yaml)[/]", highlight=False, soft_wrap=True)
        return EXIT_INVALID
    reading = read_edition(args.edition_dir)
    if reading.problems or reading.edition is None:
        _print_problems(console, reading.problems)
        _print_warnings(console, reading.warnings)
        return EXIT_INVALID
    # Laid out too, nothing written: what the edition prints without (a story left out, a page the
    # copy does not fill) is said here as the build says it, so --strict refuses what build --strict would.
    warnings = reading.warnings + _layout_warnings(reading.edition, console, args.edition_dir)
    if args.strict and warnings:
        _print_problems(console, warnings)
        return EXIT_INVALID
    _print_warnings(console, warnings)
    with_warnings = " (with warnings)" if warnings else ""
    console.print(f"[green]{escape(str(args.edition_dir))}: the edition is valid{with_warnings}.[/]", markup=True,
                  highlight=False)
    return EXIT_OK


def _layout_warnings(edition: Edition, console: Console, folder: Path) -> tuple[Problem, ...]:
    """The warnings of laying ``edition`` out (its sections on the build's default workers)."""
    from epaper.layout import lay_out
    from epaper.layout.omissions import layout_warnings
    from epaper.tasks import open_runner

    console.print(f"Laying {escape(str(folder))} out to check what it prints (nothing is written)…", highlight=False)
    with cycle_collector_paused(), open_runner() as runner:
        return layout_warnings(lay_out(edition, runner=runner))


def _validate_night(args, console: Console) -> int:
    """``epaper validate NIGHT_FILE``: the night's files checked, then the night laid out (nothing
    written) to find a zone that ``build-night`` would refuse."""
    from epaper.night import NightError
    from epaper.night.check import check_night
    from epaper.tasks import open_runner

    console.print(f"Checking {escape(str(args.edition_dir))} and laying the night out (nothing is written)…",
                  highlight=False)
    try:
        with open_runner() as runner:
            checked = check_night(args.edition_dir, runner=runner)
    except NightError as error:
        _print_problems(console, error.problems, f"the night {args.edition_dir}", error.warnings)
        return EXIT_INVALID
    warnings = [w for said in checked.warnings.values() for w in said]
    if args.strict and warnings:
        _print_problems(console, warnings, f"the night {args.edition_dir}")
        return EXIT_INVALID
    for name, said in checked.warnings.items():
        if said:
            console.print(f"{name}:", markup=False, highlight=False)
            _print_warnings(console, said)
    console.print(f"[green]{escape(str(args.edition_dir))}: the night's files are valid"
                  f"{' (with warnings)' if warnings else ''} and every jump lands in every zone.[/]",
                  highlight=False)
    return EXIT_OK


def _page_list(text: str) -> list[int]:
    """``"1,3-4"`` → ``[1, 3, 4]``; raises ValueError on anything else."""
    pages: list[int] = []
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        low, high = int(first), int(last or first)
        if low < 1 or high < low or high - low > MAX_PAGES:  # (no edition has that many: a typo)
            raise ValueError(part)
        pages += range(low, high + 1)
    return sorted(set(pages))


def _output_options_ok(args, console: Console) -> bool:
    """--workers, --base-url and --out of a command that builds (build, build-night); False after
    saying what is wrong (a usage error)."""
    if args.workers < 1:
        console.print("[red]--workers must be at least 1[/]")
        return False
    if args.base_url is not None and not is_base_url(args.base_url):
        console.print(f"[red]--base-url must be an absolute http(s) URL without query or fragment, "
                      f"such as https://epaper.example.com/archive/ (got {args.base_url!r})[/]", highlight=False)
        return False
    if args.out.exists() and not args.out.is_dir():
        console.print(f"[red]--out {args.out} is a file, not a folder: give a folder for the output[/]",
                      highlight=False)
        return False
    return True


def _manifest_given(path: Path, console: Console, *, night_only: bool = False) -> bool:
    """Whether ``path`` is an edition's ``edition.yaml`` given where its folder (or a night file) is
    asked for; True after saying so (else it is read as a night file, with nine baffling problems)."""
    from epaper.ingest.manifest import MANIFEST

    if not (path.is_file() and path.name in (MANIFEST, "edition.yml")):
        return False
    folder = escape(str(path.parent))
    fix = (f"build-night takes a night file (night.yaml); to build this edition alone: epaper build {folder}"
           if night_only else f"give its folder, {folder}, or a night file (night.yaml)")
    console.print(f"[red]{escape(str(path))} is an edition's {MANIFEST}: {fix}[/]", highlight=False, soft_wrap=True)
    return True


def _build(args, console: Console) -> int:
    with cycle_collector_paused():
        from epaper.build import build_edition

    if not _output_options_ok(args, console):
        return EXIT_USAGE
    try:
        lock_pages = _page_list(args.lock) if args.lock else []
    except ValueError:
        console.print(f"[red]--lock takes page numbers like 1,3-4 (got {escape(repr(args.lock))})[/]", highlight=False)
        return EXIT_USAGE
    if _scheduler_problem(args, console):
        return EXIT_USAGE
    return _run_build(console, args.out, lambda progress, on_wait: build_edition(
        args.edition_dir, args.out, workers=args.workers, breaker=args.breaker, base_url=args.base_url,
        lock_pages=lock_pages, progress=progress, strict=args.strict, on_wait=on_wait,
        scheduler=args.scheduler), asked_for_pages=bool(lock_pages))


def _replate(args, console: Console) -> int:
    with cycle_collector_paused():
        from epaper.replate import replate

    if args.workers < 1:
        console.print("[red]--workers must be at least 1[/]")
        return EXIT_USAGE
    try:
        pages = sorted({number for given in args.page for number in _page_list(given)})
    except ValueError:
        given = escape(", ".join(args.page))
        console.print(f"[red]--page takes page numbers, 1 or more, like 4 or 4,6 (got {given})[/]", highlight=False)
        return EXIT_USAGE
    if not args.out_dir.is_dir():
        what = "a file, not an output folder" if args.out_dir.exists() else "no such folder"
        console.print(f"[red]{escape(str(args.out_dir))}: {what} — give the folder an edition was built into "
                      f"(epaper build EDITION_DIR --out OUT_DIR)[/]", highlight=False, soft_wrap=True)
        return EXIT_INVALID
    if _scheduler_problem(args, console):
        return EXIT_USAGE
    return _run_build(console, args.out_dir, lambda progress, on_wait: replate(
        args.out_dir, pages, edition_id=args.edition, workers=args.workers, progress=progress, on_wait=on_wait,
        scheduler=args.scheduler), asked_for_pages=True)


def _watch(args, console: Console) -> int:
    import datetime as dt
    import time

    with cycle_collector_paused():
        from epaper.ingest.manifest import MANIFEST
        from epaper.night import NightError
        from epaper.night.watch import NightWatch
        from epaper.time_zones import now
        from epaper.watch import STEPS_PER_SAVE, EditionWatch, WatchError, saved_files

    if not _output_options_ok(args, console):
        return EXIT_USAGE
    watched = args.edition_dir  # an edition folder, or a night file (epaper build-night)
    if _manifest_given(watched, console):
        return EXIT_INVALID
    if not watched.is_dir() and not watched.is_file():
        console.print(f"[red]{escape(str(watched))}: no such folder or file — give the edition folder (it holds "
                      f"{MANIFEST}) or a night file (night.yaml)[/]", highlight=False)
        return EXIT_INVALID

    printed: set[str] = set()  # lines printed already (stories left out, warnings): a replate says what is new
    running: list[str] = []  # the step under way, for a Ctrl-C in the middle of it

    def say(message: str) -> None:
        console.print(message, markup=False, highlight=False, soft_wrap=True)
        console.file.flush()  # a script (or the desk's terminal log) sees each step when it happens

    time_zone: list[str | None] = [None]  # edition.yaml's, as last read: the log's times are the edition's

    def clock() -> str:
        return dt.datetime.fromisoformat(now(time_zone[0])).strftime("%H:%M:%S")

    def do(step, cause: str, started: float) -> bool:  # type: ignore[no-untyped-def]
        """Do ``step``; whether it was done (published, or found nothing to publish)."""
        what, doing = step.doing
        running[:] = [what]
        say(f"{clock()} {cause}: {doing}")
        try:
            done = _run_build(console, args.out, lambda progress, on_wait: session.run(step, progress=progress,
                                                                                      on_wait=on_wait),
                              asked_for_pages=bool(step.pages), printed=printed) == EXIT_OK
        except (KeyboardInterrupt, WatchError):
            raise
        except Exception as error:  # noqa: BLE001 - a fault of epaper's own: said, and the watch goes on
            say(f"{clock()} {running[0]} failed ({type(error).__name__}: {error}); the published edition stays as "
                "it was. Please report this with the edition folder.")
            done = False
        running.clear()
        say(f"{clock()} Done in {time.monotonic() - started:.1f} s; watching {watched}." if done else
            f"{clock()} Not done; watching {watched} (a save tries again).")
        return done

    def look(cause: str | None, started: float) -> None:
        """Look at the folder and do what it asks, again until nothing more (a story saved while a
        step ran is the next step's); ``cause``: the files saved (None: a look of the watch's own,
        which says nothing unless something changed, and does not try again a step that failed)."""
        label = cause or "Changed"
        for _ in range(STEPS_PER_SAVE):
            try:
                reading = session.read()
            except OSError as error:  # the folder or the output's cache could not be read or written
                say(f"{clock()} cannot read {watched} ({error.strerror or error}); the published edition "
                    "stays as it is")
                return
            if reading.edition is not None:
                time_zone[0] = reading.edition.time_zone
            if reading.edition is None:
                if cause is not None:
                    say(f"{clock()} {cause}: not replated —")  # the when and the what, as every step says
                    _print_problems(console, reading.problems)
                    say("The published edition stays as it is; save the fix and it is taken.")
                return
            step = session.next_step(reading, saved=cause is not None)  # type: ignore[arg-type]
            if step.idle:
                if cause is not None:
                    say(f"{clock()} {cause}: nothing any page prints changed; version "
                        f"{step.published.number if step.published else '?'} stays as it is")
                return
            if not do(step, label, started):
                return  # tried again at the next save, not at once (a full disk would fail again)
            cause, label, started = None, "Saved while that was made", time.monotonic()

    session: EditionWatch | NightWatch
    try:
        if watched.is_file():
            session = NightWatch(watched, args.out, workers=args.workers, breaker=args.breaker,
                                 base_url=args.base_url, poll=args.poll)
        else:
            session = EditionWatch(watched, args.out, workers=args.workers, breaker=args.breaker,
                                   base_url=args.base_url, poll=args.poll)
        folders = session.folders
        saves = saved_files(*folders, poll=args.poll)
        next(saves)  # watched from now on: a story saved while the folder is looked at below is not missed
        started = time.monotonic()
        reading = session.read()
        if reading.edition is not None:
            time_zone[0] = reading.edition.time_zone
        first = session.next_step(reading) if reading.edition is not None else None  # type: ignore[arg-type]
        if first is not None and first.idle and isinstance(session, EditionWatch):
            say(f"{clock()} Version {first.published.number if first.published else '?'} of {first.edition_id} in "
                f"{args.out} is as the folder is now; reading its layout")
            try:
                session.warm(first)  # type: ignore[arg-type]
            except (KeyboardInterrupt, WatchError):
                raise
            except Exception as error:  # noqa: BLE001 - the first replate reads it instead
                say(f"{clock()} could not read its layout ahead ({type(error).__name__}: {error}); the first "
                    "replate reads it")
        else:
            look("At start", started)
        say(f"Watching {watched} for saved stories; replates go into {args.out} (Ctrl-C stops).")
        while True:
            if session.folders != folders:  # the night file names other folders now
                saves.close()
                folders = session.folders
                saves = saved_files(*folders, poll=args.poll)
                next(saves)
                look(None, time.monotonic())
            files = next(saves)
            named = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
            look(f"Saved {named}" if files else None, time.monotonic())
    except NightError as error:  # the night file cannot be read at start: its folders are what is watched
        _print_problems(console, error.problems, f"the night {watched}", error.warnings)
        return EXIT_INVALID
    except WatchError as error:
        console.print(f"[red]cannot watch: {escape(str(error))}[/]", highlight=False, soft_wrap=True)
        return EXIT_INVALID
    except OSError as error:  # a watched folder gone, or the system's limit of watches reached
        say(f"cannot watch {watched} ({error.strerror or error}) — check that its folders exist and can be read, "
            "or watch with --poll")
        return EXIT_INVALID
    except KeyboardInterrupt as stop:
        if running:
            say(f"Stopped ({_stopped_by(stop)}) during {running[0]}: {session.STOPPED_MIDWAY}")
            return _interrupted_code(stop)
        say("Stopped watching.")
    return EXIT_OK


@contextlib.contextmanager
def _progress_shown(console: Console, *, plain: bool = True) -> Iterator[tuple[Progress, Callable[[str, int, int], None]]]:
    """A build's steps as they go (the ``progress`` a build is given): on a terminal, a bar per step;
    else (``plain``) a line as each step begins, with the time since the command began, so that a
    night's log (its output piped, or a cron job's) shows what it is doing and since when — it
    said nothing for minutes and then everything at once. ``epaper watch`` passes ``plain=False``:
    its log says each change and each version already."""
    columns = (TextColumn("{task.description:<20}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
               TimeElapsedColumn())
    tasks: dict[str, TaskID] = {}
    begun: set[str] = set()
    started = time.monotonic()
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        def progress(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(step, total=total)
            bar.update(tasks[step], completed=done, total=total)
            if plain and not console.is_terminal and step not in begun and done < total:  # (not one done already)
                begun.add(step)
                elapsed = int(time.monotonic() - started)
                console.print(f"[{elapsed // 60}:{elapsed % 60:02d}] {step}", markup=False, highlight=False)

        yield bar, progress


def _run_build(console: Console, out: Path, run, *, asked_for_pages: bool, printed: set[str] | None = None) -> int:
    """Run a build (``run(progress, on_wait)``) with a progress bar; print what it made or why not.
    ``asked_for_pages``: a replate or a locked build, made for a change in certain pages. ``printed``:
    the stories left out and the warnings printed for earlier builds (``epaper watch``), not
    printed again."""
    from epaper.build import OutputError, ReplateError
    from epaper.ingest.problems import ProblemsError
    from epaper.layout import LockError
    from epaper.layout.lock import REFIT_NOTE
    from epaper.layout.omissions import holes
    from epaper.tasks import SchedulerError

    with _progress_shown(console, plain=printed is None) as (bar, progress):
        try:
            result = run(progress, lambda message: console.print(message, markup=False, highlight=False))
        except ProblemsError as error:  # the edition folder, or (a replate of a night's edition) the night
            bar.stop()
            _print_problems(console, error.problems, error.SUBJECT, error.warnings)
            return EXIT_INVALID
        except LockError as error:
            bar.stop()
            console.print(f"[red]cannot lock pages: {error}[/]", highlight=False)
            return EXIT_INVALID
        except ReplateError as error:
            bar.stop()
            console.print(f"[red]cannot replate: {error}[/]", highlight=False, soft_wrap=True)
            return EXIT_INVALID
        except (OutputError, SchedulerError) as error:
            bar.stop()
            console.print(str(error), style="red", highlight=False, markup=False, soft_wrap=True)  # one line
            return EXIT_INVALID
        except OSError as error:  # a read-only or full output folder: the previous edition is kept
            bar.stop()
            where = f": {error.filename}" if error.filename else ""
            console.print(f"cannot write the output ({error.strerror or error}){where} — check that "
                          f"{out} is a writable folder with free space", markup=False, highlight=False)
            return EXIT_INVALID
    # A replate (asked for, or one a night's zone took): "Built 24 pages" read as if every page had been made again.
    if asked_for_pages or (result.version is not None and result.version.replated):
        console.print(f"[bold green]{result.pages} pages[/] in {result.seconds:.1f} s, {len(result.reuse.pages_made)} "
                      f"of them made again: {result.placed} articles placed, {result.unplaced} not placed.")
    else:
        console.print(f"[bold green]Built[/] {result.pages} pages in {result.seconds:.1f} s: "
                      f"{result.placed} articles placed, {result.unplaced} not placed.")
    if not result.published:
        assert result.version is not None  # the version that stays
        number, source = result.version.number, result.version.source
        if result.also:  # a night's replate run again: the zones had not followed yet
            said = f"{result.out_dir.name} prints as version {number} has it already: no new version of it"
        elif not asked_for_pages:
            said = f"Unchanged: every page prints as version {number} has it; no new version."
        else:
            # A story saved before that version was made is in it already (a watch may have published
            # it while this command waited): the time says so; a later save that changed nothing is not.
            from epaper.time_zones import today

            made = result.version.when(today(result.laid_out.edition.time_zone))
            said = (f"Nothing changed: every page prints as version {number} (made at {made}) has it, "
                    f"so no new version is published — a story saved before {made} is in it; else "
                    f"check that the story was changed and saved in "
                    + (f"a folder the night file {source} names" if result.version.night_edition else source))
        console.print(said, markup=False, highlight=False)
    elif result.version is not None and result.version.kept:
        # The pages that print differently from the version before (the plant's new plates: see
        # build.printed_differently); the reuse line below says which pages were drawn again.
        replated = result.version.replated
        made = (f"page{'s' if len(replated) != 1 else ''} {', '.join(map(str, replated))} printed anew"
                if replated else "the whole edition built again")
        of = f" of {result.out_dir.name}" if result.version.night_edition else ""  # a night's: which edition
        console.print(f"Version {result.version.number}{of} (updated {result.version.time}): {made}; version "
                      f"{result.version.kept[-1]} kept in {result.out_dir / 'versions' / str(result.version.kept[-1])}",
                      markup=False, highlight=False)
        in_place = {d.article_id: d.page for d in result.laid_out.decisions
                    if REFIT_NOTE in d.adjustments and d.page in replated}  # (the pages made now)
        if in_place:  # the desk sees the page did not move
            console.print("Set again in the place it had (the page kept as it was): " + ", ".join(
                f"{article} on page {page}" for article, page in in_place.items()), markup=False, highlight=False)
        elif result.laid_out.refit_refused:  # and why it moved, when it did
            console.print(f"Planned again, not kept as it was: {result.laid_out.refit_refused}", markup=False,
                          highlight=False)
    watch_printed: set[str] | None = None
    told: set[str] | None = None
    if ((asked_for_pages or printed is not None) and result.version is not None
            and (result.version.kept or not result.published)):
        # A replate at midnight (or a --lock): what the desk was told of the version it replates
        # (its report: kept in versions/<n>/, or still the published one when nothing changed) is
        # said again only as a count; what is new since is printed whole. In a watch, too: its
        # first step in an edition (a zone's, say) printed nothing of it before, but its report did.
        told = _told_of(result.out_dir / "versions" / str(result.version.kept[-1]) if result.published
                        else result.out_dir)
        if printed is None:
            printed = told
        elif told:
            # This step's view; the watch keeps what was said of its editions, not this report's lines.
            watch_printed, printed = printed, printed | told
    for other in result.also:  # a night's replate: the editions printing what changed follow
        assert other.version is not None
        refused = f"; planned again, not kept as it was: {other.laid_out.refit_refused}" if (
            other.laid_out.refit_refused) else ""
        replated = other.version.replated
        how = (f"page{'s' if len(replated) != 1 else ''} {', '.join(map(str, replated))} changed with it" if replated
               else "built whole with it")  # (epaper watch of a night whose night file changed)
        console.print(f"Also {other.out_dir.name}: version {other.version.number} (updated {other.version.time}), "
                      f"{how}{refused}", markup=False, highlight=False)
    if result.reuse.sections_reused or result.reuse.pages_reused:
        console.print(f"From the previous build: {result.reuse.summary()}.", markup=False, highlight=False)
    left_out = [_not_placed(item.article_id, item.reason) for item in result.laid_out.unplaced]
    for line in left_out:
        if printed is None or line not in printed:
            console.print(line, markup=False, highlight=False)
    before = 0 if printed is None else sum(line in printed for line in left_out)
    if before:
        console.print(f"  not placed, as before: {before} stor{'ies' if before != 1 else 'y'}", markup=False,
                      highlight=False)
    if printed is not None:
        printed.update(left_out)
    for hole in holes(result.laid_out):  # before the press sees it, not only among the warnings below
        console.print(f"  {hole} (outlined in report.html)", markup=False, highlight=False)
    _print_warnings(console, result.warnings, printed)
    output = [f"Output: {result.out_dir}", f"Open {result.out_dir / 'index.html'} or run: epaper serve {out}"]
    for line in output:
        if printed is None or line not in printed:
            console.print(line, markup=False, highlight=False)
    if printed is not None:
        printed.update(output)
    if watch_printed is not None and printed is not None:
        watch_printed.update(printed - (told or set()))
    return EXIT_OK


def _not_placed(article_id: str, reason: str) -> str:
    """The line a build prints of a story it left out (compared with what an earlier build printed)."""
    return f"  not placed: {article_id} — {reason}"


def _told_of(version_folder: Path) -> set[str] | None:
    """The lines a build of the edition kept in ``version_folder`` printed of its stories left out
    and its warnings (from its ``report.json``), as :func:`_run_build` prints them; None if its
    report cannot be read (then everything is printed)."""
    from epaper.ingest import Problem

    try:
        report = json.loads((version_folder / "report.json").read_text(encoding="utf-8"))
        told = {_not_placed(item["id"], item["reason"]) for item in report["unplaced"]}
        return told | {str(Problem(**warning)) for warning in report["warnings"]}  # (Problem.as_dict's keys)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _build_night(args, console: Console) -> int:
    with cycle_collector_paused():
        from epaper.build import OutputError
        from epaper.night import NightError, build_night
        from epaper.tasks import SchedulerError

    if not _output_options_ok(args, console):
        return EXIT_USAGE
    if _scheduler_problem(args, console):
        return EXIT_USAGE
    if _manifest_given(args.night_file, console, night_only=True):
        return EXIT_INVALID
    try:
        with _progress_shown(console) as (_, progress):
            result = build_night(args.night_file, args.out, workers=args.workers, base_url=args.base_url,
                                 scheduler=args.scheduler, strict=args.strict, progress=progress,
                                 on_wait=lambda message: console.print(message, markup=False, highlight=False))
    except NightError as error:
        _print_problems(console, error.problems, f"the night {args.night_file}", error.warnings)
        return EXIT_INVALID
    except (OutputError, SchedulerError) as error:
        console.print(str(error), style="red", highlight=False, markup=False, soft_wrap=True)  # one line
        return EXIT_INVALID
    except OSError as error:
        where = f": {error.filename}" if error.filename else ""
        console.print(f"cannot write the output ({error.strerror or error}){where} — check that "
                      f"{args.out} is a writable folder with free space", markup=False, highlight=False)
        return EXIT_INVALID
    if result.unchanged:
        console.print(f"[bold green]The night is unchanged[/] since its last build into {escape(str(args.out))} "
                      f"({result.seconds:.1f} s): its {len(result.summary)} editions are left as they are.",
                      highlight=False)
    else:
        console.print(f"[bold green]Built the night[/] in {result.seconds:.1f} s: {len(result.summary)} editions; "
                      f"{result.pages_made} page{'s' if result.pages_made != 1 else ''} drawn, "
                      f"{result.pages_reused} taken from the build cache "
                      "(the same page in another edition, or unchanged since the last build).", highlight=False)
    # An edition replated earlier tonight is on the press: each build publishes its next version, and
    # the pages that print differently are plates to make again; the desk is told which (the night
    # audit: a plain build-night after replates re-flowed two plates and said nothing of them).
    versions = {built.out_dir.name: built.version for built in result.editions
                if built.published and built.version is not None and built.version.number > 1}
    shown: set[str] = set()  # the warnings said in full, under an edition before
    for edition in result.summary:
        differs = ", ".join(map(str, edition.differing_pages)) or "none"
        console.print(f"  {edition.id}: {edition.pages} pages; differ from the main edition: {differs}",
                      markup=False, highlight=False)
        if (version := versions.get(edition.id)) is not None:
            changed = ", ".join(map(str, version.replated))
            console.print(f"    version {version.number} (version {version.number - 1} kept): "
                          + (f"page {changed} prints differently — a plate to make again" if len(version.replated) == 1
                             else f"pages {changed} print differently — plates to make again" if version.replated
                             else "no page prints differently"),
                          markup=False, highlight=False)
        for item in edition.unplaced:
            console.print(f"    not placed: {item.article_id} — {item.reason}", markup=False, highlight=False)
        for hole in edition.holes:  # a page that would go to press with a hole: not left among the warnings
            console.print(f"    {hole}", markup=False, highlight=False)
        for said in edition.night_file_warnings:
            console.print(f"    warning: {said}", markup=False, highlight=False)
        if edition.warnings:
            # Counted, the routine ones; said in full, the others — once: a zone's that the main
            # edition's pages give it were said above it.
            fresh = [said for said in edition.others if said not in shown]
            shown.update(edition.others)
            counted = [f"{edition.left_out} left out so a story fits (a photo, kicker, deck or byline)"] \
                if edition.left_out else []
            if len(fresh) < len(edition.others):
                counted.append(f"{len(edition.others) - len(fresh)} as said above")
            console.print(f"    {edition.warnings} warning{'s' if edition.warnings != 1 else ''} "
                          f"(listed in {edition.id}/report.html)" + (": " + "; ".join(counted) if counted else "")
                          + ("; and:" if fresh and counted else ":" if fresh else ""), markup=False, highlight=False)
            for said in fresh:
                console.print(f"      {said}", markup=False, highlight=False)
    for edition_id, other_night in result.others:
        console.print(f"  note: {edition_id} was built into {args.out} by another night file, {other_night}, "
                      "with the same main edition: it follows that night's builds, not this one's — build that "
                      "night too for it to print the main edition's pages as they are now", markup=False,
                      highlight=False)
    for edition_id in result.left_over:
        console.print(f"  warning: {edition_id} was built by this night before but is not in {args.night_file.name} "
                      "any more: it is left as published and no longer follows the main edition (the archive "
                      f"lists it as an edition of its own) — delete {args.out / edition_id} to stop publishing it",
                      markup=False, highlight=False)
    console.print(f"Open {args.out / 'index.html'} or run: epaper serve {args.out}", highlight=False)
    return EXIT_OK


def _serve(args, console: Console) -> int:
    from epaper.serve import ServeError, make_server

    root = args.dir
    if not root.is_dir():
        console.print(f"[red]{root}: no such folder — build an edition first (epaper build EDITION_DIR --out {root})[/]",
                      highlight=False, soft_wrap=True)
        return EXIT_INVALID
    try:
        server = make_server(root, args.host, args.port)
    except ServeError as error:
        console.print(f"[red]epaper serve: {error}[/]", highlight=False, soft_wrap=True)
        return EXIT_INVALID
    with server:
        url = served_url(args.host, server.server_address[1])
        console.print(f"Serving {root} at {url} (Ctrl-C to stop)", highlight=False, soft_wrap=True)
        hint = _rebase_hint(root, url)
        if hint:
            console.print(hint, highlight=False, soft_wrap=True)
        sys.stdout.flush()  # the address is what a script waiting on our output needs (--port 0)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return EXIT_OK


def _rebase_hint(root: Path, url: str) -> str | None:
    """A line for when the build's IIIF ids point elsewhere: external viewers would fetch from there."""
    import json

    try:
        collection_id = json.loads((root / "collection.json").read_text(encoding="utf-8"))["id"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(collection_id, str) or collection_id.startswith(url):
        return None
    built_for = collection_id.removesuffix("collection.json")
    return (f"The IIIF ids in {root} point to {built_for}; for IIIF viewers to load them from here, "
            f"run: epaper rebase {root} {url}")


def _rebase(args, console: Console) -> int:
    from epaper.rebase import RebaseError, rebase_output

    if not is_base_url(args.url):
        console.print(f"[red]URL must be an absolute http(s) URL without query or fragment, such as "
                      f"https://epaper.example.com/archive/ (got {args.url!r})[/]", highlight=False, soft_wrap=True)
        return EXIT_USAGE
    try:
        result = rebase_output(args.out_dir, args.url)
    except RebaseError as error:
        console.print(f"[red]{error}[/]", highlight=False, soft_wrap=True)
        return EXIT_INVALID
    console.print(f"Rebased {args.out_dir} from {', '.join(result.old_bases)} to {result.new_base}: "
                  f"{result.ids_changed} ids in {result.files_changed} files.", highlight=False, soft_wrap=True)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    # Paths from the file system may hold bytes that are not UTF-8 (as lone surrogates): show them
    # escaped rather than fail while printing the message about them.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    console = Console(stderr=False)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    handlers = {"build": _build, "replate": _replate, "watch": _watch, "validate": _validate, "serve": _serve,
                "rebase": _rebase, "build-night": _build_night}
    try:
        with stops.raised():
            return handlers[args.command](args, console)
    except KeyboardInterrupt as stop:  # (watch and serve say it their own way, and return)
        said = _STOPPED.get(args.command, "Stopped ({by}).")
        console.print(said.format(by=_stopped_by(stop)), markup=False, highlight=False)
        for note in getattr(stop, "__notes__", ()):  # what the command knew of where it stopped
            console.print(note, markup=False, highlight=False)
        return _interrupted_code(stop)


# What Ctrl-C (or SIGTERM) leaves, by command (what publishes does so whole, or not at all).
_PUBLISHED_KEPT = ("Stopped ({by}) before it finished: nothing it had not published yet is published; the "
                   "output folder keeps what was published before.")
_STOPPED = {"build": _PUBLISHED_KEPT, "replate": _PUBLISHED_KEPT, "build-night": _PUBLISHED_KEPT,
            "rebase": "Stopped ({by}) before it finished: some files may name the new URL, others the old — "
                      "run the same epaper rebase again to finish it."}


def _stopped_by(stop: KeyboardInterrupt) -> str:
    return "SIGTERM" if isinstance(stop, stops.Terminated) else "Ctrl-C"


def _interrupted_code(stop: KeyboardInterrupt) -> int:
    return EXIT_TERMINATED if isinstance(stop, stops.Terminated) else EXIT_INTERRUPTED


def import_commands() -> None:
    """What the commands import, imported now (a warm process keeps it: :mod:`epaper.warm`). Each
    command imports with the collector paused: what imports make lives as long as the process."""
    with cycle_collector_paused():
        import epaper.build  # noqa: F401
        import epaper.night  # noqa: F401
        import epaper.replate  # noqa: F401


def warm_up() -> None:
    """:func:`epaper.build.warm_up`, for a warm process (:mod:`epaper.warm`)."""
    from epaper.build import warm_up as load

    load()


def run() -> None:
    """The ``epaper`` command run in this process (see :func:`epaper.warm.run`, the entry point):
    :func:`main`, then the process ends at once. Tearing down the interpreter (every module, font,
    table and page it holds, freed one by one) took ~40 ms of every command after its work was
    done and said; nothing is left to it by then: files are closed, pools and children finished
    or on their own, and the output is flushed here. (:func:`main` itself returns, for callers in
    the same process.)"""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
