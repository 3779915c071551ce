"""A content file's address fields (title, slug, lang, translation…) from its head alone.

`make check FILE=…` reads one file in full; the site-wide checks that file takes part in
(is this translation's original there?) need only the other files' address fields. Those
are in each file's front matter (or Pelican's `Key: value` header), so only that is read
here: no Markdown, no sources, no checks. A head that cannot be read gives nothing, and
the file's own check (`make check` of it) reports why.
"""

from __future__ import annotations

import functools
import re
from typing import Any

ADDRESS_FIELDS = ("title", "slug", "status", "lang", "save_as", "translation")


def address_fields(data: bytes) -> dict[str, Any]:
    # The readers of a head are loaded when a head is read: the rest of this module is
    # what a run asks of every file, and reads bytes alone (a check whose every file is
    # cached need not load YAML).
    import yaml  # noqa: PLC0415

    from . import frontmatter, header  # noqa: PLC0415

    try:
        text = frontmatter.normalise(data.decode("utf-8"))
    except UnicodeDecodeError:
        return {}
    if frontmatter.has_front_matter(text):
        try:
            yaml_text = frontmatter.split(text).yaml_text  # the reader's own reading of the head
            # Every value as text: a date out of range elsewhere in the head (`2025-02-30`)
            # must not hide the address fields, which are all text.
            values = yaml.load(yaml_text, Loader=_first_key_loader())
        except (frontmatter.FrontMatterError, yaml.YAMLError, ValueError, RecursionError):
            return {}
    else:
        values = header.parse(text).fields
    if not isinstance(values, dict):
        return {}
    return {name: values[name] for name in ADDRESS_FIELDS if values.get(name) is not None}


@functools.cache
def _first_key_loader() -> type:
    """YAML's base loader (every value as text), a key given twice read at its first place,
    as the build reads it (`frontmatter._Converter`, which reports the second): the last
    place, YAML's, gave a draft another slug than the build's, and its translation was
    published alone."""
    import yaml  # noqa: PLC0415 (see `address_fields`)

    class FirstKeyLoader(getattr(yaml, "CBaseLoader", yaml.BaseLoader)):
        def construct_mapping(self, node, deep=False):
            mapping: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=deep)
                # A key that is not text (a list: YAML's complex key) the build refuses.
                if isinstance(key, str) and key not in mapping:
                    mapping[key] = self.construct_object(value_node, deep=deep)
            return mapping

    return FirstKeyLoader


# The YAML escapes that can spell a letter: a character by its number (`\x61`, `\u0061`,
# `\U00000061`; lowered here), and an escaped line break, which joins the text on either side
# (`"dr\⏎  aft"` is "draft"): a line break to YAML is CR, LF, and NEL, LS and PS in UTF-8 too.
# Every other escape (`\"`, `\\`, `\n`, `\t`, …) stands for a character no field name or status
# holds: a title's escaped quotes (`"The \"deal\""`), common in imports, or a body's Markdown
# escapes (`\*`) leave the word unspelt. (An escaped backslash before an `x` is taken for an
# escape too: the file is read, as before.)
_SPELLING = re.compile(rb"\\(?:[xu\r\n]|\xc2\x85|\xe2\x80[\xa8\xa9])")


def may_say(data: bytes, word: bytes) -> bool:
    """False when nothing in the file can spell `word` (a field's name or value, such as
    `translation` or `draft`): it is not in it, in any case, and no escape that can spell
    a letter is either (`_SPELLING`). The whole file is searched, not what looks like its
    head: a run skips reading the heads of files that cannot matter, and a file that only
    might is read in full as before."""
    return may_say_each(data, (word,))[0]


def may_say_each(data: bytes, words: tuple[bytes, ...]) -> tuple[bool, ...]:
    """`may_say` of each of `words`, the file lowered once."""
    lowered = data.lower()
    if b"\\" in lowered and _SPELLING.search(lowered):
        return (True,) * len(words)
    return tuple(word in lowered for word in words)


def field_line(data: bytes, name: str) -> int | None:
    """The line of the front matter's top-level `name:` field (or header's `Name:`), or None."""
    pattern = re.compile(rb"^" + re.escape(name.encode()) + rb"[ \t]*:", re.MULTILINE | re.IGNORECASE)
    head = data.split(b"\n\n", 1)[0] if not data.startswith(b"---") else data
    for number, line in enumerate(head.splitlines(), start=1):
        if number > 1 and line.rstrip() in (b"---", b"..."):
            break
        if pattern.match(line):
            return number
    return None


# `status: draft` at the top level of the front matter, as written: read from the bytes, so
# that a draft is known as one even when its YAML is broken.
_DRAFT = re.compile(rb"""^status:[ \t]*(?:draft|"draft"|'draft')[ \t]*(?:#[^\n]*)?\r?$""", re.MULTILINE)


def declares_draft(data: bytes) -> bool:
    """Does this file's front matter say `status: draft`?"""
    data = data.removeprefix(b"\xef\xbb\xbf")
    # Most files never say it: the whole file is searched for the word first (the head's
    # expression, anchored at each line, reads as slowly as a long front matter is long).
    if not data.startswith(b"---") or b"draft" not in data:
        return False
    head = re.split(rb"\n(?:---|\.\.\.)[ \t]*\r?(?:\n|$)", data, maxsplit=1)[0]
    return _DRAFT.search(head) is not None
