"""Images and embeds: the lead image (`image:`), figures in the body, embedded frames.

Each test shows what the writer types and the HTML the page must carry, side by side;
the hostile cases show the problem line `make check` and `make html` both print.
"""

from __future__ import annotations

import json
import os
import re
import struct
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag
from pelican import contents

from explainers.document import embeds
from explainers.document.files import Door
from explainers.read import ExplainerBuilder
from explainers.settings import embed_hosts, from_pelican
from sitebuild import EXPLAINER, Site, json_ld
from test_makefile import make, snapshot

HOST = "charts.example.org"
ALLOW = ("-e", "EXPLAINERS=" + json.dumps({"EMBED_HOSTS": [HOST]}))


def png() -> bytes:
    """A real 1×1 PNG, so browsers and tools can read the file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\0\0\0"))
        + chunk(b"IEND", b"")
    )


def shape(node) -> object:
    """An element as (name, attributes, children); white space between elements ignored, and
    inside text read as HTML reads it (any run of it is one space)."""
    if isinstance(node, NavigableString):
        return re.sub(r"\s+", " ", str(node))
    children = [
        shape(child)
        for child in node.children
        if isinstance(child, Tag) or (isinstance(child, NavigableString) and str(child).strip())
    ]
    attributes = {k: " ".join(v) if isinstance(v, list) else v for k, v in node.attrs.items()}
    return (node.name, attributes, children)


def same(actual: Tag | None, expected: str) -> None:
    assert actual is not None
    wanted = BeautifulSoup(expected, "html.parser").find()
    assert shape(actual) == shape(wanted), f"\n{actual}\n!=\n{expected}"


def explainer(image: str = "", body: str = "") -> str:
    """The test explainer, with an `image:` block in its front matter and more body."""
    text = EXPLAINER.replace(
        "summary: What the test is about.\n", f"summary: What the test is about.\n{image}"
    )
    return text + body


@pytest.fixture
def site(tmp_path) -> Site:
    site = Site(tmp_path)
    (site.content / "images").mkdir(parents=True)
    (site.content / "images" / "chamber.png").write_bytes(png())
    (site.content / "photos").mkdir()
    (site.content / "photos" / "lead.png").write_bytes(png())  # outside STATIC_PATHS
    return site


def both(site: Site, *extra: str) -> list[str]:
    """The problems, after checking that `make check` and `make html` give the same ones and
    that the failed build wrote nothing."""
    checked = site.check(*extra)
    built = site.build(*extra)
    assert checked.code != 0
    assert built.code != 0
    assert checked.problems == built.problems
    assert not site.output.exists()
    return checked.problems


# --- The lead image ---------------------------------------------------------------


LEAD = """\
image:
  file: photos/lead.png
  alt: The council chamber, empty
  caption: The chamber *before* the vote.
  credit: Photo by the press office
