"""Every internal link of the built site resolves, and every navigation label leads to its page.

Two sites, each built as `make html` does (relative links) and as `make publish` does
(absolute links, here under a folder of the host): the project's own content, and a
richer fixture with two explainers sharing a source, a plain article, a page, a
category, tags, authors, an image and a draft.
"""

from __future__ import annotations

import shutil

import pytest

from sitebuild import EXPLAINER, SEED_CONTENT, SHARED_SOURCE, Site
from sitelinks import BuiltSite, broken_links, misleading_navigation

PREVIEW = "http://127.0.0.1:8000"
PUBLISHED = "https://news.example/explainers"
BUILDS = {
    "relative": (PREVIEW, []),
    "publish": (PUBLISHED, ["--publish", "-e", f"SITEURL={PUBLISHED}"]),
}

# A PNG of one pixel: the image the fixture's body shows.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def fixture_content(site: Site) -> None:
    site.write("sources/shared.yml", SHARED_SOURCE)
    first = EXPLAINER.replace(
        "date: 2025-01-14", "date: 2025-01-14\ncategory: Conflicts\ntags: [Alpha, Beta]"
    )
    first = first.replace("[@alpha].", "[@shared] [@alpha].", 1)
    site.write("first.md", first + "\n![A pixel]({static}images/pixel.png)\n")
    second = (
        EXPLAINER.replace("title: A test explainer", "title: A second explainer")
        .replace("date: 2025-01-14", "date: 2025-02-01\ncategory: Economy\ntags: [Beta]")
        .replace("authors: [Test desk]", "authors: [Test desk, Second Writer]")
        .replace("Opening sentence [@alpha].", "Opening sentence [@alpha] [@shared].")
    )
    site.write("second.md", second)
    site.write("plain.md", "Title: A plain article\nDate: 2025-01-20\nTags: Gamma\n\nPlain *text*.\n")
    site.write("pages/about.md", "Title: About\n\nWho we are, and [the claims](../claims.html).\n")
    site.write("unfinished.md", EXPLAINER.replace("summary:", "status: draft\nsummary:"))
    (site.content / "images").mkdir(exist_ok=True)
    (site.content / "images" / "pixel.png").write_bytes(PIXEL)


def project_content(site: Site) -> None:
    shutil.copytree(SEED_CONTENT, site.content)


CONTENT = {"fixture": fixture_content, "project": project_content}


@pytest.fixture(scope="module", params=[(c, b) for c in CONTENT for b in BUILDS], ids="-".join)
def built(request, tmp_path_factory) -> BuiltSite:
    content, build = request.param
    site_url, options = BUILDS[build]
    site = Site(tmp_path_factory.mktemp(f"links-{content}-{build}"))
    CONTENT[content](site)
    run = site.build(*options)
    assert run.code == 0, run.stderr
    return BuiltSite(site.output, site_url)


def test_every_internal_link_resolves(built):
    assert broken_links(built) == []


def test_every_navigation_label_leads_to_its_page(built):
    assert misleading_navigation(built) == []


@pytest.mark.parametrize(
    ("label", "page"),
    [
        ("Claims", "claims.html"),
        ("Statuses", "statuses.html"),
        ("Archives", "archives.html"),
        ("Categories", "categories.html"),
        ("Tags", "tags.html"),
        ("Authors", "authors.html"),
        ("Search", "search.html"),
    ],
)
def test_the_site_pages_are_linked_from_every_page_by_name(built, label, page):
    """<a href="./archives.html">Archives</a>, from every page, at every depth."""
    for name in built.pages():
        targets = {link.target for link in built.links(name) if link.area and link.label == label}
        assert targets == {page}, name


def test_the_checker_sees_a_broken_link_a_missing_fragment_and_a_label_that_misleads(tmp_path):
    """The test above can fail: a small site with each fault."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text(
        '<title>Home</title><h1 id="top">Home</h1>'
        '<header class="site-header"><a href="./">Archives</a></header>'
        '<a href="sub/page.html#top">ok</a><a href="sub/gone.html">gone</a><a href="#nowhere">x</a>'
        f'<a href="{PUBLISHED}/index.html#top">absolute</a><a href="https://elsewhere.example/">out</a>'
    )
    (tmp_path / "sub" / "page.html").write_text('<h1 id="top">Page</h1><img src="../../up.png">')
    site = BuiltSite(tmp_path, PUBLISHED)
    assert broken_links(site) == [
        "index.html: 'sub/gone.html' leads to sub/gone.html, which the build did not write",
        "index.html: '#nowhere': index.html has no element with id 'nowhere'",
        "sub/page.html: '../../up.png' leads to (outside the site: /up.png), which the build did not write",
    ]
    assert misleading_navigation(site) == ["index.html: 'Archives' leads to index.html ('home home')"]


def test_the_404_page_is_read_as_served_for_a_missing_address_deep_in_the_site(tmp_path):
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme" / "main.css").write_text("")
    (tmp_path / "index.html").write_text("<h1>Home</h1>")
    (tmp_path / "404.html").write_text('<link rel="stylesheet" href="./theme/main.css"><a href="/">Home</a>')
    expected = "404.html: './theme/main.css' leads to a/b/c/theme/main.css, which the build did not write"
    assert broken_links(BuiltSite(tmp_path, PREVIEW)) == [f"{expected} (served for /a/b/c/missing)"]
