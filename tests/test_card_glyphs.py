"""A card's lines put together from glyphs rendered once a run (`render/glyphs.py`): the
same coverage, box and offset as Pillow's own rendering of the whole line, byte for byte."""

from __future__ import annotations

import io
import random
import string

import pytest
from PIL import ImageFont, features

from explainers.render import card, glyphs

SIZES = (*card.TITLE_SIZES, 34)
# What a card can draw, all the font has: `card.drawable` turns a title into these (ASCII, curly
# quotes, "…", "·", and a few signs and ligatures).
DRAWN = string.printable[:95] + "\u2018\u2019\u201c\u201d\u2026\u00b7" + "©«°±´»‹›⁄™ﬁﬂ"


def pillow(font: ImageFont.FreeTypeFont, text: str) -> tuple[tuple[int, int], tuple[int, int], bytes]:
    mask, offset = font.getmask2(text, "L", anchor="la")
    return mask.size, offset, bytes(mask)


def composed(font: ImageFont.FreeTypeFont, text: str) -> tuple[tuple[int, int], tuple[int, int], bytes]:
    line, offset = glyphs.mask(font, text)
    return line.size, offset, line.tobytes()


def test_the_characters_checked_are_all_the_font_has():
    """Every character the font has a glyph for where it has any (Latin, punctuation, signs,
    the "fi" ligatures), so the pairs below are all a card can draw: "©", "™", "⁄" (in "1⁄2",
    drawn for "½") and "ﬁ" as much as "a"."""
    font = card.font(44)
    missing = pillow(font, "\ue000")  # a private-use character: what "no glyph" looks like
    blocks = [*range(0x20, 0x3000), *range(0xFB00, 0xFB50)]
    had = {chr(point) for point in blocks if pillow(font, chr(point)) != missing}
    assert had - set(DRAWN) == set()


@pytest.mark.parametrize("size", SIZES)
def test_the_cards_font_advances_by_whole_pixels_and_kerns_no_pair(size):
    """What composing a line from its glyphs rests on, for every pair a card can draw: a
    line is as long as its glyphs' advances, and each glyph starts where the ones before
    it end, at a whole pixel."""
    font = card.font(size)
    advances = {char: font.getlength(char) for char in DRAWN}
    assert all(advance.is_integer() for advance in advances.values())
    kerned = [a + b for a in DRAWN for b in DRAWN if font.getlength(a + b) != advances[a] + advances[b]]
    assert kerned == []


# Lines where glyphs overlap (a blend where two cover a pixel), start left of the pen ("j"),
# carry a mark over the letter before, a character the font lacks, or nothing to draw.
HARD = [
    "Kursk: what “we” know…",
    "fjord jiffy fff jjj",
    "T. Wa Yo Av ty rt LT VA",
    "‘quoted’ · “double” …",
    "f\u0301 a\u0308",
    "\ue000 missing",
    " ",
    "   leading and trailing   ",
    "gjpqy Ágÿ",
    "Zürich café — a title",
    "____----////\\\\\\\\",
]


def lines(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    pools = [DRAWN, "fjTyWAVvrtLYJ/\\_'\",.;:", string.ascii_lowercase + " "]
    chosen = rng.choices(pools, k=count)
    return ["".join(rng.choice(pool) for _ in range(rng.randint(1, 60))) for pool in chosen]


@pytest.mark.parametrize("size", SIZES)
def test_a_line_is_the_line_pillow_renders_byte_for_byte(size):
    font = card.font(size)
    for text in [*HARD, *lines(seed=size, count=150)]:
        assert composed(font, text) == pillow(font, text), text
        assert glyphs.length(font, text) == font.getlength(text), text


def test_a_line_pillow_renders_from_nothing_is_its_own():
    font = card.font(34)
    assert composed(font, "") == pillow(font, "") == ((0, 0), (0, 0), b"")


def test_a_glyph_that_does_not_advance_by_whole_pixels_leaves_the_line_to_pillow(monkeypatch):
    """Another font, or another version of this one, whose advances fall between pixels: a
    glyph's place is then no whole pixel, and the line is rendered by Pillow as a whole."""
    font = ImageFont.load_default(size=30)  # its own object: its glyphs are cached apart
    getlength = ImageFont.FreeTypeFont.getlength
    monkeypatch.setattr(
        ImageFont.FreeTypeFont, "getlength",
        lambda self, text, *a, **k: getlength(self, text, *a, **k) + (0.5 if text == "v" else 0),
    )  # fmt: skip
    rendered = []
    getmask2 = ImageFont.FreeTypeFont.getmask2
    monkeypatch.setattr(
        ImageFont.FreeTypeFont, "getmask2",
        lambda self, text, *a, **k: rendered.append(text) or getmask2(self, text, *a, **k),
    )  # fmt: skip
    line, offset = glyphs.mask(font, "wavy")
    assert "wavy" in rendered
    assert (line.size, offset, line.tobytes()) == pillow(font, "wavy")
    assert glyphs.length(font, "wavy") == font.getlength("wavy")


def test_a_glyph_is_kept_as_what_it_covers():
    """A glyph's coverage is cut to its ink; a space keeps none, only its advance."""
    font = card.font(60)
    space, letter = glyphs.glyph(font, " "), glyphs.glyph(font, "o")
    assert space.ink is None
    assert space.advance == font.getlength(" ")
    assert letter.ink is not None
    assert letter.ink.getbbox() == (0, 0, *letter.ink.size)


@pytest.mark.skipif(not features.check("raqm"), reason="Pillow without Raqm lays every font out alone")
@pytest.mark.parametrize("text", ["\u05d0Z", "|\u05d1", "\u0627|"])
def test_a_font_laid_out_by_raqm_is_left_to_pillow(text):
    """The card's font is laid out glyph after glyph (`Layout.BASIC`); the same font laid out by
    Raqm, as `ImageFont.truetype` does where it can, orders a line by its direction (a Hebrew
    letter, and the "Z" after it to its left) and shapes it: no longer its glyphs side by side."""
    font = ImageFont.truetype(io.BytesIO(card.font(44).font_bytes), 44, layout_engine=ImageFont.Layout.RAQM)
    assert composed(font, text) == pillow(font, text)
    assert glyphs.length(font, text) == font.getlength(text)


def test_characters_a_card_cannot_draw_are_not_kept_for_the_run():
    """The glyphs kept for the run are so many at most, room for all the font's at the card's
    sizes, whatever the titles of a long run hold (the font lacks all but a hundred or so of
    Unicode's million characters), and so is whether the font has a character."""
    marks = "".join(map(chr, range(0x0300, 0x036F)))  # combining marks the font lacks: left off
    for number in range(3000):
        # A title in another script is not drawn; one with marks the font lacks is, without them.
        assert card.drawable(f"{chr(0x4E00 + number)} and more", card.font(44)) is None
        assert card.drawable(f"Title{marks[number % 100 :]}", card.font(44)) == "Title"
    for cached in (glyphs.glyph.cache_info(), card._has_glyph.cache_info()):
        assert cached.maxsize is not None
        assert cached.currsize <= cached.maxsize
    assert len(SIZES) * (len(DRAWN) + 1) <= glyphs.glyph.cache_info().maxsize  # a card's own glyphs
