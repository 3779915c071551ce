"""Attacks on the read-ahead that hands files to the workers as it reads them, with an empty
cache (`run.Run._read_all_ahead`, `pool.read_all` taking a generator, `cache.holds_outcomes`).

Written by a session that had not written the change. Each test compares what a run reports
and writes with what one process does, or holds the run to what it promised of its memory.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import re
import shutil
import signal
import weakref
from pathlib import Path

import pytest

from explainers import pool
from explainers.run import Run
from sitebuild import EXPLAINER, Site
from test_workers import tree

DRAFT = EXPLAINER.replace("summary:", "status: draft\nsummary:")
TRANSLATION = EXPLAINER.replace("summary:", "lang: fr\ntranslation: true\nsummary:")


def settings(workers: int, **more) -> tuple[str, str]:
    return ("-e", "EXPLAINERS=" + json.dumps({"WORKERS": workers, **more}))


def explainer(n: int, padding: int = 0) -> str:
    """An explainer of its own slug, `padding` paragraphs longer than the rest."""
    text = EXPLAINER.replace("title: A test explainer", f"title: Explainer number {n}")
    return text + "\n\nMore words, to make it longer.\n" * padding


# --- Memory: what the run holds of the workers' outcomes -------------------------------------


class _Outcome:
    """Stands for what a worker sends back of one file (held by the run until taken)."""


def test_the_run_lets_go_of_each_task_s_outcomes_once_it_has_taken_them(monkeypatch):
    """`read_all` promised (as `pool.map` did) that the run never holds every file's outcome
    at once: each task's outcomes are taken into the cache, then dropped. Holding every
    submitted future until the last is taken kept each one's result (a build's pickled
    outcomes: hundreds of MB for 1,000 explainers)."""
    made: list[weakref.ref] = []

    class Executor:  # the workers, in this process: each task done as soon as it is given
        def __init__(self, **_):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def submit(self, fn, task):
            future = concurrent.futures.Future()
            future.set_result(fn(task))
            return future

    def read(task):
        outcomes = [(_Outcome(), None) for _ in task]
        made.extend(weakref.ref(outcome) for outcome, _ in outcomes)
        return outcomes

    alive_when_taken: list[int] = []

    class Cache:
        def take(self, key, stored):
            alive_when_taken.append(sum(ref() is not None for ref in made))
            # stored: the build reads it back when Pelican asks (None)

    monkeypatch.setattr(pool.concurrent.futures, "ProcessPoolExecutor", Executor)
    monkeypatch.setattr(pool, "_read", read)
    jobs = (pool.Job(f"{n}.md", b"x" * 100, False, str(n)) for n in range(64))
    taken = pool.read_all(jobs, 2, builder_inputs={}, cache=Cache(), parts=dict, want="build", expected=64)
    assert taken is not None
    assert len(taken) == 64
    # Four files a task (64 // 16): at most the task being taken, and the one given before it.
    assert max(alive_when_taken) <= 8, alive_when_taken


# --- A check and a build, by one process and by two, of a site whose cache is empty ------------

PLAIN = """\
Title: A plain article
Date: 2025-03-01

