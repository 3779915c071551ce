"""`make archive` and the lockfile, against a local server playing the sites and the archive."""

from __future__ import annotations

import itertools
import json
import re

import pydantic
import pytest
from pelican.settings import read_settings

from explainers.online.sources import cited_sources
from explainers.run import Run
from localweb import LocalWeb
from sitebuild import CONFFILE, EXPLAINER, Site

TODAY = "2025-12-02"


@pytest.fixture
def web():
    with LocalWeb() as server:
        yield server


def explainer(urls: dict[str, str], extra_source: str = "") -> str:
    return f"""\
---
title: Archived sources
date: 2025-11-20
summary: What the archive keeps.
authors: [Test desk]
sources:
  fresh:
    title: Fresh report
    publisher: Alpha News
    url: {urls["fresh"]}
    accessed: 2025-11-20
  stale:
    title: Stale report
    publisher: Beta News
    url: {urls["stale"]}
    accessed: 2025-11-20
  declared:
    title: Declared copy
    publisher: Gamma Agency
    url: {urls["declared"]}
    archive_url: https://archive.example/declared
    accessed: 2025-11-20
  gone:
    title: Gone page
    publisher: Delta Daily
    url: {urls["gone"]}
    accessed: 2025-11-20
{extra_source}claims:
  - id: the-claim
    text: Something the sources say.
    status: reported
    sources: [fresh, stale, declared, gone]
---

The claim [@the-claim].
"""


def settings(web: LocalWeb, **archive) -> tuple[str, str]:
    return ("-e", "EXPLAINERS=" + json.dumps({"TODAY": TODAY, "ARCHIVE": web.settings(**archive)}))


def line_of(site: Site, key: str) -> int:
    lines = (site.content / "test.md").read_text().splitlines()
    return lines.index(f"  {key}:") + 1


def lockfile(site: Site) -> dict:
    return json.loads((site.content / "sources.lock.json").read_text())["sources"]


@pytest.fixture
def cited(web: LocalWeb, site: Site) -> dict[str, str]:
    urls = {
        "fresh": web.page("/fresh", "<p>Fresh words.</p>"),
        "stale": web.page("/stale", "<p>Stale words, updated.</p>"),
        "declared": web.page("/declared", "<p>Declared.</p>"),
        "gone": web.page("/gone", status=404),
    }
    web.snapshot(urls["fresh"], "20251118090000", "<p>Fresh words.</p>")  # 2 days before access
    web.snapshot(urls["stale"], "20190101000000", "<p>Stale words.</p>")  # years before
    site.write("test.md", explainer(urls))
    return urls


def test_archive_records_each_cited_page_and_warns_where_it_cannot(web, site, cited):
    run = site.run("archive", *settings(web))
    assert run.code == 0, run.stderr
    entries = lockfile(site)
    # A snapshot near the day of access is used as it is; the stale one is saved anew.
    assert entries[cited["fresh"]]["archive_url"] == web.url(f"/web/20251118090000/{cited['fresh']}")
    assert entries[cited["fresh"]]["archived"] == "2025-11-18"
    assert entries[cited["stale"]]["archive_url"] == web.url(f"/web/20251202103000/{cited['stale']}")
    assert entries[cited["stale"]]["archived"] == "2025-12-02"
    for url in (cited["fresh"], cited["stale"]):
        assert entries[url]["status"] == 200
        assert re.fullmatch(r"sha256:[0-9a-f]{64}", entries[url]["content_hash"])
    assert entries[cited["fresh"]]["content_hash"] != entries[cited["stale"]]["content_hash"]
    # A source that declares its archived copy is not visited; a dead page is not saved.
    assert cited["declared"] not in entries
    assert not web.asked("/declared")
    assert cited["gone"] not in entries
    assert [r.path for r in web.asked("/save/")] == [f"/save/{cited['stale']}"]
    assert run.problems == [
        (
            f'content/test.md:{line_of(site, "gone")}: warning: source "gone": {cited["gone"]}: '
            "the page gives 404 and the archive has no snapshot of it"
        )
    ]
    assert "[1/3]" in run.stderr  # progress, one line per address
    assert "[3/3]" in run.stderr
    assert "Archived 2 pages (0 already in content/sources.lock.json, 1 could not be archived)" in run.stderr


