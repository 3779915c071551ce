"""A Pelican writer that remembers rendered pages, so a rebuild renders only what changed.

An explainer page depends on its own file, the theme's templates, the settings and the
site's navigation (its pages). When none of these changed since the page was last
rendered, the stored HTML is written again instead of rendering the template. Site pages
written by this plugin pass their own `render_key`: a digest of the data they show.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import Writer

from ..cache import OutcomeCache
from . import state, templates

THEME = Path(__file__).resolve().parents[3] / "theme"
# Pieces of a streamed page joined per write: few writes, and a few hundred KB at a time.
STREAM_PIECES = 10_000
# Settings that change per run without changing any page.
_VOLATILE = {state.KEY, "OUTPUT_PATH", "PATH", "JINJA_FILTERS", "JINJA_GLOBALS", "PLUGINS", "PLUGIN_PATHS"}


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
    # The theme's templates, then the plugin's (the fallback a theme may lack), and the
    # theme's strings.
    for folder in (Path(theme_path, "templates"), templates.FOLDER):
        for path in sorted(folder.rglob("*.html")):
            digest.update(path.read_bytes())
    for path in sorted(Path(theme_path, "translations").rglob("*.po")):
        digest.update(path.read_bytes())
    digest.update(repr(stable({k: v for k, v in settings.items() if k not in _VOLATILE})).encode())
    return digest.hexdigest()


class CachingWriter(Writer):
    def __init__(self, output_path: str, settings: dict[str, Any] | None = None):
        super().__init__(output_path, settings=settings)
        self.cache: OutcomeCache | None = state.of(settings).run.cache if settings else None
        self._site = site_digest(settings or {}, (settings or {}).get("THEME", str(THEME)))
        self._navigation: str | None = None

    def write_file(self, name, template, context, relative_urls=False, paginated=None, **kwargs):
        """Pelican's write_file, with `render_key` naming what the page shows (if cacheable), and
        `streamed` for a page written as it is rendered (`write_streamed`)."""
        render_key = kwargs.pop("render_key", None)
        if kwargs.pop("streamed", False) and name and not paginated:
            write = functools.partial(self.write_streamed, relative_urls=relative_urls)
        else:
            write = functools.partial(super().write_file, relative_urls=relative_urls, paginated=paginated)
        view = getattr(kwargs.get("article"), "explainer", None)
        if render_key is None and view is not None and view.cache_key:
            # The page shows its file and, of the rest of the site, who else cites its sources
            # and its translations (hreflang links), which other files make.
            article = kwargs["article"]
            versions = [(item.lang, item.url) for item in getattr(article, "translations", [])]
            render_key = f"{view.cache_key}|{getattr(article, 'cited_elsewhere', None)}|{versions}"
        if not name or not render_key or paginated or self.cache is None or not self.cache.enabled:
            return write(name, template, context, **kwargs)
        parts = (self._site, self.navigation(context), template.name, name, relative_urls, render_key)
        key = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
        html = self.cache.get(key, "page")
        path = sanitised_join(self.output_path, name)
        if html is None:
            write(name, template, context, **kwargs)
            # The page's bytes as written: never decoded and encoded again (the claims index
            # runs to tens of MB).
            with open(path, "rb") as handle:
                self.cache.put(key, {"page": handle.read()})
            return None
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with self._open_w(path, "utf-8", override=kwargs.get("override_output", False)) as handle:
            handle.buffer.write(html)  # the bytes the page was written as (nothing before them)
        return None

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

    def navigation(self, context: dict[str, Any]) -> str:
        """The pages every page links to in its header."""
        if self._navigation is None:
            pages = [(str(page.title), page.url) for page in context.get("pages", [])]
            self._navigation = hashlib.sha256(repr(pages).encode()).hexdigest()
        return self._navigation
