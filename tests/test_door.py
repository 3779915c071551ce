"""The content folder's door: which files, which page fields, which links, which output
folder. Each case: what the writer put in, and what `check` and `build` both say."""

from __future__ import annotations

import fnmatch
import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explainers.document import files
from explainers.tools import devserver
from sitebuild import EXPLAINER, ROOT, both

NOT_ALLOWED = (
    "decides where or how the page is written; this site does not allow it "
    '(a site may, with EXPLAINERS["ALLOW_FIELDS"] in pelican.conf.py)'
)
PLAIN_PATH = "link to a file by a plain path inside the content folder (no '..', no %-escapes or entities)"
NO_FILE = "there is no such file in the content folder"
OUTSIDE = "outside the content folder; copy the file in instead"
PLAIN = """\
Title: About this site
Date: 2025-01-14
Summary: Who we are, *briefly*.

The desk explains the news [with sources](https://example.org/).
"""


# --- page fields ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("added", "problem"),
    [
        ("Status: published", 'field names are lower case: write "status", not "Status"'),
        (
            "Summary: <img src=x onerror=alert(1)>",
            'field names are lower case: write "summary", not "Summary"',
        ),
        ("sumary: A typo", 'unknown field "sumary" (did you mean "summary"?)'),
        (
            "save_as: ../../site-packages/x.pth",
            (f'the field "save_as" {NOT_ALLOWED}'),
        ),
        (
            "template: ../../etc",
            (f'the field "template" {NOT_ALLOWED}'),
        ),
        (
            "slug: ../escape",
            (
                'slug: expected letters, digits, "-" and "_" (no dots, slashes or spaces), such as '
                "\"council-budget-2025\"; got '../escape'"
            ),
        ),
    ],
)
def test_only_the_contracts_fields_reach_pelican(site, added, problem):
    site.write("test.md", EXPLAINER.replace("title: A test explainer", f"title: A test explainer\n{added}"))
    assert both(site) == [f"content/test.md:3: error: {problem}"]


@pytest.mark.parametrize(
    ("value", "ok"),
    [("notes/page.html", True), ("/etc/passwd", False), ("../x.html", False), ("a/../../x.html", False)],
)
def test_an_allowed_save_as_stays_inside_the_output(site, value, ok):
    site.write(
        "test.md", EXPLAINER.replace("title: A test explainer", f"title: A test explainer\nsave_as: {value}")
    )
    problems = both(site, "-e", 'EXPLAINERS={"ALLOW_FIELDS": ["save_as"]}')
    assert (problems == []) is ok
    if ok:
        assert (site.output / value).is_file()


@pytest.mark.parametrize(
    ("value", "listed", "problem"),
    [
        ("explainer", [], None),  # its own
        ("longform", ["longform"], None),  # one the site lists (and its theme has)
        ("source", [], 'template: expected "explainer", '),  # a source page's: would fail the build
        ("nonexistent", [], 'template: expected "explainer", '),
        ("source", ["longform"], 'template: expected one of "explainer", "longform", '),
    ],
)
def test_an_allowed_template_is_the_pages_own_or_one_the_site_lists(site, value, listed, problem):
    site.write(
        "test.md", EXPLAINER.replace("title: A test explainer", f"title: A test explainer\ntemplate: {value}")
    )
    theme = site.root / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "templates" / "longform.html").write_text(
        (theme / "templates" / "explainer.html")
        .read_text(encoding="utf-8")
        .replace("<article", "<article data-longform")
    )
    settings = json.dumps({"ALLOW_FIELDS": ["template"], "TEMPLATES": listed})
    problems = both(site, "-e", f"EXPLAINERS={settings}", "-e", f'THEME="{theme}"')
    if problem is None:
        assert problems == []
        assert (site.page("a-test-explainer.html").select("[data-longform]") != []) is (value == "longform")
    else:
        why = f"the templates the site lets a page name (EXPLAINERS[\"TEMPLATES\"]); got '{value}'"
        assert problems == [f"content/test.md:3: error: {problem}{why}"]


# --- plain Markdown articles go through the same door ------------------------------


