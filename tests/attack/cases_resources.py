"""Resources and robustness: YAML alias bombs and recursion, deep nesting, huge front
matter, inputs that make parsers go quadratic, bytes that are not text, body ids that
collide with the page's own ids, and unclosed elements that would hide the rest of a page.

The giant inputs are few and sized so that a linear pass takes a second or two; they get
a 20-second budget (check and build side by side) instead of the usual 120.
"""

from __future__ import annotations

from attack_content import explainer
from attack_harness import Case

CLS = "resources"
X = "alert(document.domain)"
CASES: list[Case] = []
BIG = {"budget": 90, "concurrent": True}  # generous: a hang is minutes; a loaded machine is slow


def add(id: str, **kwargs) -> None:
    CASES.append(Case(id=f"resources-{id}", cls=CLS, **kwargs))


# --- YAML: aliases, recursion, depth, size ----------------------------------------------------
BOMB = "\n".join(
    [
        'lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)),
    ]
)
add(
    "alias-bomb", files={"evil.md": explainer(front=BOMB)}, expect="error", note="billion laughs, 9^10 values"
)
add(
    "alias-bomb-in-tags",
    files={"evil.md": explainer(front=BOMB.replace("lol9:", "tags:"))},
    expect="error",
    note="billion laughs as the tags",
)
add(
    "alias-bomb-library",
    files={"sources/bomb.yml": BOMB + "\n", "ok.md": explainer()},
    culprit="sources/bomb.yml",
    expect="error",
    note="billion laughs in a sources library file",
)
for name, yaml in (
    ("recursive-sequence", "loop: &a [*a]"),
    ("recursive-mapping", "loop: &a {b: *a}"),
    ("recursive-tags", "tags: &a [x, *a]"),
):
    add(
        f"alias-{name}",
        files={"evil.md": explainer(front=yaml)},
        line=yaml.split(":")[0] + ":",
        expect="error",
        note=f"a recursive alias: {yaml}",
    )
add(
    "alias-recursive-library",
    files={"sources/loop.yml": "loop: &a\n  title: x\n  publisher: y\n  note: *a\n", "ok.md": explainer()},
    culprit="sources/loop.yml",
    expect="error",
    note="a recursive alias in a sources library file",
)
add(
    "deep-flow-sequence",
    files={"evil.md": explainer(front="deep: " + "[" * 50_000 + "]" * 50_000)},
    line="deep:",
    expect="error",
    note="50,000 nested flow sequences",
    **BIG,
)
add(
    "deep-flow-mapping",
    files={"evil.md": explainer(front="deep: " + "{a: " * 20_000 + "b" + "}" * 20_000)},
    line="deep:",
    expect="error",
    note="20,000 nested flow mappings",
    **BIG,
)
add(
    "deep-block-mapping",
    files={"evil.md": explainer(front="\n".join(" " * i + f"k{i}:" for i in range(1500)) + " x")},
    expect="error",
    note="1,500 nested block mappings",
    **BIG,
)
add(
    "huge-front-matter",
    files={"evil.md": explainer(front="tags: [" + ", ".join(f"t{i}" for i in range(150_000)) + "]")},
    line="tags:",
    expect="error",
    note="150,000 tags (over the 100,000-value limit)",
    **BIG,
)
add(
    "long-title",
    files={"evil.md": explainer(title="x" * 2_000_000)},
    note="a 2 MB title (it names the file and fills every list)",
    **BIG,
)

# --- the body: inputs that make parsers slow ---------------------------------------------------
for name, payload, note, expect in (
    ("unclosed-brackets", "[" * 30_000, "30,000 [ with no ]", "safe"),
    ("unclosed-bracket-words", "[a " * 20_000, "20,000 '[a ' with no ]", "safe"),
    ("unclosed-citations", "[@alpha " * 20_000, "20,000 citation groups never closed", "error"),
    ("unknown-citations", "[@nope] " * 60_000, "60,000 citations of an unknown key", "error"),
    ("nested-emphasis", "**" * 30_000 + "a", "60,000 asterisks", "safe"),
    ("nested-blockquotes", "> " * 5_000 + "x", "5,000 nested blockquotes", "safe"),
    ("nested-lists", "\n".join("    " * i + "- x" for i in range(400)), "400 nested lists", "safe"),
    ("nested-divs", "<div>" * 50_000, "50,000 unclosed <div>", "safe"),
    ("giant-line", "word " * 200_000, "one 1 MB line of words", "safe"),
    ("giant-word", "x" * 1_000_000, "one 1 MB word", "safe"),
    (
        "giant-url-tail",
        "https://a.example/" + "a" * 500_000 + "[@alpha]",
        "a 500 KB address before a citation",
        "safe",
    ),
):
    add(
        name,
        files={"evil.md": explainer(payload=payload)},
        line=None,
        expect=expect,
        note=note,
        **BIG,
    )

