"""`make check` gives the same verdict as `make html` (README, "Problems in the content").

Hypothesis breaks a small site the way writers and attackers do (lines deleted, doubled
or swapped, indentation changed, front matter opened late or never closed, fields in the
wrong case, write fields, broken dates, raw HTML, `{attach}`/`{static}`/`{filename}`
links, citations gone wrong, two files on one address, files of other types, plain
Pelican articles) and runs `check` and `build` on it. They must agree: the same exit
code and the same `PATH:LINE: severity: message` lines, the build saying nothing else;
and when both pass, every Markdown file's page was written.

A disagreement found here is kept as an `@example` (the exact files), so it stays in the
suite until the code is fixed.
"""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
from dataclasses import dataclass

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pelican.log import LimitFilter
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from explainers.read import ExplainerBuilder
from explainers.run import CheckOutcome
from explainers.settings import from_pelican
from sitebuild import EXPLAINER, Run, Site

# In CI the same examples every run: a red build must be one anyone can reproduce.
RUNS = settings(
    max_examples=25,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- The fixture site: two explainers, a plain article, a page and the sources library.

SECOND = """\
---
title: Second explainer
date: 2025-02-01
modified: 2025-02-03
summary: A second one, citing the site's library.
authors: [Test desk]
category: Tests
tags: [one, two]
status: published
sources:
  local:
    title: Local report
    publisher: Local Paper
    url: https://local.example/report
    accessed: 2025-02-01
claims:
  - id: main
    text: The main claim.
    status: reported
    sources: [local, shared-one]
---

The main claim [@main]. The library's report [@shared-one, p. 2].

Some *Markdown* and [a link](https://example.org/).
"""

PLAIN = """\
Title: A plain article
Date: 2025-01-01
Tags: one, two
Summary: A plain *article*.

Plain *Markdown* with [a link](https://example.org/).

A second paragraph.
"""

PAGE = """\
Title: About
Summary: About this site.

About this site.
"""

LIBRARY = """\
shared-one:
  title: Shared report
  publisher: Shared Agency
  url: https://shared.example/report
  accessed: 2025-01-20
"""

MARKDOWN = (".md", ".markdown", ".mkd", ".mdown")  # what the site reads, in any case

BASE = {
    "test.md": EXPLAINER,
    "second.md": SECOND,
    "plain.md": PLAIN,
    "pages/about.md": PAGE,
    "sources/shared.yml": LIBRARY,
}

# A one-pixel PNG: a real image, for `{attach}` and `{static}` links to reach.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15"
    b"\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND"
    b"\xaeB`\x82"
)


@dataclass(frozen=True)
class Link:
    """A symbolic link in the content folder, to `target` (relative to the link's folder)."""

    target: str


# Files added beside the fixtures: other types, and plain articles with or without errors.
OTHER_FILES: dict[str, str | bytes | Link] = {
    "images/map.png": PNG,
    "notes.txt": "Notes for the desk.\n",
    "sources/notes.md": "Title: Notes\n\nThe desk's notes on the sources, no date.\n",
    "sources/readme.md": "Title: Read me\nDate: 2025-01-01\n\nHow the library is kept.\n",
    "other.html": "<html><head><title>Other</title></head><body><p>Other</p></body></html>\n",
    "other.rst": "Other\n#####\n\n:date: 2025-01-01\n\nreStructuredText.\n",
    "pages/contact.txt": "Contact us.\n",
    "latest": Link("pages"),
    "alias.md": Link("plain.md"),
}
PLAIN_ARTICLES = [
    "Title: Extra\nDate: 2025-03-01\n\nFine.\n",
    "Title: Extra\nDate: 2025-03-01\nCategory: Tests\nAuthor: Someone\nStatus: hidden\n\nFine, hidden.\n",
    "Title: Extra\nDate: 2025-03-01\nStatus: draft\n\nA draft.\n",
    "Title: Extra\n\nNo date.\n",
    "Date: 2025-03-01\n\nNo title.\n",
    "Title: Extra\nDate: 2025-02-30\n\nNo such day.\n",
    "Title: Extra\nDate: 2025-03-01\nSumary: typo\n\nUnknown field.\n",
    "Title: Extra\nDate: 2025-03-01\nSave_as: ../escape.html\n\nA write field.\n",
    "Title: Extra\nDate: 2025-03-01\nTemplate: page\n\nA write field.\n",
    "Title: Extra\nDate: 2025-03-01\nSlug: index\n\nThe home page's address.\n",
    "Title: Extra\nDate: 2025-03-01\nSlug: archives\n\nThe archives' address.\n",
    "Title: A plain article\nDate: 2025-03-01\n\nThe same title as plain.md.\n",
    "title: Extra\ndate: 2025-03-01\n\nLower-case keys.\n",
    "Title: Extra\nDate: 2025-03-01\nTitle: Again\n\nA field given twice.\n",
    "Title: Extra\nDate: 2025-03-01\n\n<script>alert(1)</script>\n",
    "\ufeffTitle: Extra\r\nDate: 2025-03-01\r\n\r\nA BOM and CRLF.\r\n",
    "",
    "\n\n",
]

