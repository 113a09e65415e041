"""The warm process (epaper.warm): a command run in a fork of one that has imported everything
already behaves as it would in its own process — same files, the caller's streams, folder and
environment, its exit code — and dies with its caller."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from epaper.warm import SWITCH, code_signature
from small_edition import SAMPLE, make_small_edition
from test_cli import _tiny_edition

# The caller's side of epaper.warm.run, reporting whether a warm process ran the command.
_CALLER = ("import sys\nfrom epaper import warm\ncode = warm._run_warm(sys.argv[1:])\n"
           "print('ran warm' if code is not None else 'not warm', code, file=sys.stderr)\n")


@pytest.fixture
def base():
    """A short private folder for the warm process's socket (a socket's name is ~108 bytes at
    most); the warm processes started from it are stopped afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="ew", dir="/tmp"))
    yield folder
    for pid in _processes_naming(folder):
        os.kill(pid, signal.SIGKILL)
    shutil.rmtree(folder, ignore_errors=True)


def _env(base: Path, **more: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("XDG_RUNTIME_DIR", SWITCH)}
    return {**env, "TMPDIR": str(base), **more}


def _processes_naming(folder: Path) -> list[int]:
    """Processes whose command line names ``folder`` (the warm process keeps the command line of
    the command it was forked from)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if str(folder).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _warm_process(base: Path) -> int:
    """Build once in a process of its own, which leaves the warm process; its id. (Its environment
    says 50 columns: a command it runs for a caller that says otherwise prints as the caller says.)"""
    edition = _tiny_edition(base / "first")
    subprocess.run([sys.executable, "-m", "epaper", "build", str(edition), "--out", str(base / "out0"),
                    "--workers", "1"], env=_env(base, COLUMNS="50"), check=True, capture_output=True, timeout=300)
    assert [p.name for p in (base / f"epaper-{os.getuid()}").iterdir()] == [f"warm-{code_signature()}.sock"]
    (warm,) = _processes_naming(base / "first")
    return warm


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a warm process needs Linux")
def test_a_command_runs_warm_as_in_its_own_process(base):
    _warm_process(base)
    edition = _tiny_edition(base / "ed")
    here = subprocess.run([sys.executable, "-m", "epaper", "build", "ed", "--out", "here", "--workers", "1"],
                          cwd=base, env=_env(base, **{SWITCH: "0"}), capture_output=True, text=True, timeout=300)
    warm = subprocess.run([sys.executable, "-c", _CALLER, "build", "ed", "--out", "warm", "--workers", "1"],
                          cwd=base, env=_env(base, COLUMNS="300"), capture_output=True, text=True, timeout=300)
    assert here.returncode == 0 and "ran warm 0" in warm.stderr, warm.stderr
    # The caller's streams and environment: its stdout, 300 columns (one line where 50 would wrap).
    assert "Built" in warm.stdout and "index.html or run: epaper serve warm" in warm.stdout, warm.stdout
    # The caller's folder (relative paths), and the same files as a process of its own makes.
    (folder,) = [p.parent for p in (base / "warm").glob("*/layout.json")]
    for page in sorted((base / "here" / folder.name / "pages").glob("*.pdf")):
        assert (folder / "pages" / page.name).read_bytes() == page.read_bytes(), page.name
    assert (folder / "layout.json").read_bytes() == (base / "here" / folder.name / "layout.json").read_bytes()
    # Its exit code and messages: a broken folder is exit 1, its file named, no traceback.
    (edition / "articles" / "story-1.md").write_text("---\nheadline: [unclosed\n---\nbody", encoding="utf-8")
    broken = subprocess.run([sys.executable, "-c", _CALLER, "validate", str(edition)], env=_env(base),
                            capture_output=True, text=True, timeout=300)
    assert "ran warm 1" in broken.stderr and "articles/story-1.md" in broken.stdout
    assert "Traceback" not in broken.stdout + broken.stderr


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a warm process needs Linux")
def test_a_killed_or_interrupted_caller_stops_its_command_and_its_workers(base):
    warm = _warm_process(base)
    # The whole sample (18 pages), not the small edition: the stop must come while pages are still
    # being drawn. With the small one, under a loaded CI machine, the build once finished between the
    # workers being seen and the signal (exit 0, the edition published).
    edition = SAMPLE
    said = {signal.SIGINT: "Stopped (Ctrl-C) before it finished", signal.SIGTERM: "Stopped (SIGTERM) before it finished"}
    for stop, code in ((signal.SIGKILL, -signal.SIGKILL), (signal.SIGINT, 128 + signal.SIGINT),
                       (signal.SIGTERM, 128 + signal.SIGTERM)):
        out = base / f"out-{stop.name}"
        with subprocess.Popen([sys.executable, "-m", "epaper", "build", str(edition), "--out", str(out),
                               "--workers", "2"], env=_env(base), stdout=subprocess.PIPE, text=True,
                              stderr=subprocess.DEVNULL) as caller:
            deadline = time.monotonic() + 60
            while not _children(warm) and time.monotonic() < deadline:  # the command started warm
                time.sleep(0.02)
            (command,) = _children(warm)
            while not _children(command) and time.monotonic() < deadline:  # drawing, with its workers
                time.sleep(0.02)
            workers = _children(command)
            assert workers, "the build's workers"
            caller.send_signal(stop)
            assert caller.wait(timeout=60) == code
            assert caller.stdout is not None
            assert said.get(stop, "") in caller.stdout.read(), stop.name  # the command's own words, not a kill's
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{pid}").exists() for pid in [command, *workers]) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in [command, *workers] if Path(f"/proc/{pid}").exists()], stop.name
        assert not list(out.glob("*/layout.json"))  # nothing published
    assert Path(f"/proc/{warm}").exists()  # and the warm process waits for the next command


def test_the_signature_follows_the_modules_and_the_switch_turns_warm_off(tmp_path, base):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    module = package / "sub" / "mod.py"
    module.write_text("x = 1\n", encoding="utf-8")
    first = code_signature(str(package))
    assert code_signature(str(package)) == first
    module.write_text("x = 22\n", encoding="utf-8")
    assert code_signature(str(package)) != first  # another module: another warm process
    (package / "styles.yaml").write_text("body: 9pt", encoding="utf-8")  # data the commands read
    second = code_signature(str(package))
    assert second != first
    os.utime(module, ns=(1, 1))
    assert code_signature(str(package)) != second
    (tmp_path / "layouts").mkdir()  # a checkout's layouts, beside the package
    third = code_signature(str(package))
    (tmp_path / "layouts" / "broadsheet.yaml").write_text("columns: 6", encoding="utf-8")
    assert code_signature(str(package)) != third
    # EPAPER_WARM=0: the command runs in its own process and leaves none behind.
    edition = _tiny_edition(base / "ed")
    done = subprocess.run([sys.executable, "-m", "epaper", "build", str(edition), "--out", str(base / "out"),
                           "--workers", "1"], env=_env(base, **{SWITCH: "0"}), capture_output=True, timeout=300)
    assert done.returncode == 0 and not (base / f"epaper-{os.getuid()}").exists()
    assert _processes_naming(base / "ed") == []


def test_a_socket_folder_others_can_open_is_not_used(base, monkeypatch):
    from epaper.warm import warm_socket

    monkeypatch.setenv("TMPDIR", str(base))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    assert warm_socket() is not None
    (base / f"epaper-{os.getuid()}").chmod(0o755)
    assert warm_socket() is None


def test_what_the_warm_process_answers_says_whether_and_how_the_command_ended():
    from epaper.warm import exit_code

    assert exit_code(b"started\nexit 0\n") == 0
    assert exit_code(b"started\nexit 1\n") == 1
    assert exit_code(b"started\n") == 128 + signal.SIGKILL  # it ran, and died
    assert exit_code(b"") is None  # it never ran there: the caller runs it itself


# A caller whose request the warm process cannot take (its working folder is gone by the time the
# command would start there): the command runs in the caller's own process instead.
_GONE = ("import os, sys\nfrom epaper import warm\nos.getcwd = lambda: '/no/such/folder/for/epaper'\n"
         "print('ran warm' if warm._run_warm(sys.argv[1:]) is not None else 'not warm', file=sys.stderr)\n")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a warm process needs Linux")
def test_a_request_the_warm_process_cannot_take_is_run_by_the_caller(base):
    _warm_process(base)
    edition = _tiny_edition(base / "ed")
    refused = subprocess.run([sys.executable, "-c", _GONE, "validate", str(edition)], env=_env(base),
                             capture_output=True, text=True, timeout=300)
    assert "not warm" in refused.stderr and refused.stdout == "", refused.stdout + refused.stderr
    again = subprocess.run([sys.executable, "-c", _CALLER, "validate", str(edition)], env=_env(base),
                           capture_output=True, text=True, timeout=300)
    assert "ran warm 0" in again.stderr  # and the warm process serves the next caller


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a warm process needs Linux")
def test_a_caller_with_another_nice_value_or_limit_runs_its_command_itself(base):
    import resource

    _warm_process(base)
    edition = _tiny_edition(base / "ed")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)

    def fewer_files() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft - 1, hard))

    same = subprocess.run([sys.executable, "-c", _CALLER, "validate", str(edition)], env=_env(base),
                          capture_output=True, text=True, timeout=300)
    assert "ran warm 0" in same.stderr and same.stdout
    for limited in (lambda: os.nice(1), fewer_files):
        refused = subprocess.run([sys.executable, "-c", _CALLER, "validate", str(edition)], env=_env(base),
                                 preexec_fn=limited, capture_output=True, text=True, timeout=300)
        assert "not warm" in refused.stderr and refused.stdout == "", refused.stdout + refused.stderr
        # The command line runs it itself then, and says what the warm process said.
        own = subprocess.run([sys.executable, "-m", "epaper", "validate", str(edition)], env=_env(base),
                             preexec_fn=limited, capture_output=True, text=True, timeout=300)
        assert own.returncode == 0 and own.stdout == same.stdout, own.stdout + own.stderr


# A build in a process that has imported every command (and warmed up, or not): the modules it
# imported while it ran.
_IMPORTED_BY_A_BUILD = """
import sys
from pathlib import Path
from epaper import build, cli
cli.import_commands()
if sys.argv[3] == "warm":
    build.warm_up()
before = set(sys.modules)
build.build_edition(Path(sys.argv[1]), Path(sys.argv[2]), workers=1)
print(" ".join(sorted(set(sys.modules) - before)))
"""


def test_a_warm_process_has_loaded_what_a_build_meets_first(tmp_path):
    # What a build otherwise loads when it first meets a Markdown story, a photo or a print page's
    # metadata is loaded by build.warm_up, so a command forked from a warm process does not.
    edition = make_small_edition(tmp_path / "ed")
    first_met = {"markdown_it", "lxml.etree", "PIL.JpegImagePlugin", "PIL.PngImagePlugin"}
    imported = {}
    for mode in ("cold", "warm"):
        run = subprocess.run([sys.executable, "-c", _IMPORTED_BY_A_BUILD, str(edition), str(tmp_path / mode), mode],
                             capture_output=True, text=True, timeout=600, env={**os.environ, SWITCH: "0"})
        assert run.returncode == 0, run.stderr
        imported[mode] = set(run.stdout.split())
    assert first_met <= imported["cold"]  # (else this test shows nothing)
    assert not first_met & imported["warm"], imported["warm"]
