"""The runner (epaper/tasks.py): the local pool and a Dask ``LocalCluster`` map tasks the same way, a
build on the cluster writes the local build's bytes, a worker killed mid-task is retried with
nothing half or twice written, and a bad scheduler address is one clear line."""

from __future__ import annotations

import re

import contextlib
import hashlib
import json
import logging
import os
import socket
from concurrent.futures import CancelledError
from pathlib import Path

import pytest

from epaper.publish.output import atomic_file, atomic_folder, remove_partials_below, walk_unsealed
from epaper.web.compress import precompress
from epaper.tasks import IN_PROCESS, LocalRunner, SchedulerError, folder_listing, open_runner, scheduler_address_problem
from tasks_support import Write, fail_on_three, read_file, square, wait_for_file, write_and_maybe_die, write_when_told

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes of one thread each. Every port is a free one, the scheduler's HTTP server's
    too (dashboard_address=None still binds 8787 for its metrics; another cluster there turns the
    'port in use' warning into a failed start): others run tests at the same moment."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, scheduler_port=0,
                                  dashboard_address=":0", silence_logs=logging.CRITICAL) as local:
        yield local


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once it is closed


# --- the local runner -------------------------------------------------------------------------------

@pytest.mark.parametrize("workers", [1, 2])
def test_local_runner_keeps_the_order_and_counts_progress(workers):
    done: list[int] = []
    with open_runner(workers=workers) as runner:
        assert runner.map(square, list(range(7)), progress=done.append) == [n * n for n in range(7)]
        assert runner.map(square, []) == []
    assert done == list(range(1, 8))


def test_local_runner_raises_the_tasks_error():
    runner = LocalRunner(2)
    try:
        with pytest.raises(ValueError, match="item 3 is bad"):
            runner.map(fail_on_three, [1, 2, 3, 4])
        assert runner.map(square, [2, 3]) == [4, 9]  # the pool still serves the next stage
    finally:
        runner.close()
    assert IN_PROCESS.map(square, [5]) == [25]


@pytest.mark.slow
def test_sections_planned_on_the_workers_make_the_layout_planned_in_one_process(sample_edition, sample_layout):
    """The sample edition's sections past the front and the section after it go to the workers
    (while those are planned here); the pages, decisions and plan are those of one process."""
    from epaper.layout import lay_out

    class Watching(LocalRunner):
        submitted: list[str] = []

        def submit(self, task, items):
            self.submitted += [item.spec.name for item in items]
            return super().submit(task, items)

    runner = Watching(2)
    try:
        pooled = lay_out(sample_edition, runner=runner)
    finally:
        runner.close()
    names = [spec.name for spec in sample_edition.sections]
    assert sorted(runner.submitted) == sorted(names[2:]), runner.submitted  # the front and the next: here
    assert pooled.pages == sample_layout.pages
    assert pooled.decisions == sample_layout.decisions and pooled.plan == sample_layout.plan
    assert pooled.unplaced == sample_layout.unplaced


@pytest.mark.parametrize("workers", [1, 2])
def test_a_submitted_batch_runs_while_the_caller_goes_on(workers, tmp_path):
    """submit returns before its tasks are done (on a pool they run meanwhile; with one worker they
    run when the results are asked for); results() gives them in order, like map."""
    go = tmp_path / "go"
    done: list[int] = []
    with open_runner(workers=workers) as runner:
        batch = runner.submit(wait_for_file, [(go, n) for n in range(5)])  # each task waits for `go`
        other = runner.submit(square, [3, 4])
        go.write_text("go", encoding="utf-8")  # only after submit returned: it did not wait for them
        assert batch.results(progress=done.append) == list(range(5))
        assert other.results() == [9, 16]
    assert done == list(range(1, 6))


def test_a_cancelled_batch_runs_no_task_after_it_returns(tmp_path):
    """cancel drops the tasks not started and returns once the running ones ended (they write into
    the build's folder, which the build lets go after a failure)."""
    go = tmp_path / "go"
    with open_runner(workers=2) as runner:
        batch = runner.submit(write_when_told, [(tmp_path, n, go) for n in range(8)])
        go.write_text("go", encoding="utf-8")
        batch.cancel()
        written = sorted(p.name for p in tmp_path.glob("*.txt"))
        assert len(written) < 8  # the pool takes two at a time: the rest were dropped
        with pytest.raises(CancelledError):
            batch.results()
    assert sorted(p.name for p in tmp_path.glob("*.txt")) == written  # nothing ran on after cancel
    assert not list(tmp_path.glob(".*.partial"))


