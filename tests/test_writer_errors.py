"""What a writer sees when something is wrong: YAML mistakes in plain words at the line they
broke, the line shown with a caret, "did you mean", GitHub annotations, one file at a time,
a draft that does not hold back a publish, and the checks the writers' guide asks for."""

from __future__ import annotations

import json
import re

import pytest

from explainers.document import frontmatter, peek
from sitebuild import EXPLAINER, ROOT, SEED_CONTENT
from test_makefile import make

# A writer's explainer, as the first-day review wrote one (line numbers matter below).
RIVERTON = """\
---
title: "Riverton council's 2026 budget vote"
date: 2026-11-20
summary: What passed, and what did not.
authors: [City desk]
category: Local
tags: [Riverton, budget]
status: published

sources:
  council-minutes-2026-11-18:
    title: Minutes of the council meeting of 18 November 2026
    publisher: Riverton City Council
    url: https://riverton.example.org/minutes/2026-11-18
    published: 2026-11-18
    accessed: 2026-11-19
    type: official
  gazette-2026-11-19:
    title: Council passes budget 5-4
    publisher: Riverton Gazette
    url: https://gazette.example.org/budget
    published: 2026-11-19
    accessed: 2026-11-19
    type: news

claims:
  - id: vote-5-4
    text: The council passed the budget by five votes to four.
    status: confirmed
    sources:
      - council-minutes-2026-11-18
      - gazette-2026-11-19
  - id: tax-rise
    text: Property tax rises by 2 percent.
    by: The city's finance office
    status: estimate
    sources:
      - source: council-minutes-2026-11-18
        locator: p. 3
---

The vote [@vote-5-4] and the rise [@tax-rise].
"""


def with_line(number: int, text: str, source: str = RIVERTON) -> str:
    lines = source.split("\n")
    lines[number - 1] = text
    return "\n".join(lines)


def test_the_writers_explainer_is_valid_as_it_stands(site):
    site.write("riverton.md", RIVERTON)
    assert site.check().problems == []


# The review's YAML mistakes: (line broken, the line as the writer broke it) -> the line
# reported and what it says. Before this, libyaml's words at another line, e.g. for the
# first: ":11: … while parsing a block mapping: did not find expected key".
NOT_YAML = "content/riverton.md:{}: error: the front matter is not valid YAML: "
YAML_MISTAKES = {
    "a field indented 3 spaces instead of 4": (
        (14, "   url: https://riverton.example.org/minutes/2026-11-18"),
        (14, "this line is indented 3 spaces, the fields beside it 4: line it up with them"),
    ),
    "a field dedented to the level of the source keys": (
        (14, "  url: https://riverton.example.org/minutes/2026-11-18"),
        (14, "this line is indented 2 spaces, the fields beside it 4: line it up with them"),
    ),
    "a claim field over-indented": (
        (29, "      status: confirmed"),
        (29, "this line is indented 6 spaces, the fields beside it 4: line it up with them"),
    ),
    "a field 3 spaces deep in the claims list, 31 lines below the list": (
        (36, "   status: estimate"),
        (36, "this line is indented 3 spaces, the fields beside it 4: line it up with them"),
    ),
    "a claim field at the level of the list's dashes": (
        (35, "  by: The city's finance office"),
        (35, "this line is indented 2 spaces, the fields beside it 4: line it up with them"),
    ),
    # A block's first field out of line: libyaml takes it as the block's indentation, so
    # before this the error fell on the next, correct line (":13: … indented 4 spaces, the
    # fields beside it 3").
    "a block's first field indented 3 spaces instead of 4": (
        (12, "   title: Minutes of the council meeting of 18 November 2026"),
        (12, "this line is indented 3 spaces, the fields below it 4: line it up with them"),
    ),
    "a block's first field indented 5 spaces instead of 4": (
        (12, "     title: Minutes of the council meeting of 18 November 2026"),
        (12, "this line is indented 5 spaces, the fields below it 4: line it up with them"),
    ),
    "a block's middle field indented 3 spaces instead of 4": (
        (15, "   published: 2026-11-18"),
        (15, "this line is indented 3 spaces, the fields beside it 4: line it up with them"),
    ),
    "a block's last field indented 5 spaces instead of 4": (
        (17, "     type: official"),
        (17, "this line is indented 5 spaces, the fields beside it 4: line it up with them"),
    ),
    "the first claim indented 3 spaces instead of 2": (
        (26, "   - id: vote-5-4"),
        (26, "this line is indented 3 spaces, the fields beside it 4: line it up with them"),
    ),
    "a tab indenting a field": (
        (14, "\turl: https://riverton.example.org/minutes/2026-11-18"),
        (
            14,
            (
                "this line is indented with a tab: YAML takes spaces only (indent it with 4 spaces, "
                "as the fields beside it are)"
            ),
        ),
    ),
    "a field with no colon": (
        (13, "    publisher Riverton City Council"),
        (13, "this line has no ':' after its field name: write a field as `name: value`"),
    ),
    "text holding ': ' without quotes": (
        (34, "    text: Police overtime: cut by a third."),
        (34, "text containing ': ' needs quotes: write it as text: \"Police overtime: cut by a third.\""),
    ),
    "an unclosed quote": (
        (2, 'title: "Riverton council'),
        (2, "a quote opened here is never closed"),
    ),
    "an unclosed bracket": (
        (7, "tags: [Riverton, budget"),
        (7, "a list opened with [ is never closed with ]"),
    ),
}


