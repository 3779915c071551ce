"""One explainer built alone: Pelican over that one file, in a folder of its own.

Two callers. The dev server's preview (`tools/preview.py`) serves the page it writes at
once, before the full build brings the rest of the site up to date; a rebuild after an edit
that changed nothing any other page shows (`quick.py`) takes the page, its data files and
its feed entries from it, and the rest of the site from the previous output.

A one-file run writes none of the site's own pages (claims index, status pages, a page per
library source, the theme's lists): made from one file, they would be wrong, and on a site of
a thousand explainers they were a fifth of the preview's time. Its outcome cache is off (a
run that reads one file would prune every other file's entry), and so is its search index.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

from pelican import Pelican, signals

from ..render.addresses import SITE_FOLDERS, SITE_PAGES
from ..settings import from_pelican
from . import state
from .compiled import keep_compiled_templates

# What a one-file run must not write: every list of the site would list that file alone.
ALONE = {
    "PAGE_PATHS": [],
    "STATIC_PATHS": [],
    "THEME_STATIC_PATHS": [],
    "TAG_SAVE_AS": "",
    # Not empty: Pelican gives an article its default category only while category pages are
    # written, and writes a draft with its category (a draft's preview failed without one).
    # In `category/`, which the one-file writer leaves alone, whatever the site's own setting.
    "CATEGORY_SAVE_AS": "category/{slug}.html",
    "AUTHOR_SAVE_AS": "",
    "YEAR_ARCHIVE_SAVE_AS": "",
    "MONTH_ARCHIVE_SAVE_AS": "",
    "DAY_ARCHIVE_SAVE_AS": "",
    "DELETE_OUTPUT_DIRECTORY": False,
}
# The feeds, which a preview does not write (each would hold the one file) and a rebuild
# writes to take the file's own entry from (`quick.py`).
FEEDS = (
    "FEED_ALL_ATOM",
    "FEED_ALL_RSS",
    "FEED_ATOM",
    "FEED_RSS",
    "CATEGORY_FEED_ATOM",
    "CATEGORY_FEED_RSS",
    "AUTHOR_FEED_ATOM",
    "AUTHOR_FEED_RSS",
    "TAG_FEED_ATOM",
    "TAG_FEED_RSS",
    "TRANSLATION_FEED_ATOM",
    "TRANSLATION_FEED_RSS",
)


def site_file(name: str) -> bool:
    """One of the site's own pages, not the explainer's: what a one-file run leaves alone."""
    return name in SITE_PAGES or name.startswith(SITE_FOLDERS)


def theme_page_files(settings: dict[str, Any]) -> frozenset[str]:
    """Where Pelican writes the theme's list pages (DIRECT_TEMPLATES: archives, search, …)."""
    names = settings.get("DIRECT_TEMPLATES") or []
    return frozenset(settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html") for name in names)


def feed_addresses(settings: dict[str, Any]) -> dict[str, Any]:
    """The site's feeds' addresses, which its pages name, for a run that writes no feed."""
    return {
        f"{feed}_URL": settings.get(f"{feed}_URL") or settings.get(feed)
        for feed in ("FEED_ATOM", "FEED_ALL_ATOM", "FEED_RSS", "FEED_ALL_RSS")
    }


class OneFile(Pelican):
    """Pelican for one file: its writer (the plugin's, as a build's) skips the site's pages,
    the theme's list pages too, which the settings keep for the pages' links to them."""

    def _get_writer(self):
        writer = super()._get_writer()
        write_file = writer.write_file
        theme_pages = theme_page_files(self.settings)

        def own_pages_only(name, *args, **kwargs):
            if site_file(name) or name in theme_pages:
                return None
            return write_file(name, *args, **kwargs)

        writer.write_file = own_pages_only
        return writer


def build_alone(
    settings: dict[str, Any],
    content: str,
    article: str,
    output: str,
    *,
    pages: bool = False,
    feeds: bool = False,
    cards: bool = True,
    site_categories: bool = False,
    before_writing: Callable[[list], None] | None = None,
) -> state.PelicanRun:
    """Pelican over `article` alone (a path relative to `content`, the content folder), written
    to `output`, quietly (the full build reports every problem, once): the run's state. Raises
    what the run raised. `settings`: the site's, as the full build reads them; changed here.

    `pages`: the site's pages are read too, for the navigation every page shows; `feeds`: the
    site's feeds are written (with the one entry); `cards`: its social card is drawn;
    `site_categories`: the file's category as the site's build gives it (none by default,
    nor by folder, in a site that writes no category page: Pelican's rule, which the
    preview of a draft sets aside); `before_writing`: called with the generators once every
    file is read and nothing written (Pelican's `all_generators_finalized`), to give the
    explainer what only the whole site knows."""
    # The templates as the full builds compiled them, before the cache is turned off.
    keep_compiled_templates(settings, from_pelican(settings).cache)
    explainers = dict(settings.get("EXPLAINERS") or {})
    alone = {k: v for k, v in ALONE.items() if not (pages and k == "PAGE_PATHS")}
    if site_categories and not settings.get("CATEGORY_SAVE_AS"):
        del alone["CATEGORY_SAVE_AS"]  # no category page to write, as in the site's build
    settings.update(
        alone,
        PATH=content,
        OUTPUT_PATH=output,
        ARTICLE_PATHS=[article],
        # One process: the dev server serves pages from other threads, and a process with
        # threads is no process to fork (`plugin/jobs.py`).
        # Not strict: what the run finds missing in a site of one file (sources no explainer
        # cites, …) is no problem of the site's; the full build, or the rebuild's own reading
        # of the file, says what is.
        EXPLAINERS={**explainers, "CACHE": False, "SEARCH": False, "WORKERS": 1, "STRICT": False},
    )
    if not feeds:
        # Pages name the site's feeds, which are not written here.
        settings.update(feed_addresses(settings), **dict.fromkeys(FEEDS))
    pelican = OneFile(settings)
    pelican.explainers_cards = cards  # read by the run's state (`state.start`)
    logging.disable(logging.CRITICAL)
    if before_writing is not None:
        signals.all_generators_finalized.connect(before_writing)
    try:
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            pelican.run()
    finally:
        if before_writing is not None:
            signals.all_generators_finalized.disconnect(before_writing)
        logging.disable(logging.NOTSET)
    return state.of(pelican.settings)
