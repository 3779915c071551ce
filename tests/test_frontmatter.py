"""The front-matter loader: splitting, values, and the line of every value."""

from __future__ import annotations

import datetime

import pytest

from explainers.document import frontmatter, validate


def located(document, path: str, **limits):
    """Load, then locate what was found as `make check` does: Problems, at their lines."""
    front, findings = frontmatter.load(document, **limits)
    return front, validate.locate(findings, path, front)


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


def problems_of(text: str, **limits) -> list[str]:
    """`LINE: message` of each problem, the line counted in the whole file."""
    document = frontmatter.split(frontmatter.normalise(text))
    _, problems = located(document, "x.md", **limits)
    return [f"{p.line}: {p.message}" for p in problems]


def test_an_alias_bomb_is_stopped_at_the_alias_that_sets_it_off():
    lines = ["---", "a: &a [x, x, x, x, x, x, x, x, x, x]"]  # line 2
    for level in range(1, 8):  # lines 3 to 9, each ten times the one above
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 10)}]")
    lines.append("---")
    # a to d hold 12,344 values; the 8th *d on line 6 takes e past 100,000.
    assert problems_of("\n".join(lines) + "\n") == [
        (
            "6: the alias *d makes the front matter expand to more than 100,000 values "
            "(&d is on line 5; aliases repeating each other?)"
        )
    ]


BIG = "x" * 100_000  # a 100 KB value: forty copies make 4 MB

# Each case: the file, and the problem with its line. Lines are counted from the first ---.
BOUNDS = [
    pytest.param(
        f"---\na: &a {BIG}\nb: [{', '.join(['*a'] * 50)}]\n---\n",
        "3: the alias *a makes the front matter expand to more than 4 MB of text "
        "(&a is on line 2; aliases repeating each other?)",
        id="160 KB of text repeated to 5 MB: at the alias on line 3",
    ),
    pytest.param(
        "---\n"
        f"a: &a {'y' * 1000}\n"  # line 2: 1 KB
        f"b: &b [{', '.join(['*a'] * 10)}]\n"  # line 3: 10 KB
        f"c: &c [{', '.join(['*b'] * 10)}]\n"  # line 4: 100 KB
        f"d: &d [{', '.join(['*c'] * 10)}]\n"  # line 5: 1 MB
        f"e: &e [{', '.join(['*d'] * 10)}]\n"  # line 6: 10 MB, past 4 MB at its 3rd *d
        "---\n",
        "6: the alias *d makes the front matter expand to more than 4 MB of text "
        "(&d is on line 5; aliases repeating each other?)",
        id="1 KB nested ten times a level: at the alias on line 6",
    ),
    pytest.param(
        "---\ntitle: Deep\nnested: " + "[" * 60 + "]" * 60 + "\n---\n",
        "3: the front matter nests lists and mappings more than 50 levels deep",
        id="sixty nested lists on line 3",
    ),
    pytest.param(
        "---\ntitle: Deep\n" + "".join(f"{'  ' * level}k{level}:\n" for level in range(60)) + "---\n",
        "53: the front matter nests lists and mappings more than 50 levels deep",
        id="sixty nested mappings: at the first key of the 51st level, line 53",
    ),
    pytest.param(
        "---\n"
        "a: &a " + "[" * 30 + "]" * 30 + "\n"  # line 2: 30 levels
        "b: [[[[[[[[[[[[[[[[[[[[[[*a]]]]]]]]]]]]]]]]]]]]]\n"  # line 3: inside 23 more
        "---\n",
        "3: the alias *a makes the front matter nest lists and mappings more than 50 levels deep "
        "(&a is on line 2)",
        id="an alias that nests too deep, on line 3",
    ),
    pytest.param(
        "---\ntitle: Loop\nsources: &x [*x]\n---\n",
        "3: the alias *x is inside the value it names (&x, line 3): it would repeat itself for ever",
        id="&x [*x]",
    ),
    pytest.param(
        "---\ntitle: Loop\nsources: &x {a: *x}\n---\n",
        "3: the alias *x is inside the value it names (&x, line 3): it would repeat itself for ever",
        id="&x {a: *x}",
    ),
    pytest.param(
        "---\ntitle: Loop\nsources: &x\n  alpha:\n    related:\n      - *x\n---\n",
        "6: the alias *x is inside the value it names (&x, line 3): it would repeat itself for ever",
        id="a block mapping holding itself three levels down",
    ),
    pytest.param(
        "---\ntitle: &t A\nsummary: *s\n---\n",
        "3: the alias *s names no anchor: write &s on a value above it",
        id="an alias with no anchor",
    ),
    pytest.param(
        "---\ntitle: &t A\nsummary: &t B\n---\n",
        "3: the anchor &t is already given on line 2: give each anchor its own name",
        id="an anchor given twice",
    ),
]


