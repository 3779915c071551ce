"""Contract §5: every error and warning, reported as PATH:LINE: severity: message at the right line."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from explainers.document.problems import ProblemLog
from test_makefile import make

# A valid explainer to break one line at a time. Line numbers are those of this text.
VALID = """\
---
title: Valid
date: 2025-01-14
sources:
  alpha:
    title: Alpha
    publisher: Alpha News
    url: https://alpha.example/
    accessed: 2025-01-12
claims:
  - id: one
    text: Claim one.
    status: reported
    sources: [alpha]
---

Body [@one].
"""


def broken(old: str, new: str) -> str:
    assert old in VALID
    return VALID.replace(old, new)


CASES = {
    "yaml_that_does_not_parse": (
        broken("title: Valid", "title: [Valid"),
        [
            (
                "content/x.md:2: error: the front matter is not valid YAML: a list opened with [ is never "
                "closed with ]"
            )
        ],
    ),
    "missing_title": (
        broken("title: Valid\n", ""),
        ['content/x.md:2: error: missing required field "title"'],
    ),
    "missing_source_publisher": (
        broken("    publisher: Alpha News\n", ""),
        ['content/x.md:5: error: source "alpha": missing required field "publisher"'],
    ),
    "wrong_type": (
        broken("title: Valid", "title: [a, b]"),
        ["content/x.md:2: error: title: expected text; got a list"],
    ),
    "unknown_status": (
        broken("status: reported", "status: maybe"),
        [
            (
                'content/x.md:13: error: claim "one": status: expected one of confirmed, reported, claimed, '
                'estimate, disputed, unverified, false; got "maybe"'
            )
        ],
    ),
    "date_that_is_not_a_date": (
        broken("date: 2025-01-14", "date: last Tuesday"),
        ['content/x.md:3: error: date: expected an ISO 8601 date such as 2025-01-14; got "last Tuesday"'],
    ),
    "impossible_date": (
        broken("accessed: 2025-01-12", "accessed: 2025-02-30"),
        [
            (
                'content/x.md:9: error: source "alpha": accessed: "2025-02-30" is not a valid date '
                "(day is out of range for month)"
            )
        ],
    ),
    "url_that_is_not_http": (
        broken("url: https://alpha.example/", "url: javascript:alert(1)"),
        [
            (
                'content/x.md:8: error: source "alpha": url: expected an http:// or https:// address; '
                'got "javascript:alert(1)"'
            )
        ],
    ),
    "duplicate_yaml_key": (
        broken("date: 2025-01-14\n", "date: 2025-01-14\ndate: 2025-01-15\n"),
        ['content/x.md:4: error: duplicate key "date" (first given on line 3)'],
    ),
    "duplicate_claim_id": (
        broken(
            "---\n\nBody",
            "  - id: one\n    text: Again.\n    status: reported\n    sources: [alpha]\n---\n\nBody",
        ),
        ['content/x.md:15: error: claim "one": duplicate claim id (first used on line 11)'],
    ),
    "claim_id_equal_to_a_source_key": (
        broken("- id: one", "- id: alpha").replace("[@one]", "[@alpha]"),
        ['content/x.md:11: error: claim "alpha": a claim id may not equal a source key'],
    ),
    "claim_with_no_sources": (
        broken("    sources: [alpha]\n", ""),
        [
            'content/x.md:11: error: claim "one": a "reported" claim needs at least one source',
            'content/x.md:5: warning: source "alpha" is not cited by any claim or in the body',
        ],
    ),
    "claim_with_unknown_source": (
        broken("sources: [alpha]", "sources: [alfa]"),
        [
            'content/x.md:14: error: claim "one" cites unknown source "alfa" (did you mean "alpha"?)',
            'content/x.md:5: warning: source "alpha" is not cited by any claim or in the body',
        ],
    ),
    "citation_with_unknown_key": (
        broken("Body [@one].", "Body [@one].\n\nMore [@ones]."),
        ['content/x.md:19: error: citation names unknown key "ones" (did you mean "one"?)'],
    ),
    "unknown_field_with_a_hint": (
        broken("    status: reported", "    status: reported\n    note_: typo"),
        [
            (
                'content/x.md:14: error: claim "one": note_: unknown field (did you mean "note"?); '
                "expected one of as_of, by, id, note, review_by, sources, status, text"
            )
        ],
    ),
    "source_nothing_reaches": (
        broken(
            "claims:",
            "  unused:\n    title: U\n    publisher: P\n    url: https://u.example/\n"
            "    accessed: 2025-01-12\nclaims:",
        ),
        ['content/x.md:10: warning: source "unused" is not cited by any claim or in the body'],
    ),
    "source_with_no_address": (
        broken("    url: https://alpha.example/\n    accessed: 2025-01-12\n", ""),
        ['content/x.md:5: warning: source "alpha" has neither url nor archive_url: readers cannot check it'],
    ),
    "url_without_accessed_date": (
        broken("    accessed: 2025-01-12\n", ""),
        ['content/x.md:5: warning: source "alpha" has a url but no accessed date'],
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_each_problem_is_reported_at_its_line(site, name):
    text, expected = CASES[name]
    site.write("x.md", text)
    run = site.check()
    assert sorted(run.problems) == sorted(expected)
    assert run.code == (1 if any(": error: " in line for line in expected) else 0)


def test_the_valid_explainer_has_no_problem(site):
    site.write("x.md", VALID)
    run = site.check()
    assert run.problems == []
    assert run.code == 0


def test_every_problem_is_reported_in_one_run(site):
    text = (
        VALID.replace("status: reported", "status: maybe")
        .replace("url: https://alpha.example/", "url: ftp://alpha.example/")
        .replace("Body [@one].", "Body [@one] [@nope].")
    )
    site.write("a.md", text)
    site.write("b.md", VALID.replace("date: 2025-01-14", "date: soon"))
    run = site.check()
    assert [line.split(": error: ")[0] for line in run.problems] == [
        "content/a.md:8",
        "content/a.md:13",
        "content/a.md:17",
        "content/b.md:3",
    ]
    assert run.code == 1


def test_warnings_fail_only_in_strict_mode(site):
    site.write("x.md", VALID.replace("    accessed: 2025-01-12\n", ""))
    assert site.check().code == 0
    strict = site.check("--strict")
    assert strict.code == 1
    assert strict.problems == ['content/x.md:5: warning: source "alpha" has a url but no accessed date']


def test_crlf_and_byte_order_mark_keep_line_numbers(site):
    text = "\ufeff" + VALID.replace("status: reported", "status: maybe").replace("\n", "\r\n")
    (site.content).mkdir(parents=True)
    (site.content / "x.md").write_bytes(text.encode("utf-8"))
    assert site.check().problems[0].startswith('content/x.md:13: error: claim "one": status:')


def test_front_matter_never_closed(site):
    site.write("x.md", "---\ntitle: Open\ndate: 2025-01-14\n\nBody.\n")
    assert site.check().problems == [
        "content/x.md:1: error: the front matter opened here with --- is never closed by a --- line"
    ]


def test_file_that_is_not_utf8(site):
    site.content.mkdir(parents=True)
    (site.content / "x.md").write_bytes(VALID.replace("Valid", "Caf\xe9").encode("latin-1"))
    problems = site.check().problems
    assert len(problems) == 1
    assert problems[0].startswith("content/x.md:2: error: the file is not UTF-8 text")


def test_yaml_tags_that_build_objects_are_refused(site):
    site.write("x.md", broken("title: Valid", "title: !!python/object/apply:os.system [echo hi]"))
    assert site.check().problems == [
        (
            "content/x.md:2: error: title: the YAML tag tag:yaml.org,2002:python/object/apply:os.system is "
            "not allowed here: use plain text, numbers, dates, lists and mappings"
        )
    ]


SITE_SOURCE = """\
shared:
  title: Shared
  publisher: Shared Agency
  url: https://shared.example/
  accessed: 2025-01-12