# --- writing whole files ----------------------------------------------------------------------------

def test_atomic_file_and_folder_appear_whole_or_not_at_all(tmp_path):
    target = tmp_path / "page.pdf"
    with pytest.raises(RuntimeError), atomic_file(target) as partial:
        partial.write_bytes(b"half")
        raise RuntimeError("killed")
    assert list(tmp_path.iterdir()) == []
    with atomic_file(target) as partial:
        assert not target.exists()
        partial.write_bytes(b"whole")
    assert target.read_bytes() == b"whole" and list(tmp_path.iterdir()) == [target]

    tiles = tmp_path / "tiles"
    with atomic_folder(tiles) as folder:
        (folder / "a.jpg").write_bytes(b"first")
    with atomic_folder(tiles) as folder:  # a second run of the same task: the finished folder stays
        (folder / "a.jpg").write_bytes(b"second")
    assert [p.name for p in tiles.iterdir()] == ["a.jpg"] and (tiles / "a.jpg").read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.pdf", "tiles"]


def test_leftovers_of_killed_writers_are_swept(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "001.pdf").write_bytes(b"whole")
    (tmp_path / "pages" / ".001.pdf.x1.partial").write_bytes(b"ha")
    (tmp_path / "tiles" / ".001.x2.partial" / "deep").mkdir(parents=True)
    (tmp_path / ".hidden-but-kept").write_text("")
    remove_partials_below(tmp_path)
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert left == [".hidden-but-kept", "pages", "pages/001.pdf", "tiles"]


def test_a_sealed_folder_is_not_walked(tmp_path):
    """Folders that are not the caller's to look through (the versions a replated edition keeps)
    are passed by; the sweep of a killed task's leftovers and the precompressing go through all."""
    for relative in ("versions/1/pages/001.pdf", "versions/1/index.html", "index.html", "pages/.x.partial"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x" * 2000)
    walked = {os.path.relpath(os.path.join(parent, name), tmp_path)
              for parent, _, names in walk_unsealed(tmp_path, {"versions"}) for name in names}
    assert walked == {"index.html", "pages/.x.partial"}
    assert {os.path.relpath(os.path.join(parent, name), tmp_path)
            for parent, _, names in walk_unsealed(tmp_path) for name in names} == walked | {
        "versions/1/pages/001.pdf", "versions/1/index.html"}
    remove_partials_below(tmp_path)
    assert not (tmp_path / "pages/.x.partial").exists()
    assert precompress(tmp_path) == 2  # both index.html
    assert (tmp_path / "versions/1/index.html.gz").exists() and (tmp_path / "index.html.gz").exists()


# --- the scheduler address --------------------------------------------------------------------------

@pytest.mark.parametrize("address", ["localhost:8786", "http://127.0.0.1:8786", "tcp://127.0.0.1",
                                     "tcp://:8786", "tcp://127.0.0.1:99999", "tcp://127.0.0.1:8786/x"])
def test_a_malformed_scheduler_address_is_named(address):
    problem = scheduler_address_problem(address)
    assert problem and "tcp://HOST:8786" in problem and repr(address) in problem


def test_a_well_formed_address_passes():
    assert scheduler_address_problem("tcp://10.0.0.5:8786") is None
    assert scheduler_address_problem("tls://scheduler.example:8786") is None


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path):
    address = f"tcp://127.0.0.1:{_closed_port()}"
    with pytest.raises(SchedulerError) as caught, open_runner(scheduler=address):
        pass
    message = str(caught.value)
    assert "\n" not in message and address in message and "dask scheduler" in message


