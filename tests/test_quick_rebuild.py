"""An edit that shows on one explainer's own pages alone is rebuilt alone
(plugins/explainers/plugin/quick.py); any other edit is built whole.

Each case builds a site, edits it, builds again and asserts two things: which way the build
went (its last line says when it rebuilt one explainer alone), and that its output folder is,
file for file and byte for byte, what a build from nothing makes of the same content
(`differences`, from the rebuild's own equivalence tests): the page, its data files, its
feed entries and the search index part holding it made again; every other file the last
build's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from explainers.plugin import record
from sitebuild import EXPLAINER, SHARED_SOURCE, Site
from test_rebuild_equivalence import differences, edit, fresh_build

# The two newest explainers are in the feeds, the two older ones not.
FEEDS = ("-e", "FEED_MAX_ITEMS=2")
CORRECTION = "  - date: 2024-11-03\n    kind: correction\n    text: A wrong year.\n"
BODY = "\nA second paragraph, cited again [@alpha].\n\n## A section\n\nThe last paragraph.\n"


def explainer(title: str, date: str, extra: str = "") -> str:
    text = EXPLAINER.replace("title: A test explainer", f"title: {title}").replace(
        "date: 2025-01-14", f"date: {date}{extra}"
    )
    return text.replace("Again [see @alpha", "Also [@shared]. Again [see @alpha") + BODY


def quick_site(root: Path) -> Site:
    site = Site(root)
    site.write("old.md", explainer("An old explainer", "2024-06-01", "\ntags: [housing]"))
    site.write("older.md", explainer("An older explainer", "2024-03-01", "\ncategory: Politics"))
    site.write("new.md", explainer("A new explainer", "2024-11-01", "\ntags: [housing, budget]"))
    site.write("newest.md", explainer("The newest explainer", "2024-12-01"))
    site.write("sources/shared.yml", SHARED_SOURCE)
    site.write("sources/other.yml", SHARED_SOURCE.replace("shared", "other"))
    edit(site, "older.md", "The last paragraph.", "The last paragraph [@other].")
    site.write("pages/about.md", "Title: About\n\nWho we are.\n")
    return site


def build(site: Site, *extra: str) -> str:
    """Build the site; the build's last line."""
    built = site.build(*FEEDS, *extra)
    assert built.code == 0, built.stderr
    return built.stderr.strip().splitlines()[-1]


def alone(line: str, name: str) -> bool:
    """Whether the build's last line says it rebuilt `name` (in the content folder) alone."""
    return f"only content/{name} changed" in line


def same_as_fresh(site: Site, root: Path, *extra: str) -> list[str]:
    return differences(site.output, fresh_build(site.content, root, *FEEDS, *extra))


# --- One edit: how it is built ---------------------------------------------------------------

# case: (file, text, its replacement, how the site is built). "alone": the edit shows on the
# explainer's own pages only; "whole": it shows elsewhere too.
EDITS = {
    "a sentence added, outside the feeds": ("old.md", "last paragraph.", "last paragraph. More.", "alone"),
    "a word changed, outside the feeds": ("older.md", "A second paragraph", "A further paragraph", "alone"),
    "a sentence added, in the feeds": ("newest.md", "last paragraph.", "last paragraph. More.", "alone"),
    "a section renamed, in the feeds": ("new.md", "## A section", "## Another section", "alone"),
    "a source cited once more": ("old.md", "The last paragraph.", "The last paragraph [@beta].", "alone"),
    "a source its claim rests on cited": ("old.md", "last paragraph.", "last paragraph [@gamma].", "alone"),
    "title": ("old.md", "title: An old explainer", "title: A renamed explainer", "whole"),
    "summary": ("old.md", "summary: What the test is about.", "summary: What now.", "whole"),
    "date": ("old.md", "date: 2024-06-01", "date: 2025-05-01", "whole"),
    "tags": ("old.md", "tags: [housing]", "tags: [housing, transport]", "whole"),
    "claim status": ("old.md", "status: estimate", "status: disputed", "whole"),
    "claim text": ("older.md", "The first claim", "The first, reworded claim", "whole"),
    "a library source cited first": ("old.md", "last paragraph.", "last paragraph [@other].", "whole"),
    "a citation removed": ("old.md", " Also [@shared].", "", "whole"),
    "a correction": ("new.md", "corrections:\n", "corrections:\n" + CORRECTION, "whole"),
    "made a draft": ("newest.md", "date: 2024-12-01", "status: draft\ndate: 2024-12-01", "whole"),
    "the library": ("sources/shared.yml", "Shared report", "Shared report, revised", "whole"),
    "the page": ("pages/about.md", "Who we are.", "Who we are, and why.", "whole"),
}