Some *plain* text.
"""


@pytest.fixture
def cold(monkeypatch) -> list:
    """What each run's read-ahead with an empty cache read in the workers (the paths, in the
    order taken), or None where they read nothing."""
    seen: list = []
    read_all_ahead = Run._read_all_ahead
    read_all = pool.read_all

    def recording(*args, **kwargs):
        taken = read_all(*args, **kwargs)
        if seen and seen[-1] == "started":
            seen[-1] = None if taken is None else [job.path for job, _, _ in taken]
        return taken

    def ahead(self, documents):
        seen.append("started")
        return read_all_ahead(self, documents)

    monkeypatch.setattr(pool, "read_all", recording)
    monkeypatch.setattr(Run, "_read_all_ahead", ahead)
    return seen


def built(folder: Path) -> dict[str, bytes]:
    """The files of a site built; a feed of no entries says when it was made (Pelican's, as
    with one process): that time is left out."""
    found = tree(folder)
    for name, data in found.items():
        if name.endswith(".xml") and b"<entry>" not in data:
            found[name] = re.sub(rb"<updated>[^<]*</updated>", b"", data)
    return found


def runs(site: Site, *extra: str, before=None, same_as_build=True, **more) -> dict[str, object]:
    """A check and a build of `site`, each by one process and by two, each with an empty cache:
    the problems of all four, and the two sites built, said to agree. `before` is called
    before each."""
    found = {}
    for workers in (1, 2):
        for kind in ("check", "build"):
            shutil.rmtree(site.root / "cache", ignore_errors=True)
            if before is not None:
                before()
            out = ("-o", str(site.root / f"out-{workers}")) if kind == "build" else ()
            found[kind, workers] = site.run(kind, *settings(workers, **more), *extra, *out)
    one, two = found["check", 1], found["check", 2]
    assert two.problems == one.problems, two.stderr
    assert found["build", 2].problems == found["build", 1].problems, found["build", 2].stderr
    if same_as_build:
        assert found["build", 1].problems == one.problems
        assert [run.code for run in found.values()] == [one.code] * 4
    notes = [[line for line in run.stderr.splitlines() if ": note: " in line] for run in found.values()]
    assert notes == [notes[0]] * 4
    first, second = built(site.root / "out-1"), built(site.root / "out-2")
    assert sorted(second) == sorted(first)
    assert [name for name in first if first[name] != second[name]] == []
    return found


def translated_site(root: Path, count: int) -> Site:
    """`count` documents: a draft original listed after its translation, which is shorter, and
    explainers each longer than the one before (the longest last by name: read first)."""
    site = Site(root)
    site.write("a-translation.md", TRANSLATION)
    site.write("b-original.md", DRAFT + "\n\nThe draft, longer than its translation.\n" * 30)
    for n in range(count - 2):
        site.write(f"c{n:02}.md", explainer(n, padding=n * 3))
    return site


@pytest.mark.parametrize("count", [2, 3, 8, 9, 17])
def test_a_site_whose_translation_s_original_is_a_draft_agrees(tmp_path, count, cold):
    found = runs(translated_site(tmp_path, count))
    # The check's, and the build's where there are more than a process behind the run reads.
    assert [len(taken) for taken in cold] == [count] * (1 + (count > pool.BEHIND_AT_MOST))
    assert "held back as a draft" in found["check", 2].stderr


def test_a_site_of_files_the_door_refuses_or_that_are_empty_agrees(tmp_path, cold):
    site = translated_site(tmp_path, 12)
    site.write("empty.md", "")
    site.write("blank.md", "  \n\n\t\n")
    site.write("huge.md", explainer(99, padding=400))
    site.write("bad name!.md", explainer(98))
    site.write("plain.md", PLAIN)
    site.write("pages/plain.md", PLAIN)  # a page of the same bytes as an article
    (site.content / "linked.md").symlink_to(site.content / "c03.md")
    os.link(site.content / "c04.md", site.content / "hard.md")
    (site.content / "outside.md").symlink_to(tmp_path / "elsewhere.md")
    (tmp_path / "elsewhere.md").write_text(explainer(97), encoding="utf-8")
    runs(site, MAX_FILE_BYTES=20000)
    # 12, the plain article and its page, the link in: read by the workers, the largest first.
    assert [len(taken) for taken in cold] == [15, 15]
    sizes = [os.stat(path).st_size for path in cold[0]]
    assert sizes == sorted(sizes, reverse=True)


def test_a_site_read_with_the_cache_off_agrees(tmp_path, cold):
    site = translated_site(tmp_path, 10)
    site.write("plain.md", PLAIN)
    site.write("pages/plain.md", PLAIN)
    runs(site, CACHE=False)
    assert [len(taken) for taken in cold] == [12, 12]


def test_a_worker_killed_mid_stream_leaves_the_run_to_read_every_file_itself(tmp_path, cold, monkeypatch):
    """A worker killed (the memory killer) while the run is still handing it files: the run
    reads them all itself, and reports and builds what one process does."""
    site = translated_site(tmp_path, 40)
    site.write("broken.md", EXPLAINER.replace("[@alpha]", "[@nowhere]"))
    read = pool._Worker.read

    def dying(self, job):
        if job.path.endswith("c30.md"):  # a short one: given late, while the run reads on
            os.kill(os.getpid(), signal.SIGKILL)
        return read(self, job)

    monkeypatch.setattr(pool._Worker, "read", dying)
    found = runs(site)
    assert cold == [None, None]
    assert "nowhere" in found["check", 2].stderr


def test_a_file_deleted_after_the_scan_is_reported_as_one_process_reports_it(tmp_path, cold, monkeypatch):
    site = translated_site(tmp_path, 12)
    victim = site.content / "c05.md"
    text = explainer(5)
    read_ahead = Run.read_ahead

    def deleting(self):
        victim.unlink()
        return read_ahead(self)

    monkeypatch.setattr(Run, "read_ahead", deleting)
    # (A build walks the folder again, after the scan, for Pelican: it never sees the file.)
    found = runs(site, before=lambda: victim.write_text(text, encoding="utf-8"), same_as_build=False)
    assert "c05.md" in "\n".join(found["check", 2].problems)
    assert [len(taken) for taken in cold] == [11, 11]


def test_a_cache_taken_for_empty_while_it_holds_outcomes_builds_the_same_site(tmp_path, cold, monkeypatch):
    """`holds_outcomes` wrong either way costs time, never the site: a check, then a build, then
    an edit and both again, with the cache taken for empty each time."""
    site = translated_site(tmp_path, 12)
    first = site.check(*settings(2)), site.build(*settings(2), "-o", str(tmp_path / "warm"))
    monkeypatch.setattr(pool.OutcomeCache, "holds_outcomes", lambda self: False)
    again = site.check(*settings(2)), site.build(*settings(2), "-o", str(tmp_path / "cold"))
    assert [run.problems for run in again] == [run.problems for run in first]
    assert built(tmp_path / "cold") == built(tmp_path / "warm")
    assert len(cold) == 3  # the first check, and both runs with the cache taken for empty


@pytest.mark.parametrize(
    "state",
    ["a file", "only the site's entry", "a stray build pack", "heads only"],
)
def test_what_the_cache_holds_is_told_from_its_folder(tmp_path, state):
    site = translated_site(tmp_path, 3)
    site.write("plain.md", PLAIN)
    assert site.check(*settings(2)).code == 0
    (folder,) = (tmp_path / "cache" / "explainers").glob("*/*")
    for entry in folder.iterdir():
        entry.unlink()
    if state == "a file":
        folder.rmdir()
        folder.write_bytes(b"")
    elif state == "a stray build pack":
        (folder / "build-1234.pack").write_bytes(b"")
    elif state == "heads only":
        (folder / "0123456789abcdef.head").write_bytes(b"")
    from explainers.cache import OutcomeCache  # noqa: PLC0415

    cache = OutcomeCache.__new__(OutcomeCache)
    cache.folder = folder
    expected = {
        "a file": True,
        "only the site's entry": False,
        "a stray build pack": True,
        "heads only": False,
    }
    assert cache.holds_outcomes() is expected[state]