@pytest.mark.parametrize("reply", [b"", b"HTTP/1.0 200 OK\r\n\r\n"])
def test_a_port_that_is_not_a_dask_scheduler_is_refused_not_waited_on(monkeypatch, reply):
    """The dashboard's port (8787 for 8786), a web server, a silent listener: Dask's Client waits for
    their handshake for ever. They say nothing when connected to, and are refused in a line."""
    from epaper import tasks

    monkeypatch.setattr(tasks, "CONNECT_SECONDS", 0.5)
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
        with pytest.raises(SchedulerError, match="does not answer as a Dask scheduler") as caught, \
                open_runner(scheduler=address):
            pass
        connection, _ = server.accept()
        connection.sendall(reply)  # (a web server answers only once asked: too late)
        connection.close()
    assert "\n" not in str(caught.value) and address in str(caught.value) and "Scheduler at:" in str(caught.value)


def test_a_tls_address_without_certificates_is_refused_in_a_line(cluster):
    address = cluster.scheduler_address.replace("tcp://", "tls://")
    with pytest.raises(SchedulerError, match="TLS address") as caught, open_runner(scheduler=address):
        pass
    assert "distributed.comm.tls" in str(caught.value) and "\n" not in str(caught.value)


def test_the_command_line_says_it_in_one_line(tmp_path, capsys):
    from epaper.cli import main

    from small_edition import make_small_edition

    edition = make_small_edition(tmp_path / "edition")
    address = f"tcp://127.0.0.1:{_closed_port()}"
    assert main(["build", str(edition), "--out", str(tmp_path / "out"), "--scheduler", address]) == 1
    out = capsys.readouterr().out
    assert "Traceback" not in out and f"cannot reach the Dask scheduler at {address}" in out
    # (its output not a terminal, the steps begun are lines too: "[0:00] reading articles")
    said = [line for line in out.strip().splitlines() if not re.match(r"\[\d+:\d\d\] ", line)]
    assert len(said) == 1, out
    assert not list((tmp_path / "out").glob("*/layout.json"))  # nothing was built
    assert main(["build", str(edition), "--out", str(tmp_path / "out"), "--scheduler", "localhost:8786"]) == 2
    assert "tcp://HOST:8786" in capsys.readouterr().out


# --- on a Dask LocalCluster -------------------------------------------------------------------------

def test_dask_runner_keeps_the_order_counts_progress_and_raises(cluster):
    done: list[int] = []
    with open_runner(scheduler=cluster.scheduler_address) as runner:
        assert runner.workers == 2
        assert runner.map(square, list(range(9)), progress=done.append) == [n * n for n in range(9)]
        with pytest.raises(ValueError, match="item 3 is bad"):  # the task's own error, after its retries
            runner.map(fail_on_three, [1, 2, 3, 4])
        assert runner.map(square, []) == []
    assert done == list(range(1, 10))


def test_dask_runner_submits_a_batch_and_goes_on(cluster, tmp_path):
    go = tmp_path / "go"
    done: list[int] = []
    with open_runner(scheduler=cluster.scheduler_address) as runner:
        batch = runner.submit(wait_for_file, [(go, n) for n in range(4)])  # each task waits for `go`
        failing = runner.submit(fail_on_three, [1, 2, 3])
        go.write_text("go", encoding="utf-8")  # only after submit returned
        assert batch.results(progress=done.append) == list(range(4))
        with pytest.raises(ValueError, match="item 3 is bad"):
            failing.results()
        assert runner.submit(square, []).results() == []
    assert done == list(range(1, 5))


