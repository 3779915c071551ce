"""Which page fields reach Pelican: an allow-list, each field checked.

An explainer's front matter may hold the contract's fields and Pelican's `translation`;
a plain article's `Key: value` header may hold Pelican's ordinary fields. Fields that
decide where or how a file is written (`save_as`, `url`, `template`, …) are refused
unless the site allows them (EXPLAINERS["ALLOW_FIELDS"]), and then must be a relative
path inside the output folder. Anything else is an error at its line, with a hint, so a
typo (`sumary`) or a case variant (`Status:`) can never slip past the validated field.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from dateutil import parser as date_parser

from .problems import hint

# Decide where or how a page is written: off unless a site allows them.
WRITE_FIELDS = frozenset({"save_as", "url", "template", "lang_save_as", "lang_url"})
# Kept from Pelican for explainers, beyond the contract's own fields.
EXPLAINER_PELICAN_FIELDS = frozenset({"translation"})
# A plain Markdown article's or page's header (Pelican's `Key: value` lines).
PLAIN_FIELDS = frozenset(
    {"title", "date", "modified", "category", "tags", "author", "authors", "summary", "slug", "status"}
    | {"lang", "translation"}
)
STATUSES = ("published", "draft", "hidden")
# A page's file name: letters, digits, `-` and `_`; no dots, slashes or spaces.
SLUG_RE = re.compile(r"^[^\W_](?:[\w-]*[^\W_])?$")
# language[-Script][-Region] (en, pt-BR, zh-Hant-TW, es-419): the tags sites use; longer
# private-use tags make the search indexer fail.
LANG_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?$")
# A tag, category or author becomes a file name of its own.
MAX_NAME_BYTES = 100
# A path inside the output folder: relative segments of safe characters, no `..`.
OUTPUT_PATH_RE = re.compile(r"^(?:[\w][\w.-]*/)*[\w][\w.-]*\.html$")
TEMPLATE_RE = re.compile(r"^[a-z][a-z0-9_-]*$")


@dataclass(frozen=True)
class FieldProblem:
    """A problem with the field `name` (its line is the field's)."""

    name: str
    message: str
    code: str


def check_names(
    names: Iterable[str], known: frozenset[str], allowed_write: frozenset[str]
) -> list[FieldProblem]:
    """Every field name is a known one, in lower case; write fields only where allowed."""
    problems = []
    for name in names:
        if name in known or name in allowed_write:
            continue
        lowered = name.lower()
        if lowered in WRITE_FIELDS:
            problems.append(
                FieldProblem(
                    name,
                    f'the field "{name}" decides where or how the page is written; this site does not '
                    f'allow it (a site may, with EXPLAINERS["ALLOW_FIELDS"] in pelican.conf.py)',
                    "field-not-allowed",
                )
            )
        elif lowered in known and lowered != name:
            problems.append(
                FieldProblem(
                    name, f'field names are lower case: write "{lowered}", not "{name}"', "field-case"
                )
            )
        else:
            problems.append(
                FieldProblem(name, f'unknown field "{name}"{hint(name, sorted(known))}', "unknown-field")
            )
    return problems


def check_write_field(name: str, value: object, templates: Collection[str] = ()) -> FieldProblem | None:
    """An allowed write field's value: a path inside the output folder, or one of `templates`
    (the page's own, and the ones the site lists)."""
    text = value if isinstance(value, str) else None
    if name == "template":
        if text is None or not TEMPLATE_RE.match(text) or text not in templates:
            choices = ", ".join(f'"{template}"' for template in sorted(templates))
            return FieldProblem(
                name,
                f"template: expected {choices if len(templates) == 1 else 'one of ' + choices}, "
                f'the templates the site lets a page name (EXPLAINERS["TEMPLATES"]); got {value!r}',
                "bad-field",
            )
        return None
    if text is None or ".." in text.split("/") or not OUTPUT_PATH_RE.match(text):
        return FieldProblem(
            name,
            f'{name}: expected a relative path inside the site, such as "notes/page.html" '
            f"(letters, digits, '.', '-', '_' and '/', no '..'); got {value!r}",
            "bad-field",
        )
    return None


def check_slug(value: str) -> FieldProblem | None:
    if SLUG_RE.match(value):
        return None
    return FieldProblem(
        "slug",
        f'slug: expected letters, digits, "-" and "_" (no dots, slashes or spaces), such as '
        f'"council-budget-2025"; got {value!r}',
        "bad-slug",
    )


def check_lang(value: str) -> FieldProblem | None:
    if LANG_RE.match(value):
        return None
    return FieldProblem(
        "lang", f'lang: expected a language tag such as "en" or "pt-BR"; got {value!r}', "bad-lang"
    )


def check_status(value: str) -> FieldProblem | None:
    if value in STATUSES:
        return None
    return FieldProblem(
        "status",
        f"status: expected one of {', '.join(STATUSES)}; got {value!r}{hint(value, STATUSES)}",
        "bad-status",
    )


def check_translation(value: object) -> FieldProblem | None:
    """`translation` says true or false, nothing else. Pelican takes a page for a translation
    when its `translation` is anything but "false" (`on`, `1`, `fr` too), and the run holds a
    translation of a draft back by reading the word: a spelling one takes for true and the
    other not would publish a translation before its original."""
    if isinstance(value, bool) or (isinstance(value, str) and value.lower() in ("true", "false")):
        return None
    return FieldProblem(
        "translation",
        "translation: write true (this file translates the page with the same slug) or false; got "
        + ("nothing" if value is None else repr(value)),
        "bad-translation",
    )


def check_date(name: str, value: str) -> FieldProblem | None:
    """A plain article's date, read as Pelican reads it (dateutil), and usable as Pelican
    uses it (a time zone offset under a day)."""
    try:
        date_parser.parse(value).utcoffset()
    except (ValueError, OverflowError):
        return FieldProblem(name, f"{name}: expected a date such as 2025-01-14; got {value!r}", "bad-date")
    return None


def check_name(name: str, value: str) -> FieldProblem | None:
    """A category, tag or author: Pelican makes a page address of it, so it needs a letter
    or a digit (`!!!` makes none)."""
    if len(value.encode()) > MAX_NAME_BYTES:
        return FieldProblem(
            name, f"{name}: {len(value):,} characters, more than a page's address can hold", "bad-name"
        )
    if any(ch.isalnum() for ch in value):
        return None
    return FieldProblem(
        name, f"{name}: {value!r} has no letter or digit to make its page's address of", "bad-name"
    )


def check_not_empty(name: str, value: str) -> FieldProblem | None:
    if value.strip():
        return None
    return FieldProblem(
        name, f'the field "{name}" is empty: give it a value, or remove the line', "empty-field"
    )
