"""The citation grammar (contract §2): Markdown in, HTML out, side by side."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown import Markdown
from markdown.inlinepatterns import LinkInlineProcessor

from explainers.document import brackets, citations
from explainers.document.citations import AddressTail, CitationExtension, CitationSyntaxError, parse_group

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


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        # The word running up to the [ holds a web address: the [ is part of it.
        ("A web address https://example.org/[@a] with an @.", []),
        ("A web address www.example.org/x[@a].", []),
        ("Two in one word https://example.org/[@a][@b].", []),
        # A space or a line break ends the address.
        ("An address https://example.org/ [@a].", [("#source-a", "1", None)]),
        ("An address https://example.org/\n[@a] on the next line.", [("#source-a", "1", None)]),
        ("An address\u00a0https://example.org/\u2003[@a] after wide spaces.", [("#source-a", "1", None)]),
        # An address more than 2 KB back is not one.
        ("https://example.org/" + "x" * 3000 + "[@a]", [("#source-a", "1", None)]),
        ("https://example.org/" + "x" * 2000 + "[@a]", []),
        # Not an address: the scheme is not complete before the [.
        ("Half an address http:/[@a].", [("#source-a", "1", None)]),
    ],
    ids=lambda value: value if isinstance(value, list) else None,
)
def test_web_addresses(markdown, expected):
    html, problems = render(markdown)
    assert problems == []
    assert refs(html) == expected


def follows_web_address(text: str, start: int) -> bool:
    """What AddressTail answers, read afresh: whether the word running up to `start` holds a
    web address that starts no more than LOOKBACK characters back."""
    word = max((found.end() for found in re.finditer(r"\s", text[:start])), default=0)
    starts = [found.start() for found in citations.ADDRESS_RE.finditer(text, word, start)]
    return any(at >= max(word, start - AddressTail.LOOKBACK) for at in starts)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["a", " ", "\n", "\u00a0", "[", "@a]", "http", "https", "://", "www", ".", "/", "x" * 700]
        ),
        max_size=40,
    ).map("".join)
)
def test_a_bracket_follows_a_web_address_as_its_word_says(text):
    # Asked as Python-Markdown asks: rising positions in one text (a text with no "://" nor
    # "www." is answered at once, having none).
    tail = AddressTail()
    for found in re.finditer(r"\[", text):
        assert tail(text, found.start()) == follows_web_address(text, found.start()), found.start()


@pytest.mark.parametrize(
    ("markdown", "problem"),
    [
        ("Opened [@a and never closed.", '"[@a"'),
        ("Opened [see @a, p. 4 and never closed.", '"[see @a"'),
        ("Opened [@a then a later @b.", '"[@a"'),
        ("Opened [see\n@a on the next line.", '"[see\n@a"'),
        ("Opened [@a [@b] inside it.", '"[@a"'),
        ("Opened [@a `code` after.", '"[@a"'),
    ],
)
def test_unclosed_groups_are_named_by_their_first_key(markdown, problem):
    _, problems = render(markdown)
    assert problems == [f"citation group {problem} is never closed with ]"]


@pytest.mark.parametrize(
    "markdown",
    [
        "Plain [brackets never closed.",
        "A lone @a [with brackets.",
        "Not a key [ @ and more.",
        "[[[[[[[[[[[[[[[",
    ],
)
def test_unclosed_brackets_without_a_key_are_text(markdown):
    html, problems = render(markdown)
    assert problems == []
    assert refs(html) == []


class Counted:
    """A compiled pattern that counts the characters handed to it, up to where it stopped.

    Every pattern the citation code uses reads its text once: character classes and keys
    with nothing after them to backtrack into. So what they are handed is what they do.
    """

    def __init__(self, pattern):
        self.pattern = pattern
        self.read = 0

    def _span(self, string, pos, endpos):
        return pos, len(string) if endpos is None else min(endpos, len(string))

    def search(self, string, pos=0, endpos=None):
        pos, end = self._span(string, pos, endpos)
        found = self.pattern.search(string, pos, end)
        self.read += (found.end() if found else end) - pos
        return found

    def match(self, string, pos=0, endpos=None):
        pos, end = self._span(string, pos, endpos)
        self.read += end - pos
        return self.pattern.match(string, pos, end)

    def finditer(self, string, pos=0, endpos=None):
        pos, end = self._span(string, pos, endpos)
        for found in self.pattern.finditer(string, pos, end):
            self.read += found.end() - pos
            pos = found.end()
            yield found
        self.read += end - pos


def refuse_to_read_on(self, data, index):
    raise AssertionError("Python-Markdown's own getText was called")


def work(monkeypatch, body: str) -> tuple[int, int]:
    """(Characters read by the citation code's patterns, by the link patterns looking for brackets)."""
    patterns = ["UNCLOSED_RE", "OPENER_RE", "ITEM_RE", "ADDRESS_RE", "LAST_SPACE_RE"]
    counted = [Counted(getattr(citations, name)) for name in patterns]
    with monkeypatch.context() as patch:
        for name, pattern in zip(patterns, counted, strict=True):
            patch.setattr(citations, name, pattern)
        patch.setattr(brackets, "_BRACKET", Counted(brackets._BRACKET))
        # Every link pattern must find its ] through the bracket index, never by reading on.
        patch.setattr(LinkInlineProcessor, "getText", refuse_to_read_on)
        extension = CitationExtension()
        md = Markdown(extensions=["extra", extension])
        extension.processor.compiled_re = groups = Counted(extension.processor.compiled_re)
        extension.begin(CLAIMS, SOURCES)
        md.convert(body)
        looked_at = brackets._BRACKET.read
    return groups.read + sum(pattern.read for pattern in counted), looked_at


# Bodies no writer types, each of which cost the square of its length (200 KB: over 1,000 s).
# For each: the body at size n, and how many brackets it holds.
ATTACKS = {
    "[@a [@a [@a": lambda n: "[@a " * (n // 4),
    "[ [ [": lambda n: "[ " * (n // 2),
    "[[[[": lambda n: "[" * n,
    "one [ then words and @": lambda n: "[" + "word @a " * (n // 8),
    "one [ then @ after @": lambda n: "[" + " @a" * (n // 3),
    "[[[[ ]]]]": lambda n: "[" * (n // 2) + "]" * (n // 2),
    "x[@a[@a[@a, no spaces": lambda n: "x" + "[@a" * (n // 3),
    "links, each then [": lambda n: "[x](y) [ " * (n // 9),
    "[ then a link around [x]": lambda n: "[ [[x]](y) " * (n // 11),
    "web addresses then [@a": lambda n: ("https://x.org/" + "[@a" * 100 + " ") * (n // 315),
    "@@@@ in a group": lambda n: "[" + "@" * n + "]",
}


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS)
def test_reading_citations_costs_work_linear_in_the_body(monkeypatch, attack):
    small, large = attack(4_000), attack(16_000)
    small_reads, small_brackets = work(monkeypatch, small)
    large_reads, large_brackets = work(monkeypatch, large)
    # Each character is read a few times, not once for each [ before it.
    assert large_reads <= 8 * len(large)
    assert large_brackets <= 4 * len(large)
    # Four times the body, four times the work (Python-Markdown's and the old code, sixteen).
    growth = len(large) / len(small)
    assert large_reads <= 1.1 * growth * small_reads
    assert large_brackets <= 1.1 * growth * small_brackets


def test_citations_taken_cost_at_most_one_look_back_each(monkeypatch):
    body = "x" + "[@a]" * 1_000  # one word: each citation rebuilds the text around it
    reads, _ = work(monkeypatch, body)
    # The web address is looked for back over the word, and then looked for in it.
    assert reads <= 8 * len(body) + 1_000 * 2 * AddressTail.LOOKBACK
