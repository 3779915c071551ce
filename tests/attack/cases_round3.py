"""Round 3: hostile content aimed at the surfaces added since round 2, none attacked yet.

- lead images (`image:` front matter) and body figures (`Caption:`/`Credit:` lines): paths
  out of the content folder, links and hard links, file names the build writes itself
  (another explainer's social card), captions that carry what a page or a feed must not;
- embeds (`Embed:` lines, EXPLAINERS["EMBED_HOSTS"]): hosts that are not allowed but look
  it (suffixes, user info, ports, trailing dots, %-escapes, punycode and homoglyphs, full-
  width dots, backslashes), raw frames, and the frame's placeholder forged by a writer;
- translations (`lang`, `translation`): values that would break out of an attribute or
  pick a catalog, versions that claim one language twice, counts across versions;
- social cards: a title that makes drawing the card slow, titles the font cannot draw;
- the feed and the sitemap: a character XML cannot hold, reached through an entity;
- problem lines: where the figure and embed checks place their problems;
- and benign content that must build (`sanity-*`).

A site that allows embeds is a case's setting (`extra`), and its hosts are the case's
`frame_hosts`: the scan then accepts a sandboxed frame from them on a page, never in a feed.
Cases marked "error" expect a located refusal; the rest expect a refusal or safe output.
"""

from __future__ import annotations

import json
import struct
import zlib

from attack_content import explainer, other, pelican_page, q
from attack_harness import Case, Hardlink, Symlink

CLS = "round3"
X = "alert(document.domain)"
CASES: list[Case] = []
BIG = {"budget": 30, "concurrent": True}
CACHE = "CACHE_PATH=@SITE@/cache"
PUBLISH = {
    "build_extra": ("--publish", "-e", CACHE, "SITEURL=https://example.org"),
    "check_extra": ("--strict",),
}
HOSTS = ("datawrapper.dwcdn.net", "www.youtube-nocookie.com")
EMBEDS = {
    "extra": ("-e", CACHE, "EXPLAINERS=" + json.dumps({"EMBED_HOSTS": list(HOSTS)})),
    "frame_hosts": HOSTS,
}
CHART = "https://datawrapper.dwcdn.net/AbC12/1/"


