"""Content files are read and converted in worker processes (EXPLAINERS WORKERS); the site is
byte for byte the one a single process builds, and the problems are the same."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from generate import generate

from explainers import pool
from explainers.render.view import StoredView
from sitebuild import Site

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
def spy(monkeypatch) -> list:
    """What each run's read-ahead returned: the outcomes, or None when it read nothing ahead."""
    seen: list = []
    read_all = pool.read_all

    def recording(*args, **kwargs):
        seen.append(read_all(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(pool, "read_all", recording)
    return seen


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_workers_build_the_site_one_process_builds_byte_for_byte(tmp_path, spy):
    site = corpus(tmp_path)
    one = site.build(*workers(1), "-o", str(tmp_path / "one"))
    assert one.code == 0, one.stderr
    assert spy == [None]  # one worker: the run reads every file itself
    shutil.rmtree(tmp_path / "cache")
    two = site.build(*workers(2), "-o", str(tmp_path / "two"))
    assert two.code == 0, two.stderr
    assert len(spy[1]) == 17  # 16 explainers and the plain article, read by the workers
    assert two.problems == one.problems
    first, second = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert sorted(second) == sorted(first)
    assert [name for name in first if first[name] != second[name]] == []


def test_workers_store_their_outcomes_for_the_next_run(tmp_path, spy):
    site = corpus(tmp_path)
    assert site.build(*workers(2)).code == 0
    assert len(spy[0]) == 17
    # Every file is in the cache now: nothing is left to read ahead, the next run reuses it.
    again = site.build(*workers(2))
    assert again.code == 0, again.stderr
    assert spy[1] is None
    assert not list((tmp_path / "cache").rglob("*.tmp"))


def test_problems_found_in_workers_are_reported_as_one_process_reports_them(tmp_path, spy):
    site = corpus(tmp_path, ("broken.md", BROKEN))
    one = site.check(*workers(1))
    shutil.rmtree(tmp_path / "cache")
    two = site.check(*workers(2))
    assert spy[0] is None
    assert len(spy[1]) == 18
    assert one.code == two.code == 1
    assert any(line.startswith(str(Path("content", "broken.md")) + ":") for line in two.problems), two.stderr
    assert two.problems == one.problems
    built = site.build(*workers(2))
    assert built.code == 1
    assert built.problems == two.problems


def test_workers_send_back_only_what_the_cache_could_not_keep(tmp_path, spy):
    """With the cache, each outcome is read back from it when Pelican asks for its file (the
    run never holds them all at once); without, it comes back, its view stored."""
    site = corpus(tmp_path)
    assert site.build(*workers(2)).code == 0
    assert spy[0] == [None] * 17
    uncached = site.build("-e", "EXPLAINERS=" + json.dumps({"WORKERS": 2, "CACHE": False}), "-o", "again")
    assert uncached.code == 0, uncached.stderr
    assert len(spy[1]) == 17
    explainers = [result for result in spy[1] if result.view is not None]
    assert len(explainers) == 16
    assert all(isinstance(result.view, StoredView) for result in explainers)
    assert tree(tmp_path / "again") == tree(tmp_path / "output")
