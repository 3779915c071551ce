"""A Pelican writer that remembers rendered pages, so a rebuild renders only what changed.

An explainer page depends on its own file, the theme's templates, the settings and the
site's navigation (its pages). When none of these changed since the page was last
rendered, the stored HTML is written again instead of rendering the template. Site pages
written by this plugin pass their own `render_key`: a digest of the data they show.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from pelican.utils import sanitised_join
from pelican.writers import Writer

from ..cache import OutcomeCache
from . import state, templates

THEME = Path(__file__).resolve().parents[3] / "theme"
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
        """Pelican's write_file, with `render_key` naming what the page shows (if cacheable)."""
        render_key = kwargs.pop("render_key", None)
        view = getattr(kwargs.get("article"), "explainer", None)
        if render_key is None and view is not None and view.cache_key:
            # The page shows its file and, of the rest of the site, who else cites its sources
            # and its translations (hreflang links), which other files make.
            article = kwargs["article"]
            versions = [(item.lang, item.url) for item in getattr(article, "translations", [])]
            render_key = f"{view.cache_key}|{getattr(article, 'cited_elsewhere', None)}|{versions}"
        if not name or not render_key or paginated or self.cache is None or not self.cache.enabled:
            return super().write_file(name, template, context, relative_urls, paginated, **kwargs)
        parts = (self._site, self.navigation(context), template.name, name, relative_urls, render_key)
        key = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
        html = self.cache.get(key, "page")
        path = sanitised_join(self.output_path, name)
        if html is None:
            super().write_file(name, template, context, relative_urls, paginated, **kwargs)
            with open(path, encoding="utf-8") as handle:
                self.cache.put(key, {"page": handle.read()})
            return None
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with self._open_w(path, "utf-8", override=kwargs.get("override_output", False)) as handle:
            handle.write(html)
        return None

    def navigation(self, context: dict[str, Any]) -> str:
        """The pages every page links to in its header."""
        if self._navigation is None:
            pages = [(str(page.title), page.url) for page in context.get("pages", [])]
            self._navigation = hashlib.sha256(repr(pages).encode()).hexdigest()
        return self._navigation
