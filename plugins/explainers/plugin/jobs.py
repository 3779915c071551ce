"""Writing the site on every core: its pages rendered in processes forked from the run.

Pelican renders and writes the pages one after another in one process; once the files are
read (on every core: `pool.py`), that is most of a build. A page needs the whole site
Pelican has read to be rendered (its context: every article, the navigation, the claims),
which a fresh process lacks and which costs more to send than to render. A process
forked from the run has all of it, shared until written to. So the writer queues each
page (`Jobs.add`), and when every generator has queued its own, `Jobs.run` forks the
workers, and each process, this one too, takes the next job until none is left. A job
writes its file (and its cache entry); all the run learns back is whether it failed.

A page is the same whichever process renders it (tests/test_workers.py compares a site
built by one process with one built by two, byte for byte). With one worker, where there
is no `fork`, or for a handful of jobs, each job runs when it is added, as in plain Pelican.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import sys
from collections.abc import Callable

from ..processes import Child, DiedError, forked

# Below this many queued jobs, a fork (which copies the run's page tables) costs more than
# it saves.
MIN_JOBS = 16


class Jobs:
    def __init__(self, workers: int):
        self.workers = workers if hasattr(os, "fork") else 1
        self.queued: dict[str, Callable[[], None]] = {}
        self.closed = self.workers < 2

    @property
    def deferred(self) -> bool:
        """Whether a job added now waits for `run` (else it runs at once)."""
        return not self.closed

    def add(self, target: str, job: Callable[[], None]) -> None:
        """`job` writes the file `target`: later, or now once the jobs have run. A second job
        for the same file replaces the first (Pelican's `override_output`: its write wins)."""
        if self.closed:
            job()
            return
        self.queued.pop(target, None)
        self.queued[target] = job

    def run(self) -> None:
        """Run every queued job, on all the workers; from now on a job runs when added.
        Raises the first failure a job met, in whichever process."""
        jobs, self.queued, self.closed = list(self.queued.values()), {}, True
        workers = min(self.workers, len(jobs))
        if workers < 2 or len(jobs) < MIN_JOBS:
            for job in jobs:
                job()
            return
        # Whatever this process has buffered would be printed again by each child.
        sys.stdout.flush()
        sys.stderr.flush()
        # The collector of a child would touch (and so copy) every object of the run.
        gc.freeze()
        taken = multiprocessing.get_context("fork").Value("q", 0)
        children = [_fork(jobs, taken) for _ in range(workers - 1)]
        try:
            _work(jobs, taken)
        finally:
            failures = [failure for failure in (child.wait() for child in children) if failure is not None]
            gc.unfreeze()  # a process that runs Pelican again (`pelican -r`, tests) collects them
        if failures:
            failure = failures[0]
            if isinstance(failure, DiedError):
                raise RuntimeError(f"a process writing the site {failure}")
            raise failure


def _work(jobs: list[Callable[[], None]], taken) -> None:
    """Take jobs until none is left; after a failure here, the other processes take no more."""
    try:
        _take(jobs, taken)
    except BaseException:
        _stop(jobs, taken)
        raise


def _take(jobs: list[Callable[[], None]], taken) -> None:
    """Run the next job no process has taken, until none is left."""
    while True:
        with taken.get_lock():
            number = taken.value
            taken.value += 1
        if number >= len(jobs):
            return
        jobs[number]()


def _stop(jobs: list, taken) -> None:
    """Leave no job to take: after a failure, the other processes end with their current one."""
    with taken.get_lock():
        taken.value = len(jobs)


def _fork(jobs: list[Callable[[], None]], taken) -> Child:
    """A child process that takes jobs beside this one."""
    return forked("explainers-jobs", functools.partial(_work, jobs, taken))
