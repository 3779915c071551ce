"""A rebuild links the previous output's unchanged files into the new output (plugin/carry.py):
the site it makes is the site a build from nothing makes, byte for byte; an edited
explainer's files are new; a file someone changed in the output is written again."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from sitebuild import EXPLAINER, Site

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
    fresh = Site(tmp_path / "fresh")
    shutil.copytree(site.content, fresh.content)
    assert fresh.build().code == 0
    mine, theirs = tree(site.output), tree(fresh.output)
    assert sorted(mine) == sorted(theirs)
    assert [name for name in mine if mine[name] != theirs[name]] == []


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
    fresh = Site(tmp_path / "fresh")
    shutil.copytree(site.content, fresh.content)
    assert fresh.build().code == 0
    mine, theirs = tree(site.output), tree(fresh.output)
    assert sorted(mine) == sorted(theirs)
    assert [name for name in mine if mine[name] != theirs[name]] == []
