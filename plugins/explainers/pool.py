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

import collections
import concurrent.futures
import gc
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from typing import TYPE_CHECKING, Any, NamedTuple

from .cache import OutcomeCache, pickled
from .document import peek
from .processes import Child, die_with, forked

if TYPE_CHECKING:  # the reader is loaded by the processes that read (`read_behind`: not the run)
    from .read import Result

# Below this many files to read, starting processes costs more than it saves.
MIN_FILES = 2
# Up to this many, a build reads them in one process while it goes on (`read_behind`).
BEHIND_AT_MOST = 8
# How many bytes of files a worker's task holds at most (`tasks_of`).
TASK_BYTES = 256 * 1024


class Job(NamedTuple):
    """A file to read: its path, its bytes, whether it is in a page folder, its cache key;
    and whether the run wants its head too (`peek.address_fields`: all of its YAML read
    again, which the run's own process did for each translation, one after another)."""

    path: str
    data: bytes
    page: bool
    key: str
    head: bool = False
    outcome: bool = True  # False: its head alone (the file itself read in another job)


class _Worker:
    """What a worker process reads with: its own builder, and the run's cache. It pickles
    what the cache keeps of each outcome (pickling then takes both cores too) and sends it
    to the run, which appends it to the cache's pack (`packs.py`: one file, not one a file)."""

    def __init__(self, builder_inputs: dict[str, Any], cache: OutcomeCache, parts: Callable, want: str):
        from .read import ExplainerBuilder  # noqa: PLC0415 (see the imports)

        self.builder = ExplainerBuilder(**builder_inputs)
        self.cache = cache
        self.parts = parts
        self.want = want

    def read(self, job: Job) -> tuple[Any, dict[str, Any] | None]:
        """What the run stores of the file's outcome, pickled here (`cache.pickled`): the run
        takes it into the cache (`cache.OutcomeCache.take`) and a build reads it back from
        there when Pelican asks for the file, so that it never holds every file's outcome at
        once (a build of 1,000 explainers would hold hundreds of MB). With the cache off, the
        part wanted. Beside it, the file's head where the job asks for it (stored in the
        cache here too, as the run would: `run.Run.head`), else None."""
        head = None
        if job.head:
            head = peek.address_fields(job.data)
            self.cache.put(job.key, {"head": head})
        if not job.outcome:
            return None, head
        parts = self.parts(self.builder.read(job.path, job.data, page=job.page))
        return (pickled(parts) if self.cache.enabled else parts[self.want]), head

    def store(self, job: Job) -> None:
        """The file's outcome, stored in the cache by this process (`read_behind`)."""
        self.cache.put(job.key, self.parts(self.builder.read(job.path, job.data, page=job.page)))


# A worker process's reader, made once by `_start` when the process starts: the process
# lives only for the read-ahead of one run, so this is that run's state, not a shared one.
_worker: _Worker | None = None


def _start(run: int, *inputs: Any) -> None:
    global _worker
    # A build killed mid-read-ahead (SIGKILL: a CI timeout, the memory killer) leaves its
    # workers waiting for work on a queue they hold open themselves: they end with it.
    die_with(run)
    _worker = _Worker(*inputs)
    # What the process has made so far (its modules, its reader) lives as long as it does:
    # the garbage collector need not go over it again after each file (its full passes
    # were a twentieth of reading 1,000 explainers).
    gc.freeze()


def _read(tasks: list[Job]) -> list[tuple[Any, dict[str, Any] | None]]:
    assert _worker is not None
    return [_worker.read(job) for job in tasks]


def tasks_of(jobs: Iterable[Job], most: int) -> Iterator[list[Job]]:
    """`jobs` in tasks of several files, each given as soon as it is full, so that a worker is
    not waiting on the run for each one: at most `most` files, and at most TASK_BYTES of them
    but for a longer file alone (a task's outcomes reach the run as one message, held whole:
    sixteen of a corpus's longest files at once were tens of MB in the run)."""
    task: list[Job] = []
    size = 0
    for job in jobs:
        if task and (len(task) >= most or size + len(job.data) > TASK_BYTES):
            yield task
            task, size = [], 0
        task.append(job)
        size += len(job.data)
    if task:
        yield task