def test_a_worker_killed_mid_task_is_retried_and_nothing_is_half_or_twice_written(cluster, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    marker = tmp_path / "died"
    jobs = [Write(out, n, marker if n == 2 else None) for n in range(1, 6)]
    with open_runner(scheduler=cluster.scheduler_address, shared_folder=tmp_path) as runner:
        names = runner.map(write_and_maybe_die, jobs)
    assert marker.exists(), "the task did not kill its worker"
    assert names == [f"{n:03d}.txt" for n in range(1, 6)]
    partial = [p for p in out.iterdir() if p.name.endswith(".partial")]
    assert len(partial) == 1 and partial[0].name.startswith(".002.txt.")  # what the killed run left
    remove_partials_below(out)
    assert sorted(p.name for p in out.iterdir()) == names
    for n in range(1, 6):
        assert (out / f"{n:03d}.txt").read_text() == f"item {n}\n" * 500 + "end\n"


def test_workers_that_cannot_see_the_output_folder_are_refused(cluster, tmp_path, monkeypatch):
    """The workers here share this machine's disk, so blindness is simulated: the probe file is
    removed before they look (what a worker on another machine without the shared mount sees)."""
    from epaper import tasks

    real = tasks._check_shared

    def blind(client, folder):
        original_write = Path.write_text

        def write_then_hide(self, *args, **kwargs):
            result = original_write(self, *args, **kwargs)
            if self.name.startswith(".epaper-probe-"):
                self.unlink()
            return result

        monkeypatch.setattr(Path, "write_text", write_then_hide)
        try:
            real(client, folder)
        finally:
            monkeypatch.setattr(Path, "write_text", original_write)

    monkeypatch.setattr(tasks, "_check_shared", blind)
    with pytest.raises(SchedulerError, match="cannot see the output folder") as caught, \
            open_runner(scheduler=cluster.scheduler_address, shared_folder=tmp_path):
        pass
    assert "\n" not in str(caught.value) and str(tmp_path) in str(caught.value)
    assert [p.name for p in tmp_path.iterdir()] == []  # the probe is gone


def test_workers_running_other_epaper_code_are_refused_and_make_no_file(cluster, tmp_path, monkeypatch):
    """The version number says nothing (0.1.0 from commit to commit): a worker whose code, fonts or
    libraries differ makes other bytes, into the build cache under this code's keys. Refused when
    the build connects, and by every task (a worker that joins later)."""
    with open_runner(scheduler=cluster.scheduler_address) as runner:
        runner._code = "another epaper"  # the build's code as a late worker would differ from it
        with pytest.raises(SchedulerError, match="runs other epaper code than this build") as caught:
            runner.map(write_and_maybe_die, [Write(tmp_path, 1)])
        assert not list(tmp_path.iterdir())  # the task did not run
        assert "install the same epaper on every worker" in str(caught.value)
    from epaper.cache import keys

    monkeypatch.setattr(keys, "code_fingerprint", lambda: "this machine's other code")  # (here, not on the workers)
    with pytest.raises(SchedulerError, match=r"Dask worker tcp://\S+ runs other epaper code") as caught, \
            open_runner(scheduler=cluster.scheduler_address):
        pass


def test_a_file_a_worker_cannot_read_is_said_as_that_workers(cluster, tmp_path):
    """Not as the desk's output folder's ("cannot write the output … check --out")."""
    with open_runner(scheduler=cluster.scheduler_address) as runner, \
            pytest.raises(SchedulerError, match=r"on Dask worker tcp://\S+: .*missing.jpg") as caught:
        runner.map(read_file, [tmp_path / "missing.jpg"])
    assert "check that file on that worker" in str(caught.value) and "\n" not in str(caught.value)


def test_a_cluster_left_without_workers_fails_the_build_in_a_line(tmp_path, monkeypatch):
    """Every worker gone mid-build: the tasks would wait for ever, the build silent."""
    from epaper import tasks

    monkeypatch.setattr(tasks, "NO_WORKERS_SECONDS", 1.0)
    monkeypatch.setattr(tasks, "POLL_SECONDS", 0.2)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, scheduler_port=0,
                                  dashboard_address=":0", silence_logs=logging.CRITICAL) as own, \
            open_runner(scheduler=own.scheduler_address) as runner:
        batch = runner.submit(wait_for_file, [(tmp_path / "never", 1)])
        own.scale(0)
        with pytest.raises(SchedulerError, match="has had no workers for 1 s") as caught:
            batch.results()
    assert "dask worker" in str(caught.value) and "\n" not in str(caught.value)


def test_workers_that_cannot_write_the_output_folder_are_refused(tmp_path):
    from epaper.tasks import _check_shared, write_probe

    class ReadOnly:  # a worker that sees the folder but has it mounted read-only
        def run(self, function, *args, on_error):
            if function is write_probe:
                return {"tcp://10.0.0.9:40000": "Read-only file system"}
            return {"tcp://10.0.0.9:40000": function(*args)}

    out = tmp_path / "out"
    with pytest.raises(SchedulerError, match="tcp://10.0.0.9:40000 cannot write into the output folder") as caught:
        _check_shared(ReadOnly(), out)
    assert "Read-only file system" in str(caught.value)
    assert not out.exists()  # made for the check, gone with the refusal
    assert write_probe(str(tmp_path)) is None and list(tmp_path.iterdir()) == []


