"""End to end: build small sites into a temporary folder and read the HTML (contract §3 and §4)."""

from __future__ import annotations

import gzip
import json
import os
import pickle
import subprocess
import sys

import pytest
from pelican import readers, urlwrappers

from explainers.plugin import pagefind_service, search
from sitebuild import EXPLAINER, ROOT, json_ld


@pytest.fixture
def built(site):
    site.write("test.md", EXPLAINER)
    run = site.build()
    assert run.code == 0, run.stderr
    return site.page("a-test-explainer.html")


def test_citations_are_numbered_by_first_citation(built):
    refs = built.select('a[role="doc-noteref"]')
    assert [(a["href"], a.get_text()) for a in refs] == [
        ("#source-alpha", "1"),
        ("#source-beta", "2"),
        ("#source-alpha", "1"),
        ("#source-alpha", "1"),
        ("#source-beta", "2"),
    ]


def test_notes_are_in_number_order_with_sources_reached_only_through_claims_last(built):
    notes = built.select_one('#sources[role="doc-endnotes"]')
    items = notes.select("ol > li")
    assert [li["id"] for li in items] == ["source-alpha", "source-beta", "source-gamma"]
    assert [li.select_one(".note__number").get_text() for li in items] == ["1.", "2.", "3."]


def test_every_fragment_link_resolves_and_ids_are_unique(built):
    ids = [element["id"] for element in built.select("[id]")]
    assert len(ids) == len(set(ids))
    for link in built.select('a[href^="#"]'):
        assert link["href"][1:] in ids, link


def test_backlinks_return_to_each_citation_with_distinct_names(built):
    alpha = built.select_one("#source-alpha")
    backlinks = alpha.select('a[role="doc-backlink"]')
    citation_ids = [a["id"] for a in built.select('a[role="doc-noteref"][href="#source-alpha"]')]
    assert [a["href"][1:] for a in backlinks] == citation_ids
    assert [a["aria-label"] for a in backlinks] == [
        "Back to citation 1a",
        "Back to citation 1b",
        "Back to citation 1c",
    ]
    gamma = built.select_one("#source-gamma")
    assert gamma.select('a[role="doc-backlink"]') == []  # reached only through an uncited claim


def test_locator_is_beside_the_number_and_in_data_locator(built):
    located = built.select('a[role="doc-noteref"][data-locator]')
    assert [a["data-locator"] for a in located] == ["para. 4", "p. 4"]
    assert located[0].find_next_sibling("span", class_="citation__locator").get_text() == ", para. 4"


def test_note_shows_publisher_title_link_dates_and_archive(built):
    beta = built.select_one("#source-beta")
    assert beta.select_one(".note__publisher").get_text() == "Beta Agency"
    title = beta.select_one("a.note__title")
    assert (title.get_text(), title["href"]) == ("Beta briefing", "https://beta.example/briefing")
    assert beta.select_one(".note__archive")["href"] == "https://archive.example/beta"
    assert [t["datetime"] for t in beta.select("time")] == ["2025-01-10", "2025-01-12"]


def test_a_source_language_is_named_for_readers_and_tagged_for_machines(site):
    accessed = "    accessed: 2025-01-12\n"
    site.write(
        "test.md",
        EXPLAINER.replace(f"{accessed}  beta:", f"{accessed}    language: ja\n  beta:").replace(
            f"{accessed}claims:", f"{accessed}    language: tlh\nclaims:"
        ),
    )
    assert site.build().code == 0
    page = site.page("a-test-explainer.html")
    alpha = page.select_one("#source-alpha")
    assert alpha.select_one(".note__language").get_text() == "(in Japanese)"
    assert alpha.select_one("a.note__title")["hreflang"] == "ja"
    assert page.select_one("#source-gamma .note__language").get_text() == "(in tlh)"


def test_claims_panel(built):
    claims = built.select_one("#claims")
    claim = claims.select_one("#claim-first-claim")
    assert claim["data-status"] == "confirmed"
    assert claim.select_one(".status").get_text() == "Confirmed"
    assert "Alpha News" in claim.get_text()
    assert claim.select_one(".claim__text").decode_contents() == "The first claim, with <em>emphasis</em>."
    # Written beta, alpha; shown in number order (alpha is 1).
    assert [a["href"] for a in claim.select("a.claim__source")] == ["#source-alpha", "#source-beta"]
    assert claim.select_one("a.status")["href"] == "./method.html#status-confirmed"
    assert claims.select_one("#claim-uncited-claim")["data-status"] == "estimate"


