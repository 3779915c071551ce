"""Lines of text as Pillow renders them, composed from each glyph rendered once a run.

Pillow's `getmask2` lays a line out and renders it glyph by glyph, and does so anew for
every line: each glyph is loaded and hinted four times and rasterised twice (its layout,
its box, where the line starts, then drawing). A card's three or four lines were three
quarters of the time a card took (4.9 of 6.6 ms). The card's font, Pillow's bundled one,
advances by whole pixels and kerns no pair (tests/test_card_glyphs.py checks every pair at
the card's sizes), so a line is its glyphs side by side, each where the advances before it
end: each glyph's coverage is rendered once a run, and a line is put together from them,
blended where two overlap as Pillow blends them. The same bytes as Pillow's
`getmask2(text, "L", anchor="la")`, with the same offset (tests).
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from PIL import Image, ImageChops, ImageFont

# A pixel's coverage made all or nothing: where two glyphs both cover a pixel.
_ANY = bytes([0] + [255] * 255)


class Glyph(NamedTuple):
    advance: int  # pixels
    box: tuple[int, int, int, int]  # what Pillow counts in a line's box, from the pen on the baseline
    ink: Image.Image | None  # its coverage, cut to what it covers (None for a space)
    at: tuple[int, int]  # where `ink` starts, from the pen on the baseline


# The glyphs kept: room for all the card's font has at each of its sizes (113 characters, five
# sizes), and for some it lacks, which titles of a long run may hold any of (a million): those
# asked about least lately are let go, as a glyph is a kilobyte or so.
KEPT = 2048


@functools.lru_cache(maxsize=KEPT)
def glyph(font: ImageFont.FreeTypeFont, char: str) -> Glyph | None:
    """`char` in `font`, rendered once a run (unless many others were since); None when it
    does not advance by whole pixels (then a line holding it is left to Pillow)."""
    advance = font.getlength(char)
    if not advance.is_integer():
        return None
    mask, (left, top) = font.getmask2(char, "L", anchor="ls")
    image = Image.Image()._new(mask)  # Pillow's own way to wrap what it renders
    inked = image.getbbox()
    box = font.getbbox(char, anchor="ls")
    if inked is None:
        return Glyph(int(advance), box, None, (0, 0))
    return Glyph(int(advance), box, image.crop(inked), (left + inked[0], top + inked[1]))


def _laid_out(font: ImageFont.FreeTypeFont, text: str) -> list[Glyph] | None:
    """The glyphs of `text` side by side, or None when Pillow's layout may not be that: a
    glyph between whole pixels, or a font laid out by Raqm (which orders a line by its
    direction and shapes it; the card's font, `load_default`'s, is laid out glyph by glyph)."""
    if font.layout_engine != ImageFont.Layout.BASIC:
        return None
    glyphs = []
    for char in text:
        each = glyph(font, char)
        if each is None:
            return None
        glyphs.append(each)
    return glyphs


def length(font: ImageFont.FreeTypeFont, text: str) -> float:
    """`font.getlength(text)`: the glyphs' advances (the font kerns no pair)."""
    glyphs = _laid_out(font, text)
    if glyphs is None:
        return font.getlength(text)
    return sum(each.advance for each in glyphs)


def mask(font: ImageFont.FreeTypeFont, text: str) -> tuple[Image.Image, tuple[int, int]]:
    """The line's coverage and where it starts from the point it is drawn at: what
    `font.getmask2(text, "L", anchor="la")` renders, from the glyphs rendered once a run."""
    glyphs = _laid_out(font, text)
    if not text or glyphs is None:
        rendered, offset = font.getmask2(text, "L", anchor="la")
        return Image.Image()._new(rendered), offset
    # The line's box as Pillow counts it: every glyph's box, and the pen's line.
    pen = left = top = right = bottom = 0
    placed = []
    for each in glyphs:
        left, right = min(left, pen + each.box[0]), max(right, pen + each.box[2])
        top, bottom = min(top, each.box[1]), max(bottom, each.box[3])
        if each.ink is not None:
            placed.append((each.ink, pen + each.at[0], each.at[1]))
        pen += each.advance
    line = Image.new("L", (max(right, pen) - left, bottom - top))
    reach = 0  # the right edge of everything drawn so far
    for ink, x, y in placed:
        box = (x - left, y - top, x - left + ink.width, y - top + ink.height)
        if box[0] >= reach:
            line.paste(ink, box[:2])  # on nothing drawn yet
        else:  # on what may be drawn: what the glyphs before left there, a glyph's worth of work
            line.paste(_over(line.crop(box), ink), box[:2])
        reach = max(reach, box[2])
    # `anchor="la"`: from the ascender line, which is the font's ascent above the baseline.
    return line, (left, top + font.getmetrics()[0])


def _over(under: Image.Image, ink: Image.Image) -> Image.Image:
    """`ink` drawn over `under` as Pillow draws a glyph over the line so far: where only one
    covers a pixel, its coverage; where both do, `ink + under × (255 − ink) / 255`, rounded
    as Pillow rounds it."""
    both = ImageChops.darker(under.point(_ANY), ink.point(_ANY)).getbbox()
    out = ImageChops.lighter(under, ink)
    if both is None:
        return out
    below, above = under.crop(both).tobytes(), ink.crop(both).tobytes()
    blended = bytes(_blend(a, b) for a, b in zip(above, below, strict=True))
    out.paste(Image.frombytes("L", (both[2] - both[0], both[3] - both[1]), blended), both[:2])
    return out


def _blend(above: int, below: int) -> int:
    if not above or not below:
        return above or below
    product = below * (255 - above) + 128
    return min(255, above + (((product >> 8) + product) >> 8))
