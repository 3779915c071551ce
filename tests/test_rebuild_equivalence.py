"""A rebuild (a warm cache and the previous output) makes exactly the output folder a build
from nothing (no cache, no previous output) makes from the same content, settings and
theme: every file, byte for byte, none extra or missing. A file someone edits, replaces or
removes in the output never survives a build as such.

Each case builds a small site, edits it (its content, its settings, its output folder or its
cache), builds it again, and compares every file with a fresh build of the same content in
another folder. Written by someone who had not written the rebuild, against it; the cases
that failed at first (a source page's claims, a list's linked summary, the search index's
language and its files edited in place, an output file's time put back, the drafts page)
are the product's bugs, mended.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from sitebuild import EXPLAINER, ROOT, SHARED_SOURCE, Site


def png(red: int) -> bytes:
    """A real 1×1 PNG of one colour: two of them differ in their bytes, not their name."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixel = zlib.compress(bytes([0, red, 0, 0]))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixel) + chunk(b"IEND", b"")


# The site every case starts from: an explainer citing the shared library and linking to the
# second explainer and to an image; its French translation; a second explainer with tags and
# a category; a library source. Small, but every kind of file a build writes is there: pages,
# lists, feeds, cards, data files, source pages, static files, the search index.
FIRST = (
    EXPLAINER.replace(
        "date: 2025-01-14", "slug: a-test-explainer\ndate: 2025-01-14\ntags: [housing, budget]"
    ).replace("Opening sentence [@alpha].", "Opening sentence [@alpha]. The wire [@shared].")
    + "\nSee [the other one]({filename}second.md) and ![A chart]({static}/images/chart.png).\n\n"
    "The last paragraph.\n"
)
FRENCH = FIRST.replace("summary:", "lang: fr\ntranslation: true\nsummary:").replace(
    "title: A test explainer", "title: Un explainer de test"
)
SECOND = (
    EXPLAINER.replace("title: A test explainer", "title: Another test explainer")
    .replace("date: 2025-01-14", "date: 2025-02-01\ncategory: Politics\ntags: [budget]")
    .replace("Opening sentence [@alpha].", "Another opening [@alpha]. Also [@shared].")
    .replace("sources: [gamma]", "sources: [gamma, shared]")  # a claim resting on the library
)
THIRD = EXPLAINER.replace("title: A test explainer", "title: A third explainer").replace(
    "date: 2025-01-14", "date: 2025-03-01\ntags: [transport]"
)


def base_site(root: Path) -> Site:
    site = Site(root)
    site.write("first.md", FIRST)
    site.write("first-fr.md", FRENCH)
    site.write("second.md", SECOND)
    site.write("third.md", THIRD)
    site.write("sources/shared.yml", SHARED_SOURCE)
    (site.content / "images").mkdir(parents=True, exist_ok=True)
    (site.content / "images" / "chart.png").write_bytes(png(0))
    return site