"""


def test_the_lead_image_is_a_figure_under_the_headline(site):
    site.write("x.md", explainer(LEAD))
    run = site.build()
    assert run.code == 0, run.stderr
    page = site.page("a-test-explainer.html")
    same(
        page.select_one("header.explainer__header figure"),
        """<figure class="lead-image">
             <img src="./photos/lead.png" alt="The council chamber, empty">
             <figcaption>
               <span class="figure__caption">The chamber <em>before</em> the vote.</span>
               <span class="figure__credit">Photo by the press office</span>
             </figcaption>
           </figure>""",
    )
    # Published although photos/ is not one of STATIC_PATHS: the page links to it.
    assert (site.output / "photos" / "lead.png").read_bytes() == png()


# A citation in the lead image's caption or credit. The image stands above the story, whose
# citations number the notes in reading order, so it is refused at its line (a figure in the
# body may cite); before this the page and its JSON-LD showed "[@test-source]" as written.
CITING_LEAD = {
    "caption": (
        "  caption: The chamber before the *vote* [@test-source].\n",
        (
            "content/x.md:8: error: image: caption: a citation ([@test-source]) cannot go in the lead "
            "image's caption: the notes are numbered from the story, which starts below it; name the "
            "source in words, or put the image in the body as a figure, whose Caption: may cite"
        ),
    ),
    "credit": (
        "  credit: Photo from [see @test-source, p. 2]\n",
        (
            "content/x.md:8: error: image: credit: a citation ([see @test-source, p. 2]) cannot go in "
            "the lead image's credit: the notes are numbered from the story, which starts below it; name "
            "the source in words, or put the image in the body as a figure, whose Caption: may cite"
        ),
    ),
}


@pytest.mark.parametrize("name", CITING_LEAD)
def test_a_citation_in_the_lead_images_caption_or_credit_is_refused_at_its_line(site, name):
    line, problem = CITING_LEAD[name]
    site.write("x.md", explainer("image:\n  file: photos/lead.png\n  alt: The chamber\n" + line))
    assert both(site) == [problem]


def test_a_bracket_without_a_key_or_escaped_in_the_lead_caption_is_text(site):
    caption = "  caption: The chamber [empty] at 9 \\[@not-a-citation] a.m.\n"
    site.write("x.md", explainer("image:\n  file: photos/lead.png\n  alt: The chamber\n" + caption))
    assert site.build().code == 0


def test_a_decorative_lead_image_has_an_empty_alt_and_no_caption(site):
    site.write("x.md", explainer("image:\n  file: /photos/lead.png\n  decorative: true\n"))
    assert site.build().code == 0
    same(
        site.page("a-test-explainer.html").select_one("figure.lead-image"),
        '<figure class="lead-image"><img src="./photos/lead.png" alt=""></figure>',
    )


def test_make_publish_copies_no_file_that_only_a_draft_uses(site):
    """A draft is not published, nor are its lead image and linked files (an embargoed photo
    at a guessable address); a file a published page also links is. A preview has them all."""
    (site.content / "embargo").mkdir()
    (site.content / "embargo" / "photo.png").write_bytes(png())
    (site.content / "embargo" / "memo.png").write_bytes(png())
    (site.content / "photos" / "shared.png").write_bytes(png())
    site.write(
        "draft.md",
        explainer(LEAD.replace("photos/lead.png", "embargo/photo.png")).replace(
            "title: A test explainer", "title: Embargoed\nstatus: draft"
        )
        + "\n[The memo]({static}embargo/memo.png) and [a map]({static}photos/shared.png).\n",
    )
    site.write("ok.md", explainer(body="\n[A map]({static}photos/shared.png).\n"))
    run = site.build("--publish", "-e", "SITEURL=https://news.example")
    assert run.code == 0, run.stderr
    published = {p.relative_to(site.output).as_posix() for p in site.output.rglob("*.png")}
    assert {"embargo/photo.png", "embargo/memo.png"}.isdisjoint(published)
    assert "photos/shared.png" in published
    preview = site.build()
    assert preview.code == 0, preview.stderr
    assert (site.output / "embargo" / "photo.png").is_file()
    assert (site.output / "embargo" / "memo.png").is_file()


def test_the_lead_image_is_in_the_structured_data_with_its_absolute_address(site):
    site.write("x.md", explainer(LEAD))
    assert site.build("--publish", "-e", "SITEURL=https://news.example").code == 0
    article = json_ld(site.page("a-test-explainer.html"))["@graph"][0]
    assert article["image"] == {
        "@type": "ImageObject",
        "url": "https://news.example/photos/lead.png",
        "contentUrl": "https://news.example/photos/lead.png",
        "caption": "The chamber before the vote.",
        "creditText": "Photo by the press office",
    }


def test_the_lead_image_is_on_the_view_data_for_the_social_card(site):
    """What the social card reads: the file itself, and the address it is published at."""
    site.write("x.md", explainer(LEAD))
    settings = from_pelican({})
    door = Door(str(site.content), "sources", ("images",), settings.static_types, (), settings.max_file_bytes)
    path = str(site.content / "x.md")
    result = ExplainerBuilder(settings, {}, door=door).read(path, Path(path).read_bytes())
    image = result.view.image
    assert (image.file, image.source_path, image.alt) == (
        "photos/lead.png",
        str(site.content / "photos" / "lead.png"),
        "The council chamber, empty",
    )


@pytest.mark.parametrize(
    ("image", "problem"),
    [
        (
            "image:\n  file: photos/lead.png\n",
            (
                "x.md:5: error: image: give the image its alt text (what it shows, for readers who cannot "
                "see it), or decorative: true for an image that adds nothing to the text"
            ),
        ),
        (
            "image:\n  file: photos/missing.png\n  alt: A\n",
            "x.md:6: error: image: file: photos/missing.png: there is no such file in the content folder",
        ),
        (
            "image:\n  file: ../outside.png\n  alt: A\n",
            (
                "x.md:6: error: image: file: ../outside.png: link to a file by a plain path inside the "
                "content folder (no '..', no %-escapes or entities)"
            ),
        ),
        (
            "image:\n  file: photos/linked.png\n  alt: A\n",
            "x.md:6: error: image: file: photos/linked.png: the file is a link out of the content folder",
        ),
        (
            "image:\n  file: https://elsewhere.example/x.png\n  alt: A\n",
            (
                "x.md:6: error: image: file: https://elsewhere.example/x.png: the lead image is a file "
                "in the content folder, not an address"
            ),
        ),
        (
            "image:\n  file: photos/report.pdf\n  alt: A\n",
            (
                "x.md:6: error: image: file: photos/report.pdf: the lead image is an image file "
                "(avif, gif, jpeg, jpg, png, webp)"
            ),
        ),
    ],
)
def test_a_lead_image_that_cannot_be_published_is_an_error_at_its_line(site, image, problem):
    (site.root / "outside.png").write_bytes(png())
    os.symlink(site.root / "outside.png", site.content / "photos" / "linked.png")
    (site.content / "photos" / "report.pdf").write_bytes(b"%PDF-1.4\n")
    site.write("x.md", explainer(image))
    problems = [p for p in both(site) if "linked.png:1:" not in p]  # the link itself, refused too
    assert problems == [f"content/{problem}"]


# --- Figures in the body ------------------------------------------------------------


def test_a_figure_is_an_image_with_caption_and_credit_lines(site):
    site.write(
        "x.md",
        explainer(
            body="""