@pytest.mark.parametrize("name", YAML_MISTAKES)
def test_a_yaml_mistake_is_reported_in_plain_words_at_the_line_the_writer_broke(site, name):
    (broken_line, text), (line, message) = YAML_MISTAKES[name]
    site.write("riverton.md", with_line(broken_line, text))
    assert site.check().problems == [NOT_YAML.format(line) + message]


def test_an_anchored_block_is_read_as_a_block_before_the_mistake(site):
    text = RIVERTON.replace("sources:\n  council", "sources: &all\n  council").replace(
        "    type: news\n", "     type: news\n"
    )
    site.write("riverton.md", text)
    assert site.check().problems == [
        NOT_YAML.format(24) + "this line is indented 5 spaces, the fields beside it 4: line it up with them"
    ]


def every_line_misindented(text: str):
    """Each field line that has a sibling just above it, indented otherwise (one space more
    or less, two, three, or a tab): the line a writer broke, and the text."""
    lines = text.split("\n")
    end = lines.index("---", 1)
    for index in range(2, end):
        line, above = lines[index], lines[index - 1]
        indent = len(line) - len(line.lstrip(" "))
        if not re.match(r"^\s*(- )?[\w-]+:", line) or not re.match(r"^\s*[\w-]+:", above):
            continue
        if len(above) - len(above.lstrip(" ")) != indent:
            continue  # the first field of a block sets the indentation of the others
        for new in (indent + 1, indent - 1, indent + 2, indent - 2, indent + 3, "tab"):
            if new == "tab":
                yield index + 1, "\n".join([*lines[:index], "\t" + line.lstrip(" "), *lines[index + 1 :]])
            elif new >= 0:
                yield (
                    index + 1,
                    "\n".join([*lines[:index], " " * new + line.lstrip(" "), *lines[index + 1 :]]),
                )


def yaml_reports(mutations) -> tuple[int, int]:
    """Of (line broken, text) mutations: how many the front matter reader reports as YAML
    syntax errors, and how many of those at another line than the one broken."""
    reported = wrong = 0
    for line, text in mutations:
        _, findings = frontmatter.load(frontmatter.split(text))
        syntax = [finding for finding in findings if finding.code == "yaml-syntax"]
        if syntax:
            reported += 1
            wrong += syntax[0].line != line
    return reported, wrong


@pytest.mark.parametrize(
    "source", [RIVERTON, EXPLAINER, (SEED_CONTENT / "north-korean-soldiers-kursk.md").read_text()]
)
def test_every_misindented_field_that_breaks_the_yaml_is_reported_at_its_own_line(source):
    reported, wrong = yaml_reports(every_line_misindented(source))
    assert reported > 50  # the mutations do break the YAML
    assert wrong == 0


