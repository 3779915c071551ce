"""`make linkcheck` and the quote links, against a local server that plays the cited sites."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from explainers.document.lockfile import Archived, Lockfile
from explainers.online import web as fetching
from explainers.render.view import text_fragment
from localweb import LocalWeb
from sitebuild import Site

QUOTE = "The bridge “will reopen” — in spring"
PAGE_WITH_QUOTE = '<p>Officials said: The bridge <em>"will</em> reopen"\n  - in   spring, they said.</p>'


@pytest.fixture
def web():
    with LocalWeb() as server:
        yield server


SOURCES = {
    # key: (how the server answers, front-matter lines beyond title/publisher/url)
    "ok": "",
    "moved": "",
    "hopped": "",
    "gone": "",
    "missing": "",
    "slow": "",
    "refuses_head": "",
    "changed": "",
    "quoted": f"    quote: {json.dumps(QUOTE)}\n",
    "elided": '    quote: "Officials said: … in spring"\n',
    "unquoted": '    quote: "Words the page never said"\n',
    "corrected": '    quote: "The toll will be free"\n',
    "pdf": '    quote: "Words inside a PDF"\n',
    "dead_copy": "    archive_url: {dead_copy}\n",
}


@pytest.fixture
def cited(web: LocalWeb, site: Site) -> dict[str, str]:
    urls = {
        "ok": web.page("/ok", "<p>Fine.</p>"),
        "moved": web.redirect("/moved", "/ok", 301),
        "hopped": web.redirect("/hopped", "/temporary", 302),
        "gone": web.page("/gone", status=410),
        "missing": web.page("/missing", status=404),
        "slow": web.page("/slow", "<p>Late.</p>", delay=3),
        "refuses_head": web.page("/refuses-head", "<p>GET only.</p>", head_status=405),
        "changed": web.page("/changed", "<p>Today's words.</p>"),
        "quoted": web.page("/quoted", PAGE_WITH_QUOTE),
        "elided": web.page("/elided", PAGE_WITH_QUOTE),
        "unquoted": web.page("/unquoted", "<p>Other words.</p>"),
        "corrected": web.page("/corrected", "<p>Correction: the toll will be charged.</p>"),
        "dead_copy": web.page("/dead-copy", "<p>Fine.</p>"),
    }
    web.page("/temporary", "<p>Fine for now.</p>")
    web.pages["/pdf"] = type(web.pages["/ok"])(200, b"%PDF-1.7 binary", {"Content-Type": "application/pdf"})
    urls["pdf"] = web.url("/pdf")
    lines = []
    for key, extra in SOURCES.items():
        lines.append(
            f"  {key}:\n    title: The {key} page\n    publisher: Outlet {key}\n    url: {urls[key]}\n"
        )
        lines.append(extra.format(dead_copy=web.url("/no-such-copy")))
    site.write(
        "test.md",
        "---\ntitle: Checked links\ndate: 2025-11-20\nsummary: Links.\nauthors: [Desk]\n"
        "sources:\n" + "".join(lines) + "---\n\n" + " ".join(f"[@{key}]" for key in SOURCES) + "\n",
    )
    # What `make archive` recorded: the changed page as it was (with its hash); the
    # corrected page's quote, in its archived copy only.
    lock = Lockfile(str(site.content))
    for key, html, hashed in (
        ("changed", "<p>Yesterday's words.</p>", True),
        ("corrected", "<p>The toll will be free.</p>", False),
    ):
        then = fetching.Fetched("", 200, "", body=html.encode())
        entry = Archived(
            archive_url=web.snapshot(urls[key], "20251101000000", html),
            archived="2025-11-01",
            status=200,
            content_hash=then.content_hash if hashed else "",
        )
        lock.record(urls[key], entry)
    return urls


def linkcheck(site: Site, web: LocalWeb, *extra: str):
    options = {"LINKCHECK": {"TIMEOUT": 0.5, "WORKERS": 4}}
    return site.run("linkcheck", "-e", "EXPLAINERS=" + json.dumps(options), *extra)


def line_of(site: Site, key: str) -> int:
    return (site.content / "test.md").read_text().splitlines().index(f"  {key}:") + 1


def test_linkcheck_reports_dead_moved_changed_and_missing_quotes_at_their_lines(web, site, cited):
    run = linkcheck(site, web)
    assert run.code == 0  # warnings only
    found = {}
    for problem in run.problems:
        where, _, message = problem.partition(": warning: ")
        found.setdefault(where, []).append(message)
    at = {key: f"content/test.md:{line_of(site, key)}" for key in SOURCES}
    assert found == {
        at["moved"]: [
            f'source "moved": {cited["moved"]} has moved for good to {cited["ok"]}: cite the new address'
        ],
        at["gone"]: [f'source "gone": {cited["gone"]} is dead: 410 Gone'],
        at["missing"]: [f'source "missing": {cited["missing"]} is dead: 404 Not Found'],
        at["slow"]: [f'source "slow": {cited["slow"]} is dead: no answer (timed out)'],
        at["changed"]: [
            (
                f'source "changed": {cited["changed"]} has changed since it was archived on 2025-11-01: '
                "check that what the explainer cites it for still holds, then set its accessed date "
                "to the day you read it and run `make archive`"
            )
        ],
        at["unquoted"]: [
            'source "unquoted": its quote is not found on the page (which has no archived copy)'
        ],
        at["corrected"]: [
            (
                'source "corrected": its quote is no longer on the live page, only in the archived copy: '
                "the source may have been corrected"
            )
        ],
        at["dead_copy"]: [f'source "dead_copy": its archived copy {web.url("/no-such-copy")} is dead'],
    }
    # "ok", a temporary redirect, a server that refuses HEAD, quotes with other quotation
    # marks, dashes, spacing and markup, an elided quote, and a PDF: no warning.
    assert "Checked 14 addresses cited by 14 sources: 0 errors, 8 warnings" in run.stderr


def test_linkcheck_asks_head_first_and_get_only_when_needed(web, site, cited):
    linkcheck(site, web)
    assert [r.method for r in web.requests if r.path == "/dead-copy"] == ["HEAD"]
    assert [r.method for r in web.requests if r.path == "/refuses-head"] == ["HEAD", "GET"]
    assert [r.method for r in web.requests if r.path == "/quoted"] == ["HEAD", "GET"]  # the body is read
    assert [r.method for r in web.requests if r.path == "/gone"] == [
        "HEAD",
        "GET",
    ]  # never dead on HEAD alone


def test_linkcheck_asks_several_pages_at_once(web, site):
    keys = ("a", "b", "c", "d")
    sources = "".join(
        f"  {key}:\n    title: {key}\n    publisher: {key}\n    url: {web.page(f'/{key}', 'x', delay=0.4)}\n"
        for key in keys
    )
    site.write(
        "test.md", f"---\ntitle: T\ndate: 2025-11-20\nsummary: S.\nauthors: [D]\nsources:\n{sources}---\n\n"
    )

    def spread(workers: int) -> float:
        web.requests.clear()
        options = {"LINKCHECK": {"TIMEOUT": 2, "WORKERS": workers}}
        site.run("linkcheck", "-e", "EXPLAINERS=" + json.dumps(options))
        asked = [r.at for r in web.requests]
        return max(asked) - min(asked)

    assert spread(workers=4) < 0.3  # asked together
    assert spread(workers=1) >= 1.2  # one after another


def test_strict_linkcheck_fails_on_warnings(web, site, cited):
    assert linkcheck(site, web, "--strict").code == 1


def test_a_clean_site_passes_and_a_page_that_goes_away_is_reported(web, site):
    url = web.page("/article", f"<p>{QUOTE}</p>")
    site.write(
        "test.md",
        f"---\ntitle: Clean\ndate: 2025-11-20\nsummary: S.\nauthors: [Desk]\nsources:\n"
        f"  article:\n    title: An article\n    publisher: Outlet\n    url: {url}\n"
        f"    quote: {json.dumps(QUOTE)}\n---\n\nText [@article].\n",
    )
    clean = linkcheck(site, web)
    assert (clean.code, clean.problems) == (0, [])
    del web.pages["/article"]
    assert linkcheck(site, web).problems == [
        f'content/test.md:7: warning: source "article": {url} is dead: 404 Not Found',
    ]


def test_the_note_links_to_its_quote_with_a_text_fragment(web, site, cited):
    assert site.build().code == 0
    page = site.page("checked-links.html")
    link = page.select_one("#source-quoted .note__quote-link")
    assert link.get_text() == "See the quote in the source"
    url, _, fragment = link["href"].partition("#:~:text=")
    assert url == cited["quoted"]
    assert urllib.parse.unquote(fragment) == QUOTE
    assert not set(fragment) & set("-,&")  # reserved by the fragment syntax: encoded
    # An elided quote highlights from its first words to its last.
    start, end = link_fragment(page, "elided").split(",")
    assert (urllib.parse.unquote(start), urllib.parse.unquote(end)) == ("Officials said:", "in spring")
    assert page.select_one("#source-ok .note__quote-link") is None


def link_fragment(page, key: str) -> str:
    return page.select_one(f"#source-{key} .note__quote-link")["href"].partition("#:~:text=")[2]


@pytest.mark.parametrize(
    ("url", "quote", "expected"),
    [
        (
            "https://a.example/x#top",
            "one, two & three-four",
            "https://a.example/x#:~:text=one%2C%20two%20%26%20three%2Dfour",
        ),
        ("https://a.example/x", "  spaced\n  out ", "https://a.example/x#:~:text=spaced%20out"),
        (
            "https://a.example/x",
            "from here […] to there",
            "https://a.example/x#:~:text=from%20here,to%20there",
        ),
    ],
)
def test_text_fragments_encode_what_the_syntax_reserves(url, quote, expected):
    assert text_fragment(url, quote) == expected


@pytest.mark.parametrize(
    ("quote", "page", "found"),
    [
        ("“Quoted,” she said", '<p>"Quoted," she said</p>', True),
        ("it's  here", "<p>it’s<br>here</p>", True),
        ("en–dash and em—dash", "<p>en-dash and em-dash</p>", True),
        ("split words", "<p>split <em>wo</em>rds</p>", True),
        ("first … last", "<p>first, then middle, then last</p>", True),
        ("last … first", "<p>first, then middle, then last</p>", False),
        ("Not there", "<p>Something else</p>", False),
        ("hidden", "<script>var hidden = 1</script><p>shown</p>", False),
    ],
)
def test_quotes_are_compared_as_a_reader_reads_them(quote, page, found):
    assert fetching.quote_found(quote, fetching.page_text(page.encode())) is found


def test_a_machine_offline_is_told_so(site):
    site.write(
        "test.md",
        "---\ntitle: T\ndate: 2025-11-20\nsummary: S.\nauthors: [D]\nsources:\n"
        "  nowhere:\n    title: N\n    publisher: N\n    url: http://127.0.0.1:9/refused\n---\n\n[@nowhere]\n",
    )
    run = site.run("linkcheck")
    assert run.problems == [
        (
            'content/test.md:7: warning: source "nowhere": http://127.0.0.1:9/refused is dead: '
            "no answer ([Errno 111] Connection refused)"
        )
    ]
    assert "No cited address answered at all: is this machine online?" in run.stderr
