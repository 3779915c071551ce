"""Content problems: what was wrong, where, and how it is reported.

A check records a `Finding` where it finds it, addressed within the document; the
spine gives each its line once (`validate.locate`), making a `Problem`. Nothing prints
until `report()` runs once, at the end, so one run shows every problem and the
lines are never wrapped or decorated by a logging handler (editors and CI parse
them as ``PATH:LINE: severity: message``).

A line says what it seems to say, whatever a file is called: in PATH, `%`, `:` and every
character that could end the line or disguise it (controls, escape sequences, line
separators, bidirectional overrides) is written %XX, its bytes, as in a URL, so PATH ends
at the first colon; in the message, such characters are written as Python escapes (\\x1b).
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

ERROR = "error"
WARNING = "warning"
# Said beside another file's problem, to explain it: never counted, never fails a run.
NOTE = "note"

Path = tuple[Any, ...]  # a value's place in the front matter: ("claims", 2, "status")


@dataclass(frozen=True)
class Finding:
    """A problem as a check finds it: where it is in the document, not yet in the file.

    Addressed by the YAML path of the value it is about (`at`), or by an offset into the
    body; only the YAML parser, which reads lines itself, gives a line and column.
    """

    severity: str
    message: str
    code: str
    at: Path = ()
    offset: int | None = None  # into the body
    line: int | None = None  # as the YAML parser read it, in the file
    column: int | None = None
    # The field named before the message (`claim "x": status: …`), once the values are known.
    about: Path | None = None
    # A second value the message points at: its line replaces "{see}" in the message.
    see: Path | None = None


@dataclass(frozen=True)
class Spotted:
    """A problem in the body, found by a check that sees text, not positions: `needle` is
    the text that finds its line in the file (`locator.Locator`). A block's own problem
    also names the block and which of its like it is, so that the needle is looked for
    inside that block, never where the same text first stands."""

    needle: str
    message: str
    code: str
    block: str = ""
    nth: int = 0


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    severity: str
    message: str
    code: str = ""  # a stable name for the kind of problem, for editors and CI annotations
    column: int | None = None  # 1-based, where known
    # Problems are shown by rank, then by place: 0 for the sources library, whose errors
    # cause others (an explainer's "unknown source") and must be read first.
    rank: int = field(default=1, compare=False)

    def format(self) -> str:
        return f"{display_path(self.path)}:{self.line}: {self.severity}: {display_message(self.message)}"

    def as_dict(self) -> dict:
        return {
            "path": display_path(self.path),
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": display_message(self.message),
            "code": self.code,
        }


class ContentError(Exception):
    """Raised to stop a build once every problem has been reported."""

    exitcode = 1


@dataclass
class ProblemLog:
    """The problems of one run, in the order they were found."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, path: str, line: int, message: str, code: str) -> None:
        self.problems.append(Problem(path, line, ERROR, message, code))

    def warning(self, path: str, line: int, message: str, code: str) -> None:
        self.problems.append(Problem(path, line, WARNING, message, code))

    def note(self, path: str, line: int, message: str, code: str) -> None:
        self.problems.append(Problem(path, line, NOTE, message, code))

    def extend(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def fails(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def sorted(self) -> list[Problem]:
        # Duplicates can arise when a file is read by two generators; show each once. (A
        # problem from an older cache has no rank: it is an explainer's.)
        return sorted(set(self.problems), key=lambda p: (getattr(p, "rank", 1), p))

    def report(self, stream: TextIO | None = None, read: Callable[[str], bytes] | None = None) -> None:
        """Each problem on its line; under an error with a column, the file's line and a
        caret under the column, indented (`read`: how the run reads a content file)."""
        stream = stream or sys.stderr
        excerpts = _Excerpts(read)
        for problem in self.sorted():
            print(problem.format(), file=stream)
            if problem.severity == ERROR and problem.column is not None:
                excerpt = excerpts.of(problem)
                if excerpt:
                    print(excerpt, file=stream)
        stream.flush()

    def report_github(self, stream: TextIO | None = None) -> None:
        """The problems as GitHub Actions workflow commands, which annotate the files."""
        stream = stream or sys.stdout
        for problem in self.sorted():
            place = f"file={_github_property(display_path(problem.path))},line={problem.line}"
            if problem.column is not None:
                place += f",col={problem.column}"
            if problem.code:
                place += f",title={_github_property(problem.code)}"
            message = _github_data(display_message(problem.message))
            severity = "notice" if problem.severity == NOTE else problem.severity  # GitHub's word
            print(f"::{severity} {place}::{message}", file=stream)
        stream.flush()

    def strictness(self, strict: bool) -> str:
        """Why a run that fails on warnings alone fails, for its last line ('' otherwise)."""
        if strict and self.warnings and not self.errors:
            return " (strict mode: warnings fail too; STRICT=0 turns it off)"
        return ""

    def report_json(self, stream: TextIO | None = None) -> None:
        """The problems as one JSON array, for editors and CI annotations."""
        stream = stream or sys.stdout
        json.dump([problem.as_dict() for problem in self.sorted()], stream, indent=2, ensure_ascii=False)
        print(file=stream)

    def summary(self) -> str:
        unique = self.sorted()
        errors = sum(1 for p in unique if p.severity == ERROR)
        warnings = sum(1 for p in unique if p.severity == WARNING)
        return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def hint(name: str, known: Iterable[str]) -> str:
    """' (did you mean "x"?)' for a near miss, else the known names, for a problem message."""
    known = list(dict.fromkeys(known))
    same_but_case = [k for k in known if k.lower() == name.lower()]
    close = same_but_case or difflib.get_close_matches(name, known, n=1)
    if close:
        return f' (did you mean "{close[0]}"?)'
    if known:
        return " (known: " + ", ".join(known[:6]) + (", …" if len(known) > 6 else "") + ")"
    return " (none are declared)"


# Bidirectional controls reorder what a terminal shows ("Trojan Source"); no file needs them.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _unsafe(char: str) -> bool:
    """Could `char` end a problem's line, or change how a terminal shows it?"""
    return unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") or char in _BIDI_CONTROLS


def _percent(char: str) -> str:
    try:
        data = os.fsencode(char)  # a lone surrogate is a byte that was not UTF-8: that byte
    except UnicodeEncodeError:
        data = char.encode("utf-8", "surrogatepass")
    return "".join(f"%{byte:02X}" for byte in data)


def display_path(path: str) -> str:
    """The path relative to the working folder, as the contract asks and editors expect,
    with `%`, `:` and unsafe characters as %XX: the path ends at the line's first colon.

    >>> display_path("content/a:9: error: x\n.md")
    'content/a%3A9%3A error%3A x%0A.md'
    """
    return "".join(_percent(c) if c in "%:" or _unsafe(c) else c for c in os.path.relpath(path))


def display_message(message: str) -> str:
    """The message on one line: runs of whitespace (newlines too) as one space, and any other
    unsafe character as its Python escape, so that it cannot end the line or disguise it."""
    return escape_unsafe(" ".join(message.split()))


def escape_unsafe(text: str) -> str:
    r"""Each character that could end a line or disguise it as its Python escape: "a\nb" -> r"a\nb"."""
    return "".join(c.encode("unicode_escape").decode("ascii") if _unsafe(c) else c for c in text)


def _github_data(text: str) -> str:
    # GitHub's escaping of a workflow command's message (toolkit/core, escapeData).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    # And of a property's value (escapeProperty): its ':' and ',' too.
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


# What a tool reading problem lines takes for one: ":LINE:" anywhere in a line.
_LOOKS_LIKE_A_PROBLEM = re.compile(r":\s*\d+\s*:")


class _Excerpts:
    """The line of a file a problem is at, shown as rustc shows it, with a caret:

    content/x.md:14: error: this line is indented 3 spaces, …
       14 |    url: https://…
          |    ^
    """

    WIDTH = 100  # characters of a long line shown around the column

    def __init__(self, read: Callable[[str], bytes] | None):
        self.read = read
        self.files: dict[str, list[str] | None] = {}

    def of(self, problem: Problem) -> str:
        lines = self._lines(problem.path)
        if not lines or not 1 <= problem.line <= len(lines):
            return ""
        text = lines[problem.line - 1]
        column = min(max(problem.column or 1, 1), len(text) + 1)
        start = max(0, column - 1 - self.WIDTH // 2) if len(text) > self.WIDTH else 0
        shown = text[start : start + self.WIDTH]
        before = "".join(_shown(c) for c in shown[: column - 1 - start])
        caret = " " * sum(_width(c) for c in before) + "^"
        number = str(problem.line)
        gutter = " " * len(number)
        prefix = "…" if start else ""
        pad = " " * len(prefix)
        line = "".join(_shown(c) for c in shown)
        if _LOOKS_LIKE_A_PROBLEM.search(line):
            return ""  # the file's text could pass for a problem line: it is left out
        return f"  {number} | {prefix}{line}\n  {gutter} | {pad}{caret}"

    def _lines(self, path: str) -> list[str] | None:
        if path not in self.files:
            self.files[path] = None
            if self.read is not None:
                try:
                    text = self.read(path).decode("utf-8", "replace")
                except Exception:  # the excerpt is a courtesy: the problem stands without it
                    text = None
                if text is not None:
                    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
                    self.files[path] = text.split("\n")
        return self.files[path]


def _shown(char: str) -> str:
    # A tab as one space, so that the caret stays under its column; else as the line shows it.
    return " " if char == "\t" else escape_unsafe(char)


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
