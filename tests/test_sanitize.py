"""The HTML allow-list: Markdown in, the HTML a page gets and the problems, side by side."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explainers.document.links import is_web_address
from explainers.document.sanitize import HtmlPolicy, Sanitizer, _as_browsers_read, url_scheme
from sitebuild import EXPLAINER, both

SANITIZER = Sanitizer(HtmlPolicy.from_settings(None))


@pytest.mark.parametrize(
    ("fragment", "clean"),
    [
        # Kept as it is: what Markdown and its extensions make.
        (
            '<p><a href="https://example.org/a">a</a></p>',
            '<p><a href="https://example.org/a" rel="noopener noreferrer">a</a></p>',
        ),
        ('<p><a href="#source-a">a</a></p>', '<p><a href="#source-a">a</a></p>'),
        ('<td style="text-align: left;">1</td>', "1"),  # a cell outside a table is no cell
        (
            '<table><tr><td style="text-align: left;">1</td></tr></table>',
            '<table><tbody><tr><td style="text-align:left">1</td></tr></tbody></table>',
        ),
        # A comment that browsers close at once: the image is an element, its handler dropped.
        ("<!--><img src=x onerror=alert(1)> -->", '<img src="x"> --&gt;'),
        ('<a href="JaVaScRiPt&#58;alert(1)">x</a>', "<a>x</a>"),
        ('<a href="java&#x09;script:alert(1)">x</a>', "<a>x</a>"),
        ('<img src="data:image/png;base64,AA">', "<img>"),
        ('<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>', ""),
        ("<script>alert(1)</script>after", "after"),
        ("<style>body{}</style>after", "after"),
        ('<p style="color: red" onmouseover="x()">t</p>', "<p>t</p>"),
        ('<td style="background: url(x)">', ""),
        ("<textarea><p>the rest</p>", "&lt;p&gt;the rest&lt;/p&gt;"),
        (
            '<a href="https://e.org" target="_blank" rel="opener">x</a>',
            '<a href="https://e.org" rel="noopener noreferrer">x</a>',
        ),
        ('<form action="https://e.org"><input name="q"></form>', ""),
        ('<meta http-equiv="refresh" content="0;url=https://e.org">', ""),
        ('<base href="https://e.org/">', ""),
        ('<iframe srcdoc="<script>alert(1)</script>"></iframe>', ""),
    ],
)
def test_the_final_wall_keeps_only_the_allow_list(fragment, clean):
    assert SANITIZER.clean(fragment) == clean


@pytest.mark.parametrize(
    ("fragment", "reasons"),
    [
        ("<!--><img src=x onerror=alert(1)> -->", ['the event handler attribute "onerror" is not allowed']),
        ('<noscript><p title="</noscript><img src=x onerror=alert(1)>">', ["<noscript> is not allowed"]),
        # Read as tags too: the image inside <xmp> is reported with it (the writer removes both).
        (
            "<xmp><img src=x onerror=alert(1)></xmp>",
            ["<xmp> is not allowed", 'the event handler attribute "onerror" is not allowed'],
        ),
        (
            '<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>',
            ["<svg> is not allowed", "<animate> is not allowed"],
        ),
        (
            '<a href="JaVaScRiPt&#58;alert(1)">x</a>',
            ['href="JaVaScRiPt:alert(1)": only http(s), mailto and relative addresses are allowed'],
        ),
        ('<p style="color: red">', ['the attribute "style" is not allowed on <p>']),
        (
            '<table><tr><th style="color: red">x</th></tr></table>',
            ['the style property "color" is not allowed on <th>'],
        ),
        ('<p id="source-alpha">x</p>', ['the id "source-alpha" is the page\'s own; choose another']),
        (
            '<a href="https://e.org" ping="https://e.org/t">x</a>',
            ['the attribute "ping" is not allowed on <a>'],
        ),
        ("<textarea>", ["<textarea> is not allowed"]),
        # An address the wall's URL parser (a browser's) refuses: the link would lose it.
        (
            '<a href="https://exa mple.org/report">the report</a>',
            [
                (
                    'href="https://exa mple.org/report": not an address a browser can follow (a space or a '
                    "character no address holds), so it would be removed: write the address as the site "
                    "that has it shows it"
                )
            ],
        ),
        # Allowed: nothing to say.
        ('<a href="https://fr.wikipedia.org/wiki/Éric_Zemmour">a page</a>', []),
        ('<figure><img src="images/map.png" alt="A map"><figcaption>Map</figcaption></figure>', []),
        ('<span class="x">', []),
        ("</span>", []),
        ("<!-- an editor's note -->", []),
    ],
)
def test_the_writer_is_told_what_the_wall_would_remove(fragment, reasons):
    assert [finding.reason for finding in SANITIZER.check_fragment(fragment)] == reasons


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("https://e.org", "https"),
        ("javascript&#58;alert(1)", "javascript"),
        ("java\tscript:alert(1)", "javascript"),
        (" \x01javascript:alert(1)", "javascript"),
        ("{filename}other.md", ""),
        ("#source-a", ""),
        ("page.html#a:b", ""),
    ],
)
def test_a_scheme_is_read_as_a_browser_reads_it(url, scheme):
    assert url_scheme(url) == scheme


# Addresses with entities, white space of every kind and control characters where a scheme is.
ADDRESS_PARTS = ["j", "a", ":", "/", "#", "&#58;", "&amp;", "&", ";", " ", "\t", "\n", "\x00", "\x1f"]
ADDRESS_PARTS += ["\x7f", "\x85", "\xa0", "\u2028", "\u3000", "h", "t", "p", "s", "x.y", "[", "é"]
addresses = st.lists(st.sampled_from(ADDRESS_PARTS), max_size=30)


@settings(max_examples=500, deadline=None)
@given(addresses.map("".join))
def test_an_address_is_read_without_what_browsers_skip(url):
    # Every character up to the space, and DEL, dropped after the entities are decoded.
    read = html.unescape(url)
    assert _as_browsers_read(url) == "".join(ch for ch in read if ch > " " and ch != "\x7f")
    # A source's address holds no white space of any kind (str.isspace's).
    if any(ch.isspace() for ch in url):
        assert not is_web_address("https://a.example/" + url)


def test_a_site_can_narrow_the_allow_list():
    narrow = Sanitizer(HtmlPolicy.from_settings({"TAGS": ["p", "a"], "URL_SCHEMES": ["https"]}))
    assert narrow.clean('<p><em>x</em> <a href="http://e.org">y</a></p>') == "<p>x <a>y</a></p>"


def test_attr_list_may_set_ids_and_classes_only(site):
    site.write(
        "test.md", EXPLAINER + '\nA paragraph.\n{: #here .note onmouseover="x()" style="color: red" }\n'
    )
    run = site.build()
    assert run.code == 1
    line = len(EXPLAINER.splitlines()) + 3  # the line of the attributes
    prefix = f"content/test.md:{line}: error: HTML in the body:"
    assert run.problems == [
        f'{prefix} the attribute "style" is not allowed on <p>',
        f'{prefix} the event handler attribute "onmouseover" is not allowed',
    ]
    site.write("test.md", EXPLAINER + "\nA paragraph.\n{: #here .note }\n")
    assert site.build().code == 0
    paragraph = site.page("a-test-explainer.html").select_one("#here")
    assert paragraph.name == "p"
    assert paragraph["class"] == ["note"]


def test_an_id_on_two_elements_of_the_body_is_an_error_at_the_one_that_repeats_it(site):
    # <p id="dup">b</p> repeats <p id="dup">a</p>; <div id="intro"> the heading "## Intro"'s
    # id (toc's); `id='dup'` and `id="&#100;up"` are the same id to a browser.
    body = '\n<p id="dup">a</p>\n\n<p id="dup">b</p>\n\n## Intro\n\n<div id="intro">c</div>\n'
    site.write("test.md", EXPLAINER + body)
    first = len(EXPLAINER.splitlines()) + 2
    repeated = 'error: the id "{}" is on another element of the page too{}: give each its own'
    assert both(site) == [
        f"content/test.md:{first + 2}: " + repeated.format("dup", ""),
        f"content/test.md:{first + 6}: "
        + repeated.format("intro", " (a heading, or an id given in Markdown)"),
    ]
    site.write("test.md", EXPLAINER + "\n<p id='dup'>a</p>\n\n<p id=\"&#100;up\">b</p>\n")
    assert len(both(site)) == 1
    # Each its own: the page is built, a link to an id leads to it.
    site.write("test.md", EXPLAINER + '\n<p id="one">a</p>\n\n## Intro\n\n<div id="two">c</div>\n')
    assert both(site) == []
    assert site.page("a-test-explainer.html").select_one("#two").get_text() == "c"


def test_a_heading_never_takes_the_pages_own_ids(site):
    site.write("test.md", EXPLAINER + "\n## Source alpha\n\n## Claims\n\nText.\n")
    assert site.build().code == 0
    page = site.page("a-test-explainer.html")
    ids = [element["id"] for element in page.select("[id]")]
    assert len(ids) == len(set(ids))
    assert page.select_one("#source-alpha").name == "li"  # the note, not the heading
    assert [h["id"] for h in page.select("h2[id^=section-]")] == ["section-source-alpha", "section-claims"]


def test_raw_html_with_the_pages_own_id_is_an_error(site):
    site.write("test.md", EXPLAINER + '\n<div id="claims">mine</div>\n')
    run = site.check()
    line = len(EXPLAINER.splitlines()) + 2
    assert run.problems == [
        (
            f"content/test.md:{line}: error: raw HTML in the body: "
            'the id "claims" is the page\'s own; choose another'
        )
    ]
    assert site.build().problems == run.problems


WEB_ADDRESS_PARTS = ["http", "https", "HTTP", "ftp", ":", "//", "/", "a", "x.example", "@", "[", "]", "::1"]
WEB_ADDRESS_PARTS += ["?", "#", "%20", " ", "\t", "\n", "\x00", "\x7f", "é", "\uff0e", "~", "'", ":80", "-"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(WEB_ADDRESS_PARTS), max_size=12).map("".join))
def test_a_web_address_told_at_once_is_one_by_its_parts(url):
    """The plain addresses told by one expression (`_PLAIN_WEB_ADDRESS`) are what splitting
    the address says: an http(s) scheme, a host, no white space; anything else is split."""
    try:
        parts = urlsplit(url)
        by_parts = parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"\s", url)
    except ValueError:
        by_parts = False
    assert is_web_address(url) == by_parts


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=c#d", True),
        ("http://user:pw@example.org:8080/", True),
        ("HTTPS://example.org/", True),  # split: the scheme in capitals
        ("https://[::1]/", True),  # split: an IPv6 host
        ("https://[::1/", False),  # split: a bracket left open
        ("https:///path", False),  # no host
        ("https://exa mple.org/", False),
        ("https://example.org/a b", False),
        ("https://exämple.org/", True),  # split: a host in another script
        ("javascript://example.org/%0Aalert(1)", False),
    ],
)
def test_a_web_address_is_one_with_a_host_and_no_space(url, expected):
    assert is_web_address(url) is expected
