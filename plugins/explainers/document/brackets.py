"""Where each `[` closes, found in time linear in the text, for Python-Markdown's link patterns.

Python-Markdown finds the `]` closing a link's text by reading on from the `[`, one character
at a time (`LinkInlineProcessor.getText`). A `[` that never closes is read to the end of its
paragraph, and so is every `[` after it, by each of the six patterns that look for links and
references: a paragraph of n unclosed `[` costs n² steps in Python (Python-Markdown issue
#798, open). 200 KB of them took more than 1,000 seconds.

Here one reading of a text finds where every `[` in it closes, and each answer is kept. An
answer depends only on the text from its `[` to the end, so it is kept by its distance from
the end: when Python-Markdown puts a placeholder where a link was and reads on, what follows
is unchanged and so are its answers.
"""

from __future__ import annotations

import heapq
import re

from markdown import Markdown
from markdown.inlinepatterns import LinkInlineProcessor

_BRACKET = re.compile(r"[\[\]]")
_NEVER = 0  # the answer for a `[` that never closes (no `]` is 0 characters from the end)

# Python-Markdown's patterns that read a link's text with getText, by their registered names.
LINK_PATTERNS = ("reference", "link", "image_link", "image_reference", "short_reference", "short_image_ref")


class _Answers:
    """For one text: where each `[` read so far closes, both counted from the end of the text."""

    def __init__(self, text: str):
        self.text = text
        self.closes: dict[int, int] = {}  # a `[` -> its `]`, or _NEVER
        self.heap: list[int] = []  # the keys of `closes`, negated, to drop the farthest first

    def record(self, bracket: int, close: int) -> None:
        self.closes[bracket] = close
        heapq.heappush(self.heap, -bracket)

    def keep_last(self, length: int) -> None:
        """Forget every answer that depends on more than the last `length` characters."""
        while self.heap and -self.heap[0] > length:
            self.closes.pop(-heapq.heappop(self.heap), None)


class BracketIndex:
    """The closing `]` of any `[`, for the few texts Python-Markdown is reading at once."""

    KEEP = 8  # a paragraph, and the link texts it is reading inside links (nested a few deep)

    def __init__(self) -> None:
        self.recent: list[_Answers] = []  # most recently used first

    def reset(self) -> None:
        self.recent.clear()

    def close(self, text: str, index: int) -> int | None:
        """The position of the `]` closing the `[` just before `index`, or None if none does."""
        length = len(text)
        bracket = length - index + 1
        answers = self._answers_for(text, bracket)
        if bracket not in answers.closes:
            self._read(answers, index - 1)
        close = answers.closes[bracket]
        return None if close == _NEVER else length - close

    def _answers_for(self, text: str, bracket: int) -> _Answers:
        answers = next((answers for answers in self.recent if answers.text is text), None)
        if answers is None:
            # A text not seen: most often the one just read with a placeholder put in where a
            # link was, read on after it. What follows is the same, and so are its answers.
            alike = (answers for answers in self.recent if _ends_alike(answers.text, text, bracket))
            answers = next(alike, None)
            if answers is None:
                answers = _Answers(text)
            else:
                answers.keep_last(bracket)
                answers.text = text
        if answers in self.recent:
            self.recent.remove(answers)
        self.recent.insert(0, answers)
        del self.recent[self.KEEP :]
        return answers

    def _read(self, answers: _Answers, opened: int) -> None:
        """Read on from the `[` at `opened` until it closes, answering for each `[` met on the way."""
        text, length, closes = answers.text, len(answers.text), answers.closes
        stack = [opened]  # the `[` still open, innermost last
        position = opened + 1
        while stack:
            found = _BRACKET.search(text, position)
            if found is None:
                for bracket in stack:
                    answers.record(length - bracket, _NEVER)
                return
            at = found.start()
            if text[at] == "]":
                answers.record(length - stack.pop(), length - at)
                position = at + 1
                continue
            known = closes.get(length - at)
            if known is None:
                stack.append(at)
                position = at + 1
            elif known == _NEVER:
                # Nothing opened before a `[` that never closes can close after it.
                for bracket in stack:
                    answers.record(length - bracket, _NEVER)
                return
            else:
                position = length - known + 1  # on past its `]`, read before


def _ends_alike(old: str, new: str, length: int) -> bool:
    return len(old) >= length and new.endswith(old[len(old) - length :])


def install(md: Markdown, index: BracketIndex) -> None:
    """Make each of Python-Markdown's link patterns in `md` find its `]` through `index`,
    and read a link's `(address "title")` within a bounded window."""
    for name in LINK_PATTERNS:
        if name not in md.inlinePatterns:
            continue
        pattern = md.inlinePatterns[name]
        if isinstance(pattern, LinkInlineProcessor):
            pattern.getText = _get_text(index)
            pattern.getLink = _bounded(pattern.getLink)


# A link's `(address "title")` longer than this is not a link: Python-Markdown reads on from
# each `(` for its balancing `)` (with quotes), so `[a](` written n times cost n² steps.
MAX_DESTINATION = 2048


def _bounded(get_link):
    def get_link_within(data: str, index: int):
        """LinkInlineProcessor.getLink on at most MAX_DESTINATION characters after the `(`:
        the same answer for any real link, a bounded cost for any text."""
        window = data[: index + MAX_DESTINATION]
        rest = window[index:]
        if ")" not in rest and '"' not in rest and "'" not in rest:
            # Nothing could close it: not a link (getLink's answer). With a quote after it,
            # getLink may still take it for one (`[r]("(` is an empty link to Python-Markdown):
            # it is asked, within the window.
            return "", None, index, False
        return get_link(window, index)

    return get_link_within


def bound(md: Markdown) -> None:
    """The same bounds for a Markdown instance without citations (plain articles, the
    front matter's inline text)."""
    install(md, BracketIndex())


def _get_text(index: BracketIndex):
    def get_text(data: str, start: int) -> tuple[str, int, bool]:
        """LinkInlineProcessor.getText, the same answers: (text, index after the `]`, closed)."""
        close = index.close(data, start)
        if close is None:
            return data[start:], len(data), False
        return data[start:close], close + 1, True

    return get_text
