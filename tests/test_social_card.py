"""Each explainer's social card: a 1200×630 PNG drawn at build time, shared as og:image."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw, ImageFont

from explainers.render import card, glyphs
from explainers.render import png as card_png
from sitebuild import EXPLAINER, Site
from test_media import LEAD, explainer, png


@pytest.fixture
def built(site):
    site.write("test.md", EXPLAINER)
    site.write(
        "unfinished.md", EXPLAINER.replace("title: A test explainer", "title: Unfinished\nstatus: draft")
    )
    site.write("plain.md", "Title: A plain article\nDate: 2025-01-20\n\nPlain *text*.\n")
    run = site.build()
    assert run.code == 0, run.stderr
    return site


def meta(page) -> dict[str, str]:
    return {m.get("property") or m.get("name"): m["content"] for m in page.select("meta[content]")}


def test_the_card_is_a_1200x630_png_shared_as_og_image_and_twitter_image(built):
    """a-test-explainer.html: <meta property="og:image" content="SITEURL/a-test-explainer.card.png">"""
    tags = meta(built.page("a-test-explainer.html"))
    assert tags["og:image"] == "http://127.0.0.1:8000/a-test-explainer.card.png"
    assert tags["twitter:image"] == tags["og:image"]
    assert tags["twitter:card"] == "summary_large_image"
    assert (tags["og:image:width"], tags["og:image:height"], tags["og:image:type"]) == (
        "1200",
        "630",
        "image/png",
    )
    assert tags["og:image:alt"].startswith("A test explainer: Explainers")
    image = Image.open(built.output / "a-test-explainer.card.png")
    image.verify()
    assert (image.format, image.size) == ("PNG", (1200, 630))


def test_a_page_without_a_card_shares_a_small_summary(built):
    tags = meta(built.page("a-plain-article.html"))
    assert "og:image" not in tags
    assert tags["twitter:card"] == "summary"


def test_drafts_get_their_card_beside_them(built):
    assert meta(built.page("drafts/unfinished.html"))["og:image"].endswith("/drafts/unfinished.card.png")
    assert Image.open(built.output / "drafts" / "unfinished.card.png").size == (1200, 630)


def test_two_builds_of_the_same_content_write_the_same_bytes(built, tmp_path):
    """Once from the cache, once drawn with the cache off: byte for byte the same."""
    again = built.build("-o", str(tmp_path / "again"), "-e", 'EXPLAINERS={"CACHE": false}')
    assert again.code == 0, again.stderr
    first = (built.output / "a-test-explainer.card.png").read_bytes()
    assert (tmp_path / "again" / "a-test-explainer.card.png").read_bytes() == first


def test_the_card_shows_how_many_claims_have_each_status():
    assert card.counts_line([("Confirmed", 3), ("Estimate", 0), ("Disputed", 1)]) == (
        "4 claims: 3 confirmed · 1 disputed"
    )
    assert card.counts_line([("Confirmed", 1)]) == "1 claim: 1 confirmed"
    assert card.counts_line([("Confirmed", 0)]) == ""


def test_a_long_title_is_cut_to_four_lines_inside_the_card():
    font, lines = card.title_lines("word " * 200, 1200 - 2 * card.MARGIN)
    assert len(lines) == card.TITLE_LINES
    assert lines[-1].endswith("…")
    assert all(font.getlength(line) <= 1200 - 2 * card.MARGIN for line in lines)
    png = card.draw("word " * 200, "Explainers", [("Confirmed", 2)])
    assert Image.open(io.BytesIO(png)).size == (1200, 630)


@pytest.mark.parametrize("title", ["Kursk: " + "x" * 12_000, "ab " * 300_000 + "end"])
def test_drawing_a_huge_title_measures_only_what_can_show(monkeypatch, title):
    """Work bounded by what four lines can hold, counted in characters measured (not time):
    a word wider than a line is cut where it stands, and what is past the card is never read."""
    measured = []
    length = glyphs.length
    monkeypatch.setattr(glyphs, "length", lambda font, text: measured.append(len(text)) or length(font, text))
    font, lines = card.title_lines(title[: card.MAX_TITLE_CHARS], 1200 - 2 * card.MARGIN)
    assert len(lines) <= card.TITLE_LINES
    assert lines[-1].endswith("…")
    assert all(font.getlength(line) <= 1200 - 2 * card.MARGIN for line in lines)
    measured.clear()
    card.draw(title, "Explainers", [("Confirmed", 2)])
    assert sum(measured) < 200_000


def test_a_glyph_is_rendered_and_measured_once_a_run_whichever_card_it_is_on(monkeypatch):
    """A line is put together from its glyphs (`glyphs.py`), each rendered and measured once
    a run: Pillow is asked for single characters, each once, and for nothing on a card whose
    characters an earlier card drew. The pixels are Pillow's (`whole_card`, below)."""
    glyphs.glyph.cache_clear()
    card._site_part("Explainers")  # the site's part, drawn once a run by Pillow as a whole
    asked = []
    for name in ("getbbox", "getmask2", "getlength"):
        original = getattr(ImageFont.FreeTypeFont, name)
        monkeypatch.setattr(
            ImageFont.FreeTypeFont, name, lambda self, text, *a, _o=original, _n=name, **k:
            asked.append((_n, self.size, text)) or _o(self, text, *a, **k),
        )  # fmt: skip
    card.draw("Quixotic jazz: a wyvern's flight", "Explainers", [("Estimate", 7)])
    assert {len(text) for _, _, text in asked} == {1}
    assert len(asked) == len(set(asked))
    asked.clear()
    card.draw("a wyvern's flight: Quixotic jazz", "Explainers", [("Estimate", 7)])
    assert asked == []


