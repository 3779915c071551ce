"""The front matter's one-pass reader (`frontmatter._read_plain`) against the composer and
the converter (`frontmatter._load_nodes`): the same values, lines, columns and findings for
every front matter, the one pass taken only where it reads it all."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from explainers.document import frontmatter

PLAIN = """\
title: Plain
date: 2025-01-14
modified: 2025-01-14 10:30:00+01:00
summary: "quoted: text"
tags: [one, two, "three"]
empty:
tilde: ~
number: 1984
yes_no: false
folded: >
  two
  lines
sources:
  alpha: {title: Alpha, url: "https://x.org/?a=1&b=2", date: 2025-01-02}
  beta:
    title: Beta
    publisher: ""
claims:
  - id: one
    sources:
      - alpha
      - source: beta
        locator: p. 4
  -
  - - nested
    - []
  - {}
"""

# Front matter the one pass reads, in the forms the composer and the converter read apart.
ALSO_PLAIN = {
    "keys that are not text": "~: null key\n2025-01-01: date key\n\"\": empty key\n'1': one\n",
    "flow mapping of keys alone": "a: {b, c: d, e}\n",
    "quoted date": "a: '2025-01-01'\nb: \"2025-01-01\"\n",
    "other line breaks": 'a: "one\\Ltwo"\nb: "x\u2028y"\nc: "\\N"\nd: [1, "\u0085"]\n',
    "non-ASCII text": "title: Café ☕ 𝄞\nb: [é, ü]\n",
    "block text": "a: |\n  one\n   two\nb: >-\n  x\n\n  y\nc: 1\n",
    "dates at the edges": "a: 2024-02-29\nb: 9999-12-31\nc: 0001-01-01\nd: [2000-02-29]\ne: 2025-01-14 # c\n",
}

# Front matter the one pass leaves to the composer and the converter: each holds what
# they report (or refuse), or a form the pass does not read.
NOT_PLAIN = {
    "anchor and alias": "a: &x text\nb: *x\n",
    "anchor on a mapping": "a: &x {k: v}\nb: 1\n",
    "alias to nothing": "a: *x\n",
    "recursive alias": "a: &x [*x]\n",
    "repeated anchor": "a: &x 1\nb: &x 2\n",
    "tag on a value": "a: !!binary aGk=\n",
    "allowed tag": "a: !!str 12\n",
    "python tag": "a: !!python/object:os.system x\n",
    "tag on a list": "a: !!set {x}\n",
    "merge key": "base: {a: 1}\nchild:\n  <<: {b: 2}\n",
    "merge as a value": "a: <<\n",
    "repeated key": "title: one\ntitle: two\n",
    "repeated nested key": "a:\n  b: 1\n  c: 2\n  b: 3\n",
    "date out of range": "date: 2025-13-45\n",
    "day not in its month": "date: 2025-02-29\n",
    "year zero": "date: 0000-01-01\n",
    "date with a bad offset": "date: 2025-01-01 10:00:00+99:00\n",
    "list as a key": "? [a, b]\n: c\n",
    "mapping as a key": "? {a: b}\n: c\n",
    "list at the root": "- a\n- b\n",
    "text at the root": "just text\n",
    "empty": "",
    "only a comment": "# nothing\n",
    "two documents": "a: 1\n--- {b: 2}\n",
    "syntax error": "title: [unclosed\nother: x\n",
    "bad indentation": "a:\n  b: 1\n c: 2\n",
    "tab": "a:\n\tb: 1\n",
    "a line break YAML sees, not an editor": "a: x\u2028y\nb: 1\n",
    "repeated key after a syntax error": "a: 1\na: 2\nb: [\n",
}


def read(text: str, **limits):
    """(what `load` reads, what the composer and the converter read) of a front matter."""
    document = frontmatter.split(frontmatter.normalise(f"---\n{text}---\nBody.\n"))
    bounds = {
        "max_values": frontmatter.MAX_VALUES,
        "max_bytes": frontmatter.MAX_BYTES,
        "max_depth": frontmatter.MAX_DEPTH,
        **limits,
    }
    where = frontmatter._Where(document.yaml_text, document.yaml_line)
    nodes = frontmatter._load_nodes(document.yaml_text, where, *bounds.values())
    return frontmatter.load(document, **limits), nodes


def summary(loaded):
    front, findings = loaded
    if front is None:
        return None, findings
    return front.data, list(front.lines.items()), list(front.columns.items()), front.invalid, findings


def test_plain_front_matter_is_read_in_one_pass():
    document = frontmatter.split(f"---\n{PLAIN}---\n")
    where = frontmatter._Where(document.yaml_text, document.yaml_line)
    front = frontmatter._read_plain(document.yaml_text, where, 10_000, 100_000, 50)
    assert front.data["date"] == datetime.date(2025, 1, 14)
    assert (front.data["number"], front.data["yes_no"]) == ("1984", "false")  # YAML's guesses: text
    assert (front.data["empty"], front.data["tilde"]) == (None, None)
    assert front.data["claims"][1:3] == [None, ["nested", []]]
    assert front.line(("sources", "alpha", "url")) == 15  # the key's line: the `{` one's
    assert front.line(("claims", 0, "sources", 1, "locator")) == 24
    assert front.column(("claims", 0, "sources", 1)) == 9


def test_plain_front_matter_reads_as_the_composer_reads_it():
    loaded, nodes = read(PLAIN)
    assert summary(loaded) == summary(nodes)
    assert loaded[1] == []


@pytest.mark.parametrize("text", NOT_PLAIN.values(), ids=NOT_PLAIN.keys())
def test_what_one_pass_leaves_is_read_by_the_composer(text):
    document = frontmatter.split(f"---\n{text}---\n")
    where = frontmatter._Where(document.yaml_text, document.yaml_line)
    with pytest.raises((frontmatter._NotPlainError, frontmatter.yaml.YAMLError)):
        frontmatter._read_plain(document.yaml_text, where, 10_000, 100_000, 50)
    loaded, nodes = read(text)
    assert summary(loaded) == summary(nodes)


@pytest.mark.parametrize("text", ALSO_PLAIN.values(), ids=ALSO_PLAIN.keys())
def test_one_pass_reads_as_the_composer_reads(text):
    document = frontmatter.split(f"---\n{text}---\n")
    where = frontmatter._Where(document.yaml_text, document.yaml_line)
    assert frontmatter._read_plain(document.yaml_text, where, 10_000, 100_000, 50) is not None
    loaded, nodes = read(text)
    assert summary(loaded) == summary(nodes)
    assert loaded[1] == []


# At the bounds (PLAIN's values, bytes and depth, and one under each): refused by the
# composer, at the value that goes past one, never read past it by the one pass.
@pytest.mark.parametrize(
    "limits",
    [
        {"max_values": 35},
        {"max_values": 34},
        {"max_values": 1},
        {"max_values": 0},
        {"max_bytes": 272},
        {"max_bytes": 271},
        {"max_bytes": 5},
        {"max_depth": 5},
        {"max_depth": 4},
        {"max_depth": 1},
        {"max_depth": 0},
    ],
)
def test_bounds_are_where_the_composer_has_them(limits):
    loaded, nodes = read(PLAIN, **limits)
    assert summary(loaded) == summary(nodes)


def test_the_bounds_above_are_each_exact():
    """The figures above are PLAIN's own (so each pair is one side of a bound, then the other)."""
    refused = {
        name: [read(PLAIN, **{name: value})[0][0] is None for value in values]
        for name, values in (("max_values", (35, 34)), ("max_bytes", (272, 271)), ("max_depth", (5, 4)))
    }
    assert refused == {name: [False, True] for name in refused}


