"""One Pelican run's state, kept on the objects Pelican hands the handlers.

`get_generators`, the first signal of every `Pelican.run()`, makes it and puts it on the
Pelican instance and in its settings (not `initialized`, sent once per instance, while
`pelican -r` runs one instance again and again): readers,
generators, the writer and content objects all see that settings dict (Pelican passes
the one dict by reference), so every handler finds this run's state there and nothing
survives into the next run, in the same process or not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..render import language
from ..run import Run
from .cards import HeadStart
from .carry import Carry
from .jobs import Jobs
from .search import SearchIndex
from .site import RUN_KEY

KEY = RUN_KEY


@dataclass
class PelicanRun:
    run: Run
    search: SearchIndex | None = None
    reported: bool = False  # the content's problems have been reported (once per run)
    to_index: list = field(default_factory=list)  # published explainers, for search
    language: dict | None = None  # the theme's gettext pair and filters, with their catalogs
    head_start: HeadStart | None = None  # the cards drawn while Pelican makes the site (`cards.py`)
    # (kind, name) -> the one tag, category or author object of that name (`reader._shared`)
    names: dict = field(default_factory=dict)
    # (field, text) -> the date Pelican parsed it into, once a run (`reader.PARSED_ONCE`)
    dates: dict = field(default_factory=dict)
    # The explainer pages the run writes (`generator.written_explainers`), and each one's
    # source path -> the feeds showing it: for the record of the build (`record.py`)
    written: list = field(default_factory=list)
    feeds_showing: dict = field(default_factory=dict)
    # Whether the run draws the explainers' cards (a one-file run for a rebuild takes the
    # previous output's: `alone.py`)
    draws_cards: bool = True
    _jobs: Jobs | None = None
    _carry: Carry | None = None

    @property
    def jobs(self) -> Jobs:
        """The pages and cards this run writes, on every core (`jobs.py`)."""
        if self._jobs is None:
            self._jobs = Jobs(self.run.settings.workers)
        return self._jobs

    @property
    def carry(self) -> Carry:
        """The previous output's files this run may link rather than write (`carry.py`)."""
        if self._carry is None:
            settings = self.run.pelican_settings
            # A published site's pages are rewritten after they are written (`tools/publish.py`).
            manifests = None if settings.get("EXPLAINERS_PUBLISHING") else self.run.cache.subfolder("outputs")
            self._carry = Carry(settings["OUTPUT_PATH"], manifests)
        return self._carry

    def theme_language(self, theme: str) -> dict:
        if self.language is None:
            self.language = language.callables(language.Catalogs(Path(theme, "translations")))
        return self.language

    def index(self) -> SearchIndex:
        if self.search is None:
            self.search = SearchIndex(
                self.run.cache.subfolder("search"),
                self.run.settings.search_part_size,
                copied=bool(self.run.pelican_settings.get("EXPLAINERS_PUBLISHING")),
            )
        return self.search


def start(pelican) -> PelicanRun:
    state = PelicanRun(Run(pelican.settings), draws_cards=getattr(pelican, "explainers_cards", True))
    pelican.settings[KEY] = state
    pelican.explainers_run = state
    return state


def of(settings: dict[str, Any]) -> PelicanRun:
    """The run under way. Pelican runs without `initialized` (a bare Readers) get one too."""
    state = settings.get(KEY)
    if state is None:
        state = settings[KEY] = PelicanRun(Run(settings))
    return state
