"""The processes a build forks: each dies with the build, says what it is, and sends back
what stopped it.

The build forks processes of its own (`plugin/jobs.py` renders pages, `plugin/cards.py`
draws cards ahead, `pool.py` reads the files a run has not cached, `plugin/search.py`
indexes the site): each must end when the build ends, however it ends, and `ps`, `top`
and the benchmark should name it. A failure in one is the build's to report, in its own
words: the exception reaches it whole (`Child.wait`), or, for a process killed before it
could say anything, `DiedError`.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import pickle
import signal
import sys
from collections.abc import Callable

# What a failure's report may hold at most, pickled; its words at most (the rest cut).
MAX_REPORT = 64 * 1024
MAX_WORDS = 8_000


class DiedError(Exception):
    """A forked process ended with no word of why (killed: a signal, the memory killer)."""

    def __init__(self, code: int):
        super().__init__(f"ended with status {code}")
        self.code = code


def die_with(parent: int) -> None:
    """End this process when the run that forked it ends (Linux): a build killed mid-way
    (a dev server stopping it, Ctrl-C, a CI timeout) leaves nothing writing into its
    half-built folder, which the next build removes."""
    _prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it ended before that was set
        os._exit(1)


def name_process(name: str) -> None:
    """Name this process as `ps`, `top` and the benchmark show it (Linux), rather than as
    the build it was forked from."""
    _prctl(15, name.encode()[:15])  # PR_SET_NAME


def _prctl(option: int, value: int | bytes) -> None:
    """Linux's prctl, from the process's own symbols, libc's among them (finding libc by name
    runs ldconfig); where there is none (not Linux), nothing is done."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(option, value, 0, 0, 0)


class Child:
    """A process forked from the build (`forked`), waited for or killed once."""

    def __init__(self, pid: int, said: int):
        self.pid = pid
        self._said = said  # the pipe on which it sends what stopped it

    def wait(self) -> BaseException | None:
        """Until it has ended: what stopped it (the exception `work` raised; `DiedError` when it
        ended without a word), or None when its work was done (or it was waited for before)."""
        if not self.pid:
            return None
        with os.fdopen(self._said, "rb") as pipe:
            report = pipe.read()  # until it ends: its end of the pipe closes with it
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if report:
            return pickle.loads(report)  # sent by our own process, forked from this one
        code = os.waitstatus_to_exitcode(status)
        return DiedError(code) if code else None

    def kill(self) -> None:
        """End it now, wherever it is in its work (what it writes is written aside first)."""
        if not self.pid:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self.pid = 0
        with contextlib.suppress(OSError):
            os.close(self._said)


def forked(name: str, work: Callable[[], None]) -> Child:
    """A process forked from the build that names itself, dies with the build, does `work`
    and ends; what stopped it, if anything, goes back to the build (`Child.wait`)."""
    said, say = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid:
        os.close(say)
        return Child(pid, said)
    os.close(said)
    code = 1
    logged = LoggedErrors()
    try:
        name_process(name)
        die_with(parent)
        logging.getLogger().addHandler(logged)
        work()
        code = 0
    except BaseException as exc:  # the build reports it, or does what is missing
        with contextlib.suppress(BaseException), os.fdopen(say, "wb") as pipe:
            pipe.write(_report(exc, logged.messages))
    finally:
        with contextlib.suppress(BaseException):  # what it printed, once: not the build's again
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)  # not the build's exit handlers
    raise AssertionError("unreachable")


class LoggedErrors(logging.Handler):
    """The error lines logged while it is attached. With errors fatal, Pelican stops with a
    bare "RuntimeError: Warning or error encountered", and the line logged is the reason:
    the build keeps those of its own process (`tools/cli.py`), and a forked process sends
    its own back with its failure (as the exception's notes)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):
            self.messages.append(cut(record.getMessage()))


def cut(words: str) -> str:
    """Words for a terminal line: at most MAX_WORDS characters (a template's error may quote
    a megabyte), cut alike in the build's process and a forked one."""
    return words if len(words) <= MAX_WORDS else words[:MAX_WORDS] + "…"


def _report(exc: BaseException, logged: list[str]) -> bytes:
    """`exc` as the build will raise it, with what this process logged as errors for notes:
    itself where it pickles, its words cut to MAX_WORDS; else a RuntimeError with its kind
    and words."""
    for message in logged:
        with contextlib.suppress(Exception):
            exc.add_note(message)
    with contextlib.suppress(Exception):
        words = str(exc)
        if cut(words) != words:
            exc.args = (cut(words),)  # the exception is this dying process's own
        data = pickle.dumps(exc)
        pickle.loads(data)
        if len(data) <= MAX_REPORT:
            return data
    return pickle.dumps(RuntimeError(f"{type(exc).__name__}: {cut(str(exc))}"))
