"""Round 2: hostile content aimed at the new defences (the door, the allow-lists, the
linear-time problem locator), by what reaches Pelican, Pagefind and the file system
beside them rather than what the door reads.

- Pelican's own behaviour past the door: names that become file names (tags, categories,
  authors, site-wide source keys, lang in Pagefind's index), file names that carry
  metadata (FILENAME_METADATA), files Pelican and the door see differently (`.md`),
  `{static}`/`{attach}` with an empty path (the linking file's whole folder), draft
  attachments in a production build, static files with names the host reads
  (robots.txt, .well-known/), one static file attached over another, hard links;
- a site that allows `save_as`/`template` (EXPLAINERS["ALLOW_FIELDS"]): addresses that
  are the site's own in another spelling, folders of the site, data files, images;
- differential parsing: Python's urlsplit against the browser's URL parser (hosts in
  `//` and `\\\\` addresses, invalid addresses Ammonia drops), ids no check counts twice,
  summaries Pelican cuts from bodies onto list pages;
- resource exhaustion: Markdown still quadratic (links and autolinks never closed),
  Pelican's intrasite pattern on one long line, the problem locator and the "did you
  mean" hint with many distinct names, one claim cited as all its sources, abbreviations
  written out at every use, every page listing every page;
- and ideas that turned out defended, kept so that they stay so.

Cases marked "error" expect a located refusal; the rest expect a refusal or safe output.
"""

from __future__ import annotations

import json

from attack_content import explainer, other, pelican_page, q
from attack_harness import Case, Hardlink

CLS = "round2"
X = "alert(document.domain)"
CASES: list[Case] = []
BIG = {"budget": 30, "concurrent": True}  # a hang is minutes; a loaded machine is slow
# The last -e wins (argparse), so a case's own settings repeat the harness's cache folder.
CACHE = "CACHE_PATH=@SITE@/cache"
PUBLISH = {
    "build_extra": ("--publish", "-e", CACHE, "SITEURL=https://example.org"),
    "check_extra": ("--strict",),
}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def add(id: str, **kwargs) -> None:
    CASES.append(Case(id=f"round2-{id}", cls=kwargs.pop("cls", CLS), **kwargs))


def allow(*fields: str) -> dict:
    """A site that allows some write fields (EXPLAINERS["ALLOW_FIELDS"])."""
    return {"extra": ("-e", CACHE, "EXPLAINERS=" + json.dumps({"ALLOW_FIELDS": list(fields)}))}


# === names that become file names ============================================================
LONG = "x" * 300
add(
    "tag-file-name-too-long",
    files={"evil.md": explainer(front=f"tags: [{q(LONG)}]")},
    line="tags:",
    expect="error",
    note="a 300-character tag: its page tag/SLUG.html cannot be created (check passes, build crashes)",
)
add(
    "category-file-name-too-long",
    files={"evil.md": explainer(front=f"category: {q('y' * 300)}")},
    line="category:",
    expect="error",
    note="a 300-character category: category/SLUG.html cannot be created",
)
add(
    "plain-author-file-name-too-long",
    files={
        "plain.md": pelican_page("Title: A plain page\nDate: 2025-01-14\nAuthor: " + "w" * 300, "Body.\n"),
        "ok.md": explainer(),
    },
    culprit="plain.md",
    line="Author:",
    expect="error",
    note="a plain article whose Author: is 300 characters: author/SLUG.html cannot be created",
)
add(
    "library-key-file-name-too-long",
    files={
        "sources/lib.yml": f"{'k' * 300}:\n  title: Library source\n  publisher: Library Press\n"
        "  url: https://library.example/\n  accessed: 2025-01-12\n",
        "ok.md": explainer(payload=f"From the library [@{'k' * 300}]."),
    },
    culprit="sources/lib.yml",
    line=1,
    expect="error",
    note="a 300-character site-wide source key: sources/KEY.html cannot be created",
)
add(
    "lang-breaks-pagefind",
    files={"evil.md": explainer(front='slug: s\nlang: "en-GB-oxendict-x-a1b2c3d4-e5f6g7h8"')},
    line="lang:",
    note="a valid 34-character BCP 47 tag: the address check passes, Pagefind panics on it",
)
add(
    "slug-case-collision",
    files={
        "a.md": explainer(title="First", front="slug: Kursk"),
        "b.md": explainer(title="Second", front="slug: kursk"),
    },
    culprit="b.md",
    expect="error",
    note="slugs Kursk and kursk: one file on macOS and Windows, where writers build and preview",
)
add(
    "slug-unicode-normalisation-collision",
    files={
        "a.md": explainer(title="First", front="slug: Kursk"),
        "b.md": explainer(title="Second", front=f"slug: {q(chr(0x212A) + 'ursk')}"),
    },
    culprit="b.md",
    expect="error",
    note="slug with KELVIN SIGN (NFC: K) against Kursk: one name on a normalising file system (APFS)",
)
add(
    "library-key-case-collision",
    files={
        "sources/lib.yml": "Libsrc:\n  title: A\n  publisher: P1\n  url: https://a.example/\n"
        "  accessed: 2025-01-12\nlibsrc:\n  title: B\n  publisher: P2\n  url: https://b.example/\n"
        "  accessed: 2025-01-12\n",
        "ok.md": explainer(payload="Also [@Libsrc] and [@libsrc]."),
    },
    culprit="sources/lib.yml",
    expect="error",
    note="site-wide keys Libsrc and libsrc: sources/Libsrc.html and sources/libsrc.html, one file "
    "on a case-insensitive file system",
)

