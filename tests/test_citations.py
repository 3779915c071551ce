"""The citation grammar (contract §2): Markdown in, HTML out, side by side."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from markdown import Markdown

from explainers.document.citations import CitationExtension, CitationSyntaxError, parse_group

SOURCES = {"a": None, "b": None, "c": None, "nis-2025.01:x/y": None}
CLAIMS = {"claim-1": [("b", ""), ("c", "fig. 2")], "bare": []}


def render(text: str, claims=None, sources=None):
    extension = CitationExtension()
    md = Markdown(extensions=["extra", extension])
    extension.begin(claims if claims is not None else CLAIMS, sources if sources is not None else SOURCES)
    html = md.convert(text)
    return html, [problem.message for problem in extension.document.problems]


def refs(html: str) -> list[tuple[str, str, str | None]]:
    """(href, text, data-locator) of every noteref, in order."""
    soup = BeautifulSoup(html, "lxml")
    return [(a["href"], a.get_text(), a.get("data-locator")) for a in soup.select('a[role="doc-noteref"]')]


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("One [@a].", [("#source-a", "1", None)]),
        ("Two [@a; @b].", [("#source-a", "1", None), ("#source-b", "2", None)]),
        ("Locator [@a, p. 4].", [("#source-a", "1", "p. 4")]),
        ("Locator with commas [@a, pp. 4, 6].", [("#source-a", "1", "pp. 4, 6")]),
        ("Prefix [see @a, p. 4; also @b].", [("#source-a", "1", "p. 4"), ("#source-b", "2", None)]),
        ("Key with punctuation [@nis-2025.01:x/y].", [("#source-nis-2025.01:x/y", "1", None)]),
        ("No space before it[@a].", [("#source-a", "1", None)]),
        ("Across a line\nbreak [see\n@a].", [("#source-a", "1", None)]),
    ],
)
def test_citation_forms(markdown, expected):
    html, problems = render(markdown)
    assert problems == []
    assert refs(html) == expected


def test_prefix_and_locator_are_shown_beside_the_number():
    html, _ = render("Text [see @a, p. 4].")
    group = BeautifulSoup(html, "lxml").select_one("sup.citation")
    assert group.get_text() == "[see 1, p. 4]"


def test_a_claim_stands_for_its_sources_in_order_with_their_locators():
    html, _ = render("Claim [@claim-1].")
    assert refs(html) == [("#source-b", "1", None), ("#source-c", "2", "fig. 2")]
    assert BeautifulSoup(html, "lxml").select_one("[data-claim]")["data-claim"] == "claim-1"


def test_a_claim_without_sources_links_to_the_claim():
    html, problems = render("Unsourced [@bare].")
    assert problems == []
    assert BeautifulSoup(html, "lxml").select_one('a[href="#claim-bare"]') is not None


@pytest.mark.parametrize(
    "markdown",
    [
        r"Escaped bracket \[@a].",
        r"Escaped at [\@a].",
        "Code span `[@a]`.",
        "    [@a] in an indented code block",
        "```\n[@a] in a fenced code block\n```",
        '<span title="[@a]">raw HTML attribute</span>',
        "[@handle](https://example.org/handle) is a link.",
        "An e-mail [name@example.org] in brackets.",
        "A web address https://example.org/[@a] with an @.",
        "An autolink <https://example.org/@a>.",
        "A link [text](https://example.org/@a).",
        "Plain [brackets] and @a alone.",
    ],
)
def test_never_a_citation(markdown):
    html, problems = render(markdown)
    assert problems == []
    assert refs(html) == []


def test_escapes_keep_the_literal_text():
    html, _ = render(r"\[@a] and [\@b]")
    assert BeautifulSoup(html, "lxml").get_text().strip() == "[@a] and [@b]"


def test_unknown_key_is_a_problem_with_a_hint():
    html, problems = render("Unknown [@aa].")
    assert problems == ['citation names unknown key "aa" (did you mean "a"?)']
    assert refs(html) == []


def test_unknown_key_differing_only_in_case():
    _, problems = render("Case [@A].")
    assert problems == ['citation names unknown key "A" (did you mean "a"?)']


def test_group_that_never_closes_is_a_problem():
    _, problems = render("Opened [@a and never closed.")
    assert problems == ['citation group "[@a" is never closed with ]']


def test_malformed_item_in_a_group_is_a_problem():
    _, problems = render("Mixed [@a; not a key].")
    assert len(problems) == 1
    assert "does not name a key" in problems[0]


@pytest.mark.parametrize(
    ("body", "items"),
    [
        ("@a", [("a", "", "")]),
        ("see @a, p. 4", [("a", "see", "p. 4")]),
        ("@a; @b, ch. 2", [("a", "", ""), ("b", "", "ch. 2")]),
        ("name@example.org", None),
        ("@ a", None),
    ],
)
def test_parse_group(body, items):
    parsed = parse_group(body)
    assert (None if parsed is None else [(i.key, i.prefix, i.locator) for i in parsed]) == items


def test_parse_group_rejects_text_after_a_key():
    with pytest.raises(CitationSyntaxError, match="after @a"):
        parse_group("@a p. 4")