def test_a_plain_article_is_read_and_cleaned(site):
    site.write("about.md", PLAIN)
    assert both(site) == []
    page = site.page("about-this-site.html")
    link = page.select_one("article a[href='https://example.org/']")
    assert link.get_text() == "with sources"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (PLAIN + "\n<script>alert(1)</script>\n", "7: error: raw HTML in the body: <script> is not allowed"),
        (
            PLAIN.replace("Date: 2025-01-14", "Date: not a date"),
            "2: error: date: expected a date such as 2025-01-14; got 'not a date'",
        ),
        (
            PLAIN.replace("Date: 2025-01-14\n", ""),
            "1: error: no date: an article needs a line Date: YYYY-MM-DD in its header",
        ),
        (
            PLAIN.replace("Summary:", "Template: page\nSummary:"),
            f'3: error: the field "template" {NOT_ALLOWED}',
        ),
        (
            PLAIN.replace("Summary:", "Status: publish\nSummary:"),
            (
                "3: error: status: expected one of published, draft, hidden; got 'publish' "
                '(did you mean "published"?)'
            ),
        ),
        (
            PLAIN.replace("Summary: Who we are, *briefly*.", "Summary: [x](javascript:alert(1))"),
            '3: error: link to "javascript:alert(1)": only http(s) links are allowed here',
        ),
        (
            PLAIN + "\n[x](java&#x09;script:alert(1))\n",
            (
                '7: error: link to "java&#x09;script:alert(1)": '
                "only http(s), mailto and relative links are allowed"
            ),
        ),
    ],
)
def test_a_plain_articles_problems_are_found_by_check_and_build(site, text, problem):
    site.write("about.md", text)
    assert both(site) == [f"content/about.md:{problem}"]


def test_front_matter_that_does_not_start_the_file_is_an_error(site):
    site.write("test.md", EXPLAINER)
    (site.content / "test.md").write_text("\n" + EXPLAINER, encoding="utf-8")  # write() strips it
    assert both(site) == [
        (
            "content/test.md:2: error: the front matter must start on the first line: "
            "remove the 1 blank line before this ---"
        )
    ]
    site.write("test.md", EXPLAINER.replace("---\n", "", 1))
    assert both(site) == [
        "content/test.md:1: error: the front matter has no opening --- line: add one above this line"
    ]


# --- files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["page.html", "notes.rst", "notes.htm", "images/drawing.svg", "script.js", "images/x.exe"]
)
def test_a_file_type_the_site_does_not_accept_is_an_error(site, name):
    site.write("test.md", EXPLAINER)
    site.write(name, "<script>alert(1)</script>\n")
    problems = both(site)
    assert len(problems) == 1
    assert problems[0].startswith(f"content/{name}:1: error: the site does not accept this file")
    assert not list(site.output.rglob(os.path.basename(name))) if site.output.exists() else True


# What macOS, Windows, vim and Emacs leave beside a writer's files: skipped, never read or
# published. Each holds what would be refused if it were read.
SYSTEM_FILES = [
    ".DS_Store",
    "images/.DS_Store",
    "images/Thumbs.db",
    "desktop.ini",
    ".test.md.swp",
    ".test.md.swo",
    "test.md~",
    "images/chart.png~",
    "#test.md#",
]


def test_files_that_systems_and_editors_leave_are_skipped(site):
    site.write("test.md", EXPLAINER)
    site.write("images/chart.png", "png")
    for name in SYSTEM_FILES:
        site.write(name, "<script>alert(1)</script>\n")
    os.symlink("nobody@host.12345:1700000000", site.content / ".#test.md")  # Emacs's lock, dangling
    assert both(site) == []
    published = {path.relative_to(site.output).as_posix() for path in site.output.rglob("*")}
    assert "images/chart.png" in published
    assert not [name for name in [*SYSTEM_FILES, ".#test.md"] if name in published]


_NAME = st.text(alphabet=st.sampled_from([*"ab.#~_*?[]!-", "\n"]), max_size=12)


@given(_NAME, st.lists(_NAME, max_size=4))
def test_the_ignored_names_are_those_fnmatch_matches(name, patterns):
    # The door asks one regex of each file's name (`files._any_of`), not fnmatch per pattern.
    assert (files._any_of(patterns).match(name) is not None) == any(
        fnmatch.fnmatchcase(name, pattern) for pattern in patterns
    )
    assert files.system_file(name) == any(fnmatch.fnmatchcase(name, p) for p in files.SYSTEM_FILES)


_PART = st.sampled_from(["a", "b.md", ".", "..", "", "...", ".hidden", "x y", "é"])


