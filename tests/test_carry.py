"""A rebuild links the previous output's unchanged files into the new output (plugin/carry.py):
the site it makes is the site a build from nothing makes, byte for byte; an edited
explainer's files are new; a file someone changed in the output is written again."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from sitebuild import EXPLAINER, ROOT, Site

SECOND = EXPLAINER.replace("title: A test explainer", "title: Another test explainer").replace(
    "Opening sentence", "Another opening sentence"
)
SERIAL = ("-e", "EXPLAINERS=" + json.dumps({"WORKERS": 1}))


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def inodes(folder: Path) -> dict[str, int]:
    return {str(path.relative_to(folder)): path.stat().st_ino for path in folder.rglob("*") if path.is_file()}


def differs_from_fresh(site: Site, root: Path, *extra: str) -> list[str]:
    """The files where `site`'s output differs from what a build from nothing (no cache, no
    previous output) makes of its content: extra, missing or other bytes."""
    fresh = Site(root)
    shutil.copytree(site.content, fresh.content)
    assert fresh.build(*extra).code == 0
    mine, theirs = tree(site.output), tree(fresh.output)
    return [name for name in sorted(set(mine) | set(theirs)) if mine.get(name) != theirs.get(name)]


def site_of_two(root: Path) -> Site:
    site = Site(root)
    site.write("first.md", EXPLAINER)
    site.write("second.md", SECOND)
    return site


def test_a_rebuild_links_what_did_not_change_and_makes_the_site_a_fresh_build_makes(tmp_path: Path):
    site = site_of_two(tmp_path / "site")
    assert site.build().code == 0
    before = inodes(site.output)
    site.write("first.md", EXPLAINER.replace("Opening sentence", "An edited opening sentence"))
    again = site.build()
    assert again.code == 0, again.stderr
    after = inodes(site.output)

    # The edited explainer's page is new; the other's page, card and data files are the
    # previous output's files, linked (the same inode, its time unchanged for a sync).
    assert "An edited opening sentence" in site.page("a-test-explainer.html").get_text()
    assert after["a-test-explainer.html"] != before["a-test-explainer.html"]
    carried = [
        "another-test-explainer.html",
        "another-test-explainer.card.png",
        "another-test-explainer.claims.json",
        "another-test-explainer.sources.csl.json",
    ]
    assert {name: after[name] for name in carried} == {name: before[name] for name in carried}

    # Byte for byte the site a build with no cache and no previous output makes.
    assert differs_from_fresh(site, tmp_path / "fresh") == []


def test_a_file_changed_in_the_output_is_written_again(tmp_path: Path):
    site = site_of_two(tmp_path / "site")
    assert site.build(*SERIAL).code == 0
    page = site.output / "another-test-explainer.html"
    built = page.read_bytes()
    # Someone edits the published copy in place (same inode), and replaces the card with a
    # link to a file outside the output.
    with open(page, "r+b") as handle:
        handle.write(b"<!-- defaced -->")
    card = site.output / "another-test-explainer.card.png"
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"not the card")
    card.unlink()
    card.symlink_to(outside)
    assert site.build(*SERIAL).code == 0
    assert page.read_bytes() == built
    assert not card.is_symlink()
    assert card.read_bytes().startswith(b"\x89PNG")
    assert outside.read_bytes() == b"not the card"


def test_without_a_manifest_nothing_is_linked(tmp_path: Path):
    # A cache from before (or removed): the previous output is not trusted, every file written.
    site = site_of_two(tmp_path / "site")
    assert site.build().code == 0
    before = inodes(site.output)
    for manifest in (tmp_path / "site" / "cache").rglob("outputs/*.json"):
        os.remove(manifest)
    assert site.build().code == 0
    after = inodes(site.output)
    # (The search index is linked from the cache's copy, as every build links it.)
    linked = [name for name in after if after[name] == before.get(name) and not name.startswith("pagefind/")]
    assert linked == []


def test_a_list_is_rendered_again_only_when_an_article_it_lists_changed(tmp_path: Path):
    site = Site(tmp_path / "site")
    site.write("first.md", EXPLAINER.replace("summary:", "tags: [alpha]\nsummary:"))
    site.write("second.md", SECOND.replace("summary:", "tags: [beta]\nsummary:"))
    assert site.build().code == 0
    before = inodes(site.output)
    # A new title for the first explainer: its tag's page and the site-wide lists show it.
    retitled = EXPLAINER.replace("title: A test explainer", "title: A retitled explainer")
    site.write("first.md", retitled.replace("summary:", "tags: [alpha]\nsummary:"))
    assert site.build().code == 0
    after = inodes(site.output)
    assert "A retitled explainer" in site.page("tag/alpha.html").get_text()
    assert "A retitled explainer" in site.page("index.html").get_text()
    changed = {name for name in after if after[name] != before.get(name)}
    assert {"tag/alpha.html", "index.html", "archives.html", "tags.html"} <= changed
    assert "tag/beta.html" not in changed  # it lists the second explainer alone: linked
    assert differs_from_fresh(site, tmp_path / "fresh") == []


def test_a_body_edit_renders_no_list_but_a_summary_edit_does(tmp_path: Path):
    # A list shows each explainer's title, summary, date and counts (macros/lists.html):
    # an edit to the body alone leaves every list as it was, linked.
    site = site_of_two(tmp_path / "site")
    assert site.build().code == 0
    before = inodes(site.output)
    site.write("first.md", EXPLAINER.replace("Opening sentence", "An edited opening sentence"))
    assert site.build().code == 0
    after = inodes(site.output)
    changed = {name for name in after if after[name] != before.get(name)}
    assert "a-test-explainer.html" in changed
    assert not changed & {"index.html", "archives.html", "tags.html", "categories.html", "authors.html"}
    # A new summary is shown on the lists: they are rendered again.
    site.write("first.md", EXPLAINER.replace("What the test is about.", "What the test is really about."))
    assert site.build().code == 0
    assert "What the test is really about." in site.page("index.html").get_text()
    assert inodes(site.output)["index.html"] != after["index.html"]
    assert differs_from_fresh(site, tmp_path / "fresh") == []


def test_a_feed_is_written_again_only_when_an_entry_it_shows_changed(tmp_path: Path):
    site = Site(tmp_path / "site")
    site.write("first.md", EXPLAINER)  # 2025-01-14
    site.write("second.md", SECOND.replace("date: 2025-01-14", "date: 2025-01-20"))
    one_entry = ("-e", "FEED_MAX_ITEMS=1")  # the feeds show the newer explainer alone
    assert site.build(*one_entry).code == 0
    feeds = ["feeds/all.atom.xml", "feeds/all-en.atom.xml"]
    before = inodes(site.output)
    site.write("first.md", EXPLAINER.replace("Opening sentence", "An edited opening sentence"))
    assert site.build(*one_entry).code == 0
    after = inodes(site.output)
    assert {name: after[name] for name in feeds} == {name: before[name] for name in feeds}
    newer = SECOND.replace("date: 2025-01-14", "date: 2025-01-20")
    site.write("second.md", newer.replace("Another", "A new"))
    assert site.build(*one_entry).code == 0
    again = inodes(site.output)
    assert [name for name in feeds if again[name] == after[name]] == []
    assert "A new opening sentence" in (site.output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert differs_from_fresh(site, tmp_path / "fresh", *one_entry) == []


def test_a_page_linking_to_another_file_shows_its_new_address(tmp_path: Path):
    # The link is written in by Pelican from the other file's address: the page's key
    # holds the site's addresses, so the page is not reused when the other file moves.
    site = Site(tmp_path / "site")
    linking = "Opening sentence [@alpha]. See [the other]({filename}second.md)."
    site.write("first.md", EXPLAINER.replace("Opening sentence [@alpha].", linking))
    site.write("second.md", SECOND)
    assert site.build().code == 0
    link = site.page("a-test-explainer.html").find("a", string="the other")
    assert link["href"].endswith("another-test-explainer.html")
    site.write("second.md", SECOND.replace("date: 2025-01-14", "slug: moved-elsewhere\ndate: 2025-01-14"))
    assert site.build().code == 0
    link = site.page("a-test-explainer.html").find("a", string="the other")
    assert link["href"].endswith("moved-elsewhere.html")
    assert differs_from_fresh(site, tmp_path / "fresh") == []


def test_the_claims_pages_are_rendered_again_only_when_claims_they_show_changed(tmp_path: Path):
    site = site_of_two(tmp_path / "site")
    assert site.build().code == 0
    pages = ["claims.html", "claims/confirmed.html", "claims/estimate.html", "claims/disputed.html"]
    before = inodes(site.output)
    # The body alone: no claim changed, every claims page is the previous output's.
    site.write("first.md", EXPLAINER.replace("Opening sentence", "An edited opening sentence"))
    assert site.build().code == 0
    after = inodes(site.output)
    assert [name for name in pages if after[name] != before[name]] == []
    # An estimate's words: the index and the estimates' page (every page shows the counts
    # by status, which are the same).
    site.write("first.md", EXPLAINER.replace("A claim the body never cites.", "A reworded claim."))
    assert site.build().code == 0
    again = inodes(site.output)
    changed = [name for name in pages if again[name] != after[name]]
    assert changed == ["claims.html", "claims/estimate.html"]
    assert "A reworded claim." in site.page("claims/estimate.html").get_text()
    assert differs_from_fresh(site, tmp_path / "fresh") == []


def test_a_published_site_links_nothing_from_the_previous_output(tmp_path: Path):
    # `make publish` rewrites the pages after writing them (the stylesheet's fingerprinted
    # name): a page kept from the last publish would point at the old stylesheet.
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    publish = ("--publish", "-e", "SITEURL=https://news.example", "-e", f'THEME="{theme}"')
    site = site_of_two(tmp_path / "site")
    assert site.build(*publish).code == 0
    before = inodes(site.output)
    css = theme / "static" / "css" / "main.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* a new rule */\n", encoding="utf-8")
    assert site.build(*publish).code == 0
    after = inodes(site.output)
    # (The search index is linked from the cache's copy, as every build links it.)
    linked = [name for name in after if after[name] == before.get(name) and not name.startswith("pagefind/")]
    assert linked == []
    sheet = site.page("another-test-explainer.html").find("link", rel="stylesheet")["href"]
    assert (site.output / sheet.removeprefix("https://news.example/")).is_file()
    assert "a new rule" in (site.output / sheet.removeprefix("https://news.example/")).read_text(
        encoding="utf-8"
    )