@pytest.mark.parametrize("case", sorted(EDITS))
def test_one_edit_is_built_alone_or_whole_as_a_build_from_nothing(tmp_path: Path, case: str):
    name, old, new, way = EDITS[case]
    site = quick_site(tmp_path / "site")
    build(site)
    edit(site, name, old, new)
    assert ("alone" if alone(build(site), name) else "whole") == way
    assert same_as_fresh(site, tmp_path / "fresh") == []


def test_two_files_edited_are_built_whole(tmp_path: Path):
    site = quick_site(tmp_path / "site")
    build(site)
    edit(site, "old.md", "The last paragraph.", "The last paragraph. One.")
    edit(site, "new.md", "The last paragraph.", "The last paragraph. Two.")
    assert "changed, and only" not in build(site)
    assert same_as_fresh(site, tmp_path / "fresh") == []


def test_edits_one_after_another_each_make_what_a_build_from_nothing_makes(tmp_path: Path):
    """Rebuilt alone again and again (each leaves the record the next one reads), the same
    explainer and others, and an edit taken back: a page a rebuild made is never taken for
    the one the last whole build wrote."""
    site = quick_site(tmp_path / "site")
    build(site)
    steps = [
        ("old.md", "The last paragraph.", "The last paragraph. One."),
        ("old.md", "The last paragraph. One.", "The last paragraph. Two."),
        ("newest.md", "A second paragraph", "A further paragraph"),
        ("old.md", "The last paragraph. Two.", "The last paragraph."),
    ]
    for number, (name, old, new) in enumerate(steps):
        edit(site, name, old, new)
        assert alone(build(site), name), number
        assert same_as_fresh(site, tmp_path / f"fresh{number}") == [], number
    edit(site, "older.md", "title: An older explainer", "title: Retitled")
    assert "changed, and only" not in build(site)
    assert same_as_fresh(site, tmp_path / "fresh-whole") == []


def test_an_output_touched_by_hand_is_built_whole(tmp_path: Path):
    site = quick_site(tmp_path / "site")
    build(site)
    (site.output / "about.html").write_text("edited by hand", encoding="utf-8")
    edit(site, "old.md", "The last paragraph.", "The last paragraph. More.")
    assert "changed, and only" not in build(site)
    assert same_as_fresh(site, tmp_path / "fresh") == []


def test_other_settings_or_templates_are_built_whole(tmp_path: Path):
    site = quick_site(tmp_path / "site")
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    setting = ("-e", f'THEME_TEMPLATES_OVERRIDES=["{overrides}"]')
    build(site, *setting)
    # The settings: another site name.
    edit(site, "old.md", "The last paragraph.", "The last paragraph. One.")
    assert "changed, and only" not in build(site, *setting, "-e", "SITENAME=Another")
    # A template added where the theme looks first.
    (overrides / "404.html").write_text('{% extends "base.html" %}', encoding="utf-8")
    edit(site, "old.md", "The last paragraph. One.", "The last paragraph. Two.")
    assert "changed, and only" not in build(site, *setting, "-e", "SITENAME=Another")
    edit(site, "old.md", "The last paragraph. Two.", "The last paragraph. Three.")
    assert alone(build(site, *setting, "-e", "SITENAME=Another"), "old.md")
    assert same_as_fresh(site, tmp_path / "fresh", *setting, "-e", "SITENAME=Another") == []


