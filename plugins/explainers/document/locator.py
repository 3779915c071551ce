"""Where a problem in the body stands: Python-Markdown keeps no source positions, so a
problem is found by its text, the n-th time for its n-th problem."""

from __future__ import annotations

import bisect
import re
from html.entities import codepoint2name

from .frontmatter import Document

# Fenced code blocks and inline code spans (a run of backticks closed by the same run).
_CODE = re.compile(r"^(```|~~~)[^\n]*\n.*?^\1[ \t]*$|(`+)(?!`).+?(?<!`)\2(?!`)", re.MULTILINE | re.DOTALL)


# Each character's name as a reference (`&amp;`, `&lt;`), for the few a writer spells so.
_NAMED = {chr(code): name for code, name in codepoint2name.items()}


class Locator:
    """Finds the offset of a piece of body text, the n-th time for its n-th problem.

    Python-Markdown keeps no source positions, so a problem is found by its text; text in
    code is read as text and never raises a problem, so an occurrence in code is passed
    over when there is one outside it.
    """

    def __init__(self, body: str):
        self.body = body
        self.seen: dict[str, int] = {}
        self._code: list[tuple[int, int]] | None = None
        self._code_starts: list[int] = []
        self._found: dict[str, list[int]] = {}

    def __call__(self, needle: str) -> int:
        outside = self._places(needle)
        if outside:
            nth = self.seen.get(needle, 0)
            self.seen[needle] = nth + 1
            return outside[min(nth, len(outside) - 1)]
        # Written with character references (`&#46;&#46;/` for `../`), which the sanitizer's
        # output spells plainly.
        if (at := self._referenced(needle)) is not None:
            return at
        # Python-Markdown may have re-flowed the text (lists, indents): fall back to
        # the first word of the needle, then to the start of the body.
        words = needle.split()
        if words and words[0] != needle and words[0] in self.body:
            return self.body.find(words[0])
        return 0

    def in_block(self, block: str, nth: int, needle: str) -> int:
        """The needle inside the `nth` block (from 0) whose text is `block`, starting a line;
        where the block's text is not the source's (Markdown took a list's indent or a
        quote's `>`), the needle as `__call__` finds it."""
        places = [at for at in self._places(block) if at == 0 or self.body[at - 1] == "\n"]
        if not block or not places:
            return self(needle)
        at = places[min(nth, len(places) - 1)]
        inside = self.body.find(needle, at, at + len(block))
        return inside if inside >= 0 else at

    def _referenced(self, needle: str) -> int | None:
        """Where `needle` stands with any of its characters written as a reference (decimal,
        hexadecimal or named); None if nowhere. Only asked of a needle not found as it is."""
        if not needle or len(needle) > 200 or "&" not in self.body:
            return None
        parts = []
        for character in needle:
            spellings = [re.escape(character), f"&#0*{ord(character)};", f"(?i:&#x0*{ord(character):x};)"]
            if character in _NAMED:
                spellings.append(f"&{_NAMED[character]};")
            parts.append(f"(?:{'|'.join(spellings)})")
        found = re.search("".join(parts), self.body)
        return found.start() if found else None

    def _places(self, needle: str) -> list[int]:
        """Where `needle` stands, outside code if it stands anywhere outside it; found once
        per needle (a body may hold thousands of problems with the same text)."""
        if needle not in self._found:
            occurrences, start = [], 0
            while needle and (at := self.body.find(needle, start)) >= 0:
                occurrences.append(at)
                start = at + 1
            self._found[needle] = [at for at in occurrences if not self._in_code(at)] or occurrences
        return self._found[needle]

    def _in_code(self, offset: int) -> bool:
        if self._code is None:
            self._code = [match.span() for match in _CODE.finditer(self.body)]
            self._code_starts = [start for start, _ in self._code]
        at = bisect.bisect_right(self._code_starts, offset) - 1
        return at >= 0 and offset < self._code[at][1]

    def fragment(self, text: str) -> int:
        """Where a piece of raw HTML stands (the n-th of several alike), or -1 if its text is
        not in the body as written (Markdown made it, or changed its white space)."""
        start = 0
        for _ in range(self.seen.get(text, 0) + 1):
            found = self.body.find(text, start)
            if found < 0:
                return -1
            start = found + 1
        self.seen[text] = self.seen.get(text, 0) + 1
        return found

    def within(self, place: int, fragment: str, needle: str) -> int:
        """A needle inside the raw HTML at `place`, in any case (`<SCRIPT`), else the
        fragment's start; without a place, the needle anywhere."""
        if place < 0:
            first_line = fragment.strip().split("\n", 1)[0]
            return self(needle) if needle in self.body else self(first_line) if first_line else 0
        inside = self.body[place : place + len(fragment)].lower().find(needle.lower())
        return place + inside if inside >= 0 else place


def line_of(document: Document, offset: int) -> int:
    return document.body_line + document.body.count("\n", 0, offset)
