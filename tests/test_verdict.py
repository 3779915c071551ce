"""A check converts a body without what no problem depends on (`document/verdict.py`):
smart punctuation outside headings, and the line breaks between blocks. Its verdict is the
build's (tests/test_check_agrees_with_build.py tries many more files)."""

from __future__ import annotations

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from pelican.settings import read_settings

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