def tree(folder: Path) -> dict[str, bytes | str]:
    """Every file and folder of `folder`: a file by its bytes, a symlink or folder by its kind."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            found[name] = "symlink"
        elif path.is_dir():
            found[name] = "folder"
        else:
            # pagefind-entry.json too, byte for byte: Pagefind writes its languages in an order
            # that changes from run to run, which the build puts in order (`search.sort_entry`).
            found[name] = path.read_bytes()
    return found


def differences(mine: Path, theirs: Path) -> list[str]:
    a, b = tree(mine), tree(theirs)
    return (
        [f"extra: {name}" for name in sorted(set(a) - set(b))]
        + [f"missing: {name}" for name in sorted(set(b) - set(a))]
        + [f"differs: {name}" for name in sorted(set(a) & set(b)) if a[name] != b[name]]
    )


def fresh_build(content: Path, root: Path, *extra: str) -> Path:
    """The same content built from nothing in another folder: its output."""
    fresh = Site(root)
    shutil.copytree(content, fresh.content)
    built = fresh.build(*extra)
    assert built.code == 0, built.stderr
    return fresh.output


def build(site: Site, *extra: str) -> None:
    built = site.build(*extra)
    assert built.code == 0, built.stderr


def edit(site: Site, name: str, old: str, new: str) -> None:
    path = site.content / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- Edits to the content that hold ------------------------------------------------------

CONTENT_EDITS: dict[str, Callable[[Site], None]] = {
    "body-first-paragraph": lambda s: edit(s, "first.md", "Opening sentence", "A new opening sentence"),
    "body-last-paragraph": lambda s: edit(s, "first.md", "The last paragraph.", "A new last paragraph."),
    "title": lambda s: edit(s, "second.md", "title: Another test explainer", "title: A retitled explainer"),
    "date": lambda s: edit(s, "second.md", "date: 2025-02-01", "date: 2024-12-01"),
    "slug": lambda s: edit(s, "second.md", "date: 2025-02-01", "slug: moved-explainer\ndate: 2025-02-01"),
    "tags": lambda s: edit(s, "second.md", "tags: [budget]", "tags: [budget, transport]"),
    "category": lambda s: edit(s, "second.md", "category: Politics", "category: Economy"),
    "authors": lambda s: edit(s, "second.md", "authors: [Test desk]", "authors: [Test desk, Night desk]"),
    "translation-lang": lambda s: edit(s, "first-fr.md", "lang: fr", "lang: de"),
    "claim-status": lambda s: edit(s, "first.md", "status: estimate", "status: disputed"),
    "claim-text": lambda s: edit(s, "second.md", "The first claim", "The first, reworded claim"),
    "citation-added": lambda s: edit(s, "second.md", "Again [see @alpha", "Again [@gamma] [see @alpha"),
    "citation-removed": lambda s: edit(s, "second.md", " Also [@shared].", ""),
    "correction-added": lambda s: edit(
        s,
        "second.md",
        "corrections:\n",
        "corrections:\n  - date: 2025-02-03\n    kind: correction\n"
        "    text: An earlier version gave the wrong year.\n",
    ),
    "library-title": lambda s: edit(s, "sources/shared.yml", "Shared report", "Shared report, revised"),
    "library-url": lambda s: edit(s, "sources/shared.yml", "shared.example/report", "shared.example/v2"),
    "file-added": lambda s: s.write(
        "fourth.md", SECOND.replace("title: Another test explainer", "title: A fourth explainer")
    ),
    "file-deleted": lambda s: (s.content / "third.md").unlink(),
    "file-renamed": lambda s: (s.content / "third.md").rename(s.content / "renamed.md"),
    "made-draft": lambda s: edit(s, "second.md", "date: 2025-02-01", "status: draft\ndate: 2025-02-01"),
    "original-made-draft": lambda s: edit(
        s, "first.md", "date: 2025-01-14", "status: draft\ndate: 2025-01-14"
    ),
    "made-hidden": lambda s: edit(s, "third.md", "date: 2025-03-01", "status: hidden\ndate: 2025-03-01"),
    "lead-image-added": lambda s: edit(
        s,
        "third.md",
        "date: 2025-03-01",
        "image:\n  file: images/chart.png\n  alt: A chart\ndate: 2025-03-01",
    ),
    "translation-added": lambda s: s.write(
        "second-fr.md", SECOND.replace("summary:", "lang: fr\ntranslation: true\nsummary:")
    ),
    "translation-removed": lambda s: (s.content / "first-fr.md").unlink(),
    "page-added": lambda s: s.write("pages/about.md", "Title: About\n\nWho we are.\n"),
    "plain-article-added": lambda s: s.write(
        "plain.md", "Title: Plain\nDate: 2025-01-02\nTags: budget\n\nPlain.\n"
    ),
    "image-replaced": lambda s: (s.content / "images" / "chart.png").write_bytes(png(255)),
    "link-target-moves": lambda s: edit(
        s, "second.md", "date: 2025-02-01", "slug: the-other-one\ndate: 2025-02-01"
    ),
}


@pytest.mark.parametrize("name", sorted(CONTENT_EDITS))
def test_a_rebuild_after_a_content_edit_is_a_build_from_nothing(tmp_path: Path, name: str):
    site = base_site(tmp_path / "site")
    build(site)
    CONTENT_EDITS[name](site)
    build(site)
    assert differences(site.output, fresh_build(site.content, tmp_path / "fresh")) == []


def test_a_draft_made_public_and_back_and_a_file_deleted_and_restored(tmp_path: Path):
    site = base_site(tmp_path / "site")
    build(site)
    steps = [
        lambda: edit(site, "third.md", "date: 2025-03-01", "status: draft\ndate: 2025-03-01"),
        lambda: site.write("third.md", THIRD),
        (site.content / "third.md").unlink,
        lambda: site.write("third.md", THIRD),
    ]
    for number, step in enumerate(steps):
        step()
        build(site)
        assert differences(site.output, fresh_build(site.content, tmp_path / f"fresh{number}")) == []


def test_a_page_and_its_lists_after_a_file_its_first_paragraph_links_to_moved(tmp_path: Path):
    site = Site(tmp_path / "site")
    # No summary field: the lists show the title alone (never the body's first words, with
    # their links); the page shows the link.
    site.write(
        "linking.md",
        EXPLAINER.replace("summary: What the test is about.\n", "")
        .replace("date: 2025-01-14", "date: 2025-01-14\ncategory: Politics")
        .replace("Opening sentence [@alpha].", "After [the other one]({filename}other.md) [@alpha]."),
    )
    site.write("other.md", EXPLAINER.replace("title: A test explainer", "title: The other one"))
    build(site)
    assert site.page("category/politics.html").find("a", string="the other one") is None
    assert (
        site.page("a-test-explainer.html").find("a", string="the other one")["href"] == "./the-other-one.html"
    )
    edit(site, "other.md", "date: 2025-01-14", "slug: moved\ndate: 2025-01-14")
    build(site)
    assert not (site.output / "the-other-one.html").exists()
    assert site.page("a-test-explainer.html").find("a", string="the other one")["href"] == "./moved.html"
    assert differences(site.output, fresh_build(site.content, tmp_path / "fresh")) == []


def test_the_drafts_page_names_a_renamed_drafts_new_file(tmp_path: Path):
    devserver = ("-e", "DEVSERVER=true")  # what `make devserver` sets
    site = Site(tmp_path / "site")
    site.write("old-name.md", EXPLAINER.replace("date: 2025-01-14", "status: draft\ndate: 2025-01-14"))
    build(site, *devserver)
    # <li><a href="./drafts/a-test-explainer.html">A test explainer</a> <span …>old-name.md</span></li>
    assert site.page("drafts.html").select_one(".drafts__file").get_text() == "old-name.md"
    (site.content / "old-name.md").rename(site.content / "new-name.md")
    build(site, *devserver)
    assert site.page("drafts.html").select_one(".drafts__file").get_text() == "new-name.md"
    # With nothing published, the feed has no entry, and Pelican dates it with the moment it
    # is written: no two builds write the same one.
    assert "<entry>" not in (site.output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    found = differences(site.output, fresh_build(site.content, tmp_path / "fresh", *devserver))
    assert [line for line in found if line != "differs: feeds/all.atom.xml"] == []


# A claim resting on a library source is listed, with its status and text, on the source's
# page (sources/KEY.html); the page's key names the claim by its key alone.
@pytest.mark.parametrize(
    ("old", "new", "shown"),
    [
        ("status: estimate", "status: disputed", "Disputed"),
        ("A claim the body never cites.", "A reworded claim.", "A reworded claim."),
    ],
)
def test_a_source_page_shows_the_new_status_and_text_of_a_claim_resting_on_it(
    tmp_path: Path, old: str, new: str, shown: str
):
    site = Site(tmp_path / "site")
    site.write("sources/shared.yml", SHARED_SOURCE)
    site.write("test.md", EXPLAINER.replace("sources: [gamma]", "sources: [gamma, shared]"))
    build(site)
    # <ul class="citing"><li><a …>A test explainer</a> (note 4)
    #   <ul><li><span …>Estimate</span> <a href="…#uncited-claim">A claim the body never cites.</a></li></ul>
    listed = site.page("sources/shared.html").select_one(".citing ul li").get_text(" ", strip=True)
    assert listed == "Estimate A claim the body never cites."
    edit(site, "test.md", old, new)
    build(site)
    listed = site.page("sources/shared.html").select_one(".citing ul li").get_text(" ", strip=True)
    assert shown in listed
    assert differences(site.output, fresh_build(site.content, tmp_path / "fresh")) == []


def test_a_rebuild_after_failed_builds_and_checks_is_a_build_from_nothing(tmp_path: Path):
    site = base_site(tmp_path / "site")
    build(site)
    # A cited library source removed, with another edit: the build fails, the output stays.
    (site.content / "sources" / "shared.yml").unlink()
    edit(site, "third.md", "Opening sentence", "A new opening")
    assert site.build().code == 1
    assert site.check().code == 1
    site.write("sources/shared.yml", SHARED_SOURCE)
    assert site.check().code == 0
    build(site)
    assert differences(site.output, fresh_build(site.content, tmp_path / "fresh")) == []
    edit(site, "first.md", "status: estimate", "status: bogus")
    assert site.build().code == 1
    edit(site, "first.md", "status: bogus", "status: estimate")
    build(site)
    assert differences(site.output, fresh_build(site.content, tmp_path / "fresh-again")) == []


# --- Settings ----------------------------------------------------------------------------

SETTINGS = {
    "feed-max-items": ("-e", "FEED_MAX_ITEMS=1"),
    "pagination": ("-e", "DEFAULT_PAGINATION=1"),
    "siteurl": ("-e", 'SITEURL="https://news.example.org"'),
    "absolute-urls": ("-e", "RELATIVE_URLS=false"),
    "one-worker": ("-e", "EXPLAINERS=" + json.dumps({"WORKERS": 1})),
    "sitename": ("-e", 'SITENAME="Another desk"'),
    "timezone": ("-e", 'TIMEZONE="Asia/Tokyo"'),
    "date-format": ("-e", 'DEFAULT_DATE_FORMAT="%Y-%m-%d"'),
    "article-address": ("-e", 'ARTICLE_URL="posts/{slug}.html"', "-e", 'ARTICLE_SAVE_AS="posts/{slug}.html"'),
    "devserver": ("-e", "DEVSERVER=true"),
    "no-cache": ("-e", "EXPLAINERS=" + json.dumps({"CACHE": False})),
    "stock-theme": (
        "-e",
        'THEME="notmyidea"',
        "-e",
        "DIRECT_TEMPLATES=" + json.dumps(["index", "tags", "categories", "authors", "archives"]),
    ),
    "search-off": ("-e", "EXPLAINERS=" + json.dumps({"SEARCH": False})),
    "search-parts": ("-e", "EXPLAINERS=" + json.dumps({"SEARCH_PART_SIZE": 1})),
}


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_a_rebuild_with_changed_settings_is_a_build_from_nothing_and_back(tmp_path: Path, name: str):
    site = base_site(tmp_path / "site")
    build(site)
    build(site, *SETTINGS[name])
    assert differences(site.output, fresh_build(site.content, tmp_path / "fresh", *SETTINGS[name])) == []
    build(site)  # and back to the settings of the first build
    assert differences(site.output, fresh_build(site.content, tmp_path / "fresh-again")) == []


def test_a_rebuild_after_the_default_language_changes_indexes_search_in_the_new_one(tmp_path: Path):
    site = Site(tmp_path / "site")
    site.write("test.md", EXPLAINER)  # no lang: the site's DEFAULT_LANG ("en" in pelican.conf.py)
    build(site)
    assert (site.output / "pagefind" / "0" / "wasm.en.pagefind").is_file()
    german = ("-e", 'DEFAULT_LANG="de"')
    build(site, *german)
    # <html lang="de">: the page is German, and so must its search index be.
    assert site.page("a-test-explainer.html").html["lang"] == "de"
    assert (site.output / "pagefind" / "0" / "wasm.de.pagefind").is_file()
    assert differences(site.output, fresh_build(site.content, tmp_path / "fresh", *german)) == []


# --- The output folder and the cache, changed between builds ------------------------------


def edited_in_place(output: Path, name: str) -> None:
    # Opened for appending: the same file (inode), as an editor that saves in place does.
    with open(output / name, "a", encoding="utf-8") as handle:
        handle.write("<!-- edited by hand -->")


def replaced_by_symlink(output: Path, name: str) -> None:
    target = output / name
    target.unlink()
    target.symlink_to(output / "index.html")


OUTPUT_EDITS: dict[str, Callable[[Path], None]] = {
    "page-edited-in-place": lambda o: edited_in_place(o, "another-test-explainer.html"),
    "page-replaced": lambda o: (o / "another-test-explainer.html").write_text("replaced"),
    "page-symlink": lambda o: replaced_by_symlink(o, "another-test-explainer.html"),
    "page-deleted": lambda o: (o / "another-test-explainer.html").unlink(),
    "card-deleted": lambda o: (o / "another-test-explainer.card.png").unlink(),
    "data-edited-in-place": lambda o: edited_in_place(o, "another-test-explainer.claims.json"),
    "feed-edited-in-place": lambda o: edited_in_place(o, "feeds/all.atom.xml"),
    "list-edited-in-place": lambda o: edited_in_place(o, "index.html"),
    "image-edited-in-place": lambda o: edited_in_place(o, "images/chart.png"),
    "search-part-deleted": lambda o: shutil.rmtree(o / "pagefind" / "0"),
    "extra-file": lambda o: (o / "stray.html").write_text("left by hand"),
    "output-removed": shutil.rmtree,
}


@pytest.mark.parametrize("name", sorted(OUTPUT_EDITS))
def test_a_file_changed_in_the_output_does_not_survive_a_rebuild(tmp_path: Path, name: str):
    site = base_site(tmp_path / "site")
    build(site)
    OUTPUT_EDITS[name](site.output)
    build(site)
    assert differences(site.output, fresh_build(site.content, tmp_path / "fresh")) == []


def test_a_page_edited_in_place_with_its_time_put_back_does_not_survive_a_rebuild(tmp_path: Path):
    site = base_site(tmp_path / "site")
    build(site)
    page = site.output / "another-test-explainer.html"
    before = page.stat()
    text = page.read_bytes()
    assert b"Another opening" in text
    with open(page, "r+b") as handle:  # the same inode, the same size
        handle.write(text.replace(b"Another opening", b"Edited opening!"))
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    build(site)
    assert b"Edited opening!" not in page.read_bytes()


def search_file(output: Path) -> Path:
    return output / "pagefind" / "0" / "pagefind-ui.css"


def test_a_search_file_edited_in_place_does_not_survive_a_rebuild(tmp_path: Path):
    site = base_site(tmp_path / "site")
    build(site)
    edited_in_place(site.output, "pagefind/0/pagefind-ui.css")
    build(site)
    assert b"edited by hand" not in search_file(site.output).read_bytes()


# --- The theme, the cache and a second output ----------------------------------------------

THEME_EDITS: dict[str, tuple[str, str, str]] = {
    # file in the theme, text there, its replacement
    "base-template": ("templates/base.html", "How we rate claims", "How we rate each claim"),
    "macro": ("templates/macros/translations.html", "{#", "{# edited #}{#"),
    "stylesheet": ("static/css/main.css", ":root", "/* edited */\n:root"),
    "strings": ("translations/fr/LC_MESSAGES/messages.po", 'msgstr "Sources"', 'msgstr "Les sources"'),
}


@pytest.mark.parametrize("name", sorted(THEME_EDITS))
def test_a_rebuild_after_a_theme_edit_is_a_build_from_nothing(tmp_path: Path, name: str):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    uses = ("-e", f'THEME="{theme}"')
    site = base_site(tmp_path / "site")
    build(site, *uses)
    path, old, new = THEME_EDITS[name]
    text = (theme / path).read_text(encoding="utf-8")
    assert old in text
    (theme / path).write_text(text.replace(old, new, 1), encoding="utf-8")
    build(site, *uses)
    assert differences(site.output, fresh_build(site.content, tmp_path / "fresh", *uses)) == []


def remove(folder: Path, pattern: str) -> None:
    found = list(folder.rglob(pattern))
    assert found, pattern
    for path in found:
        shutil.rmtree(path) if path.is_dir() else path.unlink()


CACHE_EDITS: dict[str, str] = {
    # what is removed from the cache between an edit and the rebuild (pages, cards, data files
    # and feeds are kept nowhere but in the output: the manifests say which may be linked)
    "outcomes": "*.build",  # a site of a few files: read behind the run, a file each (`pool.py`)
    "manifests": "outputs",
    "search": "search",
    "search-indexes": "indexes",
    "search-records": "records",
    "search-stamps": "*.stamps.json",
    "whole": "explainers",
}


@pytest.mark.parametrize("name", sorted(CACHE_EDITS))
def test_a_rebuild_with_part_of_the_cache_removed_is_a_build_from_nothing(tmp_path: Path, name: str):
    site = base_site(tmp_path / "site")
    build(site)
    edit(site, "second.md", "Another opening", "A new opening")
    remove(site.root / "cache", CACHE_EDITS[name])
    build(site)
    assert differences(site.output, fresh_build(site.content, tmp_path / "fresh")) == []


def test_two_output_folders_sharing_one_cache_are_each_a_build_from_nothing(tmp_path: Path):
    site = base_site(tmp_path / "site")
    other = ("-o", str(tmp_path / "other"))
    absolute = ("-e", 'SITEURL="https://news.example.org"', "-e", "RELATIVE_URLS=false")
    build(site)
    build(site, *other, *absolute)
    edit(site, "second.md", "Another opening", "A new opening")
    build(site)
    assert differences(site.output, fresh_build(site.content, tmp_path / "fresh")) == []
    build(site, *other, *absolute)
    expected = fresh_build(site.content, tmp_path / "fresh-absolute", *absolute)
    assert differences(tmp_path / "other", expected) == []
    edit(site, "second.md", "A new opening", "Another opening")
    build(site, *other, *absolute)
    build(site)
    assert differences(site.output, fresh_build(site.content, tmp_path / "fresh-back")) == []