# --- bytes that are not text -------------------------------------------------------------------
GOOD = explainer(payload="Marker paragraph.")
add(
    "invalid-utf8-body",
    files={"evil.md": GOOD.encode().replace(b"Marker paragraph.", b"Marker \xff\xfe paragraph.")},
    line=GOOD[: GOOD.index("Marker")].count("\n") + 1,
    expect="error",
    note="a byte that is not UTF-8 in the body",
)
add(
    "invalid-utf8-front",
    files={"evil.md": GOOD.encode().replace(b"A hostile explainer", b"A hostile \xc3\x28 explainer")},
    line=2,
    expect="error",
    note="a byte that is not UTF-8 in the title",
)
add(
    "invalid-utf8-library",
    files={
        "sources/bad.yml": b"bad:\n  title: ok\n  publisher: P\xff\n  url: https://a.example/\n",
        "ok.md": explainer(),
    },
    culprit="sources/bad.yml",
    line=3,
    expect="error",
    note="a byte that is not UTF-8 in a sources library file",
)
add(
    "nul-in-body",
    files={"evil.md": explainer(payload="Before\x00after, and \x00\x00 again.")},
    line="Before",
    note="NUL characters in the body",
)
add(
    "nul-in-yaml-raw",
    files={"evil.md": explainer(front="note: 'a\x00b'")},
    line="note:",
    expect="error",
    note="a raw NUL character in the YAML",
)
add(
    "nul-in-yaml-escape",
    files={"evil.md": explainer(title="Title with a \x00 NUL")},
    line=2,
    note='a NUL written as the YAML escape "\\0" in the title',
)
add(
    "control-characters-in-body",
    files={"evil.md": explainer(payload="Bell \x07, escape \x1b[31m, backspace \x08.")},
    line="Bell",
    note="C0 control characters in the body",
)
add(
    "lockfile-deep-json",
    files={"sources.lock.json": '{"sources": ' + "[" * 200_000 + "]" * 200_000 + "}", "ok.md": explainer()},
    culprit="sources.lock.json",
    expect="error",
    note="200,000 nested JSON arrays in the lockfile",
)
add(
    "lockfile-invalid-utf8",
    files={"sources.lock.json": b'{"sources": {}, "about": "\xff\xfe"}', "ok.md": explainer()},
    culprit="sources.lock.json",
    line=1,
    expect="error",
    note="a lockfile that is not UTF-8",
)

# --- ids in the body that collide with the page's own --------------------------------------------
for name, payload in (
    ("heading-sources", "## Sources"),
    ("heading-claims", "## Claims"),
    ("heading-corrections", "## Corrections"),
    ("heading-source-key", "## Source alpha"),
    ("heading-claim-id", "## Claim first-claim"),
    ("heading-citation-id", "## Cite alpha 1"),
    ("heading-main", "## Main"),
    ("heading-claims-title", "## Claims title"),
    ("attr-list-id", "A paragraph.\n{: #sources }"),
    ("attr-list-heading-id", "## Notes {: #source-beta }"),
    ("raw-id", '<h2 id="claims">Claims, rewritten</h2>'),
    ("raw-anchor-id", '<a id="source-alpha"></a>'),
):
    add(
        f"id-{name}",
        files={"evil.md": explainer(payload=payload, correction="An earlier version differed.")},
        # The line that sets the id: an attribute list's own line where it has one.
        line=payload.split("\n")[-1],
        note=f"{payload!r} in the body: an id the page already uses",
    )

# --- unclosed elements that hide the rest of the page -------------------------------------------
for name, payload, expect in (
    ("textarea", "<textarea>", "safe"),
    ("title", "<title>", "safe"),
    ("style", "<style>", "error"),
    ("comment", "<!--", "safe"),
    ("comment-inline", "Text <!-- and the rest", "safe"),
    ("noembed", "<noembed>", "safe"),
    ("xmp", "<xmp>", "safe"),
    ("noscript", "<noscript>", "safe"),
    ("select", "<select>", "safe"),
    ("template", "<template>", "safe"),
    ("div-hidden", "<div hidden>", "safe"),
    ("details", "</div><details>", "safe"),
    ("link", '<a href="https://alpha.example/report">', "safe"),
    ("script", "<script>", "error"),
):
    add(
        f"unclosed-{name}",
        files={"evil.md": explainer(payload=payload, correction="An earlier version differed.")},
        line=payload,
        expect=expect,
        note=f"an unclosed {payload} in the body",
    )
