"""Split a file's ``---`` block from its body and load the YAML with line numbers.

Parsing is kept apart from interpreting: this module only turns YAML into plain
Python values (dict, list, str, None, date, datetime) and
remembers, for every value, the line it came from, so that the model's
complaints can point at the right line (`validate.locate`). It never builds
arbitrary objects and never expands an alias bomb; what it cannot read it reports as
`Finding`s, each with the line the parser saw it at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

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
            if implicit[0]:  # plain, not quoted
                if value in _NULLS:
                    return _TAG + "null"
                if _DATE_LIKE.match(value):
                    return _TAG + "timestamp"
                if value == "<<":
                    return _TAG + "merge"
            return _TAG + "str"
        return _TAG + ("seq" if kind is yaml.SequenceNode else "map")


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


# A front matter block that expands to more values than this is an attack or a
# mistake, never an explainer (the largest real ones hold a few thousand).
MAX_VALUES = 100_000


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


def load(document: Document) -> tuple[FrontMatter | None, list[Finding]]:
    """Parse the YAML of `document`: its values with their lines (None when there are
    none to read), and what could not be read."""
    assert document.yaml_text is not None
    offset = document.yaml_line
    try:
        root = yaml.compose(document.yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        # An unclosed bracket or quote is found lines later; the context says where it began,
        # which is where the writer has to look.
        mark = exc.context_mark or exc.problem_mark
        line = offset + mark.line if mark else offset
        reason = ": ".join(part for part in (exc.context, exc.problem) if part)
        column = mark.column + 1 if mark else None
        message = f"the front matter is not valid YAML: {reason}"
        return None, [Finding(ERROR, message, "yaml-syntax", line=line, column=column)]
    except yaml.YAMLError as exc:  # a reader error: e.g. a control character
        return None, [
            Finding(ERROR, f"the front matter is not valid YAML: {exc}", "yaml-syntax", line=offset)
        ]

    if root is None:
        return None, [Finding(ERROR, "the front matter is empty", "yaml-syntax", line=offset)]
    converter = _Converter(offset)
    data = converter.convert(root, ())
    if () in converter.invalid:
        return None, converter.findings  # too big to be an explainer
    if not isinstance(data, dict):
        converter.error(
            root, "the front matter must be a mapping of fields (title: …, date: …)", "yaml-syntax"
        )
        return None, converter.findings
    front = FrontMatter(data, converter.lines, converter.invalid, converter.columns)
    return front, converter.findings


class _Converter:
    """Turns a composed YAML node graph into plain values, recording each value's line."""

    def __init__(self, offset: int):
        self.offset = offset
        self.lines: dict[Path, int] = {}
        self.columns: dict[Path, int] = {}
        self.findings: list[Finding] = []
        self.invalid: set[Path] = set()
        self.count = 0

    def line_of(self, node: yaml.Node) -> int:
        return self.offset + node.start_mark.line

    def error(self, node: yaml.Node, message: str, code: str, path: Path = ()) -> None:
        """A finding at `node`, about the field at `path` (named before the message)."""
        line, column = self.line_of(node), node.start_mark.column + 1
        self.findings.append(Finding(ERROR, message, code, line=line, column=column, about=path or None))

    def convert(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            self.invalid.add(())
            if self.count == MAX_VALUES + 1:
                self.error(
                    node,
                    f"the front matter expands to more than {MAX_VALUES:,} values "
                    "(a paste gone wrong, or aliases repeating each other?)",
                    "yaml-too-large",
                )
            return None
        self.lines.setdefault(path, self.line_of(node))
        self.columns.setdefault(path, node.start_mark.column + 1)
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
            self.lines[(*path, key)] = self.line_of(key_node)
            self.columns[(*path, key)] = key_node.start_mark.column + 1
            result[key] = self.convert(value_node, (*path, key))
        return result

    def scalar(self, node: yaml.Node, path: Path) -> Any:
        if node.tag in _TEXT_TAGS:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            return self.bad_tag(node, path)
        try:
            return _scalar_constructor.yaml_constructors[node.tag](_scalar_constructor, node)
        except (ValueError, AttributeError, yaml.constructor.ConstructorError) as exc:
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
