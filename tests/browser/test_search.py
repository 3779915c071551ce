"""Search in the browser: a result lands on the claim or section that matched, its excerpt
reads as prose (no citation markers), and an index built in several parts is searched whole.

The site: two explainers, indexed one per part (SEARCH_PART_SIZE 1; their addresses fall in
different parts), so that every search below also crosses the merge of the parts.
"""

from __future__ import annotations

import json

import pytest

from conftest import SEARCH_CSP, Server
from sitebuild import EXPLAINER, Site

# A word only in a claim, a word only in a body section, and each section's heading id.
FIRST = EXPLAINER.replace("title: A test explainer", "title: The harbour explainer").replace(
    "text: A claim the body never cites.", "text: A claim about the lighthouse keeper."
) + (
    "\n## The ferry timetable\n\n"
    "The ferry to the island ran twice a day [@alpha]. Nothing about keepers here.\n"
)
SECOND = EXPLAINER.replace("title: A test explainer", "title: Orchard explainer") + (
    "\n## Apple harvest\n\nThe orchard's harvest came in late that year [@beta].\n"
)


@pytest.fixture(scope="module")
def search_site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("search-site"))
    site.write("harbour.md", FIRST)
    site.write("orchard.md", SECOND)
    run = site.build("-e", "EXPLAINERS=" + json.dumps({"SEARCH_PART_SIZE": 1}))
    assert run.code == 0, run.stderr
    assert json.loads((site.output / "pagefind" / "parts.json").read_text()) == ["0", "1"]
    server = Server(site.output, SEARCH_CSP)
    yield server
    server.close()


def search(open_page, server, query: str) -> tuple[list[dict], object]:
    watched = open_page(f"/search.html?q={query}", origin_server=server)
    results = watched.page.locator(".search__result")
    results.first.wait_for()
    found = results.evaluate_all(
        """items => items.map(item => ({
            href: item.querySelector("a").getAttribute("href"),
            text: item.innerText}))"""
    )
    return found, watched


def test_a_claim_result_lands_on_the_claim(open_page, search_site):
    found, watched = search(open_page, search_site, "lighthouse")
    assert [result["href"] for result in found] == ["/the-harbour-explainer.html#claim-uncited-claim"]
    assert "Estimate: A claim about the lighthouse keeper." in found[0]["text"]
    assert watched.errors == []
    assert watched.violations == []


def test_a_section_result_lands_on_the_section_without_citation_markers(open_page, search_site):
    found, watched = search(open_page, search_site, "ferry")
    assert [result["href"] for result in found] == ["/the-harbour-explainer.html#the-ferry-timetable"]
    # The body reads "ran twice a day [1]." on the page; the excerpt has no marker.
    assert "ran twice a day" in found[0]["text"]
    assert "[" not in found[0]["text"]
    assert "1" not in found[0]["text"]
    assert watched.errors == []
    assert watched.violations == []


def test_every_part_of_the_index_is_searched(open_page, search_site):
    found, _ = search(open_page, search_site, "harvest")
    assert [result["href"] for result in found] == ["/orchard-explainer.html#apple-harvest"]
    found, _ = search(open_page, search_site, "explainer")
    assert sorted(result["href"].split("#")[0] for result in found) == [
        "/orchard-explainer.html",
        "/the-harbour-explainer.html",
    ]


def test_without_javascript_the_search_page_says_so(browser, search_site):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(search_site.url + "/search.html?q=ferry")
        assert "needs JavaScript" in page.locator("main").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("script", [True, False])
def test_the_form_shows_only_when_it_can_search(open_page, search_site, script):
    page = open_page("/search.html", origin_server=search_site, java_script_enabled=script).page
    if script:
        page.locator("form.search").wait_for()
    assert page.locator("form.search").is_visible() is script
    assert page.locator("noscript").count() == 1