@given(
    st.sampled_from(["/site/content", "/site/content/", "/site/./content", "/", "/site/../content"]),
    st.lists(_PART, max_size=5),
    st.sampled_from(["", "/site/content", "/elsewhere", "relative"]),
)
def test_a_path_from_the_content_folder_is_relpath_s(root, parts, start):
    # The door cuts the folder off a path that starts with it (`Door.relative`), and asks
    # relpath of any other: the answer is relpath's, every time.
    door = files.Door(root, "sources", (), frozenset(), (), 1)
    path = os.path.join(start or root, *parts) if parts else (start or root)
    assert door.relative(path) == os.path.relpath(path, root).replace(os.sep, "/")


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        # Only the names on the list are skipped: anything else unknown is still refused.
        (".htaccess", "the site does not accept this file (.htaccess, with no extension)"),
        ("images/.DS_Store.png", None),  # an ordinary hidden image is no system file
        ("notes.md.bak", "the site does not accept this file (.bak)"),
        # A name refused for its characters says which.
        ("draft~2.md", "this file name holds characters the site does not accept ('~')"),
        ("#1 story.md", "this file name holds characters the site does not accept ('#')"),
    ],
)
def test_other_unknown_files_are_still_refused(site, name, problem):
    site.write("test.md", EXPLAINER)
    site.write(name, "x\n")
    problems = both(site)
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1
        assert problems[0].startswith(f"content/{name}:1: error: {problem}")


def test_the_devserver_rebuilds_when_a_file_the_door_reads_appears():
    """The preview must fail when `make publish` would: a hidden file that appears in the
    content folder is an edit; a system file, the output's own files and caches are not."""
    project = Path("/project")
    content, output = project / "content", project / "content" / "out"
    changed = {
        content / ".htaccess": True,  # refused by the door: the preview must say so
        content / "images" / ".chart.png": True,
        content / "x.md": True,
        project / "theme" / "templates" / "base.html": True,
        content / ".DS_Store": False,
        content / ".x.md.swp": False,
        content / "x.md~": False,
        content / ".#x.md": False,
        output / "index.html": False,
        project / "plugins" / ".ruff_cache": False,
    }
    assert devserver.edits(list(changed), content, output) == [path for path, edit in changed.items() if edit]


def test_links_out_of_the_content_folder_and_special_files_are_refused(site, tmp_path):
    site.write("test.md", EXPLAINER)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN=s3cr3t\n")
    (site.content / "images").mkdir()
    os.symlink(secret, site.content / "images" / "leak.txt")
    os.symlink("/dev/zero", site.content / "zero.md")
    os.mkfifo(site.content / "pipe.md")
    os.symlink(tmp_path, site.content / "outside")
    problems = both(site)
    assert problems == [
        (
            f"content/images/leak.txt:1: error: this is a link to {str(secret)!r}, "
            "outside the content folder; "
            "copy the file in instead"
        ),
        "content/outside:1: error: this folder is a link out of the content folder",
        "content/pipe.md:1: error: this is not a regular file (a device, FIFO or socket): remove it",
        f"content/zero.md:1: error: this is a link to '/dev/zero', {OUTSIDE}",
    ]
    assert not site.output.exists()


def test_a_file_over_the_size_limit_is_not_read(site):
    site.write("test.md", EXPLAINER)
    site.write("big.md", "x" * 2000)
    assert both(site, "-e", 'EXPLAINERS={"MAX_FILE_BYTES": 1500}') == [
        (
            "content/big.md:1: error: this file is 2,000 bytes, "
            'over the limit of 1,500 (EXPLAINERS["MAX_FILE_BYTES"])'
        )
    ]


# --- links to other content --------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "problem"),
    [
        ("{attach}../../../../etc/passwd", f"{{attach}}../../../../etc/passwd: {PLAIN_PATH}"),
        ("{attach}%2e%2e/secret.txt", f"{{attach}}%2e%2e/secret.txt: {PLAIN_PATH}"),
        ("{static}images/missing.png", "{static}images/missing.png: " + NO_FILE),
        ("{filename}missing.md", "{filename}missing.md: " + NO_FILE),
        (
            "{nonsense}x",
            '"{nonsense}" is not a kind of link Pelican knows (use {filename}, {static} or {attach})',
        ),
    ],
)
def test_links_to_content_stay_inside_the_content_folder(site, link, problem):
    site.write("test.md", EXPLAINER + f"\n[a file]({link})\n")
    line = len(EXPLAINER.splitlines()) + 2
    assert both(site) == [f"content/test.md:{line}: error: {problem}"]


