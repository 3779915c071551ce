"""Figures and embeds in the body: two blocks of plain lines that read well in any editor.

A figure is an image alone on its line, with its caption and credit on the lines right
under it (the same paragraph):

    ![Council chamber, empty, before the vote]({static}/images/chamber.jpg)
    Caption: The chamber an hour before the vote.
    Credit: Photo by the council's press office

An embed is an `Embed:` line with the frame's address, and its title (required: it names
the frame for screen readers, and is the text of the link shown instead of it in feeds,
in print and without JavaScript):

    Embed: https://datawrapper.dwcdn.net/AbC12/1/
    Title: Spending by department, 2020 to 2025
    Caption: Figures from the adopted budgets.
    Credit: Chart by the data desk
    Height: 480

A plain Markdown editor shows the image (or the address) with the lines under it, which
is what they say. An embed's frame is not made here: the block leaves a placeholder,
filled after the sanitizer has run (`embeds.insert_frames`), so no frame a writer types
as HTML can reach a page.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.util import AtomicString

from . import embeds
from .problems import Spotted

_IMAGE_LINE = re.compile(r"^!\[(?P<alt>[^\]\n]*)\]\([^)\n]*\)[ \t]*$")
_EMBED_LINE = re.compile(r"^Embed:[ \t]*(?P<url>.*?)[ \t]*$")
_FIELD = re.compile(r"^(?P<name>[A-Z][a-z]+):[ \t]*(?P<value>.*?)[ \t]*$")
_HEIGHT = re.compile(r"[0-9]{1,4}")
FIGURE_FIELDS = ("Caption", "Credit")
EMBED_FIELDS = ("Title", "Caption", "Credit", "Height")


class Media:
    """One Markdown instance's figures and embeds: what the last conversion found."""

    def __init__(self, hosts: tuple[str, ...]):
        self.hosts = hosts
        self.token = embeds.new_token()
        self.embeds: list[embeds.Embed] = []
        self.problems: list[Spotted] = []
        # How many blocks of each text were read: a problem is placed in its own block.
        self.blocks: dict[str, int] = {}

    def reset(self) -> None:
        self.embeds = []
        self.problems = []
        self.blocks = {}


class _Block(BlockProcessor):
    def __init__(self, parser, media: Media):
        super().__init__(parser)
        self.media = media
        self.block = ""
        self.nth = 0

    def take(self, blocks: list[str]) -> list[str]:
        """The block's lines; the block and which of its like it is kept for `spot`."""
        self.block = blocks.pop(0)
        self.nth = self.media.blocks.get(self.block, 0)
        self.media.blocks[self.block] = self.nth + 1
        return self.block.split("\n")

    def spot(self, needle: str, message: str, code: str) -> None:
        """A problem at `needle`, looked for inside this block."""
        self.media.problems.append(Spotted(needle, message, code, self.block, self.nth))

    def fields(self, lines: list[str], names: tuple[str, ...], kind: str) -> dict[str, str]:
        """The `Name: value` lines under a figure's image or an embed's address."""
        found: dict[str, str] = {}
        for line in lines:
            match = _FIELD.match(line)
            if match is None or match["name"] not in names:
                under = "a figure's image" if kind == "figure" else "Embed:"
                self.spot(
                    line.strip() or lines[0],
                    f"the lines right under {under} are {', '.join(n + ':' for n in names)} lines; "
                    "leave a blank line before other text",
                    f"bad-{kind}",
                )
            elif match["name"] in found:
                self.spot(line, f"{match['name']}: is given twice in one {kind}", f"bad-{kind}")
            else:
                found[match["name"]] = match["value"]
        return found


def caption(parent: etree.Element, fields: dict[str, str]) -> None:
    """The figcaption: caption and credit, each inline Markdown, each in its own span."""
    if not (fields.get("Caption") or fields.get("Credit")):
        return
    figcaption = etree.SubElement(parent, "figcaption")
    for name, css in (("Caption", "figure__caption"), ("Credit", "figure__credit")):
        if fields.get(name):
            span = etree.SubElement(figcaption, "span", {"class": css})
            span.text = fields[name]


