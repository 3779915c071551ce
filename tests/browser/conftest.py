"""Browser tests: the project's site, built once, served on 127.0.0.1, driven in Debian's Chromium.

Without Chromium they are skipped, saying why; in CI (CI=true) they never skip.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from explainers.document import lockfile
from sitebuild import EXPLAINER, ROOT, SEED_CONTENT, Site

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
STRICT_CSP = "default-src 'self'"
# Pagefind's search index is WebAssembly; the search page alone needs it allowed.
SEARCH_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"
# Chromium as the machine's own probe runs it: no background traffic to outside hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
]


def needs(path: Path, why: str) -> None:
    if path.exists():
        return
    message = f"{path} is missing ({why}): run scripts/install-test-tools"
    if os.environ.get("CI"):
        pytest.fail(message)  # CI installs it; its absence there is a failure, not a skip
    pytest.skip(message)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The project's content plus one plain article, one page and one explainer with corrections."""
    site = Site(tmp_path_factory.mktemp("browser-site"))
    shutil.copytree(SEED_CONTENT, site.content)
    site.write(
        "plain-article.md",
        "Title: A plain article\nDate: 2025-01-20\nCategory: Notes\n\n"
        "An ordinary Pelican article, *without* claims.\n",
    )
    site.write("pages/about.md", "Title: About\n\nWho we are, and how we work.\n")
    # A quote (its link to the source) and an archived copy from the lockfile, on the page.
    explainer = EXPLAINER.replace("date: 2025-01-14", "date: 2025-01-14\ncategory: Tests").replace(
        "    url: https://alpha.example/report\n",
        "    url: https://alpha.example/report\n    quote: The first – and, so far, only – report\n",
    )
    site.write("test-explainer.md", explainer)
    # Its French translation: the theme in French, hreflang links both ways.
    site.write("test-explainer-fr.md", explainer.replace("summary:", "lang: fr\ntranslation: true\nsummary:"))
    lock, _ = lockfile.load(str(site.content))
    lock.record(
        "https://gamma.example/data",
        lockfile.Archived(
            archive_url="https://web.archive.org/web/20250112000000/https://gamma.example/data",
            archived="2025-01-12",
            status=200,
            content_hash="",
        ),
    )
    run = site.build()
    assert run.code == 0, run.stderr
    return site.output


class _Handler(http.server.SimpleHTTPRequestHandler):
    csp: str | None = None

    def end_headers(self) -> None:
        if self.csp:
            self.send_header("Content-Security-Policy", self.csp)
        super().end_headers()

    def log_message(self, format, *args) -> None:
        pass


class Server:
    def __init__(self, root: Path, csp: str | None):
        handler = type("Handler", (_Handler,), {"csp": csp})
        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(root))
        )
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def server(built_site):
    """The site under the strict policy `default-src 'self'`."""
    server = Server(built_site, STRICT_CSP)
    yield server
    server.close()


@pytest.fixture(scope="session")
def plain_server(built_site):
    """The site with no policy from the server: only the pages' own <meta> policy."""
    server = Server(built_site, None)
    yield server
    server.close()


@pytest.fixture(scope="session")
def search_server(built_site):
    server = Server(built_site, SEARCH_CSP)
    yield server
    server.close()


@pytest.fixture(scope="session")
def browser():
    needs(CHROMIUM, "Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Runs before any of the page's own scripts: records what the policy blocked.
WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI}`));
"""


class Watched:
    """A page, with its console errors, CSP violations and requests to other hosts recorded."""

    def __init__(self, page, origin: str):
        self.page = page
        self.errors: list[str] = []
        self.foreign_requests: list[str] = []
        page.add_init_script(WATCH_CSP)
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on(
            "request",
            lambda r: not r.url.startswith((origin, "data:")) and self.foreign_requests.append(r.url),
        )

    @property
    def violations(self) -> list[str]:
        return self.page.evaluate("window.__violations")


@pytest.fixture
def open_page(browser, server):
    contexts = []

    def open_page(path: str, *, origin_server=None, **context_options) -> Watched:
        target = origin_server or server
        context = browser.new_context(**context_options)
        contexts.append(context)
        watched = Watched(context.new_page(), target.url)
        watched.page.goto(target.url + path)
        return watched

    yield open_page
    for context in contexts:
        context.close()


def run_axe(page) -> list[dict]:
    needs(AXE, "npm's axe-core")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: "tag", values:
            ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}})"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