def every_first_field_misindented(text: str):
    """Each first field of a block (the line below a `key:` that opens it, with a sibling
    below it lined up the same), one space more or less: the line broken, and the text."""
    lines = text.split("\n")
    end = lines.index("---", 1)
    for index in range(2, end - 1):
        line, above, below = lines[index], lines[index - 1], lines[index + 1]
        indent = len(line) - len(line.lstrip(" "))
        if not re.match(r"^\s*[\w-]+:$", above) or not re.match(r"^\s*(- )?[\w-]+:", line):
            continue
        inner = indent + 2 if line.lstrip().startswith("- ") else indent
        if len(below) - len(below.lstrip(" ")) != inner or not re.match(r"^\s*[\w-]+:", below):
            continue  # a block of one field, or one that opens another: nothing to line it up with
        for new in (indent + 1, indent - 1):
            yield index + 1, "\n".join([*lines[:index], " " * new + line.lstrip(" "), *lines[index + 1 :]])


@pytest.mark.parametrize(
    "source", [RIVERTON, EXPLAINER, (SEED_CONTENT / "north-korean-soldiers-kursk.md").read_text()]
)
def test_a_misindented_first_field_is_reported_at_its_own_line_not_the_next(source):
    reported, wrong = yaml_reports(every_first_field_misindented(source))
    assert reported > 5  # the mutations do break the YAML
    assert wrong == 0


def test_an_error_shows_its_line_with_a_caret_under_the_column_in_make_check(writer):
    (writer / "content" / "riverton.md").write_text(with_line(36, "   status: estimate"), encoding="utf-8")
    result = make("check", "INPUTDIR=content", cwd=writer)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    first = lines.index(
        NOT_YAML.format(36) + "this line is indented 3 spaces, the fields beside it 4: line it up with them"
    )
    assert lines[first + 1 : first + 3] == [
        "  36 |    status: estimate",
        "     |    ^",
    ]


def test_a_body_problem_carries_its_column_and_caret(site):
    site.write("riverton.md", RIVERTON.replace("The vote [@vote-5-4]", "The vote [@vote-5-5]"))
    run = site.check()
    assert run.problems == [
        'content/riverton.md:42: error: citation names unknown key "vote-5-5" (did you mean "vote-5-4"?)'
    ]
    assert "  42 | The vote [@vote-5-5] and the rise [@tax-rise].\n     |           ^" in run.stderr
    [found] = json.loads(site.check("--format=json").stdout)
    assert (found["line"], found["column"]) == (42, 11)


def test_an_excerpt_that_could_pass_for_a_problem_line_is_left_out(site):
    site.write("riverton.md", with_line(29, '    status: "x.md:1: error: forged"'))
    run = site.check()
    assert len(run.problems) == 1
    assert [line for line in run.stderr.splitlines() if line.startswith(" ")] == []


@pytest.mark.parametrize(
    ("typed", "suggested"), [("estimated", "estimate"), ("Confirmed", "confirmed"), ("disputd", "disputed")]
)
def test_a_status_typo_gets_did_you_mean(site, typed, suggested):
    site.write("riverton.md", with_line(29, f"    status: {typed}"))
    [problem] = site.check().problems
    assert problem.endswith(f'got "{typed}" (did you mean "{suggested}"?)')


PAGE_STATUS = 'status: expected one of published, draft or hidden; got "publishd" (did you mean "published"?)'
SOURCE_TYPE = (
    'source "council-minutes-2026-11-18": type: expected one of news, official, intelligence, report, '
    'dataset, video, social, interview or other; got "oficial" (did you mean "official"?)'
)


@pytest.mark.parametrize(
    ("line", "typed", "expected"),
    [(8, "status: publishd", PAGE_STATUS), (17, "    type: oficial", SOURCE_TYPE)],
)
def test_a_typo_in_any_field_with_a_fixed_list_of_values_gets_did_you_mean(site, line, typed, expected):
    site.write("riverton.md", with_line(line, typed))
    assert f"content/riverton.md:{line}: error: {expected}" in site.check().problems


