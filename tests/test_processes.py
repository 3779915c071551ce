"""The processes a build forks (`processes.forked`): what stopped one reaches the build,
whichever process did the work, and the search index says it to the writer in the same
words whether it was made in a process or in a thread (`WORKERS: 1`)."""

from __future__ import annotations

import logging
import os
import signal
import threading

import pytest

from explainers import processes
from explainers.plugin.pagefind_service import PagefindServiceError
from explainers.plugin.search import Indexing, SearchIndexError


class UnpicklableError(Exception):
    def __init__(self, words: str, handle: object):
        super().__init__(words)
        self.handle = handle  # a lock: no pickle


def done() -> None:
    pass


def fails() -> None:
    raise LookupError("no such part")


def fails_unpicklably() -> None:
    raise UnpicklableError("a part held by a lock", threading.Lock())


def logs_then_stops() -> None:
    # As Pelican does with errors fatal: the error logged, then a bare RuntimeError.
    logging.getLogger("pelican.writers").error("the page could not be written: its template failed")
    raise RuntimeError("Warning or error encountered")


def fails_at_length() -> None:
    raise ValueError("words " * 10_000)


def killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)  # as the memory killer does: no word sent


@pytest.mark.parametrize(
    ("work", "expected"),
    [
        (done, None),
        (fails, LookupError("no such part")),
        (fails_unpicklably, RuntimeError("UnpicklableError: a part held by a lock")),
        (killed, processes.DiedError(-signal.SIGKILL)),
        (fails_at_length, ValueError(("words " * 10_000)[: processes.MAX_WORDS] + "…")),
    ],
    ids=["done", "raised", "raised-unpicklable", "killed", "raised-at-length"],
)
def test_what_stopped_a_forked_process_reaches_the_build(work, expected):
    child = processes.forked("explainers-test", work)
    pid = child.pid
    failure = child.wait()
    assert (type(failure), str(failure)) == (type(expected), str(expected))
    assert child.wait() is None  # waited for once
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # and reaped


def test_what_a_forked_process_logged_as_errors_reaches_the_build_with_its_failure():
    failure = processes.forked("explainers-test", logs_then_stops).wait()
    assert (type(failure), str(failure)) == (RuntimeError, "Warning or error encountered")
    assert failure.__notes__ == ["the page could not be written: its template failed"]


def test_a_forked_process_killed_by_the_build_is_reaped():
    stuck, never = os.pipe()

    def waits_forever() -> None:
        os.read(stuck, 1)  # nobody writes

    child = processes.forked("explainers-test", waits_forever)
    pid = child.pid
    child.kill()
    os.close(never)
    os.close(stuck)
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # ended and reaped


def indexing_failure(work, fork: bool) -> str:
    indexing = Indexing(work, fork=fork, stop_service=done)
    with pytest.raises(SearchIndexError if work is not pagefind_said else PagefindServiceError) as failed:
        indexing.wait()
    return str(failed.value)


def disk_full() -> None:
    raise OSError(28, "No space left on device")


def pagefind_said() -> None:
    raise PagefindServiceError("Pagefind: the part's records could not be read")


@pytest.mark.parametrize(
    ("work", "said"),
    [
        (disk_full, "OSError: [Errno 28] No space left on device"),
        (pagefind_said, "Pagefind: the part's records could not be read"),  # its words, as they are
    ],
)
@pytest.mark.parametrize("fork", [True, False], ids=["process", "thread"])
def test_the_search_index_says_what_stopped_it_in_the_same_words_in_a_process_or_a_thread(work, said, fork):
    assert indexing_failure(work, fork) == said


def test_the_search_index_killed_in_its_process_says_so():
    assert indexing_failure(killed, fork=True) == "the search index could not be made: its process ended"
