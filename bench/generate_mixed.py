"""An independent corpus shape for issue 15, unlike the four of bench/generate.py.

What it holds, per corpus of N files (deterministic, a seed):

- about a fifth of the files are French translations beside their originals;
- a wide spread of sizes: most explainers tiny (100-250 words), some medium, a few very
  long (up to ~20,000 words);
- bodies with headings, bulleted and numbered lists, tables (citations in cells), block
  quotes, figures with captions that cite, inline Markdown (emphasis, code, links);
- many tags (6-14 of 250), several authors (1-4 of 50), 25 categories;
- many corrections (0-12 each, inline Markdown);
- most sources shared from a site-wide library of 400 in 8 files, cited with a skewed
  (Zipf-like) choice so a few sources are cited by hundreds of explainers;
- long claim texts (30-70 words) with inline Markdown, locators on claim sources.

The plain peer has the same text as plain Pelican articles (`Key: value` header): the claims
a list with footnotes at the top, the citations footnotes, the sources footnote definitions,
the corrections a list, translations as Pelican translations (same slug, `Lang: fr`).
Only example.org / example.com addresses.

    python bench/generate_mixed.py N FOLDER [SEED]   # FOLDER/explainers and FOLDER/plain
"""

from __future__ import annotations

import random
import struct
import sys
import zlib
from pathlib import Path


def vocabulary(text: str) -> list[str]:
    return text.split()


EN = vocabulary(
    "the a of to and in that was for on with as said by it at from an were are which this be have has "
    "had not but they their been more after who would about there one two new officials report forces "
    "council budget vote housing rents tenants landlords inspectors water supply pipes district mayor "
    "spending schools hospital waiting times survey figures estimate data agency ministry court ruling "
    "appeal evidence witnesses minutes meeting contract tender bridge repairs delay cost overrun"
)
FR = vocabulary(
    "le la les de des du et en un une que qui pour dans sur avec par au aux est sont été plus après "
    "selon conseil budget vote logement loyers locataires propriétaires inspecteurs eau réseau quartier "
    "maire dépenses écoles hôpital attente enquête chiffres estimation données agence ministère tribunal "
    "décision appel preuves témoins procès-verbal réunion contrat marché pont travaux retard coût dépassement"
)
STATUSES = ("confirmed", "reported", "claimed", "estimate", "disputed", "false", "unverified")
TYPES = ("news", "official", "report", "dataset", "interview", "other")
KINDS = ("correction", "clarification", "update")
LIBRARY = 400
LIBRARY_FILES = 8
IMAGES = 12
TAGS = [f"topic-{i:03d}" for i in range(250)]
AUTHORS = [f"Reporter {chr(65 + i % 26)}{i // 26}" for i in range(50)]
CATEGORIES = [f"Desk {i}" for i in range(25)]


def words(rng: random.Random, n: int, vocab: list[str]) -> str:
    return " ".join(rng.choice(vocab) for _ in range(n))


def inline(rng: random.Random, n: int, vocab: list[str], number: int) -> str:
    """A sentence of n words with inline Markdown sprinkled in."""
    out = []
    for i in range(n):
        w = rng.choice(vocab)
        r = rng.random()
        if r < 0.04:
            w = f"*{w}*"
        elif r < 0.07:
            w = f"**{w}**"
        elif r < 0.08:
            w = f"`{w}_{i}`"
        elif r < 0.10:
            w = f"[{w}](https://example.org/ref/{number}/{i})"
        out.append(w)
    return " ".join(out).capitalize()


def zipf_pick(rng: random.Random, n: int) -> int:
    # A skewed choice: low indices (the agencies' standing briefings) are cited everywhere.
    return min(int(rng.paretovariate(0.9)) - 1, n - 1)