# The writers' guide asks more than the contract requires: these are warnings.
GUIDE_WARNINGS = {
    "an estimate that does not say whose": (
        RIVERTON.replace("    by: The city's finance office\n", ""),
        (
            'content/riverton.md:35: warning: claim "tax-rise" is an estimate but does not say whose: '
            "add by: (who made the estimate)"
        ),
    ),
    "a claim of two sentences": (
        with_line(28, "    text: The council passed the budget. The mayor signed it the same night."),
        (
            'content/riverton.md:28: warning: claim "vote-5-4": text: 2 sentences; a claim is one sentence '
            "(put the rest in note:)"
        ),
    ),
    "a correction dated before the explainer": (
        RIVERTON.replace(
            "---\n\nThe vote", "corrections:\n  - date: 2026-11-02\n    text: A fix.\n---\n\nThe vote"
        ),
        (
            "content/riverton.md:41: warning: corrections[1]: date: 2026-11-02 is before the explainer's "
            "date (2026-11-20): is one of them mistyped?"
        ),
    ),
}


@pytest.mark.parametrize("name", GUIDE_WARNINGS)
def test_what_the_guide_asks_of_claims_and_corrections_is_a_warning(site, name):
    text, warning = GUIDE_WARNINGS[name]
    site.write("riverton.md", text)
    run = site.check()
    assert run.problems == [warning]
    assert run.code == 0


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. Army says 300 were killed.",
        "Dr. Kim told lawmakers about 3,000 were hurt.",
        "About 3,000 soldiers (p. 4 of the report) were hurt.",
        "The mayor said: “We passed it.”",
    ],
)
def test_one_sentence_with_abbreviations_is_one_sentence(site, text):
    site.write("riverton.md", with_line(28, f'    text: "{text}"'))
    assert site.check().problems == []


def test_strict_mode_says_that_strictness_made_it_fail(writer):
    result = make("check", "INPUTDIR=content", "STRICT=1", cwd=writer)
    assert result.returncode == 0  # the writer's fixture has no warning
    (writer / "content" / "test.md").write_text(
        EXPLAINER.replace("    accessed: 2025-01-12\n  beta:", "  beta:"), encoding="utf-8"
    )
    result = make("check", "INPUTDIR=content", "STRICT=1", cwd=writer)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-2].endswith(
        "0 errors, 1 warning (strict mode: warnings fail too; STRICT=0 turns it off)"
    )
    assert "strict mode" not in make("check", "INPUTDIR=content", cwd=writer).stderr


def test_format_github_prints_annotations_escaped_as_github_asks(writer):
    # A message with ',' and ':' in it, and a file name with a comma.
    (writer / "content" / "a, b.md").write_text(
        EXPLAINER.replace("status: confirmed", "status: Confirmed"), encoding="utf-8"
    )
    result = make("check", "INPUTDIR=content", "FORMAT=github", cwd=writer)
    assert result.returncode == 2
    assert result.stdout.splitlines() == [
        (
            '::error file=content/a%2C b.md,line=28,col=5,title=unknown-status::claim "first-claim": status: '
            "expected one of confirmed, reported, claimed, estimate, disputed, unverified, false; "
            'got "Confirmed" (did you mean "confirmed"?)'
        )
    ]


def test_make_check_file_checks_one_file_with_the_sites_sources_library(writer):
    content = writer / "content"
    (content / "sources").mkdir()
    (content / "sources" / "shared.yml").write_text(
        "shared:\n  title: A shared report\n  publisher: Shared News\n  url: https://shared.example/r\n",
        encoding="utf-8",
    )  # its missing accessed date is the library's warning, not riverton's
    (content / "riverton.md").write_text(
        RIVERTON.replace("[@tax-rise].", "[@tax-rise] and the report [@shared]."), encoding="utf-8"
    )
    (content / "other.md").write_text(
        EXPLAINER.replace("status: confirmed", "status: maybe"), encoding="utf-8"
    )
    result = make("check", "INPUTDIR=content", "FILE=content/riverton.md", cwd=writer)
    assert (result.returncode, result.stderr.splitlines()) == (
        0,
        ["Checked content/riverton.md: 0 errors, 0 warnings"],
    )
    result = make("check", "INPUTDIR=content", "FILE=content/other.md", cwd=writer)
    assert result.returncode == 2
    assert [line for line in result.stderr.splitlines() if not line.startswith((" ", "make: "))] == [
        (
            'content/other.md:28: error: claim "first-claim": status: expected one of confirmed, reported, '
            'claimed, estimate, disputed, unverified, false; got "maybe"'
        ),
        "Checked content/other.md: 1 error, 0 warnings",
    ]
    result = make("check", "INPUTDIR=content", "FILE=content/sources/shared.yml", cwd=writer)
    assert result.stderr.splitlines() == [
        'content/sources/shared.yml:1: warning: source "shared" has a url but no accessed date',
        "Checked content/sources/shared.yml: 0 errors, 1 warning",
    ]


