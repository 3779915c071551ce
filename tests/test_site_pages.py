"""The site around the explainers: statuses, claims index, source pages, feed, sitemap, tags."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
import yaml
from bs4 import BeautifulSoup

from explainers.tools import importer
from sitebuild import EXPLAINER, SHARED_SOURCE

SECOND = (
    EXPLAINER.replace("title: A test explainer", "title: A second explainer")
    .replace("date: 2025-01-14", "date: 2025-02-01")
    .replace("summary: What the test is about.", "summary: The second one.")
    .replace("Opening sentence [@alpha].", "Opening sentence [@alpha] [@shared].")
    .replace("status: confirmed", "status: disputed")
)


@pytest.fixture
def built(site):
    site.write("sources/shared.yml", SHARED_SOURCE)
    site.write("first.md", EXPLAINER.replace("[@alpha].", "[@shared] [@alpha].", 1))
    site.write("second.md", SECOND)
    run = site.build()
    assert run.code == 0, run.stderr
    return site


def test_home_lists_explainers_newest_first_with_standfirsts(built):
    entries = built.page("index.html").select(".entry")
    assert [e.select_one(".entry__title").get_text(strip=True) for e in entries] == [
        "A second explainer",
        "A test explainer",
    ]
    assert entries[0].select_one(".entry__summary").get_text() == "The second one."


def test_a_list_shows_no_text_cut_from_the_body_of_an_explainer_without_a_summary(site):
    # Pelican's summary of a file without one is its body's first words, citation links and
    # all: on a list they lead nowhere, and their ids repeat. A list shows the title alone.
    site.write("first.md", EXPLAINER.replace("summary: What the test is about.\n", ""))
    assert site.build().code == 0
    entry = site.page("index.html").select_one(".entry")
    assert str(entry.select_one(".entry__title")) == (
        '<h2 class="entry__title"><a href="./a-test-explainer.html">A test explainer</a></h2>'
    )
    assert entry.select(".entry__summary") == []
    assert entry.select("a[href^='#']") == []
    assert "Opening sentence" not in entry.get_text()


def test_statuses_page_defines_every_status_and_labels_link_to_it(built):
    statuses = built.page("statuses.html")
    rows = statuses.select(".status-definitions__row")
    assert [row["id"] for row in rows] == [
        "status-confirmed",
        "status-reported",
        "status-claimed",
        "status-estimate",
        "status-disputed",
        "status-unverified",
        "status-false",
    ]
    assert "Credible sources contradict each other" in statuses.select_one("#status-disputed").get_text()
    page = built.page("a-second-explainer.html")
    labels = page.select("#claims .status")
    # Every label links to the method page, where the same ids define the statuses.
    assert [a["href"] for a in labels] == [
        "./method.html#status-disputed",
        "./method.html#status-estimate",
    ]
    method = built.page("method.html")
    assert [row["id"] for row in method.select(".status-definitions__row")] == [row["id"] for row in rows]


def test_the_statuses_page_and_the_method_page_define_each_status_in_the_same_words(built):
    """<dt>Unverified</dt><dd>… A claim may carry this label without a source. All “Unverified” claims</dd>,
    on both pages: one list."""
    statuses, method = built.page("statuses.html"), built.page("method.html")
    rows = [str(row) for row in statuses.select(".status-definitions")]
    assert rows == [str(row) for row in method.select(".status-definitions")]
    unverified = statuses.select_one("#status-unverified dd").get_text(" ", strip=True)
    assert "A claim may carry this label without a source." in unverified
    assert "without a source" not in statuses.select_one("#status-confirmed dd").get_text()


def test_claims_index_lists_every_claim_and_filters_by_status_without_javascript(built):
    index = built.page("claims.html")
    items = index.select(".claim-index__item")
    assert sorted(item["data-status"] for item in items) == ["confirmed", "disputed", "estimate", "estimate"]
    assert index.select_one('.filter [aria-current="page"]').get_text() == "All"
    links = [a["href"] for a in items[0].select(".claim-index__text a")]
    assert links[0].endswith(".html#claim-first-claim")
    estimates = built.page("claims/estimate.html")
    assert {item["data-status"] for item in estimates.select(".claim-index__item")} == {"estimate"}
    assert len(estimates.select(".claim-index__item")) == 2
    assert estimates.select_one('.filter [aria-current="page"]').get_text(strip=True) == "Estimate (2)"
    assert "No claim has this status yet." in built.page("claims/false.html").get_text()


def test_a_page_per_site_wide_source_lists_the_explainers_citing_it(built):
    page = built.page("sources/shared.html")
    assert page.h1.get_text() == "Shared report"
    citing = page.select(".citing > li > a")
    assert sorted(a.get_text() for a in citing) == ["A second explainer", "A test explainer"]
    assert all(a["href"].endswith("#source-shared") for a in citing)
    note = built.page("a-test-explainer.html").select_one("#source-shared")
    assert note.select_one(".note__more")["href"] == "./sources/shared.html"


def test_feed_entries_keep_their_notes_with_absolute_links(built):
    feed = ET.parse(built.output / "feeds" / "all.atom.xml")
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    entries = feed.getroot().findall("atom:entry", ns)
    assert len(entries) == 2
    for entry in entries:
        page_url = entry.find("atom:link", ns).get("href")
        assert page_url.startswith("http://127.0.0.1:8000/")
        content = BeautifulSoup(entry.find("atom:content", ns).text, "lxml")
        refs = content.select('a[role="doc-noteref"]')
        assert refs
        assert all(a["href"].startswith(page_url + "#source-") for a in refs)
        assert not content.select('a[href^="#"]')
        notes = content.select("ol > li[id^=source-]")
        assert [li["id"] for li in notes][:1] == ["source-" + refs[0]["href"].split("#source-")[1]]
        # Out of its page a note starts with its source, not with "a b c" back into the page.
        assert [a["href"] for li in notes for a in li.select('a[href*="#"]')] == []


def test_a_feed_note_says_when_its_title_is_our_description(site):
    # title_is: description  ->  page "Our description: Gamma dataset"; the feed says it too.
    site.write(
        "test.md",
        EXPLAINER.replace(
            "    title: Gamma dataset\n", "    title: Gamma dataset\n    title_is: description\n"
        ),
    )
    run = site.build()
    assert run.code == 0, run.stderr
    feed = ET.parse(site.output / "feeds" / "all.atom.xml")
    content = feed.getroot().find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}content")
    notes = BeautifulSoup(content.text, "lxml").select("ol > li[id^=source-]")
    said = {li["id"]: li.get_text().strip() for li in notes}
    assert said["source-gamma"].startswith("Gamma Institute: Our description: Gamma dataset.")
    assert said["source-alpha"].startswith("Alpha News: Alpha report.")


GAMMA_IN_FULL = """\
    title: Gamma dataset
    doi: 10.5555/12345678
    authors: [Ana Ruiz, Bo Li]
    language: es
    quote: La producción cayó "un tercio".
    note: Figures for 2024 <only>.
