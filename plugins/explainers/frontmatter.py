"""Split a file's ``---`` block from its body and load the YAML with line numbers.

Parsing is kept apart from interpreting: this module only turns YAML into plain
Python values (dict, list, str, int, float, bool, None, date, datetime) and
remembers, for every value, the line it came from, so that the model's
complaints can point at the right line. It never builds arbitrary objects and
never expands an alias bomb.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import ERROR, Problem

# libyaml's parser is eight times faster than PyYAML's pure-Python one; the
# node marks (and so the line numbers) are the same with either.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_scalar_constructor = yaml.constructor.SafeConstructor()

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
# A front matter block that expands to more values than this is an attack or a
# mistake, never an explainer (the largest real ones hold a few thousand).
MAX_VALUES = 100_000

Path = tuple[Any, ...]


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

    def line(self, path: Path, default: int = 1) -> int:
        """The line of the value at `path`, or of its nearest parent that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), default)


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


def load(document: Document, path: str) -> tuple[FrontMatter | None, list[Problem]]:
    """Parse the YAML of `document`; return its values with their lines, and any problems."""
    assert document.yaml_text is not None
    offset = document.yaml_line
    try:
        root = yaml.compose(document.yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = offset + mark.line if mark else offset
        reason = " ".join(part for part in (exc.context, exc.problem) if part)
        return None, [Problem(path, line, ERROR, f"the front matter is not valid YAML: {reason}")]
    except yaml.YAMLError as exc:  # a reader error: e.g. a control character
        return None, [Problem(path, offset, ERROR, f"the front matter is not valid YAML: {exc}")]

    if root is None:
        return None, [Problem(path, offset, ERROR, "the front matter is empty")]
    converter = _Converter(path, offset)
    data = converter.convert(root, ())
    if not isinstance(data, dict):
        converter.problems.append(
            Problem(
                path,
                offset + root.start_mark.line,
                ERROR,
                "the front matter must be a mapping of fields (title: …, date: …)",
            )
        )
        return None, converter.problems
    return FrontMatter(data, converter.lines, converter.invalid), converter.problems


class _Converter:
    """Turns a composed YAML node graph into plain values, recording each value's line."""

    def __init__(self, path: str, offset: int):
        self.path = path
        self.offset = offset
        self.lines: dict[Path, int] = {}
        self.problems: list[Problem] = []
        self.invalid: set[Path] = set()
        self.count = 0

    def line_of(self, node: yaml.Node) -> int:
        return self.offset + node.start_mark.line

    def error(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.path, self.line_of(node), ERROR, message))

    def convert(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            self.invalid.add(())
            if self.count == MAX_VALUES + 1:
                self.error(
                    node,
                    f"the front matter expands to more than {MAX_VALUES:,} values "
                    "(are aliases repeating each other?)",
                )
            return None
        self.lines.setdefault(path, self.line_of(node))
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
                self.error(key_node, "YAML merge keys (<<) are not supported; write the fields out")
                continue
            if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag in _SCALAR_TAGS):
                self.error(key_node, "a field name or key must be plain text")
                continue
            # A key is a name: `2025:` or `yes:` name keys, they are not a number or a boolean.
            key = key_node.value
            if key in result:
                self.error(
                    key_node, f'duplicate key "{key}" (first given on line {self.lines[(*path, key)]})'
                )
                continue
            # The key's own line is where a writer looks for the field.
            self.lines[(*path, key)] = self.line_of(key_node)
            result[key] = self.convert(value_node, (*path, key))
        return result

    def scalar(self, node: yaml.Node, path: Path) -> Any:
        if node.tag == _TAG + "str":
            return node.value
        if node.tag not in _SCALAR_TAGS:
            return self.bad_tag(node, path)
        try:
            return _scalar_constructor.yaml_constructors[node.tag](_scalar_constructor, node)
        except (ValueError, yaml.constructor.ConstructorError) as exc:
            kind = node.tag.removeprefix(_TAG)
            self.error(
                node, f'"{node.value}" is not a valid {"date" if kind == "timestamp" else kind}: {exc}'
            )
            self.invalid.add(path)
            return None

    def bad_tag(self, node: yaml.Node, path: Path) -> None:
        self.invalid.add(path)
        self.error(
            node,
            f"the YAML tag {node.tag} is not allowed here: use plain text, "
            "numbers, dates, lists and mappings",
        )