def test_workers_without_the_same_fonts_or_photos_are_refused(cluster, tmp_path):
    photos = tmp_path / "edition" / "images"
    photos.mkdir(parents=True)
    (photos / "a.jpg").write_bytes(b"x" * 10)
    with open_runner(scheduler=cluster.scheduler_address, same_folders=[photos.parent]) as runner:
        assert runner.map(square, [2]) == [4]  # the workers share this disk: the same files


    class Elsewhere:  # a worker on a machine where the folder holds one photo fewer
        def run(self, function, folder, on_error):
            listing = function(folder)
            return {"tcp://10.0.0.9:40000": listing[:-1]}

    from epaper.tasks import _check_same

    (photos / "b.jpg").write_bytes(b"y")
    with pytest.raises(SchedulerError, match="tcp://10.0.0.9:40000 does not have") as caught:
        _check_same(Elsewhere(), photos.parent)
    assert str(photos.parent) in str(caught.value) and "\n" not in str(caught.value)
    assert "(images/b.jpg is missing there)" in str(caught.value)
    # A story is read by the machine laying out only: one saved meanwhile is no reason to refuse.
    (photos.parent / "articles").mkdir()
    (photos.parent / "articles" / "story.md").write_text("new words")
    assert [name for name, _ in folder_listing(str(photos.parent))] == ["images/a.jpg", "images/b.jpg"]


@pytest.mark.slow
def test_a_task_that_kills_every_worker_is_one_clear_error():
    """Dask gives up on a task after it took down allowed-failures workers (KilledWorker): the build
    says so in a line, not with the scheduler's traceback. A cluster of its own, so the workers it
    kills are no other test's."""
    import dask

    from tasks_support import always_die

    with dask.config.set({"distributed.scheduler.allowed-failures": 1}), \
            distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, scheduler_port=0,
                                     dashboard_address=":0", silence_logs=logging.CRITICAL) as own, \
            open_runner(scheduler=own.scheduler_address) as runner, \
            pytest.raises(SchedulerError, match="took down every Dask worker") as caught:
        runner.map(always_die, [1])
    assert "\n" not in str(caught.value) and "always_die" in str(caught.value)


