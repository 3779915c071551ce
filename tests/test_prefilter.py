"""The prefiltered inline pass (prefilter.py): the HTML of Python-Markdown's own, byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown import Markdown
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.extensions.toc import TocTreeprocessor
from markdown.inlinepatterns import LinkInlineProcessor, ReferenceInlineProcessor
from markdown.treeprocessors import InlineProcessor

from explainers.document import prefilter
from explainers.document.inline import InlineRenderer
from explainers.document.prefilter import PrefilteredInlineProcessor, needed
from explainers.read import ExplainerBuilder, markdown_options
from explainers.settings import from_pelican

ROOT = Path(__file__).resolve().parents[1]
# The site's own extensions, as pelican.conf.py gives them.
SITE_MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.smarty": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}


@pytest.mark.parametrize(
    ("expression", "texts"),
    [
        (r"\[", ("[",)),
        (r"(?<!\!)\[", ("[",)),  # a negative lookbehind needs nothing
        (r"\!\[", ("![",)),  # a run of literal characters is one text
        (r"(?<!-)---(?!-)", ("---",)),
        (r"(?<!\.)\.{3}(?!\.)", ("...",)),  # an exact repeat is part of the run
        (r"  \n", ("  \n",)),
        (r"\*|_", ("*", "_")),  # either branch
        (r"[*_]", ("*", "_")),
        (r"'(?=\w)", ("'",)),
        (r"(\s|&nbsp;|--)'(?=\w)", ("'",)),  # the group cannot be read; the quote is needed
        (r"(?<=[^\ \t])\"'", ("\"'",)),
        (r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>", ("://",)),  # the longest of the single texts
        (r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", ("\\\\", "`")),
        (r"a+bc", ("bc",)),  # after `a+` more a's may follow: "a" and "bc" are two texts
        # Nothing that every match holds: always tried.
        (r"x?", None),  # may match nothing
        (r"\w+", None),  # a category
        (r".", None),
        (r"[^a]", None),  # a negation
        (r"[a-z]", None),  # too wide a class to look for
        (r"a|\w", None),  # one branch unknown
        (r"(?i)ab", None),  # any case: "AB" matches
        (r"(?i:a)b", ("b",)),
        (r"^", None),
    ],
)
def test_what_each_expression_needs(expression, texts):
    assert needed(re.compile(expression)) == texts


def site_markdown() -> Markdown:
    options = markdown_options(SITE_MARKDOWN)
    return Markdown(extensions=options.pop("extensions"), **options)


def prefiltered_markdown() -> Markdown:
    md = site_markdown()
    prefilter.install(md)
    return md


@pytest.mark.parametrize(
    ("processor", "texts"),
    [
        ("hashheader", ("#",)),
        ("setextheader", ("\n",)),  # an underline is on a line of its own
        ("hr", None),  # a back-reference: not understood, always offered
        ("olist", (". ",)),
        ("ulist", (" ",)),  # one of three marks, or the space after them: the space is one text
        ("quote", (">",)),
        ("deflist", (": ",)),
        ("footnote", ("[^",)),
        ("abbr", ("*[",)),
        ("reference", ("]:",)),
    ],
)
def test_what_each_gated_block_processor_needs(processor, texts):
    found = site_markdown().parser.blockprocessors[processor]
    assert needed(getattr(found, prefilter.GATED_BLOCKS[type(found)])) == texts


def test_a_paragraph_is_offered_only_to_the_block_processors_whose_need_it_holds():
    """A paragraph of words and commas over two lines: a second line may underline a
    heading, a space may follow a list's mark, a rule is always looked for; no heading's
    `#`, quote's `>`, definition's `: `, footnote's `[^`, abbreviation's `*[` or link
    definition's `]:`, so none of those searches it."""
    md = site_markdown()
    tested = []
    for item in md.parser.blockprocessors._priority:
        processor = md.parser.blockprocessors[item.name]
        if type(processor) in prefilter.GATED_BLOCKS:
            test = processor.test
            processor.test = lambda parent, block, _test=test, _name=item.name: (
                tested.append(_name) or _test(parent, block)
            )
    prefilter.install(md)
    assert md.convert("Plain words, and more words\nover two lines") == (
        "<p>Plain words, and more words\nover two lines</p>"
    )
    assert tested == ["setextheader", "hr", "ulist"]


