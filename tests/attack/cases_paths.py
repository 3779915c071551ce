"""Paths around the checks: files that are not YAML explainers (Pelican's `Title:` header,
.html, .htm, .rst, .txt, static files that are pages), front-matter keys that differ from
a validated field only by case (`Summary:`, `Status:`, `Template:`, `Save_as:`), and keys
on no list at all.
"""

from __future__ import annotations

from attack_content import explainer, pelican_page, q
from attack_harness import PASSWD_MARK, Case

CLS = "paths"
X = "alert(document.domain)"
CASES: list[Case] = []


def add(id: str, **kwargs) -> None:
    CASES.append(Case(id=f"paths-{id}", cls=CLS, **kwargs))


HEADERS = "Title: A plain page\nDate: 2025-01-14\nCategory: Misc"

# --- Pelican's own Markdown files: no YAML block, no explainer checks -------------------------
for name, body in (
    ("script", f"<script>{X}</script>"),
    ("img-onerror", f"<img src=x onerror={X}>"),
    ("javascript-link", f"[click](javascript:{X})"),
    ("iframe", '<iframe src="https://evil.example/"></iframe>'),
    ("attr-list-handler", f"## Heading {{: onmouseover={X} }}"),
):
    add(
        f"pelican-md-{name}",
        files={"plain.md": pelican_page(HEADERS, f"Intro.\n\n{body}\n")},
        culprit="plain.md",
        line=body[:10],
        note=f"a Markdown file with Pelican's Title: header and {name} in its body",
    )
add(
    "pelican-md-summary",
    files={"plain.md": pelican_page(f"{HEADERS}\nSummary: <img src=x onerror={X}>", "Body.\n")},
    culprit="plain.md",
    line="Summary:",
    note="Pelican's Summary: header holding markup (shown on the home page)",
)
add(
    "pelican-md-save_as",
    files={"plain.md": pelican_page(f"{HEADERS}\nSave_as: @TMP@/pwned.html", "Body.\n")},
    culprit="plain.md",
    line="Save_as:",
    forbidden_paths=("@TMP@/pwned.html",),
    note="Pelican's Save_as: header outside the output",
)
add(
    "pelican-md-template",
    files={"plain.md": pelican_page(f"{HEADERS}\nTemplate: ../../../../../etc/passwd", "Body.\n")},
    culprit="plain.md",
    line="Template:",
    note="Pelican's Template: header naming a file outside the theme",
)
add(
    "pelican-md-no-title",
    files={"plain.md": f"Intro.\n\n<script>{X}</script>\n", "ok.md": explainer()},
    culprit="plain.md",
    note="a Markdown file with neither YAML nor a title",
)
add(
    "pelican-page-script",
    files={
        "pages/about.md": pelican_page("Title: About us", f"<script>{X}</script>\n"),
        "ok.md": explainer(),
    },
    culprit="pages/about.md",
    line="<script>",
    note="a Pelican page (pages/) with a script",
)
for ext in ("markdown", "mkd", "mdown"):
    add(
        f"pelican-{ext}-script",
        files={f"plain.{ext}": pelican_page(HEADERS, f"<script>{X}</script>\n")},
        culprit=f"plain.{ext}",
        line="<script>",
        note=f"a .{ext} file with Pelican's header and a script",
    )
add(
    "yaml-after-blank-line",
    files={"evil.md": "\n" + explainer(payload=f"<script>{X}</script>")},
    line=2,  # the misplaced `---`: the file is refused before its body is read
    note="a YAML block that starts on line 2, so the file is not taken for an explainer",
)
add(
    "yaml-cr-line-ends",
    files={"evil.md": explainer(payload=f"<script>{X}</script>").replace("\n", "\r")},
    line=None,
    note="an explainer with old-Mac CR line ends (the --- line is not seen as such)",
)
add(
    "yaml-dash-dash-dash-space-title",
    files={"evil.md": f"---\nTitle: Sneaky\nDate: 2025-01-14\n---\n\n<script>{X}</script>\n"},
    line="<script>",
    note="a --- block with Pelican-style capitalised keys",
)

# --- other file types in the content folder ---------------------------------------------------
PAGE = f"<html><head><title>Page</title></head><body><script>{X}</script></body></html>\n"
for name, text in (
    ("page.html", PAGE),
    ("page.htm", PAGE),
    ("notes.txt", f"<script>{X}</script>\n"),
    ("page.xhtml", PAGE),
):
    add(
        f"file-{name.replace('.', '-')}",
        files={name: text, "ok.md": explainer()},
        culprit=name,
        note=f"content/{name} with a script",
    )
