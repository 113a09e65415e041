"""Running a stage's per-item work: on this machine's worker processes, or on a Dask cluster.

A stage hands a :class:`Runner` a *task* — a top-level function of one item, so it pickles by name —
and the items; it gets the results back in the items' order: at once (``map``), or later from the
:class:`Batch` ``submit`` returns, so that the caller does other work while the workers run it
(``epaper build-night`` lays out its zones while the main edition's pages are made). Two runners do it:

* :class:`LocalRunner` (the default): a pool of this machine's processes (:func:`epaper.workers.worker_pool`,
  whose workers die with the build), or the calling thread for one worker. The pool starts on the
  first map that needs it and serves every stage of the build after that.
* :class:`DaskRunner`: the workers of a Dask distributed scheduler (``epaper build --scheduler
  tcp://HOST:PORT``). The same task functions run with the same items, so the files are the same
  bytes. Workers write straight into the build's output folder, which is why it must be on a file
  system every worker shares at the same path (checked when connecting, see :func:`open_runner`).

Tasks must be idempotent and write their files whole (temp file + ``os.replace``, see
:func:`epaper.publish.output.atomic_file`): Dask runs a task again when it raised (``retries=``) or
when its worker died under it, and the run that was cut off may have left a ``.partial`` file, never
a half-written output (the staging folder is swept of them before it is published).
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed, wait
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar
from urllib.parse import urlsplit

from epaper.stops import held
from epaper.workers import worker_pool

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["Batch", "DaskRunner", "IN_PROCESS", "LocalRunner", "Runner", "SchedulerError", "folder_listing", "open_runner",
           "scheduler_address_problem"]

Item = TypeVar("Item")
Result = TypeVar("Result")
Progress = Callable[[int], None]  # told how many items are done, after each one (from the caller's thread)

SCHEDULER_SCHEMES = ("tcp", "tls")
CONNECT_SECONDS = 10.0
# A task that raised is run again this many times (a worker's disk hiccup, a lost connection). A
# task whose worker *died* is rescheduled by the scheduler itself, up to its
# ``distributed.scheduler.allowed-failures`` (default 3), then the build fails with KilledWorker.
TASK_RETRIES = 2
POLL_SECONDS = 2.0  # how often a batch waiting on a cluster asks whether it still has workers
NO_WORKERS_SECONDS = 30.0  # a cluster without workers this long fails the build (else it waits, silent)


class Batch(Protocol[Result]):
    """Tasks handed to a runner's workers and running there; the caller collects their results."""

    def results(self, *, progress: Progress | None = None) -> list[Result]:
        """The results in the items' order, once all are done; raises the first task's error."""
        ...

    def cancel(self) -> None:
        """Drop the tasks not started yet (after a failure elsewhere). On the local pool, returns once
        those running have ended; a Dask worker may finish one after (tasks write whole files)."""
        ...


class Runner(Protocol):
    """Maps a top-level function over items; results in the items' order."""

    @property
    def workers(self) -> int:
        """How many tasks can run at once."""
        ...

    def map(self, task: Callable[[Item], Result], items: Sequence[Item], *,
            progress: Progress | None = None) -> list[Result]: ...

    def submit(self, task: Callable[[Item], Result], items: Sequence[Item]) -> Batch[Result]:
        """Start the tasks and return at once; ``submit(...).results()`` is ``map``."""
        ...


class SchedulerError(Exception):
    """The Dask scheduler cannot run the build; the message (one line) says why and what to do."""


class WorkerProblem(Exception):
    """Raised on a Dask worker (:func:`on_worker`): it runs other epaper code than the build, or a
    file is not as the build needs it there. The message (one line) names the worker."""


def worker_code() -> str:
    """Run on a worker: the fingerprint of the epaper code, fonts, layouts and libraries it runs."""
    from epaper.cache.keys import code_fingerprint

    return code_fingerprint()


