"""The explainers' social cards in a build: what each shows, its key, and a head start.

A card (`render/card.py`) shows an explainer's title, the site's name and its status
counts, all known once the file is read. The pages cannot be rendered before Pelican has
made the whole site from the files read (a second or so of one process's work, while the
other core waits); the cards can. So once the read-ahead has read the files (`pool.py`),
a process forked from the run draws their cards into a folder of the cache, in the order
they were read, until the run is ready to write the site and stops it (`stop`). The card
jobs (`generator.py`) then move each card drawn ahead into place and draw only the rest.

A card drawn ahead is named by its key, the digest of what it shows, made as the card
job makes it: a job takes one only for the same title, site name and counts, so the site
is byte for byte the one a build without a head start writes (tests/test_workers.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .. import output
from ..processes import Child, forked
from ..render import card

if TYPE_CHECKING:
    from ..cache import OutcomeCache
    from ..settings import Status
    from .state import PelicanRun

# Below this many files read, the cards are drawn by the jobs alone: a rebuild's few.
MIN_CARDS = 16
PREFIX = "cards-ahead-"


def shown(
    card_title: str, claim_statuses: Sequence[str], site_name: str, statuses: Mapping[str, Status]
) -> tuple:
    """What a card shows: the explainer's title, the site's name, how many of its claims
    have each status, in the site's order of statuses."""
    counts = [(status.label, claim_statuses.count(key)) for key, status in statuses.items()]
    return (card_title, site_name, counts)


def key(what: tuple) -> str:
    """A card's key: what it shows and how it is drawn (`card.VERSION`)."""
    return "card-" + hashlib.sha256(repr((what, card.VERSION)).encode()).hexdigest()[:32]


class HeadStart:
    """A process drawing the cards of the files a build has just read, into `folder`."""

    def __init__(self, drawer: Child, folder: str):
        self.drawer = drawer
        self.folder = folder
        self.drawn: dict[str, str] | None = None

    @classmethod
    def start(cls, run: PelicanRun) -> HeadStart | None:
        """The head start for the files this run's read-ahead read, when it is worth a
        process (a full build; not a rebuild of a few files, nor a run of one worker)."""
        reader = run.run
        # The run's own folder (two builds may share a cache), named by its process.
        folder = reader.cache.subfolder(f"{PREFIX}{os.getpid()}")
        fresh = reader.fresh
        if folder is None or len(fresh) < MIN_CARDS or reader.settings.workers < 2 or not hasattr(os, "fork"):
            return None
        remove_stale(reader.cache)
        try:
            os.makedirs(folder)
        except OSError:  # the cache's folder is not one (a file in its place): no head start
            return None
        site_name, statuses = reader.pelican_settings["SITENAME"], reader.settings.statuses
        # The cards the previous output has: the card jobs link those (`carry.py`), whatever
        # else changed in their explainers (a rebuild with every body edited).
        carried = {entry[0] for entry in run.carry.old.values()}

        def draw_ahead() -> None:
            for cached in fresh:
                outcome = reader.cache.get(cached, "build")
                view = getattr(outcome, "view", None)
                if view is not None and view.image is None:  # a lead image is shared instead
                    what = shown(view.card_title, view.claim_statuses, site_name, statuses)
                    if key(what) not in carried:
                        _draw(what, folder)

        return cls(forked("explainers-card", draw_ahead), folder)  # 15 characters: what Linux keeps

    def stop(self) -> dict[str, str]:
        """Stop drawing: the cards drawn so far, by key, each a file of `folder`."""
        if self.drawn is None:
            self.drawer.kill()  # it writes nothing that must be finished (a card is written aside)
            try:
                names = os.listdir(self.folder)
            except FileNotFoundError:  # removed by a later run in this process (`_remove_stale`)
                names = []
            whole = [name for name in names if name.endswith(".png")]
            self.drawn = {name.removesuffix(".png"): os.path.join(self.folder, name) for name in whole}
        return self.drawn

    def remove(self) -> None:
        """Stop, and remove what was drawn and not taken."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def remove_stale(outcomes: OutcomeCache) -> None:
    """The folders of runs that ended without removing theirs (killed), or of an earlier run
    of this process (a dev server's): any whose process is gone, or is this one. (At the start
    of a head start, and at the end of every build: the next may draw none ahead.)"""
    cache = outcomes.subfolder("")
    if cache is None:
        return
    with contextlib.suppress(OSError):  # none yet; or a file where the folder was: no folder of a run
        for name in os.listdir(cache):
            pid = name.removeprefix(PREFIX)
            if name.startswith(PREFIX) and pid.isdigit() and not _running_elsewhere(int(pid)):
                shutil.rmtree(os.path.join(cache, name), ignore_errors=True)


def _running_elsewhere(pid: int) -> bool:
    # This process starts a new run: an earlier one's folder is stale.
    return pid != os.getpid() and output.alive(pid)


def _draw(what: tuple, folder: str) -> None:
    path = os.path.join(folder, f"{key(what)}.png")
    if os.path.exists(path):  # two explainers, one card
        return
    # Whole or not at all: a process stopped mid-card leaves a part, which no job takes.
    with open(f"{path}.part", "wb") as handle:
        handle.write(card.draw(*what))
    os.replace(f"{path}.part", path)


def take(drawn: str, path: str) -> bool:
    """Move a card drawn ahead to `path` (its folder made first); False when it is gone."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        os.replace(drawn, path)
    except FileNotFoundError:
        return False
    except OSError:  # another file system: copied
        shutil.copyfile(drawn, path)
    return True
