"""Each explainer's social card: the picture a share shows (og:image, twitter:image).

A 1200×630 PNG (the size Open Graph and X/Twitter's large card ask for) with the
explainer's title, the site's name and how many of its claims have each status, drawn at
build time with Pillow and its bundled scalable font, so no system font is needed: the
same content makes the same file with the pinned Pillow and zlib-ng (`png.py`), whose
compressed bytes may differ from one kind of processor to another, never its pixels.

A writer's lead image, when an explainer has one, is shared instead: `social_image`
takes it as its one argument, and no card is drawn.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable

import PIL
from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageFont
from unidecode import unidecode

from . import glyphs, png
from .addresses import CARD_SAVE_AS

# What else the bytes depend on (a cached card is drawn again when it changes).
VERSION = f"{PIL.__version__}-{png.VERSION}-palette-words-nfc-spaces-nfkd-numbers-dashes-latin"
SIZE = (1200, 630)
MARGIN = 72
BACKGROUND = "#14213d"
TEXT = "#ffffff"
MUTED = "#c9d1e0"
ACCENT = "#f2b134"
TITLE_SIZES = (68, 60, 52, 44)  # the largest that fits in TITLE_LINES lines
TITLE_LINES = 4
# More characters than TITLE_LINES lines can show at the smallest size (the narrowest glyph
# is 8 px there: 4 × 1056 / 8 = 528): the rest is never drawn, so it is never measured
# either, whatever a title holds (each measure costs time in the length of its text).
MAX_TITLE_CHARS = 600


def social_image(data_base: str, lead_image=None) -> tuple[str | None, bool]:
    """What an explainer shares, relative to the site, and whether a card must be drawn
    for it: the card beside the page (`slug.card.png`, from the page's address, made from
    the checked slug); or nothing to draw when the writer gave a lead image, whose address
    the page reads from the image itself (`article.lead_image.url`)."""
    if lead_image is not None:
        return None, False
    return CARD_SAVE_AS.format(base=data_base), True


def counts_line(counts: Iterable[tuple[str, int]]) -> str:
    """'4 claims: 3 confirmed · 1 disputed': the statuses the explainer uses, in the site's order."""
    used = [(label, number) for label, number in counts if number]
    total = sum(number for _, number in used)
    if not total:
        return ""
    each = " · ".join(f"{number} {label.lower()}" for label, number in used)
    return f"{total} claim{'s' if total > 1 else ''}: {each}"


# The bundled font draws ASCII, curly quotes, "…" and "·", but no dash beyond "-" (any dash or
# hyphen, "‐" "‑" "–" "—", is drawn as "-"), no low or reversed quote and no accented letter:
# these are drawn as the nearest it has ("„" as "“", "é" as "e"), not as empty boxes.
_NEAREST = {
    "\u2212": "-",  # minus
    "\u201a": "\u2018", "\u201b": "\u2018", "\u201e": "\u201c", "\u201f": "\u201c",
    "\u2032": "'", "\u2033": '"',  # prime, double prime
}  # fmt: skip


@functools.cache
def font(size: int) -> ImageFont.FreeTypeFont:
    """Pillow's bundled font at `size` (Pillow decodes it anew on each `load_default`)."""
    return ImageFont.load_default(size=size)


@functools.lru_cache(maxsize=8192)  # titles of a long run may hold any of a million characters
def _has_glyph(size: int, char: str) -> bool:
    # A private-use character: the font has no glyph for it, so this is what "none" looks like.
    return glyphs.glyph(font(size), char) != glyphs.glyph(font(size), "\ue000")


# Characters that show nothing and change no order: a title pasted from a web page or typed
# in some editors carries them (a zero-width space, a soft hyphen), and they are left out.
# (Marks of direction do change what a reader sees: such a title is not drawn.)
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")


def drawable(text: str, font: ImageFont.FreeTypeFont) -> str | None:
    """The text as the font can draw it, or None when it cannot (a title in another script:
    the card then leaves it out rather than draw boxes). Composed first ("e" and a combining
    accent as "é", which is then drawn as "e"); a combining mark that composes with nothing
    is left off its letter. Whitespace of any kind is a space, the font's only one: a tab or
    a line break in the site's name (drawn as it is, not wrapped) would be a box or a line."""
    out = []
    previous = ""
    for char in unicodedata.normalize("NFC", text):
        prior, previous = previous, char  # the character before this one, drawn or not
        if char in _INVISIBLE or (unicodedata.category(char) == "Mn" and not _has_glyph(font.size, char)):
            continue
        if char.isspace():  # what `str.split` splits on, as `wrap` does
            out.append(" ")
            continue
        dash = "-" if unicodedata.category(char) == "Pd" else ""
        drawn = out[-1][-1:] if out else ""
        for candidate in (char, _NEAREST.get(char, dash), _unmarked(char, prior, drawn), _spelled(char)):
            if candidate and all(_has_glyph(font.size, each) for each in candidate):
                out.append(candidate)
                break
        else:
            return None
    return "".join(out)


