"""A source's quote, as a reader compares it with a page: the same words, whatever the
quotation marks, dashes, spacing and case, and elisions ("…") skipped.

Used by `make linkcheck` (is the quote still on the page?) and by the page's text-fragment
link to the quote (which runs it highlights).
"""

from __future__ import annotations

import re
import unicodedata

# Typographic quotes, dashes and spaces, as the plain characters a writer may have typed.
_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00ad": None,  # a soft hyphen is invisible
    }
)
# An elision in a quote: "…", "...", "[…]" or "[...]".
_ELISION = re.compile(r"\s*\[?(?:\u2026|\.\.\.)\]?\s*")


def normalise(text: str) -> str:
    """Text as a reader compares it: one kind of quote, dash and space; any case."""
    text = unicodedata.normalize("NFKC", text).translate(_PLAIN)
    return re.sub(r"\s+", " ", text).strip().casefold()


def quote_parts(quote: str) -> list[str]:
    """The runs of a quote between its elisions ("a … b" -> ["a", "b"])."""
    return [part for part in _ELISION.split(quote) if part.strip()]
