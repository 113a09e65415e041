"""A warm epaper process: a command started where one is waiting runs in a fork of it, not in a new
interpreter.

Every ``epaper`` command spent ~0.3–0.5 s starting Python and importing epaper and its libraries
(ReportLab, pdfium, Pillow, NumPy, pikepdf, HarfBuzz, Jinja) before its first line of work: a third
of a one-page replate at midnight. So the first build of a session, once it has imported all that,
forks a process that keeps it (:func:`start_warm_process`): it waits on a Unix socket, private to
the user, for :data:`IDLE_SECONDS`. The next command (:func:`run`, the ``epaper`` entry point)
imports nothing of epaper but this module, sends its arguments, working folder, environment, umask
and standard streams (the descriptors themselves), and the warm process forks a child that runs
the command exactly as :func:`epaper.cli.main` would in a process of its own, writing to the
caller's terminal or pipes, and sends back its exit code. Each command gets a fresh fork: nothing
one command did is seen by the next.

Guarantees: a warm process only serves the code it was started from (its socket is named by the
installed code's signature: a changed module or library starts another); the child dies when its
caller dies (a killed ``epaper replate`` stops its work, as it would on its own, and its workers
with it), and Ctrl-C and SIGTERM reach it; a caller whose nice value or resource limits (``ulimit``) are not
the warm process's runs its command itself; ``EPAPER_WARM=0`` runs every command in its own
process. Linux only (fork and descriptor passing); elsewhere every command runs in its own process.
"""

from __future__ import annotations

import json
import locale
import os
import signal
import socket
import struct
import sys
import time
from collections.abc import Callable

__all__ = ["IDLE_SECONDS", "SWITCH", "WARM_COMMANDS", "code_signature", "exit_code", "run", "start_warm_process",
           "warm_process_waiting", "warm_socket"]

WARM_COMMANDS = frozenset({"build", "replate", "build-night", "validate", "rebase"})  # one-shot commands
_LEAVING_WARM = frozenset({"build", "replate", "build-night"})  # they import everything anyway
IDLE_SECONDS = 15 * 60  # a warm process unused this long ends
SWITCH = "EPAPER_WARM"  # "0": every command in its own process
_LENGTH = struct.Struct("!I")
_INTERRUPT = b"i"  # the caller got Ctrl-C
_TERMINATE = b"t"  # the caller got SIGTERM
_PASSED_ON = {_INTERRUPT: signal.SIGINT, _TERMINATE: signal.SIGTERM}  # to the command, as the caller got it


def _usable() -> bool:
    return sys.platform.startswith("linux") and os.environ.get(SWITCH, "1") != "0"