def _digits(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(str)


# Dates as YAML's timestamp pattern takes them: months and days of one or two digits, out of
# range too, and times after some.
_TIMESTAMPS = st.builds(
    "{}-{}-{}{}".format,
    _digits(0, 9999).map(lambda year: year.zfill(4)),
    st.one_of(_digits(0, 99).map(lambda n: n.zfill(2)), _digits(0, 9)),
    st.one_of(_digits(0, 99).map(lambda n: n.zfill(2)), _digits(0, 9)),
    st.sampled_from(["", "T10:30:00", " 10:30:00+01:00", "t1:02:03.5Z"]),
)


@given(_TIMESTAMPS)
def test_a_date_is_read_as_pyyaml_reads_it(value):
    # `_timestamp` reads a date written in full itself; PyYAML's constructor, the rest.
    assume(frontmatter._DATE_LIKE.match(value))  # a date alone has two-digit months and days
    event = frontmatter.yaml.ScalarEvent(None, None, (True, False), value)
    node = frontmatter.yaml.ScalarNode(frontmatter._TIMESTAMP, value)
    try:
        expected = frontmatter._scalar_constructor.construct_yaml_timestamp(node)
    except ValueError:
        # Either way a ValueError: the converter words the problem, on the slow path.
        with pytest.raises(ValueError):  # noqa: PT011
            frontmatter._timestamp(value, event)
    else:
        assert frontmatter._timestamp(value, event) == expected
        assert type(frontmatter._timestamp(value, event)) is type(expected)


# Text a writer may give for a date: in range or not, leap days, one-digit months and days,
# times and offsets, and digits of other scripts (full-width, Arabic-Indic) YAML does not read.
_DATE_TEXT = st.builds(
    "{}-{}-{}{}".format,
    st.one_of(
        st.sampled_from(["0000", "0001", "1900", "2000", "2024", "2025", "9999"]), _digits(0, 9999)
    ).map(lambda year: year.zfill(4)),
    st.one_of(
        st.sampled_from(["00", "01", "02", "12", "13", "1", "2"]), _digits(0, 99).map(lambda n: n.zfill(2))
    ),
    st.one_of(st.sampled_from(["00", "01", "28", "29", "30", "31", "32", "1"]), _digits(0, 99)),
    st.sampled_from(
        ["", "", "", "T10:30:00", " 10:30:00+01:00", "t1:02:03.5Z", " 10:30:00 +99:00", "  1:02:03.123456789"]
    ),
).flatmap(
    lambda text: st.sampled_from(
        [
            text,
            text.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
            text.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
            text[:1] + "\uff10" + text[2:],
        ]
    )
)

# Where a date may stand in a front matter: a value, quoted, in a flow or block list, in a
# flow mapping, as a key, before a comment.
DATE_PLACES = (
    "date: {}\n",
    "date: '{}'\n",
    'date: "{}"\n',
    "dates: [{}, x]\n",
    "dates:\n  - {}\n  - 2025-01-14\n",
    "a: {{b: {}}}\n",
    "{}: key\n",
    "date: {} # a comment\n",
    "title: x\nsources:\n  s:\n    published: {}\n    accessed: 2025-01-14\n",
)


@given(st.sampled_from(DATE_PLACES), _DATE_TEXT)
def test_dates_are_read_as_the_composer_reads_them(place, value):
    loaded, nodes = read(place.format(value))
    # repr: a date and a datetime of the same day are not equal; nor are their types.
    assert repr(summary(loaded)) == repr(summary(nodes))


@pytest.mark.parametrize(
    "value",
    [
        "2024-02-29",
        "2025-02-29",
        "1900-02-29",
        "2000-02-29",
        "0000-01-01",
        "0001-01-01",
        "9999-12-31",
        "2025-00-10",
        "2025-01-00",
        "2025-1-1",
        "２０２５-０１-１４",
        "2025-01-14T00:00:00",
        "2025-01-14 10:30:00.5 Z",
    ],
)
def test_a_date_at_the_edges_is_read_as_the_composer_reads_it(value):
    for place in DATE_PLACES:
        loaded, nodes = read(place.format(value))
        assert repr(summary(loaded)) == repr(summary(nodes))