def test_corrections_are_dated(built):
    corrections = built.select_one("#corrections")
    assert corrections.select_one("time")["datetime"] == "2025-01-15"
    assert "An earlier version said less." in corrections.get_text()


def test_structured_data(built):
    data = json_ld(built)
    article, *reviews = data["@graph"]
    assert article["@type"] == "BackgroundNewsArticle"
    assert article["headline"] == "A test explainer"
    assert article["datePublished"].startswith("2025-01-14")
    assert article["dateModified"].startswith("2025-01-15")  # the newest correction
    assert article["author"] == [{"@type": "Person", "name": "Test desk"}]
    assert [c["url"] for c in article["citation"]] == [
        "https://alpha.example/report",
        "https://beta.example/briefing",
        "https://gamma.example/data",
    ]
    assert article["correction"][0]["@type"] == "CorrectionComment"
    # Only "confirmed" has a rating by default; "estimate" is not a verdict.
    assert len(reviews) == 1
    review = reviews[0]
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "The first claim, with emphasis."
    assert review["reviewRating"]["alternateName"] == "Confirmed"
    assert review["itemReviewed"]["author"]["name"] == "Alpha News"
    assert review["url"].endswith("#claim-first-claim")


def test_site_wide_sources_can_be_cited(site):
    site.write(
        "sources/shared.yml",
        """\
        shared:
          title: Shared report
          publisher: Shared Agency
          url: https://shared.example/
          accessed: 2025-01-12
        """,
    )
    site.write("test.md", EXPLAINER.replace("Opening sentence [@alpha].", "Opening [@shared] [@alpha]."))
    assert site.build().code == 0
    page = site.page("a-test-explainer.html")
    assert [li["id"] for li in page.select("#sources li")][:2] == ["source-shared", "source-alpha"]


def test_front_matter_is_escaped_everywhere(site):
    site.write(
        "test.md",
        EXPLAINER.replace("title: A test explainer", 'title: "<script>alert(1)</script> Title"')
        .replace("summary: What the test is about.", 'summary: "<img src=x onerror=alert(1)>"')
        .replace("The first claim, with *emphasis*.", '"<b>bold</b> claim"')
        .replace("title: Alpha report", 'title: "</script><script>alert(2)</script>"'),
    )
    assert site.build().code == 0
    html = (site.output / "alert1-title.html").read_text()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>bold</b>" not in html
    page = site.page("alert1-title.html")
    assert page.h1.get_text() == "<script>alert(1)</script> Title"
    assert json_ld(page)["@graph"][0]["citation"][0]["name"] == "</script><script>alert(2)</script>"


def test_unsafe_link_in_claim_text_is_an_error(site):
    site.write(
        "test.md",
        EXPLAINER.replace("The first claim, with *emphasis*.", "A [link](javascript:alert(1)) claim."),
    )
    run = site.build()
    assert run.code == 1
    assert run.problems == [
        'content/test.md:26: error: link to "javascript:alert(1)": only http(s) links are allowed here'
    ]


def test_unsafe_link_in_body_is_an_error(site):
    site.write("test.md", EXPLAINER + "\nA [bad link](javascript:alert(1)).\n")
    run = site.build()
    assert run.problems == [
        (
            'content/test.md:42: error: link to "javascript:alert(1)": only http(s), mailto and '
            "relative links are allowed"
        )
    ]


def test_ordinary_pelican_pages_still_work(site):
    site.write(
        "plain.md",
        """\
        Title: A plain article
        Date: 2025-01-01
        Tags: one, two

        Plain *Markdown* with [a link](https://example.org/).
        """,
    )
    site.write("pages/about.md", "Title: About\n\nAbout this site.\n")
    site.write("test.md", EXPLAINER)
    assert site.build().code == 0
    article = site.page("a-plain-article.html")
    assert article.h1.get_text() == "A plain article"
    assert article.select_one("em").get_text() == "Markdown"
    assert site.page("pages/about.html").h1.get_text() == "About"
    index = site.page("index.html")
    assert {a.get_text() for a in index.select(".entry__title a")} == {"A plain article", "A test explainer"}


