"""Building blocks for hostile content: a valid explainer with one thing changed."""

from __future__ import annotations

import json


def q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def explainer(
    *,
    front: str = "",
    body: str | None = None,
    payload: str | None = None,
    title: str = "A hostile explainer",
    summary: str | None = "What the test is about.",
    claim_text: str = "The first claim, with *emphasis*.",
    claim_note: str | None = None,
    correction: str | None = None,
    source_note: str | None = None,
    raw_summary: str | None = None,
    raw_claim_text: str | None = None,
) -> str:
    """A valid explainer (no warnings): two sources from two publishers, one confirmed claim.

    `front`: extra YAML lines after `authors:` (line 6 on). `payload`: Markdown between two
    cited paragraphs of the body. `raw_*`: a YAML value written as is (not quoted).
    """
    lines = ["---", f"title: {q(title)}", "date: 2025-01-14"]
    if raw_summary is not None:
        lines.append(f"summary: {raw_summary}")
    elif summary is not None:
        lines.append(f"summary: {q(summary)}")
    lines.append("authors: [Test desk]")
    if front:
        lines += front.rstrip("\n").split("\n")
    lines += [
        "sources:",
        "  alpha:",
        "    title: Alpha report",
        "    publisher: Alpha News",
        "    url: https://alpha.example/report",
        "    accessed: 2025-01-12",
    ]
    if source_note is not None:
        lines.append(f"    note: {q(source_note)}")
    lines += [
        "  beta:",
        "    title: Beta briefing",
        "    publisher: Beta Agency",
        "    url: https://beta.example/briefing",
        "    accessed: 2025-01-12",
        "claims:",
        "  - id: first-claim",
        f"    text: {raw_claim_text if raw_claim_text is not None else q(claim_text)}",
        "    by: Alpha News",
        "    status: confirmed",
        "    sources: [alpha, beta]",
    ]
    if claim_note is not None:
        lines.append(f"    note: {q(claim_note)}")
    if correction is not None:
        lines += ["corrections:", "  - date: 2025-01-15", f"    text: {q(correction)}"]
    lines.append("---")
    if body is None:
        body = "Opening sentence [@alpha].\n"
        if payload is not None:
            body += f"\n{payload}\n"
        body += "\nThe claim [@first-claim].\n"
    return "\n".join(lines) + "\n\n" + body


def pelican_page(headers: str, body: str) -> str:
    """An ordinary Pelican Markdown file: `Key: value` headers, no YAML block."""
    return headers.rstrip("\n") + "\n\n" + body


def other(title: str = "Another explainer", front: str = "") -> str:
    return explainer(title=title, front=front)