def test_both_inline_passes_are_replaced_with_their_patterns():
    md = site_markdown()
    before = {name: md.treeprocessors[name].inlinePatterns for name in ("inline", "smarty")}
    priorities = {item.name: item.priority for item in md.treeprocessors._priority}
    prefilter.install(md)
    for name, patterns in before.items():
        assert type(md.treeprocessors[name]) is PrefilteredInlineProcessor
        assert md.treeprocessors[name].inlinePatterns is patterns
    assert {item.name: item.priority for item in md.treeprocessors._priority} == priorities
    # The method it replaces is still Python-Markdown's name for it: else nothing is passed over.
    assert "_InlineProcessor__handleInline" in vars(InlineProcessor)


def test_the_spine_converts_with_it():
    builder = ExplainerBuilder(from_pelican({"PATH": str(ROOT / "content")}), {}, SITE_MARKDOWN)
    for md in (builder.markdown.md, builder.plain.md, builder.inline.md, builder.inline.quotes):
        inline = [p for p in md.treeprocessors if isinstance(p, InlineProcessor)]
        assert inline
        assert all(type(p) is PrefilteredInlineProcessor for p in inline)


EVERY_CONSTRUCT = """\
# It's a "title" -- with ... dashes

Text with `code [not a link]`, \\*escaped\\*, a footnote[^1], a [link](https://a.example/ "t"),
a [reference][r], a [short] one, ![an image](i.png), ![ref image][r], <https://auto.example/>,
<mail@example.org>, a line break<BREAK>
then <b>raw</b> HTML, &amp; &#8212; entities, *em*, **strong**, _under_, __strong__,
'single' and "double" quotes, the '90s, it's, 1---2, 1--2, wait... and "'nested'".

> A quote with *emphasis* and a [link](https://q.example/).

* item with "quotes"
* item with `code` and [short]

| a | b |
|---|---|
| *x* | [y](https://y.example/) |

Term
:   Definition with 'quotes'.

*[HTML]: HyperText Markup Language

[^1]: The note, with a [link](https://n.example/) and "quotes".
[r]: https://r.example/
[short]: https://s.example/
""".replace("<BREAK>", "  ")  # two spaces ending a line: a <br>


def test_every_construct_is_converted_as_python_markdown_converts_it():
    assert prefiltered_markdown().convert(EVERY_CONSTRUCT) == site_markdown().convert(EVERY_CONSTRUCT)


def test_the_sites_own_content_is_converted_as_python_markdown_converts_it():
    files = sorted((ROOT / "content").rglob("*.md"))
    assert files
    plain, fast = site_markdown(), prefiltered_markdown()
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert fast.reset().convert(text) == plain.reset().convert(text), path


markdown_texts = st.lists(
    st.sampled_from(
        [
            "a", " ", "\n", "\n\n", "[", "]", "(", ")", "!", "`", "\\", "*", "_", "<", ">", "&", "'",
            '"', "-", "--", "...", ".", "  \n", "[a](b)", "[r]", "[^1]", "<b>", "&amp;", "://",
            "x@y.z", "<https://a.b/>", "'90s", "# ", "> ", "* ", "1. ", "    ", "[TOC]", "\\[", "\\*",
            "TOC", ":   ", "*[a]: b", "[r]: c", "[^2]: d", "---", "===", "+ ", "- ", "___", "#",
        ]
    ),
    max_size=50,
).map("".join)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(markdown_texts)
# A link inside emphasis inside emphasis: the inner emphasis's text is only the link's
# placeholder, which the pass must put back (<em><a href="b">a</a></em>).
@example("___[a](b)_ a_[_")
def test_any_text_is_converted_as_python_markdown_converts_it(text):
    source = f"{text}\n\n[r]: https://r.example/\n\n[^1]: A note.\n"
    assert prefiltered_markdown().convert(source) == site_markdown().convert(source)


@settings(max_examples=300, deadline=None)
@given(markdown_texts)
def test_any_text_without_reference_definitions_is_converted_as_python_markdown_converts_it(text):
    # No `[r]: …` line: the reference patterns are passed over (nothing for them to find).
    source = f"{text}\n\n[^1]: A note.\n"
    assert prefiltered_markdown().convert(source) == site_markdown().convert(source)


REFERENCES = """\
A [reference][r], a [short] one, ![ref image][r], ![short image] and a [link](https://a.example/).
"""


NO_DEFINITION = (
    "<p>A [reference][r], a [short] one, ![ref image][r], ![short image] and a "
    '<a href="https://a.example/">link</a>.</p>'
)
DEFINED = (
    '<p>A <a href="https://r.example/">reference</a>, a <a href="https://s.example/">short</a> one, '
    '<img alt="ref image" src="https://r.example/">, ![short image] and a '
    '<a href="https://a.example/">link</a>.</p>'
)


