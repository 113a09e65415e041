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

import secrets
import socket
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed, wait
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar
from urllib.parse import urlsplit

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
        pool = self._started()
        return _PoolBatch([pool.submit(task, item) for item in items])

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
        futures = self._client.map(task, items, key=[f"{batch}-{index}" for index in range(len(items))],
                                   retries=self._retries, pure=False)
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
            for done, future in enumerate(dask_completed(self._futures, loop=self._client.loop), start=1):
                future.result()  # re-raises the task's own exception here
                if progress:
                    progress(done)
            return self._client.gather(self._futures)
        except KilledWorker as error:
            raise SchedulerError(f"a {self._name} task took down every Dask worker that ran "
                                 f"it ({error.last_worker.address if error.last_worker else 'worker'} last): look "
                                 f"at the workers' logs (out of memory?)") from None
        except CancelledError:
            raise SchedulerError(f"the Dask scheduler at {self._client.scheduler.address} dropped the build's "
                                 f"tasks (it stopped or lost this client): build again") from None
        finally:
            self.cancel()  # releases them (the results are gathered); stops the rest on a failure

    def cancel(self) -> None:
        if self._futures:
            self._client.cancel(self._futures)


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
        with socket.create_connection((parts.hostname, parts.port), timeout=CONNECT_SECONDS):
            pass
    except OSError as error:
        reason = "timed out" if isinstance(error, TimeoutError) else (error.strerror or str(error))
        raise SchedulerError(f"cannot reach the Dask scheduler at {address} ({reason}): start one with "
                             f"`dask scheduler` or give the address it prints") from None
    from distributed import Client

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
    import importlib.metadata  # (only with a cluster: importing it took ~15 ms of every command)

    ours = importlib.metadata.version("epaper")
    # Standard library functions only (they unpickle on any worker): a worker without epaper
    # answers with the PackageNotFoundError it raised.
    versions = client.run(importlib.metadata.version, "epaper", on_error="return")
    wrong = {worker: version for worker, version in versions.items() if version != ours}
    if wrong:
        worker, version = sorted(wrong.items(), key=lambda item: item[0])[0]
        found = f"epaper {version}" if isinstance(version, str) else "no epaper"
        raise SchedulerError(f"Dask worker {worker} has {found} installed, this build runs epaper {ours}: "
                             f"install the same epaper (with its fonts and layouts) on every worker")
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
    """Every worker sees ``folder`` at the same path (they write the build's files into it)."""
    folder = folder.absolute()
    folder.mkdir(parents=True, exist_ok=True)
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


def _check_same(client: Client, folder: Path) -> None:
    """Every worker has ``folder`` at the same path with the same files (names and sizes): page frames
    name their font files and photos by path."""
    ours = folder_listing(str(folder))
    seen = client.run(folder_listing, str(folder), on_error="return")
    different = sorted(worker for worker, listing in seen.items() if listing != ours)
    if different:
        raise SchedulerError(f"Dask worker {different[0]} does not have {folder} as this machine has it: the "
                             f"laid-out pages name their fonts and photos by path, so install epaper at the same "
                             f"path on every worker and keep the edition folders where they all see them")


def folder_listing(folder: str) -> tuple[tuple[str, int], ...] | None:
    """Every file below ``folder`` with its size (None if there is no such folder). Run on the workers."""
    root = Path(folder)
    if not root.is_dir():
        return None
    return tuple(sorted((str(path.relative_to(root)), path.stat().st_size)
                        for path in root.rglob("*") if path.is_file()))
