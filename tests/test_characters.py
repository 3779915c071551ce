"""Control characters in the front matter (`characters.py`): none reaches a value but
through a YAML escape, so front matter with no backslash is not searched for them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explainers.document import characters, frontmatter

CONTROLS = ["\x00", "\x07", "\x1b", "\x7f", "\ud800", "\udfff", "\ufffe", "\uffff"]


@pytest.mark.parametrize("char", CONTROLS)
def test_a_control_character_written_as_it_is_is_refused_by_yamls_reader(char):
    front, findings = frontmatter.load(frontmatter.Document(yaml_text=f"title: a{char}b\n", body=""))
    assert front is None
    assert [finding.code for finding in findings] == ["yaml-syntax"]


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\ufffe", "\uffff"])
def test_a_control_character_escaped_is_found_in_its_value(char):
    # title: "a\u001bb"   ->   (("title",), "\x1b")
    document = frontmatter.Document(yaml_text=f'title: "a\\u{ord(char):04x}b"\n', body="")
    front, _ = frontmatter.load(document)
    assert list(characters.in_front_matter(front.data, document.yaml_text)) == [(("title",), char)]


def test_front_matter_with_no_backslash_is_not_searched():
    assert list(characters.in_front_matter({"title": "a\x1bb"}, "title: ab\n")) == []


def _first_by_regex(text):
    # What `first` finds, by its two regexes alone: the reading it shortens for ASCII text.
    raw = characters.CONTROL.search(text)
    end = raw.start() if raw else len(text)
    for ref in characters.REFERENCE.finditer(text, 0, end):
        if characters.referenced(ref) is not None:
            return ref
    return raw


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("plain text, ASCII only\n\tand tabs\r\n", None),
        ("a\x1bb", "\x1b"),
        ("a\x7f", "\x7f"),
        ("caf\u00e9 \x00", "\x00"),
        ("caf\u00e9 \ud800", "\ud800"),
        ("a &#7; b \x1b", "&#7;"),
        ("a &#x1B b", "&#x1B"),
        ("a &#65; b", None),
    ],
)
def test_the_first_control_character_raw_or_referenced(text, found):
    match = characters.first(text)
    assert (match.group() if match else None) == found


_TEXT = st.text(
    alphabet=st.sampled_from([*"ab &#;x1B07\n\t\r", "\x00", "\x1b", "\x7f", "\u00e9", "\ud800", "\uffff"])
)


@given(_TEXT)
def test_first_finds_what_the_regexes_find(text):
    ours, theirs = characters.first(text), _first_by_regex(text)
    assert (ours and (ours.re, ours.span())) == (theirs and (theirs.re, theirs.span()))


# Any text: every code point (lone surrogates and non-characters too), with the pieces of a
# reference and the characters around the edges of CONTROL and of ASCII close at hand.
_ANY_TEXT = st.lists(
    st.one_of(
        st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=()),
        st.sampled_from(["&", "&#", "&#x", "&#X", ";", "0", "7", "9", "1b", "1F", "7f", "x", "\x85"]),
        st.sampled_from(["\t", "\n", "\r", "\x1f", " ", "~", "\x7f", "\x80", "\ud7ff", "\ue000"]),
        st.sampled_from(["\ufffd", "\ufffe", "\uffff", "\U00010000", "\U0010ffff", "\uff10", "\u0660"]),
    ),
    max_size=24,
).map("".join)


@given(_ANY_TEXT)
def test_first_finds_what_the_regexes_find_in_any_text(text):
    ours, theirs = characters.first(text), _first_by_regex(text)
    assert (ours and (ours.re, ours.span())) == (theirs and (theirs.re, theirs.span()))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "&",
        "&#",
        "&#;",
        "&#x;",
        "a &#0",
        "a &#x0000000000007; b",
        "a &#1114112; b",  # past U+10FFFF: U+FFFD, which is text
        "a &#65534 b",  # U+FFFE
        "a &#xD800; b",
        "a &#133; b",  # NEL: text
        "&#\uff17;",  # full-width digit: not a reference
        "caf\u00e9 &#7;",
        "\x7f &#7;",
        "&#7; \x7f",
        "plain \x85 NEL",
        "\ud800",
        "\ufffe",
        "\U0010ffff",
        "a" * 1000 + "\x00",
        "a" * 1000 + "&#x1b",
    ],
)
def test_first_finds_what_the_regexes_find_at_the_edges(text):
    ours, theirs = characters.first(text), _first_by_regex(text)
    assert (ours and (ours.re, ours.span())) == (theirs and (theirs.re, theirs.span()))