def test_a_title_longer_than_a_headline_is_an_error_at_its_line(site):
    site.write("x.md", EXPLAINER.replace("title: A test explainer", "title: " + "Kursk " * 60))
    checked, built = site.check(), site.build()
    assert (
        checked.problems
        == built.problems
        == ["content/x.md:2: error: title: is 359 characters long; at most 300: shorten it"]
    )


def test_a_lead_image_takes_the_cards_place(tmp_path):
    """image: {file: photos/lead.png, alt: The council chamber, empty}
    -> <meta property="og:image" content="SITEURL/photos/lead.png">
       <meta property="og:image:alt" content="The council chamber, empty">, and no card drawn"""
    site = Site(tmp_path)
    (site.content / "photos").mkdir(parents=True)
    (site.content / "photos" / "lead.png").write_bytes(png())
    site.write("x.md", explainer(LEAD))
    run = site.build()
    assert run.code == 0, run.stderr
    tags = meta(site.page("a-test-explainer.html"))
    assert tags["og:image"] == "http://127.0.0.1:8000/photos/lead.png"
    assert tags["twitter:image"] == tags["og:image"]
    assert tags["og:image:alt"] == "The council chamber, empty"
    assert "og:image:width" not in tags
    assert (site.output / "photos" / "lead.png").is_file()
    assert not (site.output / "a-test-explainer.card.png").exists()


@pytest.mark.parametrize(
    ("title", "drawn"),
    [
        ("Kursk: what “we” know…", "Kursk: what “we” know…"),
        ("Zürich café — a test", "Zurich cafe - a test"),
        ("Курск", None),
        # A character the font has as several: all of them, not the first alone.
        ("Eﬀects of the oﬃce", "Effects of the office"),
        ("½ of voters, № 5, Ⅳ", "1⁄2 of voters, No 5, IV"),
        # ... and a number as it reads: not "11⁄2" for "1½", nor "102" for "10²".
        ("1½ million, 10² km², 10¹² W, CO₂, ½½", "1 1⁄2 million, 10^2 km^2, 10^12 W, CO2, 1⁄2 1⁄2"),
        # Dashes and quotes the font lacks, as the nearest it has: the title, not no title at all.
        ("COVID\u201119, well\u2010known, 1990\u20122000", "COVID-19, well-known, 1990-2000"),
        ("\u201eJa\u201c, \u201aso\u2018, 5\u2032 11\u2033", "\u201cJa\u201c, \u2018so\u2018, 5' 11\""),
        # Whitespace the font lacks (it has only " "): a space, not an empty box or a second line.
        ("Explainers\u2003Daily\tNews\nand\u3000more\x1c", "Explainers Daily News and more "),
        # A Latin letter no mark makes, spelled as plain letters; a sign the font lacks is no letter.
        ("Straße in Łódź, Ærø, Þingvellir, œuvre", "Strasse in Lodz, AEro, Thingvellir, oeuvre"),
        ("A £5bn deal", None),
    ],
)
def test_the_card_draws_what_its_font_has_and_never_empty_boxes(title, drawn):
    assert card.drawable(title, card.ImageFont.load_default(size=44)) == drawn


