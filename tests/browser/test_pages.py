"""Every page type: no accessibility violation (axe-core), no console error, no CSP violation,
no request to another host, and readable at 320 px."""

from __future__ import annotations

import pytest

from conftest import run_axe

PAGE_TYPES = {
    "home": "/",
    "explainer": "/north-korean-soldiers-kursk.html",
    "explainer with corrections": "/a-test-explainer.html",
    "translation": "/a-test-explainer-fr.html",
    "article": "/a-plain-article.html",
    "page": "/pages/about.html",
    "claims index": "/claims.html",
    "claims by status": "/claims/estimate.html",
    "statuses": "/statuses.html",
    "method": "/method.html",
    "site-wide source": "/sources/dod-2024-11-18.html",
    "category": "/category/conflicts.html",
    "tag": "/tag/north-korea.html",
    "author": "/author/explainer-desk.html",
    "archives": "/archives.html",
    "categories": "/categories.html",
    "tags": "/tags.html",
    "authors": "/authors.html",
    "search": "/search.html",
    "not found": "/404.html",
}


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_accessibility_violation(open_page, name):
    page = open_page(PAGE_TYPES[name]).page
    assert run_axe(page) == []


@pytest.mark.parametrize("name", ["home", "explainer", "claims index", "statuses"])
def test_no_accessibility_violation_in_dark_mode(open_page, name):
    page = open_page(PAGE_TYPES[name], color_scheme="dark").page
    assert run_axe(page) == []


def test_no_violation_with_a_note_open(open_page):
    page = open_page(PAGE_TYPES["explainer"]).page
    page.locator('.explainer__body a[role="doc-noteref"]').first.click()
    assert run_axe(page) == []


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_console_error_csp_violation_or_foreign_request(open_page, name):
    watched = open_page(PAGE_TYPES[name])
    watched.page.wait_for_load_state("networkidle")
    assert watched.errors == []
    assert watched.violations == []
    assert watched.foreign_requests == []


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_every_link_to_another_site_carries_a_safe_rel(open_page, name):
    page = open_page(PAGE_TYPES[name]).page
    unsafe = page.evaluate(
        """() => [...document.querySelectorAll("a[href]")]
            .filter((a) => a.origin !== location.origin && /^https?:$/.test(a.protocol))
            .filter((a) => !(a.relList.contains("noopener") && a.relList.contains("noreferrer")))
            .map((a) => a.href)"""
    )
    assert unsafe == []


@pytest.mark.parametrize("name", ["home", "explainer", "claims index", "site-wide source"])
def test_nothing_overflows_a_320_pixel_screen(open_page, name):
    page = open_page(PAGE_TYPES[name], viewport={"width": 320, "height": 640}).page
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_search_finds_explainers_and_claims(open_page, search_server):
    watched = open_page("/search.html?q=grenade", origin_server=search_server)
    results = watched.page.locator(".search__result a")
    results.first.wait_for()
    assert "/north-korean-soldiers-kursk.html" in results.evaluate_all("links => links.map(a => a.href)")[0]
    assert watched.errors == []
    assert watched.violations == []


# Run in the page: an inline script, as an injected <script> would be.
INLINE_SCRIPT = """() => {
  window.__ran = false;
  const script = document.createElement("script");
  script.textContent = "window.__ran = true";
  document.head.append(script);
  return window.__ran;
}"""


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_the_page_own_policy_blocks_inline_script_and_nothing_of_its_own(open_page, plain_server, name):
    """Served with no policy header, as most static hosts serve it: the <meta> policy holds."""
    watched = open_page(PAGE_TYPES[name], origin_server=plain_server)
    watched.page.wait_for_load_state("networkidle")
    assert watched.violations == []
    assert watched.page.evaluate(INLINE_SCRIPT) is False
    assert watched.violations == ["script-src-elem blocked inline"]


def test_search_works_under_the_page_own_policy(open_page, plain_server):
    watched = open_page("/search.html?q=grenade", origin_server=plain_server)
    results = watched.page.locator(".search__result a")
    results.first.wait_for()
    assert "/north-korean-soldiers-kursk.html" in results.evaluate_all("links => links.map(a => a.href)")[0]
    assert watched.errors == []
    assert watched.violations == []