def test_a_dead_page_with_an_existing_snapshot_is_recorded(web, site, cited):
    web.snapshot(cited["gone"], "20251125000000", "<p>What the page said.</p>")
    assert site.run("archive", *settings(web)).code == 0
    entry = lockfile(site)[cited["gone"]]
    assert entry["archived"] == "2025-11-25"
    assert entry["status"] == 404
    assert entry["content_hash"] == ""


def test_archive_resumes_where_it_stopped_and_retries_a_busy_service(web, site, cited):
    web.save_answers = [503, 503]  # busy, then busy again: this run gives up on "stale"
    first = site.run("archive", *settings(web))
    assert first.code == 0
    assert set(lockfile(site)) == {cited["fresh"]}
    assert "the archive service is busy; run `make archive` again later" in first.stderr
    assert len(web.asked("/save/")) == 2  # one retry after the Retry-After pause

    web.requests.clear()
    second = site.run("archive", *settings(web))
    assert second.code == 0
    assert set(lockfile(site)) == {cited["fresh"], cited["stale"]}
    assert not web.asked("/fresh")  # already in the lockfile: not asked again
    assert "Archived 1 page (1 already in content/sources.lock.json" in second.stderr


def test_strict_archive_fails_when_a_page_could_not_be_archived(web, site, cited):
    assert site.run("archive", *settings(web), "--strict").code == 1


def test_archive_waits_between_requests_to_the_service(web, site, cited):
    assert site.run("archive", *settings(web, DELAY=0.2)).code == 0
    service = [r.at for r in web.requests if r.path.startswith(("/wayback/", "/save/"))]
    gaps = [later - earlier for earlier, later in itertools.pairwise(service)]
    assert len(service) == 4  # three availability questions and one save
    assert min(gaps) >= 0.2


def test_the_page_shows_the_lockfile_archive_and_only_the_live_link_before(web, site, cited):
    assert site.build().code == 0
    before = site.page("archived-sources.html")
    assert before.select_one("#source-fresh .note__archive") is None
    assert before.select_one("#source-fresh .note__title")["href"] == cited["fresh"]

    assert site.run("archive", *settings(web)).code == 0
    assert site.build().code == 0
    page = site.page("archived-sources.html")
    archive_link = page.select_one("#source-fresh .note__archive")
    assert archive_link["href"] == lockfile(site)[cited["fresh"]]["archive_url"]
    assert archive_link.find_next("time")["datetime"] == "2025-11-18"
    assert "18 November 2025" in page.select_one("#source-fresh").get_text()
    # The writer's own archive_url wins; a source nobody archived shows just its link.
    assert page.select_one("#source-declared .note__archive")["href"] == "https://archive.example/declared"
    assert page.select_one("#source-gone .note__archive") is None
    data = json.loads((site.output / "archived-sources.claims.json").read_text())
    fresh = next(source for source in data["sources"] if source["key"] == "fresh")
    assert fresh["archive_url"] == archive_link["href"]
    assert fresh["archived"] == "2025-11-18"


def test_a_broken_lockfile_is_reported_at_its_line(site):
    site.write(
        "test.md", explainer({k: f"https://{k}.example/" for k in ("fresh", "stale", "declared", "gone")})
    )
    (site.content / "sources.lock.json").write_text(
        '{\n  "sources": {\n    "https://fresh.example/": {\n'
        '      "archive_url": "javascript:alert(1)",\n      "archived": "2025-11-18",\n'
        '      "status": 200,\n      "content_hash": ""\n    }\n  }\n}\n'
    )
    run = site.check()
    assert run.code == 1
    assert run.problems == [
        (
            "content/sources.lock.json:3: error: https://fresh.example/: archive_url: "
            'expected an http:// or https:// address; got "javascript:alert(1)"'
        )
    ]
    (site.content / "sources.lock.json").write_text('{"sources": {\n  "a": \n}\n')
    assert site.check().problems == ["content/sources.lock.json:3: error: not valid JSON: Expecting value"]


def test_site_wide_sources_are_archived_and_their_pages_show_the_copy(web, site, cited):
    shared = web.page("/shared", "<p>Shared words.</p>")
    site.write(
        "sources/library.yml",
        f"# The library\nshared:\n  title: Shared\n  publisher: Shared Agency\n  url: {shared}\n"
        "  accessed: 2025-11-20\n",
    )
    text = (
        (site.content / "test.md")
        .read_text()
        .replace("The claim [@the-claim].", "The claim [@the-claim] [@shared].")
    )
    (site.content / "test.md").write_text(text)
    run = site.run("archive", *settings(web))
    assert "content/sources/library.yml:2: warning" not in run.stderr
    snapshot = lockfile(site)[shared]["archive_url"]
    assert site.build().code == 0
    page = site.page("sources/shared.html")
    link = page.find("dt", string="Archived copy").find_next("a")
    assert link["href"] == snapshot
    assert page.find("dt", string="Archived copy").find_next("time")["datetime"] == "2025-12-02"