def test_drafts_are_not_published_on_the_index(site):
    site.write("test.md", EXPLAINER.replace("summary:", "status: draft\nsummary:"))
    assert site.build().code == 0
    assert site.page("index.html").select(".entry") == []
    assert (site.output / "drafts" / "a-test-explainer.html").exists()


def test_a_failed_build_writes_nothing(site):
    site.write("test.md", EXPLAINER.replace("status: confirmed", "status: maybe"))
    run = site.build()
    assert run.code == 1
    assert not site.output.exists()
    assert "Build failed" in run.stderr
    assert sorted(p.name for p in site.root.iterdir()) == ["cache", "content"]  # no staging folder left


def test_pelican_fields_keep_their_meaning(site):
    site.write("test.md", EXPLAINER)
    site.write("test-fr.md", EXPLAINER.replace("summary:", "lang: fr\ntranslation: true\nsummary:"))
    site.write(
        "custom.md", EXPLAINER.replace("title: A test explainer", "title: Custom\nsave_as: elsewhere.html")
    )
    # save_as decides where a file is written: a site must allow it (tests/attack has the refusals).
    run = site.build("-e", 'EXPLAINERS={"ALLOW_FIELDS": ["save_as"]}')
    assert run.code == 0, run.stderr
    assert (site.output / "a-test-explainer-fr.html").exists()
    assert site.page("a-test-explainer-fr.html").html["lang"] == "fr"
    assert (site.output / "elsewhere.html").exists()
    index = site.page("index.html")
    assert [a.get_text() for a in index.select(".entry__title a")].count("A test explainer") == 1


def test_unchanged_files_come_from_the_cache_with_their_problems(site):
    site.write("test.md", EXPLAINER.replace("    accessed: 2025-01-12\n", "", 1))
    first = site.build()
    assert first.code == 0
    cached = list((site.root / "cache" / "explainers").rglob("*.build"))
    assert len(cached) == 1
    second = site.build()
    assert second.problems == first.problems  # reported again, though nothing was rebuilt
    assert second.problems == ['content/test.md:7: warning: source "alpha" has a url but no accessed date']
    assert site.check().problems == first.problems
    site.write("test.md", EXPLAINER.replace("status: confirmed", "status: maybe"))
    assert site.build().code == 1  # a changed file is built again
    site.write("test.md", EXPLAINER)
    assert site.build().code == 0
    # Older outcomes are pruned: the cache keeps the file's last one alone, in a file of its own
    # (read behind the run) or in a pack (read by a rebuild of it alone, which then found the
    # whole site was to be built).
    cache = site.root / "cache" / "explainers"
    packed = [key for index in cache.rglob("build.index") for key in pickle.loads(index.read_bytes())]
    assert len(list(cache.rglob("*.build"))) + len(packed) == 1


def test_check_and_build_read_markdown_alike(site):
    # Fenced code is Python-Markdown's `extra`; a check must know it as the build does.
    site.write("test.md", EXPLAINER + "\n```\n[@not-a-citation]\n```\n")
    assert site.check().problems == []
    assert site.build().problems == []


def search_pages(site) -> list[str]:
    """The addresses the site's search index holds, as Pagefind lists them."""
    found = []
    for fragment in sorted((site.output / "pagefind").rglob("*.pf_fragment")):
        found.append(json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))["url"])
    return sorted(found)


def test_search_indexes_the_published_explainers_and_keeps_no_record_file(site):
    site.write("test.md", EXPLAINER)
    site.write("second.md", EXPLAINER.replace("title: A test explainer", "title: Second"))
    assert site.build().code == 0
    assert search_pages(site) == ["/a-test-explainer.html", "/second.html"]
    (site.content / "second.md").unlink()
    site.write("test.md", EXPLAINER.replace("summary:", "status: draft\nsummary:"))
    site.write("third.md", EXPLAINER.replace("title: A test explainer", "title: Third"))
    assert site.build().code == 0
    assert search_pages(site) == ["/third.html"]  # deleted and drafted explainers are not searchable
    assert (site.output / "pagefind" / "0" / "pagefind.js").is_file()
    # Handed to Pagefind, not written one a file: a file made is what a build's cache costs. What
    # the part's index was made from is kept, for the next build: its records and their stamps.
    records = sorted(p.name for p in (site.root / "cache").rglob("search/records/*"))
    assert records == ["1-0.json", "1-0.stamps.json"]


