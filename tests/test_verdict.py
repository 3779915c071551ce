"""A check converts a body without what no problem depends on (`document/verdict.py`):
smart punctuation outside headings, the line breaks between blocks, and the HTML of a body
that holds nothing a check reads. Its verdict is the build's (tests/test_check_agrees_with_build.py
tries many more files)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from pelican.settings import read_settings

from explainers.document.files import Door
from explainers.document.htmlpolicy import DEFAULT_HTML
from explainers.document.problems import ProblemLog
from explainers.read import ExplainerBuilder
from explainers.settings import from_pelican
from sitebuild import EXPLAINER, ROOT, Site

MARKDOWN = read_settings(str(ROOT / "pelican.conf.py"))["MARKDOWN"]


def body_html(text: str, *, pages: bool, markdown: dict = MARKDOWN) -> str:
    """The HTML a build (`pages`) or a check makes of an explainer's body, after its first
    paragraph (the citations of EXPLAINER's)."""
    result = ExplainerBuilder(from_pelican({}), {}, markdown, pages=pages).build("x.md", EXPLAINER + text)
    assert result.problems == []
    return result.html.split("</sup>.</p>", 1)[1]


BODY = """
## Don't -- stop

It's "quoted" -- here...
"""


def test_a_build_makes_the_page_s_typography_and_line_breaks():
    assert body_html(BODY, pages=True) == (
        '\n<h2 id="dont-stop">Don’t – stop</h2>\n'  # (Markdown's line breaks)
        "<p>It’s “quoted” – here…</p>"
    )


def test_a_check_makes_the_heading_s_words_as_the_build_does_and_leaves_the_rest():
    # The heading's id is made from its words after smart punctuation, as the build's is.
    assert body_html(BODY, pages=False) == (
        '<h2 id="dont-stop">Don’t – stop</h2>'  # no line breaks
        '<p>It\'s "quoted" -- here...</p>'
    )


# "Pre--war" is "Pre–war" after smart punctuation, whose id is "prewar-figures": the one
# the raw paragraph takes too. Without smart punctuation it would be "pre-war-figures".
REPEATED = EXPLAINER + '\n## Pre--war figures\n\n<p id="prewar-figures">Raw.</p>\n'


def test_an_id_a_heading_takes_after_smart_punctuation_fails_the_check_as_it_fails_the_build(site: Site):
    site.write("test.md", REPEATED)
    check, build = site.check(), site.build()
    assert (check.code, build.code) == (1, 1)
    assert check.problems == build.problems
    assert [problem.split(": ", 2)[:2] for problem in check.problems] == [["content/test.md:44", "error"]]
    assert 'id "prewar-figures"' in check.problems[0]


class SitePass(Extension):
    """A site's own extension, with a pass over the tree after prettifying."""

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        class Reads(Treeprocessor):
            def run(self, root):
                return None

        md.treeprocessors.register(Reads(md), "the-site-s-own", 3)


def test_a_site_with_a_pass_of_its_own_after_prettifying_checks_with_the_build_s_markdown():
    # What such a pass reads is not known: the check leaves nothing out.
    markdown = {**MARKDOWN, "extensions": [SitePass()]}
    assert body_html(BODY, pages=False, markdown=markdown) == body_html(BODY, pages=True, markdown=markdown)
    assert body_html(BODY, pages=False) != body_html(BODY, pages=True)


# --- Emphasis: read by more than it seems --------------------------------------------------


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    """A content folder for the bodies below (their links to files are checked against it)."""
    folder = tmp_path_factory.mktemp("content")
    (folder / "f.txt").write_text("A file.\n")
    return folder


def outcome(text: str, content: Path, *, pages: bool, explainers: dict | None = None) -> tuple:
    """What a verdict is made of, for an explainer's body: its problems as they are reported
    (each once), the files it links to, the sources it reaches, its review dates."""
    settings = from_pelican({"EXPLAINERS": explainers} if explainers else {})
    door = Door(str(content), "sources", (), settings.static_types, (), settings.max_file_bytes)
    builder = ExplainerBuilder(settings, {}, MARKDOWN, door=door, pages=pages)
    result = builder.build(str(content / "x.md"), EXPLAINER + text)
    keys = list(result.view.note_keys) if result.view else None
    return ProblemLog(result.problems).sorted(), result.targets, keys, result.reviews


# Bodies whose verdict emphasis decides (or seems to). A check once left emphasis out but in
# headings; the last of these withdrew that: Python-Markdown's emphasis cuts the link's
# placeholder (the page shows "klzzwxh:0000", and links to no file).
EMPHASIS_READ = {
    "a link emphasis cuts": "\nSee *a**b*[the notes]({filename}missing.md).\n",
    "attributes on emphasis": '\nSome *very*{: onclick="steal()"} words.\n',
    "emphasis in attributes": "\nSome words {: *x*}\n",
    "in a table cell": "\n| a | b |\n|---|---|\n| *x* {: onclick=y} | [@beta] |\n",
    "an id from a heading's words": '\n## The _big_ one\n\n<p id="the-big-one">Raw.</p>\n',
    "an id given to emphasis": "\n## Heading\n\nSome *words*{#heading}.\n",
    "a page's own id given to emphasis": "\nSome *words*{: #source-alpha}.\n",
    "raw HTML's block inside emphasis": '\nSome *words <div id="x">in</div> here* and <b id="x">b</b>.\n',
    "a citation inside emphasis": "\nSome *words [@alpha] and [@nope]* here.\n",
    "an abbreviation in emphasis": "\nThe _HTML_ and *HTML* here.\n\n*[HTML]: Hyper Text\n",
    "unclosed": "\nSome *words and **more [@beta] _here.\n",
    "an image inside emphasis": "\nSee *![](map.png) here*.\n",
}


@pytest.mark.parametrize("text", EMPHASIS_READ.values(), ids=EMPHASIS_READ)
def test_a_check_reads_emphasis_as_the_build_does(text, content):
    assert outcome(text, content, pages=False) == outcome(text, content, pages=True)


def test_an_id_given_to_emphasis_is_reported_by_the_check(content):
    problems, *_ = outcome("\nSome *very*{: #source-alpha} words.\n", content, pages=False)
    assert [(problem.line, problem.message) for problem in problems] == [
        (42, 'HTML in the body: the id "source-alpha" is the page\'s own; choose another')
    ]


def test_a_site_that_does_not_allow_emphasis_has_it_reported_by_the_check(content):
    tags = [tag for tag in DEFAULT_HTML["TAGS"] if tag != "em"]
    text = "\nSome *very* words.\n"
    checked = outcome(text, content, pages=False, explainers={"HTML": {"TAGS": tags}})
    assert checked == outcome(text, content, pages=True, explainers={"HTML": {"TAGS": tags}})
    assert [problem.message for problem in checked[0]] == ["HTML in the body: <em> is not allowed"]


WORDS = st.sampled_from(
    ["word", "HTML", "x", "[@alpha]", "[@beta]", "[@nope]", "[a](https://a.example)", "`co*de`", "![](m.png)",
     "[f]({static}/f.txt)", "[g]({filename}/g.md)", "[^1]", "&#123;", "\\*", "\\{", "{: .c}", "{#id}",
     "{: #source-alpha}", "{: data-x=1}", "<b>", "</b>", '<span id="i">', "</span>", '<p id="the-x">',
     "![a](images/m.png)", "[r](files/r.pdf)", "[o](other.html)", "[h](#here)", "<https://auto.example>",
     "[q](https://x.example/?a=1&b=2)", "[f](f.txt)", "{#here}"]
)  # fmt: skip
MARKS = st.sampled_from(["*", "**", "***", "_", "__", "___", " *", "* ", "_ ", "", "", ""])


@st.composite
def emphatic_bodies(draw) -> str:
    """Paragraphs, headings, list items and table cells of words and marks of emphasis."""
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        parts = draw(
            st.lists(st.tuples(MARKS, WORDS, MARKS, st.sampled_from(["", " "])), min_size=1, max_size=8)
        )
        line = "".join("".join(part) for part in parts).rstrip()
        kind = draw(st.sampled_from(["", "## ", "- ", "| ", "> ", "Term\n:   "]))
        lines.append(f"| h | i |\n|---|---|\n| {line} | x |" if kind == "| " else kind + line)
    if draw(st.booleans()):
        lines.append("[^1]: A *note* [@gamma].\n\n*[HTML]: Hyper Text")
    return "\n" + "\n\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, derandomize=bool(os.environ.get("CI")))
@given(text=emphatic_bodies())
def test_a_check_of_any_emphasis_agrees_with_the_build(text, content):
    assert outcome(text, content, pages=False) == outcome(text, content, pages=True)


# --- The body's HTML: made only where a check reads it --------------------------------------


def html_of(text: str, content: Path, *, pages: bool) -> str:
    settings = from_pelican({})
    door = Door(str(content), "sources", (), settings.static_types, (), settings.max_file_bytes)
    builder = ExplainerBuilder(settings, {}, MARKDOWN, door=door, pages=pages)
    return builder.build(str(content / "x.md"), EXPLAINER + text).html


def test_a_check_makes_no_html_of_a_body_that_holds_nothing_it_reads(content):
    # Citations, links to other sites and to the page's notes, a heading's id, a footnote:
    # no file named, no id twice. The check's problems come from the tree.
    text = "\n## Findings\n\nSee [the site](https://a.example) and [@beta][^1].\n\n[^1]: A note.\n"
    assert html_of(text, content, pages=False) == ""
    assert '<h2 id="findings">Findings</h2>' in html_of(text, content, pages=True)


@pytest.mark.parametrize(
    "text",
    [
        "\nA map: ![the map](images/map.png).\n",  # a file named by a plain address
        "\nThe [report](files/report.pdf) and [the missing one](files/gone.pdf).\n",
        "\nThe [notes]({static}/f.txt), [these]({filename}/gone.md), [those]({static}../../x.txt).\n",
        "\nAn [address](https://a.example/?a=1&b=2 \"A 'title'\").\n",  # what the serializers escape
    ],
)
def test_a_check_confines_a_body_s_links_in_their_html_alone(text, content):
    # Only the links' and images' start tags are written, sanitized and confined.
    assert html_of(text, content, pages=False) == ""
    assert outcome(text, content, pages=False) == outcome(text, content, pages=True)


@pytest.mark.parametrize(
    "text",
    [
        '\nRaw <span id="x">HTML</span>.\n',  # raw HTML with a tag
        "\n## One {#same}\n\n## Two {#same}\n",  # an id given twice
        "\nThe HTML spec.\n\n*[HTML]: see href='{static}f.txt'\n",  # a value holding a link
        "\nSome words.\n{: src=x.png}\n",  # an address on another element
    ],
)
def test_a_check_makes_the_html_of_a_body_that_holds_what_it_reads(text, content):
    assert html_of(text, content, pages=False) != ""
    assert outcome(text, content, pages=False) == outcome(text, content, pages=True)