# === file names and folders Pelican reads differently ========================================
add(
    "filename-metadata-invalid-date",
    files={"2025-13-45-evil.md": explainer()},
    culprit="2025-13-45-evil.md",
    line=1,
    # The project turns FILENAME_METADATA off: a name carries no page field, so this builds.
    expect="pass",
    note="a file named 2025-13-45-…: Pelican's FILENAME_METADATA reads a date from the name and "
    "fails the build; the check sees nothing",
)
add(
    "filename-metadata-invalid-date-static",
    files={
        "ok.md": explainer(payload="![A map]({static}images/2024-02-30-map.png)"),
        "images/2024-02-30-map.png": PNG,
    },
    culprit="images/2024-02-30-map.png",
    line=1,
    expect="pass",  # as above: the name is only a name
    note="an image named 2024-02-30-map.png (a photographer's date): Pelican reads it as a date",
)
add(
    "plain-date-offset-out-of-range",
    files={
        "plain.md": pelican_page("Title: A plain page\nDate: 2025-01-14 10:00 +2500", "Body.\n"),
        "ok.md": explainer(),
    },
    culprit="plain.md",
    line="Date:",
    expect="error",
    note="Date: with a +25:00 offset: dateutil reads it, the templates' isoformat() cannot",
)
add(
    "dot-md-file",
    files={".md": explainer(title="Dot", payload=f"<script>{X}</script>"), "ok.md": explainer(title="OK")},
    culprit=".md",
    note="a file named .md: the door reads it as an explainer, Pelican sees no extension and "
    "skips it (check fails, build passes)",
)
add(
    "dot-md-file-make",
    files={".md": explainer(title="Dot", payload=f"<script>{X}</script>"), "ok.md": explainer(title="OK")},
    culprit=".md",
    mode="make",
    note="the same through make check and make html",
)
add(
    "lockfile-huge-number",
    files={
        "sources.lock.json": '{"sources": {"https://alpha.example/report": {"archive_url": '
        '"https://web.archive.org/web/2025/https://alpha.example/report", "archived": "2025-01-12", '
        '"status": 1' + "0" * 5000 + "}}}",
        "ok.md": explainer(),
    },
    culprit="sources.lock.json",
    expect="error",
    note="a 5,001-digit status in the lockfile: json raises ValueError (not JSONDecodeError), a traceback",
)
add(
    "folder-name-control-characters",
    files={"images/we\nird\x1b[31m/x.png": PNG, "ok.md": explainer(title="OK")},
    culprit="images/we\nird\x1b[31m",  # the folder is refused, by its own name, its files with it
    note="a folder under images/ with a newline and an escape in its name: its files would be "
    "published under it",
)
add(
    "hardlink-static-outside",
    files={
        "images/leak.txt": Hardlink("@TMP@/secret.txt"),
        "ok.md": explainer(payload="[notes]({static}images/leak.txt)"),
    },
    culprit="images/leak.txt",
    note="a hard link to a file outside the content folder (an archive may make one): a regular file "
    "to the door",
)
add(
    "hardlink-explainer-outside",
    files={"leak.md": Hardlink("@TMP@/secret.md"), "ok.md": explainer()},
    culprit="leak.md",
    note="an explainer that is a hard link to one outside the content folder",
)