def size_of(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.60:
        return rng.randint(100, 250)
    if r < 0.90:
        return rng.randint(600, 1500)
    if r < 0.99:
        return rng.randint(3000, 6000)
    return rng.randint(15000, 22000)


def library_source(i: int) -> dict:
    return {
        "title": f"Standing briefing {i} on council finances",
        "publisher": f"Agency {i % 13}",
        "url": f"https://example.org/library/briefing-{i}",
        "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
        "accessed": "2025-02-01",
        "type": TYPES[i % len(TYPES)],
    }


def publisher(key: str, own: dict) -> str:
    return own[key]["publisher"] if key in own else library_source(int(key[4:]))["publisher"]


def plan(rng: random.Random, number: int, forced_library: list[int]) -> dict:
    """One original explainer: everything but the language of its words."""
    own = {}
    for s in range(rng.randint(0, 3)):
        own[f"own-{number}-{s}"] = {
            "title": f"Interview {s} for explainer {number}",
            "publisher": f"Outlet {rng.randrange(30)}",
            "url": f"https://example.com/{number}/{s}",
            "published": f"2025-01-{1 + s % 28:02d}",
            "accessed": "2025-02-02",
            "type": rng.choice(TYPES),
        }
    lib = {zipf_pick(rng, LIBRARY) for _ in range(rng.randint(4, 20))} | set(forced_library)
    keys = list(own) + [f"lib-{i}" for i in sorted(lib)]
    claims = []
    for c in range(rng.randint(2, 10)):
        status = rng.choice(STATUSES)
        srcs = []
        if status != "unverified":
            uses = rng.sample(keys, min(len(keys), rng.randint(1, 3)))
            # As a careful desk writes them: a confirmed claim rests on two publishers or more.
            for _ in range(20):
                if status != "confirmed" or len({publisher(k, own) for k in uses}) >= 2:
                    break
                uses = rng.sample(keys, min(len(keys), rng.randint(2, 3)))
            else:
                status = "reported"
            for key in uses:
                srcs.append((key, f"p. {rng.randint(1, 90)}" if rng.random() < 0.4 else None))
        claims.append(
            {
                "id": f"c{number}-{c}",
                "status": status,
                "sources": srcs,
                "len": rng.randint(30, 70),
                "note": rng.random() < 0.3,
            }
        )
    total = size_of(rng)
    # Blocks: each a kind and its citation targets; every key cited at least once.
    targets = [[k] for k in keys] + [[c["id"]] for c in claims if c["sources"]][:4]
    rng.shuffle(targets)
    blocks, n_words = [], 0
    while n_words < total or targets:
        r = rng.random()
        kind = (
            "heading"
            if r < 0.10
            else "list"
            if r < 0.22
            else "table"
            if r < 0.27
            else "quote"
            if r < 0.33
            else "figure"
            if r < 0.37
            else "para"
        )
        size = {"heading": 5, "list": 40, "table": 48, "quote": 35, "figure": 15}.get(
            kind, rng.randint(50, 140)
        )
        take = 0 if kind == "heading" else rng.randint(0, 2)
        cites = [targets.pop() for _ in range(min(len(targets), take))]
        if kind == "figure" and not cites:
            cites = [[rng.choice(keys)]]
        blocks.append(
            {
                "kind": kind,
                "size": size,
                "cites": cites,
                "seed": rng.randrange(1 << 30),
                "level": rng.choice((2, 2, 3)),
                "image": rng.randrange(IMAGES),
                "ordered": rng.random() < 0.4,
            }
        )
        n_words += size
    corrections = [
        {"date": f"2025-03-{1 + k:02d}", "kind": rng.choice(KINDS), "len": rng.randint(15, 40)}
        for k in range(rng.choice((0, 0, 1, 2, 3, 5, 8, 12)))
    ]
    return {
        "number": number,
        "slug": f"story-{number:05d}",
        "date": f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}",
        "authors": rng.sample(AUTHORS, rng.randint(1, 4)),
        "category": rng.choice(CATEGORIES),
        "tags": rng.sample(TAGS, rng.randint(6, 14)),
        "own": own,
        "keys": keys,
        "claims": claims,
        "blocks": blocks,
        "corrections": corrections,
        "seed": rng.randrange(1 << 30),
    }


def cite_text(groups: list[list[str]], locs: random.Random) -> str:
    parts = []
    for group in groups:
        items = "; ".join("@" + k for k in group)
        if len(group) == 1 and locs.random() < 0.2:
            items += f", p. {locs.randint(1, 40)}"
        parts.append(f" [{items}]")
    return "".join(parts)