def test_a_link_to_an_existing_file_is_published(site):
    site.write(
        "test.md", EXPLAINER + "\n![A map]({static}images/map.png) and [data]({attach}data/table.csv)\n"
    )
    site.write("images/map.png", "png")
    site.write("data/table.csv", "a,b\n")
    assert both(site) == []
    page = site.page("a-test-explainer.html")
    assert page.select_one("img[alt='A map']")["src"].endswith("images/map.png")
    assert (site.output / "images" / "map.png").is_file()


def test_an_attached_file_is_published_at_its_own_path_never_over_another(site):
    # evil/evil.md's page is evil.html; Pelican's {attach} would move evil/images/chart.png
    # beside it, to images/chart.png, over the other explainer's chart. Here a linked file
    # is published at its own path, {attach} as {static}: each chart stays its own.
    site.write("test.md", EXPLAINER + "\n![Chart]({static}images/chart.png)\n")
    site.write("images/chart.png", "the test explainer's chart")
    other = EXPLAINER.replace("title: A test explainer", "title: Another one")
    site.write("evil/evil.md", other + "\n![x]({attach}images/chart.png)\n")
    site.write("evil/images/chart.png", "another chart")
    assert both(site) == []
    assert (site.output / "images" / "chart.png").read_text() == "the test explainer's chart"
    assert (site.output / "evil" / "images" / "chart.png").read_text() == "another chart"
    assert site.page("another-one.html").select_one("img[alt=x]")["src"] == "./evil/images/chart.png"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        # Written without {static}, a file of the site is checked as {static} checks it.
        ("![A map](images/nothere.png)", "images/nothere.png: " + NO_FILE),
        ("[the report](files/report.pdf)", "files/report.pdf: " + NO_FILE),
        ('<img src="images/nothere.png" alt="A map">', "images/nothere.png: " + NO_FILE),
        ("![A map](../secret.png)", f"../secret.png: {PLAIN_PATH}"),
        # From the site's root, likewise (before, these passed the checks, and were published as written).
        ("![Gone](/images/nothere.png)", "/images/nothere.png: " + NO_FILE),
        ("[the report](/files/report.pdf)", "/files/report.pdf: " + NO_FILE),
        ('<img src="/images/nothere.png" alt="Gone">', "/images/nothere.png: " + NO_FILE),
        ("![A map](/images/../../secret.png)", f"/images/../../secret.png: {PLAIN_PATH}"),
    ],
)
def test_a_plain_relative_or_root_path_to_a_missing_file_is_an_error(site, body, problem):
    site.write("test.md", EXPLAINER + f"\n{body}\n")
    line = len(EXPLAINER.splitlines()) + 2
    assert both(site) == [f"content/test.md:{line}: error: {problem}"]


def test_a_plain_relative_path_to_an_existing_file_is_published(site):
    site.write("test.md", EXPLAINER + "\n![A map](images/map.png) and [the report](files/report.pdf)\n")
    site.write("images/map.png", "png")
    site.write("files/report.pdf", "%PDF")
    assert both(site) == []
    page = site.page("a-test-explainer.html")
    assert page.select_one("img[alt='A map']")["src"].endswith("images/map.png")
    assert page.select_one("a[href$='report.pdf']").get_text() == "the report"
    assert (site.output / "images" / "map.png").is_file()
    assert (site.output / "files" / "report.pdf").is_file()


def test_plain_links_to_pages_and_parts_are_left_alone(site):
    site.write("test.md", EXPLAINER + "\n[home](index.html), [notes](#sources), [about](/about/)\n")
    assert both(site) == []
    page = site.page("a-test-explainer.html")
    assert [a["href"] for a in page.select("a") if a.get_text() in ("home", "notes", "about")] == [
        "index.html",
        "#sources",
        "/about/",
    ]