add(
    "rst-include-passwd",
    files={"page.rst": "Page\n====\n\n.. include:: /etc/passwd\n", "ok.md": explainer()},
    culprit="page.rst",
    forbidden_text=(PASSWD_MARK,),
    note="reStructuredText .. include:: /etc/passwd",
)
add(
    "rst-raw-html",
    files={"page.rst": f"Page\n====\n\n.. raw:: html\n\n   <script>{X}</script>\n", "ok.md": explainer()},
    culprit="page.rst",
    note="reStructuredText .. raw:: html",
)
for name, text in (
    ("images/evil.html", PAGE),
    ("images/evil.htm", PAGE),
    ("images/evil.svg", f'<svg xmlns="http://www.w3.org/2000/svg" onload="{X}"><script>{X}</script></svg>\n'),
    (
        "images/evil.xml",
        f'<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml">{X}</x:script>\n',
    ),
):
    add(
        f"static-{name.split('/')[-1].replace('.', '-')}",
        files={name: text, "ok.md": explainer()},
        culprit=name,
        note=f"a page with a script, as a static file: content/{name}",
    )
add(
    "explainer-in-sources-folder",
    files={"sources/evil.md": explainer(payload=f"<script>{X}</script>"), "ok.md": explainer(title="OK")},
    culprit="sources/evil.md",
    note="an explainer inside the sources/ library folder",
)
add(
    "explainer-in-images-folder",
    files={"images/evil.md": explainer(payload=f"<script>{X}</script>")},
    culprit="images/evil.md",
    line="<script>",
    expect="error",
    note="an explainer with a script in the static images/ folder",
)
add(
    "uppercase-extension",
    files={"EVIL.MD": explainer(payload=f"<script>{X}</script>"), "ok.md": explainer(title="OK")},
    culprit="EVIL.MD",
    note="an explainer named .MD",
)

# --- keys that differ from a validated field only by case, and unknown keys -------------------
for key, value, extra in (
    ("Summary", f"<img src=x onerror={X}>", {"summary": None}),
    ("Summary", f"<img src=x onerror={X}>", {}),
    ("SUMMARY", f"<img src=x onerror={X}>", {"summary": None}),
    ("Status", "bogus", {}),
    ("Template", "../../../../../etc/passwd", {}),
    ("Save_as", "@TMP@/pwned.html", {}),
    ("Slug", "../" * 6 + "pwned", {}),
    ("Date", "not a date", {}),
    ("Title", f"<img src=x onerror={X}>", {}),
    ("Lang", "../" * 7 + "pwned", {}),
    ("Url", f"javascript:{X}", {}),
    ("Authors", f"<img src=x onerror={X}>", {}),
):
    add(
        f"key-{key}{'-beside-summary' if key == 'Summary' and not extra else ''}",
        files={"evil.md": explainer(front=f"{key}: {q(value)}", **extra)},
        line=f"{key}:",
        expect="error",
        forbidden_paths=("@TMP@/pwned.html",),
        note=f"{key}: beside the validated lower-case field (an allow-listed field in another case)",
    )
for key, value in (
    ("foo", "bar"),
    ("sumary", "a typo of summary"),
    ("template", "../../../../../etc/passwd"),
    ("javascript", f"{X}"),
):
    add(
        f"unknown-{key}",
        files={"evil.md": explainer(front=f"{key}: {q(value)}")},
        line=f"{key}:",
        expect="safe" if key == "template" else "error",
        note=f"the key {key}: is on no allow-list",
    )
add(
    "pelican-key-author",
    files={"evil.md": explainer(front=f"author: {q(f'<img src=x onerror={X}>')}")},
    line="author:",
    note="Pelican's singular author: holding markup",
)
add(
    "pelican-key-modified-garbage",
    files={"evil.md": explainer(front="modified: 2025-13-45")},
    line="modified:",
    expect="error",
    note="modified: a date that does not exist",
)
add(
    "pelican-key-status-draft-save_as",
    files={"evil.md": explainer(front=f"status: draft\nsave_as: {q('@TMP@/pwned.html')}")},
    line="save_as:",
    forbidden_paths=("@TMP@/pwned.html",),
    note="a draft with save_as outside the output",
)