"""


def test_key_declared_in_the_explainer_and_the_library(site):
    site.write("sources/library.yml", SITE_SOURCE.replace("shared", "alpha", 1))
    site.write("x.md", VALID)
    assert site.check().problems == [
        (
            'content/x.md:5: error: source "alpha" is also declared in the site\'s sources '
            "(content/sources/library.yml:1)"
        )
    ]


def test_key_declared_in_two_library_files(site):
    site.write("sources/a.yml", SITE_SOURCE)
    site.write("sources/b.yaml", "# the same key again\n" + SITE_SOURCE)
    site.write("x.md", VALID.replace("Body [@one].", "Body [@one] [@shared]."))
    assert site.check().problems == [
        'content/sources/b.yaml:2: error: source "shared" is already declared at content/sources/a.yml:1'
    ]


def test_library_source_nothing_reaches(site):
    site.write("sources/a.yml", SITE_SOURCE)
    site.write("x.md", VALID)
    assert site.check().problems == [
        'content/sources/a.yml:1: warning: site-wide source "shared" is not cited by any explainer'
    ]


def test_invalid_library_entry_is_located(site):
    site.write("sources/a.yml", SITE_SOURCE + "broken:\n  title: No publisher\n  url: mailto:x@y.z\n")
    site.write("x.md", VALID.replace("Body [@one].", "Body [@one] [@shared]."))
    assert sorted(site.check().problems) == [
        'content/sources/a.yml:6: error: source "broken": missing required field "publisher"',
        (
            'content/sources/a.yml:8: error: source "broken": url: expected an http:// or https:// address; '
            'got "mailto:x@y.z"'
        ),
    ]


CONFIRMED_BY_ONE = VALID.replace("status: reported", "status: confirmed")


def test_a_confirmed_claim_needs_two_independent_publishers(site):
    site.write("x.md", CONFIRMED_BY_ONE)
    assert site.check().problems == [
        (
            'content/x.md:13: warning: claim "one" is "confirmed" but rests on 1 independent publisher; '
            "2 are asked for"
        )
    ]
    same_outlet = CONFIRMED_BY_ONE.replace(
        "claims:",
        "  alpha2:\n    title: Alpha again\n    publisher: ALPHA news\n"
        "    url: https://alpha.example/2\n    accessed: 2025-01-12\nclaims:",
    )
    site.write("x.md", same_outlet.replace("sources: [alpha]", "sources: [alpha, alpha2]"))
    assert "rests on 1 independent publisher" in site.check().problems[0]
    two = same_outlet.replace("publisher: ALPHA news", "publisher: Beta Wire").replace(
        "sources: [alpha]", "sources: [alpha, alpha2]"
    )
    site.write("x.md", two)
    assert site.check().problems == []


def test_the_corroboration_rule_is_a_setting(site):
    site.write("x.md", CONFIRMED_BY_ONE)
    assert site.check("-e", 'EXPLAINERS={"CORROBORATION": {"confirmed": 1}}').problems == []


def test_as_of_may_be_a_month(site):
    site.write("x.md", VALID.replace("    sources: [alpha]\n", "    sources: [alpha]\n    as_of: 2025-01\n"))
    assert site.build().problems == []
    stamp = site.page("valid.html").select_one("#claim-one time")
    assert (stamp["datetime"], stamp.get_text()) == ("2025-01", "January 2025")


def test_a_passed_review_date_is_a_warning(site):
    site.write(
        "x.md",
        VALID.replace(
            "    sources: [alpha]\n",
            "    sources: [alpha]\n    as_of: 2025-01-10\n    review_by: 2025-06-01\n",
        ),
    )
    assert site.check("-e", 'EXPLAINERS={"TODAY": "2025-05-31"}').problems == []
    assert site.check("-e", 'EXPLAINERS={"TODAY": "2025-06-02"}').problems == [
        'content/x.md:16: warning: claim "one" was due for review on 2025-06-01'
    ]
    assert site.build("-e", 'EXPLAINERS={"TODAY": "2025-06-02"}').problems == [
        'content/x.md:16: warning: claim "one" was due for review on 2025-06-01'
    ]
    page = site.page("valid.html")
    assert page.select_one("#claim-one time")["datetime"] == "2025-01-10"
    assert "As of" in page.select_one("#claim-one").get_text()


# --- file names that would forge a problem line ------------------------------------------

# A problem line is PATH:LINE: severity: message, and PATH ends at the first colon: in it,
# "%", ":" and every character that could end or disguise the line are written %XX.
PROBLEM_LINE = re.compile(r"^([^:]*):(\d+): (error|warning): (.*)$")

# The file's name: the PATH its problems are reported under.
FILE_NAMES = {
    "new\nline.md": "content/new%0Aline.md",
    "carriage\rreturn.md": "content/carriage%0Dreturn.md",
    "escape\x1b[2Kbell\x07.md": "content/escape%1B[2Kbell%07.md",
    "x.md:99: error: forged.md": "content/x.md%3A99%3A error%3A forged.md",
    # A name with a slash makes a folder: the folder is what is refused, with all it holds.
    "x\ncontent/y.md:1: error: forged\n.md": "content/x%0Acontent",
    "100%25.md": "content/100%2525.md",
    "bidi\u202edm.x.md": "content/bidi%E2%80%AEdm.x.md",
    "line\u2028separator.md": "content/line%E2%80%A8separator.md",
    os.fsdecode(b"latin-1 caf\xe9.md"): "content/latin-1 caf%E9.md",  # not UTF-8: the byte itself
    "café, naïve.md": "content/café, naïve.md",  # an ordinary name is left as it is
}
STATUS_PROBLEM = (
    'error: claim "one": status: expected one of confirmed, reported, claimed, estimate, disputed, '
    'unverified, false; got "maybe"'
)


def file_named_in(folder: Path, name: str, text: str) -> None:
    path = folder / name  # a "/" in the name makes a folder, as it would for a writer
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode())


def file_named(site, name: str, text: str) -> None:
    file_named_in(site.content, name, text)


# The content folder's door refuses every name above but the last (its allow-list of file
# names); the refusal is itself a problem line, and must not be forgeable either.
ACCEPTED = "café, naïve.md"
# The refusal names the characters at fault; one that cannot be shown, by its number.
REFUSED_CHARACTERS = {
    "new\nline.md": "U+000A",
    "carriage\rreturn.md": "U+000D",
    "escape\x1b[2Kbell\x07.md": "U+001B, '[', U+0007",
    "x.md:99: error: forged.md": "':'",
    "x\ncontent/y.md:1: error: forged\n.md": "U+000A",
    "100%25.md": "'%'",
    "bidi\u202edm.x.md": "U+202E",
    "line\u2028separator.md": "U+2028",
    os.fsdecode(b"latin-1 caf\xe9.md"): "U+DCE9",
}


def name_problem(characters: str) -> str:
    return (
        f"error: this file name holds characters the site does not accept ({characters}); "
        "rename it with letters, digits, spaces and . , - _ + ( )"
    )


def problem_lines(stderr: str) -> list[str]:
    """The lines a tool parses: not the file's line and caret shown, indented, under an error."""
    return [line for line in stderr.splitlines() if not line.startswith(" ")]


