"""Content files are read and converted in worker processes (EXPLAINERS WORKERS); the site is
byte for byte the one a single process builds, and the problems are the same."""

from __future__ import annotations

import gc
import json
import os
import pickle
import select
import shutil
import signal
import sys
from pathlib import Path

import pytest
from generate import generate

from explainers import pool, processes
from explainers.document import files, peek
from explainers.plugin import cards, jobs, quick, search
from explainers.read import ExplainerBuilder
from explainers.render import card
from explainers.render.view import StoredView
from explainers.settings import from_pelican
from sitebuild import EXPLAINER, Site

PLAIN_ARTICLE = """\
Title: A plain article
Date: 2025-03-01

Some *plain* text, with [a link](https://example.org/) and a footnote.[^1]

[^1]: The note.
"""

BROKEN = """\
---
title: Broken
date: 2025-03-02
sources: {}
claims:
  - id: one
    text: A claim.
    status: confirmed
    sources: [nowhere]
---

Body citing [@missing].
"""


def workers(count: int) -> tuple[str, str]:
    return ("-e", "EXPLAINERS=" + json.dumps({"WORKERS": count}))


def corpus(root: Path, *extra: tuple[str, str]) -> Site:
    """Twelve generated explainers of two shapes, a plain article and the site-wide library."""
    generate(12, root / "generated", "claims")
    shutil.copytree(root / "generated" / "explainers", root / "content")
    generate(4, root / "sources-shape", "sources")
    for path in sorted((root / "sources-shape" / "explainers").glob("*.md")):
        shutil.copy(path, root / "content" / f"long-{path.name}")
    site = Site(root)
    site.write("plain.md", PLAIN_ARTICLE)
    for name, text in extra:
        site.write(name, text)
    return site


@pytest.fixture
def whole_builds(monkeypatch) -> None:
    """Every build of the site whole: these tests are of a whole build's reading, which a body
    edit alone would not reach (it is rebuilt alone: test_quick_rebuild.py)."""
    monkeypatch.setattr(quick, "rebuild", lambda *arguments: None)