# --- What a mutation puts in.

FIELDS = [
    "save_as: elsewhere.html",
    "url: elsewhere.html",
    "template: page",
    "lang_save_as: x.html",
    "slug: a/b",
    "slug: ../escape",
    "slug: index",
    "slug: archives",
    "slug: search",
    "slug: sources",
    "slug: same-slug",
    "slug: Fine_Slug-2",
    "status: draft",
    "status: hidden",
    "status: live",
    "lang: fr",
    "lang: english!",
    "sumary: a typo",
    "foo: bar",
    "category: Other",
    "tags: [a, b]",
    "translation: true",
    "modified: 2025-03-01",
    "authors: Someone",
    "Title: Shouted",
    "Status: draft",
    "Date: 2025-01-14",
]
# Values a page field may be set to, odd ones included (quoted where YAML needs it; a
# Pelican header keeps the quotes as text, which is odd in its own way).
VALUES = {
    "title": ['"!!!"', "Index", "Archives", "404", "中文", "A plain article", "Second explainer", ""],
    "slug": ["index", "claims", "statuses", "feeds", "a.b", "UPPER", "-x-", "second-explainer", ""],
    "status": ["draft", "hidden", "published", "skip", "Draft", ""],
    "lang": ["fr", "en", "EN", "pt-BR", "x", ""],
    "category": ["Claims", "Tests", '""', "sources", "!!!", ""],
    "tags": ["[a, a]", '[""]', "[]", "one, two", "!!!", ""],
    "summary": ["<script>x</script>", "[a](javascript:x)", "*Fine*", '""', ""],
    "modified": ["2025-03-01", "yesterday", ""],
}
DATES = [
    "2025-02-30",
    "2025-13-01",
    "14/01/2025",
    "2025-1-4",
    "2025-01",
    "45678",
    "soon",
    "2025-01-14T25:00:00",
    "'2025-01-14'",
    "2025-01-14 12:00:00+02:00",
    "2024-02-29",
    "1 Jan 2025",
    "2025-01-14T12:00:00+25:00",
    "",
]
SAFE_HTML = [
    '<figure><img src="images/map.png" alt="A map"><figcaption>Map</figcaption></figure>',
    '<div class="note">A note.</div>',
    'Inline <abbr title="North Korea">NK</abbr> and <span lang="ko">한국</span>.',
    "<details><summary>More</summary>\n\nHidden text.\n\n</details>",
    '<p><a href="https://example.org/" target="_blank">out</a></p>',
    "<table><tr><td>1</td></tr></table>",
    "<!-- a comment -->",
    '<img src="https://example.org/decoration.png" alt="">',
    "A line<br>break.",
]
UNSAFE_HTML = [
    "<script>alert(1)</script>",
    '<div onclick="steal()">x</div>',
    'Inline <a href="javascript:alert(1)">link</a>.',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<iframe src="https://evil.example/"></iframe>',
    "<style>body { display: none }</style>",
    '<img src="data:image/png;base64,AA" alt="">',
    '<form action="https://evil.example/"><input name="q"></form>',
    "<svg><script>alert(1)</script></svg>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    "[a link](javascript:alert(1))",
    "![an image](data:image/png;base64,AA)",
    'A paragraph.\n{: onclick="steal()"}',
    'A paragraph.\n{: style="color: red" }',
    "A paragraph.\n{: #sources .note }",
    "## Source alpha",
]
LINK_KINDS = ["attach", "static", "filename", "index", "tag", "unknown"]
LINK_TARGETS = [
    "images/map.png",
    "/images/map.png",
    "images/missing.png",
    "notes.txt",
    "other.html",
    "second.md",
    "test.md",
    "/pages/about.md",
    "sources/readme.md",
    "plain.md#part",
    "missing.md",
    "sources/shared.yml",
    "../outside.txt",
    "../../../etc/passwd",
    "/etc/passwd",
    "images/%2e%2e/x.png",
    "",
]
LINK_FORMS = [
    "[a link]({%s}%s)",
    "![an image]({%s}%s)",
    '<a href="{%s}%s">raw</a>',
    '<img src="{%s}%s" alt="">',
    "[an old-style link](|%s|%s)",
]
CITATIONS = [
    "[@alpha]",
    "[@first-claim, p. 3]",
    "[see @alpha; @beta]",
    "[@main]",
    "[@shared-one]",
    "[@unknown-key]",
    "[@ALPHA]",
    "[@alpha",
    "[@alpha; see above]",
    "[@alpha p. 4]",
    "\\[@alpha]",
    "[@handle](https://example.org/)",
    "Write to name@example.org.",
    "`[@in-code]`",
]