![The council chamber, empty]({static}/images/chamber.png)
Caption: The chamber an hour *before* the vote [@alpha].
Credit: Photo by the press office
"""
        ),
    )
    assert site.build().code == 0
    same(
        site.page("a-test-explainer.html").select_one(".explainer__body figure"),
        """<figure>
             <img src="./images/chamber.png" alt="The council chamber, empty">
             <figcaption>
               <span class="figure__caption">The chamber an hour <em>before</em> the vote
                 <sup class="citation">[<a data-source="alpha" href="#source-alpha" id="cite-alpha-4"
                   role="doc-noteref" aria-label="Source 1">1</a>]</sup>.</span>
               <span class="figure__credit">Photo by the press office</span>
             </figcaption>
           </figure>""",
    )


def test_an_image_without_caption_lines_stays_a_plain_image(site):
    site.write("x.md", explainer(body="\n![A chamber]({static}/images/chamber.png)\n"))
    assert site.build().code == 0
    body = site.page("a-test-explainer.html").select_one(".explainer__body")
    assert body.find("figure") is None
    same(body.find_all("p")[-1], '<p><img src="./images/chamber.png" alt="A chamber"></p>')


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            "![]({static}/images/chamber.png)\nCaption: The chamber.\n",
            (
                "x.md:42: error: a figure's image needs alt text, what it shows, for readers who cannot see "
                "it: ![what it shows](…)"
            ),
        ),
        (
            "![A chamber]({static}/images/missing.png)\nCaption: The chamber.\n",
            "x.md:42: error: {static}/images/missing.png: there is no such file in the content folder",
        ),
        (
            "Some text.\n\n[the report]({attach}files/missing.pdf)\n",
            "x.md:44: error: {attach}files/missing.pdf: there is no such file in the content folder",
        ),
        (
            "![A chamber]({static}/images/chamber.png)\nCaption: One.\nCaption: Two.\n",
            "x.md:44: error: Caption: is given twice in one figure",
        ),
    ],
)
def test_a_figure_or_linked_file_at_fault_is_an_error_at_its_line(site, body, problem):
    site.write("x.md", explainer(body="\n" + body))
    assert both(site) == [f"content/{problem}"]


# --- Embeds ---------------------------------------------------------------------


EMBED = f"""
Embed: https://{HOST}/AbC12/1/
Title: Spending by department, 2020 to 2025
Caption: From the adopted *budgets*.
Credit: Chart by the data desk
Height: 480
"""


def test_an_embed_is_a_sandboxed_lazy_frame_with_a_fallback_link(site):
    site.write("x.md", explainer(body=EMBED))
    run = site.build(*ALLOW)
    assert run.code == 0, run.stderr
    same(
        site.page("a-test-explainer.html").select_one(".explainer__body figure"),
        f"""<figure class="embed">
              <iframe class="embed__frame" src="https://{HOST}/AbC12/1/"
                title="Spending by department, 2020 to 2025"
                sandbox="allow-scripts allow-same-origin" referrerpolicy="no-referrer"
                loading="lazy" height="480"></iframe>
              <figcaption>
                <span class="figure__caption">From the adopted <em>budgets</em>.</span>
                <span class="figure__credit">Chart by the data desk</span>
              </figcaption>
              <p class="embed__fallback"><a href="https://{HOST}/AbC12/1/"
                rel="noopener noreferrer">Spending by department, 2020 to 2025</a> ({HOST})</p>
            </figure>""",
    )


def test_the_feed_carries_the_embed_link_never_the_frame(site):
    site.write("x.md", explainer(body=EMBED))
    site.write("plain.md", f"Title: Plain\nDate: 2025-01-20\n{EMBED}")
    assert site.build(*ALLOW).code == 0
    feed = BeautifulSoup((site.output / "feeds" / "all.atom.xml").read_text(), "xml")
    entries = [BeautifulSoup(entry.string, "html.parser") for entry in feed.find_all("content")]
    assert len(entries) == 2
    for entry in entries:
        assert entry.find("iframe") is None
        link = entry.select_one(".embed__fallback a")
        assert (link["href"], link.text) == (
            f"https://{HOST}/AbC12/1/",
            "Spending by department, 2020 to 2025",
        )


def refused(url: str) -> str:
    return f"x.md:42: error: Embed: {url}: "


SETTING_HINT = (
    f'a site allows a host by naming it in EXPLAINERS["EMBED_HOSTS"] in pelican.conf.py (now: {HOST})'
)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("javascript:alert(1)", f"an embed is an https:// address on a host the site allows; {SETTING_HINT}"),
        (
            "data:text/html,<script>alert(1)</script>",
            "an embed's address has no spaces, quotes, backslashes or control characters",
        ),
        (
            "data:text/html;base64,PHNjcmlwdD4=",
            f"an embed is an https:// address on a host the site allows; {SETTING_HINT}",
        ),
        ("https://evil.example.net/chart", f"embeds from evil.example.net are not allowed; {SETTING_HINT}"),
        (f"http://{HOST}/AbC12/1/", f"embeds load over https only: write https://{HOST}/AbC12/1/"),
        (f"https://{HOST}.evil.org/x", f"embeds from {HOST}.evil.org are not allowed; {SETTING_HINT}"),
        (
            f"https://{HOST}@evil.org/x",
            "an embed's address has no user name or password before its host (…@): remove it",
        ),
        (
            f"https://evil.org@{HOST}/x",
            "an embed's address has no user name or password before its host (…@): remove it",
        ),
        (
            f"https://{HOST}:8443/x",
            "an embed's address has no port: the site allows a host on https's own port",
        ),
        (f"//{HOST}/x", f"an embed is an https:// address on a host the site allows; {SETTING_HINT}"),
        (
            f"https:\\\\{HOST}/x",
            "an embed's address has no spaces, quotes, backslashes or control characters",
        ),
        (f"https://sub.{HOST}/x", f"embeds from sub.{HOST} are not allowed; {SETTING_HINT}"),
    ],
)
def test_an_embed_from_anywhere_else_is_refused_with_a_hint_to_the_setting(site, url, reason):
    site.write("x.md", explainer(body=f"\nEmbed: {url}\nTitle: A chart\n"))
    assert both(site, *ALLOW) == [f"content/{refused(url)}{reason}"]


def test_with_no_hosts_allowed_every_embed_is_refused(site):
    site.write("x.md", explainer(body=EMBED))
    assert both(site) == [
        (
            f"content/{refused(f'https://{HOST}/AbC12/1/')}embeds from {HOST} are not allowed; a site "
            'allows a host by naming it in EXPLAINERS["EMBED_HOSTS"] in pelican.conf.py (now: none yet)'
        )
    ]


def test_an_embed_needs_a_title(site):
    site.write("x.md", explainer(body=f"\nEmbed: https://{HOST}/AbC12/1/\nCaption: No title.\n"))
    assert both(site, *ALLOW) == [
        (
            "content/x.md:42: error: an embed needs a Title: line right under it, naming what it shows "
            "(screen readers announce it, and it is the link's text where the frame is not shown)"
        )
    ]


@pytest.mark.parametrize("tag", ["iframe", "embed", "object"])
def test_a_frame_typed_as_html_is_refused_with_a_hint_to_the_embed_syntax(site, tag):
    site.write("x.md", explainer(body=f'\n<{tag} src="https://{HOST}/AbC12/1/"></{tag}>\n'))
    assert both(site, *ALLOW) == [
        (
            f"content/x.md:42: error: raw HTML in the body: <{tag}> is not allowed; embed a chart, map or "
            "video with an Embed: line and its Title: line, from a host the site allows in "
            'EXPLAINERS["EMBED_HOSTS"] (see the writers\' guide)'
        )
    ]


@pytest.mark.parametrize(
    ("body", "line"),
    [
        # What the writer types                                    the line refused
        ('Text.\n\n<abbr title="&#2;embed:0&#3;">x</abbr>\n', 50),
        ("Text.\n\n![&#2;embed:0&#3;]({static}/images/chamber.png)\n", 50),
        ("Text.\n\n[&#x2;embed:0&#x03](https://example.org/)\n", 50),
        ("Text.\n\nA bell &#7; and an escape &#x1b;[31m.\n", 50),
    ],
)
def test_a_reference_to_a_control_character_is_refused_at_its_line(site, body, line):
    """The sanitizer decodes `&#2;` into the character itself: refused like the raw one, so
    no text can make the frame's placeholder (or a character no feed can carry)."""
    site.write("x.md", explainer(body=EMBED + "\n" + body))
    problems = both(site, *ALLOW)
    assert len(problems) == 1
    assert re.fullmatch(
        rf"content/x\.md:{line}: error: the text holds &#x?0*[0-9a-f]+;?, a reference to the control "
        r"character U\+00(02|07), which no page or feed can carry: remove it",
        problems[0],
    ), problems