def test_a_site_name_with_whitespace_the_font_lacks_is_drawn_with_spaces():
    """The site's name is drawn as it is, not wrapped: a tab or an em space in it is a space."""
    counts = [("Confirmed", 1)]
    assert card.draw("Title", "Explainers\u2003Daily\tNews", counts) == card.draw(
        "Title", "Explainers Daily News", counts
    )


@pytest.mark.parametrize(
    ("evil", "problem"),
    [
        # What the writer types                                  the line refused
        (
            EXPLAINER.replace("title: A test explainer", "title: Evil\nslug: evil")
            + "\nSee [the card]({static}victim.card.png).\n",
            (
                "content/evil.md:43: error: {static}victim.card.png: this file would be published as "
                "victim.card.png, the social card the build makes for content/victim.md: rename the file"
            ),
        ),
        (
            explainer(image="image:\n  file: Victim.Card.png\n  alt: A picture\n").replace(
                "title: A test explainer", "title: Evil\nslug: evil"
            ),
            (
                "content/evil.md:7: error: image: file: Victim.Card.png: this file would be published as "
                "victim.card.png, the social card the build makes for content/victim.md: rename the file"
            ),
        ),
    ],
)
def test_no_content_file_is_published_over_another_explainers_card_or_data(site, evil, problem):
    site.write("victim.md", EXPLAINER.replace("title: A test explainer", "title: Victim\nslug: victim"))
    site.write("evil.md", evil)
    (site.content / "victim.card.png").write_bytes(png())
    (site.content / "Victim.Card.png").write_bytes(png())  # one file on macOS and Windows
    checked, built = site.check(), site.build()
    assert checked.problems == built.problems
    assert problem in checked.problems, checked.problems
    assert built.code != 0


def test_no_static_file_is_published_over_an_explainers_card(site):
    """A file the site publishes as it is (STATIC_PATHS) named as another explainer's card."""
    site.write("victim.md", EXPLAINER.replace("title: A test explainer", "title: Victim\nslug: victim"))
    (site.content / "victim.card.png").write_bytes(png())
    static = ("-e", 'STATIC_PATHS=["images", "victim.card.png"]')
    checked, built = site.check(*static), site.build(*static)
    assert checked.problems == built.problems
    assert (
        "content/victim.card.png:1: error: this file would be published as victim.card.png, an address "
        "the site or its host keeps for itself: move it into images/"
    ) in checked.problems, checked.problems
    assert built.code != 0


def whole_card(title: str, site_name: str, counts) -> bytes:
    """The card as drawn before the site's part was kept and lines shaded alone: the whole
    picture drawn with `ImageDraw.text`, then brought to the card's colours at once."""
    image = Image.new("RGB", card.SIZE, card.BACKGROUND)
    pen = ImageDraw.Draw(image)
    width = card.SIZE[0] - 2 * card.MARGIN
    pen.rectangle((0, 0, 16, card.SIZE[1]), fill=card.ACCENT)
    small = card.font(34)
    pen.text((card.MARGIN, card.MARGIN), card.drawable(site_name, small) or "", font=small, fill=card.ACCENT)
    shown = card.drawable(title[: card.MAX_TITLE_CHARS], card.font(card.TITLE_SIZES[-1]))
    if shown:
        title_font, lines = card.title_lines(shown, width)
        for number, line in enumerate(lines):
            at = (card.MARGIN, card.MARGIN + 80 + number * round(title_font.size * 1.2))
            pen.text(at, line, font=title_font, fill=card.TEXT)
    summary = card.counts_line(counts)
    if summary:
        claims = card.wrap(card.drawable(summary, small) or "", small, width)[:2]
        for number, line in enumerate(claims):
            at = (card.MARGIN, card.SIZE[1] - card.MARGIN - len(claims) * 44 + number * 44)
            pen.text(at, line, font=small, fill=card.MUTED)
    return card_png.encode(image.quantize(palette=card._palette(), dither=Image.Dither.NONE))