# === {static} and {attach} with an empty path: the linking file's folder =====================
add(
    "attach-empty-path-publishes-folder",
    files={
        "drafts/embargo.md": explainer(
            title="Embargoed", front="status: draft", payload="EMBARGO-7c1d: the minister resigns."
        ),
        "drafts/hello.md": explainer(title="Hello", payload="[Back to top]({attach}#top)"),
        "ok.md": explainer(title="OK"),
    },
    culprit="drafts/hello.md",
    forbidden_text=("EMBARGO-7c1d",),
    forbidden_outputs=("embargo.md", "drafts/embargo.md", "hello.md"),
    note="[x]({attach}#top) passes the link check (no path) and Pelican attaches the file's folder: "
    "the raw sources of drafts/, an embargoed draft included, land at the root of a production site",
    **PUBLISH,
)
add(
    "static-empty-path-publishes-folder",
    files={"sub/evil.md": explainer(payload="[x]({static}?v=1)"), "sub/notes.txt": "internal notes\n"},
    culprit="sub/evil.md",
    forbidden_outputs=("sub/evil.md",),
    note="[x]({static}?v=1) from sub/: Pelican copies the whole folder sub/, Markdown sources included",
)
add(
    "draft-attachment-published",
    files={
        "embargoed.md": explainer(
            title="Embargoed", front="status: draft", payload="Read [the memo]({static}embargo/memo.pdf)."
        ),
        "embargo/memo.pdf": "%PDF-1.4 EMBARGOED-MEMO-MARKER\n",
        "ok.md": explainer(title="OK"),
    },
    culprit="embargoed.md",
    forbidden_text=("EMBARGOED-MEMO-MARKER",),
    forbidden_outputs=("embargo/memo.pdf",),
    note="make publish writes no drafts, but a draft's {static} file is still published",
    **PUBLISH,
)
add(
    "static-robots-txt",
    files={
        "evil.md": explainer(payload="See [our policy]({static}robots.txt)."),
        "robots.txt": "User-agent: *\nDisallow: /\n",
    },
    culprit="robots.txt",  # refused where it stands, whoever links to it
    line=1,
    forbidden_outputs=("robots.txt",),
    note="content/robots.txt linked with {static}: the site's robots.txt (a name the run reserves)",
)
add(
    "static-well-known-security-txt",
    files={
        "evil.md": explainer(payload="[Contact]({static}.well-known/security.txt)"),
        ".well-known/security.txt": "Contact: mailto:reports@evil.example\n",
    },
    culprit=".well-known/security.txt",
    line=1,
    forbidden_outputs=(".well-known/security.txt",),
    note="a .well-known/security.txt from content: where the site's vulnerability reports go",
)
add(
    "attach-overwrites-other-image",
    files={
        "victim.md": explainer(title="Victim", payload="![Chart]({static}images/chart.png)"),
        "images/chart.png": PNG + b"VICTIM",
        "evil/evil.md": explainer(title="Evil", payload="![x]({attach}images/chart.png)"),
        "evil/images/chart.png": PNG + b"EVIL",
    },
    culprit="evil/evil.md",
    note="{attach} from evil/ would put evil/images/chart.png at images/chart.png, over another "
    "explainer's image: here a linked file is published at its own path ({attach} as {static})",
)

# === a site that allows save_as or template =====================================================
for name, value, note in (
    ("index-trailing-slash", "index.html/", "the home page spelled with a trailing slash"),
    ("sitemap-trailing-slash", "sitemap.xml/", "the sitemap spelled with a trailing slash"),
    ("feeds-folder", "feeds", "the name of the folder of the feed"),
    ("theme-folder", "theme", "the name of the theme's folder: the page replaces its CSS and scripts"),
):
    add(
        f"allowed-save_as-{name}",
        files={"evil.md": explainer(front=f"save_as: {q(value)}"), "another.md": other("Another explainer")},
        line="save_as:",
        expect="error",
        note=f"ALLOW_FIELDS save_as: {value!r}, {note}",
        **allow("save_as"),
    )
