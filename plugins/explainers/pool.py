"""Reading ahead: the files a run has not cached, read through the spine in worker processes.

Pelican's generators ask for content files one at a time, in one process. Reading and
converting a file (`read.ExplainerBuilder.read`) is most of a build's time and needs
nothing from any other file, so the run reads every file that is not in its cache here,
on every core, before Pelican asks; `run.Run.read` then takes the finished outcome. The
outcome of a file is the same whichever process made it (each worker has its own builder,
made from the same inputs as the run's), so the site is byte for byte the one a single
process builds. Problems stay in the outcomes, reported by the run as before.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import gc
import os
import pickle
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .cache import HELD, OutcomeCache
from .processes import forked

if TYPE_CHECKING:  # the reader is loaded by the processes that read (`read_behind`: not the run)
    from .read import Result

# Below this many files to read, starting processes costs more than it saves.
MIN_FILES = 2
# Up to this many, a build reads them in one process while it goes on (`read_behind`).
BEHIND_AT_MOST = 8


class _Worker:
    """What a worker process reads with: its own builder, and the run's cache, where it
    stores each build's outcome itself (the writes then take both cores too). It sends back
    only the part the run wants (a check wants little, and sending costs); a check's, pickled
    here, is the run's to keep (the cache keeps a check's parts in one file, written by the
    run: `cache.py`)."""

    def __init__(self, builder_inputs: dict[str, Any], cache: OutcomeCache, parts: Callable, want: str):
        from .read import ExplainerBuilder  # noqa: PLC0415 (see the imports)

        self.builder = ExplainerBuilder(**builder_inputs)
        self.cache = cache
        self.parts = parts
        self.want = want

    def read(self, path: str, data: bytes, page: bool, key: str) -> Any:
        """The part wanted, or None when the cache holds it: the run reads it back from there
        when Pelican asks for the file, so that it never holds every file's outcome at once
        (a build of 1,000 explainers would hold hundreds of MB)."""
        parts = self.parts(self.builder.read(path, data, page=page))
        if set(parts) == {HELD}:
            return pickle.dumps(parts[HELD], protocol=pickle.HIGHEST_PROTOCOL)
        self.cache.put(key, parts)
        return None if self.cache.has(key, self.want) else parts[self.want]


# A worker process's reader, made once by `_start` when the process starts: the process
# lives only for the read-ahead of one run, so this is that run's state, not a shared one.
_worker: _Worker | None = None


def _start(*inputs: Any) -> None:
    global _worker
    _worker = _Worker(*inputs)
    # What the process has made so far (its modules, its reader) lives as long as it does:
    # the garbage collector need not go over it again after each file (its full passes
    # were a twentieth of reading 1,000 explainers).
    gc.freeze()


def _read(job: tuple[str, bytes, bool, str]) -> Any:
    assert _worker is not None
    return _worker.read(*job)


def read_all(
    jobs: Sequence[tuple[str, bytes, bool, str]],
    workers: int,
    *,
    builder_inputs: dict[str, Any],
    cache: OutcomeCache,
    parts: Callable[[Result], dict[str, Any]],
    want: str,
) -> list[Any] | None:
    """Each job's (path, bytes, in a page folder, cache key) outcome, in order: stored in
    `cache` as `parts` makes it, and its part `want` returned where the cache could not
    keep it (else None: read it from the cache); a check's part is returned pickled, and
    put in the cache here. None when it is not worth the processes or they could not be
    used (the caller then reads the files itself)."""
    workers = min(workers, len(jobs))
    if workers < 2 or len(jobs) < MIN_FILES:
        return None
    # Several files a task, so that a worker is not waiting on the run for each one; small
    # enough that the two halves of the work end together.
    chunk = max(1, min(16, len(jobs) // (workers * 8)))
    try:
        with concurrent.futures.ProcessPoolExecutor(
            max_workers=workers, initializer=_start, initargs=(builder_inputs, cache, parts, want)
        ) as pool:
            results = list(pool.map(_read, jobs, chunksize=chunk))
    except (OSError, concurrent.futures.process.BrokenProcessPool):
        # No processes here (a sandbox, a limit), or one was killed: the run reads them itself.
        return None
    outcomes = []
    for (*_, key), result in zip(jobs, results, strict=True):
        if isinstance(result, bytes):
            cache.put_checked(key, result)
        cache.keep(key)
        outcomes.append(pickle.loads(result) if isinstance(result, bytes) else result)
    return outcomes


class Behind:
    """A process reading a few files behind the run's back (`read_behind`)."""

    def __init__(self, pid: int, keys: set[str]):
        self.pid = pid
        self.keys = keys  # the cache keys of the files it reads

    def wait(self) -> None:
        """Until it has read them all (each outcome is then in the cache, or, where it failed,
        not: the run reads that file itself, as it would have)."""
        if self.pid:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0


def read_behind(
    jobs: Sequence[tuple[str, bytes, bool, str]],
    *,
    builder_inputs: dict[str, Any],
    cache: OutcomeCache,
    parts: Callable[[Result], dict[str, Any]],
) -> Behind | None:
    """A rebuild's few files to read (path, bytes, in a page folder, cache key): read in one
    process forked from the run, each outcome stored in `cache`, while the run takes the
    files the cache holds; the reader and Markdown are loaded there, off the run's way. The
    run waits for it (`Behind.wait`) when Pelican asks for one of these files. None where
    there is no `fork` (the run reads them itself)."""
    if not hasattr(os, "fork"):
        return None

    def read() -> None:
        worker = _Worker(builder_inputs, cache, parts, "build")
        for job in jobs:
            worker.read(*job)

    return Behind(forked("explainers-read", read), {job[3] for job in jobs})
