"""A hostile contributor against "`make check` gives the same verdict as `make html`", after a
check's Markdown made emphasis only where a problem may read it (`document/verdict.py`): in
headings, and everywhere in a body with a `<`, or with a `{` in its text after the inline pass.
It found three bodies where that was not so, and a later one (`*a**b*[x](o.md)`: emphasis cuts
the link's placeholder in a build) withdrew the idea: a check makes emphasis everywhere again.
The bodies stay, against whatever a check's Markdown leaves out.

Each body here is read by a build's builder (`pages=True`) and a check's (`pages=False`), both
with a door (so intrasite links and repeated ids are checked as in a run): the problems, the
intrasite targets, the reviews and the view's notes must be the same."""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.extensions.toc import slugify_unicode
from pelican.settings import read_settings

from explainers.document.files import Door
from explainers.document.htmlpolicy import DEFAULT_HTML
from explainers.read import ExplainerBuilder
from explainers.settings import from_pelican
from sitebuild import EXPLAINER, ROOT, Site, both

MARKDOWN = read_settings(str(ROOT / "pelican.conf.py"))["MARKDOWN"]


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    root = tmp_path_factory.mktemp("content")
    (root / "images").mkdir()
    (root / "images" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "other.md").write_text("x", encoding="utf-8")
    return root


_BUILDERS: dict = {}


def builder(content, pages: bool, site: dict | None = None, markdown: dict | None = None) -> ExplainerBuilder:
    key = (str(content), pages, repr(site), repr(markdown))
    if key not in _BUILDERS:
        explainers = from_pelican(site or {})
        door = Door(
            str(content), "sources", ("images",), explainers.static_types, (), explainers.max_file_bytes
        )
        _BUILDERS[key] = ExplainerBuilder(explainers, {}, markdown or MARKDOWN, door=door, pages=pages)
    return _BUILDERS[key]


def verdict(content, body: str, *, pages: bool, site: dict | None = None, markdown: dict | None = None):
    """What a run reads of one explainer's outcome: its problems (as `PATH:LINE: severity:
    message`, with the code), the files its links reach, its reviews and its notes."""
    result = builder(content, pages, site, markdown).build(str(content / "x.md"), EXPLAINER + body)
    # As a run reports them: each once (`ProblemLog.sorted`; a build may find one twice).
    problems = sorted({f"{p.line}: {p.severity}: {p.message} [{p.code}]" for p in result.problems})
    targets = [(t.what, t.path, t.line) for t in result.targets]
    notes = getattr(result.view, "note_keys", None)
    return problems, targets, result.reviews, notes


def build_and_check(content, body: str, **kwargs):
    return verdict(content, body, pages=True, **kwargs), verdict(content, body, pages=False, **kwargs)


def heading_ids(content, body: str, *, pages: bool) -> list[str]:
    result = builder(content, pages).build(str(content / "x.md"), EXPLAINER + body)
    return re.findall(r'<h\d[^>]*\sid="([^"]*)"', result.html)


# --- Disagreement 1: an abbreviation's title is read by the intrasite links' pattern ----------
#
# `_HTML_` holds no word HTML until emphasis is made: in a build, `<em>HTML</em>` gets the
# `<abbr title=…>`; in a check (no `<`, no `{` in the text: the definition is no text) the
# word stays `_HTML_` and no abbr is made. The title is an attribute, and `intrasite.confine`
# reads every `href='{…}…'` inside a tag: a link there is checked (and is a target) in a
# build only.
ABBREVIATED = {
    # body: (the build's problems, targets), the check's were none before the fix
    "\nThe _HTML_ spec.\n\n*[HTML]: x href='{static}../../secret.txt'\n": (
        [
            (
                "44: error: {static}../../secret.txt: link to a file by a plain path inside the content "
                "folder (no '..', no %-escapes or entities) [link-outside]"
            )
        ],
        [],
    ),
    "\nThe _HTML_ spec.\n\n*[HTML]: x href='{filename}missing.md'\n": ([], ["missing.md"]),
    "\nThe **HTML** spec.\n\n*[HTML]: x src='{attach}../x.png'\n": (["link-outside"], []),
}