class FigureProcessor(_Block):
    """An image line followed by Caption: and Credit: lines."""

    def test(self, parent, block: str) -> bool:
        lines = block.split("\n")
        return (
            len(lines) > 1
            and _IMAGE_LINE.match(lines[0]) is not None
            and any(line.startswith(f"{name}:") for line in lines[1:] for name in FIGURE_FIELDS)
        )

    def run(self, parent, blocks: list[str]) -> None:
        lines = self.take(blocks)
        image = lines[0].strip()
        if not _IMAGE_LINE.match(image)["alt"].strip():
            self.spot(
                image,
                "a figure's image needs alt text, what it shows, for readers who cannot see it: "
                "![what it shows](…)",
                "figure-alt",
            )
        fields = self.fields(lines[1:], FIGURE_FIELDS, "figure")
        figure = etree.SubElement(parent, "figure")
        figure.text = image  # Markdown's inline pass makes the <img> of it
        caption(figure, fields)


class EmbedProcessor(_Block):
    """An `Embed:` line, then Title: (required), Caption:, Credit: and Height: lines."""

    def test(self, parent, block: str) -> bool:
        return block.startswith("Embed:")

    def run(self, parent, blocks: list[str]) -> None:
        lines = self.take(blocks)
        url = _EMBED_LINE.match(lines[0])["url"]
        fields = self.fields(lines[1:], EMBED_FIELDS, "embed")
        needle = url or lines[0]
        if reason := embeds.refuse(url, self.media.hosts):
            self.spot(needle, f"Embed: {url}: {reason}", "embed-refused")
            return
        title = fields.get("Title", "").strip()
        if not title:
            self.spot(
                needle,
                "an embed needs a Title: line right under it, naming what it shows (screen "
                "readers announce it, and it is the link's text where the frame is not shown)",
                "embed-title",
            )
            return
        height = embeds.DEFAULT_HEIGHT
        if "Height" in fields:
            value = fields["Height"]
            # ASCII digits only, at most four: str.isdigit() also says yes to "²" and to
            # thousands of digits, which int() refuses or reads slowly.
            if not _HEIGHT.fullmatch(value) or not embeds.MIN_HEIGHT <= int(value) <= embeds.MAX_HEIGHT:
                shown = value if len(value) <= 20 else value[:20] + "…"
                self.spot(
                    f"Height: {value}",
                    f"Height: expected a number of pixels from {embeds.MIN_HEIGHT} to "
                    f"{embeds.MAX_HEIGHT}; got {shown!r}",
                    "embed-height",
                )
                return
            height = int(value)
        embed = embeds.Embed(url, url_host(url), title, height)
        index = len(self.media.embeds)
        self.media.embeds.append(embed)
        figure = etree.SubElement(parent, "figure", {"class": "embed"})
        slot = etree.SubElement(figure, "p")
        slot.text = AtomicString(embeds.placeholder(self.media.token, index))
        caption(figure, fields)
        fallback = etree.SubElement(figure, "p", {"class": "embed__fallback"})
        link = etree.SubElement(fallback, "a", {"href": url})
        link.text = AtomicString(title)
        link.tail = AtomicString(f" ({embed.host})")


def url_host(url: str) -> str:
    return urlsplit(url).hostname or ""


class MediaExtension(Extension):
    def __init__(self, hosts: tuple[str, ...]):
        super().__init__()
        self.media = Media(hosts)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        # Before the paragraph (10) and the lists and quotes: a figure is a paragraph's shape.
        md.parser.blockprocessors.register(FigureProcessor(md.parser, self.media), "explainers-figure", 65)
        md.parser.blockprocessors.register(EmbedProcessor(md.parser, self.media), "explainers-embed", 64)

    def reset(self) -> None:
        self.media.reset()
