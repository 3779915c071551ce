"""A Pelican writer that renders only what changed since the previous output, and leaves
the rendering to the run's jobs, which use every core (`jobs.py`).

Each page gets a key naming what it shows: an explainer page, its own file, its
translations, how many others cite its sources, the theme's templates, the settings and
the site's navigation; a list, the articles it lists; site pages written by this plugin
pass their own `render_key`, a digest of the data they show. A page whose key is the one
the previous output's file was written under is linked from there (`carry.py`), not
rendered: the previous output is the store of rendered pages, so a build writes each
page once (a copy kept in the cache as well was a thousand more files to make, and each
page read back to store it).
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from ..render.addresses import address_of
from ..settings import what_shows
from . import state, templates
from .jobs import Jobs

THEME = Path(__file__).resolve().parents[3] / "theme"
# Pieces of a streamed page joined per write: few writes, and a few hundred KB at a time.
STREAM_PIECES = 10_000
# Pelican's own lists, in this project's theme: each shows its articles (`entries` in
# macros/lists.html), the page's names and the navigation; the pages of every tag,
# category and author also their lists from the context.
LISTS = {"index", "archives", "period_archives", "tag", "category", "author", "tags", "categories", "authors"}
EVERY = {"tags", "categories", "authors"}
# Settings that change per run without changing any page. Not JINJA_GLOBALS: a site's
# templates show its values (its plain ones are in the digest; a function, by its kind).
_VOLATILE = {state.KEY, "OUTPUT_PATH", "PATH", "JINJA_FILTERS", "PLUGINS", "PLUGIN_PATHS"}


def own_theme(settings: dict[str, Any]) -> bool:
    """Whether the site uses this project's theme, whose pages show what the keys say."""
    return Path(settings.get("THEME", str(THEME))).resolve() == THEME