_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def code_signature(package: str = _PACKAGE) -> str:
    """The installed code, cheaply: every file of ``package`` (epaper's modules, and in a wheel its
    fonts and layouts) and of the fonts and layouts beside it in a checkout (name, size, time), the
    libraries installed beside it (their ``.dist-info`` names carry the versions) and the
    interpreter. A warm process serves only callers of the same signature."""
    import hashlib

    digest = hashlib.sha256(f"{sys.executable}\0{sys.version}".encode())
    checkout = os.path.dirname(package)
    for top in (package, os.path.join(checkout, "fonts"), os.path.join(checkout, "layouts")):
        for parent, folders, names in os.walk(top):
            folders[:] = sorted(f for f in folders if f != "__pycache__")
            for name in sorted(names):
                stat = os.stat(os.path.join(parent, name))
                digest.update(f"{parent}/{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    for entry in sys.path:
        if entry.endswith("-packages") and os.path.isdir(entry):
            digest.update("\0".join(sorted(n for n in os.listdir(entry) if n.endswith(".dist-info"))).encode())
    return digest.hexdigest()[:20]


def warm_socket() -> str | None:
    """Where this user's warm process for this code listens; None when no private folder can be had."""
    base = os.environ.get("XDG_RUNTIME_DIR") or os.environ.get("TMPDIR") or "/tmp"
    folder = os.path.join(base, f"epaper-{os.getuid()}")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        stat = os.stat(folder)
    except OSError:
        return None
    if stat.st_uid != os.getuid() or stat.st_mode & 0o077:
        return None  # another user's, or open to others: not trusted with a command
    path = os.path.join(folder, f"warm-{code_signature()}.sock")
    return path if len(os.fsencode(path)) < 100 else None  # (a Unix socket's name has ~108 bytes)


# --- the caller ---------------------------------------------------------------------------------


def run() -> None:
    """The ``epaper`` command: in a warm process when one serves this code, else here
    (:func:`epaper.cli.run`); a build or replate run here leaves a warm process for the next."""
    argv = sys.argv[1:]
    if argv and argv[0] in WARM_COMMANDS and _usable():
        code = _run_warm(argv)
        if code is not None:
            os._exit(code)
    from epaper import cli

    if argv and argv[0] in _LEAVING_WARM:
        start_warm_process(ready=cli.import_commands, warm_up=cli.warm_up)
    cli.run()


def _run_warm(argv: list[str]) -> int | None:
    """The command's exit code, run by the warm process; None if none answered, or the request
    could not be made or taken (the command then runs here)."""
    path = warm_socket()
    if path is None:
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(path)
        umask = os.umask(0)
        os.umask(umask)
        request = json.dumps({"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "umask": umask,
                              "encoding": [getattr(s, "encoding", None) for s in (sys.stdin, sys.stdout, sys.stderr)],
                              "limits": _limits()}, ensure_ascii=True).encode()
        socket.send_fds(connection, [_LENGTH.pack(len(request)) + request], [0, 1, 2])
    except OSError:
        connection.close()
        return None
    previous = {number: signal.signal(number, lambda *_, said=said: _tell(connection, said))
                for said, number in _PASSED_ON.items()}
    answer = b""
    try:
        # Up to the end of the answer, not of the connection: a child of the command may hold it.
        while not (b"exit " in answer and answer.endswith(b"\n")) and (chunk := connection.recv(64)):
            answer += chunk
    except OSError:
        pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        connection.close()
    return exit_code(answer)


def exit_code(answer: bytes) -> int | None:
    """The exit code a warm process's ``answer`` says: "started" once the command runs as the
    caller's, then "exit N" when it ended. No "started": it never ran there (None: run it here);
    no "exit": it died (killed), as a killed process reports it."""
    lines = answer.split(b"\n")
    if b"started" not in lines:
        return None
    ended = [line.split()[1] for line in lines if line.startswith(b"exit ") and len(line.split()) == 2]
    return int(ended[0]) if ended and ended[0].lstrip(b"-").isdigit() else 128 + signal.SIGKILL


def _tell(connection: socket.socket, message: bytes) -> None:
    try:
        connection.send(message)
    except OSError:
        pass


# --- the warm process ---------------------------------------------------------------------------


def start_warm_process(*, ready: Callable[[], None], warm_up: Callable[[], None] = lambda: None) -> None:
    """Fork a warm process from this one, unless one serves this code already: ``ready`` first
    imports what the commands need; the warm process then runs ``warm_up`` (loads what every
    command would load first) while callers already queue. Call from the command line's entry
    point only, before any work and before any thread of ours: the warm process is this process
    as it is then."""
    if not _usable():
        return
    path = warm_socket()
    if path is None or _answers(path):
        return
    ready()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # (else the warm process would write it to a later caller's terminal)
    first = os.fork()
    if first:
        os.waitpid(first, 0)  # the middle process ends at once: the warm one is nobody's child
        return
    try:
        if os.fork() == 0:
            _serve(path, warm_up)
    finally:
        os._exit(0)


def warm_process_waiting() -> bool:
    """Whether a warm process serves this code now (a command would run in it)."""
    path = warm_socket() if _usable() else None
    return path is not None and _answers(path)


def _answers(path: str) -> bool:
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(path)
        return True
    except OSError:
        return False
    finally:
        probe.close()


def _serve(path: str, warm_up: Callable[[], None]) -> None:
    """Wait for commands on ``path`` until :data:`IDLE_SECONDS` pass without one (``warm_up``
    first, callers queueing meanwhile)."""
    os.setsid()  # not in the terminal's process group: the caller's Ctrl-C is not ours
    os.chdir("/")
    quiet = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(quiet, fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the commands' children are reaped by the system
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        os.unlink(path)  # a warm process that died left it (one alive answered the probe)
    except FileNotFoundError:
        pass
    listener.bind(path)
    listener.listen(16)
    try:
        warm_up()
    except Exception:  # noqa: BLE001 - what is not loaded now, each command loads for itself
        pass
    listener.settimeout(IDLE_SECONDS)
    own = os.stat(path).st_ino
    while True:
        try:
            connection, _ = listener.accept()
        except TimeoutError:
            break
        if _same_user(connection) and os.fork() == 0:
            listener.close()
            _run_request(connection)  # never returns
        connection.close()
        try:
            if os.stat(path).st_ino != own:
                break  # another warm process took the name
        except FileNotFoundError:
            break
    try:
        if os.stat(path).st_ino == own:
            os.unlink(path)
    except FileNotFoundError:
        pass


def _same_user(connection: socket.socket) -> bool:
    """Whether the caller is this user (the socket's folder is private already; the kernel says)."""
    credentials = struct.Struct("3i")
    _, uid, _ = credentials.unpack(connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, credentials.size))
    return uid == os.getuid()


def _run_request(connection: socket.socket) -> None:
    """In a fork of the warm process: run the command a caller sent, as its own process would."""
    code = 1
    try:
        connection.settimeout(None)
        message, fds, _, _ = socket.recv_fds(connection, 1 << 16, 3)
        while len(message) < _LENGTH.size or len(message) < _LENGTH.size + _LENGTH.unpack_from(message)[0]:
            more = connection.recv(1 << 16)
            if not more:
                raise ConnectionError("the caller went away")
            message += more
        request = json.loads(message[_LENGTH.size:])
        if request.get("limits") != _limits():
            return  # another nice value or resource limit than this process's: the caller runs it itself
        _become_caller(request, fds)
        finished = _die_with_caller(connection)
        connection.sendall(b"started\n")
        from epaper.cli import main

        try:
            code = main(request["argv"])
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        except KeyboardInterrupt:
            code = 128 + signal.SIGINT
        except BaseException:
            import traceback

            traceback.print_exc()
            code = 1
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except OSError:
                pass
        finished.append(True)
        connection.sendall(f"exit {code}\n".encode())
    finally:
        os._exit(code if isinstance(code, int) else 1)


def _limits() -> dict[str, list[int]]:
    """This process's nice value and resource limits (``ulimit``): a command runs in the warm
    process only for a caller whose are the same, as they would be in a process of its own (an
    unprivileged process cannot take a higher priority or limit, and a lower limit than the warm
    process has used would not behave as in a fresh process)."""
    import resource

    limits = {name: list(resource.getrlimit(getattr(resource, name))) for name in dir(resource)
              if name.startswith("RLIMIT_")}
    return {"nice": [os.getpriority(os.PRIO_PROCESS, 0)], **limits}


def _become_caller(request: dict, fds: list[int]) -> None:
    """This process as the caller's would be: its streams, folder, environment, umask, arguments."""
    import io

    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the command waits for its own children
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for target, fd in zip((0, 1, 2), fds):
        os.dup2(fd, target)
        os.close(fd)
    encodings = request.get("encoding") or [None, None, None]
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding=encodings[0])
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding=encodings[1],
                                  line_buffering=os.isatty(1))
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding=encodings[2],
                                  errors="backslashreplace", line_buffering=True)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()  # the caller's TZ: an "updated HH:MM" mark is the desk's clock
    try:
        locale.setlocale(locale.LC_CTYPE, "")  # as Python sets it up from the environment
    except locale.Error:
        pass
    os.umask(request["umask"])
    sys.argv = ["epaper", *request["argv"]]


def _die_with_caller(connection: socket.socket) -> list[bool]:
    """A thread that ends this process when the caller is gone (killed) before the command ended,
    and passes the caller's Ctrl-C and SIGTERM on. Returns the list to append to once the command ended."""
    import threading

    finished: list[bool] = []

    def watch() -> None:
        while True:
            try:
                data = connection.recv(1)
            except OSError:
                data = b""
            if not data:
                if not finished:
                    os.kill(os.getpid(), signal.SIGKILL)
                return
            if data in _PASSED_ON:
                os.kill(os.getpid(), _PASSED_ON[data])

    threading.Thread(target=watch, daemon=True, name="epaper-caller").start()
    return finished