def test_a_broken_sources_file_is_reported_first_and_named_by_the_errors_it_causes(writer):
    content = writer / "content"
    (content / "sources").mkdir()
    (content / "sources" / "shared.yml").write_text(
        "shared:\n"
        "  title: A shared report\n"
        "  publisher Shared News\n"  # the colon removed
        "  url: https://shared.example/r\n"
        "  accessed: 2025-01-12\n",
        encoding="utf-8",
    )
    (content / "riverton.md").write_text(
        RIVERTON.replace("[@tax-rise].", "[@tax-rise] and the report [@shared]."), encoding="utf-8"
    )
    unknown = next(i for i, line in enumerate(RIVERTON.splitlines(), 1) if "[@tax-rise]." in line)
    broken = "content/sources/shared.yml:3: error: "
    because = " (the sources file content/sources/shared.yml has errors: fix it first)"
    for args in (["FILE=content/riverton.md"], [], ["html", "OUTPUTDIR=out"]):
        target = args.pop(0) if args and args[0] == "html" else "check"
        result = make(target, "INPUTDIR=content", *args, cwd=writer)
        assert result.returncode != 0
        lines = [line for line in result.stderr.splitlines() if ": error: " in line and not line[0].isspace()]
        # The sources file's own error first, at its line; the explainer's, naming it.
        assert lines[0].startswith(broken), (args, lines)
        assert lines[1].startswith(f"content/riverton.md:{unknown}: error: citation names unknown key")
        assert lines[1].endswith(because)
        assert len(lines) == 2


def test_with_a_broken_sources_file_an_unknown_key_gets_no_did_you_mean(writer):
    # "shared" is the broken file's own key: "shares", from a sound file, is no better guess.
    content = writer / "content"
    (content / "sources").mkdir()
    (content / "sources" / "shared.yml").write_text(
        "shared:\n  title: A shared report\n  publisher Shared News\n", encoding="utf-8"
    )
    (content / "sources" / "good.yml").write_text(
        "shares:\n  title: Share prices\n  publisher: Market Desk\n", encoding="utf-8"
    )
    (content / "riverton.md").write_text(
        RIVERTON.replace("[@tax-rise].", "[@tax-rise] and the report [@shared] [@shares]."), encoding="utf-8"
    )
    unknown = next(i for i, line in enumerate(RIVERTON.splitlines(), 1) if "[@tax-rise]." in line)
    result = make("check", "INPUTDIR=content", cwd=writer)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if f"riverton.md:{unknown}: error:" in line]
    assert lines == [
        (
            f'content/riverton.md:{unknown}: error: citation names unknown key "shared" '
            "(the sources file content/sources/shared.yml has errors: fix it first)"
        )
    ]


@pytest.mark.parametrize("outside", ["README.md", "content/sources", "content/test.md/.."])
def test_make_check_file_refuses_a_path_that_is_not_a_file_of_the_content_folder(writer, outside):
    (writer / "README.md").write_text("# Not content\n", encoding="utf-8")
    (writer / "content" / "sources").mkdir()  # a folder, not a file
    result = make("check", "INPUTDIR=content", f"FILE={outside}", cwd=writer)
    assert result.returncode != 0
    assert result.stderr.splitlines()[0] == (
        f'error: FILE must be a Markdown file or a sources file inside content; got "{outside}"'
    )


@pytest.mark.parametrize("missing", ["content/nothere.md", "../elsewhere.md"])
def test_make_check_file_that_is_not_there_says_no_such_file(writer, missing):
    result = make("check", "INPUTDIR=content", f"FILE={missing}", cwd=writer)
    assert result.returncode != 0
    assert result.stderr.splitlines()[0] == f"error: FILE {missing}: no such file"


