"""Reading uploaded workbooks in a bounded child process, so that no file can take the server down.

The native reader (python-calamine, Rust) aborts the whole process when an
allocation fails, and some files make it allocate absurd amounts; Python
cannot catch an abort. So the reader runs in a child process with a memory
limit (``RLIMIT_AS``) and a time limit: whatever the file does, the child
dies, the server carries on, and :func:`read_workbook` returns a refusal
(issue ``unsafe_file``) in the sender's terms instead of a result.

How the children are made. Starting a fresh interpreter per file costs about
0.6 s (pandas and the reader's imports); forking the server itself is unsafe
(Streamlit runs many threads). So each process that reads uploads starts one
small *fork server* (``python -m ingest.sandbox serve``) on first use: a
single-threaded interpreter that has imported the reader once and forks one
child per file, which costs a few milliseconds. The caller and the child talk
over a socket pair of their own, passed through the fork server
(``SCM_RIGHTS``), so any number of sessions read files at the same time. The
fork server reports how each child ended (a signal from the memory or CPU
limit, a crash, or a clean exit), which is what the refusal says.

The child's answer is unpickled with a restricted unpickler that accepts only
the plain data classes of :mod:`ingest.model` (and dates): even a child whose
parser had been subverted cannot make the server run code.

Trusted bytes (workbooks this program generated itself: benchmarks, tests of
the reader's rules) may be read in-process with ``trusted=True``; everything
received from a person goes through the child. Limits: ``EGOV_PARSE_MEMORY_MB``
(default 2048 MB more than the child starts with) and ``EGOV_PARSE_SECONDS``
(default 120 s), documented in the README's settings.
"""

from __future__ import annotations

import gc
import importlib
import io
import logging
import os
import pickle
import resource
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READER = "ingest.reader:parse_workbook"
MEMORY_MB = int(os.environ.get("EGOV_PARSE_MEMORY_MB") or 2048)
SECONDS = float(os.environ.get("EGOV_PARSE_SECONDS") or 120)
START_SECONDS = 60.0  # a cold fork server imports pandas and the reader once

log = logging.getLogger(__name__)

_HEADER = struct.Struct(">IB")  # payload length, kind
PID, REQUEST, RESULT, ERROR, EXIT = b"P", b"Q", b"R", b"E", b"X"


# --------------------------------------------------------------------------- framing

def _send(sock: socket.socket, kind: bytes, payload: bytes) -> None:
    sock.sendall(_HEADER.pack(len(payload), kind[0]) + payload)


def _recv_exact(sock: socket.socket, n: int) -> bytes | None:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(min(n - len(buf), 1 << 20))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def _recv(sock: socket.socket) -> tuple[bytes, bytes] | None:
    head = _recv_exact(sock, _HEADER.size)
    if head is None:
        return None
    size, kind = _HEADER.unpack(head)
    body = _recv_exact(sock, size)
    return None if body is None else (bytes([kind]), body)