def test_a_page_read_again_is_archived_again_and_settles_the_changed_warning(web, site, cited):
    def linkcheck():
        options = {"TODAY": TODAY, "LINKCHECK": {"TIMEOUT": 2}}
        return site.run("linkcheck", "-e", "EXPLAINERS=" + json.dumps(options))

    def read_again(key: str, day: str) -> None:
        lines = (site.content / "test.md").read_text().splitlines(keepends=True)
        accessed = lines.index(f"  {key}:\n") + 4  # the source's `accessed` line
        assert lines[accessed].strip().startswith("accessed:")
        lines[accessed] = f"    accessed: {day}\n"
        (site.content / "test.md").write_text("".join(lines))

    assert site.run("archive", *settings(web)).code == 0
    first = lockfile(site)
    assert first[cited["fresh"]]["accessed"] == "2025-11-20"
    web.page("/fresh", "<p>Fresh words, corrected.</p>")
    changed = f'source "fresh": {cited["fresh"]} has changed since it was archived on 2025-11-18'
    assert any(changed in problem for problem in linkcheck().problems)

    # Until the writer says they read it again, the lockfile's copy stands.
    web.requests.clear()
    assert site.run("archive", *settings(web)).code == 0
    assert not web.asked("/fresh")
    assert lockfile(site) == first

    # Read again on 1 December: the archive's 18 November copy predates the change, so a
    # new one is saved, and the hash follows the page as the writer read it.
    read_again("fresh", "2025-12-01")
    web.requests.clear()
    run = site.run("archive", *settings(web))
    assert "Archived 1 page (1 already in" in run.stderr  # "stale"; "gone" is tried again
    entry = lockfile(site)[cited["fresh"]]
    assert [r.path for r in web.asked("/save/")] == [f"/save/{cited['fresh']}"]
    assert (entry["archived"], entry["accessed"]) == ("2025-12-02", "2025-12-01")
    assert entry["content_hash"] != first[cited["fresh"]]["content_hash"]
    assert not any(changed in problem for problem in linkcheck().problems)

    # A page read again that has not changed keeps its copy; nothing is asked of the archive.
    read_again("stale", "2025-12-01")
    web.requests.clear()
    assert site.run("archive", *settings(web)).code == 0
    service = web.asked("/wayback/") + web.asked("/save/")
    assert [r.path for r in service if "stale" in r.path] == []  # only "gone" is tried again
    entry = lockfile(site)[cited["stale"]]
    assert entry == {**first[cited["stale"]], "accessed": "2025-12-01"}


def test_a_build_s_cache_gives_archive_every_declared_source_and_a_build_none_it_never_reads(
    site, monkeypatch
):
    """An explainer's declared sources, which `make archive` and `make linkcheck` visit, are
    kept in the build's cache entry packed: a rebuild loads the entry of every file and never
    reads them (their models were two thirds of loading an entry); `archive` unpacks them."""
    site.write("test.md", EXPLAINER)
    assert site.build().code == 0
    settings = read_settings(
        str(CONFFILE), override={"PATH": str(site.content), "CACHE_PATH": str(site.root / "cache")}
    )
    loaded = []
    setstate = pydantic.BaseModel.__setstate__
    monkeypatch.setattr(
        pydantic.BaseModel,
        "__setstate__",
        lambda model, state: loaded.append(model) or setstate(model, state),
    )
    run = Run(settings)
    result = run.read(str(site.content / "test.md"))
    assert run.cache.used  # from the build's cache entry
    assert loaded == []
    assert [(key, source.publisher, line) for key, source, line in result.declared] == [
        ("alpha", "Alpha News", 7),
        ("beta", "Beta Agency", 12),
        ("gamma", "Gamma Institute", 19),
    ]
    cited = cited_sources(Run(settings))
    assert [(source.key, source.path) for source in cited] == [
        (key, str(site.content / "test.md")) for key in ("alpha", "beta", "gamma")
    ]