def stable(value: Any) -> Any:
    """A value's plain-data part: what `repr` shows the same in every process."""
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    if isinstance(value, (list, tuple)):
        return tuple(stable(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((str(key), stable(item)) for key, item in value.items()))
    return type(value).__name__


def site_digest(settings: dict[str, Any], theme_path: str) -> str:
    digest = hashlib.sha256()
    # Every file of the folders Pelican takes templates from (THEME_TEMPLATES_OVERRIDES
    # first, then the theme's, then the plugin's: the fallback a theme may lack; a template
    # may include any file, not only `.html`) and of the theme's strings, each by its place,
    # name and length as well as its bytes: text moved from one file to another, or a
    # catalog moved to another language, is another site.
    overrides = [Path(folder) for folder in settings.get("THEME_TEMPLATES_OVERRIDES") or []]
    folders = (*overrides, Path(theme_path, "templates"), templates.FOLDER, Path(theme_path, "translations"))
    for number, folder in enumerate(folders):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                data = path.read_bytes()
                name = path.relative_to(folder).as_posix()
                digest.update(f"{number}\0{name}\0{len(data)}\0".encode())
                digest.update(data)
    shown = {k: v for k, v in settings.items() if k not in _VOLATILE}
    # How a run goes (its workers, …) changes no page.
    shown["EXPLAINERS"] = what_shows(settings.get("EXPLAINERS"))
    digest.update(repr(stable(shown)).encode())
    return digest.hexdigest()


def _in_feed(article) -> tuple | None:
    """An article as a feed shows it: its content, with the plugin's notes, is its file's; so
    by its file's key. None for one without."""
    view = getattr(article, "explainer", None)
    if view is None or not view.cache_key:
        return None
    return (view.cache_key, address_of(article), _versions(article))


def _in_list(article) -> tuple | None:
    """An explainer as this theme's lists show it (`entries` in macros/lists.html): its
    title, summary, date and counts, so that an edit to its body alone renders no list
    again. None for one without a key."""
    view = getattr(article, "explainer", None)
    if view is None or not view.cache_key:
        return None
    entry = (str(article.title), view.summary, article.date.isoformat(), view.claim_count, view.note_count)
    return (entry, address_of(article), _versions(article))


def _versions(article) -> list[tuple[str, str]]:
    """Its translations (hreflang links), which other files make."""
    return [(item.lang, address_of(item)) for item in getattr(article, "translations", [])]


@dataclass
class Page:
    """A page asked for: Pelican's `write_file` arguments, the files it makes (several for
    a list's pages), its cache key (for one file)."""

    name: str
    template: Any
    context: dict[str, Any]
    relative_urls: bool
    paginated: Any
    kwargs: dict[str, Any]
    paths: list[str]
    key: str | None = None
    streamed: bool = False  # written as the template renders it (`write_streamed`)


class CachingWriter(Writer):
    """Pelican's writer, which reuses unchanged pages and leaves the rendering to the run's
    jobs (`jobs.py`): on every core, once every generator has asked for its pages."""

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None):
        super().__init__(output_path, settings=settings)
        run = state.of(settings) if settings else None
        self.jobs = run.jobs if run else Jobs(1)
        self.feeds_showing = run.feeds_showing if run else {}
        # Pages are keyed and carried over only where the run keeps a cache (the manifests).
        self.carry = run.carry if run and run.run.cache.enabled else None
        self.outcomes = run.run.outcomes if run else {}
        self._addresses: str | None = None
        theme = (settings or {}).get("THEME", str(THEME))
        self._site = site_digest(settings or {}, theme)
        self._own_theme = own_theme(settings or {})
        self._navigation: str | None = None
        self._listed: dict[int, tuple[Any, str | None]] = {}  # id(article) → (article, its entry)

    def write_file(self, name, template, context, relative_urls=False, paginated=None, **kwargs):
        """Pelican's write_file, with `render_key` naming what the page shows (if cacheable), and
        `streamed` for a page written as it is rendered (`write_streamed`)."""
        render_key = kwargs.pop("render_key", None)
        streamed = kwargs.pop("streamed", False)
        if not name:
            return None
        if signals.content_written.receivers:
            # A site whose plugins watch every write, in this process: written now, by Pelican.
            return super().write_file(name, template, context, relative_urls, paginated, **kwargs)
        override = kwargs.get("override_output", False)
        target = sanitised_join(self.output_path, name)  # the file named (a list's first page)
        paths = [path for path in self._files(name, target, paginated, kwargs) if self._claim(path, override)]
        if not paths:
            return None
        page = Page(name, template, context, relative_urls, paginated, kwargs, paths)
        if len(paths) == 1 and paths[0] == target:
            page.key = self._page_key(page, render_key)  # one page, not a list's pages
            page.streamed = streamed
        if self.carry is not None:
            for path in paths:
                self.carry.record(path, page.key)
        self.jobs.add(paths[0], functools.partial(self._write, page))
        return None

    def write_feed(  # noqa: PLR0917 (Pelican's signature)
        self, elements, context, path=None, url=None, feed_type="atom", override_output=False, feed_title=None
    ):
        """Pelican's write_feed, reusing the feed while the entries it shows are unchanged (then
        it returns no feed object, which Pelican's generators do not use)."""
        if path:
            for article in elements[: self.settings["FEED_MAX_ITEMS"]]:
                self.feeds_showing.setdefault(article.source_path, set()).add(path)
        names = (path, url, feed_type, feed_title, context.get("SITEURL"), context.get("FEED_DOMAIN"))
        key = self._feed_key(elements, names, context) if path else None
        if key is None:
            if path and self.carry is not None:
                self.carry.record(sanitised_join(self.output_path, path), None)
            return super().write_feed(elements, context, path, url, feed_type, override_output, feed_title)
        target = sanitised_join(self.output_path, path)
        self.carry.record(target, key)
        if not self._claim(target, override_output):
            return None  # an earlier write overrides this one
        if self.carry.link(target, key):
            return None
        self._written_files.discard(target)  # Pelican's own write claims it again
        self._overridden_files.discard(target)
        return super().write_feed(elements, context, path, url, feed_type, override_output, feed_title)

    def _feed_key(self, elements, names: tuple, context: dict[str, Any]) -> str | None:
        """A feed's key: its entries (each by its file's key, address and translations: its
        content, with the plugin's notes, is its file's), names and the site's. None when a
        plugin other than this one watches feeds, an entry has no key, or there is none."""
        if self.carry is None or signals.feed_written.receivers:
            return None
        if len(signals.feed_generated.receivers) > 1:  # this plugin's notes, and another's
            return None
        entries = elements[: self.settings["FEED_MAX_ITEMS"]]
        shown = self._articles_shown(entries, context)
        if not entries or shown is None:  # a feed with no entry is dated with the time it is made
            return None
        parts = (self._site, repr(names), repr(shown))
        return "feed-" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]

    def _files(self, name: str, target: str, paginated, kwargs) -> list[str]:
        """The files Pelican's `write_file` writes for these arguments: the one named (`target`:
        `name` in the output), or a list's pages, which Pelican names as it paginates (its own
        test and `Paginator`)."""
        if paginated is None:
            paginated = {key: value for key, value in kwargs.items() if key in {"articles", "dates"}}
        template_name = kwargs.get("template_name")
        if not paginated or template_name not in self.settings["PAGINATED_TEMPLATES"]:
            return [target]
        per_page = self.settings["PAGINATED_TEMPLATES"][template_name] or self.settings["DEFAULT_PAGINATION"]
        pages = Paginator(name, kwargs.get("url"), next(iter(paginated.values())), self.settings, per_page)
        numbers = range(1, pages.num_pages + 1)
        return [sanitised_join(self.output_path, pages.page(number).save_as) for number in numbers]

    def _page_key(self, page: Page, render_key: str | None) -> str | None:
        """The page's key in the cache, when it can be reused while what it shows is unchanged."""
        article = page.kwargs.get("article")
        view = getattr(article, "explainer", None)
        if render_key is None and view is not None and view.cache_key:
            # The page shows its file and, of the rest of the site, who else cites its sources
            # and its translations (hreflang links), which other files make.
            render_key = f"{view.cache_key}|{getattr(article, 'cited_elsewhere', None)}|{_versions(article)}"
            render_key += self.links_out([article], page.context)
        if render_key is None and view is None and self._own_theme:
            render_key = self._list_key(page)
        if not render_key or self.carry is None:
            return None
        navigation = self.navigation(page.context)
        parts = (self._site, navigation, page.template.name, page.name, page.relative_urls, render_key)
        return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]

    def _list_key(self, page: Page) -> str | None:
        """What one of Pelican's lists shows, as this theme shows it: each article it lists
        as its entry shows it (`_in_list`), with its address and translations; None when
        one has no key (a plain article), or for any other page."""
        template = page.kwargs.get("template_name")
        if template not in LISTS:
            return None
        shown: list = []
        for name, value in sorted(page.kwargs.items()):
            if name == "all_articles":  # Pelican's whole site, which the theme does not show
                continue
            if name in {"articles", "dates"}:
                listed = self._entries(value)
                if listed is None:
                    return None
                shown.append((name, listed))
            elif isinstance(value, URLWrapper):
                shown.append((name, value.name, value.url))
            else:
                shown.append((name, value))
        if template in EVERY:
            for wrapper, articles in page.context.get(template, []):
                listed = self._entries(articles)
                if listed is None:
                    return None
                shown.append((wrapper.name, wrapper.url, listed))
        return hashlib.sha256(repr(shown).encode()).hexdigest()

    def _articles_shown(self, articles: list, context: dict[str, Any]) -> tuple | None:
        """Articles as a feed shows them (`_in_feed`), and the addresses their text may link
        to; None when one has no key."""
        listed = [_in_feed(article) for article in articles]
        return None if None in listed else (listed, self.links_out(articles, context))

    def _entries(self, articles: list) -> str | None:
        """Articles as a list shows them (`_in_list`: a summary holds no link to the site's
        files), in a digest; each entry worked out once a run (the lists of every explainer
        are a dozen); None when one has no key."""
        shown = []
        for article in articles:
            if id(article) not in self._listed:
                entry = _in_list(article)
                # The article kept, its id too.
                self._listed[id(article)] = (article, None if entry is None else repr(entry))
            shown.append(self._listed[id(article)][1])
        if None in shown:
            return None
        return hashlib.sha256("\n".join(shown).encode()).hexdigest()

    def _write(self, page: Page) -> None:
        """The job: the page as the previous output has it, or rendered by Pelican."""
        # `write_file` has claimed the files; Pelican's own write claims them again.
        for path in page.paths:
            self._written_files.discard(path)
            self._overridden_files.discard(path)
        if page.key is not None and self.carry.link(page.paths[0], page.key):
            return  # the previous output's copy, unchanged
        if page.streamed:
            self.write_streamed(page.name, page.template, page.context, page.relative_urls, **page.kwargs)
        else:
            super().write_file(
                page.name, page.template, page.context, page.relative_urls, page.paginated, **page.kwargs
            )

    def write_streamed(self, name, template, context, relative_urls=False, override_output=False, **kwargs):
        """Pelican's write_file for one page, written as the template renders it: a page of
        tens of thousands of entries (the claims index) is never held whole, nor its million
        pieces, as Pelican's `template.render` holds them. Pelican's local context, output
        checks and `content_written` signal, as its write_file gives them."""
        localcontext = context.copy()
        localcontext["localsiteurl"] = localcontext.get("localsiteurl", None)
        if relative_urls:
            relative_url = path_to_url(get_relative_path(name))
            localcontext["SITEURL"] = relative_url
            localcontext["localsiteurl"] = relative_url
        localcontext["output_file"] = name
        localcontext.update(kwargs)
        if localcontext["localsiteurl"]:
            context["localsiteurl"] = localcontext["localsiteurl"]
        path = sanitised_join(self.output_path, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with self._open_w(path, "utf-8", override=override_output) as handle:
            pieces: list[str] = []
            for piece in template.generate(localcontext):
                pieces.append(piece)
                if len(pieces) >= STREAM_PIECES:
                    handle.write("".join(pieces))
                    pieces.clear()
            handle.write("".join(pieces))
        signals.content_written.send(path, context=localcontext)

    def _claim(self, path: str, override: bool) -> bool:
        """Pelican's rule for a file written twice, applied when the page is asked for (its
        job may run in another process): an error, unless one write overrides the other;
        False when an earlier write overrode this one, which then writes nothing."""
        if path in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{path}" a second time (was previously overwritten)'
                )
            return False
        if path in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{path}" as Pelican has already written to it previously '
                "(set `override=True` if intended)"
            )
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)
        return True

    def links_out(self, articles: list, context: dict[str, Any]) -> str:
        """For articles whose body links to other files of the site (`{filename}`, `{static}`,
        …: Pelican writes in their addresses), the addresses of every file: a page shows
        its targets' addresses, which their own files decide."""
        outcomes = [self.outcomes.get(article.source_path) for article in articles]
        if all(outcome is not None and not outcome.targets for outcome in outcomes):
            return ""
        if self._addresses is None:
            addresses = [
                (kind, path, getattr(content, "url", None))
                for kind in ("generated_content", "static_content")
                for path, content in sorted(context.get(kind, {}).items())
            ]
            self._addresses = hashlib.sha256(repr(addresses).encode()).hexdigest()
        return f"|{self._addresses}"

    def navigation(self, context: dict[str, Any]) -> str:
        """The pages every page links to in its header."""
        if self._navigation is None:
            pages = [(str(page.title), page.url) for page in context.get("pages", [])]
            self._navigation = hashlib.sha256(repr(pages).encode()).hexdigest()
        return self._navigation