_DIGITS = frozenset("0123456789")


def _unmarked(char: str, prior: str, drawn: str) -> str:
    """`char` (which comes after `prior`, the text drawn so far ending in `drawn`) as the
    characters it stands for, without their marks: "é" as "e", "ﬀ" as "ff", "½" as "1⁄2", all of them (the
    first alone would change a word, or a number). A number reads as it did: a fraction after
    a digit is set apart ("1½" as "1 1⁄2", not "11⁄2"), and a raised one is marked ("10²" as
    "10^2", not "102")."""
    parts = unicodedata.normalize("NFKD", char)
    plain = "".join(each for each in parts if unicodedata.category(each) != "Mn")
    if _form(char) == "<fraction>" and drawn in _DIGITS:
        return f" {plain}"
    if _raised(char) and not _raised(prior):
        return f"^{plain}"
    return plain


def _spelled(char: str) -> str:
    """A Latin letter no mark makes ("ß", "æ", "ø", "ł", "þ") spelled as plain Latin letters
    are ("ss", "ae", "o", "l", "th"); "" for any other character (a sign, another script)."""
    return unidecode(char) if unicodedata.name(char, "").startswith("LATIN ") else ""


def _form(char: str) -> str:
    """How `char` stands for the characters it decomposes to: "<super>", "<fraction>"..."""
    return unicodedata.decomposition(char).partition(" ")[0]


def _raised(char: str) -> bool:
    """A raised digit or sign ("²", "⁺"), not a raised letter ("ª", "ʰ")."""
    return bool(char) and _form(char) == "<super>" and not unicodedata.category(char).startswith("L")


def length(size: int, text: str) -> float:
    """How long `text` is at `size`: its glyphs' advances, each measured once a run."""
    return glyphs.length(font(size), text)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """The words in lines no longer than `width`, each line as long as it can be. A line's
    length is its words' and spaces' (the font does not kern across a space): measured
    once a word, not once for every word added to the line."""
    space = length(font.size, " ")
    lines: list[str] = []
    used = 0.0
    for word in text.split():
        size = length(font.size, word)
        if lines and used + space + size <= width:
            lines[-1] = f"{lines[-1]} {word}"
            used += space + size
        else:
            lines.append(word)
            used = size
    return lines


