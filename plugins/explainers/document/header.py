"""Pelican's `Key: value` header of a plain Markdown article or page, with each field's line.

The grammar is Python-Markdown's `meta` extension, which Pelican's own reader uses: lines
`Key: value` from the first line to the first blank line, a value continued on lines
indented by four spaces. Keys are read in lower case, as Pelican reads them; the values
are text, checked by `read.py` against the allow-list in `fields.py`.

Also here: a YAML front matter a writer meant but mistyped (a blank line before the
opening `---`, or no opening `---` at all), which would otherwise be read as a plain
article with its YAML shown as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FIELD = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
_CONTINUED = re.compile(r"^[ ]{4,}(?P<value>.*)$")
_YAML_KEY = re.compile(r"^[A-Za-z_][\w-]*:(?:\s|$)")


@dataclass
class Header:
    fields: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # lower-case key -> its line
    names: dict[str, str] = field(default_factory=dict)  # lower-case key -> as written
    duplicates: list[tuple[str, int]] = field(default_factory=list)
    body: str = ""
    body_line: int = 1


def parse(text: str) -> Header:
    header = Header()
    lines = text.split("\n")
    index, key = 0, None
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            break
        match = _FIELD.match(line)
        if match:
            key = match["key"].lower()
            if key in header.fields:
                header.duplicates.append((match["key"], index + 1))
            header.fields[key] = match["value"].strip()
            header.lines[key] = index + 1
            header.names[key] = match["key"]
        elif key is not None and (more := _CONTINUED.match(line)):
            header.fields[key] = f"{header.fields[key]} {more['value'].strip()}".strip()
        else:
            break  # the body starts without a blank line, as Python-Markdown allows
        index += 1
    header.body = "\n".join(lines[index:])
    header.body_line = index + 1
    return header


def misplaced_front_matter(text: str) -> tuple[int, str] | None:
    """(line, message) when the file looks like YAML front matter written wrongly."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None
    if first > 0 and lines[first].rstrip() == "---":
        blank = f"{first} blank line{'s' * (first != 1)}"
        return first + 1, f"the front matter must start on the first line: remove the {blank} before this ---"
    # YAML fields, then a closing `---`, with no opening one.
    for index, line in enumerate(lines[:200]):
        if line.rstrip() == "---":
            before = lines[:index]
            yaml_like = all(_YAML_KEY.match(x) or x.startswith((" ", "-")) or not x.strip() for x in before)
            if before and yaml_like and any(_YAML_KEY.match(x) and x[0].islower() for x in before):
                return 1, "the front matter has no opening --- line: add one above this line"
            return None
        if not line.strip():
            # Pelican's header ends at a blank line; YAML may hold blank lines.
            continue
    return None