class _ResultUnpickler(pickle.Unpickler):
    """Only the plain records a parse produces may come back from a child."""

    ALLOWED = {("builtins", "set"), ("builtins", "frozenset"), ("datetime", "date"), ("datetime", "datetime"),
               ("datetime", "time"), ("datetime", "timedelta")}

    def find_class(self, module: str, name: str):
        if module == "ingest.model" or (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a parsed workbook")


# --------------------------------------------------------------------------- outcome

@dataclass(frozen=True)
class Outcome:
    """How a child run ended: ``ok`` (``value`` holds the result), ``memory``, ``time``, ``crash`` or ``unavailable``."""

    status: str
    value: object = None
    detail: str = ""
    seconds: float = 0.0


def _ended(code: int | None, error: str | None, memory_mb: int, elapsed: float) -> Outcome:
    if error == "MemoryError":
        return Outcome("memory", detail="MemoryError", seconds=elapsed)
    if code is not None and code < 0:
        sig = -code
        # An allocation refused under RLIMIT_AS makes Rust abort; the CPU limit sends SIGXCPU;
        # the fork server's kill at the deadline is SIGKILL.
        if sig == signal.SIGABRT:
            return Outcome("memory", detail=f"SIGABRT, limit {memory_mb} MB", seconds=elapsed)
        if sig in (signal.SIGXCPU, signal.SIGKILL):
            return Outcome("time", detail=signal.Signals(sig).name, seconds=elapsed)
        return Outcome("crash", detail=signal.Signals(sig).name, seconds=elapsed)
    return Outcome("crash", detail=error or f"exit {code}", seconds=elapsed)


# --------------------------------------------------------------------------- the caller's side

class ForkServer:
    """One fork server per process (see the module docstring); thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._ctl: socket.socket | None = None
        self.started = 0  # how many times a server process was started (tests read it)

    def _start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
                   RUST_BACKTRACE="0", PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        self._proc = subprocess.Popen([sys.executable, "-m", "ingest.sandbox", "serve", str(theirs.fileno())],
                                      pass_fds=(theirs.fileno(),), cwd=ROOT, env=env, stdin=subprocess.DEVNULL)
        theirs.close()
        self._ctl = ours
        self.started += 1

    def start(self) -> None:
        """Start the fork server now if none runs, without waiting for it to be ready.

        Its imports (pandas, the reader) then overlap with whatever the caller
        does before the first file is read, such as loading the registry.
        """
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._stop_locked()
                self._start()

    def _control(self, message: bytes, fds: list[int] = ()) -> None:
        with self._lock:
            for attempt in (1, 2):
                if self._proc is None or self._proc.poll() is not None:
                    self._start()
                try:
                    socket.send_fds(self._ctl, [message], list(fds))
                    return
                except OSError:
                    if attempt == 2:
                        raise
                    self._stop_locked()

    def _stop_locked(self) -> None:
        if self._ctl is not None:
            self._ctl.close()
            self._ctl = None
        if self._proc is not None:
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None

    def stop(self) -> None:
        """End the fork server (it also ends by itself when this process exits)."""
        with self._lock:
            self._stop_locked()

    def call(self, target: str, args: tuple = (), kwargs: dict | None = None, *, seconds: float = SECONDS,
             memory_mb: int = MEMORY_MB) -> Outcome:
        """Run ``module:function`` in a fresh bounded child; never raises for what the child does."""
        t0 = time.monotonic()
        mine, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = None
        try:
            try:
                self._control(b"J", [child.fileno()])
            except OSError as exc:
                return Outcome("unavailable", detail=type(exc).__name__, seconds=time.monotonic() - t0)
            finally:
                child.close()
            mine.settimeout(START_SECONDS)
            frame = _recv(mine)
            if frame is None or frame[0] != PID:
                return Outcome("unavailable", detail="no child", seconds=time.monotonic() - t0)
            pid = struct.unpack(">q", frame[1])[0]
            deadline = time.monotonic() + seconds
            request = pickle.dumps((target, args, kwargs or {}, memory_mb, seconds), protocol=pickle.HIGHEST_PROTOCOL)
            _send(mine, REQUEST, request)
            error = None
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                mine.settimeout(remaining)
                frame = _recv(mine)
                if frame is None:
                    return _ended(None, error or "no answer", memory_mb, time.monotonic() - t0)
                kind, body = frame
                if kind == RESULT:
                    try:
                        value = _ResultUnpickler(io.BytesIO(body)).load()
                    except Exception as exc:  # noqa: BLE001 - a malformed answer is a refusal, not a crash
                        log.error("sandbox: refused the answer of child %s: %s", pid, exc)
                        return Outcome("crash", detail="unexpected answer", seconds=time.monotonic() - t0)
                    return Outcome("ok", value, seconds=time.monotonic() - t0)
                if kind == ERROR:
                    error = body.decode("utf-8", "replace")
                    # wait for the exit frame: it says whether the limit was the cause
                elif kind == EXIT:
                    return _ended(struct.unpack(">i", body)[0], error, memory_mb, time.monotonic() - t0)
        except TimeoutError:
            if pid is not None:
                try:
                    self._control(b"K" + str(pid).encode())
                except OSError:
                    pass
            return Outcome("time", detail=f"{seconds:g} s", seconds=time.monotonic() - t0)
        except OSError as exc:
            return Outcome("unavailable", detail=type(exc).__name__, seconds=time.monotonic() - t0)
        finally:
            mine.close()


_SERVER: ForkServer | None = None
_SERVER_LOCK = threading.Lock()


def server() -> ForkServer:
    global _SERVER
    with _SERVER_LOCK:
        if _SERVER is None:
            _SERVER = ForkServer()
        return _SERVER


def available() -> bool:
    """Whether children can be forked here (Linux and other Unix systems)."""
    return hasattr(socket, "send_fds") and hasattr(os, "fork")


def prestart() -> None:
    """Start this process's fork server in the background (no-op where children cannot be forked).

    A cold fork server takes about a second to import the reader; callers
    that know a file is coming (an import command, an upload) start it first
    and do their own work meanwhile, so that the file waits for neither.
    """
    if available():
        server().start()


# --------------------------------------------------------------------------- reading a workbook

def refusal(file_name: str, data: bytes, outcome: Outcome, memory_mb: int = MEMORY_MB, seconds: float = SECONDS):
    """A parsed workbook holding one ``unsafe_file`` error that says why the child failed."""
    import hashlib

    from l10n.catalogue import t

    from .model import Issue, ParsedWorkbook

    key = f"ingest.unsafe.{outcome.status if outcome.status in ('memory', 'time', 'unavailable') else 'crash'}"
    why = {lang: t(key, lang, strict=False, mb=memory_mb, seconds=f"{seconds:g}", detail=outcome.detail)
           for lang in ("az", "en")}
    pw = ParsedWorkbook(file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    pw.errors.append(Issue(file_name, None, None, None, None, "unsafe_file",
                           {"why": why, "reason": outcome.status, "detail": outcome.detail}))
    return pw


def read_workbook(data: bytes, file_name: str, registry, *, trusted: bool = False, seconds: float | None = None,
                  memory_mb: int | None = None, **options):
    """Parse an uploaded workbook like :func:`ingest.reader.parse_workbook`, in a bounded child process.

    ``options`` go to the reader unchanged. ``trusted=True`` parses in this
    process (bytes this program made itself). A file that exhausts the limits
    or crashes the reader comes back as a refused :class:`ParsedWorkbook`.
    """
    data = bytes(data or b"")
    if trusted or not available():
        if not trusted:
            log.warning("sandbox: no fork on this platform; reading %s in-process", file_name)
        from .reader import parse_workbook

        return parse_workbook(data, file_name, registry, **options)
    seconds = SECONDS if seconds is None else seconds
    memory_mb = MEMORY_MB if memory_mb is None else memory_mb
    outcome = server().call(READER, (data, file_name, registry), options, seconds=seconds, memory_mb=memory_mb)
    if outcome.status == "ok":
        return outcome.value
    log.warning("sandbox: %s refused (%s, %s, %.1f s)", file_name, outcome.status, outcome.detail, outcome.seconds)
    return refusal(file_name, data, outcome, memory_mb, seconds)


# --------------------------------------------------------------------------- the fork server

def _virtual_size() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _child(job: socket.socket) -> None:
    """In the forked child: read the request, set the limits, run, answer; never returns."""
    code = 0
    try:
        frame = _recv(job)
        if frame is None or frame[0] != REQUEST:
            os._exit(3)
        target, args, kwargs, memory_mb, seconds = pickle.loads(frame[1])
        module, name = target.split(":")
        fn = getattr(importlib.import_module(module), name)
        try:
            limit = _virtual_size() + int(memory_mb) * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (OSError, ValueError):
            pass  # e.g. no /proc: the time limit still holds
        cpu = int(seconds) + 2
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        try:
            value = fn(*args, **kwargs)
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            _send(job, ERROR, b"MemoryError")
            code = 4
        except BaseException as exc:  # noqa: BLE001 - reported to the caller as a crash
            _send(job, ERROR, type(exc).__name__.encode())
            code = 5
        else:
            _send(job, RESULT, payload)
    except BaseException:  # noqa: BLE001 - a child must never return into the server loop
        code = 6
    finally:
        os._exit(code)


def serve(ctl_fd: int) -> None:
    """The fork server's loop: fork a child per job, report how each ended, kill on request."""
    import python_calamine  # noqa: F401

    import ingest.reader  # noqa: F401 - imported once here, shared by every child
    from scoring import load_methodology

    load_methodology(None)
    # Everything imported so far lives as long as the server: out of the collector's sight, a child's
    # collections do not walk (and so copy, page by page) the whole inherited heap.
    gc.freeze()
    # Only some files need openpyxl (number formats): imported while the first child reads, not before it.
    later = ["openpyxl"]
    ctl = socket.socket(fileno=ctl_fd)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in a terminal stops the caller; we follow it
    live: dict[int, socket.socket] = {}
    while True:
        try:
            ready, _, _ = select.select([ctl, wake_r], [], [])
        except InterruptedError:
            ready = [wake_r]
        if wake_r in ready:
            os.read(wake_r, 4096)
        while live:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            job = live.pop(pid, None)
            if job is not None:
                try:
                    _send(job, EXIT, struct.pack(">i", os.waitstatus_to_exitcode(status)))
                except OSError:
                    pass  # the caller gave up already
                job.close()
        if ctl not in ready:
            continue
        try:
            message, fds, _flags, _addr = socket.recv_fds(ctl, 64, 1)
        except OSError:
            message, fds = b"", []
        if not message:
            break  # the caller's process ended
        if message[:1] == b"K":
            pid = int(message[1:] or 0)
            if pid in live:
                os.kill(pid, signal.SIGKILL)
            continue
        if not fds:
            continue
        job = socket.socket(fileno=fds[0])
        pid = os.fork()
        if pid == 0:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            for fd in (ctl.fileno(), wake_r, wake_w, *(s.fileno() for s in live.values())):
                try:
                    os.close(fd)
                except OSError:
                    pass
            _child(job)
        live[pid] = job
        try:
            _send(job, PID, struct.pack(">q", pid))
        except OSError:
            os.kill(pid, signal.SIGKILL)
        if later:
            for name in later:
                importlib.import_module(name)
            later.clear()
            gc.freeze()
    for pid in list(live):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    else:
        raise SystemExit("usage: python -m ingest.sandbox serve FD (started by ingest.sandbox itself)")