def png(width: int = 1, height: int = 1, marker: bytes = b"", rows: int | None = None) -> bytes:
    """A PNG of the given size, grey; `rows`: only so many rows of pixels written (a header
    that promises more than the file holds, as a decompression bomb's does)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    squeeze = zlib.compressobj(9)
    row = b"\x00" + b"\x80" * width
    pixels = (
        b"".join(squeeze.compress(row) for _ in range(height if rows is None else rows)) + squeeze.flush()
    )
    text = chunk(b"tEXt", b"Comment\x00" + marker) if marker else b""
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + text + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


PNG = png()


def add(id: str, **kwargs) -> None:
    CASES.append(Case(id=f"round3-{id}", cls=kwargs.pop("cls", CLS), **kwargs))


def lead(file: str, extra: str = "", alt: str | None = "A picture") -> str:
    """The `image:` front matter lines (from line 6 of the explainer)."""
    lines = ["image:", f"  file: {q(file)}"]
    if alt is not None:
        lines.append(f"  alt: {q(alt)}")
    return "\n".join(lines) + extra


def embed(url: str, title: str = "Spending by department", more: str = "") -> str:
    return f"Embed: {url}\nTitle: {title}" + (f"\n{more}" if more else "")


# === sanity: benign content on the new surfaces must build ======================================
SANITY = "sanity"
add(
    "sanity-lead-image-figure-embed",
    cls=SANITY,
    files={
        "evil.md": explainer(
            front=lead(
                "images/chamber.png",
                "\n  caption: The chamber before the *vote*.\n  credit: Photo by the press office",
            ),
            payload="![The chamber, empty]({static}/images/chamber.png)\n"
            "Caption: The chamber an hour before the vote [@alpha].\n"
            "Credit: Photo by the council's press office\n\n"
            + embed(
                CHART, "Spending, 2020 to 2025", "Caption: From the budgets.\nCredit: Data desk\nHeight: 480"
            )
            + "\n\n"
            + embed("https://www.youtube-nocookie.com/embed/abc", "The vote, on video"),
        ),
        "images/chamber.png": PNG,
    },
    culprit=None,
    expect="pass",
    note="a lead image with caption and credit, a body figure citing a source, two allowed embeds",
    **EMBEDS,
)
add(
    "sanity-decorative-lead-image",
    cls=SANITY,
    files={
        "evil.md": explainer(front=lead("/images/a b (1).png", "\n  decorative: true", alt=None)),
        "images/a b (1).png": PNG,
    },
    culprit=None,
    expect="pass",
    note="a decorative lead image from the content root, a name with spaces and brackets",
)
add(
    "sanity-translation-with-media",
    cls=SANITY,
    files={
        "a.md": explainer(
            title="Original", front="slug: same\n" + lead("images/a.png"), payload=embed(CHART)
        ),
        "a-fr.md": explainer(
            title="Traduction",
            front="slug: same\nlang: fr\ntranslation: true\n" + lead("images/a.png", alt="Une image"),
            payload=embed(CHART, "Dépenses par service"),
        ),
        "a-pt.md": explainer(title="Tradução", front="slug: same\nlang: pt-BR\ntranslation: true"),
        "images/a.png": PNG,
    },
    culprit=None,
    expect="pass",
    note="an explainer in English, French and Brazilian Portuguese (no catalog: the theme in English)",
    **EMBEDS,
)
add(
    "sanity-card-titles-other-scripts",
    cls=SANITY,
    files={
        "a.md": explainer(title="Кризис в Курске: что известно", front="slug: a"),
        "b.md": explainer(title="كورسك: ما هو معروف", front="slug: b"),
        "c.md": explainer(title="Élection — « résultats » ½ ﬁnal ⅓ ﬀ", front="slug: c"),
        "d.md": explainer(title="Emoji 🧾 and a combining ́ mark", front="slug: d"),
    },
    culprit=None,
    expect="pass",
    note="titles the card's font cannot draw (Cyrillic, Arabic, ligatures, emoji, a lone combining mark)",
)
add(
    "sanity-embed-host-upper-case",
    cls=SANITY,
    files={"evil.md": explainer(payload=embed("HTTPS://DATAWRAPPER.DWCDN.NET/AbC12/1/"))},
    culprit=None,
    expect="pass",
    note="an allowed host in capitals: the same host to a browser",
    **EMBEDS,
)

# === embeds: hosts that are not allowed ==========================================================
BAD_EMBEDS = {
    "no-hosts-allowed": (CHART, {}, "the default site allows no host"),
    "http": ("http://datawrapper.dwcdn.net/AbC12/1/", EMBEDS, "http, not https"),
    "suffix-look-alike": (
        "https://datawrapper.dwcdn.net.evil.example/x",
        EMBEDS,
        "the allowed name as a prefix",
    ),
    "prefix-look-alike": ("https://evil-datawrapper.dwcdn.net/x", EMBEDS, "a name ending in the allowed one"),
    "subdomain": ("https://evil.datawrapper.dwcdn.net/x", EMBEDS, "a subdomain of an allowed host"),
    "userinfo-before-evil": (
        "https://datawrapper.dwcdn.net@evil.example/x",
        EMBEDS,
        "user info: the host is evil.example",
    ),
    "userinfo-encoded-slash": (
        "https://datawrapper.dwcdn.net%2F@evil.example/x",
        EMBEDS,
        "user info with %2F",
    ),
    "userinfo-on-allowed": (
        "https://user:pw@datawrapper.dwcdn.net/x",
        EMBEDS,
        "user info on the allowed host",
    ),
    "port-8443": ("https://datawrapper.dwcdn.net:8443/x", EMBEDS, "a port"),
    "port-443": ("https://datawrapper.dwcdn.net:443/x", EMBEDS, "https's own port written out"),
    "trailing-dot": ("https://datawrapper.dwcdn.net./x", EMBEDS, "a trailing dot: another origin"),
    "percent-encoded-dot": ("https://datawrapper%2Edwcdn%2Enet/x", EMBEDS, "%2E for the dots"),
    "percent-encoded-evil": ("https://evil%2Eexample/x", EMBEDS, "a %-encoded other host"),
    "punycode-homoglyph": ("https://xn--dtawrapper-5ef.dwcdn.net/x", EMBEDS, "punycode of a look-alike"),
    "cyrillic-a": ("https://d\u0430tawrapper.dwcdn.net/x", EMBEDS, "a Cyrillic а in the name"),
    "fullwidth-dot": (
        "https://datawrapper\uff0edwcdn.net/x",
        EMBEDS,
        "a fullwidth full stop (IDNA maps it to '.')",
    ),
    "ideographic-dot": ("https://datawrapper\u3002dwcdn.net/x", EMBEDS, "an ideographic full stop"),
    "zero-width-space": ("https://datawrapper.dwcdn.net\u200b.evil.example/x", EMBEDS, "a zero-width space"),
    "soft-hyphen": ("https://datawrapper.dwcdn.ne\u00adt/x", EMBEDS, "a soft hyphen IDNA deletes"),
    "backslash-userinfo": (
        "https://evil.example\\@datawrapper.dwcdn.net/x",
        EMBEDS,
        "a backslash: the browser's host is evil.example",
    ),
    "backslash-scheme": ("https:\\\\datawrapper.dwcdn.net/x", EMBEDS, "backslashes after the scheme"),
    "scheme-relative": ("//datawrapper.dwcdn.net/x", EMBEDS, "no scheme"),
    "one-slash": ("https:/datawrapper.dwcdn.net/x", EMBEDS, "one slash (a browser still reads the host)"),
    "three-slashes": ("https:///evil.example/x", EMBEDS, "three slashes (a browser reads evil.example)"),
    "javascript": (f"javascript:{X}//datawrapper.dwcdn.net", EMBEDS, "javascript:"),
    "data": ("data:text/html,<script>alert(1)</script>", EMBEDS, "data:"),
    "ipv6-bracket-name": ("https://[datawrapper.dwcdn.net]/x", EMBEDS, "the name in IPv6 brackets"),
    "ip-address": ("https://127.0.0.1/x", EMBEDS, "an address, not a name"),
    "tab-in-host": ("https://datawrapper.dwcdn.net\t.evil.example/x", EMBEDS, "a tab (a browser removes it)"),
}
for name, (url, setting, note) in BAD_EMBEDS.items():
    add(
        f"embed-{name}",
        files={"evil.md": explainer(payload=embed(url))},
        line="Embed:",
        expect="error",
        note=f"Embed: {url!r}: {note}",
        **setting,
    )
add(
    "embed-in-blockquote",
    files={"evil.md": explainer(payload="> " + embed("https://evil.example/c").replace("\n", "\n> "))},
    line="> Embed:",
    expect="error",
    note="an embed from a host not allowed, inside a quote (the block is read again inside it)",
    **EMBEDS,
)
add(
    "embed-in-list-item",
    files={"evil.md": explainer(payload="- " + embed("https://evil.example/c").replace("\n", "\n  "))},
    line="- Embed:",
    expect="error",
    note="the same inside a list item",
    **EMBEDS,
)
add(
    "sanity-embed-in-code",
    cls=SANITY,
    files={
        "evil.md": explainer(
            payload="```\n" + embed(CHART) + "\n```\n\n    " + embed(CHART).replace("\n", "\n    ")
        )
    },
    culprit=None,
    expect="pass",
    forbidden_text=("<iframe",),
    note="an Embed: block shown as code (fenced and indented) is text, never a frame",
    **EMBEDS,
)
add(
    "embed-kelvin-sign",
    files={"evil.md": explainer(payload=embed("https://www.youtube-nocoo\u212aie.com/embed/x"))},
    note="KELVIN SIGN for k: Python's lower() and the browser's IDNA both read the allowed host "
    "(refused or framed from it, never another)",
    **EMBEDS,
)
add(
    "embed-fragment-at",
    files={"evil.md": explainer(payload=embed("https://datawrapper.dwcdn.net#@evil.example/"))},
    note="an @ after #: the host stays the allowed one",
    **EMBEDS,
)
add(
    "embed-empty-port",
    files={"evil.md": explainer(payload=embed("https://datawrapper.dwcdn.net:/x"))},
    note="an empty port: the same origin to a browser",
    **EMBEDS,
)
add(
    "raw-iframe-allowed-host",
    files={"evil.md": explainer(payload=f'<iframe src="{CHART}" title="x"></iframe>')},
    line="<iframe",
    expect="error",
    note="a raw <iframe> from an allowed host: an Embed: line is the only way to a frame",
    **EMBEDS,
)
add(
    "embed-title-markup",
    files={
        "evil.md": explainer(
            payload=embed(
                CHART,
                f'"><script>{X}</script><iframe src=//evil.example>',
                "Caption: <img src=x onerror=alert(1)>",
            )
        )
    },
    note="markup in an embed's Title: (an attribute and a link's text) and Caption:",
    **EMBEDS,
)
add(
    "embed-in-plain-page-feed",
    files={
        "plain.md": pelican_page("Title: A plain page\nDate: 2025-01-14", embed(CHART) + "\n\nMore text.\n"),
        "ok.md": explainer(),
    },
    culprit="plain.md",
    note="an embed in a plain article without a summary: Pelican's summary (list pages, the feed) "
    "is cut from the body, frame included",
    **EMBEDS,
)

# === embeds: the frame's placeholder, forged =====================================================
# The body's Embed: block leaves \x02embed:N\x03 for `insert_frames`, which runs after the
# sanitizer. A writer cannot type \x02, but a character reference decodes to it in the
# sanitizer's parser, and the sanitizer writes it back as a raw character.
FORGED = "&#2;embed:0&#3;"
add(
    "embed-placeholder-forged-in-attribute",
    files={
        "evil.md": explainer(
            payload=embed(CHART) + f'\n\n<a href="https://alpha.example/" title="{FORGED}">the report</a>'
        )
    },
    line="<a href",
    forbidden_text=('title="<iframe',),
    note="a title attribute holding &#2;embed:0&#3;: the frame's markup is written inside the "
    "attribute, whose quote it closes",
    **EMBEDS,
)
add(
    "embed-placeholder-forged-in-image-alt",
    files={
        "evil.md": explainer(payload=embed(CHART) + f"\n\n![{FORGED}]({{static}}images/a.png)"),
        "images/a.png": PNG,
    },
    line="![",
    forbidden_text=('alt="<iframe',),
    note="an image's alt text holding the placeholder: the <img> gets the embed's src first, an "
    "image from another host",
    **EMBEDS,
)
add(
    "embed-placeholder-forged-in-link-text",
    files={"evil.md": explainer(payload=embed(CHART) + f"\n\n[Read {FORGED}](https://alpha.example/)")},
    line="[Read",
    forbidden_text=("Read <iframe",),
    note="the placeholder in a link's text: a second frame, inside a link, where no Embed: line is",
    **EMBEDS,
)
add(
    "embed-placeholder-forged-in-figure-caption",
    files={
        "evil.md": explainer(
            payload=embed(CHART) + f"\n\n![A map]({{static}}images/a.png)\nCaption: Map {FORGED}"
        ),
        "images/a.png": PNG,
    },
    line="Caption: Map",
    forbidden_text=("Map <iframe",),
    note="the placeholder in a figure's caption",
    **EMBEDS,
)

# === a character XML cannot hold ==================================================================
add(
    "body-control-character-reference",
    files={"evil.md": explainer(payload="A bell &#7; and an escape &#x1b;[31m in the text.")},
    line="A bell",
    note="&#7; and &#x1b; in the body: the door refuses the raw characters, the sanitizer writes "
    "them raw, and the feed cannot be written (check passes, build fails with no line)",
)
add(
    "plain-body-control-character-reference",
    files={
        "plain.md": pelican_page("Title: A plain page\nDate: 2025-01-14", "Text &#2; here.\n"),
        "ok.md": explainer(),
    },
    culprit="plain.md",
    line="Text &#2;",
    note="the same in a plain article's body",
)
add(
    "figure-caption-control-character-reference",
    files={
        "evil.md": explainer(payload="![A map]({static}images/a.png)\nCaption: A map &#2; of the region"),
        "images/a.png": PNG,
    },
    line="Caption:",
    note="the same in a body figure's caption",
)
add(
    "lead-caption-control-character-reference",
    files={
        "evil.md": explainer(front=lead("images/a.png", '\n  caption: "A map &#2; of the region"')),
        "images/a.png": PNG,
    },
    line="  caption:",
    note="the same in the lead image's caption: a raw control character in the page",
)
add(
    "feed-xml-metacharacters",
    files={
        "evil.md": explainer(
            title="]]> <![CDATA[ &amp; </title>",
            claim_text="]]><entry><title>forged</title></entry>",
            correction="<![CDATA[ x ]]>",
            front='category: "<cat> & \'q\'"\ntags: ["]]>", "a&b"]',
        )
    },
    forbidden_text=("<entry><title>forged",),
    note="CDATA ends, entities and markup in the title, a claim, a correction, a category and tags "
    "(the feed and the sitemap)",
)

# === lead images and figures: reads outside the content folder ===================================
for name, value in (
    ("dotdot", "../../outside/leak.png"),
    ("root-dotdot", "/../../outside/leak.png"),
    ("static-dotdot", "{static}/../../outside/leak.png"),
    ("percent-dotdot", "%2e%2e/%2e%2e/outside/leak.png"),
    ("entity-dotdot", "&#46;&#46;/&#46;&#46;/outside/leak.png"),
    ("file-url", "file:///etc/passwd.png"),
    ("file-scheme-no-slashes", "file:../../outside/leak.png"),
    ("absolute-machine-path", "@TMP@/outside/leak.png"),
    ("other-host", "https://evil.example/pixel.png"),
    ("scheme-relative", "//evil.example/pixel.png"),
    ("backslash", "..\\..\\outside\\leak.png"),
    ("folder", "images/"),
    ("dot", "."),
):
    add(
        f"lead-image-{name}",
        files={"evil.md": explainer(front=lead(value)), "images/a.png": PNG},
        line="  file:",
        expect="error",
        note=f"image: file: {value!r}",
    )
add(
    "lead-image-query",
    files={"evil.md": explainer(front=lead("images/a.png?x=../../outside/leak.png")), "images/a.png": PNG},
    line="  file:",
    note="a query after the image's name (a .png one): whatever it says, nothing outside is read",
)
add(
    "lead-image-attach-prefix",
    files={"evil.md": explainer(front=lead("{attach}../../outside/leak.png")), "images/a.png": PNG},
    line="  file:",
    expect="error",
    note="image: file: with {attach} and a path out (only {static} is taken off)",
)
add(
    "lead-image-symlink-outside",
    files={
        "evil.md": explainer(front=lead("images/leak.png")),
        "images/leak.png": Symlink("@TMP@/outside/leak.png"),
    },
    culprit="images/leak.png",
    expect="error",
    note="the lead image is a symbolic link to a file outside the content folder",
)
add(
    "lead-image-folder-symlink-outside",
    files={"evil.md": explainer(front=lead("pics/leak.png")), "pics": Symlink("@TMP@/outside")},
    culprit="pics",
    expect="error",
    note="the lead image sits in a folder that is a link to one outside the content folder",
)
add(
    "lead-image-hardlink-outside",
    files={
        "evil.md": explainer(front=lead("images/leak.png")),
        "images/leak.png": Hardlink("@TMP@/outside/leak.png"),
    },
    culprit="images/leak.png",
    expect="error",
    note="the lead image is a hard link to a file outside the content folder",
)
add(
    "lead-image-markdown-file",
    files={"evil.md": explainer(front=lead("other.png")), "other.png": other("Other")},
    culprit="other.png",
    note="a lead image whose bytes are an explainer (the page is not read twice)",
)
add(
    "figure-symlink-outside",
    files={
        "evil.md": explainer(payload="![A map]({static}images/leak.png)\nCaption: A map"),
        "images/leak.png": Symlink("@TMP@/outside/leak.png"),
    },
    culprit="images/leak.png",
    expect="error",
    note="a figure's image is a link out of the content folder",
)
add(
    "lead-image-translation-relative",
    files={
        "a.md": explainer(title="Original", front="slug: same"),
        "fr/evil.md": explainer(
            title="Traduction",
            front="slug: same\nlang: fr\ntranslation: true\n" + lead("../../outside/leak.png"),
        ),
    },
    culprit="fr/evil.md",
    line="  file:",
    expect="error",
    note="a translation in a folder, its lead image by a path out of the content folder",
)
add(
    "lead-caption-markup",
    files={
        "evil.md": explainer(
            front=lead(
                "images/a.png",
                f'\n  caption: "<img src=x onerror={X}> [x](javascript:{X})"'
                f'\n  credit: "</figcaption><script>{X}</script>"',
                alt=f'"><script>{X}</script>',
            )
        ),
        "images/a.png": PNG,
    },
    line="  caption:",
    note="markup in the lead image's alt (og:image:alt, JSON-LD), caption and credit",
)
add(
    "lead-image-alt-and-decorative",
    files={"evil.md": explainer(front=lead("images/a.png", "\n  decorative: true")), "images/a.png": PNG},
    line="image:",
    expect="error",
    note="alt and decorative: true together",
)

# === writes: file names the build makes itself ====================================================
add(
    "static-over-another-card",
    files={
        "victim.md": explainer(title="Victim", front="slug: victim"),
        "evil.md": explainer(title="Evil", payload="See [the card]({static}victim.card.png)."),
        "victim.card.png": png(marker=b"EVIL-CARD-7d1e"),
    },
    line="See [the card]",
    expect="error",
    forbidden_text=("EVIL-CARD-7d1e",),
    note="a static file named victim.card.png: another explainer's social card (its og:image), "
    "replaced by the writer's picture",
)
add(
    "lead-image-over-another-card",
    files={
        "victim.md": explainer(title="Victim", front="slug: victim"),
        "evil.md": explainer(title="Evil", front=lead("victim.card.png")),
        "victim.card.png": png(marker=b"EVIL-CARD-7d1e"),
    },
    line="  file:",
    expect="error",
    forbidden_text=("EVIL-CARD-7d1e",),
    note="the same through a lead image",
)
add(
    "static-over-translation-card",
    files={
        "a.md": explainer(title="Original", front="slug: same"),
        "a-fr.md": explainer(title="Traduction", front="slug: same\nlang: fr\ntranslation: true"),
        "evil.md": explainer(title="Evil", payload="See [the card]({static}same-fr.card.png)."),
        "same-fr.card.png": png(marker=b"EVIL-CARD-7d1e"),
    },
    line="See [the card]",
    expect="error",
    forbidden_text=("EVIL-CARD-7d1e",),
    note="a static file at a translation's card",
)

add(
    "draft-lead-image-published",
    files={
        "embargoed.md": explainer(title="Embargoed", front="status: draft\n" + lead("embargo/photo.png")),
        "embargo/photo.png": png(marker=b"EMBARGOED-PHOTO-5e2a"),
        "ok.md": explainer(title="OK"),
    },
    culprit="embargoed.md",
    forbidden_text=("EMBARGOED-PHOTO-5e2a",),
    forbidden_outputs=("embargo/photo.png",),
    note="make publish writes no drafts, but a draft's lead image is handed to Pelican's static "
    "files like any page's",
    **PUBLISH,
)
add(
    "draft-card-and-data-not-published",
    files={
        "embargoed.md": explainer(title="Embargoed EMBARGO-9f3c", front="slug: embargoed\nstatus: draft"),
        "ok.md": explainer(title="OK"),
    },
    culprit="embargoed.md",
    forbidden_text=("EMBARGO-9f3c",),
    forbidden_outputs=(
        "embargoed.card.png",
        "drafts/embargoed.card.png",
        "embargoed.claims.json",
        "drafts/embargoed.claims.json",
    ),
    note="a draft's social card (its title as pixels) and data files in make publish",
    **PUBLISH,
)


# === translations =================================================================================
for name, value, expect in (
    ("attribute-breakout", 'fr" onmouseover="alert(1)', "error"),
    ("path", "../../../../etc/passwd", "error"),
    ("catalog-folder", "fr/LC_MESSAGES", "error"),
    ("underscore", "fr_FR", "error"),
    ("trailing-newline", "fr\n", "safe"),  # `$` matches before a final newline
    ("private-use", "x-evil", "error"),
    ("long", "en-GB-oxendict-x-a1b2c3d4", "error"),
    ("messages-pot", "messages.pot", "error"),
):
    add(
        f"lang-{name}",
        files={
            "a.md": explainer(title="Original", front="slug: same"),
            "evil.md": explainer(front=f"slug: same\nlang: {q(value)}\ntranslation: true"),
        },
        line="lang:",
        expect=expect,
        note=f"lang: {value!r} in a translation",
    )
add(
    "plain-lang-attribute-breakout",
    files={
        "plain.md": pelican_page(
            'Title: A plain page\nDate: 2025-01-14\nLang: fr" onclick="alert(1)', "Body.\n"
        ),
        "ok.md": explainer(),
    },
    culprit="plain.md",
    line="Lang:",
    expect="error",
    note="the same in a plain article's Lang:",
)
add(
    "translation-same-language-other-case",
    files={
        "a.md": explainer(title="Original", front="slug: same"),
        "evil.md": explainer(title="Usurper", front="slug: same\nlang: EN\ntranslation: true"),
    },
    line="lang:",
    expect="error",
    note="a translation of an English original into EN: two versions of one language (hreflang en "
    "and EN, each in the sitemap), at same.html and same-EN.html",
)
add(
    "translation-two-in-one-language",
    files={
        "a.md": explainer(title="Original", front="slug: same"),
        "b.md": explainer(title="Traduction", front="slug: same\nlang: fr\ntranslation: true"),
        "evil.md": explainer(title="Usurpateur", front="slug: same\nlang: fr-FR\ntranslation: true"),
    },
    note="two French versions, fr and fr-FR: one catalog, one reader's language (safe if refused "
    "or both published)",
)
add(
    "translation-also-cited-counts-versions",
    files={
        "sources/lib.yml": "shared:\n  title: Shared report\n  publisher: Shared Press\n"
        "  url: https://shared.example/\n  accessed: 2025-01-12\n",
        "a.md": explainer(title="Original", front="slug: same", payload="Also [@shared]."),
        "a-de.md": explainer(
            title="Übersetzung", front="slug: same\nlang: de\ntranslation: true", payload="Auch [@shared]."
        ),
    },
    culprit=None,
    expect="pass",
    forbidden_text=("Also cited in 1 other explainer",),
    note="only one explainer (in two languages) cites a site-wide source: the translation's note "
    "says it is cited in another explainer, its own original",
)
add(
    "translation-of-draft-published",
    files={
        "a.md": explainer(title="EMBARGO-4b2e the minister resigns", front="slug: same\nstatus: draft"),
        "evil.md": explainer(title="Traduction", front="slug: same\nlang: fr\ntranslation: true"),
    },
    culprit=None,
    forbidden_text=("EMBARGO-4b2e",),
    forbidden_outputs=("same.html", "same.claims.json", "same.card.png"),
    note="a published translation of a draft: nothing of the draft (its title in hreflang links, "
    "its page, its data files, its card) is published by make publish",
    **PUBLISH,
)


# === problem lines ================================================================================
def line_at(text: str, marker: str, nth: int = 1) -> int:
    """The line of the nth occurrence of `marker` in `text`."""
    index = -1
    for _ in range(nth):
        index = text.index(marker, index + 1)
    return text.count("\n", 0, index) + 1


HEIGHT = explainer(
    payload="The tower's listed Height: 5000 feet, in the old survey.\n\n" + embed(CHART, more="Height: 5000")
)
add(
    "embed-height-wrong-line",
    files={"evil.md": HEIGHT},
    line=line_at(HEIGHT, "Height: 5000", 2),
    expect="error",
    note="an embed's Height: out of range, reported where the same text first appears in the body",
    **EMBEDS,
)
REFUSED = explainer(
    payload="Read [the chart](https://evil.example/c) first.\n\n" + embed("https://evil.example/c")
)
add(
    "embed-refused-wrong-line",
    files={"evil.md": REFUSED},
    line="Embed:",
    expect="error",
    note="an embed from a host not allowed, whose address the body also links to earlier: the problem "
    "is placed at the link",
    **EMBEDS,
)
NO_ALT = explainer(payload="![]({static}images/a.png)\n\nText.\n\n![]({static}images/a.png)\nCaption: A map")
add(
    "figure-alt-wrong-line",
    files={"evil.md": NO_ALT, "images/a.png": PNG},
    line=line_at(NO_ALT, "![]", 2),
    expect="error",
    note="a figure without alt text whose image line also appears earlier as a plain image",
)
BAD_FIELD = explainer(
    payload="Source: the council.\n\n![A map]({static}images/a.png)\nCaption: A map\nSource: the council."
)
add(
    "figure-bad-field-wrong-line",
    files={"evil.md": BAD_FIELD, "images/a.png": PNG},
    line=line_at(BAD_FIELD, "Source: the council.", 2),
    expect="error",
    note="a line under a figure's caption that is not Caption:/Credit:, also written earlier in the body",
)
for name, value, note in (
    ("superscript", "\u00b2\u00b2\u00b2", "superscript digits: str.isdigit() says yes, int() says no"),
    ("huge-number", "1" * 5000, "5,000 digits: past Python's limit for int()"),
    ("arabic-indic", "\u0664\u0660\u0660", "Arabic-Indic digits (400): int() reads them"),
):
    add(
        f"embed-height-{name}",
        files={"evil.md": explainer(payload=embed(CHART, more=f"Height: {value}"))},
        line="Height:",
        expect="error" if name != "arabic-indic" else "safe",
        note=f"an embed's Height: {note}",
        **EMBEDS,
    )
add(
    "figure-caption-unsafe-link",
    files={
        "evil.md": explainer(payload=f"![A map]({{static}}images/a.png)\nCaption: See [x](javascript:{X})"),
        "images/a.png": PNG,
    },
    line="Caption:",
    expect="error",
    note="a javascript: link in a figure's caption",
)
add(
    "make-embed-refused",
    files={"evil.md": explainer(payload=embed("https://evil.example/c"))},
    line="Embed:",
    expect="error",
    mode="make",
    note="make check and make html (no embed host allowed) agree on a refused embed",
)

# === resources ====================================================================================
add(
    "card-title-one-long-word",
    files={"evil.md": explainer(title="Kursk: " + "x" * 12_000, front="slug: evil")},
    note="a 12,000-character word in the title: the card cuts the last line one character at a "
    "time, measuring the whole line each time (check passes at once; build takes minutes)",
    **BIG,
)
add(
    "card-title-many-words",
    files={"evil.md": explainer(title="ab " * 300_000 + "end", front="slug: evil")},
    note="a 900 KB title of short words: the card wraps the whole title at each of four sizes, "
    "measuring the growing line at every word (about a millisecond a word)",
    **BIG,
)
add(
    "lead-image-decompression-bomb",
    files={
        "evil.md": explainer(front=lead("images/bomb.png")),
        "images/bomb.png": png(60_000, 60_000, rows=16),
    },
    culprit="images/bomb.png",
    note="a 3.6-gigapixel PNG of a few MB as the lead image (a build that opens it runs out of memory)",
    **BIG,
)
add(
    "many-embeds",
    files={
        "evil.md": explainer(payload="\n\n".join(embed(f"{CHART}?n={i}", f"Chart {i}") for i in range(3000)))
    },
    note="3,000 embeds in one body",
    **EMBEDS,
    **BIG,
)
