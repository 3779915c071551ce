"""The theme in each page's language: its strings, its dates, the names of languages.

Pelican renders every page through one Jinja environment, so the language cannot be
installed once: the `gettext`/`ngettext` pair given to Jinja's i18n extension reads the
language of the page being rendered from the template context (`article.lang`,
`page.lang`, else DEFAULT_LANG) and looks the string up in that language's catalog.

Catalogs are the theme's `translations/LANG/LC_MESSAGES/messages.po` files, the only
copy in the repository: each is compiled in memory when a run first needs it (a handful
of strings, well under a millisecond), so no compiled `.mo` file can fall out of step with
its source and nothing is written outside the output folder. On a page in a language with
no catalog the theme speaks English, its dates and language names too (its words and its
dates read as one sentence: "Published 14 January 2025").
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import pass_context
from markupsafe import Markup, escape

from ..document.dates import PartialDate

SOURCE_LANGUAGE = "en"  # the language the templates are written in


def N_(message: str) -> str:  # noqa: N802 (gettext's name for it)
    """Marks a string for the catalogs (Babel's extractor finds it) without translating it."""
    return message


def NC_(context: str, message: str) -> str:  # noqa: N802 (as N_, with a context)
    """Marks a string with its context (`msgctxt`) for the catalogs, without translating it."""
    return message


# Dates as CLDR patterns (Babel's `format_date`), translated like any string: French keeps
# "d MMMM y" (14 janvier 2025), German would give "d. MMMM y". "LLLL" is the month's name
# standing alone (some languages inflect it after a day).
DAY_PATTERN = N_("d MMMM y")
MONTH_PATTERN = N_("LLLL y")
# The first day of a month has a pattern of its own where a language says it differently:
# French writes "1er octobre 2026" (CLDR has no such pattern). A catalog without it uses
# the day's pattern.
FIRST_DAY = "the first day of a month"
FIRST_DAY_PATTERN = NC_("the first day of a month", "d MMMM y")  # the extractor reads literals

# A date in a sentence is one translatable string with the date inside, one for a day and
# one for a month or a year alone: French says "Publié le 14 janvier 2025" but "Publié en
# janvier 2025" and "Publié en 2025", which no "Published" + date can give.
DATE_PHRASES = {
    "published": (N_("Published %(date)s"), N_("Published in %(date)s")),
    "updated": (N_("Updated %(date)s"), N_("Updated in %(date)s")),
    "accessed": (N_("Accessed %(date)s"), N_("Accessed in %(date)s")),
}


# A correction's kind as a reader reads it, in the page's language (the front matter's
# word, `document.model.CORRECTION_KINDS`, is the key and the page's class name).
CORRECTION_KIND_NAMES = {
    "correction": N_("Correction"),
    "clarification": N_("Clarification"),
    "update": N_("Update"),
}


def locale_of(tag: str) -> Locale | None:
    """Babel's locale for a language tag (en, pt-BR, zh-Hant-TW); None if CLDR has none."""
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return None


@dataclass
class Catalogs:
    """The theme's catalogs, one per language, each read the first time a page needs it."""

    folder: Path  # THEME/translations
    _loaded: dict[str, tuple[str, NullTranslations]] = field(default_factory=dict)

    def get(self, lang: str) -> tuple[str, NullTranslations]:
        """The language the theme speaks on a page in `lang`, and its catalog: `lang`'s own
        (pt-BR's is pt_BR), else its language's (pt), else the theme's English."""
        if lang not in self._loaded:
            self._loaded[lang] = self._read(lang)
        return self._loaded[lang]

    def _read(self, lang: str) -> tuple[str, NullTranslations]:
        locale = locale_of(lang)  # FR and fr alike: CLDR's spelling names the folder
        for name in dict.fromkeys([str(locale), locale.language] if locale else []):
            path = self.folder / name / "LC_MESSAGES" / "messages.po"
            if path.is_file():
                with path.open("rb") as handle:
                    catalog = read_po(handle, locale=name)
                compiled = io.BytesIO()
                write_mo(compiled, catalog)
                compiled.seek(0)
                return name, Translations(compiled)
        return SOURCE_LANGUAGE, NullTranslations()


def format_day(value: Any, lang: str, translations: NullTranslations) -> str:
    locale = locale_of(lang) or Locale(SOURCE_LANGUAGE)
    if isinstance(value, PartialDate):
        if not value.month:
            return str(value.year)
        month = datetime.date(value.year, value.month, 1)
        return format_date(month, translations.gettext(MONTH_PATTERN), locale=locale)
    pattern = translations.gettext(DAY_PATTERN)
    if getattr(value, "day", None) == 1:
        first = translations.pgettext(FIRST_DAY, FIRST_DAY_PATTERN)
        pattern = first if first != FIRST_DAY_PATTERN else pattern
    return format_date(value, pattern, locale=locale)


def is_original(content: Any) -> bool:
    """Pelican's own rule: a page is a translation when its `translation` is anything but false."""
    return str(content.metadata.get("translation", "false")).lower() == "false"


def with_translations(contents: Iterable) -> list:
    """Each page followed by its translations: Pelican lists only the originals (`articles`,
    `drafts`, …), a translation hangs on its original's `translations`."""
    return [version for content in contents for version in (content, *getattr(content, "translations", []))]


def versions(content: Any) -> list:
    """A page and its translations, the original first, then by language: what `hreflang`
    links and "Read in …" list. Empty for a page with no translation."""
    translations = getattr(content, "translations", None)
    if not translations:
        return []
    return sorted([content, *translations], key=lambda item: (not is_original(item), item.lang))


def _same_language(one: str, other: str) -> bool:
    """en and en-GB are one language to a reader; pt-BR and pt-PT too (a region is not marked)."""
    return one.split("-", maxsplit=1)[0].lower() == other.split("-", maxsplit=1)[0].lower()


def language_of(context: Any) -> str:
    """The language of the page being rendered."""
    for name in ("article", "page"):
        lang = getattr(_value(context, name), "lang", None)
        if isinstance(lang, str) and lang:
            return lang
    return _value(context, "DEFAULT_LANG") or "en"


def _value(context: Any, name: str) -> Any:
    """`context.get(name)`, as Jinja resolves it (the template's own variables, then what it
    was rendered with), without its machinery: asked hundreds of times a page."""
    own = getattr(context, "vars", None)
    if own is None:  # a plain mapping
        return context.get(name)
    return own[name] if name in own else context.parent.get(name)


def _as_shown(value: Any) -> tuple[Any, ...]:
    """What tells two dates apart as a page shows them, for the memos below: the type too (a
    date, a datetime and a partial date are shown differently), and the offset (two moments
    in two offsets are equal values, and can fall on two days)."""
    offset = value.utcoffset() if isinstance(value, datetime.datetime) else None
    return (type(value), value, offset)


def callables(catalogs: Catalogs) -> dict[str, Any]:
    """The Jinja i18n extension's gettext pair, newstyle, and the filters that speak the
    page's language."""

    # A page asks for the same few dozen strings hundreds of times: each is looked up once
    # a run per language (and made Markup once, for an autoescaping template).
    translated: dict[tuple[str, str, bool], str] = {}

    def lookup(context, message: str) -> str:
        key = (language_of(context), message, context.eval_ctx.autoescape)
        found = translated.get(key)
        if found is None:
            text = catalogs.get(key[0])[1].gettext(message)
            found = translated[key] = Markup(text) if key[2] else text
        return found

    # What Jinja's i18n extension makes of a gettext pair with `newstyle=True` (the string
    # is Markup in an autoescaping template, and always formatted with its variables),
    # in one call where the extension makes three: templates call it thousands of times a page.
    @pass_context
    def gettext(context, message: str, **variables: Any) -> str:
        return lookup(context, message) % variables

    @pass_context
    def ngettext(context, singular: str, plural: str, number: int, **variables: Any) -> str:
        variables.setdefault("num", number)
        text = catalogs.get(language_of(context))[1].ngettext(singular, plural, number)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    # Lists show thousands of dates, few of them different: each is formatted once a run.
    shown_dates: dict[tuple[Any, ...], str] = {}

    @pass_context
    def display_date(context, value: Any) -> str:
        """14 January 2025, 14 janvier 2025; a month or a year alone for a partial date."""
        if value is None:
            return ""
        lang, translations = catalogs.get(language_of(context))
        key = (lang, *_as_shown(value))
        if key not in shown_dates:
            shown_dates[key] = format_day(value, lang, translations)
        return shown_dates[key]

    @pass_context
    def language_name(context, tag: str) -> str:
        """A language as the page's readers say it ("Japanese", "japonais"); the tag if unknown."""
        named = locale_of(tag)
        reader = locale_of(catalogs.get(language_of(context))[0]) or Locale(SOURCE_LANGUAGE)
        name = named.get_display_name(reader) if named else None
        return name or tag

    # Each source's note shows its dates in phrases, and sources share dates: each phrase is
    # made once a run (making it, through Markup's formatter, was a fifth of a page's time).
    phrases: dict[tuple[Any, ...], Markup] = {}

    @pass_context
    def date_phrase(context, value: Any, kind: str) -> Markup:
        """ "Published 14 January 2025", "Publié en janvier 2025": the phrase `kind` with the
        date as a <time>, in the page's language."""
        key = (language_of(context), context.eval_ctx.autoescape, kind, *_as_shown(value))
        found = phrases.get(key)
        if found is None:
            day, other = DATE_PHRASES[kind]
            message = other if isinstance(value, PartialDate) else day
            time = Markup('<time datetime="{}">{}</time>').format(
                value.isoformat(), display_date(context, value)
            )
            found = phrases[key] = Markup(escape(lookup(context, message))) % {"date": time}
        return found

    @pass_context
    def correction_kind(context, kind: str) -> str:
        """ "Update", "Mise à jour": a correction's kind in the page's language."""
        return lookup(context, CORRECTION_KIND_NAMES[kind])

    @pass_context
    def marked_language(context, note: Any) -> str | None:
        """The language a note marks ("(in Russian)"): its source's, when it is not the
        page's. A source with no `language` is in the language of what declares it: the
        page's for its own sources, the site's (DEFAULT_LANG) for a site-wide one, which an
        English site's French translation cites in English."""
        source = note.source
        default = context.get("DEFAULT_LANG") or SOURCE_LANGUAGE
        tag = source.language or (default if getattr(note, "site_wide", False) else None)
        if not tag or _same_language(tag, language_of(context)):
            return None
        return tag

    return {
        "gettext": gettext,
        "ngettext": ngettext,
        "filters": {
            "display_date": display_date,
            "date_phrase": date_phrase,
            "language_name": language_name,
            "marked_language": marked_language,
            "correction_kind": correction_kind,
            "versions": versions,
        },
        "catalogs": catalogs,  # for what is written in a page's language outside a template (feeds)
    }