def cut(text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """The longest start of `text` that fits with an ellipsis after it, found by halving
    (a few measures, not one for each character cut)."""
    low, high = 0, len(text)  # text[:low] + "…" fits; text[:high + 1] + "…" does not
    while low < high:
        middle = (low + high + 1) // 2
        if length(font.size, f"{text[:middle]}…") <= width:
            low = middle
        else:
            high = middle - 1
    return f"{text[:low].rstrip()}…"


def title_lines(title: str, width: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The title at the largest size that fits; at the smallest, cut with an ellipsis."""
    for size in TITLE_SIZES:
        sized = font(size)
        # Longer than the lines packed full (with the spaces where they break): it cannot fit.
        # One measure, where wrapping measures once a word.
        if size != TITLE_SIZES[-1] and length(size, title) > TITLE_LINES * (width + length(size, " ")):
            continue
        lines = wrap(title, sized, width)
        # `length`: a line of one word was measured as a word by `wrap`.
        if len(lines) <= TITLE_LINES and all(length(size, line) <= width for line in lines):
            return sized, lines
    lines = lines[:TITLE_LINES]
    # A word wider than a line is cut where it stands; the last line always ends in "…".
    head = [line if length(size, line) <= width else cut(line, sized, width) for line in lines[:-1]]
    return sized, [*head, cut(lines[-1], sized, width)]


def draw(title: str, site_name: str, counts: Iterable[tuple[str, int]]) -> bytes:
    """The card as PNG bytes: site name, title, status counts. Nothing varies but these:
    no date, no metadata, so two builds write the same bytes."""
    width = SIZE[0] - 2 * MARGIN
    lines: list[tuple[tuple[int, int], Image.Image, str]] = []  # where, the line's coverage, colour
    shown = drawable(title[:MAX_TITLE_CHARS], font(TITLE_SIZES[-1]))
    if shown:
        title_font, title = title_lines(shown, width)
        line_height = round(title_font.size * 1.2)
        top = MARGIN + 80
        for number, line in enumerate(title):
            lines.append(_placed((MARGIN, top + number * line_height), glyphs.mask(title_font, line), TEXT))
    summary = counts_line(counts)
    if summary:
        small = font(34)
        claims = wrap(drawable(summary, small) or "", small, width)[:2]
        bottom = SIZE[1] - MARGIN - len(claims) * 44
        for number, line in enumerate(claims):
            lines.append(_placed((MARGIN, bottom + number * 44), _shared_mask(small, line), MUTED))
    site, shades, marks = _site_part(site_name)
    shades = shades.copy()
    boxes = [_box(at, coverage) for at, coverage, _ in lines]
    if _apart(boxes):
        # Each line drawn on its own piece of the site's part and brought to the card's
        # colours alone: a pixel's shade follows from its own colour, so these are the very
        # pixels drawing and shading the whole card gives, for a fraction of the work.
        for box, (at, coverage, colour) in zip(boxes, lines, strict=True):
            if marks.crop(box).getbbox() is None:
                # On the bare background (a line's usual place), each pixel's shade follows from
                # its coverage alone: looked up, not drawn and shaded (a fifth of a card's time).
                shaded = coverage.tobytes().translate(_inks(colour))
                shades.paste(Image.frombytes("P", coverage.size, shaded), box[:2])
                continue
            piece = site.crop(box)
            ImageDraw.Draw(piece).bitmap((at[0] - box[0], at[1] - box[1]), coverage, fill=colour)
            shades.paste(_shades(piece), box[:2])
    else:  # lines that touch (or leave the card) are drawn one over another, as they fall
        image = site.copy()
        pen = ImageDraw.Draw(image)
        for at, coverage, colour in lines:
            pen.bitmap(at, coverage, fill=colour)
        shades = _shades(image)
    # In the card's own colours, one byte a pixel, and compressed fast: encoding 1200×630 in
    # full colour was most of the time a card took (11 of 19 ms); in its colours with
    # Pillow's writer, 1.4 ms for 30 KB; with `png.py`, 0.5 ms for 24 KB.
    return png.encode(shades)


@functools.lru_cache(maxsize=4)
def _site_part(site_name: str) -> tuple[Image.Image, Image.Image, Image.Image]:
    """What every card of the site shows, drawn once a run: the background, the accent bar
    and the site's name; in full colour, in the card's colours, and where it is not the bare
    background (non-zero)."""
    background = Image.new("RGB", SIZE, BACKGROUND)
    image = background.copy()
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, 16, SIZE[1]), fill=ACCENT)
    small = font(34)
    pen.text((MARGIN, MARGIN), drawable(site_name, small) or "", font=small, fill=ACCENT)
    # Any band off by one counts (an "L" conversion would round small differences to nothing).
    bands = ImageChops.difference(image, background).point(lambda value: 255 if value else 0).split()
    marks = functools.reduce(ImageChops.lighter, bands)
    return image, _shades(image), marks


@functools.cache
def _inks(colour: str) -> bytes:
    """The shade (palette index) of each coverage, 0 to 255, of `colour` drawn on the
    background, as a `bytes.translate` table: found by drawing every coverage and shading it
    as a card is, so each is the very shade a card's pixel of that coverage takes."""
    coverage = Image.frombytes("L", (256, 1), bytes(range(256)))
    strip = Image.new("RGB", (256, 1), BACKGROUND)
    ImageDraw.Draw(strip).bitmap((0, 0), coverage, fill=colour)
    return _shades(strip).tobytes()


def _shades(image: Image.Image) -> Image.Image:
    """`image` in the card's own colours: each pixel the nearest of them, not dithered."""
    return image.quantize(palette=_palette(), dither=Image.Dither.NONE)


def _placed(
    xy: tuple[int, int], mask: tuple[Image.Image, tuple[int, int]], colour: str
) -> tuple[tuple[int, int], Image.Image, str]:
    coverage, (left, top) = mask
    return (xy[0] + left, xy[1] + top), coverage, colour


def _box(at: tuple[int, int], coverage: Image.Image) -> tuple[int, int, int, int]:
    return (at[0], at[1], at[0] + coverage.width, at[1] + coverage.height)


def _apart(boxes: list[tuple[int, int, int, int]]) -> bool:
    """Whether the boxes lie inside the card and none overlaps another."""
    inside = all(left >= 0 and top >= 0 and right <= SIZE[0] and bottom <= SIZE[1]
                 for left, top, right, bottom in boxes)  # fmt: skip
    return inside and not any(
        one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]
        for number, one in enumerate(boxes)
        for other in boxes[number + 1 :]
    )


# Each line's coverage and where it starts: the mask `ImageDraw.text` renders for it at a whole
# pixel and draws with its ink, put together from glyphs rendered once a run (`glyphs.py`).
# The lines many cards share ("3 claims: 2 confirmed · 1 disputed"): rendered once a run.
_shared_mask = functools.lru_cache(maxsize=64)(glyphs.mask)


# Steps from the background to each colour drawn on it: the edges of the letters Pillow
# smooths take these shades, and no eye tells 64 steps from more.
SHADES = 64


@functools.cache
def _palette() -> Image.Image:
    """The card's colours: the background, and the shades from it to each colour on it."""
    background = ImageColor.getrgb(BACKGROUND)
    values: list[int] = []
    for colour in (TEXT, MUTED, ACCENT):
        ink = ImageColor.getrgb(colour)
        for step in range(SHADES):
            share = step / (SHADES - 1)
            shade = zip(background, ink, strict=True)
            values += [round(back + (fore - back) * share) for back, fore in shade]
    palette = Image.new("P", (1, 1))
    palette.putpalette(values)
    return palette