@pytest.mark.parametrize("body", ABBREVIATED)
def test_an_abbreviation_only_emphasis_reveals_is_read_in_a_check_as_in_the_build(content, body):
    built, checked = build_and_check(content, body)
    problems, targets = ABBREVIATED[body]
    assert [p for p in built[0] if any(want in p for want in problems)] == built[0]
    assert len(built[0]) == len(problems)
    assert [path.rsplit("/", 1)[-1] for _, path, _ in built[1]] == targets
    assert checked == built


def test_an_abbreviation_s_link_outside_fails_the_check_as_it_fails_the_build(site: Site):
    site.write("test.md", EXPLAINER + "\nThe _HTML_ spec.\n\n*[HTML]: x href='{static}../../secret.txt'\n")
    problems = both(site)
    assert len(problems) == 1
    assert "{static}../../secret.txt: link to a file by a plain path" in problems[0]


# --- Disagreement 2: a placeholder Python-Markdown leaves in a heading's words ---------------
#
# `#*_**;*[]()`: Python-Markdown's emphasis leaves an inline placeholder (`\x02klzzwxh:N\x03`)
# in the heading's text, and the table of contents makes its id of it. N counts the nodes the
# inline pass stashed before: the paragraph's `<em>` in a build, not in a check.
LEAK = "\n*a*\n\n## Source *_**;*[]()\n"


def test_a_placeholder_left_in_a_heading_has_the_build_s_number_in_a_check(content):
    # (A check makes no HTML of this body: nothing in it is read. Its verdict is the build's.)
    assert heading_ids(content, LEAK, pages=True) == ["section-source-_klzzwxh0004"]
    assert build_and_check(content, LEAK)[1] == build_and_check(content, LEAK)[0]


def test_a_heading_repeating_a_leaked_placeholder_s_id_fails_the_check_as_it_fails_the_build(content):
    # The first heading's id is reserved (`source-…`): the page's own wins, and it is renamed
    # `section-…`, which the second heading's words make too.
    body = LEAK + "\n## Section source _klzzwxh0004\n"
    built, checked = build_and_check(content, body)
    assert built[0] == [
        (
            '40: error: the id "section-source-_klzzwxh0004" is on two elements of the page: give each '
            "its own [duplicate-id]"
        )
    ]
    assert checked == built


# --- Held: what verdict.py says no check reads, tried by hand ---------------------------------
#
# Each body: the build's problems (a few words of each), which the check must give too.
HELD = {
    # `**HTML**` holds the word HTML either way (`*` is no word character): abbr in both.
    "\nThe **HTML** spec.\n\n*[HTML]: x src='{attach}../x.png'\n": ["link-outside"],
    # abbr runs before smart punctuation: `Don't` is matched as typed, in both.
    "\nDon't do it.\n\n*[Don't]: x href='{static}../../secret.txt'\n": ["link-outside"],
    "\nDon't do it.\n\n*[Don’t]: x href='{static}../../secret.txt'\n": [],
    # `[TOC]` in emphasis is replaced in a build only: the list of contents has no id.
    "\n## Intro\n\n*[TOC]*\n\n- _[TOC]_\n": [],
    # A reserved id a heading makes of its emphasised words: renamed in both.
    "\n## *Source* _alpha_\n\n## Section source alpha\n": ["duplicate-id"],
    # Emphasis on the words of a `{filename}` link: the address is no text.
    "\nSee [*the other*]({filename}other.md) and [_none_]({filename}none.md).\n": [],
    # An image's alt text is not made of emphasis: `![**](…)` has alt text in both.
    "\n![**](images/a.png) and ![_ _](images/a.png) and ![](images/a.png)\n": ["image-alt"],
    # Emphasis around a citation, a footnote and an unknown key.
    "\n*See [@alpha]* and _[@nobody]_ and **a[^n]**.\n\n[^n]: The *note* [@beta].\n": ["unknown-key"],
    # `attr_list` after emphasis: `{` in the text, converted again.
    '\n*word*{: onclick="x"} and _w_{#intro}\n\n## Intro\n': ["onclick"],  # (the heading: intro_1)
    # Setext and list headings with emphasis, repeating a raw element's id.
    '\nThe *big* one\n=============\n\n- ## A _b_\n\n<p id="the-big-one">r</p>\n': ["duplicate-id"],
    # Figures and embeds, their problems found in the first conversion and not again in the
    # second (an abbreviation, a `{`: converted again with emphasis everywhere).
    "\n![](images/a.png)\nCaption: The _HTML_ *big* one\nOops\n\n*[HTML]: x\n": ["alt text", "Caption:"],
    "\n![a](images/a.png)\nCaption: The _w_{#x} one\nCredit: a\nCredit: b\n": ["given twice"],
    "\nEmbed: https://evil.example/x\nCaption: _HTML_\n\n*[HTML]: t\n": ["not allowed"],
    # A heading's entity is a placeholder the table of contents puts back: the same id.
    '\n## Q &amp; *A*\n\n<p id="q-a">r</p>\n': ["duplicate-id"],
    # Entities are stashed like raw HTML, but make no element.
    "\n&#60;p id=&#34;x&#34;&#62; *and* &lt;b&gt; _x_\n\n## X\n": [],
}