MANY = [("Confirmed", 30), ("Reported", 12), ("Estimate", 11), ("Disputed", 10), ("False", 2), ("Claimed", 9)]


@pytest.mark.parametrize(
    ("title", "counts"),
    [
        ("Kursk: what “we” know…", [("Confirmed", 3), ("Disputed", 1)]),
        ("Zürich café — a title that runs over two lines of the card, or three", [("Claimed", 2)]),
        ("gjpqy Ágÿ " * 40, MANY),  # four lines at the smallest size, descenders and accents
        ("word " * 200, MANY),  # cut with an ellipsis
        ("Курск", [("Confirmed", 0)]),  # no title drawn, no counts
    ],
)
@pytest.mark.parametrize("lines_apart", [True, False])
def test_a_card_is_the_whole_picture_drawn_and_shaded_at_once_byte_for_byte(
    monkeypatch, title, counts, lines_apart
):
    """Each line is drawn and shaded on its own piece of the site's part, kept for the run
    (lines that touch: on the whole picture): the same PNG as drawing it all and shading it."""
    if not lines_apart:
        monkeypatch.setattr(card, "_apart", lambda boxes: False)
    assert card.draw(title, "Explainers", counts) == whole_card(title, "Explainers", counts)


@pytest.mark.parametrize("margin", [card.MARGIN, 8])
def test_a_line_on_the_bare_background_or_over_the_accent_bar_is_the_whole_picture(monkeypatch, margin):
    """A line on the bare background takes each pixel's shade from its coverage (looked up);
    one over the accent bar (a margin of 8 puts the lines on it) is drawn on the site's part.
    Both give the bytes of the whole picture drawn and shaded at once."""
    monkeypatch.setattr(card, "MARGIN", margin)
    card._site_part.cache_clear()  # the site's part is drawn at the margin, once a run
    try:
        title, counts = "Zürich café — a title that runs over two lines of the card", MANY
        assert card.draw(title, "Explainers", counts) == whole_card(title, "Explainers", counts)
    finally:
        card._site_part.cache_clear()


def paletted(picture: Image.Image) -> Image.Image:
    picture.putpalette(bytes(range(256)) * 3)
    return picture


def pixels(picture: Image.Image) -> tuple:
    return picture.mode, picture.size, picture.getpalette(), picture.tobytes()


@pytest.mark.parametrize(
    "picture",
    [
        card._site_part("Explainers")[1],  # a card's background, in the card's colours
        paletted(Image.frombytes("P", (7, 3), bytes(range(21)))),  # rows of odd lengths
        paletted(Image.frombytes("P", (1, 1), b"\x00")),
    ],
    ids=["card", "odd", "one-pixel"],
)
def test_a_card_picture_is_written_as_a_png_that_reads_back_as_the_same_pixels(picture):
    """`png.encode` writes a palette picture as PNG: Pillow reads back its size, palette and
    every pixel, and finds each chunk's checksum right."""
    written = card_png.encode(picture)
    assert written.startswith(b"\x89PNG\r\n\x1a\n")
    Image.open(io.BytesIO(written)).verify()  # the chunks' CRCs
    with Image.open(io.BytesIO(written)) as read:
        assert pixels(read) == pixels(picture)


@pytest.mark.parametrize("mode", ["RGB", "L", "RGBA", "P"])  # "P": a palette picture without its palette
def test_only_a_palette_picture_with_its_palette_is_written(mode):
    with pytest.raises(ValueError, match="a palette picture"):
        card_png.encode(Image.new(mode, (2, 2)))


def test_a_card_is_smaller_than_pillows_own_png_of_it():
    """The cards are compressed at zlib-ng's fast level: fewer bytes than Pillow's fastest."""
    drawn = card.draw("Kursk: what \u201cwe\u201d know", "Explainers", MANY)
    with Image.open(io.BytesIO(drawn)) as picture:
        pillow = io.BytesIO()
        picture.save(pillow, format="PNG", optimize=False, compress_level=1)
    assert len(drawn) < len(pillow.getvalue())
