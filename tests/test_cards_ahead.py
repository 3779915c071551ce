"""The cards' head start (plugin/cards.py): once a build has read its files, a process
forked from the run draws their cards while Pelican makes the site; the card jobs move
those into place and draw the rest. The site is the one a build without it writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from explainers import processes
from explainers.plugin import cards
from explainers.render import card
from test_workers import BROKEN, corpus, tree, workers


@pytest.fixture
def drawn_by(monkeypatch, tmp_path) -> Path:
    """A file naming, a line per card drawn, the process that drew it (as `ps` names it)."""
    log = tmp_path / "drawn-by"
    draw = card.draw

    def recording(*shown):
        with open("/proc/self/comm", encoding="utf-8") as comm, log.open("a", encoding="utf-8") as out:
            out.write(comm.read().strip() + "\n")
        return draw(*shown)

    monkeypatch.setattr(card, "draw", recording)
    return log


def without_head_start(monkeypatch, site, output: Path):
    with monkeypatch.context() as patch:
        patch.setattr(cards, "MIN_CARDS", 10**9)
        built = site.build(*workers(2), "-o", str(output))
    assert built.code == 0, built.stderr
    return tree(output)


def test_cards_drawn_ahead_are_the_cards_the_jobs_would_draw(tmp_path, monkeypatch, drawn_by):
    site = corpus(tmp_path)
    stop = cards.HeadStart.stop

    def finished_first(self):  # the head start draws every card before the run takes them
        if self.drawn is None:
            self.drawer.wait()
        return stop(self)

    monkeypatch.setattr(cards.HeadStart, "stop", finished_first)
    built = site.build(*workers(2))
    assert built.code == 0, built.stderr
    # 16 explainers, each with a card: every one drawn ahead, none by a job.
    assert drawn_by.read_text().splitlines() == ["explainers-card"] * 16
    shutil.rmtree(tmp_path / "cache")
    assert tree(site.output) == without_head_start(monkeypatch, site, tmp_path / "plain")


def test_a_head_start_stopped_midway_leaves_the_rest_to_the_jobs(tmp_path, monkeypatch, drawn_by):
    site = corpus(tmp_path)
    draw, stop = cards._draw, cards.HeadStart.stop
    made: list = []

    def three_then_half_of_one(what, folder):
        if len(made) == 3:  # stopped while writing the fourth: a part no job may take
            Path(folder, f"{cards.key(what)}.png.part").write_bytes(b"\x89PNG half")
            raise KeyboardInterrupt
        made.append(what)
        draw(what, folder)

    def finished_first(self):
        if self.drawn is None:
            self.drawer.wait()
        return stop(self)

    monkeypatch.setattr(cards, "_draw", three_then_half_of_one)
    monkeypatch.setattr(cards.HeadStart, "stop", finished_first)
    built = site.build(*workers(2))
    assert built.code == 0, built.stderr
    lines = drawn_by.read_text().splitlines()
    assert lines.count("explainers-card") == 3
    assert len(lines) == 16  # the other 13 drawn by the jobs
    assert not list(site.output.rglob("*.part"))
    assert not list((tmp_path / "cache").rglob("cards-ahead-*"))  # what was not taken is removed
    shutil.rmtree(tmp_path / "cache")
    assert tree(site.output) == without_head_start(monkeypatch, site, tmp_path / "plain")


def test_a_rebuild_of_a_few_files_draws_no_card_ahead(tmp_path, monkeypatch):
    site = corpus(tmp_path)
    assert site.build(*workers(2)).code == 0
    started: list = []
    start = cards.HeadStart.start.__func__

    def recording(cls, run):  # what the run got (here None: no head start), kept
        started.append(start(cls, run))
        return started[-1]

    monkeypatch.setattr(cards.HeadStart, "start", classmethod(recording))
    first = sorted((tmp_path / "content").glob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    assert site.build(*workers(2)).code == 0
    assert started == [None]


def test_stopping_gives_only_whole_cards(tmp_path):
    folder = tmp_path / "ahead"
    folder.mkdir()
    (folder / "card-a.png").write_bytes(b"whole")
    (folder / "card-b.png.part").write_bytes(b"half")
    head = cards.HeadStart(processes.forked("explainers-test", lambda: None), str(folder))
    assert head.stop() == {"card-a": str(folder / "card-a.png")}
    head.remove()
    assert not folder.exists()


def test_a_failed_build_stops_the_head_start_and_removes_its_cards(tmp_path):
    site = corpus(tmp_path, ("broken.md", BROKEN))  # an error: the build stops before writing
    failed = site.build(*workers(2))
    assert failed.code == 1
    assert not list((tmp_path / "cache").rglob("cards-ahead-*"))