def test_an_edit_indexes_again_only_the_part_of_the_index_that_holds_it(site):
    # One explainer a part; these two addresses fall in different parts. (The last -e wins:
    # the cache is named again.)
    one_a_part = ("-e", f"CACHE_PATH={site.root / 'cache'}", 'EXPLAINERS={"SEARCH_PART_SIZE": 1}')
    orchard = EXPLAINER.replace("title: A test explainer", "title: Orchard explainer")
    site.write("harbour.md", EXPLAINER.replace("title: A test explainer", "title: The harbour explainer"))
    site.write("orchard.md", orchard)
    indexes = lambda: {p.name for p in (site.root / "cache").rglob("search/indexes/*")}  # noqa: E731
    assert site.build(*one_a_part).code == 0
    before = indexes()
    assert len(before) == 2
    assert json.loads((site.output / "pagefind" / "parts.json").read_text()) == ["0", "1"]
    site.write("orchard.md", orchard + "More.\n")
    assert site.build(*one_a_part).code == 0
    after = indexes()
    assert len(after) == 2
    assert len(before & after) == 1  # the harbour's part is kept; the orchard's is made again


def test_pagefind_is_started_as_its_own_program_not_through_python(site, monkeypatch):
    """Each part of the index starts Pagefind; `python -m pagefind` is a Python starting only to
    find Pagefind's program and run it in its place (a tenth of a second of a core, a part):
    the build finds the program once and starts it itself."""
    log = site.root / "started"  # the indexing's own process starts it: said in a file
    popen = pagefind_service.subprocess.Popen

    def started_as(command, *args, **kwargs):
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(command) + "\n")
        return popen(command, *args, **kwargs)

    monkeypatch.setattr(pagefind_service.subprocess, "Popen", started_as)
    site.write("test.md", EXPLAINER)
    assert site.build().code == 0
    started = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [os.path.basename(command[0]) for command in started] == ["pagefind"]
    assert started[0][1:] == ["--service"]
    assert (site.output / "pagefind" / "0" / "pagefind.js").is_file()


def test_pagefind_s_program_is_found_where_pagefind_finds_it_without_its_asyncio_api(monkeypatch):
    """Pagefind's own finder (`pagefind.service.get_executable`) is the rule; its module is
    Pagefind's asyncio API, which a build that only needs the program's path never imports
    (60-80 ms of a rebuild's busy core)."""
    from pagefind.service import get_executable  # noqa: PLC0415 (this test's own process only)

    assert search.pagefind_program() == [str(get_executable().resolve())]
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", sys.executable)
    assert (
        search.pagefind_program() == [str(get_executable().resolve())] == [os.path.realpath(sys.executable)]
    )
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    probe = "import sys; from explainers.plugin import search; search.pagefind_program(); print(*sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    assert "pagefind_bin" in loaded
    assert "asyncio" not in loaded
    assert "pagefind.service" not in loaded


def test_a_killed_build_s_records_are_removed_by_the_next(site):
    site.write("test.md", EXPLAINER)
    assert site.build().code == 0
    (records,) = (site.root / "cache").rglob("search/records")
    # A run long gone; the parts of a site of another size; an older layout.
    left = [records / "1-0.999999999.0.json", records / "2-1.json", records / "8-2"]
    left[0].write_text("[]")
    left[1].write_text("{}")
    left[2].mkdir()
    (left[2] / "a-test-explainer.html").write_text("")
    site.write("test.md", EXPLAINER.replace("Opening sentence", "A new opening sentence"))
    assert site.build().code == 0
    assert sorted(p.name for p in records.iterdir()) == ["1-0.json", "1-0.stamps.json"]