# --- Mutations: each takes the file's lines and returns them changed.


def front_matter_end(lines: list[str]) -> int | None:
    """The index of the line closing the front matter, if the file opens one (the format's
    `---` lines; YAML's `...` ends it too)."""
    if not lines or lines[0].rstrip() != "---":
        return None
    return next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "...")), None)


@st.composite
def mutated_lines(draw, lines: list[str]) -> list[str]:
    lines = list(lines)
    last = max(len(lines) - 1, 0)
    at = draw(st.integers(0, last))
    kind = draw(
        st.sampled_from(
            [
                "delete",
                "delete block",
                "duplicate",
                "swap",
                "indent",
                "blank before front matter",
                "drop closing ---",
                "field case",
                "add field",
                "set field",
                "break date",
                "safe html",
                "unsafe html",
                "link",
                "citation",
                "edit citation",
                "odd character",
            ]
        )
    )
    if not lines:
        lines = [""]
    if kind == "delete":
        del lines[at]
    elif kind == "delete block":
        # A key and everything indented under it: a writer cutting `claims:` or `sources:`.
        end = at + 1
        while end < len(lines) and lines[end].startswith((" ", "\t", "-")):
            end += 1
        del lines[at:end]
    elif kind == "odd character":
        # What pasting from a PDF or a word processor brings: page and line breaks of other
        # kinds, escapes, invisible spaces.
        pasted = ["\x00", "\r", "\x0b", "\x0c", "\x1b", "\x85", "\u2028", "\ufeff", "\u00a0", "\t"]
        character = draw(st.sampled_from(pasted))
        column = draw(st.integers(0, len(lines[at])))
        lines[at] = lines[at][:column] + character + lines[at][column:]
    elif kind == "duplicate":
        lines.insert(at, lines[at])
    elif kind == "swap":
        other = draw(st.integers(0, last))
        lines[at], lines[other] = lines[other], lines[at]
    elif kind == "indent":
        indent = draw(st.sampled_from(["", " ", "  ", "   ", "    ", "      ", "\t"]))
        lines[at] = indent + lines[at].lstrip(" \t")
    elif kind == "blank before front matter":
        lines.insert(0, draw(st.sampled_from(["", " ", "\t"])))
    elif kind == "drop closing ---":
        end = front_matter_end(lines)
        if end is not None:
            del lines[end]
    elif kind == "field case":
        field = draw(st.sampled_from(["title", "status", "date", "slug", "summary"]))
        spelled = draw(st.sampled_from([field.capitalize(), field.upper(), field]))
        pattern = re.compile(rf"^({field}):", re.IGNORECASE)
        found = [i for i, line in enumerate(lines) if pattern.match(line)]
        if found:
            i = draw(st.sampled_from(found))
            lines[i] = pattern.sub(f"{spelled}:", lines[i], count=1)
        else:
            lines.insert(1 if front_matter_end(lines) else 0, f"{spelled}: Published")
    elif kind == "set field":
        field = draw(st.sampled_from(sorted(VALUES)))
        value = draw(st.sampled_from(VALUES[field]))
        pattern = re.compile(rf"^{field}:", re.IGNORECASE)
        found = [i for i, line in enumerate(lines) if pattern.match(line)]
        name = lines[found[0]].split(":")[0] if found else field
        if found:
            lines[found[0]] = f"{name}: {value}".rstrip()
        else:
            lines.insert(1 if front_matter_end(lines) else 0, f"{name}: {value}".rstrip())
    elif kind == "add field":
        end = front_matter_end(lines)
        if end is not None:
            where = draw(st.integers(1, end))  # anywhere in the front matter
        else:
            header_end = next((i for i, line in enumerate(lines) if not line.strip()), 0)
            where = draw(st.integers(0, header_end))
        lines.insert(where, draw(st.sampled_from(FIELDS)))
    elif kind == "break date":
        dated = [i for i, line in enumerate(lines) if re.search(r"\d{4}-\d{2}-\d{2}", line)]
        if dated:
            i = draw(st.sampled_from(dated))
            lines[i] = re.sub(r"\d{4}-\d{2}-\d{2}", draw(st.sampled_from(DATES)), lines[i], count=1)
    elif kind in ("safe html", "unsafe html", "link", "citation"):
        if kind == "link":
            form = draw(st.sampled_from(LINK_FORMS))
            snippet = form % (draw(st.sampled_from(LINK_KINDS)), draw(st.sampled_from(LINK_TARGETS)))
        else:
            pool = {"safe html": SAFE_HTML, "unsafe html": UNSAFE_HTML, "citation": CITATIONS}[kind]
            snippet = draw(st.sampled_from(pool))
        # Mostly at the end of the body, as a writer adds; sometimes anywhere at all.
        where = draw(st.one_of(st.just(len(lines)), st.integers(0, len(lines))))
        lines[where:where] = ["", *snippet.split("\n"), ""]
    elif kind == "edit citation":
        cited = [i for i, line in enumerate(lines) if "[@" in line or "[see @" in line]
        if cited:
            i = draw(st.sampled_from(cited))
            edit = draw(st.sampled_from(["unclosed", "unknown key", "upper case", "empty", "no @"]))
            if edit == "unclosed":
                lines[i] = re.sub(r"(\[[^\]]*@[^\]]*)\]", r"\1", lines[i], count=1)
            elif edit == "unknown key":
                lines[i] = re.sub(r"@([\w:./-]+)", "@no-such-key", lines[i], count=1)
            elif edit == "upper case":
                lines[i] = re.sub(r"@([\w:./-]+)", lambda m: "@" + m[1].upper(), lines[i], count=1)
            elif edit == "empty":
                lines[i] = re.sub(r"\[[^\]]*@[^\]]*\]", "[@]", lines[i], count=1)
            else:
                lines[i] = lines[i].replace("[@", "[", 1)
    return lines


