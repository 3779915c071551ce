"""Split a file's ``---`` block from its body and load the YAML with line numbers.

Parsing is kept apart from interpreting: this module only turns YAML into plain
Python values (dict, list, str, None, date, datetime) and
remembers, for every value, the line it came from, so that the model's
complaints can point at the right line (`validate.locate`). It never builds
arbitrary objects; what it cannot read it reports as `Finding`s, each with the line
the parser saw it at.

Content comes from many hands, so the YAML is composed here from the parser's
events, measured as it goes, and refused, as one located problem, as soon as it
would expand (every alias written out) past `MAX_VALUES` values, `MAX_BYTES`
bytes of text or `MAX_DEPTH` levels of nesting, or when an alias names the value
it sits in. Nothing is expanded before it is measured, so an alias bomb costs
the time it takes to read it, not the memory it would take to build it.

Nearly every front matter is plain (no anchor, alias, tag or merge key, nothing to
report): `_read_plain` reads it in one pass over the parser's events, counting the same
bounds, without building a node for each value. At anything else it stops, and the
front matter is read from its start by the composer and the converter (`_load_nodes`),
which report it: the two read every front matter alike (tests/test_frontmatter_plain.py).
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from . import yamlsyntax
from .problems import ERROR, Finding, Path

_scalar_constructor = yaml.constructor.SafeConstructor()

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
# Kept as the text the writer typed. The format has no number or yes/no field, and YAML's
# guesses would be wrong: `status: false` is the status "false", `title: 1984` a title,
# and `translation: true` the text Pelican expects.
_TEXT_TAGS = {_TAG + name for name in ("str", "int", "float", "bool")}
# PyYAML's own pattern for a timestamp, so that what we tag as a date, it can construct.
_DATE_LIKE = next(
    regexp
    for first in "0123456789"
    for tag, regexp in yaml.resolver.Resolver.yaml_implicit_resolvers.get(first, [])
    if tag == _TAG + "timestamp"
)
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


class _Resolver:
    """Tags only what we construct: dates and nulls; every other plain scalar is text.

    PyYAML's resolver tries every implicit type (bool, int, float, merge…) on every
    scalar, in Python; since those all stay text here, this one only looks for dates,
    which makes loading about twice as fast.
    """

    def descend_resolver(self, current_node, current_index):
        pass  # no path-dependent resolvers

    def ascend_resolver(self):
        pass

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return _scalar_tag(value, implicit[0])
        return _TAG + ("seq" if kind is yaml.SequenceNode else "map")


_NULL, _TIMESTAMP, _MERGE, _STR = (_TAG + name for name in ("null", "timestamp", "merge", "str"))


def _scalar_tag(value: str, plain: bool) -> str:
    """A scalar's tag: a plain (unquoted) one may be a null, a date or a merge key."""
    if plain:
        if value in _NULLS:
            return _NULL
        if _DATE_LIKE.match(value):
            return _TIMESTAMP
        if value == "<<":
            return _MERGE
    return _STR


if hasattr(yaml, "CSafeLoader"):
    # libyaml's parser is eight times faster than PyYAML's pure-Python one; the
    # node marks (and so the line numbers) are the same with either.
    class _Loader(yaml.cyaml.CParser, yaml.constructor.SafeConstructor, _Resolver):
        def __init__(self, stream):
            yaml.cyaml.CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
else:  # pragma: no cover - every PyYAML wheel ships libyaml

    class _Loader(
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        yaml.constructor.SafeConstructor,
        _Resolver,
    ):
        def __init__(self, stream):
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)


# Bounds on what one front matter (or one sources file) may expand to, every alias
# written out. Beyond them it is an attack or a paste gone wrong, never an explainer:
# the largest real ones hold a few thousand values, some 100 KB, five levels deep.
MAX_VALUES = 100_000  # values (scalars, lists and mappings; not the keys)
MAX_BYTES = 4_000_000  # UTF-8 bytes of text in its values and keys
MAX_DEPTH = 50  # lists and mappings inside each other