add(
    "allowed-save_as-data-file",
    files={
        "evil.md": explainer(front=f"save_as: {q('another-explainer.claims.json')}"),
        "another.md": other("Another explainer"),
    },
    line="save_as:",
    expect="error",
    note="ALLOW_FIELDS save_as: another explainer's claims JSON (the page is then overwritten by it)",
    **allow("save_as"),
)
add(
    "allowed-save_as-static-image",
    files={
        "evil.md": explainer(front=f"save_as: {q('images/chart.png')}"),
        "images/chart.png": PNG,
        "another.md": other("Another explainer"),
    },
    line="save_as:",
    expect="error",
    note="ALLOW_FIELDS save_as: a static file's address (one overwrites the other)",
    **allow("save_as"),
)
for name in ("nonexistent", "source"):
    add(
        f"allowed-template-{name}",
        files={"evil.md": explainer(front=f"template: {name}")},
        line="template:",
        expect="error",
        note=f"ALLOW_FIELDS template: {name} (check passes, the build crashes rendering it)",
        **allow("template"),
    )

# === differential parsing ====================================================================
add(
    "img-protocol-relative",
    files={
        "evil.md": explainer(
            payload='<img alt="" src="//evil.example/pixel.gif">\n\n![p](//evil.example/p2.gif)'
        )
    },
    line="<img",
    note="an image from another host by a scheme-relative address (urlsplit sees no scheme)",
)
add(
    "img-backslash-host",
    files={"evil.md": explainer(payload='<img alt="" src="\\\\evil.example/pixel.gif">')},
    line="<img",
    forbidden_text=('src="\\\\evil.example',),
    note="src=\\\\evil.example/…: a browser reads \\\\ as // in an http page, Python sees a path",
)
add(
    "invalid-url-silently-dropped",
    files={"evil.md": explainer(payload='Read <a href="https://exa mple.org/report">the report</a>.')},
    line="Read <a",
    expect="error",
    note="an address urlsplit accepts and the sanitizer's URL parser refuses: the link loses its "
    "href with no problem reported",
)
add(
    "ipv6-url-reader-bug",
    files={"evil.md": explainer(payload='<a href="http://[::1/">x</a>')},
    line='<a href="http://[',
    expect="error",
    note="an unclosed IPv6 host: urlsplit raises, the file fails as 'a bug in the plugin' at line 1",
)
add(
    "intrasite-entity-wrong-line",
    files={"evil.md": explainer(payload='<img alt="" src="{static}&#46;&#46;/secret.txt">')},
    line="<img",
    expect="error",
    note="an entity-encoded {static}../ link is refused, but located at the body's first line",
)
add(
    "intrasite-folder-wrong-line",
    files={"sub/evil.md": explainer(payload="[x]({static}.)")},
    culprit="sub/evil.md",
    line="[x]",
    expect="error",
    note="{static}. (the folder itself) is refused, but located at the body's first '.'",
)
add(
    "body-duplicate-ids",
    files={
        "evil.md": explainer(
            payload='<p id="dup">a</p>\n\n<p id="dup">b</p>\n\n## Intro\n\n<div id="intro">c</div>'
        )
    },
    note="the same id twice in raw HTML, and a raw id equal to a heading's: duplicate ids",
)
add(
    "benign-summaries-duplicate-ids",
    cls="sanity",
    files={"a.md": explainer(title="First", summary=None), "b.md": explainer(title="Second", summary=None)},
    culprit=None,
    expect="pass",
    note="two explainers without a summary: Pelican's summaries, cut from the bodies, put the "
    "same citation ids twice on the list pages",
)