def on_worker(item: Item, *, task: Callable[[Item], Result], code: str) -> Result:
    """Run on a Dask worker: ``task(item)``, once the worker's code is the build's. Each task checks:
    a worker that joined after the build checked the cluster (:func:`open_runner`) would otherwise
    make the files with other code, into the build cache under this code's keys. A file the worker
    cannot read or write is said as that worker's, not as the desk's output folder's."""
    from distributed import get_worker

    worker = get_worker().address
    if worker_code() != code:
        raise WorkerProblem(f"Dask worker {worker} runs other epaper code than this build (another version, "
                            f"or other fonts, layouts or libraries): install the same epaper on every worker "
                            f"and restart it")
    try:
        return task(item)
    except OSError as error:
        raise WorkerProblem(f"on Dask worker {worker}: {error} — check that file on that worker (its mounts of the "
                            f"edition and output folders, their free space and permissions there)") from None


class LocalRunner:
    """This machine: ``workers`` processes (the calling thread when 1)."""

    def __init__(self, workers: int = 2) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1 (got {workers})")
        self._workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    @property
    def workers(self) -> int:
        return self._workers

    def map(self, task: Callable[[Item], Result], items: Sequence[Item], *,
            progress: Progress | None = None) -> list[Result]:
        if len(items) <= 1:
            # No pool for one item: starting processes would cost more than it saves.
            return _InThread(task, items).results(progress=progress)
        return self.submit(task, items).results(progress=progress)

    def submit(self, task: Callable[[Item], Result], items: Sequence[Item]) -> Batch[Result]:
        if self._workers == 1:
            return _InThread(task, items)  # run when its results are asked for
        # A submit may fork a worker (the pool starts them as work comes): Ctrl-C or SIGTERM is
        # raised after it, not in it (epaper.stops), once the batch's tasks that run have ended
        # (they write into the build's folder, which the caller lets go as the stop passes).
        batch: _PoolBatch[Result] = _PoolBatch([])
        try:
            with held():
                pool = self._started()
                batch = _PoolBatch([pool.submit(task, item) for item in items])
        except KeyboardInterrupt:
            batch.cancel()
            raise
        return batch

    def _started(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = worker_pool(self._workers)
            return self._pool

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


class _InThread(Generic[Item, Result]):
    """Tasks run in the calling thread, when their results are asked for (one worker: no pool)."""

    def __init__(self, task: Callable[[Item], Result], items: Sequence[Item]) -> None:
        self._task, self._items = task, list(items)

    def results(self, *, progress: Progress | None = None) -> list[Result]:
        results = []
        for item in self._items:
            results.append(self._task(item))
            if progress:
                progress(len(results))
        return results

    def cancel(self) -> None:
        self._items = []


class _PoolBatch(Generic[Result]):
    """Tasks running on a local process pool."""

    def __init__(self, futures: list[Future[Result]]) -> None:
        self._futures = futures

    def results(self, *, progress: Progress | None = None) -> list[Result]:
        try:
            for done, future in enumerate(as_completed(self._futures), start=1):
                future.result()  # the first failure stops the batch
                if progress:
                    progress(done)
        except BaseException:
            self.cancel()
            raise
        return [future.result() for future in self._futures]

    def cancel(self) -> None:
        for future in self._futures:
            future.cancel()
        # Those running write into the build's folder: they end before the caller lets it go.
        wait(self._futures)


IN_PROCESS = LocalRunner(1)  # runs every task in the calling thread; holds no processes


class DaskRunner:
    """The workers of a Dask distributed cluster, through ``client``."""

    def __init__(self, client: Client, *, retries: int = TASK_RETRIES) -> None:
        self._client = client
        self._retries = retries
        self._code = worker_code()

    @property
    def workers(self) -> int:
        return max(1, sum(w.get("nthreads", 1) for w in self._client.scheduler_info()["workers"].values()))

    def map(self, task: Callable[[Item], Result], items: Sequence[Item], *,
            progress: Progress | None = None) -> list[Result]:
        return self.submit(task, items).results(progress=progress)

    def submit(self, task: Callable[[Item], Result], items: Sequence[Item]) -> Batch[Result]:
        name = getattr(task, '__name__', 'task')
        if not items:
            return _DaskBatch(self._client, name, [])
        # Keys of our own (not pure=True's hash of the arguments): tokenizing page frames costs time,
        # and two builds of the same pages at once must not share the other's futures.
        batch = f"{name}-{secrets.token_hex(6)}"
        futures = self._client.map(on_worker, items, key=[f"{batch}-{index}" for index in range(len(items))],
                                   retries=self._retries, pure=False, task=task, code=self._code)
        return _DaskBatch(self._client, name, futures)


class _DaskBatch(Generic[Result]):
    """Tasks on a Dask cluster (its futures)."""

    def __init__(self, client: Client, name: str, futures: list) -> None:
        self._client, self._name, self._futures = client, name, futures

    def results(self, *, progress: Progress | None = None) -> list[Result]:
        from concurrent.futures import CancelledError

        from distributed import as_completed as dask_completed
        from distributed.scheduler import KilledWorker

        if not self._futures:
            return []
        try:
            finished = dask_completed(self._futures, loop=self._client.loop)
            done, lone_since = 0, None
            while done < len(self._futures):
                batch = _next_within(finished, POLL_SECONDS)
                if not batch:  # nothing finished meanwhile: is there any worker left to finish it?
                    lone_since = self._without_workers(lone_since)
                    continue
                lone_since = None
                for future in batch:
                    future.result()  # re-raises the task's own exception here
                    done += 1
                    if progress:
                        progress(done)
            return self._client.gather(self._futures)
        except WorkerProblem as error:
            raise SchedulerError(str(error)) from None
        except KilledWorker as error:
            raise SchedulerError(f"a {self._name} task took down every Dask worker that ran "
                                 f"it ({error.last_worker.address if error.last_worker else 'worker'} last): look "
                                 f"at the workers' logs (out of memory?)") from None
        except CancelledError:
            raise SchedulerError(f"the Dask scheduler at {self._client.scheduler.address} dropped the build's "
                                 f"tasks (it stopped or lost this client): build again") from None
        finally:
            self.cancel()  # releases them (the results are gathered); stops the rest on a failure

    def _without_workers(self, since: float | None) -> float | None:
        """None while the scheduler has workers; else since when it has had none (a rolling restart
        leaves it none for a moment), raising :class:`SchedulerError` once that is
        :data:`NO_WORKERS_SECONDS`: the tasks would wait for ever, the build silent."""
        if self._client.scheduler_info()["workers"]:
            return None
        now = time.monotonic()
        if since is None:
            return now
        if now - since >= NO_WORKERS_SECONDS:
            address = self._client.scheduler.address
            raise SchedulerError(f"the Dask scheduler at {address} has had no workers for {NO_WORKERS_SECONDS:.0f} s "
                                 f"(they stopped or died): start some with `dask worker {address} --nthreads 1`, "
                                 "then build again")
        return since

    def cancel(self) -> None:
        if self._futures:
            self._client.cancel(self._futures)


def _next_within(finished, seconds: float) -> list:
    """The next futures ``finished`` (a distributed ``as_completed``) yields, waiting at most ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        batch = finished.next_batch(block=False)
        if batch:
            return batch
        time.sleep(0.05)
    return []


def scheduler_address_problem(address: str) -> str | None:
    """What is wrong with ``address`` as a scheduler address (``tcp://HOST:PORT``), or None."""
    parts = urlsplit(address)
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in SCHEDULER_SCHEMES or not parts.hostname or port is None or parts.path not in ("", "/"):
        return (f"--scheduler takes a Dask scheduler address like tcp://HOST:8786 (what `dask scheduler` "
                f"prints as 'Scheduler at:'), got {address!r}")
    return None


@contextmanager
def open_runner(*, workers: int = 2, scheduler: str | None = None, shared_folder: Path | None = None,
                same_folders: Sequence[Path] = ()) -> Iterator[Runner]:
    """The runner for a build: a :class:`LocalRunner` of ``workers`` processes, or, given the
    ``scheduler``'s address, a :class:`DaskRunner` on its cluster. Raises :class:`SchedulerError`
    when the scheduler cannot be reached, has no workers, or its workers cannot run the build:
    another epaper version, more than one thread a worker, ``shared_folder`` (where they write) not
    visible to them at the same path, or one of ``same_folders`` (what the tasks read by path: the
    fonts, the edition's images) not there with the same files."""
    if scheduler is None:
        local = LocalRunner(workers)
        try:
            yield local
        finally:
            local.close()
        return
    client = _connect(scheduler)
    try:
        _check_workers(client, scheduler, shared_folder, same_folders)
        yield DaskRunner(client)
    finally:
        client.close()


def _connect(address: str) -> Client:
    problem = scheduler_address_problem(address)
    if problem:
        raise SchedulerError(problem)
    parts = urlsplit(address)
    assert parts.hostname and parts.port  # checked above
    # A plain TCP connection first: a Client that fails to connect leaves an object whose finalizer
    # waits and then prints a traceback at exit; the common failures (nothing listening, a wrong
    # host) are told apart here without one.
    try:
        probe = socket.create_connection((parts.hostname, parts.port), timeout=CONNECT_SECONDS)
    except OSError as error:
        reason = "timed out" if isinstance(error, TimeoutError) else (error.strerror or str(error))
        raise SchedulerError(f"cannot reach the Dask scheduler at {address} ({reason}): start one with "
                             f"`dask scheduler` or give the address it prints") from None
    with probe:
        # A Dask server speaks first (its handshake, on every connection it accepts); a web page
        # (the scheduler's dashboard, 8787 for 8786) or a silent listener does not, and the
        # Client's own handshake would wait for it for ever. (TLS: the client speaks first.)
        try:
            speaks = parts.scheme != "tcp" or bool(probe.recv(1))
        except OSError:  # timed out, or reset
            speaks = False
    if not speaks:
        raise SchedulerError(f"{address} does not answer as a Dask scheduler (it says nothing when connected to: "
                             f"a web server, the dashboard's port?): give the address `dask scheduler` prints "
                             f"as 'Scheduler at:'")
    from distributed import Client
    from distributed.security import Security

    if parts.scheme == "tls" and Security().get_connection_args("client").get("ssl_context") is None:
        raise SchedulerError(f"{address} is a TLS address, but Dask's configuration gives no certificates "
                             f"(distributed.comm.tls.ca-file and client.cert/key): set them, or use tcp://")
    # The client's own log of a scheduler gone (reconnecting, the comm closed, its tracebacks) says
    # nothing SchedulerError does not say in one line.
    logging.getLogger("distributed.client").setLevel(logging.CRITICAL)
    try:
        return Client(address, timeout=f"{CONNECT_SECONDS}s", set_as_default=False)
    except (OSError, ValueError) as error:
        raise SchedulerError(f"{address} does not answer as a Dask scheduler ({error}): give the address "
                             f"`dask scheduler` prints") from None


def _check_workers(client: Client, address: str, shared_folder: Path | None, same_folders: Sequence[Path]) -> None:
    try:
        client.wait_for_workers(1, timeout=CONNECT_SECONDS)
    except TimeoutError:
        raise SchedulerError(f"the Dask scheduler at {address} has no workers: start some with "
                             f"`dask worker {address} --nthreads 1`") from None
    # The code itself, not its version number (which stays 0.1.0 from commit to commit): a worker
    # with other code makes other bytes, into the build cache under this code's keys. A worker that
    # cannot import epaper answers with the error it raised.
    ours = worker_code()
    codes = client.run(worker_code, on_error="return")
    wrong = {worker: code for worker, code in codes.items() if code != ours}
    if wrong:
        worker, code = sorted(wrong.items(), key=lambda item: item[0])[0]
        if isinstance(code, BaseException):
            raise SchedulerError(f"Dask worker {worker} cannot run epaper ({type(code).__name__}: {code}): install "
                                 f"epaper (with its fonts and layouts) on every worker, as on this machine")
        raise SchedulerError(f"Dask worker {worker} runs other epaper code than this machine (another version, or "
                             f"other fonts, layouts or libraries): install the same epaper on every worker and "
                             f"restart it")
    threaded = {w: info["nthreads"] for w, info in client.scheduler_info()["workers"].items() if info["nthreads"] != 1}
    if threaded:
        worker, threads = sorted(threaded.items())[0]
        raise SchedulerError(f"Dask worker {worker} runs {threads} threads: epaper's tasks hold the GIL and "
                             f"keep per-process buffers, so start workers with `dask worker {address} "
                             f"--nthreads 1 --nworkers N` (N processes a machine)")
    if shared_folder is not None:
        _check_shared(client, shared_folder)
    for folder in same_folders:
        _check_same(client, Path(folder).absolute())


def _check_shared(client: Client, folder: Path) -> None:
    """Every worker sees ``folder`` at the same path and can write there (they write the build's
    files into it). A folder made for the check goes again when it fails: a refused build leaves
    nothing."""
    folder = folder.absolute()
    made = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        token = secrets.token_hex(8)
        probe = folder / f".epaper-probe-{token}"
        probe.write_text(token, encoding="utf-8")
        try:
            seen = client.run(probe.read_text, "utf-8", on_error="return")
        finally:
            probe.unlink(missing_ok=True)
        blind = sorted(worker for worker, text in seen.items() if text != token)
        if blind:
            raise SchedulerError(f"Dask worker {blind[0]} cannot see the output folder {folder}: the workers write "
                                 f"the edition's files there, so it must be on a file system they all mount at "
                                 f"the same path (NFS or the like)")
        written = client.run(write_probe, str(folder), on_error="return")
        unwritable = sorted((worker, error) for worker, error in written.items() if error is not None)
        if unwritable:
            worker, error = unwritable[0]
            raise SchedulerError(f"Dask worker {worker} cannot write into the output folder {folder} ({error}): "
                                 f"mount it writable there, as on this machine")
    except SchedulerError:
        if made:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def write_probe(folder: str) -> str | None:
    """Run on a worker: None if a file can be written into ``folder`` (and is removed again), else why not."""
    probe = Path(folder) / f".epaper-probe-{secrets.token_hex(8)}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        return error.strerror or str(error)
    return None


def _check_same(client: Client, folder: Path) -> None:
    """Every worker has ``folder`` at the same path with the same files (names and sizes) that tasks
    read: page frames name their font files and photos by path (articles are read here only)."""
    ours = folder_listing(str(folder))
    seen = client.run(folder_listing, str(folder), on_error="return")
    different = sorted((worker, listing) for worker, listing in seen.items() if listing != ours)
    if different:
        worker, theirs = different[0]
        raise SchedulerError(f"Dask worker {worker} does not have {folder} as this machine has it "
                             f"({_first_difference(ours, theirs)}): the laid-out pages name their fonts and photos "
                             f"by path, so install epaper at the same path on every worker and keep the edition "
                             f"folders where they all see them")


def _first_difference(ours: tuple[tuple[str, int], ...] | None, theirs: object) -> str:
    """What a worker's listing of a folder says first that this machine's does not, in a few words."""
    if isinstance(theirs, BaseException):
        return f"{type(theirs).__name__}: {theirs}"
    if theirs is None or ours is None:
        return "no such folder there" if theirs is None else "no such folder here"
    here, there = dict(ours), dict(theirs)  # type: ignore[call-overload]
    name = min(set(here.items()) ^ set(there.items()))[0]
    if name not in there:
        return f"{name} is missing there"
    if name not in here:
        return f"{name} is there but not here"
    return f"{name}: {here[name]} bytes here, {there[name]} there"


def folder_listing(folder: str) -> tuple[tuple[str, int], ...] | None:
    """Every file below ``folder`` that tasks read, with its size (None if there is no such folder):
    not the stories of an ``articles/`` folder, which only the machine laying out reads (a story
    saved while an NFS cache lags is no reason to refuse the build). Run on the workers."""
    root = Path(folder)
    if not root.is_dir():
        return None
    return tuple(sorted((str(path.relative_to(root)), path.stat().st_size) for path in root.rglob("*")
                        if path.is_file() and not _is_story(path.relative_to(root))))


def _is_story(relative: Path) -> bool:
    return relative.parts[0] == "articles" and relative.suffix in (".json", ".md")