def test_a_broken_draft_is_reported_but_does_not_stop_publishing_the_others(writer):
    content = writer / "content"
    (content / "half-done.md").write_text(
        with_line(8, "status: draft", RIVERTON).replace("[@tax-rise]", "[@nothing-yet]"), encoding="utf-8"
    )
    draft_error = 'content/half-done.md:42: error: citation names unknown key "nothing-yet"'
    result = make("publish", "INPUTDIR=content", "OUTPUTDIR=out", "SITEURL=https://example.org", cwd=writer)
    assert result.returncode == 0, result.stderr
    assert any(line.startswith(draft_error) for line in result.stderr.splitlines())
    assert "Not published, so not counted: the problems of the draft content/half-done.md" in result.stderr
    # The last line counts what was published; the draft's problems, apart.
    last = result.stderr.splitlines()[-1]
    assert last.startswith("Published out in ")
    assert last.endswith("s; 0 errors, 0 warnings (drafts, not published: 1 error, 0 warnings)")
    assert (writer / "out" / "a-test-explainer.html").is_file()
    assert not any(
        "riverton" in path.name or "half-done" in path.name for path in (writer / "out").rglob("*")
    )
    # Previews show drafts, so there the draft's error still stops the build, as in make check.
    assert make("html", "INPUTDIR=content", "OUTPUTDIR=preview", cwd=writer).returncode == 2
    assert make("check", "INPUTDIR=content", cwd=writer).returncode == 2


def test_a_published_explainer_with_an_error_still_stops_publishing(writer):
    (writer / "content" / "riverton.md").write_text(
        RIVERTON.replace("[@tax-rise]", "[@nothing-yet]"), encoding="utf-8"
    )
    result = make("publish", "INPUTDIR=content", "OUTPUTDIR=out", "SITEURL=https://example.org", cwd=writer)
    assert result.returncode == 2
    assert "Not published" not in result.stderr


@pytest.mark.parametrize(
    ("data", "draft"),
    [
        (b"---\ntitle: T\nstatus: draft\n---\nbody\n", True),
        (b"\xef\xbb\xbf---\r\ntitle: T\r\nstatus: 'draft'  # not yet\r\n---\r\n", True),
        (b"---\ntitle: [broken\nstatus: draft\n---\n", True),  # known as a draft with its YAML broken
        (b"---\ntitle: T\n---\nstatus: draft\n", False),  # the body, not the front matter
        (b"---\ntitle: T\n  status: draft\n---\n", False),  # not the page's field
        (b"---\nstatus: drafts\n---\n", False),
        (b"Title: T\nStatus: draft\n\nbody\n", False),
    ],
)
def test_a_draft_is_known_by_its_front_matter(data, draft):
    assert peek.declares_draft(data) is draft


def test_make_help_lists_every_target():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY: ((?:.*\\\n)*.*)$", makefile, re.MULTILINE).group(1)
    targets = phony.replace("\\\n", " ").split()
    assert "s3_upload" in targets
    listed = make("help", cwd=ROOT).stdout
    assert [target for target in targets if f"make {target} " not in listed] == []


def test_the_new_explainer_template_keeps_nothing_of_the_seed_explainer(writer):
    assert make("new", "INPUTDIR=content", "TITLE=Budget vote", cwd=writer).returncode == 0
    text = (writer / "content" / "budget-vote.md").read_text(encoding="utf-8")
    for word in ("Conflicts", "Russia", "Ukraine", "Korea", "Kursk", "ja "):
        assert word not in text
    assert make("check", "INPUTDIR=content", "FILE=content/budget-vote.md", cwd=writer).returncode == 0


def test_the_code_tests_read_their_own_copy_of_the_seed_not_the_site_content():
    """A writer's commit to content/ must not fail the code's tests (`make test` checks the
    content separately, as its own step)."""
    uses = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("*.py")
        if re.search(r"copytree\(ROOT / \"content\"|ROOT / \"content\" /", path.read_text(encoding="utf-8"))
    ]
    assert uses == []