def test_a_file_name_cannot_forge_a_problem_line(site):
    for name in FILE_NAMES:
        file_named(site, name, broken("status: reported", "status: maybe"))
    lines = problem_lines(site.check().stderr)
    assert sorted(lines[:-1]) == sorted(
        f"{shown}:13: {STATUS_PROBLEM}"
        if name == ACCEPTED
        else f"{shown}:1: {name_problem(REFUSED_CHARACTERS[name])}"
        for name, shown in FILE_NAMES.items()
    )
    assert lines[-1] == "Checked 1 explainer and 0 site-wide sources: 10 errors, 0 warnings"


def test_each_problem_line_parses_back_to_its_own_file(site):
    for name in FILE_NAMES:
        file_named(site, name, broken("status: reported", "status: maybe"))
    lines = problem_lines(site.check().stderr)[:-1]
    parsed = [PROBLEM_LINE.match(line).groups() for line in lines]
    files = {unquote(path, errors="surrogateescape") for path, _, _, _ in parsed}
    assert files == {f"content/{name.split('/')[0]}" for name in FILE_NAMES}
    assert {(line, severity) for _, line, severity, _ in parsed} == {("1", "error"), ("13", "error")}


def test_problems_as_json_name_files_as_the_lines_do(site):
    for name in FILE_NAMES:
        file_named(site, name, broken("status: reported", "status: maybe"))
    problems = json.loads(site.check("--format", "json").stdout)
    assert sorted(problem["path"] for problem in problems) == sorted(FILE_NAMES.values())