@pytest.mark.parametrize("body", HELD)
def test_what_emphasis_leaves_is_read_alike(content, body):
    built, checked = build_and_check(content, body)
    assert checked == built
    for want, problem in zip(HELD[body], built[0], strict=True):
        assert want in problem


# --- Generated bodies: a writer's odd habits, and an attacker's --------------------------------

WORDS = [
    "word",
    "HTML",
    "x_y_z",
    "a",
    "Source",
    "alpha",
    "intro",
    "klzzwxh",
    "Don't",
    "pre--war",
    "1.",
    "_contents_",
]
INLINE = [
    "*", "_", "**", "__", "***", "___", "* ", " _", "\\*", "\\_", "`code`", "`*x*`", "``a`b``",
    "[@alpha]", "[@first-claim]", "[see @beta, p. 4]", "[@nobody]", "[@alpha", "[^1]", "[^n]",
    "[link](https://a.example)", "[*e*](#intro)", "[](https://a.example)", "[x]({filename}other.md)",
    "[x]({static}images/a.png)", "[x]({attach}../a.png)", "![alt](images/a.png)", "![](images/a.png)",
    "![*a*](images/a.png)", "&#123;", "&lt;", "&amp;", "&#60;", "'", '"', "--", "...", "  \n", "\n",
    "[", "]", "(", ")", "[]()", "[TOC]", ";", ":", "|", "#",
]  # fmt: skip
BRACES = ["{: #intro}", "{#intro}", "{.c}", '{: onclick="x"}', "{: #source-x}", "{", "}", "{static}"]
RAW = ['<span id="intro">r</span>', "<em>", "</em>", "<br>", '<p id="the-big-one">r</p>', "<b>x</b>"]
FIGURES = [
    "![a](images/a.png)\nCaption: ",
    "![](images/a.png)\nCredit: ",
    "Embed: https://www.youtube.com/x\nCaption: ",
]
PREFIX = [
    *FIGURES,
    "",
    "",
    "",
    "## ",
    "### ",
    "# ",
    "- ",
    "> ",
    "1. ",
    "> ## ",
    "- ## ",
    "Term\n:   ",
    "| a | b |\n|---|---|\n| ",
]
SUFFIX = [
    "", "", "", "\n===", "\n---", " {#intro}", " {: #claim-x}", " #", "\n\n[^1]: note *x* [@gamma]",
    "\n\n[^n]: note\n\n[^n]: again", "\n\n*[HTML]: Hyper _text_", "\n\n*[HTML]: x href='{static}../../s.txt'",
    "\n\n## Intro", "\n\n## Section source _klzzwxh0004", '\n\n<h2 markdown="1">The *big* one</h2>',
]  # fmt: skip


def bodies(inline: list[str]) -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(inline), st.sampled_from(WORDS))
    line = st.tuples(
        st.sampled_from(PREFIX), st.lists(piece, min_size=1, max_size=12), st.sampled_from(SUFFIX)
    ).map(lambda t: t[0] + "".join(t[1]) + t[2])
    return st.lists(line, min_size=1, max_size=5).map(lambda lines: "\n" + "\n\n".join(lines) + "\n")