def body_blocks(page: dict, vocab: list[str]) -> list[tuple[str, dict, list[list[str]], random.Random]]:
    """The body as Markdown pieces with a placeholder \x00 where each citation goes."""
    out = []
    for block in page["blocks"]:
        rng = random.Random(block["seed"] + (0 if vocab is EN else 1))
        n, kind = page["number"], block["kind"]
        if kind == "heading":
            text = "#" * block["level"] + " " + words(rng, block["size"], vocab).capitalize()
        elif kind == "para":
            sentences, left = [], block["size"]
            while left > 0:
                k = min(left, rng.randint(10, 22))
                sentences.append(inline(rng, k, vocab, n) + ".")
                left -= k
            text = " ".join(sentences) + "\x00"
        elif kind == "list":
            mark = "1." if block["ordered"] else "-"
            text = "\n".join(f"{mark} {inline(rng, 8, vocab, n)}" for _ in range(5)) + "\x00"
        elif kind == "table":
            head = "| " + " | ".join(words(rng, 1, vocab).capitalize() for _ in range(4)) + " |"
            rows = [head, "| --- | --- | ---: | ---: |"]
            for r in range(5):
                cells = [
                    words(rng, 2, vocab),
                    words(rng, 2, vocab),
                    f"{rng.randint(1, 9999):,}",
                    f"{rng.randint(1, 99)} %",
                ]
                if r == 0:
                    cells[1] += "\x00"
                rows.append("| " + " | ".join(cells) + " |")
            text = "\n".join(rows)
        elif kind == "quote":
            text = "> " + inline(rng, block["size"], vocab, n) + ".\x00\n>\n> — " + words(rng, 2, vocab)
        else:  # figure
            alt = words(rng, 6, vocab).capitalize()
            text = (
                f"![{alt}]({{static}}/images/chart-{block['image']:02d}.png)\n"
                f"Caption: {inline(rng, 12, vocab, n)}\x00\n"
                f"Credit: {words(rng, 4, vocab).capitalize()}"
            )
        out.append((text, block, block["cites"], rng))
    return out


