"""What a process forked from a build does first: die with the build, and say what it is.

The build forks processes of its own (`plugin/jobs.py` renders pages, `plugin/cards.py`
draws cards ahead, `pool.py` reads the files a run has not cached): each must end when the build
ends, however it ends, and `ps`, `top` and the benchmark should name it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
from collections.abc import Callable


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


def forked(name: str, work: Callable[[], None]) -> int:
    """A process forked from the build that names itself, dies with the build, does `work`
    and ends (status 1 if `work` raised: what it did not finish, the build does itself). Its
    process id, in the build."""
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        name_process(name)
        die_with(parent)
        work()
        code = 0
    except BaseException:  # this process never reports: the build does what is missing
        pass
    finally:
        os._exit(code)  # not the build's exit handlers, nor its buffers flushed again
    raise AssertionError("unreachable")