def matches_of(monkeypatch, processor: type) -> list[str]:
    """The text of each match an inline pattern's processor is handed, in order."""
    matched: list[str] = []
    handle = processor.handleMatch

    def spying(self, match, data):
        matched.append(match.group(0))
        return handle(self, match, data)

    monkeypatch.setattr(processor, "handleMatch", spying)
    return matched


@pytest.mark.parametrize(
    ("definitions", "html"),
    [("", NO_DEFINITION), ("\n[r]: https://r.example/\n[short]: https://s.example/\n", DEFINED)],
)
def test_references_are_tried_only_in_a_document_that_defines_some(monkeypatch, definitions, html):
    tried = matches_of(monkeypatch, ReferenceInlineProcessor)
    source = REFERENCES + definitions
    converted = prefiltered_markdown().convert(source)
    assert bool(tried) == bool(definitions)
    assert converted == html
    assert converted == site_markdown().convert(source)


@pytest.mark.parametrize(
    ("text", "html", "tried"),
    [
        # No `](`: no link can be made, and the link pattern is not tried on a single `[`.
        ("Brackets [as here] and [here] (apart)", "<p>Brackets [as here] and [here] (apart)</p>", []),
        (
            "A [link](https://a.example/) and [not one] (apart)",
            '<p>A <a href="https://a.example/">link</a> and [not one] (apart)</p>',
            ["["],  # once the link is made, no `](` is left for the second
        ),
    ],
)
def test_the_link_pattern_is_tried_only_where_a_bracket_closes_before_a_parenthesis(
    monkeypatch, text, html, tried
):
    calls = matches_of(monkeypatch, LinkInlineProcessor)
    converted = prefiltered_markdown().convert(text)
    assert (converted, calls) == (html, tried)
    assert converted == site_markdown().convert(text)


# Texts no pattern of a pass can match, between and after elements that some pattern made:
# the pass leaves them as they are (smart punctuation's, on prose with no quote, dash or
# ellipsis; the first pass, on the words between two links).
INERT_AND_NOT = """\
Plain words then a [link](https://a.example/) then plain words, *em* plain, `code` plain.

> Quoted plain words with a [link](https://q.example/) and it's "quoted" after.

* plain item
* item with **strong** then plain then 'quotes' then plain

Plain paragraph with no markup at all and no punctuation to change

| a | b |
|---|---|
| plain | *x* plain "y" |
"""


def test_texts_no_pattern_can_match_are_left_as_they_are(monkeypatch):
    tried: list[str] = []
    handle = PrefilteredInlineProcessor._InlineProcessor__handleInline

    def spying(self, data, index=0):
        tried.append(data)
        return handle(self, data, index)

    monkeypatch.setattr(PrefilteredInlineProcessor, "_InlineProcessor__handleInline", spying)
    assert prefiltered_markdown().convert(INERT_AND_NOT) == site_markdown().convert(INERT_AND_NOT)
    # Neither pass tried its patterns on a text none of them could match.
    assert not any("no markup at all" in text for text in tried)
    assert any("it's" in text for text in tried)  # smart punctuation's pass tried this one


# The table of contents' marker, alone in a paragraph (replaced by the contents), inside one
# (left), escaped (left, its backslashes restored) and in code (left).
WITH_MARKER = """\
# One

[TOC]

## Two *with* "quotes"

Not alone: [TOC] here, \\[TOC\\] escaped, `[TOC]` in code, and \\*stars\\*.
"""
WITH_MARKER_HTML = """\
<h1 id="one">One</h1>
<div class="toc">
<ul>
<li><a href="#one">One</a><ul>
<li><a href="#two-with-quotes">Two with &ldquo;quotes&rdquo;</a></li>
</ul>
</li>
</ul>
</div>
<h2 id="two-with-quotes">Two <em>with</em> &ldquo;quotes&rdquo;</h2>
<p>Not alone: [TOC] here, [TOC] escaped, <code>[TOC]</code> in code, and *stars*.</p>"""
WITHOUT = "# One\n\nNo marker, no escape, no quote: *plain* text.\n"


def test_the_marker_and_escapes_are_where_python_markdown_puts_them():
    assert prefiltered_markdown().convert(WITH_MARKER) == WITH_MARKER_HTML
    assert site_markdown().convert(WITH_MARKER) == WITH_MARKER_HTML


@pytest.mark.parametrize(("text", "searched"), [(WITH_MARKER, True), (WITHOUT, False)])
def test_the_marker_is_sought_only_in_a_body_that_holds_it(monkeypatch, text, searched):
    calls: list[str] = []
    replace = TocTreeprocessor.replace_marker
    monkeypatch.setattr(
        TocTreeprocessor,
        "replace_marker",
        lambda self, root, div: calls.append("toc") or replace(self, root, div),
    )
    assert prefiltered_markdown().convert(text) == site_markdown().convert(text)
    assert (calls.count("toc") == 2) is searched  # once each (the plain pass always searches)
    assert calls.count("toc") >= 1