def read_all(
    jobs: Iterable[Job],
    workers: int,
    *,
    builder_inputs: dict[str, Any],
    cache: OutcomeCache,
    parts: Callable[[Result], dict[str, Any]],
    want: str,
    expected: int = 0,
    then: Callable[[], Iterable[Job]] = tuple,
) -> list[tuple[Job, Any, dict[str, Any] | None]] | None:
    """Each job with its outcome and head, in the order given (the longest files first: the
    last tasks are then the shortest, and the two workers end together): the outcome stored
    in `cache` as `parts` makes it, and its part `want` returned where the run takes it now (a
    check's, or any with the cache off; else None: read it from the cache); the head, where
    the job asked for it. `jobs` may be read as the workers go (a generator reading the
    files): they start on the first task while the rest are read; `then()`, asked once they
    are all given, gives the jobs known to be wanted only then (heads). None when it is not
    worth the processes or they could not be used (the caller then reads the files itself)."""
    # Small enough tasks that the two halves of the work end together: by the number of
    # jobs, where it is known (a list's, or `expected`).
    count = len(jobs) if isinstance(jobs, Sized) else expected or MIN_FILES
    most = max(1, min(16, count // (workers * 8)))
    jobs = iter(jobs)
    first = list(itertools.islice(jobs, MIN_FILES))
    if workers < 2 or len(first) < MIN_FILES:
        return None
    taken: list[tuple[Job, Any, dict[str, Any] | None]] = []
    try:
        with concurrent.futures.ProcessPoolExecutor(
            max_workers=workers,
            initializer=_start,
            initargs=(os.getpid(), builder_inputs, cache, parts, want),
        ) as pool:
            # Each task given as it is made; taken in order, while the workers read on: those
            # done are taken between two tasks given. Each is let go of once taken (its future
            # holds its outcomes: every file's at once was hundreds of MB of a large build).
            given: collections.deque[tuple[list[Job], concurrent.futures.Future]] = collections.deque()
            for task in tasks_of(itertools.chain(first, jobs, _later(then)), most):
                given.append((task, pool.submit(_read, task)))
                while given and given[0][1].done():
                    _take(*given.popleft(), cache, taken)
            while given:
                _take(*given.popleft(), cache, taken)
    except (OSError, concurrent.futures.process.BrokenProcessPool):
        # No processes here (a sandbox, a limit), or one was killed: the run reads them itself.
        return None
    return taken


def _later(then: Callable[[], Iterable[Job]]) -> Iterator[Job]:
    """`then()`'s jobs, asked for only when the jobs before them have all been given."""
    yield from then()


def _take(task: list[Job], outcomes: concurrent.futures.Future, cache: OutcomeCache, taken: list) -> None:
    """A task's outcomes, stored in `cache` and added to `taken` (`read_all`), each with its
    job without the file's bytes (a build holds no file's bytes once it is read)."""
    for job, (stored, head) in zip(task, outcomes.result(), strict=True):
        taken.append((job._replace(data=b""), cache.take(job.key, stored), head))


class Behind:
    """A process reading a few files behind the run's back (`read_behind`)."""

    def __init__(self, reader: Child, keys: set[str]):
        self.reader = reader
        self.keys = keys  # the cache keys of the files it reads

    def wait(self) -> None:
        """Until it has read them all (each outcome is then in the cache, or, where it failed,
        not: the run reads that file itself, as it would have, and reports what it finds)."""
        self.reader.wait()

    def stop(self) -> None:
        """End it now (a failed run: nothing will ask for its files; what it stored so far
        is whole, as the cache writes each entry aside first)."""
        self.reader.kill()


def read_behind(
    jobs: Sequence[Job],
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
            worker.store(job)

    return Behind(forked("explainers-read", read), {job.key for job in jobs})
