"""The command line as a user meets it: exit codes, messages naming the file, no tracebacks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "epaper", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})


def _tiny_edition(root: Path) -> Path:
    (root / "articles").mkdir(parents=True)
    (root / "edition.yaml").write_text(yaml.safe_dump({
        "title": "The Test Gazette", "date": "2026-11-28", "edition": "city", "language": "en",
        "format": "tabloid", "sections": [{"name": "Front", "pages": 1, "template": "front"},
                                          {"name": "News", "pages": 1}]}), encoding="utf-8")
    body = ["Residents of the harbour district met on Tuesday to discuss the new ferry timetable. " * 3] * 4
    for i, section in enumerate(["Front", "News", "News"]):
        (root / "articles" / f"story-{i}.md").write_text(
            "---\n" + yaml.safe_dump({"id": f"story-{i}", "section": section, "priority": i + 1,
                                      "headline": f"Ferry timetable changes number {i}"}) + "---\n\n"
            + "\n\n".join(body), encoding="utf-8")
    return root


def test_help_lists_the_commands():
    result = _run("--help")
    assert result.returncode == 0
    for command in ("build", "validate", "serve", "rebase"):
        assert command in result.stdout


def test_no_command_is_a_usage_error():
    assert _run().returncode == 2
    assert _run("build").returncode == 2


def test_validate_reports_the_file_and_exits_1(tmp_path):
    edition = _tiny_edition(tmp_path / "ed")
    (edition / "articles" / "bad.json").write_text('{"id": "bad", "section": "Nowhere", "headline": "x", "body": ["y"]}',
                                                   encoding="utf-8")
    result = _run("validate", str(edition))
    assert result.returncode == 1
    assert "articles/bad.json" in result.stdout and "Nowhere" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_build_of_broken_input_exits_1_without_traceback(tmp_path):
    edition = _tiny_edition(tmp_path / "ed")
    (edition / "articles" / "story-1.md").write_text("---\nheadline: [unclosed\n---\nbody", encoding="utf-8")
    result = _run("build", str(edition), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "articles/story-1.md" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.slow
def test_build_summary_names_pages_articles_and_output(tmp_path):
    edition = _tiny_edition(tmp_path / "ed")
    result = _run("build", str(edition), "--out", str(tmp_path / "out"), "--workers", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Built 2 pages" in result.stdout
    assert "3 articles placed" in result.stdout
    # Piped (a log), each step is a line as it begins, with the time since the command began.
    steps = [line.split("] ", 1)[1] for line in result.stdout.splitlines() if re.match(r"\[\d+:\d\d\] ", line)]
    assert steps == ["reading articles", "laying out pages", "drawing, rasterizing pages", "writing the epaper"], \
        result.stdout
    assert result.stdout.index("writing the epaper") < result.stdout.index("Built 2 pages")
    assert (tmp_path / "out" / "the-test-gazette-2026-11-28-city" / "index.html").is_file()
    # Three short stories do not fill a tabloid's two pages: each hole is said before the warnings.
    said = " ".join(result.stdout.split())
    assert said.index("has an empty space of about") < said.index("warning"), said
    assert "(outlined in report.html)" in said


@pytest.mark.slow
def test_lock_needs_a_previous_run_and_then_keeps_the_page(tmp_path):
    edition = _tiny_edition(tmp_path / "ed")
    out = tmp_path / "out"
    first = _run("build", str(edition), "--out", str(out), "--workers", "1", "--lock", "2")
    assert first.returncode == 1
    assert "no previous run to lock pages from" in first.stdout
    assert "Traceback" not in first.stdout + first.stderr
    assert _run("build", str(edition), "--out", str(out), "--workers", "1").returncode == 0
    plan = (out / "the-test-gazette-2026-11-28-city" / "plan.json").read_text(encoding="utf-8")
    same = _run("build", str(edition), "--out", str(out), "--workers", "1", "--lock", "2")
    assert same.returncode == 0 and "Nothing changed" in same.stdout, same.stdout + same.stderr
    front = edition / "articles" / "story-0.md"
    front.write_text(front.read_text(encoding="utf-8").replace("Tuesday", "Monday", 1), encoding="utf-8")
    again = _run("build", str(edition), "--out", str(out), "--workers", "1", "--lock", "2")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Version 2" in again.stdout and "page 1 printed anew;" in " ".join(again.stdout.split())
    assert "page locked" in (out / "the-test-gazette-2026-11-28-city" / "report.json").read_text(encoding="utf-8")
    assert '"number": 2' in plan


def test_lock_with_bad_page_list_is_a_usage_error(tmp_path):
    edition = _tiny_edition(tmp_path / "ed")
    result = _run("build", str(edition), "--out", str(tmp_path / "out"), "--lock", "two")
    assert result.returncode == 2
    assert "--lock takes page numbers like 1,3-4" in result.stdout


def test_the_command_ends_with_its_output_whole_when_piped(tmp_path):
    """``epaper`` ends its process without tearing the interpreter down (epaper.cli.run, or a warm
    process's command, epaper.warm): what it printed still reaches a pipe whole, and the exit code
    is main's."""
    edition = _tiny_edition(tmp_path / "ed")
    for i in range(3, 40):  # a long listing: more than one pipe buffer's worth of problems
        (edition / "articles" / f"bad-{i}.json").write_text(
            f'{{"id": "bad-{i}", "section": "Nowhere", "headline": "x", "body": ["y"]}}', encoding="utf-8")
    result = _run("validate", str(edition))
    assert result.returncode == 1
    assert all(f"articles/bad-{i}.json" in result.stdout for i in range(3, 40)), result.stdout[-500:]
    entry = subprocess.run([sys.executable, "-c", "from importlib.metadata import entry_points; "
                            "print(*[e.value for e in entry_points(group='console_scripts', name='epaper')])"],
                           capture_output=True, text=True, check=True)
    assert entry.stdout.strip() == "epaper.warm:run"


def test_a_command_imports_with_the_collector_paused_and_leaves_it_running():
    import gc

    from epaper.collector import cycle_collector_paused

    frozen = gc.get_freeze_count()
    with cycle_collector_paused():
        assert not gc.isenabled()
        import epaper.build  # noqa: F401
    assert gc.isenabled()  # a long epaper watch collects as before
    assert gc.get_freeze_count() > frozen  # what the imports made is not walked again
    gc.disable()
    try:
        with cycle_collector_paused():
            pass
        assert not gc.isenabled()  # paused by a caller: still paused
    finally:
        gc.enable()
    gc.unfreeze()


def test_a_replate_loads_no_module_it_does_not_use():
    """What ``epaper replate`` imports before it starts: not the night's modules (an edition of its
    own), not markdown-it (only a Markdown story read anew needs it), not regex (emergency breaks
    only), not importlib.metadata (a cluster's version check only): each import is paid by every
    replate."""
    code = ("import sys, epaper.replate; print(' '.join(m for m in ('epaper.night', 'markdown_it', 'regex', "
            "'importlib.metadata') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == ""


def test_ctrl_c_during_a_build_or_replate_is_exit_130_with_a_line_not_a_traceback(tmp_path, monkeypatch, capsys):
    """The desk stops a replate at midnight: one line saying what became of the output, no traceback."""
    import epaper.build
    import epaper.replate
    from epaper.cli import EXIT_INTERRUPTED, main

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(epaper.replate, "replate", stopped)
    monkeypatch.setattr(epaper.build, "build_edition", stopped)
    (tmp_path / "out").mkdir()
    assert main(["replate", str(tmp_path / "out"), "--page", "2"]) == EXIT_INTERRUPTED
    assert main(["build", str(_tiny_edition(tmp_path / "ed")), "--out", str(tmp_path / "out")]) == EXIT_INTERRUPTED
    said = capsys.readouterr()
    assert said.out.count("Stopped (Ctrl-C) before it finished") == 2 and "Traceback" not in said.out + said.err