@dataclass
class Document:
    """A file split into its YAML front matter and its Markdown body."""

    yaml_text: str | None  # None when the file has no YAML front matter
    body: str
    yaml_line: int = 2  # line of the first YAML line in the file
    body_line: int = 1  # line of the first body line in the file


@dataclass
class FrontMatter:
    data: dict[str, Any]
    lines: dict[Path, int] = field(default_factory=dict)
    invalid: set[Path] = field(default_factory=set)  # values the loader already reported
    columns: dict[Path, int] = field(default_factory=dict)  # 1-based, beside `lines`

    def line(self, path: Path, default: int = 1) -> int:
        """The line of the value at `path`, or of its nearest parent that has one."""
        return self.lines.get(self._known(path), default)

    def column(self, path: Path) -> int | None:
        return self.columns.get(self._known(path))

    def _known(self, path: Path) -> Path:
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return path


class FrontMatterError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def normalise(text: str) -> str:
    """Drop a byte-order mark and use LF line ends (line numbers are unchanged)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def has_front_matter(text: str) -> bool:
    first_line = text.split("\n", 1)[0]
    return first_line.rstrip() == "---"


def split(text: str) -> Document:
    """Split normalised text at its ``---`` lines.

    Raises FrontMatterError when the block is opened but never closed.
    """
    if not has_front_matter(text):
        return Document(yaml_text=None, body=text)
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return Document(
                yaml_text="\n".join(lines[1:index]) + "\n",
                body="\n".join(lines[index + 1 :]),
                yaml_line=2,
                body_line=index + 2,
            )
    raise FrontMatterError(1, "the front matter opened here with --- is never closed by a --- line")


def load(
    document: Document,
    *,
    max_values: int = MAX_VALUES,
    max_bytes: int = MAX_BYTES,
    max_depth: int = MAX_DEPTH,
) -> tuple[FrontMatter | None, list[Finding]]:
    """Parse the YAML of `document`: its values with their lines (None when there are
    none to read), and what could not be read."""
    assert document.yaml_text is not None
    text = document.yaml_text
    where = _Where(text, document.yaml_line)
    try:
        return _read_plain(text, where, max_values, max_bytes, max_depth), []
    except (_NotPlainError, yaml.YAMLError, UnicodeEncodeError):
        # Read again from its start, node by node, by the composer and the converter, which
        # say what is wrong with it: nothing the one pass read is kept.
        return _load_nodes(text, where, max_values, max_bytes, max_depth)


def _load_nodes(
    text: str, where: _Where, max_values: int, max_bytes: int, max_depth: int
) -> tuple[FrontMatter | None, list[Finding]]:
    """`load` by the composer (every value a node, measured) and the converter: any front
    matter, and what could not be read in it."""
    composer = _Composer(text, where, max_values, max_bytes, max_depth)
    try:
        root = composer.compose()
    except _RefusedError as refused:
        return None, [Finding(ERROR, refused.message, refused.code, line=refused.line, column=refused.column)]
    except yaml.MarkedYAMLError as exc:
        # An unclosed bracket or quote is found lines later; the context says where it began,
        # which is where the writer has to look.
        # Indentation mistakes are found many lines later: `yamlsyntax` reads the lines as a
        # writer lays them out for the one that was broken, and says it in plain words.
        explained = yamlsyntax.explain(text, exc)
        if explained is not None:
            message = f"the front matter is not valid YAML: {explained.message}"
            line = where.offset + explained.index
            return None, [Finding(ERROR, message, "yaml-syntax", line=line, column=explained.column)]
        mark = exc.context_mark or exc.problem_mark
        message = f"the front matter is not valid YAML: {yamlsyntax.plain_reason(exc)}"
        line, column = (where.line(mark), where.column(mark)) if mark else (where.offset, None)
        return None, [Finding(ERROR, message, "yaml-syntax", line=line, column=column)]
    except yaml.YAMLError as exc:  # a reader error: a character YAML does not allow
        line, column = where.of_index(_first_unreadable(text))
        message = f"the front matter is not valid YAML: {_reader_reason(exc)}"
        return None, [Finding(ERROR, message, "yaml-syntax", line=line, column=column)]
    except UnicodeEncodeError as exc:  # a lone surrogate, from a file read with surrogateescape
        line, column = where.of_index(exc.start)
        message = "the front matter is not valid YAML: it holds a character that is not Unicode text"
        return None, [Finding(ERROR, message, "yaml-syntax", line=line, column=column)]

    if root is None:
        return None, [Finding(ERROR, "the front matter is empty", "yaml-syntax", line=where.offset)]
    converter = _Converter(where)
    data = converter.convert(root, ())
    if () in converter.invalid:
        return None, converter.findings  # the whole front matter refused: one problem
    if not isinstance(data, dict):
        converter.error(
            root, "the front matter must be a mapping of fields (title: …, date: …)", "yaml-syntax"
        )
        return None, converter.findings
    front = FrontMatter(data, converter.lines, converter.invalid, converter.columns)
    return front, converter.findings


class _NotPlainError(Exception):
    """The front matter holds what `_read_plain` leaves to the composer and the converter."""


def _read_plain(text: str, where: _Where, max_values: int, max_bytes: int, max_depth: int) -> FrontMatter:
    """The front matter of nearly every file: a mapping of plain text, dates, nulls, lists
    and mappings, with no anchor, alias, tag or merge key, no key given twice, no date that
    cannot be read, within the bounds. Its values and their places are read in one pass
    over the parser's events, as `_Composer` and `_Converter` together would read them
    (the same values, lines, columns and bounds, in the same order), without the node of
    each value they go through (on 1,000 explainers, most of reading the front matter).

    Raises _NotPlainError at anything else (and the parser's errors pass through): the
    caller then reads it with the composer and the converter, from its start, so that a
    file with any problem in its front matter is read, and reported, exactly as before.
    """
    parser = _Loader(text)
    try:
        parser.get_event()  # stream start
        if type(parser.get_event()) is not yaml.DocumentStartEvent:
            raise _NotPlainError  # no document: empty
        get_event, place, date_like = parser.get_event, where.place, _DATE_LIKE.match
        # A place is asked for every key: worked out here where the text has only newlines.
        direct, offset, last = not where.other_breaks, where.offset, where.last
        lines: dict[Path, int] = {}
        columns: dict[Path, int] = {}
        scalar_event, mapping_start = yaml.ScalarEvent, yaml.MappingStartEvent
        sequence_start = yaml.SequenceStartEvent
        size = 0
        # Each open list or mapping: (the container, its path, the key awaiting its value:
        # None when a key is awaited, or in a list).
        stack: list[tuple[Any, Path, list]] = []
        event = get_event()
        if type(event) is not mapping_start or event.anchor is not None or event.tag not in (None, "!"):
            raise _NotPlainError  # the converter reports a front matter that is not a mapping
        data: dict[str, Any] = {}
        lines[()], columns[()] = place(event.start_mark)
        if max_values < 1 or max_depth < 1:
            raise _NotPlainError
        values = 1
        container, path, pending = data, (), [None]
        while True:
            event = get_event()
            kind = type(event)
            is_map = type(container) is dict
            if kind is scalar_event:
                if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                    raise _NotPlainError
                value = event.value
                size += len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass"))
                key = pending[0] if is_map else None
                if is_map and key is None:  # a key: a name, whose text counts, not a value
                    if size > max_bytes:
                        raise _NotPlainError
                    if (value == "<<" and event.implicit[0]) or value in container:
                        raise _NotPlainError  # a merge key (`_scalar_tag`), a key given twice
                    at = (*path, value)
                    mark = event.start_mark
                    if direct:
                        line = offset + mark.line
                        lines[at], columns[at] = line if line < last else last, mark.column + 1
                    else:
                        lines[at], columns[at] = place(mark)
                    pending[0] = value
                    continue
                values += 1
                if values > max_values or size > max_bytes:
                    raise _NotPlainError
                # `_scalar_tag`, written out: a quoted value is text; a plain one may be a
                # null, a date or a merge key's `<<`.
                if not event.implicit[0]:
                    item = value
                elif value in _NULLS:
                    item = None
                elif date_like(value):
                    try:
                        item = _timestamp(value, event)
                    except Exception as exc:  # reported, as the converter words it, on the slow path
                        raise _NotPlainError from exc
                elif value == "<<":
                    raise _NotPlainError  # a merge key's `<<` as a value
                else:
                    item = value
                if is_map:
                    container[key] = item
                    pending[0] = None
                else:
                    at = (*path, len(container))
                    lines[at], columns[at] = place(event.start_mark)
                    container.append(item)
            elif kind is mapping_start or kind is sequence_start:
                if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                    raise _NotPlainError
                if is_map and pending[0] is None:
                    raise _NotPlainError  # a list or mapping as a key
                values += 1
                if values > max_values or len(stack) + 2 > max_depth:
                    raise _NotPlainError
                opened: Any = {} if kind is mapping_start else []
                if is_map:
                    at = (*path, pending[0])
                    container[pending[0]] = opened
                    pending[0] = None
                else:
                    at = (*path, len(container))
                    lines[at], columns[at] = place(event.start_mark)
                    container.append(opened)
                stack.append((container, path, pending))
                container, path, pending = opened, at, [None]
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                if not stack:
                    break
                container, path, pending = stack.pop()
            else:  # an alias (no anchor was given, or it would have stopped here)
                raise _NotPlainError
        parser.get_event()  # document end
        if not parser.check_event(yaml.StreamEndEvent):
            raise _NotPlainError  # a second document
    finally:
        parser.dispose()
    return FrontMatter(data, lines, set(), columns)


def _timestamp(value: str, event: yaml.ScalarEvent) -> Any:
    """PyYAML's date or time of a plain scalar its timestamp pattern matched. A date written
    in full (`2025-01-14`: ten characters, the pattern's digits ASCII), as nearly all are, is
    the same date `date.fromisoformat` reads, and raises where PyYAML would; PyYAML's own
    constructor, in Python, was a twelfth of reading a front matter full of sources."""
    if len(value) == 10:
        return datetime.date.fromisoformat(value)
    node = yaml.ScalarNode(_TIMESTAMP, value, event.start_mark, event.end_mark, event.style)
    return _scalar_constructor.construct_yaml_timestamp(node)


# What YAML reads as a character: anything else stops its reader.
_UNREADABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _first_unreadable(text: str) -> int:
    found = _UNREADABLE.search(text)
    return found.start() if found else 0


def _reader_reason(exc: yaml.YAMLError) -> str:
    # libyaml's message gives a byte offset in its own UTF-8 copy, which means nothing to a writer.
    reason = getattr(exc, "reason", None)
    character = getattr(exc, "character", None)
    if reason and isinstance(character, int):
        return f"{reason} (U+{character:04X})"
    return str(reason or exc)


class _Where:
    """File lines and columns of positions in the YAML text.

    The parser counts U+0085, U+2028 and U+2029 as line breaks, as YAML 1.1 says; a writer's
    editor (and the rest of this project) counts only newlines. Its marks' character index
    is right either way, so where such a character occurs, lines are counted from it.
    """

    def __init__(self, text: str, offset: int):
        self.text = text
        self.offset = offset
        self.other_breaks = "\x85" in text or "\u2028" in text or "\u2029" in text
        self._newlines: list[int] | None = None
        # The parser puts the end of a text with no final newline on a line after it.
        self.last = offset + text.count("\n")

    def of_index(self, index: int) -> tuple[int, int]:
        """The line and the 1-based column of the character at `index`."""
        if self._newlines is None:
            self._newlines = [found.start() for found in re.finditer("\n", self.text)]
        before = bisect.bisect_left(self._newlines, index)
        start = self._newlines[before - 1] + 1 if before else 0
        return self.offset + before, index - start + 1

    def line(self, mark: yaml.Mark) -> int:
        return self.of_index(mark.index)[0] if self.other_breaks else min(self.offset + mark.line, self.last)

    def column(self, mark: yaml.Mark) -> int:
        return self.of_index(mark.index)[1] if self.other_breaks else mark.column + 1

    def place(self, mark: yaml.Mark) -> tuple[int, int]:
        """`line` and `column` of a mark at once (asked for every value and key)."""
        if self.other_breaks:
            return self.of_index(mark.index)
        return min(self.offset + mark.line, self.last), mark.column + 1


class _RefusedError(Exception):
    """The YAML is well-formed but will not be built: one problem, at one line."""

    def __init__(self, where: _Where, mark: yaml.Mark, message: str, code: str):
        super().__init__(message)
        self.line = where.line(mark)
        self.column = where.column(mark)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class _Measure:
    """What an anchored value expands to, every alias in it written out."""

    values: int  # lists, mappings and scalars, not counting the keys
    size: int  # UTF-8 bytes of the scalars' text, keys included
    height: int  # 0 for a scalar, 1 for a flat list or mapping


_NOTHING = _Measure(0, 0, 0)


class _Open:
    """A list or mapping whose end event has not come yet."""

    __slots__ = ("anchor", "height", "items", "mapping", "node", "size", "values")

    def __init__(self, node: yaml.Node, anchor: str | None, values: int, size: int):
        self.node = node
        self.mapping = isinstance(node, yaml.MappingNode)
        self.items: list[yaml.Node] = []  # a mapping's keys and values, one after the other
        self.anchor = anchor
        self.values = values  # the running totals before it
        self.size = size
        self.height = 0  # of its tallest child so far


class _Composer:
    """PyYAML's composer (yaml/composer.py), driven by the parser's events, measuring as it goes.

    Every value is counted where it occurs and every alias by what its anchor expands to,
    so the running totals are those of the document with every alias written out, and the
    first event that takes one past its bound is the one reported: for an alias bomb, the
    alias that sets it off, not the anchor it names. It reads the front matter that
    `_read_plain` leaves to it (anchors, aliases, tags, anything it reports).
    """

    def __init__(self, text: str, where: _Where, max_values: int, max_bytes: int, max_depth: int):
        self.text = text
        self.where = where
        self.max_values = max_values
        self.max_bytes = max_bytes
        self.max_depth = max_depth
        self.values = 0
        self.size = 0
        self.stack: list[_Open] = []
        self.anchors: dict[str, tuple[yaml.Node, _Measure]] = {}
        self.open_anchors: dict[str, yaml.Node] = {}

    def compose(self) -> yaml.Node | None:
        parser = _Loader(self.text)
        try:
            return self._compose(parser)
        finally:
            parser.dispose()

    def _compose(self, parser) -> yaml.Node | None:
        parser.get_event()  # stream start
        if parser.check_event(yaml.StreamEndEvent):
            return None
        parser.get_event()  # document start
        get_event, scalar_tag, stack = parser.get_event, _scalar_tag, self.stack
        max_values, max_bytes = self.max_values, self.max_bytes
        scalar_event, scalar_node, alias_event = yaml.ScalarEvent, yaml.ScalarNode, yaml.AliasEvent
        root = None
        while root is None:
            event = get_event()
            kind = type(event)
            top = stack[-1] if stack else None
            if kind is scalar_event:
                if event.anchor is not None:
                    self.check_anchor(event)
                value = event.value
                tag = event.tag
                if tag is None or tag == "!":
                    tag = scalar_tag(value, event.implicit[0])
                node = scalar_node(tag, value, event.start_mark, event.end_mark, event.style)
                size = len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass"))
                # A key is a name, not a value: its text counts, it does not.
                values = 0 if top is not None and top.mapping and not len(top.items) % 2 else 1
                if self.values + values > max_values or self.size + size > max_bytes:
                    self.refuse(_Measure(values, size, 0), event.start_mark)
                self.values += values
                self.size += size
                if event.anchor is not None:
                    self.anchors[event.anchor] = (node, _Measure(1, size, 0))
            elif kind is alias_event:
                node = self.alias(event, top)
            elif kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
                self.start(event)
                continue
            else:  # the end of a list or mapping
                node = self.end(event)
                top = stack[-1] if stack else None
            if top is not None:
                top.items.append(node)
            else:
                root = node
        parser.get_event()  # document end
        if not parser.check_event(yaml.StreamEndEvent):
            event = parser.get_event()
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                root.start_mark,
                "but found another document",
                event.start_mark,
            )
        return root

    def alias(self, event: yaml.AliasEvent, top: _Open | None) -> yaml.Node:
        name = event.anchor
        if name in self.open_anchors:
            anchored = self.open_anchors[name]
            raise _RefusedError(
                self.where,
                event.start_mark,
                f"the alias *{name} is inside the value it names (&{name}, line "
                f"{self.where.line(anchored.start_mark)}): it would repeat itself for ever",
                "yaml-recursive-alias",
            )
        if name not in self.anchors:
            raise _RefusedError(
                self.where,
                event.start_mark,
                f"the alias *{name} names no anchor: write &{name} on a value above it",
                "yaml-syntax",
            )
        node, measure = self.anchors[name]
        if top is not None and top.mapping and not len(top.items) % 2:
            # A key is a name: an alias to a scalar is that name; any other is refused, unread.
            measure = _Measure(0, measure.size, 0) if isinstance(node, yaml.ScalarNode) else _NOTHING
        self.add(measure, event.start_mark, name, node)
        return node

    def start(self, event: yaml.CollectionStartEvent) -> None:
        if event.anchor is not None:
            self.check_anchor(event)
        node_class = yaml.SequenceNode if type(event) is yaml.SequenceStartEvent else yaml.MappingNode
        tag = event.tag
        if tag is None or tag == "!":
            tag = _RESOLVER.resolve(node_class, None, event.implicit)
        node = node_class(tag, [], event.start_mark, None, flow_style=event.flow_style)
        opened = _Open(node, event.anchor, self.values, self.size)
        self.add(_Measure(1, 0, 1), event.start_mark)
        self.stack.append(opened)
        if event.anchor is not None:
            self.open_anchors[event.anchor] = node

    def end(self, event: yaml.CollectionEndEvent) -> yaml.Node:
        closed = self.stack.pop()
        node = closed.node
        node.end_mark = event.end_mark
        items = closed.items
        if closed.mapping:
            items = list(zip(items[::2], items[1::2], strict=True))
        node.value = items
        height = closed.height + 1
        if self.stack and self.stack[-1].height < height:
            self.stack[-1].height = height
        if closed.anchor is not None:
            del self.open_anchors[closed.anchor]
            measure = _Measure(self.values - closed.values, self.size - closed.size, height)
            self.anchors[closed.anchor] = (node, measure)
        return node

    def check_anchor(self, event: yaml.NodeEvent) -> None:
        name = event.anchor
        if name in self.anchors or name in self.open_anchors:
            first = self.anchors[name][0] if name in self.anchors else self.open_anchors[name]
            raise _RefusedError(
                self.where,
                event.start_mark,
                f"the anchor &{name} is already given on line {self.where.line(first.start_mark)}: "
                "give each anchor its own name",
                "yaml-syntax",
            )

    def add(self, measure: _Measure, mark: yaml.Mark, alias: str = "", anchored: yaml.Node = None) -> None:
        """Count a list, a mapping or an alias where it occurs; refuse what goes past a bound."""
        if (
            self.values + measure.values > self.max_values
            or self.size + measure.size > self.max_bytes
            or len(self.stack) + measure.height > self.max_depth
        ):
            self.refuse(measure, mark, alias, anchored)
        self.values += measure.values
        self.size += measure.size
        if measure.height and self.stack and self.stack[-1].height < measure.height:
            self.stack[-1].height = measure.height

    def refuse(self, measure: _Measure, mark: yaml.Mark, alias: str = "", anchored: yaml.Node = None):
        deep = False
        if self.values + measure.values > self.max_values:
            what, code = f"more than {self.max_values:,} values", "yaml-too-large"
        elif self.size + measure.size > self.max_bytes:
            what, code = f"more than {_bytes(self.max_bytes)} of text", "yaml-too-large"
        else:
            what, code, deep = f"more than {self.max_depth} levels deep", "yaml-too-deep", True
        if alias:
            anchor = f"&{alias} is on line {self.where.line(anchored.start_mark)}"
            if deep:
                message = (
                    f"the alias *{alias} makes the front matter nest lists and mappings {what} ({anchor})"
                )
            else:
                hint = "aliases repeating each other?"
                message = f"the alias *{alias} makes the front matter expand to {what} ({anchor}; {hint})"
        elif deep:
            message = f"the front matter nests lists and mappings {what}"
        else:
            hint = "a paste gone wrong, or aliases repeating each other?"
            message = f"the front matter expands to {what} ({hint})"
        raise _RefusedError(self.where, mark, message, code)


def _bytes(count: int) -> str:
    if count >= 1_000_000 and not count % 100_000:
        return f"{count / 1_000_000:g} MB"
    return f"{count:,} bytes"


_RESOLVER = _Resolver()


class _Converter:
    """Turns a composed YAML node graph into plain values, recording each value's line."""

    def __init__(self, where: _Where):
        self.position = where
        self.lines: dict[Path, int] = {}
        self.columns: dict[Path, int] = {}
        self.findings: list[Finding] = []
        self.invalid: set[Path] = set()

    def line_of(self, node: yaml.Node) -> int:
        return self.position.line(node.start_mark)

    def column_of(self, node: yaml.Node) -> int:
        return self.position.column(node.start_mark)

    def error(self, node: yaml.Node, message: str, code: str, path: Path = ()) -> None:
        """A finding at `node`, about the field at `path` (named before the message)."""
        line, column = self.line_of(node), self.column_of(node)
        self.findings.append(Finding(ERROR, message, code, line=line, column=column, about=path or None))

    def convert(self, node: yaml.Node, path: Path) -> Any:
        # The composer has bounded the values, their text and their depth (so this recursion).
        if path not in self.lines:  # a mapping's value has its key's place (`mapping`)
            self.lines[path], self.columns[path] = self.position.place(node.start_mark)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag not in (_TAG + "seq",):
                return self.bad_tag(node, path)
            return [self.convert(item, (*path, index)) for index, item in enumerate(node.value)]
        return self.scalar(node, path)

    def mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any] | None:
        if node.tag != _TAG + "map":
            return self.bad_tag(node, path)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self.error(
                    key_node,
                    "YAML merge keys (<<) are not supported; write the fields out",
                    "yaml-merge",
                    path,
                )
                continue
            if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag in _SCALAR_TAGS):
                self.error(key_node, "a field name or key must be plain text", "yaml-key", path)
                continue
            # A key is a name: `2025:` or `yes:` name keys, they are not a number or a boolean.
            key = key_node.value
            if key in result:
                first = self.lines[(*path, key)]
                self.error(
                    key_node, f'duplicate key "{key}" (first given on line {first})', "duplicate-key", path
                )
                continue
            # The key's own line is where a writer looks for the field.
            at = (*path, key)
            self.lines[at], self.columns[at] = self.position.place(key_node.start_mark)
            if type(value_node) is yaml.ScalarNode and value_node.tag in _TEXT_TAGS:
                result[key] = value_node.value  # most values: text, placed at its key (`scalar`)
            else:
                result[key] = self.convert(value_node, at)
        return result

    def scalar(self, node: yaml.Node, path: Path) -> Any:
        if node.tag in _TEXT_TAGS:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            return self.bad_tag(node, path)
        try:
            return _scalar_constructor.yaml_constructors[node.tag](_scalar_constructor, node)
        except (ValueError, OverflowError, AttributeError, yaml.constructor.ConstructorError) as exc:
            kind = node.tag.removeprefix(_TAG)
            what = "date" if kind == "timestamp" else kind
            self.error(node, f'"{node.value}" is not a valid {what} ({exc})', f"invalid-{what}", path)
            self.invalid.add(path)
            return None

    def bad_tag(self, node: yaml.Node, path: Path) -> None:
        self.invalid.add(path)
        self.error(
            node,
            f"the YAML tag {node.tag} is not allowed here: use plain text, "
            "numbers, dates, lists and mappings",
            "yaml-tag",
            path,
        )