def _digests(root: Path) -> dict[str, str]:
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            found[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _timing_free(root: Path) -> dict[str, str]:
    """Digests of every file under ``root`` but the build cache (``.store``: the builder's, not the
    output's); report.json (and its .gz copy) by its content without the build's wall-clock time,
    and version.json without the time it was made: the figures that legitimately differ between
    two builds."""
    found = {name: digest for name, digest in _digests(root).items() if not name.startswith(".store/")}
    for version in root.glob("*/version.json"):
        data = json.loads(version.read_text(encoding="utf-8"))
        data.pop("made")
        found[str(version.relative_to(root))] = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    for report in root.glob("*/report.json"):
        data = json.loads(report.read_text(encoding="utf-8"))
        data["totals"].pop("build_seconds")
        key = str(report.relative_to(root))
        found[key] = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
        found.pop(key + ".gz")
    return found


@pytest.mark.slow
def test_the_cluster_build_is_the_local_build_byte_for_byte(cluster, sample_build, tmp_path):
    from epaper.build import build_edition
    from conftest import SAMPLE

    local, local_root = sample_build
    result = build_edition(SAMPLE, tmp_path, scheduler=cluster.scheduler_address)
    assert result.pages == local.pages
    assert _timing_free(tmp_path) == _timing_free(local_root)


class _KillOnce:
    """Wraps a runner: its first task's first run is killed mid-write (see tasks_support.DieMidWrite)."""

    def __init__(self, runner, marker: Path):
        self._runner, self._marker = runner, marker

    @property
    def workers(self):
        return self._runner.workers

    def map(self, task, items, *, progress=None):
        from tasks_support import DieMidWrite

        return self._runner.map(DieMidWrite(task, self._marker), items, progress=progress)

    def submit(self, task, items):
        from tasks_support import DieMidWrite

        return self._runner.submit(DieMidWrite(task, self._marker), items)


@pytest.mark.slow
def test_a_cold_build_whose_worker_died_after_making_a_page_claims_no_page_reused(cluster, tmp_path, monkeypatch):
    """The task run again finds what its first run stored before the worker died: made by this
    build all the same, not "reused from the previous build" (there was none)."""
    from epaper import build as build_module
    from small_edition import make_small_edition
    from tasks_support import DieAfter

    make_small_edition(tmp_path / "edition")
    marker = tmp_path / "died"
    real_open = build_module.open_runner

    class _DieAfterOnce(_KillOnce):
        def map(self, task, items, *, progress=None):
            return self._runner.map(DieAfter(task, self._marker), items, progress=progress)

        def submit(self, task, items):
            return self._runner.submit(DieAfter(task, self._marker), items)

    @contextlib.contextmanager
    def dying_runner(**kwargs):
        with real_open(**kwargs) as runner:
            yield _DieAfterOnce(runner, marker)

    monkeypatch.setattr(build_module, "open_runner", dying_runner)
    result = build_module.build_edition(tmp_path / "edition", tmp_path / "out", scheduler=cluster.scheduler_address)
    assert marker.exists() and int(marker.read_text()) != os.getpid()  # a worker died, after its page was made
    assert result.reuse.pages_reused == () and len(result.reuse.pages_made) == result.pages


def _links(root: Path) -> dict[str, int]:
    """How many names each file has (a night hard-links the pages its editions share)."""
    return {str(p.relative_to(root)): p.stat().st_nlink for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_a_night_on_the_cluster_whose_worker_dies_mid_write_is_the_local_night(cluster, tmp_path, monkeypatch):
    """build-night on the cluster, one worker killed mid-write (a temporary file written whole, not
    yet renamed into place): the task runs again elsewhere and every edition's files are the local
    night's bytes, shared alike, with nothing half or twice written (no .partial, nothing extra)."""
    import yaml

    from epaper.night import build as night_build
    from small_edition import make_small_edition

    make_small_edition(tmp_path / "main")
    night = tmp_path / "night.yaml"
    night.write_text(yaml.safe_dump({"main": "main", "variants": [{"edition": "Quiet"}]}), encoding="utf-8")
    local = night_build.build_night(night, tmp_path / "local", workers=1)

    marker = tmp_path / "died"
    real_open = night_build.open_runner

    @contextlib.contextmanager
    def killing_runner(**kwargs):
        with real_open(**kwargs) as runner:
            yield _KillOnce(runner, marker)

    monkeypatch.setattr(night_build, "open_runner", killing_runner)
    remote = night_build.build_night(night, tmp_path / "remote", scheduler=cluster.scheduler_address)
    assert marker.exists(), "no worker was killed"
    assert int(marker.read_text()) != os.getpid()  # a worker, not this process
    assert [e.out_dir.name for e in remote.editions] == [e.out_dir.name for e in local.editions]
    # Pages the same in both editions are one file: made once in the build cache (epaper.cache) and
    # linked into both, on the cluster as locally.
    assert (remote.pages_made, remote.pages_reused) == (local.pages_made, local.pages_reused)
    assert _timing_free(tmp_path / "remote") == _timing_free(tmp_path / "local")
    assert _links(tmp_path / "remote") == _links(tmp_path / "local")
    quiet, main = (tmp_path / "local" / e.out_dir.name for e in reversed(local.editions))
    assert any(os.path.samefile(pdf, main / "pages" / pdf.name) for pdf in (quiet / "pages").glob("*.pdf"))


def test_build_night_with_an_unreachable_scheduler_is_one_line(tmp_path, capsys):
    import yaml

    from epaper.cli import main
    from small_edition import make_small_edition

    make_small_edition(tmp_path / "main")
    night = tmp_path / "night.yaml"
    night.write_text(yaml.safe_dump({"main": "main", "variants": [{"edition": "Quiet"}]}), encoding="utf-8")
    address = f"tcp://127.0.0.1:{_closed_port()}"
    assert main(["build-night", str(night), "--out", str(tmp_path / "out"), "--scheduler", address]) == 1
    out = capsys.readouterr().out
    assert "Traceback" not in out and len(out.strip().splitlines()) == 1 and address in out
    assert main(["build-night", str(night), "--out", str(tmp_path / "out"), "--scheduler", "tcp://x"]) == 2