@pytest.mark.parametrize(("text", "problem"), BOUNDS)
def test_bounds_and_loops_are_one_problem_at_their_line(text, problem):
    assert problems_of(text) == [problem]


def test_the_bounds_can_be_set():
    text = "---\na: &a [x, x, x]\nb: [*a, *a]\nc: abcdef\n---\n"
    # values: the mapping 1, line 2 +4, line 3 +1 +4 +4, line 4 +1: 15
    # bytes: a xxx b 3 3 c abcdef: 18; depth: the mapping, b's list, *a's list: 3
    assert problems_of(text, max_values=15, max_bytes=18, max_depth=3) == []
    assert problems_of(text, max_values=14) == [
        (
            "4: the front matter expands to more than 14 values "
            "(a paste gone wrong, or aliases repeating each other?)"
        )
    ]
    assert problems_of(text, max_values=13) == [
        (
            "3: the alias *a makes the front matter expand to more than 13 values "
            "(&a is on line 2; aliases repeating each other?)"
        )
    ]
    assert problems_of(text, max_bytes=17) == [
        (
            "4: the front matter expands to more than 17 bytes of text "
            "(a paste gone wrong, or aliases repeating each other?)"
        )
    ]
    assert problems_of(text, max_depth=2) == [
        (
            "3: the alias *a makes the front matter nest lists and mappings more than 2 levels deep "
            "(&a is on line 2)"
        )
    ]


def test_values_and_aliases_within_the_bounds_load_as_before():
    front, problems = load("---\nby: &by The desk\nauthors: [*by, *by]\nlist: &l [a, b]\nagain: *l\n---\n")
    assert problems == []
    assert front.data == {
        "by": "The desk",
        "authors": ["The desk", "The desk"],
        "list": ["a", "b"],
        "again": ["a", "b"],
    }
    assert front.line(("again",)) == 5


def test_a_key_may_be_an_alias_to_a_name_and_is_not_counted_as_a_value():
    text = "---\nk: &k name\nm: {*k : 1}\n---\n"
    front, problems = load(text)
    assert problems == []
    assert front.data == {"k": "name", "m": {"name": "1"}}
    assert problems_of(text, max_values=4) == []  # the mapping, k's value, m and m's value


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        # U+2028, U+2029 and U+0085 end a line for YAML, not for an editor: lines count newlines.
        ("---\ntitle: 'A\u2028B\u2029C\x85D'\nsources: !!set {a}\n---\n", "3: sources: the YAML tag"),
        ("---\ntitle: A\u2028\u2028\u2028\nx: [\n---\n", "4: the front matter is not valid YAML"),
        (
            "---\ntitle: A\nsummary: B\x07C\n---\n",
            "3: the front matter is not valid YAML: control characters",
        ),
        (
            "---\ntitle: A\nsummary: B\udc80C\n---\n",
            "3: the front matter is not valid YAML: it holds a character",
        ),
    ],
    ids=[
        "line separators in a value",
        "line separators before an error",
        "a control character",
        "a surrogate",
    ],
)
def test_odd_characters_are_located_by_newlines(text, problem):
    (found,) = problems_of(text)
    assert found.startswith(problem)


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


@pytest.mark.parametrize(
    ("sources_file", "line"),
    [
        ("---", 1),  # an empty document: the parser puts its end on line 2, which is not there
        ("alpha: [b", 1),
        ("alpha:\n  title: A\n  publisher: 'P", 3),
    ],
)
def test_a_file_with_no_final_newline_keeps_its_problems_on_its_lines(sources_file, line):
    document = frontmatter.Document(yaml_text=sources_file, body="", yaml_line=1)
    _, problems = located(document, "sources/s.yml")
    assert [p.line for p in problems] == [line]
