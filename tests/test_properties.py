"""Property-based tests (Hypothesis): any input gives a page or located problems, never a
traceback, and the same input always gives the same bytes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown import Markdown

from explainers.document import frontmatter, validate
from explainers.document.citations import CitationExtension, CitationSyntaxError, parse_group
from explainers.read import ExplainerBuilder
from explainers.settings import from_pelican

MARKDOWN = {"extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.smarty": {}}}
FRONT = """---
title: Property
date: 2025-01-14
sources:
  a:
    title: A
    publisher: P
    url: https://a.example/
    accessed: 2025-01-12
  b.c:
    title: B
    publisher: P
    url: https://b.example/
    accessed: 2025-01-12
claims:
  - id: one
    text: One.
    status: estimate
    sources: [a]
---
"""
# Text as a broken encoding or a binary file gives it: any of the 256 first code points.
binaryish = st.binary(max_size=20).map(lambda data: data.decode("latin-1"))
# Text made mostly of what the citation grammar and Markdown care about.
CITATION_ALPHABET = st.sampled_from(
    [*list("[]@;,.\\`*_<>!(){}#- \n\tab1:/"), "@a", "@one", "@b.c", "[@a]", "```"]
)
body_text = st.lists(CITATION_ALPHABET | st.text(max_size=3) | binaryish, max_size=60).map("".join)
# YAML-ish front matter: keys, colons, indentation, quotes, brackets, anchors, tags.
YAML_PIECES = st.sampled_from(
    [
        "title",
        "date",
        "sources",
        "claims",
        "status",
        "id",
        "text",
        ":",
        ": ",
        "\n",
        "  ",
        "- ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "'",
        '"',
        "&x ",
        "*x",
        "!!python/object ",
        "2025-01-14",
        "2025-13-45",
        "yes",
        "~",
        "#",
        "---",
        "\t",
        "@",
        "%",
        "|",
        ">",
        "a",
        "b",
        "estimate",
        "https://x.example/",
        # What an attacker or a broken editor puts in: odd tags, merge keys, loops, huge
        # numbers, deep nesting, duplicate keys, line separators, characters YAML refuses.
        "!!binary ",
        "!!set ",
        "!!omap ",
        "!!timestamp ",
        "!!float ",
        "!!python/name:os.system ",
        "!<tag:yaml.org,2002:str> ",
        "<<: ",
        "<<: *x",
        "&y ",
        "*y",
        "&x [*x]",
        "&x {a: *x}",
        "? ",
        "title: a\ntitle: b\n",
        "9" * 400,
        "1e99999",
        "-.inf",
        ".nan",
        "2025-01-14T25:61:00+99:99",
        "0000-00-00",
        "[" * 60,
        "]" * 60,
        "- " * 60,
        "\u2028",
        "\u2029",
        "\x85",
        "\x00",
        "\x07",
        "\ufeff",
        "%YAML 1.1\n",
        "\\x",
    ]
)
yaml_text = st.lists(YAML_PIECES | st.text(max_size=2) | binaryish, max_size=50).map("".join)

builder = ExplainerBuilder(from_pelican({}), {}, MARKDOWN)
RUNS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def located(document, path: str, **limits):
    """Load, then locate what was found as `make check` does: Problems, at their lines."""
    front, findings = frontmatter.load(document, **limits)
    return front, validate.locate(findings, path, front)


def lines_of(text: str) -> int:
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


@RUNS
@given(body_text)
def test_any_body_gives_a_page_or_located_problems(body):
    text = FRONT + body
    result = builder.build("x.md", text)
    assert result.view is not None or result.problems
    for problem in result.problems:
        assert 1 <= problem.line <= lines_of(text), problem


@RUNS
@given(yaml_text, body_text)
def test_any_front_matter_gives_a_page_or_located_problems(front, body):
    text = f"---\n{front}\n---\n{body}"
    result = builder.build("x.md", text)
    for problem in result.problems:
        assert 1 <= problem.line <= lines_of(text), problem
    if result.view is None:
        assert result.problems, "an explainer that is not published must say why"


@settings(max_examples=150, deadline=None)
@given(body_text)
def test_rendering_is_deterministic(body):
    first = ExplainerBuilder(from_pelican({}), {}, MARKDOWN).build("x.md", FRONT + body)
    second = builder.build("x.md", FRONT + body)
    assert first.html == second.html
    assert first.problems == second.problems


@RUNS
@given(yaml_text, st.sampled_from([1, 2, 40]))
def test_the_loader_gives_values_or_located_problems_never_an_exception(text, first_line):
    """As for a sources file (line 1) or a front matter (line 2, or further down)."""
    document = frontmatter.Document(yaml_text=text, body="", yaml_line=first_line)
    front, problems = located(document, "x.md")
    last_line = first_line + text.count("\n")
    for problem in problems:
        assert first_line <= problem.line <= last_line, problem
    if front is None:
        assert problems
    else:
        assert all(first_line <= line <= last_line for line in front.lines.values())


@RUNS
@given(yaml_text)
def test_a_front_matter_past_a_bound_is_one_problem(text):
    """Bounds small enough for Hypothesis to reach them: past one, one problem and no values."""
    document = frontmatter.Document(yaml_text=text, body="", yaml_line=2)
    front, problems = located(document, "x.md", max_values=8, max_bytes=40, max_depth=3)
    refused = [p for p in problems if p.code in ("yaml-too-large", "yaml-too-deep", "yaml-recursive-alias")]
    if refused:
        assert front is None
        assert problems == refused
        assert len(refused) == 1
        assert 2 <= refused[0].line <= 2 + text.count("\n")


@RUNS
@given(body_text)
def test_the_citation_code_records_problems_never_raises(body):
    extension = CitationExtension()
    md = Markdown(extensions=["extra", "smarty", extension])
    extension.begin({"one": [("a", "")]}, frozenset({"a", "b.c"}))
    md.convert(body)
    for problem in extension.document.problems:
        assert problem.needle
        assert problem.code in ("unclosed-citation", "citation-syntax", "unknown-key")


@RUNS
@given(body_text)
def test_a_group_parses_or_is_a_syntax_error(body):
    try:
        items = parse_group(body.replace("[", "").replace("]", ""))
    except CitationSyntaxError:
        return
    assert items is None or all(item.key for item in items)


# Sources, claims and corrections, valid or not, as YAML gives them.
_VALUE = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "A", "https://a.example/", "2025-01-12", "p. 4", "estimate", "a"]),
    st.integers(-2, 2),
    st.lists(st.sampled_from(["a", "b.c", "", "x y"]), max_size=3),
)
_SOURCE = st.dictionaries(
    st.sampled_from(["title", "publisher", "url", "accessed", "authors", "note", "typo"]), _VALUE, max_size=6
)
_VALID_SOURCE = st.fixed_dictionaries({"title": st.sampled_from(["A", "B", "C"]), "publisher": st.just("P")})
_CLAIM = st.dictionaries(
    st.sampled_from(["id", "text", "status", "sources", "by", "typo"]), _VALUE, max_size=5
)
_VALID_CLAIM = st.fixed_dictionaries(
    {"id": st.sampled_from(["one", "two"]), "text": st.sampled_from(["X.", "Y."]), "status": st.just("ok")}
)
_CORRECTION = st.dictionaries(st.sampled_from(["date", "text", "kind"]), _VALUE, max_size=3)
_VALID_CORRECTION = st.fixed_dictionaries(
    {"date": st.just("2025-01-15"), "text": st.sampled_from(["X", "Y"])}
)


def _per_item(model):
    # A list's one call refused whatever it holds: each item is then validated on its own, as
    # every item once was.
    class Refused:
        def validate_python(self, items):
            model.model_validate({"a refused value": object()})  # raises the ValidationError

    return Refused()


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(st.sampled_from(["a", "b.c", "1 bad"]), _VALID_SOURCE | _SOURCE | _VALUE, max_size=3),
    st.lists(_VALID_CLAIM | _CLAIM | _VALUE, max_size=3),
    st.lists(_VALID_CORRECTION | _CORRECTION, max_size=2),
)
def test_items_validated_in_one_call_are_those_validated_one_by_one(sources, claims, corrections):
    data = {"title": "T", "date": "2025-01-14", "sources": sources, "claims": claims}
    data["corrections"] = corrections
    at_once = validate.validate_explainer(data)
    list_of = validate._list_of
    validate._list_of = _per_item
    try:
        one_by_one = validate.validate_explainer(data)
    finally:
        validate._list_of = list_of
    assert repr(at_once) == repr(one_by_one)