@st.composite
def sites(draw) -> dict[str, str | bytes | Link]:
    """A content folder: some of the fixtures, mutated, and perhaps files beside them."""
    names = draw(st.lists(st.sampled_from(sorted(BASE)), min_size=1, max_size=len(BASE), unique=True))
    files: dict[str, str | bytes | Link] = {name: BASE[name] for name in sorted(names)}
    for _ in range(draw(st.integers(0, 3))):
        addition = draw(st.sampled_from(["other file", "plain article", "copy", "none"]))
        if addition == "other file":
            name = draw(st.sampled_from(sorted(OTHER_FILES)))
            files[name] = OTHER_FILES[name]
        elif addition == "plain article":
            name = draw(st.sampled_from(["extra.md", "pages/extra.md", "deep/er/extra.markdown", "EXTRA.MD"]))
            files[name] = draw(st.sampled_from(PLAIN_ARTICLES))
        elif addition == "copy":
            # Two files, one address: Pelican would write one over the other.
            source = draw(st.sampled_from(sorted(BASE)))
            if source.endswith(".md"):
                files[draw(st.sampled_from(["copy.md", "pages/copy.md", "sub/copy.md"]))] = BASE[source]
    texts = sorted(name for name, text in files.items() if isinstance(text, str))
    for _ in range(draw(st.integers(0, 4))):
        name = draw(st.sampled_from(texts))
        lines = files[name].split("\n")
        files[name] = "\n".join(draw(mutated_lines(lines)))
    return files


