"""A YAML syntax error in a writer's words, at the line the writer broke.

libyaml stops where the grammar finally fails, which is often not where the mistake is: a
field indented 3 spaces inside a list is reported at the list's first line, thirty lines
up, "while parsing a block collection: did not find expected '-' indicator". So, once
libyaml has refused the text, the lines are read again here as a writer lays them out
(each line's indentation against the fields beside it, tabs, a ': ' inside unquoted text,
a field with no ':'), and the first line that cannot be right, between where libyaml began
and where it gave up, is reported in plain words with its fix. What this reading cannot
place keeps libyaml's position, with its words made plain (`plain_reason`).

Nothing here decides whether the YAML is valid: libyaml did. This only explains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

# A field name and its ':' (plain, or quoted), and the rest of the line.
_KEY = re.compile(
    r"""^(?P<key>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\[\]{},&*!|>%@`-][^#]*?|-[^\s#][^#]*?)"""
    r"""[ \t]*:(?:[ \t]+|$)(?P<rest>.*)$"""
)
_NODE_PROPERTIES = re.compile(r"(?:[&!]\S*[ \t]*)+")  # an anchor or a tag before a block
_BLOCK_SCALAR = re.compile(r"^[|>][-+0-9]*[ \t]*(#.*)?$")


@dataclass(frozen=True)
class Explained:
    index: int  # 0-based line of the YAML text
    column: int  # 1-based
    message: str


@dataclass
class _Line:
    index: int
    indent: int  # spaces before the first other character
    text: str  # the line without its indentation
    tab: int  # 1-based column of a tab in the indentation, or 0


def explain(text: str, exc: yaml.MarkedYAMLError) -> Explained | None:
    """The line the writer most likely broke, between libyaml's context and problem marks,
    with a message and its fix; None when the lines read as a writer lays them out."""
    problem = exc.problem_mark or exc.context_mark
    if problem is None:
        return None
    first = exc.context_mark.line if exc.context_mark is not None else 0
    found = _Scanner(text.split("\n"), last=problem.line + 1).scan()
    if found is not None and first - 1 <= found.index <= problem.line + 1:
        return found
    return None


def plain_reason(exc: yaml.MarkedYAMLError) -> str:
    """libyaml's own words made plain, for what `explain` cannot place."""
    problem = exc.problem or ""
    context = exc.context or ""
    for needle, words in _PLAIN:
        if needle in problem or needle in context:
            return words
    return ": ".join(part for part in (context, problem) if part)


_PLAIN = (
    ("found a tab character", "a tab in the indentation: YAML takes spaces only"),
    ("could not find expected ':'", "a field name needs a ':' after it, as in `title: The headline`"),
    (
        "mapping values are not allowed",
        (
            "a ':' followed by a space inside unquoted text: put the text in quotes, "
            'as in `text: "Police overtime: cut by a third."`'
        ),
    ),
    ("did not find expected ',' or ']'", "a list opened with [ is never closed with ]"),
    ("did not find expected ',' or '}'", "a mapping opened with { is never closed with }"),
    ("while scanning a quoted scalar", "a quote opened here is never closed"),
    (
        "did not find expected '-' indicator",
        "a line in this list is not lined up with the items around it",
    ),
    ("did not find expected key", "a line here is not lined up with the fields around it"),
    (
        "found character that cannot start any token",
        "a value cannot begin with @, ` or %: put it in quotes",
    ),
    ("found undefined alias", "an alias (*name) with no anchor (&name)"),
)


def _spaces(count: int) -> str:
    return f"{count} space{'s' * (count != 1)}"


def _strip_comment(text: str) -> str:
    """The line without a trailing # comment (a '#' after white space, outside quotes)."""
    quote = ""
    for at, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'" and (at == 0 or text[at - 1] in " \t:[{,-"):
            quote = char
        elif char == "#" and (at == 0 or text[at - 1] in " \t"):
            return text[:at].rstrip()
    return text.rstrip()


