"""The front-matter loader: splitting, values, and the line of every value."""

from __future__ import annotations

import datetime

import pytest

from explainers.document import frontmatter


def load(text: str):
    document = frontmatter.split(frontmatter.normalise(text))
    return frontmatter.load(document)


TEXT = """\
---
title: Lines
date: 2025-01-14
sources:
  alpha:
    title: Alpha
    publisher: Alpha News
claims:
  - id: one
    sources:
      - alpha
      - source: alpha
        locator: p. 4
---
Body line 15.
"""


def test_split_finds_the_body_and_its_first_line():
    document = frontmatter.split(TEXT)
    assert document.body == "Body line 15.\n"
    assert document.body_line == 15
    assert document.yaml_text.startswith("title: Lines\n")


def test_a_file_without_front_matter_is_all_body():
    document = frontmatter.split("Title: Pelican\n\nBody\n")
    assert document.yaml_text is None


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (("title",), 2),
        (("date",), 3),
        (("sources",), 4),
        (("sources", "alpha"), 5),
        (("sources", "alpha", "publisher"), 7),
        (("claims", 0), 9),
        (("claims", 0, "id"), 9),
        (("claims", 0, "sources", 0), 11),
        (("claims", 0, "sources", 1), 12),
        (("claims", 0, "sources", 1, "locator"), 13),
    ],
)
def test_every_value_keeps_its_line(path, line):
    front, problems = load(TEXT)
    assert problems == []
    assert front.line(path) == line


def test_an_unknown_path_falls_back_to_its_nearest_parent():
    front, _ = load(TEXT)
    assert front.line(("claims", 0, "status")) == 9


def test_values_are_plain_python():
    front, _ = load(TEXT)
    assert front.data["date"] == datetime.date(2025, 1, 14)
    assert front.data["claims"][0]["sources"] == ["alpha", {"source": "alpha", "locator": "p. 4"}]


def test_numbers_and_yes_no_stay_the_text_the_writer_typed():
    front, _ = load("---\nstatus: false\ntitle: 1984\nflag: yes\nratio: 1.50\nnothing:\n---\n")
    assert front.data == {"status": "false", "title": "1984", "flag": "yes", "ratio": "1.50", "nothing": None}


def test_keys_are_names_not_numbers_or_booleans():
    front, _ = load("---\ntitle: x\nsources:\n  2025:\n    title: t\n  yes: 1\n---\n")
    assert list(front.data["sources"]) == ["2025", "yes"]


def test_an_alias_bomb_is_stopped():
    lines = ["---", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 8):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 10)}]")
    lines.append("---")
    front, problems = load("\n".join(lines) + "\n")
    assert front is None
    assert [p.message for p in problems] == [
        (
            f"the front matter expands to more than {frontmatter.MAX_VALUES:,} values "
            "(a paste gone wrong, or aliases repeating each other?)"
        )
    ]


def test_empty_front_matter_is_a_problem():
    front, problems = load("---\n---\nBody\n")
    assert front is None
    assert [(p.line, p.message) for p in problems] == [(2, "the front matter is empty")]


def test_front_matter_that_is_not_a_mapping():
    front, problems = load("---\n- a\n- b\n---\n")
    assert front is None
    assert [(p.line, p.message) for p in problems] == [
        (2, "the front matter must be a mapping of fields (title: …, date: …)")
    ]