# --- Running both, and what agreeing means.


@dataclass
class Outcome:
    check: Run
    build: Run
    logged: dict[str, list[str]]  # what Pelican logged (warnings and errors) in each run

    def describe(self, files: dict[str, str | bytes | Link]) -> str:
        shown = "\n".join(f"--- {name}\n{text!r}" for name, text in sorted(files.items()))
        runs = []
        for name, run in (("check", self.check), ("build", self.build)):
            logged = "".join(f"[Pelican's log] {line}\n" for line in self.logged[name])
            runs.append(f"--- {name} (exit {run.code}):\n{run.stderr}{logged}")
        return "\n".join([shown, *runs])


class Records(logging.Handler):
    """Pelican's own log messages (printed by `make html` beside the problem lines)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname}: {' '.join(record.getMessage().split())}")


def clean(site: Site) -> None:
    """Back to an empty folder: no content, output, cache or staging folder of an earlier example."""
    if site.root.exists():
        shutil.rmtree(site.root)
    site.content.mkdir(parents=True)


def write(site: Site, files: dict[str, str | bytes | Link]) -> None:
    # Byte for byte: Site.write dedents, which would undo the mutations.
    for name, text in files.items():
        path = site.content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, Link):
            path.symlink_to(text.target)
        else:
            path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


def run(site: Site, command: str, *extra: str) -> tuple[Run, list[str]]:
    # `make` starts a new process each time; in this one, forget the messages Pelican has
    # already shown (it logs each message once a process) so that each run says all it would.
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    records = Records()
    root = logging.getLogger()
    root.addHandler(records)
    try:
        return site.run(command, *extra), records.lines
    finally:
        root.removeHandler(records)


def run_both(site: Site, files, *, build_first: bool, shared_cache: bool, strict: bool) -> Outcome:
    clean(site)
    write(site, files)
    extra = ("--strict",) if strict else ()
    runs, logged = {}, {}
    for command in ("build", "check") if build_first else ("check", "build"):
        runs[command], logged[command] = run(site, command, *extra)
        if not shared_cache:
            shutil.rmtree(site.root / "cache", ignore_errors=True)
    return Outcome(runs["check"], runs["build"], logged)


def other_lines(run: Run) -> list[str]:
    """What a run printed beyond its problem lines and its one-line summary."""
    problems = set(run.problems)
    summary = re.compile(
        r"^(Built \S+ in [\d.]+ s; |Build failed: the content has problems: |Checked \d+ explainers? and )"
    )
    return [
        line
        for line in run.stderr.splitlines()
        if line not in problems and not summary.match(line) and not EXCERPT.match(line)
    ]


# The file's line and a caret under the column, shown indented under an error.
EXCERPT = re.compile(r"^  \s*\d* \| ")


def excerpts(run: Run) -> list[str]:
    return [line for line in run.stderr.splitlines() if EXCERPT.match(line)]


def fields_of(text: str) -> dict[str, str]:
    """A valid file's page fields, read here without the plugin: YAML front matter or a
    Pelican header (keys in lower case, as Pelican reads them)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    end = front_matter_end(lines)
    if end is not None:
        # Every value as the text the writer typed, read by libyaml as the plugin reads it
        # (PyYAML's own scanner refuses some text libyaml takes, such as a tab in a value).
        data = yaml.load("\n".join(lines[1:end]), Loader=yaml.CBaseLoader) or {}
        return {k: v for k, v in data.items() if isinstance(v, str)}
    found, key = {}, None
    for line in lines:  # Python-Markdown's `meta` grammar, which Pelican's reader uses
        if field := re.match(r"^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)$", line):
            key = field[1].lower()
            found[key] = field[2].strip()
        elif key and line.startswith("    ") and line.strip():
            found[key] = f"{found[key]} {line.strip()}".strip()
        else:
            break
    return found