def test_an_image_without_alt_text_is_a_warning_and_a_decorative_one_is_not(site):
    site.write(
        "test.md",
        EXPLAINER
        + '\n![](images/map.png)\n\n<img src="images/rule.png" alt="">\n\n![A map](images/map.png)\n',
    )
    site.write("images/map.png", "png")
    site.write("images/rule.png", "png")
    line = len(EXPLAINER.splitlines()) + 2
    assert both(site) == [
        (
            f"content/test.md:{line}: warning: the image images/map.png has no alt text: say what it shows "
            "in the brackets, ![what it shows](images/map.png), for readers who cannot see it "
            '(an image that only decorates: <img src="images/map.png" alt="">)'
        )
    ]
    assert site.check("--strict").code != 0  # so `make publish` asks for it too


# --- addresses ---------------------------------------------------------------------


def test_a_page_written_over_a_site_page_is_an_error(site):
    site.write(
        "test.md", EXPLAINER.replace("title: A test explainer", "title: A test explainer\nslug: archives")
    )
    assert both(site) == [
        (
            "content/test.md:3: error: this page would be written to archives.html, "
            "which is one of the site's own "
            "pages: give it another slug"
        )
    ]


def test_a_plain_article_and_an_explainer_with_one_address_are_reported_by_check_too(site):
    site.write("test.md", EXPLAINER)
    site.write("zz.md", PLAIN.replace("About this site", "A test explainer"))
    assert both(site) == [
        (
            "content/zz.md:1: error: this page is written to a-test-explainer.html, as is content/test.md: "
            "give one of them its own slug"
        )
    ]


# --- the output folder ---------------------------------------------------------------


@pytest.mark.parametrize("where", ["content", "root", "parent", "foreign"])
def test_the_output_folder_is_never_one_a_build_would_wreck(site, where):
    site.write("test.md", EXPLAINER)
    target = {
        "content": site.content,
        "root": site.root,
        "parent": site.root.parent,
        "foreign": site.root / "photos",
    }[where]
    if where == "foreign":
        target.mkdir()
        (target / "holiday.jpg").write_bytes(b"jpg")
    before = sorted(p.name for p in target.iterdir())
    run = site.run("build", "-o", str(target))
    assert run.code == 1
    assert run.stderr.startswith("error: the output folder")
    assert sorted(p.name for p in target.iterdir()) == before


def test_an_output_folder_this_tool_built_is_replaced(site):
    site.write("test.md", EXPLAINER)
    assert site.build().code == 0
    assert (site.output / ".explainers-output").is_file()
    assert site.build().code == 0