@pytest.fixture
def spy(monkeypatch) -> list:
    """What each run's read-ahead returned: the outcomes, or None when it read nothing ahead."""
    seen: list = []
    read_all = pool.read_all

    def recording(*args, **kwargs):
        seen.append(read_all(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(pool, "read_all", recording)
    return seen


@pytest.fixture
def forks(monkeypatch) -> list:
    """The process each run forked to render pages (none: it rendered them itself)."""
    seen: list = []
    fork = jobs._fork

    def recording(*args):
        seen.append(fork(*args))
        return seen[-1]

    monkeypatch.setattr(jobs, "_fork", recording)
    return seen


@pytest.fixture
def helpers(monkeypatch) -> list[str]:
    """The name of each process a run forked beside its page jobs: the cards drawn ahead,
    the search index."""
    seen: list[str] = []
    for module in (search, cards):
        fork = module.forked

        def recording(name, work, fork=fork):
            seen.append(name)
            return fork(name, work)

        monkeypatch.setattr(module, "forked", recording)
    return seen


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_workers_build_the_site_one_process_builds_byte_for_byte(tmp_path, spy, forks, helpers):
    site = corpus(tmp_path)
    one = site.build(*workers(1), "-o", str(tmp_path / "one"))
    assert one.code == 0, one.stderr
    assert spy == []  # one worker: no read-ahead, the run reads each file when Pelican asks
    assert forks == []  # and renders every page as Pelican asks for it
    assert helpers == []  # and indexes the site in a thread of its own (Pagefind aside)
    shutil.rmtree(tmp_path / "cache")
    two = site.build(*workers(2), "-o", str(tmp_path / "two"))
    assert two.code == 0, two.stderr
    assert len(spy[0]) == 17  # 16 explainers and the plain article, read by the workers
    # The pages and cards, written by this process and one forked (the search records of 16
    # explainers are made by the indexing itself: `search.MADE_BY_JOBS`).
    assert len(forks) == 1
    assert helpers == ["explainers-card", "explainers-find"]
    assert two.problems == one.problems
    first, second = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert sorted(second) == sorted(first)
    assert [name for name in first if first[name] != second[name]] == []


def test_a_list_paginated_by_two_workers_is_the_list_one_process_writes(tmp_path, forks):
    # A list's pages are named as Pelican paginates it: the run must know them all before
    # a forked process writes them.
    site = corpus(tmp_path)
    paginated = ("-e", "DEFAULT_PAGINATION=5")
    assert site.build(*workers(1), *paginated, "-o", str(tmp_path / "one")).code == 0
    shutil.rmtree(tmp_path / "cache")  # nothing reused: the second build renders every page
    assert site.build(*workers(2), *paginated, "-o", str(tmp_path / "two")).code == 0
    assert len(forks) == 1
    first, second = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert {"index.html", "index2.html", "index3.html", "index4.html"} <= set(second)
    assert [name for name in sorted(set(first) | set(second)) if first.get(name) != second.get(name)] == []


def test_workers_store_their_outcomes_for_the_next_run(tmp_path, spy):
    site = corpus(tmp_path)
    assert site.build(*workers(2)).code == 0
    assert len(spy[0]) == 17
    # Every file is in the cache now: nothing is left to read ahead (no processes are even
    # started), the next run reuses it.
    again = site.build(*workers(2))
    assert again.code == 0, again.stderr
    assert len(spy) == 1
    assert not list((tmp_path / "cache").rglob("*.tmp"))
    # The number of workers changes how a run goes, not what it makes: the same cache, and
    # every explainer's page the previous output's (linked: the same file).
    kept = {folder.name for folder in (tmp_path / "cache" / "explainers").glob("*/*")}
    pages = explainer_pages(site.output)
    assert len(pages) == 16
    assert site.build(*workers(1)).code == 0
    assert {folder.name for folder in (tmp_path / "cache" / "explainers").glob("*/*")} == kept
    assert explainer_pages(site.output) == pages


def explainer_pages(output: Path) -> dict[str, int]:
    """Each explainer page (the one with a card beside it), by its file's inode."""
    return {
        page.name: page.stat().st_ino
        for page in output.rglob("*.html")
        if page.with_name(page.name.removesuffix(".html") + ".card.png").exists()
    }


def test_problems_found_in_workers_are_reported_as_one_process_reports_them(tmp_path, spy):
    site = corpus(tmp_path, ("broken.md", BROKEN))
    one = site.check(*workers(1))
    shutil.rmtree(tmp_path / "cache")
    two = site.check(*workers(2))
    assert len(spy) == 1  # the one-worker check read no file ahead
    assert len(spy[0]) == 18
    assert one.code == two.code == 1
    assert any(line.startswith(str(Path("content", "broken.md")) + ":") for line in two.problems), two.stderr
    assert two.problems == one.problems
    built = site.build(*workers(2))
    assert built.code == 1
    assert built.problems == two.problems


def test_a_page_failing_in_a_forked_process_fails_the_build_as_in_one_process(tmp_path, monkeypatch, forks):
    site = corpus(tmp_path)
    assert site.build(*workers(2)).code == 0
    before = tree(site.output)
    shutil.rmtree(tmp_path / "cache")
    run_by = os.getpid()
    draw = card.draw

    def failing(title, *rest):
        # Only in the process the run forked: its failure must come back to the run.
        if os.getpid() != run_by:
            raise ValueError(f"no card for {title!r}")
        return draw(title, *rest)

    monkeypatch.setattr(card, "draw", failing)
    take = jobs._take
    # The run leaves every job to the process it forks, so that one surely meets a card.
    monkeypatch.setattr(jobs, "_take", lambda *args: None if os.getpid() == run_by else take(*args))
    failed = site.build(*workers(2))
    assert len(forks) == 2  # one a build
    assert failed.code == 1
    assert "ValueError: no card for " in failed.stderr
    assert tree(site.output) == before  # a failed build never touches the last output


def test_a_check_keeps_what_checks_need_and_a_build_reads_the_rest(tmp_path, spy):
    """A check (CI's, mostly) stores each file's problems and what the site-wide checks use,
    never the page view and HTML a build needs: pickling those was a tenth of its time. It
    stores them in one file, the pack: making a file a explainer was a sixth of its time."""
    site = corpus(tmp_path, ("broken.md", BROKEN))
    checked = site.check(*workers(2))
    assert checked.code == 1

    def stored() -> list[str]:
        return sorted(p.name.split(".", 1)[-1] for p in (tmp_path / "cache").rglob("*") if p.is_file())

    # Besides the pack: the sources library's problems and the slugs of the titles, once; and the
    # head (address fields) the site-wide checks read of the one file with errors, whose
    # outcome has none. (Every file's head was read, in the run's own process: a third of a
    # check of 1,000 explainers with one error.)
    assert stored() == ["head", "pack", "site", "slugs"]
    pack = next((tmp_path / "cache").rglob("check.pack"))
    assert len(pickle.loads(pack.read_bytes())) == 18
    written = pack.stat().st_mtime_ns
    again = site.check(*workers(2))  # every file's check comes from the pack: no processes
    assert len(spy) == 1
    assert again.problems == checked.problems
    assert pack.stat().st_mtime_ns == written  # it holds them all already: not written again
    built = site.build(*workers(2))
    assert len(spy[1]) == 18  # the build reads every file again, in the workers
    assert built.problems == checked.problems
    assert "build" not in stored()  # its outcomes are in its pack (`packs.py`)


def test_a_build_leaves_the_check_s_pack_for_the_check_after_it(tmp_path):
    # A build that removed the check's pack made the check after it write it whole again.
    site = corpus(tmp_path)
    checked = site.check(*workers(2))
    pack = next((tmp_path / "cache").rglob("check.pack"))
    written = pack.stat().st_mtime_ns
    assert site.build(*workers(2)).code == 0
    assert pack.stat().st_mtime_ns == written
    assert site.check(*workers(2)).problems == checked.problems
    assert pack.stat().st_mtime_ns == written  # every part found there: not written again


def build_packs(cache: Path) -> tuple[list[Path], dict]:
    """A cache's build packs, and its index."""
    (index,) = cache.rglob("build.index")
    return sorted(cache.rglob("build-*.pack")), pickle.loads(index.read_bytes())


def test_a_build_stores_every_outcome_in_one_pack_that_a_check_reads(tmp_path, spy):
    """A build keeps each file's whole outcome and its check's part in its pack, the check's
    part first: making a file costs most of a millisecond on a disk whose last build was just
    removed (the full build's case), and a check needs no file of its own."""
    site = corpus(tmp_path, ("broken.md", BROKEN))
    built = site.build(*workers(2))
    assert built.code == 1  # a build that fails keeps what it read all the same
    packs, index = build_packs(tmp_path / "cache")
    assert len(packs) == 1
    assert len(index) == 18
    assert not list((tmp_path / "cache").rglob("*.build"))
    checked = site.check(*workers(2))
    assert len(spy) == 1  # the check read no file again: each check part came from the build's pack
    assert checked.problems == built.problems


@pytest.mark.usefixtures("whole_builds")
def test_the_next_build_reads_its_outcomes_from_the_pack_and_one_cut_short_means_reading_again(tmp_path):
    site = corpus(tmp_path)
    assert site.build(*workers(2)).code == 0
    before = tree(site.output)
    (pack,), index = build_packs(tmp_path / "cache")
    # An edit: read behind the run, in a process of its own, stored as a file of its own; the
    # index keeps the files the rebuild used, from the same pack.
    rebuilt_after_one_edit(site)
    packs, kept = build_packs(tmp_path / "cache")
    assert packs == [pack]
    assert len(kept) == 16
    assert set(kept) < set(index)
    assert len(list((tmp_path / "cache").rglob("*.build"))) == 1
    edited = tree(site.output)
    assert edited != before
    # The pack cut short (a full disk, a copy gone wrong): what it no longer holds is read
    # again, into a pack of the run's own, and the site is the same.
    pack.write_bytes(pack.read_bytes()[: pack.stat().st_size // 2])
    assert site.build(*workers(2)).code == 0
    assert tree(site.output) == edited
    packs, again = build_packs(tmp_path / "cache")
    assert len(packs) == 2
    assert set(again) == set(kept)
    # An index that is not one: every file is read again.
    (index_file,) = (tmp_path / "cache").rglob("build.index")
    index_file.write_bytes(b"not a pickle")
    assert site.build(*workers(2)).code == 0
    assert tree(site.output) == edited
    packs, fresh = build_packs(tmp_path / "cache")
    assert len(packs) == 1  # the new pack alone: no entry is in the others
    assert len(fresh) == 16


def test_the_check_pack_holds_the_files_checked_last_and_a_broken_one_means_reading_again(tmp_path, spy):
    site = corpus(tmp_path, ("broken.md", BROKEN))
    first = site.check(*workers(2))
    pack = next((tmp_path / "cache").rglob("check.pack"))
    before = pickle.loads(pack.read_bytes())
    # An edit, and a file gone: the next pack holds the files as they are now, and no others.
    site.write("broken.md", BROKEN.replace("[@missing]", "[@missing] again"))
    (site.content / "plain.md").unlink()
    edited = site.check(*workers(2))
    assert edited.problems == first.problems
    after = pickle.loads(pack.read_bytes())
    assert len(after) == 17
    assert len(set(after) - set(before)) == 1  # the edited file's; the plain one's is gone
    # `make check FILE=…` reads one file: the others' stay in the pack, its earlier version's
    # does not.
    site.write("broken.md", BROKEN.replace("[@missing]", "[@missing] once more"))
    assert site.check(*workers(2), "--file", str(site.content / "broken.md")).code == 1
    one = pickle.loads(pack.read_bytes())
    assert len(one) == 17
    assert len(set(one) - set(after)) == 1
    site.write("broken.md", BROKEN.replace("[@missing]", "[@missing] again"))
    assert site.check(*workers(2)).problems == edited.problems
    assert pickle.loads(pack.read_bytes()) == after  # the whole check: its files alone
    # A pack cut short (a full disk, a copy gone wrong): every file is read again, and the
    # verdict is the same.
    pack.write_bytes(pack.read_bytes()[:100])
    again = site.check(*workers(2))
    assert len(spy[-1]) == 17
    assert again.problems == edited.problems
    assert pickle.loads(pack.read_bytes()) == after


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_a_forked_process_ends_when_the_run_that_forked_it_is_killed():
    # A build killed mid-way (a dev server stopping it, a CI timeout) must leave nothing
    # writing into its half-built folder. Here "the run" forks as the build does, its child
    # holds a pipe open, and the pipe's end of file says that child has ended.
    read, write = os.pipe()
    run = os.fork()
    if run == 0:  # the run
        try:
            os.close(read)
            parent = os.getpid()
            if os.fork() == 0:  # the process it forks to render pages
                processes.die_with(parent)
                os.write(write, b"started")
                while True:
                    signal.pause()
            os.close(write)
            while True:
                signal.pause()
        finally:
            os._exit(1)
    os.close(write)
    assert os.read(read, 7) == b"started"
    os.kill(run, signal.SIGKILL)
    os.waitpid(run, 0)
    ready, _, _ = select.select([read], [], [], 120)  # a bound, not a timing: it ends at once
    assert ready, "the forked process outlived its run"
    assert os.read(read, 1) == b""
    os.close(read)


def test_workers_send_back_only_what_the_cache_could_not_keep(tmp_path, spy):
    """With the cache, each outcome is read back from it when Pelican asks for its file (the
    run never holds them all at once); without, it comes back, its view stored."""
    site = corpus(tmp_path)
    assert site.build(*workers(2)).code == 0
    assert [(result, head) for _, result, head in spy[0]] == [(None, None)] * 17  # no head asked for
    uncached = site.build("-e", "EXPLAINERS=" + json.dumps({"WORKERS": 2, "CACHE": False}), "-o", "again")
    assert uncached.code == 0, uncached.stderr
    assert len(spy[1]) == 17
    explainers = [result for _, result, _ in spy[1] if result.view is not None]
    assert len(explainers) == 16
    assert all(isinstance(result.view, StoredView) for result in explainers)
    assert tree(tmp_path / "again") == tree(tmp_path / "output")


DRAFT_ORIGINAL = EXPLAINER.replace("summary:", "status: draft\nsummary:")
TRANSLATION = EXPLAINER.replace("summary:", "lang: fr\ntranslation: true\nsummary:")


def test_a_site_with_translations_and_no_draft_reads_no_head(tmp_path, spy, monkeypatch):
    # A head tells whether a translation's original is a draft: in a site with no draft, no
    # head is read, by the workers or the run, whichever file came first.
    heads: list[bytes] = []
    address_fields = peek.address_fields
    monkeypatch.setattr(peek, "address_fields", lambda data: heads.append(data) or address_fields(data))
    site = corpus(tmp_path, ("test-fr.md", TRANSLATION))
    assert site.check(*workers(2)).code == 0
    assert heads == []
    assert [head for _, _, head in spy[0]] == [None] * len(spy[0])


def test_the_heads_a_run_reads_are_read_in_the_workers(tmp_path, spy, monkeypatch):
    # Whether a translation's original is a draft is read from the heads of both, all of
    # their YAML read again: by the run's own process, one after another, it was a tenth of
    # a check of 1,000 explainers with 200 translations.
    heads: list[bytes] = []  # the heads read by this process (a worker's list is its own)
    address_fields = peek.address_fields
    monkeypatch.setattr(peek, "address_fields", lambda data: heads.append(data) or address_fields(data))
    site = corpus(tmp_path, ("test.md", DRAFT_ORIGINAL), ("test-fr.md", TRANSLATION))
    note = "content/test-fr.md:5: note: held back as a draft: its original content/test.md is a draft"
    one = site.check(*workers(1))
    assert sorted(heads) == sorted([DRAFT_ORIGINAL.encode(), TRANSLATION.encode()])
    shutil.rmtree(tmp_path / "cache")
    heads.clear()
    two = site.check(*workers(2))
    assert heads == []
    assert sum(head is not None for _, _, head in spy[0]) == 2
    assert two.problems == one.problems
    assert (
        [line for line in two.stderr.splitlines() if line.startswith(note)]
        == [line for line in one.stderr.splitlines() if line.startswith(note)]
        != []
    )
    built = site.build(*workers(2), "-e", 'DRAFT_SAVE_AS=""', 'DRAFT_LANG_SAVE_AS=""')
    assert heads == []  # read again in its workers, beside the outcomes a build keeps
    assert note in built.stderr
    assert not (site.output / "a-test-explainer-fr.html").exists()


def test_a_worker_leaves_what_it_starts_with_out_of_the_collectors_passes(monkeypatch):
    # `_start` runs as each worker process starts: run here, in this process, then undone.
    monkeypatch.setattr(pool, "_worker", None)
    # Not this process's parent-death signal: the test process is not a worker of a run.
    monkeypatch.setattr(pool, "die_with", lambda run: None)
    before = gc.get_freeze_count()
    try:
        pool._start(
            os.getpid(), {"settings": from_pelican({}), "library": {}}, None, lambda result: {}, "check"
        )
        assert pool._worker is not None
        assert gc.get_freeze_count() > before  # its modules and its reader: never collected
    finally:
        gc.unfreeze()


# A draft with a warning (a source with no date it was read on): a draft's problems, under
# `make publish`, are reported apart and do not count.
DRAFT = """\
---
title: Half done
date: 2025-03-03
status: draft
sources:
  alpha:
    title: A report
    publisher: Someone
    url: https://example.org/report
claims: []
---

Body citing [@alpha].
"""


@pytest.mark.usefixtures("whole_builds")
def test_a_rebuild_reads_each_cached_file_once_and_still_knows_its_drafts(tmp_path, monkeypatch):
    """The read-ahead reads every file to find its key; a file the cache holds is then taken
    from the cache when Pelican asks for it, not read and hashed a second time. What `read`
    needed of its bytes comes with the key: whether it is a draft, whose problems `make
    publish` reports apart (drafts are not published)."""
    site = corpus(tmp_path, ("half-done.md", DRAFT))
    publishing = ("-e", 'DRAFT_SAVE_AS=""', 'DRAFT_LANG_SAVE_AS=""')
    first = site.build(*workers(2), *publishing)
    assert first.code == 0, first.stderr
    note = "Not published, so not counted: the problems of the draft content/half-done.md"
    assert note in first.stderr
    read: list[str] = []
    read_file = files.Door.read_file
    monkeypatch.setattr(
        files.Door, "read_file", lambda door, path: read.append(path) or read_file(door, path)
    )
    edited = sorted(site.content.glob("explainer-*.md"))[3]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nAn added sentence.\n", encoding="utf-8")
    again = site.build(*workers(2), *publishing)
    assert again.code == 0, again.stderr
    assert note in again.stderr
    assert again.stderr.splitlines()[-1].endswith("(drafts, not published: 0 errors, 1 warning)")
    documents = [str(path) for path in site.content.glob("*.md")]
    assert len(documents) == 18
    # The edited file twice: the read-ahead's, then its reading (its outcome read behind the run).
    assert sorted(path for path in read if path.endswith(".md")) == sorted([*documents, str(edited)])


def pages_read_by(monkeypatch, log: Path) -> None:
    """Each file's reading, with the process that read it, a line in `log`."""
    read = ExplainerBuilder.read

    def recording(builder, path, *args, **kwargs):
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {Path(path).name}\n")
        return read(builder, path, *args, **kwargs)

    monkeypatch.setattr(ExplainerBuilder, "read", recording)


@pytest.mark.usefixtures("whole_builds")
def test_a_rebuilds_few_changed_files_are_read_behind_the_run(tmp_path, monkeypatch):
    """A rebuild's changed file is read in a process forked from the run, which meanwhile
    takes the files the cache holds: the reader and Markdown are loaded there, not on the
    run's way. The page is the one the run would make."""
    site = corpus(tmp_path)
    assert site.build(*workers(2)).code == 0
    log = tmp_path / "read-by"
    pages_read_by(monkeypatch, log)
    edited = rebuilt_after_one_edit(site)
    (pid, name), *others = [line.split() for line in log.read_text().splitlines()]
    assert (name, others) == (edited.name, [])
    assert int(pid) != os.getpid()


def rebuilt_after_one_edit(site: Site) -> Path:
    """One explainer with a sentence added, built again: the file (its page shows the sentence)."""
    edited = sorted(site.content.glob("explainer-*.md"))[3]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nAn added sentence.\n", encoding="utf-8")
    again = site.build(*workers(2))
    assert again.code == 0, again.stderr
    assert [page.name for page in site.output.glob("*.html") if "An added sentence." in page.read_text()]
    return edited


@pytest.mark.usefixtures("whole_builds")
def test_a_file_the_process_behind_did_not_read_is_read_by_the_run(tmp_path, monkeypatch):
    site = corpus(tmp_path)
    assert site.build(*workers(2)).code == 0
    run_by = os.getpid()
    store = pool._Worker.store

    def failing(worker, *job):  # the process reading behind ends before storing anything
        if os.getpid() != run_by:
            raise MemoryError
        return store(worker, *job)

    monkeypatch.setattr(pool._Worker, "store", failing)
    log = tmp_path / "read-by"
    pages_read_by(monkeypatch, log)
    rebuilt_after_one_edit(site)
    readers = [int(line.split()[0]) for line in log.read_text().splitlines()]
    assert readers == [run_by]  # the run read it itself


def test_search_records_made_by_jobs_index_as_those_made_by_the_indexing(tmp_path, forks, monkeypatch):
    """Forty explainers: a part needing more records anew than `search.MADE_BY_JOBS` has them
    made by jobs, on both cores, a file a job (here one a job); the index is the bytes the indexing makes
    making each itself, and the next build keeps the records for an edit to use."""
    generate(40, tmp_path / "generated", "short")
    shutil.copytree(tmp_path / "generated" / "explainers", tmp_path / "content")
    site = Site(tmp_path)
    monkeypatch.setattr(search, "RECORDS_A_JOB", 1)  # jobs enough to fork for (`jobs.MIN_JOBS`)
    assert site.build(*workers(2), "-o", str(tmp_path / "jobs")).code == 0
    assert len(forks) == 2  # the records, then the pages
    monkeypatch.setattr(search, "MADE_BY_JOBS", 10_000)
    shutil.rmtree(tmp_path / "cache")
    assert site.build(*workers(2), "-o", str(tmp_path / "itself")).code == 0
    assert len(forks) == 3
    by_jobs, by_itself = tree(tmp_path / "jobs"), tree(tmp_path / "itself")
    assert [name for name in by_jobs if name.startswith("pagefind/")]
    assert by_jobs == by_itself
    (records,) = (tmp_path / "cache").rglob("search/records")
    assert sorted(p.name for p in records.iterdir()) == ["1-0.json", "1-0.stamps.json"]
    kept = json.loads((records / "1-0.json").read_text())
    assert len(kept) == 40
    # An edit: its record alone is made anew, the others' are the part's kept ones. (Made in the
    # indexing's own process: each record made is said in a file.)
    made = tmp_path / "made"
    record = search.SearchIndex.record

    def said(article) -> str:
        with open(made, "a", encoding="utf-8") as handle:
            handle.write(f"{article.source_path}\n")
        return record(article)

    monkeypatch.setattr(search.SearchIndex, "record", staticmethod(said))
    edited = sorted(site.content.glob("*.md"))[5]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA word nobody used: quokka.\n")
    assert site.build(*workers(2), "-o", str(tmp_path / "itself")).code == 0
    assert made.read_text(encoding="utf-8").splitlines() == [str(edited)]
    assert "quokka" in json.dumps(json.loads((records / "1-0.json").read_text()))


def test_a_worker_s_task_holds_a_few_files_and_a_long_one_alone():
    # The run's jobs, the longest first.
    long = enumerate([300_000, 200_000, 100_000])
    jobs = [pool.Job(f"{n}.md", b"x" * size, False, str(n)) for n, size in long]
    jobs += [pool.Job(f"s{n}.md", b"x" * 1_000, False, f"s{n}") for n in range(20)]
    tasks = list(pool.tasks_of(jobs, 16))
    assert [[job.key for job in task] for task in tasks] == [
        ["0"],  # longer than a task's bytes: alone
        ["1"],
        ["2", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s12", "s13", "s14"],
        ["s15", "s16", "s17", "s18", "s19"],
    ]
    assert [job for task in tasks for job in task] == jobs  # every job, once, in order
