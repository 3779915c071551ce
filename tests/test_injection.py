"""Hostile text in every field: nothing executable and no unsafe address reaches a page or the feed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from explainers.document.inline import InlineRenderer
from sitebuild import Site, json_ld

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "</script><script>alert(3)</script>",
    "<!-- </script> -->",
    "{{ 7*7 }} {% raw %}x{% endraw %} ${7*7}",
    "javascript:alert(4)",
    "\u202egnp.exe",
    "' onmouseover='alert(5)",
    "<svg onload=alert(6)>",
    "&lt;script&gt;alert(7)&lt;/script&gt;",
]
LONG_WORD = "x" * 20_000


def yaml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML string


def hostile_explainer(payload: str) -> str:
    text = yaml_text(payload)
    return f"""---
title: {yaml_text("Title " + payload)}
slug: hostile-{abs(hash(payload)) % 10**8}
date: 2025-01-14
summary: {text}
authors: [{text}]
category: {yaml_text("Cat " + payload)}
tags: [{yaml_text("tag " + payload)}]
sources:
  src:
    title: {text}
    publisher: {text}
    url: https://example.org/?q=%3Cscript%3E
    accessed: 2025-01-12
    authors: [{text}]
    quote: {text}
    note: {text}
claims:
  - id: claim
    text: {text}
    by: {text}
    status: confirmed
    note: {text}
    sources: [{{source: src, locator: {text}}}]
corrections:
  - date: 2025-01-15
    text: {text}
---

Body [@claim] [@src, p. 4]. {LONG_WORD}
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("hostile"))
    for index, payload in enumerate(PAYLOADS):
        site.write(f"hostile-{index}.md", hostile_explainer(payload))
    run = site.build()
    assert run.code == 0, run.stderr
    return site


def unsafe_in(html: str) -> list[str]:
    found = []
    soup = BeautifulSoup(html, "lxml")
    for script in soup.find_all("script"):
        if script.get("type") != "application/ld+json" and not script.get("src", "").endswith(".js"):
            found.append(f"inline script: {str(script)[:80]}")
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append(f"event handler {name} on <{element.name}>")
            if name in ("href", "src", "action") and text.strip().lower().startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                found.append(f"unsafe address {text[:40]}")
        if element.name in ("iframe", "object", "embed", "svg"):
            found.append(f"<{element.name}>")
    return found


def test_no_page_carries_executable_markup_or_an_unsafe_address(hostile_site):
    pages = [p for p in hostile_site.output.rglob("*.html") if "pagefind" not in p.parts]
    assert len(pages) > len(PAYLOADS)
    problems = {
        str(p.relative_to(hostile_site.output)): unsafe_in(p.read_text(encoding="utf-8")) for p in pages
    }
    assert {page: found for page, found in problems.items() if found} == {}


def test_the_feed_carries_none_either(hostile_site):
    feed = ET.parse(hostile_site.output / "feeds" / "all.atom.xml").getroot()
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("atom:entry", ns)
    assert len(entries) == len(PAYLOADS)
    for entry in entries:
        for field in ("atom:content", "atom:summary"):
            element = entry.find(field, ns)
            if element is not None:
                assert unsafe_in(element.text) == []


@pytest.mark.parametrize("index", range(len(PAYLOADS)))
def test_every_field_shows_the_text_as_written(hostile_site, index):
    payload = PAYLOADS[index]
    # The title as shown: the same text, with smart quotes and dashes (as the body has them).
    title = InlineRenderer().smart(f"Title {payload}")
    page = hostile_site.page(
        f"hostile-{index}.html"
        if False
        else next(
            p.name
            for p in hostile_site.output.glob("*.html")
            if title in BeautifulSoup(p.read_text(), "lxml").h1.get_text()
            if p.name != "404.html"
        )
    )
    # Plain-text fields show exactly what was written.
    assert page.h1.get_text() == title
    assert page.select_one("#sources .note__quote").get_text() == payload
    assert page.select_one("#sources .note__publisher").get_text() == payload
    # Fields with inline Markdown may format it (*7* is emphasis, &lt; is "<"), never run it.
    for selector in (".claim__text", ".standfirst", ".claim__note", "#corrections li"):
        element = page.select_one(selector)
        assert element.find(["script", "img", "svg", "iframe"]) is None, selector
    # The JSON-LD parses, and holds the text exactly: nothing in it can close the script.
    data = json_ld(page)
    assert data["@graph"][0]["headline"] == f"Title {payload}"
    assert data["@graph"][1]["claimReviewed"] == page.select_one(".claim__text").get_text()


def test_jinja_syntax_in_content_is_never_evaluated(hostile_site):
    html = "".join(p.read_text() for p in hostile_site.output.glob("*.html"))
    assert "{{ 7*7 }}" in html
    assert "x{% endraw %}" in html or "{% raw %}x{% endraw %}" in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "url",
            "javascript:alert(1)",
            'url: expected an http:// or https:// address; got "javascript:alert(1)"',
        ),
        ("url", "data:text/html,<script>alert(1)</script>", "url: expected an http:// or https:// address"),
        ("archive_url", " JaVaScRiPt:alert(1)", "archive_url: expected an http:// or https:// address"),
        ("url", "https://example.org/ x", "url: expected an http:// or https:// address"),
    ],
)
def test_unsafe_addresses_stop_the_build(site, field, value, message):
    site.write(
        "x.md",
        hostile_explainer("plain").replace(
            "    url: https://example.org/?q=%3Cscript%3E", f"    {field}: {yaml_text(value)}"
        ),
    )
    run = site.build()
    assert run.code == 1
    assert any(message in line for line in run.problems), run.problems
    assert not site.output.exists()


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,x", "vbscript:x", " javascript:x"])
def test_unsafe_markdown_links_stop_the_build(site, link):
    site.write(
        "x.md", hostile_explainer("plain").replace('text: "plain"', f'text: "A [link]({link}) here."', 1)
    )
    run = site.build()
    assert run.code == 1
    assert any("only http(s) links are allowed here" in line for line in run.problems), run.problems