def test_another_day_is_built_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A date written without its day takes the build's; a review date warns from its day."""
    site = quick_site(tmp_path / "site")
    build(site)
    monkeypatch.setattr(record, "day", lambda settings: "another day")
    edit(site, "old.md", "The last paragraph.", "The last paragraph. More.")
    assert "changed, and only" not in build(site)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("translated.md", explainer("Translated", "2024-01-01", "\nslug: translated")),
        ("linking.md", explainer("Linking", "2024-01-02") + "\nSee [the old one]({filename}old.md).\n"),
    ],
)
def test_an_explainer_that_other_files_show_or_that_shows_them_is_built_whole(
    tmp_path: Path, name: str, text: str
):
    site = quick_site(tmp_path / "site")
    site.write(name, text)
    if name == "translated.md":
        french = text.replace("slug: translated", "slug: translated\nlang: fr\ntranslation: true")
        site.write("translated-fr.md", french)
    build(site)
    edit(site, name, "The last paragraph.", "The last paragraph. More.")
    assert "changed, and only" not in build(site)
    assert same_as_fresh(site, tmp_path / "fresh") == []


def test_a_file_with_a_problem_fails_and_once_mended_is_rebuilt_alone(tmp_path: Path):
    site = quick_site(tmp_path / "site")
    build(site)
    before = {path: path.read_bytes() for path in site.output.rglob("*") if path.is_file()}
    edit(site, "old.md", "The last paragraph.", "The last paragraph [@nowhere].")
    failed = site.build(*FEEDS)
    assert failed.code == 1
    assert any("nowhere" in line for line in failed.problems)
    assert {path: path.read_bytes() for path in site.output.rglob("*") if path.is_file()} == before
    edit(site, "old.md", "The last paragraph [@nowhere].", "The last paragraph, mended.")
    assert alone(build(site), "old.md")
    assert same_as_fresh(site, tmp_path / "fresh") == []
    # And the check agrees with it, from the cache the rebuild left.
    checked = site.check(*FEEDS)
    assert checked.code == 0, checked.stderr


def reported(stderr: str) -> list[str]:
    """The lines a build printed but its last (which says how long it took)."""
    return stderr.strip().splitlines()[:-1]


def test_a_site_with_warnings_is_rebuilt_alone_and_says_them_again(tmp_path: Path):
    """Warnings stop no build: a site with some left (here an explainer's correction dated
    before it, the edited one's among them) is rebuilt alone, and reports what the whole
    build would."""
    site = quick_site(tmp_path / "site")
    for name in ("old.md", "older.md"):
        edit(site, name, "corrections:\n  - date: 2025-01-15", "corrections:\n  - date: 2024-01-15")
    first = site.build(*FEEDS)
    assert first.code == 0
    assert len(first.problems) == 2
    edit(site, "old.md", "The last paragraph.", "The last paragraph. More.")
    again = site.build(*FEEDS)
    assert alone(again.stderr, "old.md")
    whole = Site(tmp_path / "whole")
    whole.content.parent.mkdir(parents=True)
    shutil.copytree(site.content, whole.content)
    fresh = whole.build(*FEEDS)
    assert reported(again.stderr) == reported(fresh.stderr) == first.problems
    assert fresh.stderr.strip().splitlines()[-1].split("; ")[1] in again.stderr
    assert differences(site.output, whole.output) == []
    # Strict, the same warnings fail the build, which leaves the output as it was.
    edit(site, "old.md", "The last paragraph. More.", "The last paragraph. Again.")
    strict = site.build(*FEEDS, "--strict")
    assert strict.code == 1
    assert "changed, and only" not in strict.stderr
