"""Property-based tests (Hypothesis): any input gives a page or located problems, never a
traceback, and the same input always gives the same bytes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
# Text made mostly of what the citation grammar and Markdown care about.
CITATION_ALPHABET = st.sampled_from(
    [*list("[]@;,.\\`*_<>!(){}#- \n\tab1:/"), "@a", "@one", "@b.c", "[@a]", "```"]
)
body_text = st.lists(CITATION_ALPHABET | st.text(max_size=3), max_size=60).map("".join)
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
    ]
)
yaml_text = st.lists(YAML_PIECES | st.text(max_size=2), max_size=50).map("".join)

builder = ExplainerBuilder(from_pelican({}), {}, MARKDOWN)
RUNS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


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