# === resource exhaustion ========================================================================
add(
    "quadratic-unclosed-link-paren",
    files={"evil.md": explainer(payload="[a](" * 30_000)},
    note="30,000 '[a](' (120 KB): Python-Markdown looks for each link's ')' to the end",
    **BIG,
)
add(
    "quadratic-unclosed-autolinks",
    files={"evil.md": explainer(payload="<http://a" * 25_000)},
    note="25,000 unclosed autolinks (225 KB)",
    **BIG,
)
add(
    "quadratic-intrasite-pattern",
    files={"evil.md": explainer(payload='[x](https://alpha.example/ "src=\'{") ' + "|" * 100_000)},
    note="a link title holding src='{ then 100,000 '|' on the same line: Pelican's intrasite pattern "
    "(run by the link check, then by Pelican for the page, the feed and its static links) tries "
    "every '|' and scans to the end of the line from each",
    **BIG,
)
add(
    "quadratic-locator-distinct-keys",
    files={"evil.md": explainer(payload=" ".join(f"[@nope{i}]" for i in range(100_000)))},
    expect="error",
    note="100,000 distinct unknown keys (1.3 MB): each problem's text is searched through the whole body",
    **BIG,
)
HINT_SOURCES = "".join(
    f"  source-number-{i}:\n    title: T\n    publisher: P{i}\n    url: https://s{i}.example/\n"
    f"    accessed: 2025-01-12\n"
    for i in range(2500)
)
add(
    "quadratic-did-you-mean",
    files={
        "evil.md": "---\ntitle: Many sources\ndate: 2025-01-14\nsources:\n"
        + HINT_SOURCES
        + "---\n\n"
        + " ".join(f"[@source-numbr-{i}x]" for i in range(2500))
        + "\n"
    },
    expect="error",
    note="2,500 sources and 2,500 distinct unknown keys: each gets a difflib 'did you mean' over all",
    **BIG,
)
FANOUT_SOURCES = "".join(
    f"  s{i}:\n    title: T{i}\n    publisher: P{i}\n    url: https://s{i}.example/\n"
    "    accessed: 2025-01-12\n"
    for i in range(500)
)
add(
    "claim-citation-fanout",
    files={
        "evil.md": "---\ntitle: Fan-out\ndate: 2025-01-14\nsummary: x\nsources:\n"
        + FANOUT_SOURCES
        + "claims:\n  - id: c\n    text: A claim\n    status: reported\n    sources: ["
        + ", ".join(f"s{i}" for i in range(500))
        + "]\n---\n\n"
        + "Cites [@c]. " * 3000
        + "\n"
    },
    note="one claim with 500 sources cited 3,000 times (60 KB): 1.5 million citation links and "
    "backlinks (33 KB in already makes a 35 MB page)",
    **BIG,
)
add(
    "abbreviation-amplification",
    files={"evil.md": explainer(payload="HTML " * 30_000 + "\n\n*[HTML]: " + "T" * 50_000)},
    line="*[HTML]:",
    memory=1536 * 1024**2,
    note="one 50 KB abbreviation title written out at each of 30,000 uses (1.5 GB of HTML from "
    "200 KB): the reader fills its memory (with more room it fails as 'a bug in the plugin' at line 1)",
    **BIG,
)
add(
    "many-pages-every-page-lists-all",
    files={
        **{f"pages/p{i}.md": f"Title: Page {i}\n\nx\n" for i in range(2000)},
        "ok.md": explainer(),
    },
    culprit=None,
    note="2,000 tiny pages (40 KB): every page of the site lists every page, 2,000 x 2,000 links",
    **BIG,
)