def yq(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def texts(page: dict, vocab: list[str]) -> dict:
    rng = random.Random(page["seed"] + (0 if vocab is EN else 1))
    n = page["number"]
    return {
        "title": f"{'Story' if vocab is EN else 'Article'} {n}: " + words(rng, 6, vocab),
        "summary": words(rng, 25, vocab).capitalize() + ".",
        "claims": [inline(rng, c["len"], vocab, n) + "." for c in page["claims"]],
        "by": [f"Agency {rng.randrange(13)}" for _ in page["claims"]],
        "notes": [words(rng, 20, vocab).capitalize() + "." for _ in page["claims"]],
        "corrections": [inline(rng, c["len"], vocab, n) + "." for c in page["corrections"]],
    }


def explainer_file(page: dict, french: bool) -> str:
    vocab = FR if french else EN
    t = texts(page, vocab)
    lines = [
        "---",
        f"title: {yq(t['title'])}",
        f"date: {page['date']}",
        f"summary: {yq(t['summary'])}",
        f"authors: [{', '.join(page['authors'])}]",
        f"category: {page['category']}",
        f"tags: [{', '.join(page['tags'])}]",
        f"slug: {page['slug']}",
    ]
    if french:
        lines += ["lang: fr", "translation: true"]
    if page["own"]:
        lines.append("sources:")
        for key, source in page["own"].items():
            lines.append(f"  {key}:")
            lines += [f"    {f}: {yq(v) if f == 'title' else v}" for f, v in source.items()]
    lines.append("claims:")
    for i, claim in enumerate(page["claims"]):
        lines += [
            f"  - id: {claim['id']}",
            f"    text: {yq(t['claims'][i])}",
            f"    status: {claim['status']}",
            f"    by: {t['by'][i]}",
        ]
        if claim["note"]:
            lines.append(f"    note: {yq(t['notes'][i])}")
        if claim["sources"]:
            lines.append("    sources:")
            for key, loc in claim["sources"]:
                lines.append(f"      - source: {key}\n        locator: {loc}" if loc else f"      - {key}")
    if page["corrections"]:
        lines.append("corrections:")
        for i, c in enumerate(page["corrections"]):
            lines += [
                f"  - date: {c['date']}",
                f"    kind: {c['kind']}",
                f"    text: {yq(t['corrections'][i])}",
            ]
    lines += ["---", ""]
    body = []
    for text, block, cites, _rng in body_blocks(page, vocab):
        body.append(text.replace("\x00", cite_text(cites, random.Random(block["seed"]))))
    return "\n".join(lines) + "\n\n".join(body) + "\n"


def plain_file(page: dict, french: bool, library: dict[str, dict]) -> str:
    vocab = FR if french else EN
    t = texts(page, vocab)
    numbers: dict[str, int] = {}
    sources = {**page["own"], **library}
    claim_sources = {c["id"]: [k for k, _ in c["sources"]] for c in page["claims"]}

    def refs(keys: list[str]) -> str:
        marks = []
        for key in keys:
            for source in claim_sources.get(key, [key]):
                numbers.setdefault(source, len(numbers) + 1)
                marks.append(f"[^{numbers[source]}]")
        return "".join(marks)

    def cites(groups: list[list[str]], locs: random.Random) -> str:
        parts = []
        for group in groups:
            loc = f" p. {locs.randint(1, 40)}" if len(group) == 1 and locs.random() < 0.2 else ""
            parts.append(refs(group) + loc)
        return "".join(parts)

    claims = []
    for i, c in enumerate(page["claims"]):
        locs = "".join(f" {loc}" for _, loc in c["sources"] if loc)
        note = f" {t['notes'][i]}" if c["note"] else ""
        claims.append(
            f"- **{c['status'].capitalize()}**: {t['claims'][i]} ({t['by'][i]})"
            f"{note} {refs(claim_sources[c['id']])}{locs}"
        )
    body = []
    for text, block, groups, _rng in body_blocks(page, vocab):
        # A plain figure: the image, then its caption in italics and the credit after a dash.
        piece = text
        if block["kind"] == "figure":
            piece = text.replace("\nCaption: ", "\n\n*").replace("\x00\nCredit: ", "\x00* — ")
        body.append(piece.replace("\x00", cites(groups, random.Random(block["seed"]))))
    corrections = [
        f"- {c['date']} ({c['kind']}): {t['corrections'][i]}" for i, c in enumerate(page["corrections"])
    ]
    notes = [
        f"[^{n}]: {sources[k]['publisher']}: [{sources[k]['title']}]({sources[k]['url']})."
        for k, n in sorted(numbers.items(), key=lambda item: item[1])
    ]
    header = [
        f"Title: {t['title']}",
        f"Date: {page['date']}",
        f"Summary: {t['summary']}",
        f"Authors: {', '.join(page['authors'])}",
        f"Category: {page['category']}",
        f"Tags: {', '.join(page['tags'])}",
        f"Slug: {page['slug']}",
    ]
    if french:
        header += ["Lang: fr", "Translation: true"]
    return (
        "\n".join(header)
        + "\n\n"
        + "\n".join(claims)
        + "\n\n"
        + "\n\n".join(body)
        + "\n\n"
        + "\n".join(corrections)
        + "\n\n"
        + "\n".join(notes)
        + "\n"
    )


def png(seed: int) -> bytes:
    """A small valid PNG (16x16 grey), different per seed."""
    raw = b"".join(b"\x00" + bytes([(seed * 17 + x) % 256 for x in range(16)]) for _ in range(16))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def generate(n: int, folder: Path, seed: int = 15) -> None:
    rng = random.Random(seed)
    originals = n - n // 5
    library = {f"lib-{i}": library_source(i) for i in range(LIBRARY)}
    ours, plain = folder / "explainers", folder / "plain"
    for root in (ours, plain):
        (root / "images").mkdir(parents=True, exist_ok=True)
        for i in range(IMAGES):
            (root / "images" / f"chart-{i:02d}.png").write_bytes(png(i))
    (ours / "sources").mkdir(exist_ok=True)
    per_file = LIBRARY // LIBRARY_FILES
    for f in range(LIBRARY_FILES):
        lines = []
        for i in range(f * per_file, (f + 1) * per_file):
            lines.append(f"lib-{i}:")
            lines += [f"  {k}: {yq(v) if k == 'title' else v}" for k, v in library[f"lib-{i}"].items()]
        (ours / "sources" / f"library-{f}.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Every library source cited somewhere, so the corpus builds without warnings.
    forced = {k: [i for i in range(LIBRARY) if i % originals == k] for k in range(originals)}
    translated = set(rng.sample(range(originals), n - originals))
    for number in range(originals):
        page = plan(rng, number, forced.get(number, []))
        name = f"story-{number:05d}"
        (ours / f"{name}.md").write_text(explainer_file(page, False), encoding="utf-8")
        (plain / f"{name}.md").write_text(plain_file(page, False, library), encoding="utf-8")
        if number in translated:
            (ours / f"{name}-fr.md").write_text(explainer_file(page, True), encoding="utf-8")
            (plain / f"{name}-fr.md").write_text(plain_file(page, True, library), encoding="utf-8")


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]), *(int(a) for a in sys.argv[3:4]))