def test_the_entries_output_retention_names_survive_a_build_and_nothing_else_does(site):
    # Pelican's OUTPUT_RETENTION: a publisher's git checkout of the site and a host's CNAME
    # stay in the output; anything else left there by hand goes, as the whole folder is new.
    site.write("test.md", EXPLAINER)
    assert site.build().code == 0
    (site.output / ".git").mkdir()
    (site.output / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (site.output / "CNAME").write_text("explainers.example.org\n")
    (site.output / "stray.txt").write_text("left by hand\n")
    keep = ("-e", 'OUTPUT_RETENTION=[".git", "CNAME", "../outside", "index.html"]')
    assert site.build(*keep).code == 0
    assert (site.output / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert (site.output / "CNAME").read_text() == "explainers.example.org\n"
    assert not (site.output / "stray.txt").exists()
    assert "A test explainer" in site.page("index.html").get_text()  # the build's own, not kept
    # A build that fails keeps them where they are.
    site.write("test.md", EXPLAINER.replace("status: confirmed", "status: confirmd"))
    assert site.build(*keep).code == 1
    assert (site.output / ".git" / "HEAD").is_file()
    assert (site.output / "CNAME").is_file()


@pytest.mark.parametrize(
    "raw",
    [
        "<a href={attach}../../secret.txt>x</a>",
        '<a href="&#123;attach}../../secret.txt">x</a>',
        "<img src='{static}../../secret.txt'>",
        '<img alt="" src="{static}&#46;&#46;/&#46;&#46;/secret.txt">',
    ],
)
def test_a_link_hidden_in_raw_html_is_confined_as_pelican_will_read_it(site, raw):
    (site.root / "secret.txt").write_text("TOKEN=s3cr3t\n")
    site.write("test.md", EXPLAINER + f"\nSome text.\n\n{raw}\n")
    problems = both(site)
    assert len(problems) == 1
    # At its own line, however its characters are spelled.
    assert problems[0].startswith(f"content/test.md:{len(EXPLAINER.splitlines()) + 4}: error: ")
    assert f"{PLAIN_PATH}" in problems[0]
    assert not site.output.exists()


def test_a_link_to_the_folder_itself_is_reported_at_its_line_not_the_first_full_stop(site):
    site.write("sub/test.md", EXPLAINER + "\nSome text.\n\n[x]({static}.)\n")
    line = len(EXPLAINER.splitlines()) + 4
    problem = "{static}.: this is a folder: name a file in it"
    assert both(site) == [f"content/sub/test.md:{line}: error: {problem}"]


# --- addresses from the site's root --------------------------------------------------------

SUBFOLDER = "https://example.org/explainers"


def test_a_root_path_is_the_content_folders_and_follows_the_site_into_its_subfolder(site):
    # ![A chart](/images/chart.png)  ->  <img src="https://example.org/explainers/images/chart.png">
    # Before: src="/images/chart.png", which is https://example.org/images/chart.png.
    site.write("test.md", EXPLAINER + "\n![A chart](/images/chart.png) and [the report](/files/report.pdf)\n")
    site.write("images/chart.png", "png")
    site.write("files/report.pdf", "%PDF")
    assert site.check().problems == []
    assert site.build("--publish", "-e", f"SITEURL={SUBFOLDER}").code == 0
    page = site.page("a-test-explainer.html")
    assert page.select_one("img[alt='A chart']")["src"] == f"{SUBFOLDER}/images/chart.png"
    assert page.select_one("a[href$='report.pdf']")["href"] == f"{SUBFOLDER}/files/report.pdf"
    assert (site.output / "images" / "chart.png").is_file()
    feed = (site.output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert f"{SUBFOLDER}/images/chart.png" in feed
    assert 'src="/images/chart.png"' not in feed


def test_a_root_link_to_a_page_is_left_as_written(site):
    site.write("test.md", EXPLAINER + "\n[about](/about/) and [the list](/archives.html)\n")
    assert both(site) == []
    page = site.page("a-test-explainer.html")
    assert [a["href"] for a in page.select("a") if a.get_text() in ("about", "the list")] == [
        "/about/",
        "/archives.html",
    ]


# Names and patterns of any characters, with those fnmatch and regexes read apart close at hand.
_PIECE = st.one_of(
    st.sampled_from([*"*?[]!^-\\.#~_ab|()$+{}&", "\n", "\r", "[!", "[^", "[]", "[!]", "a-z", "z-a", "\\]"]),
    st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=()),
)
_ANY_NAME = st.lists(_PIECE, max_size=10).map("".join)


@given(_ANY_NAME, st.lists(_ANY_NAME, max_size=5))
def test_the_ignored_names_are_those_fnmatch_matches_for_any_pattern(name, patterns):
    assert (files._any_of(patterns).match(name) is not None) == any(
        fnmatch.fnmatchcase(name, pattern) for pattern in patterns
    )
    door = files.Door("content", "sources", (), frozenset(), tuple(patterns), 1)
    assert door.ignored(name) == (
        files.system_file(name) or any(fnmatch.fnmatch(name, pattern) for pattern in patterns)
    )


@pytest.mark.parametrize(
    ("name", "patterns"),
    [
        ("a", []),
        ("", []),
        ("", [""]),
        ("a", [""]),
        ("[", ["["]),
        ("[a", ["[a"]),
        ("a]", ["[!]a]"]),
        ("!", ["[!]"]),
        ("b", ["[z-a]", "b"]),
        ("-", ["[z-a-]"]),
        ("a\\b", ["a\\b"]),
        ("a\\b", ["a\\\\b"]),
        ("ab", ["a|b", "(a)b"]),
        ("a|b", ["a|b"]),
        ("x\n", ["x"]),
        ("x\n", ["x*"]),
        ("x\ny", ["x?y"]),
        (".#a", [".#*"]),
        ("A.MD", ["*.md"]),
        ("^a", ["[^]a"]),
        ("&", ["[&&]"]),
        ("~", ["[~~]"]),
        ("a", ["*a*b*", "*a"]),
    ],
)
def test_the_ignored_names_at_the_edges(name, patterns):
    door = files.Door("content", "sources", (), frozenset(), tuple(patterns), 1)
    assert door.ignored(name) == (
        files.system_file(name) or any(fnmatch.fnmatch(name, pattern) for pattern in patterns)
    )
    assert files.system_file(name) == any(fnmatch.fnmatchcase(name, p) for p in files.SYSTEM_FILES)
