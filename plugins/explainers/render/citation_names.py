"""The accessible name of each citation in a body: "Source 3", not "link, 3".

A citation's text is its source's number alone, which a screen reader announces as a bare
number; the cards' source links already say "Source 3". The body is converted once for
every language, so the name is given here, when the page is rendered in its language:
the theme passes its translated words, with `{number}` where the number goes.

Only the plugin's own note references carry `role="doc-noteref"` (the sanitizer refuses
the role from a writer's HTML), so this touches nothing a writer typed.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_NOTEREF = re.compile(r'<a (?P<attributes>[^>]*\brole="doc-noteref"[^>]*)>(?P<number>[^<]*)</a>')


def name_citations(body: str, words: str = "Source {number}") -> Markup:
    """The body's HTML with each note reference named by `words`."""

    def named(match: re.Match[str]) -> str:
        attributes, number = match.group("attributes"), match.group("number")
        if "aria-label=" in attributes:
            return match.group(0)
        label = escape(words.replace("{number}", number))
        return f'<a {attributes} aria-label="{label}">{number}</a>'

    return Markup(_NOTEREF.sub(named, str(body)))