def test_raw_html_that_could_run_is_an_error(site):
    site.write(
        "test.md",
        EXPLAINER + '\n<div onclick="steal()">x</div>\n\n<script>alert(1)</script>\n\n'
        '<p><a href="javascript:alert(2)">y</a> <img src="data:image/png;base64,AA"></p>\n',
    )
    run = site.build()
    assert run.code == 1
    prefix = "content/test.md:{}: error: raw HTML in the body: "
    addresses = ": only http(s), mailto and relative addresses are allowed"
    assert run.problems == [
        prefix.format(42) + 'the event handler attribute "onclick" is not allowed',
        prefix.format(44) + "<script> is not allowed",
        prefix.format(46) + 'href="javascript:alert(2)"' + addresses,
        prefix.format(46) + 'src="data:image/png;base64,AA"' + addresses,
    ]


def test_safe_raw_html_is_kept(site):
    site.write(
        "test.md",
        EXPLAINER + '\n<figure><img src="images/map.png" alt="A map"><figcaption>Map</figcaption></figure>\n',
    )
    site.write("images/map.png", "png")  # a plain address is checked as {static} is
    assert site.build().code == 0
    assert site.page("a-test-explainer.html").select_one("figure figcaption").get_text() == "Map"


def test_an_empty_file_is_reported(site):
    site.write("test.md", EXPLAINER)
    site.write("empty.md", "\n")
    expected = ["content/empty.md:1: error: the file is empty: give it front matter and a body, or delete it"]
    assert site.check().problems == expected
    assert site.build().problems == expected


def test_links_to_other_sites_carry_a_safe_rel(site):
    site.write(
        "test.md", EXPLAINER + "\nSee [the agency](https://agency.example/report) and [home](index.html).\n"
    )
    assert site.build().code == 0
    page = site.page("a-test-explainer.html")
    assert page.select_one('a[href="https://agency.example/report"]')["rel"] == ["noopener", "noreferrer"]
    assert not page.select_one('a[href="index.html"]').has_attr("rel")
    for link in page.select('a[href^="http"]'):
        if not link["href"].startswith("http://127.0.0.1:8000"):
            assert {"noopener", "noreferrer"} <= set(link.get("rel", [])), link


def test_two_explainers_with_one_address_are_reported(site):
    site.write("a.md", EXPLAINER)
    site.write("b.md", EXPLAINER)
    run = site.build()
    assert run.code == 1
    message = "this explainer is written to a-test-explainer.html, as is content/a.md"
    assert run.problems == [f"content/b.md:1: error: {message}: give one of them its own slug"]


def test_each_name_and_date_is_one_object_made_once_a_run(site, monkeypatch):
    """Pelican makes a tag, category and author object of each name for each article, and
    works each one's slug out again, and parses each article's date; the reader hands every
    article the run's one object of a name and kind, and of a date's text, so each slug is
    made and each date parsed once a run, and the lists are Pelican's."""
    made, parsed = [], []
    slugify, get_date = urlwrappers.slugify, readers.get_date
    monkeypatch.setattr(
        urlwrappers, "slugify", lambda value, **kw: made.append(value) or slugify(value, **kw)
    )
    monkeypatch.setattr(readers, "get_date", lambda text: parsed.append(text) or get_date(text))
    fields = "tags: [Harbour, Floods]\ncategory: Weather\ndate: 2025-01-14"
    for number in range(3):
        text = EXPLAINER.replace("A test explainer", f"Explainer {number}").replace(
            "date: 2025-01-14", fields
        )
        site.write(f"test-{number}.md", text)
    assert site.build().code == 0
    assert sorted(made) == ["Floods", "Harbour", "Test desk", "Weather"]
    assert sorted(parsed) == ["2025-01-14", "2025-01-15"]  # the date, and the correction's (modified)
    for address in ("tag/harbour.html", "tag/floods.html", "category/weather.html", "author/test-desk.html"):
        listed = [link.get_text(strip=True) for link in site.page(address).select("main .entry__title a")]
        assert listed == ["Explainer 0", "Explainer 1", "Explainer 2"], address
        dates = [time["datetime"] for time in site.page(address).select("main .entry__meta time")]
        assert dates == ["2025-01-14T00:00:00+00:00"] * 3, address
