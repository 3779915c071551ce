"""The dev server's instant preview (plugins/explainers/tools/preview.py), called as the dev
server calls it: the saved explainer built alone, in a folder of its own beside the sources
library and the pictures and files it names, its files put in the served folder; in the
content folder itself when it links another explainer, or names a file that is not there."""

from __future__ import annotations

import functools
import os
import shutil
import tempfile

from explainers.document import files as door_files
from explainers.tools import cli
from explainers.tools.preview import _NAMED, Preview, linked_files
from sitebuild import CONFFILE, EXPLAINER, SEED_CONTENT
from test_media import png

SEED = "north-korean-soldiers-kursk"


def preview(site) -> Preview:
    args = cli.parse_arguments(["build", str(site.content), "-s", str(CONFFILE)])
    load = functools.partial(cli.load_settings, args, DEVSERVER=True)
    return Preview(str(site.content), load, str(site.output))


def files(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_an_explainer_built_in_a_folder_of_its_own_is_built_as_in_the_content_folder(site, tmp_path):
    # The seed explainer cites the site-wide library (sources/pentagon.yml); another explainer
    # beside it is not needed to build it.
    shutil.copytree(SEED_CONTENT, site.content)
    site.write("other.md", EXPLAINER)
    saved = str(site.content / f"{SEED}.md")
    tool = preview(site)
    alone = tool.gather(saved, str(tmp_path / "alone"))
    assert sorted(files(tmp_path / "alone")) == [f"{SEED}.md", "sources/pentagon.yml"]
    assert tool.run(saved, alone, str(tmp_path / "from-alone"))
    assert tool.run(saved, str(site.content), str(tmp_path / "from-content"))
    built = files(tmp_path / "from-alone")
    assert built == files(tmp_path / "from-content")
    # Its own files, and not the site's pages, which it alone would get wrong.
    assert sorted(built) == [
        f"{SEED}.card.png",
        f"{SEED}.claims.json",
        f"{SEED}.html",
        f"{SEED}.sources.csl.json",
        "robots.txt",
        "sitemap.xml",
    ]


def test_the_preview_serves_the_explainers_own_files(site):
    shutil.copytree(SEED_CONTENT, site.content)
    served = preview(site).build(str(site.content / f"{SEED}.md"))
    assert served == [f"{SEED}.card.png", f"{SEED}.claims.json", f"{SEED}.html", f"{SEED}.sources.csl.json"]
    assert sorted(files(site.output)) == served


PICTURES = """
![A map](photos/map.png)

![A chart]({static}/photos/chart.png)

<img src="photos/raw.png" alt="A raw one">

[the data](files/data.csv) and [the data again][data]

[data]: files/data.csv
"""


def test_an_explainer_showing_pictures_of_the_site_is_built_alone_with_them(site, tmp_path):
    """Its pictures and downloads, named as the writers' guide names them (a plain path, a
    path from the root, `{static}`, raw HTML, a link definition, the lead image's `file:`),
    are gathered beside it: built alone, the very files the content folder's run makes."""
    lead = "title: A test explainer\nimage:\n  file: photos/lead.png\n  alt: A lead picture"
    site.write("x.md", EXPLAINER.replace("title: A test explainer", lead) + PICTURES)
    site.write("other.md", EXPLAINER.replace("title: A test explainer", "title: Another"))
    (site.content / "photos").mkdir()
    for name in ("map", "chart", "raw", "lead", "unused"):
        (site.content / "photos" / f"{name}.png").write_bytes(png())
    (site.content / "files").mkdir()
    (site.content / "files" / "data.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    saved = str(site.content / "x.md")
    tool = preview(site)
    alone = tool.gather(saved, str(tmp_path / "alone"))
    assert sorted(files(tmp_path / "alone")) == [
        "files/data.csv", "photos/chart.png", "photos/lead.png", "photos/map.png", "photos/raw.png", "x.md",
    ]  # fmt: skip
    assert tool.run(saved, alone, str(tmp_path / "from-alone"))
    assert tool.run(saved, str(site.content), str(tmp_path / "from-content"))
    assert files(tmp_path / "from-alone") == files(tmp_path / "from-content")
    assert "photos/map.png" in preview(site).build(saved)  # served with it
    assert '<img alt="A map" src="./photos/map.png"' in (site.output / "a-test-explainer.html").read_text()


def test_an_explainer_linking_another_is_built_in_the_content_folder(site, tmp_path):
    """The other explainer is the content folder's to read (a page of its own): not gathered."""
    site.write("other.md", EXPLAINER.replace("title: A test explainer", "title: Another\nslug: another"))
    for link in ("[the other]({filename}other.md)", "[the other](other.md)"):
        site.write("x.md", EXPLAINER + f"\nSee {link}.\n")
        assert preview(site).gather(str(site.content / "x.md"), str(tmp_path / "alone")) is None


def test_a_picture_that_is_not_there_leaves_the_file_to_the_content_folder(site, tmp_path):
    site.write("x.md", EXPLAINER + "\n![A map](photos/map.png)\n")
    saved = str(site.content / "x.md")
    tool = preview(site)
    alone = tool.gather(saved, str(tmp_path / "alone"))
    assert sorted(files(tmp_path / "alone")) == ["x.md"]
    assert not tool.run(saved, alone, str(tmp_path / "from-alone"))  # the run reports it
    assert tool.build(saved) == []  # nor from the content folder: the full build reports it


def test_a_picture_reached_through_a_link_out_of_the_content_folder_is_not_gathered(site, tmp_path):
    """Named by the file, read through the door, which refuses it: nothing is gathered, and
    nothing of what it reaches is written anywhere."""
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for the site")
    site.write("x.md", EXPLAINER + "\n![A map](photos/map.png)\n\n![Out](../secret.png)\n")
    (site.content / "photos").mkdir()
    (site.content / "photos" / "map.png").symlink_to(secret)
    assert preview(site).gather(str(site.content / "x.md"), str(tmp_path / "alone")) is None
    written = [
        p
        for p in tmp_path.rglob("*")
        if p.is_file() and not p.is_symlink() and p.read_bytes() == b"not for the site"
    ]
    assert written == [secret]


def test_a_file_reached_through_a_link_is_not_gathered(site, tmp_path):
    site.write("real.md", EXPLAINER)
    (site.content / "linked.md").symlink_to(site.content / "real.md")
    assert preview(site).gather(str(site.content / "linked.md"), str(tmp_path / "alone")) is None
    assert not (tmp_path / "alone").exists()


def test_the_warm_up_builds_a_file_alone_and_keeps_nothing(site, monkeypatch):
    # The dev server's first one-file run, made while the first full build runs: the first
    # Markdown document the site's door finds (a folder's files before its subfolders', in
    # name order), built in a scratch folder that is removed.
    shutil.copytree(SEED_CONTENT, site.content)
    site.write("a-first.md", EXPLAINER)
    (site.content / ".hidden").mkdir()
    (site.content / ".hidden" / "0.md").write_text(EXPLAINER, encoding="utf-8")
    before = files(site.content)
    tool = preview(site)
    assert tool.first_document() == str(site.content / "a-first.md")
    runs, scratch = [], []
    run, mkdtemp = tool.run, tempfile.mkdtemp

    def recorded_run(path, content, output):
        runs.append((path, run(path, content, output)))
        return runs[-1][1]

    def recorded_mkdtemp(**kwargs):
        scratch.append(mkdtemp(**kwargs))
        return scratch[-1]

    monkeypatch.setattr(tool, "run", recorded_run)
    monkeypatch.setattr(tempfile, "mkdtemp", recorded_mkdtemp)
    tool.warm()
    assert runs == [(str(site.content / "a-first.md"), True)]  # built, alone
    assert files(site.content) == before  # nothing written beside the writer's files
    assert not site.output.exists() or not files(site.output)  # nothing served
    assert len(scratch) == 1
    assert not os.path.exists(scratch[0])  # and nothing left behind


def test_the_warm_up_of_a_site_with_no_markdown_file_does_nothing(site):
    (site.content / "sources").mkdir(parents=True)
    tool = preview(site)
    assert tool.first_document() is None
    tool.warm()
    assert not site.output.exists() or not files(site.output)


def test_settings_that_do_not_load_leave_the_file_to_the_full_build(site, tmp_path):
    # A writer's typo in the settings file, then a save: no preview (the full build says
    # what is wrong), and no exception that would stop the dev server.
    site.write("x.md", EXPLAINER)

    def broken() -> dict:
        raise NameError("name 'SITEURLL' is not defined")

    tool = Preview(str(site.content), broken, str(site.output))
    assert tool.gather(str(site.content / "x.md"), str(tmp_path / "alone")) is None
    assert tool.build(str(site.content / "x.md")) == []
    tool.warm()
    assert not site.output.exists() or not files(site.output)


def test_a_picture_in_a_folder_linked_out_of_the_content_folder_is_not_gathered(site, tmp_path):
    """`photos/` a link to a folder outside: the picture's own name is no link, but the file
    is outside all the same. The full build refuses the folder; the preview reads nothing
    from it, and serves nothing of it."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(png())
    (outside / "library.yml").write_text("not: the site's\n", encoding="utf-8")
    site.write("x.md", EXPLAINER + "\n![A map](photos/secret.png)\n")
    (site.content / "photos").symlink_to(outside)
    tool = preview(site)
    assert tool.gather(str(site.content / "x.md"), str(tmp_path / "alone")) is None
    assert not (tmp_path / "alone").exists()
    assert tool.build(str(site.content / "x.md")) == []  # the content folder's run refuses it
    # The sources library in a folder linked out: not gathered either.
    (site.content / "photos").unlink()
    site.write("x.md", EXPLAINER)
    (site.content / "sources").symlink_to(outside)
    assert tool.gather(str(site.content / "x.md"), str(tmp_path / "alone")) is None
    assert not (tmp_path / "alone").exists()


def test_a_picture_in_a_folder_linked_inside_the_content_folder_is_left_to_the_content_folder(site, tmp_path):
    """A linked folder is not walked by a build: its pictures are the content folder's run to
    judge, not copied into a folder of their own as if they were real."""
    (site.content / "images").mkdir(parents=True)
    (site.content / "images" / "map.png").write_bytes(png())
    (site.content / "photos").symlink_to(site.content / "images")
    site.write("x.md", EXPLAINER + "\n![A map](photos/map.png)\n")
    assert preview(site).gather(str(site.content / "x.md"), str(tmp_path / "alone")) is None


def test_what_names_a_file_is_read_within_its_block(site):
    """A lead image's `file:` is on its own line, a link definition's label within its block:
    no match reaches across a blank line (each line start once searched the rest of the file
    for them, and a file of blank lines or of lines opening a bracket held the dev server for
    hours). A large such file names nothing, at once."""
    text = "\n\n  file: photos/a.png\n[a\n\n[b]: photos/b.png\n"
    matched = [m.group(0) for m in _NAMED.finditer(text)]
    assert matched == ["  file: photos/a.png", "[b]: photos/b.png"]
    site.write("x.md", EXPLAINER)
    door = preview(site).door()
    for hostile in ("\n" * 2_000_000, " \n" * 1_000_000, "[a\n" * 700_000, "  \t\n" * 500_000):
        assert linked_files("x.md", hostile.encode(), door) == []


def test_a_picture_swapped_for_a_link_while_it_is_gathered_is_not_read(site, tmp_path, monkeypatch):
    """The picture checked, then (before it is opened) replaced by a link out of the content
    folder, or its folder by one: what is opened is never the file outside."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "map.png").write_bytes(b"not for the site")
    check = door_files.Door.check
    swaps = {
        "file": lambda photos: (
            (photos / "map.png").unlink(),
            (photos / "map.png").symlink_to(outside / "map.png"),
        ),
        "folder": lambda photos: (shutil.rmtree(photos), photos.symlink_to(outside)),
    }
    for swap in swaps.values():
        site.write("x.md", EXPLAINER + "\n![A map](photos/map.png)\n")
        photos = site.content / "photos"
        if photos.is_symlink():
            photos.unlink()
        photos.mkdir(exist_ok=True)
        (photos / "map.png").unlink(missing_ok=True)
        (photos / "map.png").write_bytes(png())

        def swapped(door, path, swap=swap, photos=photos):
            check(door, path)
            if path.endswith("map.png") and not photos.is_symlink() and not (photos / "map.png").is_symlink():
                swap(photos)

        monkeypatch.setattr(door_files.Door, "check", swapped)
        alone = tmp_path / "alone"
        shutil.rmtree(alone, ignore_errors=True)
        assert preview(site).gather(str(site.content / "x.md"), str(alone)) is None
        assert not alone.exists() or b"not for the site" not in files(alone).values()
        monkeypatch.setattr(door_files.Door, "check", check)


def test_the_previewed_page_links_the_sites_pages_and_feed_as_the_full_build_does(site):
    """The site's list pages and feed are not written by a one-file run, but its page names
    them as the full build's does: the navigation's and the footer's links, the feed's."""
    site.write("x.md", EXPLAINER)
    preview(site).build(str(site.content / "x.md"))
    page = (site.output / "a-test-explainer.html").read_text(encoding="utf-8")
    for link in (
        '<link rel="alternate" type="application/atom+xml" title="Explainers" href="./feeds/all.atom.xml">',
        '<li><a href="./archives.html">Archives</a></li><li><a href="./search.html">Search</a></li>',
        (
            ' · <a href="./categories.html">Categories</a> · <a href="./tags.html">Tags</a>'
            ' · <a href="./authors.html">Authors</a> · <a href="./feeds/all.atom.xml">Atom feed</a>'
        ),
    ):
        assert link in page
    # None of them written, nor served.
    assert sorted(files(site.output)) == [
        "a-test-explainer.card.png", "a-test-explainer.claims.json", "a-test-explainer.html",
        "a-test-explainer.sources.csl.json",
    ]  # fmt: skip


def test_the_preview_keeps_the_templates_compiled_in_the_sites_cache(site, tmp_path):
    # Its run turns the outcome cache off (one file read would prune the others' entries), not
    # the compiled templates: compiling every template again took most of a save's preview.
    shutil.copytree(SEED_CONTENT, site.content)
    saved = str(site.content / f"{SEED}.md")
    args = cli.parse_arguments(["build", str(site.content), "-s", str(CONFFILE)])
    for cache, kept in (("on", True), ("off", False)):
        folder = tmp_path / cache
        load = functools.partial(
            cli.load_settings,
            args,
            DEVSERVER=True,
            CACHE_PATH=str(folder),
            EXPLAINERS={"CACHE": cache == "on"},
        )
        assert Preview(str(site.content), load, str(site.output)).build(saved)
        compiled = list((folder / "jinja").glob("*")) if (folder / "jinja").is_dir() else []
        assert bool(compiled) == kept
        assert not (folder / "explainers").exists()  # no outcome kept
