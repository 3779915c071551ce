"""The characters content may hold: text, never a control character that no page, feed
or problem line can carry."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# Characters no page, feed or problem line may carry: C0 controls other than tab and line
# ends, DEL, lone surrogates and the two non-characters XML refuses.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def message(char: str) -> str:
    return (
        f"the text holds the control character U+{ord(char):04X}, which no page or feed can carry: remove it"
    )


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
