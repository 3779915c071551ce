"""A deterministic synthetic newsroom: N explainers, and the same text as plain Pelican articles.

A corpus has a shape (`SHAPES`): how many claims, sources and citations each explainer
has, how long its body is and how long its sources' notes are; 3 of its sources come
from a site-wide library of 60. The plain peer has the same titles, summaries, claims
(as a list) and body, with each citation a Python-Markdown footnote and the sources as
footnote definitions (with their notes): what a newsroom would write without this project.

    python bench/generate.py N FOLDER [SHAPE]   # writes FOLDER/explainers and FOLDER/plain
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path

import generate_mixed

WORDS = [
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "that",
    "was",
    "for",
    "on",
    "with",
    "as",
    "said",
    "by",
    "it",
    "at",
    "from",
    "his",
    "an",
    "were",
    "are",
    "which",
    "this",
    "be",
    "have",
    "has",
    "had",
    "not",
    "but",
    "they",
    "their",
    "been",
    "more",
    "after",
    "who",
    "would",
    "about",
    "there",
    "one",
    "two",
    "new",
    "officials",
    "report",
    "forces",
    "troops",
    "region",
    "border",
    "government",
    "ministry",
    "according",
    "statement",
    "estimate",
    "intelligence",
    "casualties",
    "killed",
    "wounded",
    "captured",
    "soldiers",
    "agency",
    "figures",
    "week",
    "month",
    "january",
    "december",
    "november",
    "briefing",
    "sources",
    "confirmed",
    "analysts",
    "claims",
    "evidence",
    "video",
]
STATUSES = ("confirmed", "reported", "claimed", "estimate", "disputed", "false")
TYPES = ("news", "official", "intelligence", "report", "dataset", "video")
LIBRARY_SIZE = 60
LIBRARY_CITED = 3


@dataclass(frozen=True)
class Shape:
    """What each explainer of a corpus holds (`sources` besides the library's 3)."""

    claims: int
    sources: int
    citations: int
    words: int
    note_words: int = 0  # a note on every source, this many words long
    why: str = ""


SHAPES = {
    "claims": Shape(40, 5, 12, 1000, why="many claims, few citations"),
    "sources": Shape(3, 37, 60, 1500, note_words=60, why="few claims, many sources with long notes"),
    "short": Shape(2, 2, 6, 250, why="many short explainers"),
    "issue": Shape(3, 12, 25, 1500, why="the shape of issue 15's independent run"),
    # Not of this file's making: generate_mixed.py, written by an independent run.
    "mixed": Shape(
        0,
        0,
        0,
        0,
        why="translations, tables, figures, 100 to 20,000 words, a shared library, many tags (independent)",
    ),
}
DEFAULT_SHAPE = "issue"


def sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(WORDS) for _ in range(length)]
    return " ".join(words).capitalize()


def library_source(index: int) -> dict:
    return {
        "title": f"Library report {index}",
        "publisher": f"Agency {index % 7}",
        "url": f"https://library.example/report-{index}",
        "published": "2024-12-01",
        "accessed": "2025-01-10",
        "type": TYPES[index % len(TYPES)],
    }


def publisher(key: str, sources: dict[str, dict]) -> str:
    if key in sources:
        return sources[key]["publisher"]
    return library_source(int(key.removeprefix("lib-")))["publisher"]


def explainer(rng: random.Random, number: int, shape: Shape) -> dict:
    sources = {}
    for s in range(shape.sources):
        sources[f"src-{number}-{s}"] = {
            "title": sentence(rng, 6),
            "publisher": f"Outlet {rng.randrange(40)}",
            "url": f"https://news{rng.randrange(40)}.example/{number}/{s}",
            "published": f"2025-01-{1 + s % 28:02d}",
            "accessed": "2025-01-30",
            "type": rng.choice(TYPES),
        }
        if shape.note_words:
            sources[f"src-{number}-{s}"]["note"] = sentence(rng, shape.note_words) + "."
    library = [f"lib-{rng.randrange(LIBRARY_SIZE)}" for _ in range(LIBRARY_CITED)]
    library = list(dict.fromkeys(library))
    all_keys = list(sources) + library
    claims = []
    for c in range(shape.claims):
        status = rng.choice(STATUSES)
        uses = rng.sample(all_keys, rng.randint(1, 3))
        # As a careful desk writes them: a confirmed claim rests on two publishers or more.
        while status == "confirmed" and len({publisher(key, sources) for key in uses}) < 2:
            uses = rng.sample(all_keys, rng.randint(2, 3))
        claims.append(
            {
                "id": f"claim-{number}-{c}",
                "text": sentence(rng, 12) + ".",
                "status": status,
                "by": f"Outlet {rng.randrange(40)}",
                "sources": uses,
            }
        )
    # Citations: every source at least once (so none is unreached), then claims and groups.
    targets = [[key] for key in all_keys] + [[claim["id"]] for claim in claims[:4]]
    while len(targets) < shape.citations:
        targets.append(rng.sample(all_keys, 2))
    rng.shuffle(targets)
    paragraphs, words, cited = [], 0, 0
    while words < shape.words:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            text = sentence(rng, rng.randint(12, 24))
            words += len(text.split())
            if cited < len(targets) and rng.random() < 0.6:
                text += " " + "[" + "; ".join("@" + key for key in targets[cited]) + "]"
                cited += 1
            sentences.append(text + ".")
        paragraphs.append(" ".join(sentences))
    while cited < len(targets):
        paragraphs.append(sentence(rng, 10) + " [" + "; ".join("@" + k for k in targets[cited]) + "].")
        cited += 1
    return {
        "number": number,
        "title": f"Explainer {number}: " + sentence(rng, 5),
        "summary": sentence(rng, 20) + ".",
        "date": f"2025-{1 + number % 12:02d}-{1 + number % 28:02d}",
        "sources": sources,
        "claims": claims,
        "paragraphs": paragraphs,
        "tags": rng.sample(WORDS[40:], 3),
    }


def yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def explainer_file(page: dict) -> str:
    lines = [
        "---",
        f"title: {yaml_text(page['title'])}",
        f"date: {page['date']}",
        f"summary: {yaml_text(page['summary'])}",
        "authors: [Bench desk]",
        "category: Bench",
        f"tags: [{', '.join(page['tags'])}]",
        "sources:",
    ]
    for key, source in page["sources"].items():
        lines.append(f"  {key}:")
        lines += [
            f"    {field}: {yaml_text(value) if field in ('title', 'note') else value}"
            for field, value in source.items()
        ]
    lines.append("claims:")
    for claim in page["claims"]:
        lines += [
            f"  - id: {claim['id']}",
            f"    text: {yaml_text(claim['text'])}",
            f"    status: {claim['status']}",
            f"    by: {claim['by']}",
            f"    sources: [{', '.join(claim['sources'])}]",
        ]
    lines += ["---", ""]
    return "\n".join(lines) + "\n\n".join(page["paragraphs"]) + "\n"


def plain_file(page: dict, library: dict[str, dict]) -> str:
    """The same page as a plain Pelican article: citations as footnotes, claims as a list."""
    numbers: dict[str, int] = {}
    sources = {**page["sources"], **library}
    claims = {claim["id"]: claim["sources"] for claim in page["claims"]}

    def refs(keys: list[str]) -> str:
        marks = []
        for key in keys:
            for source in claims.get(key, [key]):
                numbers.setdefault(source, len(numbers) + 1)
                marks.append(f"[^{numbers[source]}]")
        return "".join(marks)

    def cite(text: str) -> str:
        out, rest = [], text
        while "[@" in rest:
            before, _, after = rest.partition("[")
            group, _, rest = after.partition("]")
            out.append(before + refs([item.strip().lstrip("@") for item in group.split(";")]))
        return "".join(out) + rest

    body = [cite(paragraph) for paragraph in page["paragraphs"]]
    claim_list = [
        f"- **{c['status'].capitalize()}**: {c['text']} ({c['by']}) {refs(c['sources'])}"
        for c in page["claims"]
    ]
    notes = [
        f"[^{n}]: {sources[key]['publisher']}: [{sources[key]['title']}]({sources[key]['url']})."
        + (" " + sources[key]["note"] if "note" in sources[key] else "")
        for key, n in sorted(numbers.items(), key=lambda item: item[1])
    ]
    header = [
        f"Title: {page['title']}",
        f"Date: {page['date']}",
        f"Summary: {page['summary']}",
        "Authors: Bench desk",
        "Category: Bench",
        f"Tags: {', '.join(page['tags'])}",
        "",
        "",
    ]
    return (
        "\n".join(header)
        + "\n".join(claim_list)
        + "\n\n"
        + "\n\n".join(body)
        + "\n\n"
        + "\n".join(notes)
        + "\n"
    )


def generate(n: int, folder: Path, shape: str = DEFAULT_SHAPE, seed: int = 2025) -> None:
    if shape == "mixed":
        generate_mixed.generate(n, folder)
        return
    rng = random.Random(seed)
    library = {f"lib-{i}": library_source(i) for i in range(LIBRARY_SIZE)}
    ours, plain = folder / "explainers", folder / "plain"
    (ours / "sources").mkdir(parents=True, exist_ok=True)
    plain.mkdir(parents=True, exist_ok=True)
    lines = []
    for key, source in library.items():
        lines.append(f"{key}:")
        lines += [f"  {field}: {value}" for field, value in source.items()]
    (ours / "sources" / "library.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for number in range(n):
        page = explainer(rng, number, SHAPES[shape])
        (ours / f"explainer-{number:05d}.md").write_text(explainer_file(page), encoding="utf-8")
        (plain / f"explainer-{number:05d}.md").write_text(plain_file(page, library), encoding="utf-8")


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]), *sys.argv[3:4])
