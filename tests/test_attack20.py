"""A hostile contributor against "`make check` gives the same verdict as `make html`", after a
check's Markdown made emphasis only where a problem may read it (`document/verdict.py`): in
headings, and everywhere in a body with a `<`, or with a `{` in its text after the inline pass.

Each body here is read by a build's builder (`pages=True`) and a check's (`pages=False`), both
with a door (so intrasite links and repeated ids are checked as in a run): the problems, the
intrasite targets, the reviews and the view's notes must be the same."""

from __future__ import annotations

import re

import pytest
from pelican.settings import read_settings

from explainers.document.files import Door
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
    problems = [f"{p.line}: {p.severity}: {p.message} [{p.code}]" for p in result.problems]
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
    assert heading_ids(content, LEAK, pages=True) == ["section-source-_klzzwxh0004"]
    assert heading_ids(content, LEAK, pages=False) == heading_ids(content, LEAK, pages=True)


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
