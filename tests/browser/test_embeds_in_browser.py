"""Images and embeds in Chromium: the embed's fallback link is there for a reader without
JavaScript and on paper, the frame is sandboxed as written, and a page with a lead image,
a figure and an embed has no accessibility violation.

The embed's host is answered by the test itself (Playwright's routing), so nothing leaves
the machine and nothing waits on a network.
"""

from __future__ import annotations

import json

import pytest

from conftest import AXE, Server, needs
from sitebuild import EXPLAINER, Site
from test_media import png

HOST = "embed.example"
FRAME_URL = f"https://{HOST}/chart/1/"
PAGE = "/a-test-explainer.html"
BODY = f"""
![The council chamber, empty]({{static}}/images/chamber.png)
Caption: The chamber an hour before the vote.
Credit: Photo by the press office

Embed: {FRAME_URL}
Title: Spending by department, 2020 to 2025
Caption: From the adopted budgets.
Height: 300
"""
LEAD = """\
image:
  file: images/lead.png
  alt: The council building from the square
  caption: The council building.
  credit: Photo by the press office
"""


@pytest.fixture(scope="module")
def media_server(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("browser-media"))
    (site.content / "images").mkdir(parents=True)
    (site.content / "images" / "chamber.png").write_bytes(png())
    (site.content / "images" / "lead.png").write_bytes(png())
    text = EXPLAINER.replace(
        "summary: What the test is about.\n", f"summary: What the test is about.\n{LEAD}"
    )
    site.write("test-explainer.md", text + BODY)
    run = site.build("-e", "EXPLAINERS=" + json.dumps({"EMBED_HOSTS": [HOST]}))
    assert run.code == 0, run.stderr
    # No policy from the server: the page's own (a host's `default-src 'self'` header would
    # block every frame, leaving the fallback link).
    server = Server(site.output, None)
    yield server
    server.close()


@pytest.fixture
def open_media(browser, media_server):
    contexts = []

    def open_media(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        # The embed's host, answered here: a page that says what it is.
        context.route(
            f"https://{HOST}/**",
            lambda route: route.fulfill(
                content_type="text/html",
                body='<!doctype html><html lang="en"><title>Chart</title><p>A chart.</p></html>',
            ),
        )
        page = context.new_page()
        page.goto(media_server.url + PAGE)
        return page

    yield open_media
    for context in contexts:
        context.close()


def test_without_javascript_the_embed_leaves_a_link_to_what_it_shows(open_media):
    page = open_media(java_script_enabled=False)
    link = page.locator(".embed__fallback a")
    assert link.is_visible()
    assert link.get_attribute("href") == FRAME_URL
    assert link.inner_text() == "Spending by department, 2020 to 2025"
    assert page.locator("figure.lead-image img").is_visible()


def test_the_frame_is_sandboxed_lazy_and_sends_no_referrer(open_media):
    frame = open_media().locator("iframe.embed__frame")
    attributes = {
        name: frame.get_attribute(name) for name in ("src", "sandbox", "referrerpolicy", "loading", "title")
    }
    assert attributes == {
        "src": FRAME_URL,
        "sandbox": "allow-scripts allow-same-origin",
        "referrerpolicy": "no-referrer",
        "loading": "lazy",
        "title": "Spending by department, 2020 to 2025",
    }


def test_the_page_own_policy_lets_the_allowed_host_fill_the_frame(open_media):
    page = open_media()
    page.locator("iframe.embed__frame").scroll_into_view_if_needed()
    assert page.frame_locator("iframe.embed__frame").locator("p").inner_text() == "A chart."


def test_on_paper_the_link_stands_in_for_the_frame(open_media):
    page = open_media()
    page.emulate_media(media="print")
    assert page.locator("iframe.embed__frame").is_hidden()
    assert page.locator(".embed__fallback a").is_visible()


def test_a_page_with_images_and_an_embed_has_no_accessibility_violation(open_media):
    needs(AXE, "npm's axe-core")
    page = open_media()
    page.evaluate(AXE.read_text(encoding="utf-8"))
    # The frame's own page is another site's: axe judges ours (iframes: false).
    violations = page.evaluate(
        """async () => (await axe.run(document, {iframes: false, runOnly: {type: "tag", values:
            ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}})).violations
            .map(v => v.id)"""
    )
    assert violations == []