def test_a_message_cannot_carry_a_control_character(site):
    value = '"maybe\\x1b[2K\\rcontent/y.md:1: error: forged\\u202e"'  # YAML's escapes
    site.write("x.md", broken("status: reported", f"status: {value}"))
    assert site.check().problems == [
        (
            'content/x.md:13: error: claim "one": status: expected one of confirmed, reported, claimed, '
            'estimate, disputed, unverified, false; got "maybe\\x1b[2K content/y.md:1: error: forged\\u202e"'
        ),
        # The value itself may not stand on any page or in the feed.
        (
            "content/x.md:13: error: the text holds the control character U+001B, which no page or feed can "
            "carry: remove it"
        ),
    ]


def test_a_build_keeps_a_file_name_on_one_line(writer):
    """The door refuses the name before Pelican logs it in its own words (cli.py's logging
    filter escapes what Pelican would say); either way nothing starts a forged line."""
    file_named_in(writer / "content", "x\nforged.md:1: error: forged\n.md", "No title here.\n")
    result = make("html", "INPUTDIR=content", "OUTPUTDIR=out", cwd=writer, COLUMNS="500")
    assert result.returncode != 0
    lines = (result.stdout + result.stderr).splitlines()
    refused = name_problem("U+000A, ':'")
    assert f"content/x%0Aforged.md%3A1%3A error%3A forged%0A.md:1: {refused}" in lines
    assert not [line for line in lines if line.lstrip().startswith("forged")]


def test_make_check_as_json_names_a_file_that_is_not_utf8(writer):
    file_named_in(writer / "content", os.fsdecode(b"caf\xe9.md"), broken("status: reported", "status: maybe"))
    result = make("check", "INPUTDIR=content", "FORMAT=json", cwd=writer)
    assert "1 error" in result.stderr
    assert [problem["path"] for problem in json.loads(result.stdout)] == ["content/caf%E9.md"]


def test_a_note_is_shown_but_never_counted_nor_failing():
    # A note explains another file's problem (a translation whose original cannot be read).
    log = ProblemLog()
    log.note("content/x-fr.md", 2, "the original may be content/x.md: fix it first", "translation-alone")
    shown, github = io.StringIO(), io.StringIO()
    log.report(shown)
    log.report_github(github)
    assert shown.getvalue() == "content/x-fr.md:2: note: the original may be content/x.md: fix it first\n"
    assert github.getvalue().startswith("::notice file=content/x-fr.md,line=2,")
    assert (log.summary(), log.fails(strict=True)) == ("0 errors, 0 warnings", False)
