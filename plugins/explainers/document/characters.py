"""The characters content may hold: text, never a control character that no page, feed
or problem line can carry."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# Characters no page, feed or problem line may carry: C0 controls other than tab and line
# ends, DEL, lone surrogates and the two non-characters XML refuses.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# A numeric character reference (`&#7;`, `&#x1b`, the semicolon optional as browsers read
# it): the sanitizer decodes it into the character itself, so one naming a control
# character is refused like the raw character.
REFERENCE = re.compile(r"&#(?:[xX](?P<hex>[0-9a-fA-F]+)|(?P<dec>[0-9]+));?")
# The ASCII characters CONTROL does not match: what is left of ASCII text once these are
# deleted is its control characters (ASCII holds no surrogate or non-character).
_ASCII_TEXT = bytes(code for code in range(128) if not CONTROL.match(chr(code)))


def message(char: str) -> str:
    return (
        f"the text holds the control character U+{ord(char):04X}, which no page or feed can carry: remove it"
    )


def first(text: str) -> re.Match[str] | None:
    """The first control character in `text`, raw or as a character reference."""
    # Read for every file: ASCII text, nearly all of it, is looked over as bytes first (a
    # twentieth of the regex's time), and searched only where it holds one.
    if text.isascii() and not text.encode("ascii").translate(None, _ASCII_TEXT):
        raw = None
    else:
        raw = CONTROL.search(text)
    if "&" not in text:  # a byte search, where "&#" is a slower one
        return raw
    end = raw.start() if raw else len(text)
    for ref in REFERENCE.finditer(text, 0, end):
        if referenced(ref) is not None:
            return ref
    return raw


def referenced(ref: re.Match[str]) -> str | None:
    """The control character a reference names, or None (past U+10FFFF a reference is read
    as U+FFFD, which is text)."""
    digits = (ref["hex"] or ref["dec"]).lstrip("0") or "0"
    if len(digits) > 8:
        return None
    code = int(digits, 16 if ref["hex"] else 10)
    char = chr(code) if code <= 0x10FFFF else ""
    return char if char and CONTROL.fullmatch(char) else None


def problem(found: re.Match[str]) -> str:
    """The message for a match from `first`."""
    if found.re is REFERENCE:
        return (
            f"the text holds {found.group()}, a reference to the control character "
            f"U+{ord(referenced(found)):04X}, which no page or feed can carry: remove it"
        )
    return message(found.group())


def in_values(value: Any, at: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(YAML path, character) of each value that holds a control character (YAML escapes
    such as "\\0" make them in text that looks clean)."""
    if isinstance(value, str):
        if found := CONTROL.search(value):
            yield at, found.group()
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from in_values(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from in_values(item, (*at, index))


def in_front_matter(data: dict[str, Any], yaml_text: str) -> Iterator[tuple[tuple, str]]:
    """`in_values` of front matter loaded from `yaml_text`. YAML reads no control character
    written as it is (its reader refuses them all): only an escape in a double-quoted value
    ("\\0", "\\x07") makes one, so a text with no backslash holds none."""
    return in_values(data) if "\\" in yaml_text else iter(())
