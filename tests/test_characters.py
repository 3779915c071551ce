"""Control characters in the front matter (`characters.py`): none reaches a value but
through a YAML escape, so front matter with no backslash is not searched for them."""

from __future__ import annotations

import pytest

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