WITH_ATTRIBUTES = '# Title {#top}\n\nA paragraph.\n{: .lead }\n\n*Term*{: title="t" } and text.\n'
WITH_ATTRIBUTES_HTML = (
    '<h1 id="top">Title</h1>\n<p class="lead">A paragraph.</p>\n<p><em title="t">Term</em> and text.</p>'
)


@pytest.mark.parametrize(("text", "walked"), [(WITH_ATTRIBUTES, True), (WITHOUT, False)])
def test_attributes_are_sought_only_in_a_body_whose_text_holds_a_brace(monkeypatch, text, walked):
    calls: list[str] = []
    run = AttrListTreeprocessor.run
    monkeypatch.setattr(
        AttrListTreeprocessor, "run", lambda self, doc: calls.append("attr_list") or run(self, doc)
    )
    assert prefiltered_markdown().convert(text) == site_markdown().convert(text)
    assert (calls.count("attr_list") == 2) is walked  # once each (the plain pass always walks)
    assert prefiltered_markdown().convert(WITH_ATTRIBUTES) == WITH_ATTRIBUTES_HTML


@pytest.mark.parametrize(("text", "restored"), [(WITH_MARKER, True), (WITHOUT, False)])
def test_escapes_are_restored_only_where_a_text_holds_one(text, restored):
    md = prefiltered_markdown()
    unescaping = md.treeprocessors["unescape"]
    assert type(unescaping) is prefilter.PrefilteredUnescape
    tried: list[str] = []
    unescape = unescaping.unescape
    unescaping.unescape = lambda value: tried.append(value) or unescape(value)
    assert md.convert(text) == site_markdown().convert(text)
    assert bool(tried) is restored


def plain_inline_renderer() -> InlineRenderer:
    """The field renderer with Python-Markdown's own inline passes."""
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(prefilter, "install", lambda md: None)
        return InlineRenderer()


@settings(max_examples=300, deadline=None)
@given(markdown_texts)
def test_any_field_is_rendered_as_python_markdown_renders_it(text):
    # Fields (claims, notes, captions) go through the prefiltered passes of their own renderer.
    plain, fast = plain_inline_renderer(), InlineRenderer()
    assert fast.render(text) == plain.render(text)
    assert fast.take_refused() == plain.take_refused()


# Field texts with links a field may not have (javascript:, data:, relative, mailto:).
field_texts = st.lists(
    st.sampled_from(
        [
            "a", " ", "\n", "[", "]", "(", ")", "<", ">", "`", "\\", "*", '"', "'", "](", "javascript:x",
            "https://a.b/", "[a](javascript:x)", "[b](https://b.example/)", "[c](page.html)", "<data:x>",
            "<https://a.b/>", "<mailto:x@y.z>", "[r]", "[r][r]", "](https://a.example/", "](http://b.c?",
            "[d](https://d.example/x)", "[e]( https://e.example#f)", "](HTTPS://g.example/", "](https://h[/",
            "](https://i.example:80/", "](https://j.example", "](https://", "](https://k.example/ 'title')",
        ]
    ),
    max_size=30,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(field_texts)
def test_a_check_finds_the_addresses_a_field_refuses_without_rendering_it(text):
    # `refused_in` (a check's) renders only a text that may hold a link: the same refusals.
    rendering, checking = InlineRenderer(), InlineRenderer()
    rendering.render(text)
    assert checking.refused_in(text) == rendering.take_refused()


def test_a_check_renders_no_field_that_cannot_hold_a_link(monkeypatch):
    rendered: list[str] = []
    render = InlineRenderer.render
    monkeypatch.setattr(
        InlineRenderer, "render", lambda self, text: rendered.append(text) or render(self, text)
    )
    renderer = InlineRenderer()
    assert renderer.refused_in("Plain *emphasis* and `code`, it's [not a link] (nor this)") == []
    assert renderer.refused_in("A [good](https://good.example/page) and [one](http://x.example?q)") == []
    assert renderer.refused_in("A [bad](javascript:alert(1)) one") == ["javascript:alert(1)"]
    assert renderer.refused_in("An <javascript:x> autolink") == []  # not an autolink: text
    assert renderer.refused_in("[Good](https://a.example/) [and not](https://[x/)") == ["https://[x/"]
    assert rendered == [
        "A [bad](javascript:alert(1)) one",
        "An <javascript:x> autolink",
        "[Good](https://a.example/) [and not](https://[x/)",
    ]
