"""A hostile contributor against "`make check` gives the same verdict as `make html`",
after a check's Markdown left out smart punctuation outside headings and the line breaks
between blocks (`document/verdict.py`), and after the heads of translations and drafts
were read in other places (`run.py`, `pool.py`)."""

from __future__ import annotations

import pytest

from sitebuild import EXPLAINER, Site, both
from test_verdict import body_html

# --- Prettifying: the line break after a `<br>`, and in a heading, is read ------------

# What looks like `attr_list`'s attributes where the build's line breaks keep it text: on
# the line after a hard line break (two spaces), and ending a definition's first line
# before a block. Each: the build's HTML, and what the check's holds.
ATTRIBUTES_AS_TEXT = {
    'First line  \n{: onclick="steal()"}rest of it.\n': (
        "\n<p>First line<br>\n{: onclick=”steal()”}rest of it.</p>",
        '<br>\n{: onclick="steal()"}rest',  # not <br onclick="steal()">
    ),
    'Term\n:   def\n    {: onclick="steal()"}\n\n        code\n': (
        "\n<dl>\n<dt>Term</dt>\n<dd>def\n{: onclick=”steal()”}<pre><code>code\n</code></pre>\n</dd>\n</dl>",
        '<dd>def\n{: onclick="steal()"}<pre>',  # not <dd onclick="steal()">
    ),
}


@pytest.mark.parametrize("body", ATTRIBUTES_AS_TEXT)
def test_what_looks_like_attributes_before_a_line_break_is_text_in_a_check_as_in_the_build(site: Site, body):
    built, checked = ATTRIBUTES_AS_TEXT[body]
    assert body_html("\n" + body, pages=True) == built
    assert checked in body_html("\n" + body, pages=False)
    site.write("test.md", EXPLAINER + "\n" + body)
    assert both(site) == []


# A heading with a `<br>`, or paragraphs (`markdown="block"`): the line break between its
# parts is a hyphen in its id, which a raw element's id repeats.
BROKEN_HEADINGS = {
    '<h2 markdown="1">Pre  \n--war</h2>\n': '<h2 id="pre-war">Pre<br>\n–war</h2>',
    '<h2 markdown="block">\nPre\n\n--war\n</h2>\n': '<h2 id="pre-war">\n<p>Pre</p>\n<p>–war</p>\n</h2>',
}


@pytest.mark.parametrize("heading", BROKEN_HEADINGS)
def test_a_heading_in_parts_has_the_build_s_id_in_a_check(site: Site, heading: str):
    assert body_html("\n" + heading, pages=True) == "\n" + BROKEN_HEADINGS[heading]
    assert 'id="pre-war"' in body_html("\n" + heading, pages=False)  # not "prewar"
    text = EXPLAINER + "\n" + heading + '\n<p id="pre-war">Raw.</p>\n'
    site.write("test.md", text)
    line = text.count("\n")  # the raw paragraph's
    message = (
        'the id "pre-war" is on another element of the page too (a heading, or an id given in '
        "Markdown): give each its own"
    )
    assert both(site) == [f"content/test.md:{line}: error: {message}"]


# --- Smart punctuation: the body's ids are read from its tags, not from its text ------


@pytest.mark.parametrize(
    "sentence",
    [
        'Write id="background" in the tag.',  # smart quotes in a build; as typed in a check
        'Write `<h2 id="background">` in the tag.',  # as typed in both: a code span
    ],
)
def test_an_id_written_in_a_sentence_repeats_no_heading_s(site: Site, sentence: str):
    site.write("test.md", EXPLAINER + f"\n## Background\n\n{sentence}\n")
    assert both(site) == []
    assert [h2["id"] for h2 in site.page("a-test-explainer.html").select("article h2#background")] == [
        "background"
    ]


# --- Translations and drafts: the heads read in worker processes, and from the cache ----

FRENCH = EXPLAINER.replace("summary:", "lang: fr\ntranslation: true\nsummary:")
DRAFT = EXPLAINER.replace("summary:", "status: draft\nsummary:")
HELD = (
    "content/test-fr.md:5: note: held back as a draft: its original content/test.md is a draft, "
    "and a translation is published with its original, never before it"
)
UNREADABLE = (
    'content/test-fr.md:2: note: no page with the slug "a-test-explainer" is unmarked, but the front '
    "matter of content/test.md cannot be read: if it is the original, fix it first"
)
# The original in turn: published, a draft (its YAML spelling the word in an escape), a
# draft with an error, its front matter broken, published again; one cache throughout.
STATES = [
    (EXPLAINER, []),
    (DRAFT.replace("status: draft", 'status: "dr\\x61ft"'), [HELD]),
    (DRAFT.replace("status: confirmed", "status: bogus"), [HELD]),
    (EXPLAINER.replace("title: A test", "title: [A test"), [UNREADABLE]),
    (EXPLAINER, []),
]


def test_a_translation_s_original_changing_under_one_cache_gets_the_build_s_verdict(site: Site):
    extra = ("-e", 'EXPLAINERS={"WORKERS": 2}')  # the heads read beside the outcomes
    site.write("test-fr.md", FRENCH)
    site.write("second.md", EXPLAINER.replace("title: A test explainer", "title: Second"))
    for original, notes in STATES:
        site.write("test.md", original)
        check, build = site.check(*extra), site.build(*extra)
        assert (check.code, check.problems) == (build.code, build.problems)
        for run in (check, build):
            assert [line for line in run.stderr.splitlines() if ": note: " in line] == notes


# Pelican takes a page for a translation when its `translation` is anything but "false"
# (pelican/utils.py, `get_original_items`); the run held a translation of a draft back only
# when it read true, yes or 1. So a translation marked `on` (or, in a Pelican header,
# anything but false) was published on its own, its original embargoed, with no note. Now
# `translation` says true or false, and anything else is an error at its line.
@pytest.mark.parametrize(
    ("translation", "line"),
    [
        (FRENCH.replace("translation: true", "translation: on"), 5),
        ("Title: A test explainer\nDate: 2025-01-14\nLang: fr\nTranslation: on\n\nTraduction.\n", 4),
    ],
)
def test_a_translation_marked_in_another_spelling_is_an_error(site: Site, translation: str, line: int):
    site.write("test.md", DRAFT)
    site.write("test-fr.md", translation)
    message = "translation: write true (this file translates the page with the same slug) or false; got 'on'"
    assert both(site, "-e", 'DRAFT_SAVE_AS=""', 'DRAFT_LANG_SAVE_AS=""') == [
        f"content/test-fr.md:{line}: error: {message}"
    ]
    assert not (site.output / "a-test-explainer-fr.html").exists()