# === defended: kept so that they stay so =====================================================
DEFENDED = "round2-defended"
add(
    "external-link-title-gt",
    cls=DEFENDED,
    files={
        "evil.md": explainer(
            payload=f'<a href="https://evil.example/" title="x><img src=x onerror={X}>">y</a>'
        )
    },
    note="a '>' in the title of a link to another site, before the rel= rewrite (Ammonia escapes it)",
)
add(
    "intrasite-in-title-single-quotes",
    cls=DEFENDED,
    files={
        "evil.md": explainer(
            payload='<a href="https://alpha.example/" title="src=\'{attach}../secret.txt\'">x</a>'
        )
    },
    line="<a href",
    expect="error",
    note="src='{attach}../…' inside a title: Pelican's pattern reads it, and so does the link check",
)
add(
    "intrasite-in-markdown-title",
    cls=DEFENDED,
    files={"evil.md": explainer(payload="[x](https://alpha.example/ \"src='{attach}../secret.txt'\")")},
    line="[x](",
    expect="error",
    note="the same from a Markdown link title",
)
add(
    "intrasite-in-summary-title",
    cls=DEFENDED,
    files={
        "evil.md": explainer(
            summary="See [x](https://alpha.example/ \"src='{attach}../secret.txt'\") now",
            claim_text="C [x](https://alpha.example/ \"src='{attach}../../secret.txt'\")",
        )
    },
    note="the same in the summary and a claim: Pelican never rewrites them, so nothing is read",
)
add(
    "intrasite-legacy-pipes-in-cite",
    cls=DEFENDED,
    files={"evil.md": explainer(payload='<q cite="|attach|../secret.txt">q</q>')},
    line="<q cite",
    expect="error",
    note="|attach| in a cite attribute",
)
add(
    "intrasite-fragment-spans-tags",
    cls=DEFENDED,
    files={"evil.md": explainer(payload='<a title="src=\'{tag}#x" href="https://alpha.example/">y \' z</a>')},
    note="a {tag}# value whose closing quote is past the tag: Pelican keeps the fragment as it is",
)
add(
    "dates-at-the-ends-of-time",
    cls=DEFENDED,
    files={
        "evil.md": explainer(front='modified: "9999-12-31T23:59:59-14:00"', correction="Changed.")
        .replace("date: 2025-01-14", 'date: "0001-01-01T00:00:00+14:00"', 1)
        .replace("  - date: 2025-01-15", '  - date: "9999-12-31T23:59:59+14:00"')
        .replace("    accessed: 2025-01-12", '    accessed: 2025-01-12\n    published: "0000-01"', 1),
        "b.md": other("Other one"),
    },
    note="dates in year 1 and 9999 with offsets, and a source published in year 0",
)
add(
    "translation-as-yaml-bool",
    cls=DEFENDED,
    files={"evil.md": explainer(front="lang: fr\ntranslation: true")},
    note="translation: true as a YAML boolean (Pelican calls .lower() on it)",
)
add(
    "translation-address-collision",
    cls=DEFENDED,
    files={
        "a.md": explainer(title="Original", front="slug: same"),
        "b.md": explainer(title="Traduction", front="slug: same\nlang: fr"),
        "c.md": explainer(title="Third", front="slug: same-fr"),
    },
    culprit="c.md",
    expect="error",
    note="a French translation (same-fr.html) and an explainer whose slug is same-fr",
)
add(
    "hidden-file-consistent",
    cls=DEFENDED,
    files={".evil.md": explainer(payload=f"<script>{X}</script>"), "ok.md": explainer(title="OK")},
    culprit=".evil.md",
    line="<script>",
    expect="error",
    note="a hidden .evil.md: IGNORE_FILES' **/.* never matches a bare name, so both read it",
)
add(
    "library-huge-number",
    cls=DEFENDED,
    files={
        "sources/lib.yml": "k:\n  title: " + "1" * 5000 + "\n  publisher: P\n  url: https://l.example/\n"
        "  accessed: 2025-01-12\n",
        "ok.md": explainer(payload="Also [@k]."),
    },
    culprit="sources/lib.yml",
    note="a 5,000-digit number in a sources file (past Python's int conversion limit)",
)
add(
    "jsonld-breakout-in-every-field",
    cls=DEFENDED,
    files={
        "evil.md": explainer(summary="</script><script>alert(1)</script>")
        .replace("authors: [Test desk]", f"authors: [{q('</script><!--<script>')}]")
        .replace("    by: Alpha News", f"    by: {q('</SCRIPT ><svg onload=' + X + '>')}")
    },
    note="</script> and <!-- in the authors, the summary and a claim's by: (JSON-LD, feed, claims JSON)",
)
add(
    "feed-title-entities",
    cls=DEFENDED,
    files={
        "plain.md": pelican_page(
            "Title: &lt;img src=x onerror=alert(1)&gt;\nDate: 2025-01-14", "Body &lt;b&gt;.\n"
        ),
        "ok.md": explainer(),
    },
    culprit="plain.md",
    note="a plain title of entities (Pelican's feed unescapes titles with striptags)",
)
add(
    "problem-message-line-separators",
    cls=DEFENDED,
    files={"evil.md": explainer().replace("    status: confirmed", '    status: "con\\Lfirmed\\Nx\\P"')},
    line="    status:",
    expect="error",
    note="a status with YAML's \\L, \\N and \\P escapes, echoed in the problem message",
)
add(
    "search-text-entities",
    cls=DEFENDED,
    files={
        "evil.md": explainer(
            title=f"T <img src=x onerror={X}>", payload=f"Text &lt;img src=x onerror={X}&gt;"
        )
    },
    note="markup as text in the title and body: Pagefind stores it raw, its script escapes it",
)
