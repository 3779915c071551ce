"""The plugin's own templates (`explainers/templates/`), for a theme that knows nothing of
explainers.

They are found after the theme's (a fallback): any theme may override each one. A theme
without its own `explainer.html` gets the plugin's, which is the theme's own article page;
the lead image, the claims, the body, the corrections log and the source notes are then
what `article.content` holds, rendered here with autoescape on, whatever the theme's
settings say. That markup is its own, not this project's theme's macros: those are made
for the theme's stylesheet and catalogs; the two show the same facts (tests/test_package.py).
A theme with autoescape off (as Pelican's own are) gets titles and author, category and tag
names as HTML; a theme without an explainer page that escapes (one of Pelican's, under a
site's `autoescape: True`) gets each content's `content` and `summary` as Markup, the HTML
it prints there.
"""

from __future__ import annotations

import functools
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, TemplateNotFound
from jinja2.filters import do_striptags
from markupsafe import Markup

from ..document import dates
from ..document.inline import InlineRenderer
from ..render import language, view
from .site import TEMPLATES

FOLDER = TEMPLATES


def theme_has(loader, name: str) -> bool:
    try:
        loader.get_source(Environment(), name)
    except TemplateNotFound:
        return False
    return True


def add_fallback(generator) -> None:
    """`generator_init`: the plugin's templates after the theme's; and whether the theme
    has its own explainer page (kept on the generator that writes it). And a `striptags`
    that keeps the text it gives escaped (a site's own JINJA_FILTERS win)."""
    generator.explainers_theme_page = theme_has(generator.env.loader, "explainer.html")
    generator.env.loader = ChoiceLoader([generator.env.loader, FileSystemLoader(str(FOLDER))])
    if "striptags" not in (generator.settings.get("JINJA_FILTERS") or {}):
        generator.env.filters["striptags"] = text_of


def text_of(value: Any) -> Markup:
    """Jinja's `striptags` with its text escaped: the text of a piece of HTML, as HTML. Jinja's
    own unescapes it, so that a writer's `&lt;script&gt;` or `&quot;` came out as `<script>` or
    `"` where a theme prints it with `|safe` (Pelican's notmyidea does, inside an attribute) or
    without autoescape. Under autoescape the page is the same, byte for byte."""
    return Markup.escape(do_striptags(value))


def content_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(FOLDER)), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    env.filters["iso_date"] = dates.iso
    env.filters["display_date"] = dates.display
    env.filters["text_fragment"] = view.text_fragment
    env.filters["smart_quotes"] = InlineRenderer().smart
    env.filters["language_name"] = language_name
    return env


def language_name(tag: str) -> str:
    """A source's language in English words ("Japanese", not "ja"), as the fallback is in
    English; the tag as written when CLDR does not know it."""
    named = language.locale_of(tag)
    return (named.get_display_name(language.SOURCE_LANGUAGE) if named else None) or tag


# Where Pelican's generators keep what they write: articles, pages, and their variants.
_CONTENT_LISTS = (
    "articles",
    "translations",
    "drafts",
    "drafts_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
    "hidden_translations",
    "draft_translations",
)


def escapes(env: Environment) -> bool:
    """Whether the theme's templates escape what they print (Pelican leaves it off)."""
    auto = env.autoescape
    return bool(auto("article.html") if callable(auto) else auto)


def escape_names(content) -> None:
    """A content's title, and its author, category and tag names, as HTML; their addresses
    stay those made from the text (a slug, once set, no longer follows the name)."""
    if not isinstance(content.title, Markup):
        content.title = Markup.escape(content.title)
    category = getattr(content, "category", None)
    wrappers = [
        *getattr(content, "authors", []),
        *getattr(content, "tags", []),
        *([category] if category else []),
    ]
    for wrapper in wrappers:
        if not isinstance(wrapper.name, Markup):
            wrapper.slug = wrapper.slug
            wrapper.name = Markup.escape(wrapper.name)
            # A theme may also escape a name itself (notmyidea: `{{ tag | escape }}`): the
            # wrapper then says it is HTML already, and is not escaped twice.
            wrapper.__class__ = _as_html(type(wrapper))


def content_as_html(content) -> None:
    """A content's `content` and `summary` as the HTML they are, for a theme that escapes what
    it prints but was written for Pelican's HTML there (`{{ article.content }}`, as Pelican's
    own themes are): else every page and list shows its markup as text. What they hold has
    passed the reader's allow-list (`document/sanitize.py`), or is Pelican's own HTML."""
    if not isinstance(type(content).__dict__.get("content"), _HTMLProperty):
        content.__class__ = _with_html(type(content))


class _HTMLProperty(property):
    """A Pelican property whose text is given as Markup."""


@functools.cache
def _with_html(kind: type) -> type:
    def html(name: str) -> _HTMLProperty:
        pelican = getattr(kind, name)
        return _HTMLProperty(lambda self: Markup(pelican.fget(self)), pelican.fset)

    return type(kind.__name__, (kind,), {"content": html("content"), "summary": html("summary")})


@functools.cache
def _as_html(kind: type) -> type:
    """Pelican's Author, Category or Tag, printed by `|escape` as the HTML its name holds."""
    return type(kind.__name__, (kind,), {"__html__": lambda self: Markup(self.name)})


def adapt_to_theme(generators) -> None:
    """For a theme without an explainer page, each explainer's `article.content` holds its
    claims, body and notes; for a theme that does not escape what it prints, titles and
    names are passed as HTML, as Pelican's themes take them (`A &lt;b&gt;`, not `A <b>`). Called
    once everything is read (addresses made from titles are set by then) and the search
    records, made of the body alone, are written; nothing is rendered yet."""
    template = None
    for generator in generators:
        theme_page = getattr(generator, "explainers_theme_page", True)
        escaped = not hasattr(generator, "env") or escapes(generator.env)
        if theme_page and escaped:
            continue  # a theme made for explainers, as this project's: nothing to adapt
        for name in _CONTENT_LISTS:
            for content in getattr(generator, name, []):
                if not escaped:
                    escape_names(content)
                elif not theme_page:
                    content_as_html(content)
                if theme_page or getattr(content, "explainer", None) is None:
                    continue
                template = template or content_environment().get_template("explainers/content.html")
                # The body is the spine's sanitised HTML; everything else is escaped here.
                content._content = template.render(article=content, body=Markup(content._content))