class _Scanner:
    """Reads the lines as nested fields and list items, the way a writer lines them up."""

    def __init__(self, lines: list[str], last: int):
        self.lines = lines
        self.last = min(last, len(lines) - 1)
        self.levels: list[int] = []  # the indentation of each open mapping or list
        self.lists: set[int] = set()  # those of `levels` that are lists of `- ` items
        self.opened: int | None = None  # the indentation of a line that opened a block
        self.skip_deeper: int | None = None  # a block scalar's key: deeper lines are its text
        self.plain: int | None = None  # a plain value's key: deeper lines may continue it
        self.popped: list[int] = []  # the levels the previous line closed
        self.fresh: list[int] = []  # the levels the previous line opened: it is their first line
        self.previous: _Line | None = None

    def scan(self) -> Explained | None:
        for index in range(self.last + 1):
            raw = self.lines[index]
            body = raw.lstrip(" \t")
            if not body or body.startswith("#"):
                continue
            leading = raw[: len(raw) - len(body)]
            tab = leading.find("\t") + 1
            line = _Line(index, len(leading), _strip_comment(body), tab)
            if self.skip_deeper is not None:
                # A block scalar's text: anything deeper than its field, tabs after the spaces too.
                if (tab - 1 if tab else line.indent) > self.skip_deeper:
                    continue
                self.skip_deeper = None
            if tab:
                return self.tab(line)
            found = self.place(line)
            if found is not None:
                return found
            if _unclosed(line.text):
                return None  # flow collections and quoted text over lines: libyaml knows best
            self.previous = line
        return None

    def push(self, indent: int, listed: bool = False) -> None:
        self.levels.append(indent)
        self.fresh.append(indent)
        if listed:
            self.lists.add(indent)

    def tab(self, line: _Line) -> Explained:
        beside = self.levels[-1] if self.levels else 0
        if self.opened is not None:
            beside = self.opened + 2
        return Explained(
            line.index,
            line.tab,
            f"this line is indented with a tab: YAML takes spaces only (indent it with "
            f"{_spaces(beside)}, as the fields beside it are)",
        )

    def place(self, line: _Line) -> Explained | None:
        indent, text = line.indent, line.text
        popped, self.popped = self.popped, []
        fresh, self.fresh = self.fresh, []
        if self.opened is not None:
            opened, self.opened = self.opened, None
            if indent > opened or (indent == opened and text.startswith("-")):
                if indent > opened:
                    self.push(indent, listed=text.startswith("-"))
                return self.read(line)
        if self.plain is not None and indent > self.plain and not _is_field(text):
            return None  # the plain text of the field above, over more lines
        self.plain = None
        if not self.levels:
            self.push(indent, listed=text.startswith("-"))
        if indent in self.levels:
            while self.levels[-1] > indent:
                self.popped.append(self.levels.pop())
                self.lists.discard(self.popped[-1])
            if indent in self.lists and not text.startswith("-"):
                if self.popped:
                    return Explained(
                        line.index,
                        indent + 1,
                        f"this line is indented {_spaces(indent)}, the fields beside it "
                        f"{self.popped[-1]}: line it up with them",
                    )
                return Explained(line.index, indent + 1, "an item of this list must begin with '- '")
            if not _is_field(text) and not text.startswith("-"):
                return Explained(
                    line.index,
                    indent + 1,
                    "this line has no ':' after its field name: write a field as `name: value`",
                )
            return self.read(line)
        previous = self.previous
        misplaced = self.first_misplaced(line, fresh)
        if misplaced is not None:
            return misplaced
        if previous is not None and indent in popped and previous.indent < indent:
            return Explained(
                previous.index,
                previous.indent + 1,
                f"this line is indented {_spaces(previous.indent)}, the fields beside it "
                f"{indent}: line it up with them",
            )
        beside = min(self.levels, key=lambda level: (abs(level - indent), -level))
        return Explained(
            line.index,
            indent + 1,
            f"this line is indented {_spaces(indent)}, the fields beside it {beside}: line it up with them",
        )

    def first_misplaced(self, line: _Line, fresh: list[int]) -> Explained | None:
        """The first line of a block, when it is the one out of line: libyaml takes a block's
        first line as its indentation, so it (and the reading above) fault the second line,
        which is lined up with the rest. The first is faulted when the lines after it agree
        with each other, or when only the first is an odd number of spaces into its block."""
        previous = self.previous
        if previous is None or not fresh or self.levels[-1] != fresh[-1]:
            return None
        if len(self.levels) <= len(fresh):
            return None  # the document's first line: the top level starts at the margin
        parent = self.levels[-len(fresh) - 1]
        if line.indent <= parent:
            return None
        agreed = self.next_indent(line.index) == line.indent
        odd = (previous.indent - parent) % 2 == 1 and (line.indent - parent) % 2 == 0
        if not (agreed or odd):
            return None
        should = previous.indent + line.indent - fresh[-1]
        return Explained(
            previous.index,
            previous.indent + 1,
            f"this line is indented {_spaces(previous.indent)}, the fields below it {should}: "
            f"line it up with them",
        )

    def next_indent(self, index: int) -> int | None:
        for raw in self.lines[index + 1 :]:
            body = raw.lstrip(" ")
            if body and not body.startswith("#"):
                return len(raw) - len(body)
        return None

    def read(self, line: _Line) -> Explained | None:
        """What the line opens: a list item's fields, a block, a block scalar, plain text."""
        indent, text = line.indent, line.text
        if text.startswith("-") and (len(text) == 1 or text[1] in " \t"):
            rest = text[1:].lstrip(" \t")
            inner = indent + len(text) - len(rest)
            if not rest:
                self.opened = indent
                return None
            if _is_field(rest):
                self.push(inner)
                return self.field(line, rest, inner)
            self.plain = indent
            return None
        if _is_field(text):
            return self.field(line, text, indent)
        return None

    def field(self, line: _Line, text: str, indent: int) -> Explained | None:
        match = _KEY.match(text)
        assert match is not None
        value = match.group("rest").strip()
        if not value or _NODE_PROPERTIES.fullmatch(value):
            self.opened = indent  # the value is the block below (`sources: &shared`, too)
        elif _BLOCK_SCALAR.match(value):
            self.skip_deeper = indent
        elif value[0] not in "\"'[{&*!|>" and (": " in value or value.endswith(":")):
            key = match.group("key")
            at = value.find(": ") if ": " in value else len(value) - 1
            column = line.indent + (len(line.text) - len(text)) + match.start("rest") + at + 1
            return Explained(
                line.index,
                column,
                f"text containing ': ' needs quotes: write it as {key}: \"{_escaped(value)}\"",
            )
        else:
            self.plain = indent
        return None


def _is_field(text: str) -> bool:
    return _KEY.match(text) is not None


def _unclosed(text: str) -> bool:
    """Does the value on this line (a field's, a list item's, or the line) go on past it?"""
    if text.startswith("-") and (len(text) == 1 or text[1] in " \t"):
        text = text[1:].lstrip(" \t")
    match = _KEY.match(text)
    value = match.group("rest").strip() if match else text
    return value[:1] in ("[", "{", '"', "'") and not _closed(value)


def _closed(value: str) -> bool:
    pairs = {"[": "]", "{": "}", '"': '"', "'": "'"}
    return len(value) > 1 and value.rstrip().endswith(pairs[value[0]])


def _escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')
