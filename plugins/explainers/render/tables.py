"""Tables in a body, each in a box that scrolls sideways on a narrow screen.

A table wider than a phone would otherwise push the page wide, or (with the body's
`overflow-wrap: anywhere`) break its words and numbers mid-word. The box scrolls instead;
it is a labelled region that takes focus, so a keyboard can scroll it too (WCAG 2.1.1).
Its label is the page's word for a table and the table's column headings, so two tables
on a page are told apart.

The body is sanitized before this runs: the only `<table>` tags in it are Markdown's or
allow-listed ones, and the label is escaped again here.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup, escape

_TABLE_OPEN = re.compile(r"<table\b[^>]*>", re.IGNORECASE)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)
_FIRST_ROW = re.compile(r"<tr\b.*?</tr\s*>", re.IGNORECASE | re.DOTALL)
_HEADING = re.compile(r"<th\b[^>]*>(.*?)</th\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def _label(word: str, with_headings: str, rest: str) -> str:
    """The word, then the first row's headings: "Table: Estimate, Reported, Killed"."""
    row = _FIRST_ROW.search(rest)
    headings = [
        _SPACE.sub(" ", html.unescape(_TAG.sub("", cell))).strip()
        for cell in (_HEADING.findall(row.group(0)) if row else [])
    ]
    headings = [heading for heading in headings if heading]
    return with_headings.replace("{headings}", ", ".join(headings)) if headings else word


def scroll_tables(body: str, word: str = "Table", with_headings: str = "Table: {headings}") -> Markup:
    """The body's HTML with each table inside its scrolling, focusable, labelled box (the
    label's words in the page's language: the theme passes them translated)."""
    body = str(body)
    if "<table" not in body.lower():
        return Markup(body)

    def opening(match: re.Match[str]) -> str:
        label = escape(_label(word, with_headings, body[match.end() :]))
        return f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">{match.group(0)}'

    body = _TABLE_OPEN.sub(opening, body)
    return Markup(_TABLE_CLOSE.sub(lambda match: match.group(0) + "</div>", body))
