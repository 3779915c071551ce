"""Every page carries its Content-Security-Policy in a <meta> element, and asks for nothing
that policy forbids: no inline script but the JSON-LD data block, no inline style, nothing
from another site. Checked on every HTML file of real builds (the browser tests check, in
Chromium, that the policy is enforced and that search still works under it)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from sitebuild import EXPLAINER, SEED_CONTENT, Site

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
}
# Pagefind searches its index with WebAssembly, which a policy allows only by name.
SEARCH_POLICY = {**POLICY, "script-src": ["'self'", "'wasm-unsafe-eval'"]}

# One page of each kind the theme makes: the build must make every one of them.
PAGES = [
    "index.html",
    "north-korean-soldiers-kursk.html",
    "a-test-explainer.html",
    "a-plain-article.html",
    "pages/about.html",
    "claims.html",
    "claims/estimate.html",
    "statuses.html",
    "sources/dod-2024-11-18.html",
    "category/conflicts.html",
    "tag/north-korea.html",
    "author/explainer-desk.html",
    "archives.html",
    "categories.html",
    "tags.html",
    "authors.html",
    "search.html",
    "404.html",
]
SITE = "https://explainers.example.org"
# Name: (the address pages are served at, options, settings).
BUILDS = {
    "preview": ("http://127.0.0.1:8000", [], []),
    "publish": (SITE, ["--publish"], [f"SITEURL={SITE}"]),
    "devserver": ("http://127.0.0.1:8000", [], ["DEVSERVER=true"]),
}


@pytest.fixture(scope="module", params=BUILDS)
def build(request, tmp_path_factory) -> tuple[Path, str]:
    """The project's content, a plain article, a page, a draft and the test explainer, built."""
    site_url, options, settings = BUILDS[request.param]
    site = Site(tmp_path_factory.mktemp(f"csp-{request.param}"))
    shutil.copytree(SEED_CONTENT, site.content)
    site.write("plain-article.md", "Title: A plain article\nDate: 2025-01-20\n\nPlain *text*.\n")
    site.write("pages/about.md", "Title: About\n\nWho we are.\n")
    site.write("unfinished.md", "Title: Unfinished\nDate: 2025-01-21\nStatus: draft\n\nNot yet.\n")
    explainer = EXPLAINER.replace("date: 2025-01-14", "date: 2025-01-14\ncategory: Tests")
    site.write("test-explainer.md", explainer)
    run = site.build(*options, "-e", *settings)
    assert run.code == 0, run.stderr
    return site.output, site_url


def html_files(output: Path) -> list[Path]:
    # Pagefind's own folder holds its scripts and index, no page.
    return sorted(p for p in output.rglob("*.html") if "pagefind" not in p.relative_to(output).parts)


def policy_of(page: BeautifulSoup) -> dict[str, list[str]]:
    is_csp = lambda value: value and value.lower() == "content-security-policy"  # noqa: E731
    metas = page.find_all("meta", attrs={"http-equiv": is_csp})
    assert len(metas) == 1
    directives = [d.split() for d in metas[0]["content"].split(";") if d.strip()]
    return {name: values for name, *values in directives}


def test_every_page_type_is_built(build):
    output, _ = build
    built = {str(p.relative_to(output)) for p in html_files(output)}
    assert set(PAGES) <= built


def test_every_page_carries_the_policy(build):
    output, _ = build
    for path in html_files(output):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        expected = SEARCH_POLICY if path.name == "search.html" else POLICY
        assert policy_of(page) == expected, path


def test_the_policy_comes_before_anything_it_governs(build):
    output, _ = build
    for path in html_files(output):
        head = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").head
        first_two = [(e.name, sorted(e.attrs)) for e in head.find_all(True)[:2]]
        assert first_two == [("meta", ["charset"]), ("meta", ["content", "http-equiv"])], path


def test_no_page_asks_for_what_the_policy_forbids(build):
    output, site_url = build
    for path in html_files(output):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        address = urljoin(site_url + "/", str(path.relative_to(output)))
        assert forbidden(page, address) == [], path


def forbidden(page: BeautifulSoup, address: str) -> list[str]:
    """What in `page`, served at `address`, the policy would block."""
    origin = urlsplit(address)[:2]
    found = []
    for script in page.find_all("script"):
        if script.get("type") == "application/ld+json":
            continue  # a data block: browsers never run it, so no policy blocks it
        if not script.get("src"):
            found.append(f"inline script: {script.string!r:.60}")
    for name in ("style", "object", "embed", "iframe", "base"):
        found += [f"<{name}>" for _ in page.find_all(name)]
    for element in page.find_all(True):
        inline = [name for name in element.attrs if name == "style" or name.startswith("on")]
        found += [f"{name}= on <{element.name}>" for name in inline]
    fetched = [
        *(s["src"] for s in page.find_all(["script", "img"], src=True)),
        *(link["href"] for link in page.find_all("link", rel=["stylesheet", "icon"], href=True)),
        *(form.get("action", "") for form in page.find_all("form")),
    ]
    found += [f"from another site: {url}" for url in fetched if urlsplit(urljoin(address, url))[:2] != origin]
    links = [a["href"] for a in page.find_all("a", href=True)]
    found += [f"javascript: link {href}" for href in links if href.strip().lower().startswith("javascript:")]
    return found


def test_the_json_ld_is_a_data_block_the_policy_allows(build):
    output, _ = build
    page = BeautifulSoup((output / "a-test-explainer.html").read_text(encoding="utf-8"), "lxml")
    assert [s.get("type") for s in page.find_all("script") if not s.get("src")] == ["application/ld+json"]


# --- Embeds: frames from the hosts the site allows, and from no other.

EMBED_HOSTS = ["charts.example.org", "www.youtube-nocookie.com"]


@pytest.fixture(scope="module")
def embed_build(tmp_path_factory) -> Path:
    site = Site(tmp_path_factory.mktemp("csp-embeds"))
    embed = "\nEmbed: https://charts.example.org/AbC12/1/\nTitle: Spending by department\n"
    site.write("test-explainer.md", EXPLAINER + embed)
    site.write("plain-article.md", "Title: A plain article\nDate: 2025-01-20\n\nPlain *text*.\n")
    run = site.build("-e", "EXPLAINERS=" + json.dumps({"EMBED_HOSTS": EMBED_HOSTS}))
    assert run.code == 0, run.stderr
    return site.output


def test_the_policy_allows_frames_from_the_embed_hosts_alone(embed_build):
    frame_src = {"frame-src": [f"https://{host}" for host in EMBED_HOSTS]}
    for path in html_files(embed_build):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        expected = SEARCH_POLICY if path.name == "search.html" else POLICY
        assert policy_of(page) == {**expected, **frame_src}, path


def test_every_frame_is_from_a_host_the_policy_allows(embed_build):
    page = BeautifulSoup((embed_build / "a-test-explainer.html").read_text(encoding="utf-8"), "lxml")
    allowed = policy_of(page)["frame-src"]
    frames = [urlsplit(frame["src"]) for frame in page.find_all("iframe")]
    assert [f"{f.scheme}://{f.netloc}" for f in frames] == ["https://charts.example.org"]
    assert all(f"{f.scheme}://{f.netloc}" in allowed for f in frames)