"""


def test_a_feed_note_says_what_the_page_s_note_says_of_its_source(site):
    # Before, a feed reader's note gave the publisher, the title, the publication date and the
    # archived copy alone: not the DOI, the authors, when the source was read, the passage
    # relied on, nor the writer's note, all on the page.
    site.write("test.md", EXPLAINER.replace("    title: Gamma dataset\n", GAMMA_IN_FULL))
    run = site.build()
    assert run.code == 0, run.stderr
    feed = ET.parse(site.output / "feeds" / "all.atom.xml")
    content = feed.getroot().find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}content")
    gamma = BeautifulSoup(content.text, "lxml").select_one("#source-gamma")
    assert " ".join(gamma.get_text().split()) == (
        "Gamma Institute: Gamma dataset. DOI: 10.5555/12345678. By Ana Ruiz, Bo Li. "
        'Accessed 12 January 2025. La producción cayó "un tercio". Figures for 2024 <only>.'
    )
    assert gamma.select_one("a[href='https://doi.org/10.5555/12345678']").get_text() == "10.5555/12345678"
    assert gamma.blockquote["lang"] == "es"
    page_note = site.page("a-test-explainer.html").select_one("#source-gamma .note__body")
    assert "Accessed 12 January 2025." in page_note.get_text()  # as the page says it


def test_sitemap_lists_the_explainers_with_absolute_urls(built):
    sitemap = (built.output / "sitemap.xml").read_text()
    assert "<loc>http://127.0.0.1:8000/a-test-explainer.html</loc>" in sitemap
    assert "<loc>http://127.0.0.1:8000/a-second-explainer.html</loc>" in sitemap


def test_sharing_tags(built):
    page = built.page("a-test-explainer.html")
    assert page.select_one('link[rel="canonical"]')["href"] == "http://127.0.0.1:8000/a-test-explainer.html"
    meta = {m.get("property") or m.get("name"): m["content"] for m in page.select("meta[content]")}
    assert meta["og:title"] == "A test explainer · Explainers"
    assert meta["og:type"] == "article"
    assert meta["og:url"] == "http://127.0.0.1:8000/a-test-explainer.html"
    assert meta["og:description"] == meta["description"] == "What the test is about."
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["og:image"] == "http://127.0.0.1:8000/a-test-explainer.card.png"
    assert meta["article:published_time"].startswith("2025-01-14")


def test_explainer_header_shows_dates_and_reading_time(built):
    byline = built.page("a-test-explainer.html").select_one(".byline")
    times = byline.select("time")
    # Published, updated (a link to the corrections), and how far its reporting reaches.
    assert [t["datetime"][:10] for t in times] == ["2025-01-14", "2025-01-15", "2025-01-10"]
    assert byline.select_one('a[href="#corrections"]').get_text() == "Updated 15 January 2025"
    assert "1 min read" in byline.get_text()


def test_the_site_has_search_a_404_page_and_no_inline_script(built):
    assert (built.output / "pagefind" / "0" / "pagefind.js").is_file()
    assert built.page("search.html").select_one('form[role="search"] input[name="q"]') is not None
    assert built.page("404.html").h1.get_text() == "Page not found"
    for path in built.output.rglob("*.html"):
        if "pagefind" in path.parts:
            continue
        for script in BeautifulSoup(path.read_text(), "lxml").select("script"):
            assert script.get("src") or script.get("type") == "application/ld+json", path


def test_no_render_blocking_script(built):
    page = built.page("a-test-explainer.html")
    for script in page.select("script[src]"):
        assert script.has_attr("defer") or script.get("type") == "module"
    assert not page.head.select("script[src]")


def test_claims_and_sources_are_published_as_data(built):
    page = built.page("a-test-explainer.html")
    links = {a.get_text(): a["href"] for a in page.select(".notes__data a")}
    assert links == {
        "claims and sources (JSON)": "./a-test-explainer.claims.json",
        "sources (CSL-JSON, for reference managers)": "./a-test-explainer.sources.csl.json",
    }
    assert page.select_one('link[rel="alternate"][type="application/json"]')["href"].endswith(".claims.json")
    document = json.loads((built.output / "a-test-explainer.claims.json").read_text())
    assert document["explainer"]["url"] == "http://127.0.0.1:8000/a-test-explainer.html"
    claims = {claim["id"]: claim for claim in document["claims"]}
    assert claims["first-claim"]["status"] == "confirmed"
    assert claims["first-claim"]["text"] == "The first claim, with emphasis."
    assert [s["key"] for s in claims["first-claim"]["sources"]] == ["beta", "alpha"]
    assert [s["number"] for s in document["sources"]] == [1, 2, 3, 4]
    csl = json.loads((built.output / "a-test-explainer.sources.csl.json").read_text())
    beta = next(item for item in csl if item["id"] == "beta")
    assert beta["issued"] == {"date-parts": [[2025, 1, 10]]}
    assert beta["URL"] == "https://beta.example/briefing"


def test_the_csl_json_imports_back_as_the_same_sources(built, tmp_path):
    content = tmp_path / "content"
    csl = built.output / "a-test-explainer.sources.csl.json"
    assert importer.run(str(csl), str(content), "sources", str(tmp_path / "schema.json")) == 0
    imported = yaml.safe_load((content / "sources" / "a-test-explainer.sources.csl.yml").read_text())
    assert imported["beta"]["title"] == "Beta briefing"
    assert imported["beta"]["url"] == "https://beta.example/briefing"
    assert imported["beta"]["published"] == "2025-01-10"


def test_a_note_offers_other_explainers_only_when_one_cites_its_source(site):
    """Cited by two: <a class="note__more" href="./sources/shared.html">Also cited in 1 other
    explainer</a>. Cited by one: no such link. Kept true when the other one goes (the page
    cache must not keep the old page)."""
    site.write("sources/shared.yml", SHARED_SOURCE)
    site.write("first.md", EXPLAINER.replace("[@alpha].", "[@shared] [@alpha].", 1))
    site.write("second.md", SECOND)
    assert site.build().code == 0
    more = site.page("a-test-explainer.html").select("#source-shared .note__more")
    assert [(a.get_text(), a["href"]) for a in more] == [
        ("Also cited in 1 other explainer", "./sources/shared.html")
    ]
    (site.content / "second.md").unlink()
    assert site.build().code == 0
    assert site.page("a-test-explainer.html").select_one("#source-shared") is not None
    assert site.page("a-test-explainer.html").select(".note__more") == []
    # Its page is still linked (before, nothing led to it once no other explainer cited it).
    about = site.page("a-test-explainer.html").select("#source-shared .note__about")
    assert [(a.get_text(), a["href"]) for a in about] == [("About this source", "./sources/shared.html")]
    assert (site.output / "sources" / "shared.html").is_file()
    assert site.page("a-test-explainer.html").select("#source-alpha .note__about") == []  # its own source


def test_feed_entries_carry_the_claims_with_their_statuses_and_the_corrections(built):
    """<h2>Key claims</h2><ol><li><a href="…/statuses.html#status-confirmed"><strong>Confirmed</strong></a>:
    <a href="…/a-test-explainer.html#claim-first-claim">The first claim, with <em>emphasis</em>.</a>
    (Alpha News)</li>…</ol> … <h2>Corrections and updates</h2><ol><li>15 January 2025,
    Clarification: An earlier version said <em>less</em>.</li></ol>"""
    feed = ET.parse(built.output / "feeds" / "all.atom.xml")
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    entries = {e.find("atom:title", ns).text: e for e in feed.getroot().findall("atom:entry", ns)}
    content = BeautifulSoup(entries["A test explainer"].find("atom:content", ns).text, "lxml")
    assert [h2.get_text() for h2 in content.select("h2")] == [
        "Key claims",
        "Corrections and updates",
        "Sources",
    ]
    claims = content.select("h2 + ol")[0].select("li")
    assert [li.get_text() for li in claims] == [
        "Confirmed: The first claim, with emphasis. (Alpha News)",
        "Estimate: A claim the body never cites. (Gamma Institute)",
    ]
    status, text = claims[0].select("a")
    assert status["href"] == "http://127.0.0.1:8000/statuses.html#status-confirmed"
    assert text["href"] == "http://127.0.0.1:8000/a-test-explainer.html#claim-first-claim"
    assert text.em.get_text() == "emphasis"
    corrections = content.select("h2 + ol")[1].select("li")
    assert [li.get_text() for li in corrections] == [
        "15 January 2025, Clarification: An earlier version said less."
    ]


def test_the_claims_index_groups_the_claims_by_status_in_the_sites_order(built):
    """<section class="claim-group"><h2><a class="status">Confirmed</a> <span>1 claim</span></h2>
    <p>What it means. <a href="./claims/confirmed.html">Only these</a></p><ol>…</ol></section>,
    then Estimate (2 claims), then Disputed; statuses no claim has are named in the filter, not linked."""
    index = built.page("claims.html")
    groups = index.select("section.claim-group")
    assert [g.h2.get_text(" ", strip=True) for g in groups] == [
        "Confirmed 1 claim",
        "Estimate 2 claims",
        "Disputed 1 claim",
    ]
    assert [{li["data-status"] for li in g.select(".claim-index__item")} for g in groups] == [
        {"confirmed"},
        {"estimate"},
        {"disputed"},
    ]
    assert groups[0].select_one(".claim-group__about a")["href"] == "./claims/confirmed.html"
    assert [li.get_text() for li in index.select(".filter .filter__empty")] == [
        "Reported (0)",
        "Claimed (0)",
        "Unverified (0)",
        "False (0)",
    ]
    estimates = built.page("claims/estimate.html").select("section.claim-group")
    assert [g.h2.get_text(" ", strip=True) for g in estimates] == ["Estimate 2 claims"]


def test_search_without_javascript_shows_no_dead_form_and_links_the_real_archives(built):
    # <form class="search" hidden>  (search.js shows it)
    # <noscript>… listed in the <a href="./archives.html">archives</a> …</noscript>
    # Before: a form that did nothing without JavaScript, and "archives" led to the home page.
    search = built.page("search.html")
    assert search.select_one("form.search").has_attr("hidden")
    note = BeautifulSoup(search.select_one("noscript").decode_contents(), "lxml")
    archives = note.find("a", string="archives")["href"]
    assert archives.rstrip("/").split("/")[-1] == "archives.html"
    assert (built.output / "archives.html").is_file()