def test_a_placeholder_is_filled_only_with_this_run_s_token():
    """A placeholder from another token (what a writer could type) is left as text, and one
    that is not where its block left it is never framed."""
    frame = embeds.Embed(f"https://{HOST}/a", HOST, "A").frame()
    token, other = embeds.new_token(), embeds.new_token()
    assert token != other
    one = [embeds.Embed(f"https://{HOST}/a", HOST, "A")]
    assert embeds.insert_frames(f"<p>{embeds.placeholder(token, 0)}</p>", one, token) == frame
    forged = f"<p>{embeds.placeholder(other, 0)}</p>"
    with pytest.raises(ValueError, match="placeholder"):
        embeds.insert_frames(forged, one, token)
    assert embeds.insert_frames(forged, [], token) == forged
    twice = f"<p>{embeds.placeholder(token, 0)}</p><a title='{embeds.placeholder(token, 0)}'>x</a>"
    with pytest.raises(ValueError, match="placeholder"):
        embeds.insert_frames(twice, one, token)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        # The same text stands earlier in the body: the problem is placed in its own block.
        (
            "The listed Height: 5000 feet.\n\n" + EMBED.replace("Height: 480", "Height: 5000"),
            "x.md:49: error: Height: expected a number of pixels from 100 to 2000; got '5000'",
        ),
        (
            "![]({static}/images/chamber.png)\n\n![]({static}/images/chamber.png)\nCaption: A.\n",
            (
                (
                    "x.md:44: error: a figure's image needs alt text, what it shows, for readers who "
                    "cannot see it: ![what it shows](…)"
                ),
                # The first image, no figure, is only asked for its alt text, at its own line.
                (
                    "x.md:42: warning: the image {static}/images/chamber.png has no alt text: say what "
                    "it shows in the brackets, ![what it shows]({static}/images/chamber.png), for "
                    "readers who cannot see it (an image that only decorates: "
                    '<img src="{static}/images/chamber.png" alt="">)'
                ),
            ),
        ),
        (
            "Source: a.\n\n![A chamber]({static}/images/chamber.png)\nCaption: A.\nSource: a.\n",
            (
                "x.md:46: error: the lines right under a figure's image are Caption:, Credit: lines; "
                "leave a blank line before other text"
            ),
        ),
        # Only ASCII digits, at most four, from 100 to 2000.
        (
            EMBED.replace("Height: 480", "Height: \u00b2\u00b2\u00b2"),
            "x.md:47: error: Height: expected a number of pixels from 100 to 2000; got '\u00b2\u00b2\u00b2'",
        ),
        (
            EMBED.replace("Height: 480", "Height: " + "1" * 5000),
            "x.md:47: error: Height: expected a number of pixels from 100 to 2000; got '" + "1" * 20 + "…'",
        ),
    ],
)
def test_a_figure_or_embed_problem_is_at_its_own_block(site, body, problem):
    site.write("x.md", explainer(body="\n" + body))
    lines = problem if isinstance(problem, tuple) else (problem,)
    assert sorted(both(site, *ALLOW)) == sorted(f"content/{line}" for line in lines)


