"""What the site tells crawlers and sharers: the sitemap, robots.txt, canonical addresses,
and the 404 page as a server sends it for any missing address."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from sitebuild import Site
from test_site_links import BUILDS, PUBLISHED, fixture_content

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module", params=BUILDS)
def built(request, tmp_path_factory) -> tuple[Site, str]:
    site_url, options = BUILDS[request.param]
    site = Site(tmp_path_factory.mktemp(f"meta-{request.param}"))
    fixture_content(site)
    run = site.build(*options)
    assert run.code == 0, run.stderr
    return site, site_url


def pages(site: Site) -> list[str]:
    return sorted(
        str(p.relative_to(site.output)) for p in site.output.rglob("*.html") if "pagefind" not in p.parts
    )


def address(page: str) -> str:
    return page.removesuffix("index.html")


def test_the_sitemap_lists_every_public_page_and_no_draft_and_no_404(built):
    site, site_url = built
    root = ET.parse(site.output / "sitemap.xml").getroot()
    listed = [loc.text for loc in root.findall("s:url/s:loc", NS)]
    public = [p for p in pages(site) if p != "404.html" and not p.startswith("drafts/")]
    assert sorted(listed) == sorted(f"{site_url}/{address(p)}" for p in public)
    assert len(listed) == len(set(listed))
    # <url><loc>…/a-test-explainer.html</loc><lastmod>2025-01-15</lastmod></url>: its correction's date
    lastmod = {u.find("s:loc", NS).text: u.find("s:lastmod", NS) for u in root.findall("s:url", NS)}
    assert lastmod[f"{site_url}/a-test-explainer.html"].text == "2025-01-15"
    assert lastmod[f"{site_url}/a-plain-article.html"].text == "2025-01-20"
    assert lastmod[f"{site_url}/claims.html"] is None


def test_the_build_writes_robots_txt_pointing_at_the_sitemap(built):
    site, site_url = built
    assert (site.output / "robots.txt").read_text() == (
        f"User-agent: *\nAllow: /\n\nSitemap: {site_url}/sitemap.xml\n"
    )


def test_every_page_names_its_absolute_address(built):
    """<link rel="canonical" href="SITEURL/tag/beta.html"> and og:url alike; the home page is SITEURL/."""
    site, site_url = built
    for page in pages(site):
        soup = site.page(page)
        canonical = soup.select('link[rel="canonical"]')
        og_url = soup.select('meta[property="og:url"]')
        assert len(canonical) == len(og_url) == 1, page
        assert canonical[0]["href"] == og_url[0]["content"] == f"{site_url}/{address(page)}", page


def test_the_404_page_links_from_the_site_root_at_any_depth(built):
    """Relative build: <link href="/theme/css/main.css">; published in a folder:
    <link href="/explainers/theme/css/main.css"> (every other page keeps its relative links)."""
    site, site_url = built
    root = "/explainers" if site_url == PUBLISHED else ""
    page = site.page("404.html")
    # Publishing adds a fingerprint: main.1a2b3c4d5e.css
    stylesheet = page.select_one('link[rel="stylesheet"]')["href"]
    assert re.fullmatch(rf"{root}/theme/css/main(\.[0-9a-f]+)?\.css", stylesheet)
    assert [a["href"] for a in page.select("main a")] == [
        f"{root}/",
        f"{root}/claims.html",
        f"{root}/search.html",
    ]
    assert page.select_one(".site-header__name a")["href"] == f"{root}/"
    if site_url != PUBLISHED:
        assert (
            site.page("tag/beta.html").select_one('link[rel="stylesheet"]')["href"] == "../theme/css/main.css"
        )