def page_address(name: str, text: str) -> tuple[str, str]:
    """(where Pelican writes the page of a valid Markdown file, its title), from Pelican's
    defaults and this site's settings (ARTICLE_SAVE_AS = "{slug}.html")."""
    page_fields = fields_of(text)
    title = page_fields["title"]
    slug = page_fields.get("slug") or slugify(title, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])
    lang = page_fields.get("lang", "en")
    stem = slug if lang == "en" else f"{slug}-{lang}"
    folder = "pages/" if name.startswith("pages/") else ""
    if page_fields.get("status") == "draft":
        folder = "drafts/" + folder
    return f"{folder}{stem}.html", title


def assert_agree(site: Site, files, *, build_first=False, shared_cache=False, strict=False) -> None:
    outcome = run_both(site, files, build_first=build_first, shared_cache=shared_cache, strict=strict)
    check, build = outcome.check, outcome.build
    described = outcome.describe(files)
    assert (check.code, check.problems) == (build.code, build.problems), described
    assert excerpts(check) == excerpts(build), described
    # Nothing said outside the problem lines: no traceback, no message of Pelican's own.
    assert other_lines(build) + outcome.logged["build"] == [], described
    assert other_lines(check) + outcome.logged["check"] == [], described
    if build.code != 0:
        assert build.problems, described  # a build fails only for a reported problem
        assert not site.output.exists(), described
        return
    for name, text in files.items():
        if not name.lower().endswith(MARKDOWN) or not isinstance(text, str):
            continue
        address, title = page_address(name, text)
        page = site.output / address
        assert page.is_file(), f"{name}: no page at {address}\n{described}"
        assert title in html.unescape(page.read_text(encoding="utf-8")), described


@pytest.fixture(scope="module")
def shared_site(tmp_path_factory) -> Site:
    """One folder for every example of the module, emptied before each."""
    return Site(tmp_path_factory.mktemp("agree") / "site")


# The disagreements this test has found, minimised, each run once as it was found.
ONCE = {"build_first": False, "shared_cache": False, "strict": False}


@RUNS
@given(files=sites(), build_first=st.booleans(), shared_cache=st.booleans(), strict=st.booleans())
# An image in STATIC_PATHS: the check passes; the build stops with "TypeError: ('Pelican does
# not know how to parse %s', '…/content/images/map.png')" (the reader for static files is off).
@example(files={"plain.md": PLAIN, "images/map.png": PNG}, **ONCE)
# The same, through an {attach} link to a file outside STATIC_PATHS.
@example(files={"plain.md": PLAIN + "\n[the notes]({attach}notes.txt)\n", "notes.txt": "Notes.\n"}, **ONCE)
# An explainer in pages/: the check passes; the build stops with "UndefinedError: 'article' is
# undefined" (the explainer template is given a page).
@example(files={"pages/test.md": EXPLAINER}, **ONCE)
# {filename} to a file Pelican does not make a page of, {static} to a Markdown file: the
# check passes; the build logs "Unable to find 'notes.txt', skipping url replacement." and
# publishes the link as href="{filename}notes.txt".
@example(files={"plain.md": PLAIN + "\n[the notes]({filename}notes.txt)\n", "notes.txt": "Notes.\n"}, **ONCE)
@example(files={"plain.md": PLAIN + "\n[about]({static}pages/about.md)\n", "pages/about.md": PAGE}, **ONCE)
# Markdown in the sources folder (ARTICLE_EXCLUDES): the check reads it and fails on it; the
# build never reads it and passes (and a valid one passes both and is never published).
@example(files={"plain.md": PLAIN, "sources/notes.md": "Title: Notes\n\nNo date.\n"}, **ONCE)
# An upper-case extension: the check reads NOTES.MD and fails on it; Pelican's readers match
# extensions case-sensitively, so the build never reads it and passes.
@example(files={"NOTES.MD": "Title: Notes\n\nNo date.\n"}, **ONCE)
# A time zone offset dateutil reads but datetime refuses: the check passes; the build stops
# with "ValueError: offset must be a timedelta strictly between -timedelta(hours=24) and …".
@example(files={"plain.md": PLAIN.replace("Date: 2025-01-01", "Date: 2025-01-01T12:00:00+25:00")}, **ONCE)
# A link to a folder inside the content folder: the check does not follow it and passes;
# Pelican does, reads pages/about.md again as the article latest/about.md, and fails on it.
@example(files={"pages/about.md": PAGE, "latest": Link("pages")}, **ONCE)
# An empty Modified: line (or Date: in a page): the check passes; Pelican logs "Could not
# process ./plain.md" as an error and the build stops with "RuntimeError: Warning or error
# encountered", without a PATH:LINE line.
@example(files={"plain.md": PLAIN.replace("Tags: one, two", "Modified:")}, **ONCE)
# A form feed in the body (a page break pasted from a PDF; a vertical tab, a word
# processor's line break, does the same): the check passes; the build stops writing the
# Atom feed with "UnserializableContentError: Control characters are not supported in XML 1.0".
@example(files={"plain.md": PLAIN.replace("A second paragraph.", "A second\x0cparagraph.")}, **ONCE)
# Pelican's own warnings, printed by the build only and not as PATH:LINE lines:
# "Empty alt attribute for image decoration.png in …/content/plain.md" (alt="" is how HTML
# marks a decorative image);
@example(files={"plain.md": PLAIN + '\n<img src="https://example.org/decoration.png" alt="">\n'}, **ONCE)
# 'Unable to generate valid slug for Category "!!!".';
@example(files={"plain.md": PLAIN.replace("Tags: one, two", "Category: !!!")}, **ONCE)
# 'All items ("1") "with slug "a-test-explainer"" are translations: …/content/test.md';
@example(files={"test.md": EXPLAINER.replace("summary:", "translation: true\nsummary:")}, **ONCE)
# beside the same error line in both runs, 'There are 2 items "with slug "a-plain-article""
# with lang en: …' and 'There are 2 original (not translated) items with slug …';
@example(files={"plain.md": PLAIN, "copy.md": PLAIN}, **ONCE)
# and, beside the same error line for a link to a file that is not there, "Cannot get
# modification stamp for …/content/./alias.md [Errno 2] No such file or directory" (twice).
@example(files={"alias.md": Link("plain.md")}, **ONCE)
def test_check_and_build_agree(shared_site, files, build_first, shared_cache, strict):
    assert_agree(shared_site, files, build_first=build_first, shared_cache=shared_cache, strict=strict)