# No `<`, and not a `{` in the suffixes' nor the pieces: the check's emphasis in headings alone.
LIGHT = bodies(INLINE)
ANY = bodies(INLINE + BRACES + RAW)
# In CI the same examples every run: a red build must be one anyone can reproduce.
CI = bool(os.environ.get("CI"))
GENERATED = settings(
    max_examples=400,
    deadline=None,
    derandomize=CI,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@GENERATED
@given(body=LIGHT)
def test_generated_bodies_without_raw_html_have_one_verdict(content, body):
    built, checked = build_and_check(content, body)
    assert checked == built


@GENERATED
@given(body=ANY)
def test_generated_bodies_have_one_verdict(content, body):
    built, checked = build_and_check(content, body)
    assert checked == built


# --- Sites of other settings: the allow-list, and the Markdown's extensions --------------------

EXTENSIONS = MARKDOWN["extension_configs"]


def _markdown(**more) -> dict:
    return {"extension_configs": {**EXTENSIONS, **more}, "output_format": "html5"}


_TAGS = DEFAULT_HTML["TAGS"]
SITES = {
    "no smart punctuation": (None, {"extension_configs": {"markdown.extensions.extra": {}}}),
    "line breaks (nl2br: a pattern after emphasis)": (None, _markdown(**{"markdown.extensions.nl2br": {}})),
    "legacy emphasis": (None, _markdown(**{"markdown.extensions.legacy_em": {}})),
    "a glossary": (
        None,
        _markdown(**{"markdown.extensions.abbr": {"glossary": {"HTML": "x href='{static}../../s.txt'"}}}),
    ),
    "wikilinks, admonitions, sane lists": (
        None,
        _markdown(
            **{
                "markdown.extensions.wikilinks": {},
                "markdown.extensions.admonition": {},
                "markdown.extensions.sane_lists": {},
            }
        ),
    ),
    "permalinks, unicode slugs": (
        None,
        _markdown(**{"markdown.extensions.toc": {"permalink": True, "slugify": slugify_unicode}}),
    ),
    "no abbr allowed": ({"EXPLAINERS": {"HTML": {"TAGS": [t for t in _TAGS if t != "abbr"]}}}, None),
    "no em allowed": ({"EXPLAINERS": {"HTML": {"TAGS": [t for t in _TAGS if t != "em"]}}}, None),
    "no title allowed": (
        {"EXPLAINERS": {"HTML": {"ATTRIBUTES": {**DEFAULT_HTML["ATTRIBUTES"], "*": ["id", "class"]}}}},
        None,
    ),
    "ids allowed nowhere": (
        {"EXPLAINERS": {"HTML": {"ATTRIBUTES": {**DEFAULT_HTML["ATTRIBUTES"], "*": ["class", "title"]}}}},
        None,
    ),
}


@pytest.mark.parametrize("name", SITES)
def test_an_abbreviation_only_emphasis_reveals_on_sites_of_other_settings(content, name):
    site, markdown = SITES[name]
    body = "\nThe _HTML_ spec, _x_.\n\n*[HTML]: x href='{static}../../secret.txt'\n\n## The *big* one\n"
    built, checked = build_and_check(content, body, site=site, markdown=markdown)
    assert checked == built


@settings(
    max_examples=400,
    deadline=None,
    derandomize=CI,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(name=st.sampled_from(sorted(SITES)), body=ANY)
def test_generated_bodies_have_one_verdict_on_sites_of_other_settings(content, name, body):
    site, markdown = SITES[name]
    built, checked = build_and_check(content, body, site=site, markdown=markdown)
    assert checked == built


# --- Disagreement 3: a table of contents' marker that emphasis makes into other words ---------
#
# A site's `toc` marker `_contents_`: in a build the paragraph `_contents_` is `<em>contents</em>`
# (no marker: no list of contents); in a check, with emphasis in headings alone, it stays the
# marker and is replaced by `<div class="toc">`, which this site's allow-list does not take.
MARKED = _markdown(**{"markdown.extensions.toc": {"marker": "_contents_"}})
NO_DIV = {"EXPLAINERS": {"HTML": {"TAGS": [t for t in _TAGS if t != "div"]}}}


def test_a_marker_emphasis_changes_makes_no_list_of_contents_in_a_check_either(content):
    body = "\n## Intro\n\n_contents_\n"
    built, checked = build_and_check(content, body, site=NO_DIV, markdown=MARKED)
    assert built[0] == []
    assert checked == built  # was: ["40: error: HTML in the body: <div> is not allowed [unsafe-html]"]


@settings(max_examples=200, deadline=None, derandomize=CI, suppress_health_check=[HealthCheck.too_slow])
@given(body=ANY)
def test_generated_bodies_have_one_verdict_with_a_marker_emphasis_changes(content, body):
    built, checked = build_and_check(content, body, site=NO_DIV, markdown=MARKED)
    assert checked == built