@pytest.mark.parametrize(
    "hosts", [["https://charts.example.org"], ["*.example.org"], ["charts.example.org:443"], "a.example.org"]
)
def test_embed_hosts_are_host_names_alone(hosts):
    with pytest.raises(ValueError, match="EMBED_HOSTS"):
        embed_hosts(hosts)


def test_embed_hosts_are_matched_in_lower_case():
    assert embed_hosts([" Charts.Example.ORG", "charts.example.org"]) == ("charts.example.org",)


# --- As a writer runs it -----------------------------------------------------------


def test_make_check_and_make_html_report_missing_images_alike(writer):
    """A missing lead image and a missing figure image: the same two lines from `make check`
    and `make html`, both failing, the previous output untouched."""
    assert make("html", "INPUTDIR=content", "OUTPUTDIR=out", cwd=writer).returncode == 0
    before = snapshot(writer / "out")
    body = "\n![A chamber]({static}/images/missing.png)\nCaption: The chamber.\n"
    (writer / "content" / "test.md").write_text(
        explainer("image:\n  file: images/gone.jpg\n  alt: A\n", body), encoding="utf-8"
    )
    expected = [
        "content/test.md:6: error: image: file: images/gone.jpg: there is no such file in the content folder",
        "content/test.md:45: error: {static}/images/missing.png: there is no such file in the content folder",
    ]
    for target in ("check", "html"):
        result = make(target, "INPUTDIR=content", "OUTPUTDIR=out", cwd=writer)
        assert result.returncode != 0
        assert [line for line in result.stderr.splitlines() if ": error: " in line] == expected
    assert snapshot(writer / "out") == before


def test_pelican_looks_for_linked_files_only_in_pages_that_may_link_one(site, monkeypatch):
    """Pelican finds the files a page links (`get_static_links`, which it copies when they are
    outside STATIC_PATHS) with an expression tried at every tag of the page; a link's value
    opens with `{` or `|`, and a page whose HTML has neither character is not searched. The
    linked file is still published, the other page still built."""
    (site.content / "photos" / "linked.png").write_bytes(png())
    site.write("linking.md", explainer(body="\n[A photo]({static}photos/linked.png).\n"))
    site.write("plain.md", explainer(body="\nNo link to a file of the site.\n").replace("A test", "Another"))
    searched = []
    get_static_links = contents.Content.get_static_links
    monkeypatch.setattr(
        contents.Content,
        "get_static_links",
        lambda page: searched.append(page.source_path) or get_static_links(page),
    )
    assert site.build().code == 0
    assert searched == [str(site.content / "linking.md")]
    assert (site.output / "photos" / "linked.png").read_bytes() == png()
    link = site.page("a-test-explainer.html").select(".explainer__body a")[-1]
    assert link["href"] == "./photos/linked.png"
    assert (site.output / "another-explainer.html").is_file()