# --- A check does not render the front matter's inline Markdown: the same problems.

UNSAFE_FIELDS = """\
---
title: Unsafe fields
date: 2025-01-14
summary: A [summary link](javascript:alert(1)) and *emphasis*.
sources:
  alpha:
    title: Alpha report
    publisher: Alpha News
    url: https://alpha.example/report
    accessed: 2025-01-12
claims:
  - id: first
    text: A claim with a [good link](https://good.example/) and a [bad one](data:text/html,x).
    note: A note with <https://fine.example/> and [a page](other.html).
    status: reported
    sources: [alpha]
  - id: plain
    text: A plain claim, *emphasised*, it's "quoted" -- and [bracketed] (not a link).
    status: reported
    sources: [alpha]
corrections:
  - date: 2025-01-15
    kind: clarification
    text: An earlier version linked [here](vbscript:x).
---
Opening sentence [@alpha]. The claim [@first].
"""


def test_a_check_reports_the_links_a_field_may_not_have_as_a_build_does():
    built = ExplainerBuilder(from_pelican({}), {}).build("x.md", UNSAFE_FIELDS)
    checked = ExplainerBuilder(from_pelican({}), {}, pages=False).build("x.md", UNSAFE_FIELDS)
    assert sorted((p.line, p.code, p.message) for p in built.problems) == [
        (4, "unsafe-link", 'link to "javascript:alert(1)": only http(s) links are allowed here'),
        (13, "unsafe-link", 'link to "data:text/html,x": only http(s) links are allowed here'),
        (14, "unsafe-link", 'link to "other.html": only http(s) links are allowed here'),
        (24, "unsafe-link", 'link to "vbscript:x": only http(s) links are allowed here'),
    ]
    assert CheckOutcome.of(checked) == CheckOutcome.of(built)
    # The check's claims are their text, escaped, not their HTML.
    assert [str(claim.text) for claim in checked.view.claims] == [
        "A claim with a [good link](https://good.example/) and a [bad one](data:text/html,x).",
        "A plain claim, *emphasised*, it&#39;s &#34;quoted&#34; -- and [bracketed] (not a link).",
    ]
