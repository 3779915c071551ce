"""A hostile contributor against three boundaries: which files a run reads the head of (a
translation is published with its original, never before it: `document/peek.py`, `run.py`),
the front matter's JSON Schema for editors against what the build takes
(`tools/schema.py`), and the processes a build forks (`processes.py`, `plugin/jobs.py`)."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal

import jsonschema
import pytest
import yaml

from explainers import pool
from explainers import run as runs
from explainers.document import frontmatter, peek
from explainers.plugin import jobs, writer
from explainers.settings import from_pelican
from explainers.tools.schema import front_matter_schema
from sitebuild import EXPLAINER
from test_translations import DRAFT_ORIGINAL, FRENCH
from test_workers import corpus, tree, whole_builds, workers  # noqa: F401 (a fixture)

# As `make publish` builds: no draft is written.
PUBLISHING = ("-e", 'DRAFT_SAVE_AS=""', "-e", 'DRAFT_LANG_SAVE_AS=""')

# --- A translation Pelican makes without the word -------------------------------------------

# The same slug in another language, without `translation: true`: Pelican takes it for a
# translation of the page in the site's language (its `get_original_items`), without a word.
UNMARKED_FRENCH = FRENCH.replace("translation: true\n", "")
UNMARKED = (
    'content/test-fr.md:2: error: this page has the slug "a-test-explainer" of content/test.md, in '
    'another lang ("fr"), and neither says translation: true: write it in the one that translates the '
    "other, or give this a slug of its own"
)


@pytest.mark.parametrize("original", [EXPLAINER, DRAFT_ORIGINAL], ids=["published", "draft"])
def test_a_page_with_an_originals_slug_in_another_language_must_say_it_is_a_translation(site, original):
    # Before, both built with "0 errors, 0 warnings": with the English published, the French
    # page was its translation (hreflang both ways); with the English a draft, `make publish`
    # published the French alone (its page, the index, the sitemap), no note, as the run knows
    # a translation by the word `translation` and the file did not hold it.
    site.write("test.md", original)
    site.write("test-fr.md", UNMARKED_FRENCH)
    check, build = site.check(), site.build(*PUBLISHING)
    assert (check.code, check.problems) == (1, [UNMARKED])
    assert (build.code, build.problems) == (1, [UNMARKED])
    assert not site.output.exists()  # nothing written: no French page alone


@pytest.mark.parametrize("original", [EXPLAINER, DRAFT_ORIGINAL], ids=["published", "draft"])
def test_the_sites_language_in_capitals_is_another_lang_to_pelican(site, original):
    # `EN` is not `en` to Pelican (`in_default_lang`): it took the page for a translation of
    # the English one, written apart (a-test-explainer-EN.html), and published it alone
    # while the English was a draft.
    site.write("test.md", original)
    site.write("test-fr.md", UNMARKED_FRENCH.replace("lang: fr", "lang: EN"))
    run = site.build(*PUBLISHING)
    assert (run.code, run.problems) == (1, [UNMARKED.replace('"fr"', '"EN"')])
    assert not site.output.exists()


def test_two_unmarked_pages_with_one_slug_in_other_languages_than_the_sites_are_both_told(site):
    site.write("test-de.md", UNMARKED_FRENCH.replace("lang: fr", "lang: de"))
    site.write("test-fr.md", UNMARKED_FRENCH)
    assert [p.split(": error: ")[0] for p in site.check().problems] == [
        "content/test-de.md:2",
        "content/test-fr.md:2",
    ]


def test_a_marked_translation_of_a_draft_is_still_held_back_and_not_told_it_is_unmarked(site):
    site.write("test.md", DRAFT_ORIGINAL)
    site.write("test-fr.md", FRENCH)
    run = site.build(*PUBLISHING)
    assert (run.code, run.problems) == (0, [])
    assert not (site.output / "a-test-explainer-fr.html").exists()


# --- A `status: draft` line is not always the status ----------------------------------------

# The line `status: draft` inside a quoted summary: YAML reads the summary's text, and the
# explainer is published. A claim's error in it.
PUBLISHED_SAYING_DRAFT = EXPLAINER.replace(
    "summary: What the test is about.", 'summary: "What\nstatus: draft\nthe test is about."'
).replace("status: confirmed", "status: maybe")


def test_a_status_draft_line_inside_a_quoted_summary_does_not_make_the_explainer_a_draft(site):
    # Before, `make publish` passed ("drafts, not published: 1 error") and the explainer,
    # published as YAML reads it, was left out of the site without a word: its errors were
    # taken for a draft's, which the byte pattern `peek.declares_draft` saw.
    site.write("test.md", PUBLISHED_SAYING_DRAFT)
    assert yaml.safe_load(PUBLISHED_SAYING_DRAFT.split("---\n")[1]).get("status") is None
    error = (
        'content/test.md:30: error: claim "first-claim": status: expected one of confirmed, reported, '
        'claimed, estimate, disputed, unverified, false; got "maybe"'
    )
    for run in (site.check(*PUBLISHING), site.build(*PUBLISHING)):
        assert (run.code, run.problems) == (1, [error])
    assert not site.output.exists()


# A field given twice is an error, and the build reads its first place (the head, too).
TWICE = {
    "status, draft first": ("status: draft\nstatus: published", 0),
    "status, published first": ("status: published\nstatus: draft", 1),
    "slug of a draft, the translation's first": ("status: draft\nslug: a-test-explainer\nslug: another", 0),
}


@pytest.mark.parametrize("twice", TWICE)
def test_a_field_given_twice_is_read_at_its_first_place_for_drafts_and_translations(site, twice):
    # Before, the byte pattern read a status's first place (`peek.declares_draft`: a draft's
    # errors do not count at publish), the head's YAML its last (no draft: no translation
    # held back): `make publish` passed, the original left out for its error, and its French
    # translation published alone; so did a draft whose first slug was the translation's.
    fields, code = TWICE[twice]
    site.write("test.md", EXPLAINER.replace("summary:", f"{fields}\nsummary:"))
    site.write("test-fr.md", FRENCH)
    run = site.build(*PUBLISHING)
    duplicate = [p for p in run.problems if "duplicate key" in p]
    assert (run.code, len(duplicate), [p for p in run.problems if "test-fr.md" in p]) == (code, 1, [])
    if code == 0:
        assert "content/test-fr.md:5: note: held back as a draft" in run.stderr
        assert not (site.output / "a-test-explainer-fr.html").exists()
    else:
        assert not site.output.exists()


def test_a_draft_whose_front_matter_cannot_be_read_is_still_a_draft_at_publish(site):
    # Its YAML broken: the `status: draft` line is all there is to go on, as before.
    site.write("test.md", DRAFT_ORIGINAL.replace("title: A test explainer", "title: [broken"))
    site.write("other.md", EXPLAINER.replace("title: A test explainer", "title: Another"))
    run = site.build(*PUBLISHING)
    assert (run.code, run.problems[0].startswith("content/test.md:2: error:")) == (0, True)
    assert (site.output / "another.html").is_file()


# --- The run's shortcut against YAML's spellings (these held) --------------------------------

# Ways YAML lets a draft or a translation be written: each must be read as the build reads it.
SPELLINGS = {
    "complex key": ("status: published", "? status\n: draft"),
    "folded scalar": ("status: published", "status: >-\n  draft"),
    "tagged": ("status: published", "status: !!str draft"),
    "anchor and alias": ("status: published", "category: &s draft\nstatus: *s"),
    "quoted key": ("status: published", "'status': \"draft\""),
    "flow key": ("status: published", '"st\\x61tus": "\\x64r\\x61ft"'),
}


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_translation_of_a_draft_however_yaml_spells_it_is_held_back(site, spelling):
    published, draft = SPELLINGS[spelling]
    original = EXPLAINER.replace("summary:", f"{published}\nsummary:").replace(published, draft)
    assert yaml.safe_load(original.split("---\n")[1])["status"] == "draft"
    assert peek.address_fields(original.encode())["status"] == "draft"
    site.write("test.md", original)
    site.write("test-fr.md", FRENCH)
    run = site.build(*PUBLISHING)
    assert run.code == 0, run.stderr
    assert "held back as a draft" in run.stderr
    assert not (site.output / "a-test-explainer-fr.html").exists()
    assert "a-test-explainer" not in (site.output / "sitemap.xml").read_text(encoding="utf-8")


# --- The JSON Schema against the build, field by field ---------------------------------------


def schema_errors(text: str) -> list[str]:
    """What an editor with the schema says of this explainer's front matter."""
    data = json.loads(json.dumps(frontmatter.load(frontmatter.split(text))[0].data, default=str))
    validator = jsonschema.Draft202012Validator(front_matter_schema(from_pelican({})))
    return [error.message for error in validator.iter_errors(data)]


def with_field(line: str) -> str:
    return EXPLAINER.replace("authors: [Test desk]\n", f"authors: [Test desk]\n{line}\n")


# Front matter the build takes: before, an editor flagged each.
BUILD_TAKES = {
    "one tag as text": with_field("tags: Economy"),
    "one author as text": EXPLAINER.replace("authors: [Test desk]", "authors: Test desk"),
    "no tags": with_field("tags:"),
    "corrections, none yet": EXPLAINER.split("corrections:")[0] + "corrections:\n---\nBody [@alpha].\n",
}


@pytest.mark.parametrize("name", BUILD_TAKES)
def test_the_schema_takes_what_the_build_takes(site, name):
    site.write("test.md", BUILD_TAKES[name])
    assert site.check().problems == []
    assert schema_errors(BUILD_TAKES[name]) == []


# A field's value the build refuses, and what it says, against the schema: before, the
# editor took each. A slug's letters beyond ASCII are taken by both.
FIELD_VALUES = [
    ("lang: english", 'lang: expected a language tag such as "en"'),
    ("slug: a b", 'slug: expected letters, digits, "-" and "_"'),
    ("slug: a-", 'slug: expected letters, digits, "-" and "_"'),
    ("slug: café-naïve", None),
    ("slug: x_1", None),
]


@pytest.mark.parametrize(("line", "said"), FIELD_VALUES)
def test_the_schema_refuses_the_field_values_the_build_refuses(site, line, said):
    text = with_field(line)
    site.write("test.md", text)
    problems = [p.split(": error: ")[1] for p in site.check().problems]
    assert [p[: len(said)] for p in problems] == ([said] if said else [])
    assert (schema_errors(text) == []) is (said is None)


# Front matter the build refuses and the schema takes: an editor shows no error.
BUILD_REFUSES = {
    "a blank summary": EXPLAINER.replace("summary: What the test is about.", "summary: ' '"),
    "a category too long for a file name": with_field("category: " + "x" * 120),
}


# Fixed: a text not blank, a name's length (`schema.as_written`, `front_matter_schema`).
@pytest.mark.parametrize("name", BUILD_REFUSES)
def test_the_schema_refuses_what_the_build_refuses(site, name):
    site.write("test.md", BUILD_REFUSES[name])
    assert site.check().code == 1
    assert schema_errors(BUILD_REFUSES[name]) != []


# Fixed: where the schema asks for text it takes a number or a yes/no too (`schema.as_written`).
@pytest.mark.parametrize("line", ["title: 1984", "slug: 2025", "category: 2024", "tags: 2024"])
def test_the_schema_takes_a_number_written_where_the_build_takes_text(site, line):
    name = line.split(":")[0]
    text = EXPLAINER.replace(
        "title: A test explainer\n", "title: A test explainer\n" if name != "title" else ""
    )
    text = text.replace("authors: [Test desk]\n", f"authors: [Test desk]\n{line}\n")
    site.write("test.md", text)
    assert site.check().problems == []
    as_an_editor_reads_it = yaml.safe_load(text.split("---\n")[1])  # YAML's types: 1984 a number
    data = json.loads(json.dumps(as_an_editor_reads_it, default=str))
    validator = jsonschema.Draft202012Validator(front_matter_schema(from_pelican({})))
    assert [error.message for error in validator.iter_errors(data)] == []


# --- The processes a build forks -------------------------------------------------------------


@pytest.fixture
def in_a_child(monkeypatch):
    """Make each page job a forked process takes do `act` (set by the test), while the run's
    own process, at its first job after forking one, waits for it to have started one: which
    process takes which job is then no matter of timing (and a run that forks none, with
    `WORKERS: 1` or few pages, waits for nothing)."""
    parent, (waiting, said) = os.getpid(), os.pipe()
    state = {"act": lambda: None, "wait": False}
    write, fork = writer.CachingWriter._write, jobs._fork

    def forking(*args):
        state["wait"] = True
        return fork(*args)

    def patched(self, page):
        if os.getpid() != parent:
            os.write(said, b"x")
            state["act"]()
        elif state["wait"]:
            state["wait"] = False
            os.read(waiting, 1)
        return write(self, page)

    monkeypatch.setattr(jobs, "_fork", forking)
    monkeypatch.setattr(writer.CachingWriter, "_write", patched)
    yield state
    os.close(waiting)
    os.close(said)


def killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)  # as the memory killer does


def assert_the_next_build_is_one_from_nothing(site, tmp_path) -> None:
    """The build after a failed one makes the site a build from nothing makes, byte for byte."""
    assert site.build(*workers(2)).code == 0
    again = tree(site.output)
    shutil.rmtree(tmp_path / "cache")
    assert site.build(*workers(2), "-o", str(tmp_path / "fresh")).code == 0
    assert again == tree(tmp_path / "fresh")


def test_a_page_job_killed_in_its_process_fails_the_build_and_the_next_build_is_whole(tmp_path, in_a_child):
    site = corpus(tmp_path)
    assert site.build(*workers(2)).code == 0
    before = tree(site.output)
    in_a_child["act"] = killed
    run = site.build(*workers(2))
    assert run.code == 1
    assert run.stderr.splitlines()[-1] == (
        "Build failed: RuntimeError: a process writing the site ended with status -9; output is unchanged "
        "(run with DEBUG=1 for the traceback)"
    )
    assert tree(site.output) == before  # the previous output, byte for byte
    in_a_child["act"] = lambda: None
    (site.content / "plain.md").write_text(
        (site.content / "plain.md").read_text().replace("Some", "Any"), encoding="utf-8"
    )
    assert_the_next_build_is_one_from_nothing(site, tmp_path)


def said_at_failure(site, act, in_a_child, monkeypatch) -> tuple[str, str]:
    """The last line a failed build says when a page job does `act` first: in a process the
    run forked (two workers), and in the run's own (one)."""
    in_a_child["act"] = act
    forked = site.build(*workers(2)).stderr.splitlines()[-1]
    write = writer.CachingWriter._write

    def once(self, page):
        monkeypatch.setattr(writer.CachingWriter, "_write", write)
        act()
        return write(self, page)

    monkeypatch.setattr(writer.CachingWriter, "_write", once)
    return forked, site.build(*workers(1)).stderr.splitlines()[-1]


def logs_an_error() -> None:
    # What Pelican does at an error in a page it writes: logs it, and (errors fatal) raises
    # "Warning or error encountered".
    logging.getLogger("pelican.writers").error("the page could not be written: its template failed")


# Fixed: what a forked process logs as errors goes back with its failure, as the exception's
# notes (`processes._Logged`), and the build says it as the run's own handler would.
def test_an_error_pelican_logs_in_a_page_job_is_said_as_in_one_process(tmp_path, in_a_child, monkeypatch):
    forked, alone = said_at_failure(corpus(tmp_path), logs_an_error, in_a_child, monkeypatch)
    assert alone.startswith("Build failed: the page could not be written: its template failed;")
    assert forked == alone


@pytest.mark.usefixtures("whole_builds")
def test_a_failed_rebuild_ends_the_process_reading_its_few_files_behind_it(tmp_path, monkeypatch):
    # A rebuild's few files are read in a process behind the run (`pool.read_behind`), which
    # the run waits for at its end (`Run.finish`). Before, a build failing before that end
    # returned with the reader still running, never waited for: a dev server, or any process
    # running builds, gathered one per failed rebuild.
    site = corpus(tmp_path)
    assert site.build(*workers(2)).code == 0
    readers: list[int] = []
    read_behind = pool.read_behind

    def recording(*args, **kwargs):
        behind = read_behind(*args, **kwargs)
        readers.append(behind.reader.pid)
        return behind

    read = runs.Run.read

    def failing(self, path):
        if path.endswith("plain.md"):
            raise RuntimeError("a reader bug")
        return read(self, path)

    monkeypatch.setattr(pool, "read_behind", recording)
    monkeypatch.setattr(runs.Run, "read", failing)
    edited = sorted(site.content.glob("long-*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    before = tree(site.output)
    failed = site.build(*workers(2))
    assert (failed.code, len(readers)) == (1, 1)
    assert failed.stderr.splitlines()[-1].startswith("Build failed: Could not process ./plain.md;")
    try:
        with pytest.raises(ChildProcessError):
            os.waitpid(readers[0], os.WNOHANG)  # ended and reaped by the build
    finally:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(readers[0], signal.SIGKILL)
            os.waitpid(readers[0], 0)
    assert tree(site.output) == before
    monkeypatch.setattr(runs.Run, "read", read)
    assert_the_next_build_is_one_from_nothing(site, tmp_path)


def raises_at_length() -> None:
    raise ValueError("a template's words, " + "again and again, " * 60_000)  # a megabyte


# Fixed: both cut it to 8,000 characters and keep its kind (`processes._report`, `cli._reason`).
def test_a_page_jobs_long_failure_is_said_alike_and_briefly_in_one_process_or_two(
    tmp_path, in_a_child, monkeypatch
):
    forked, alone = said_at_failure(corpus(tmp_path), raises_at_length, in_a_child, monkeypatch)
    assert forked.startswith("Build failed: ValueError: a template's words, again and again")
    assert len(alone) < 10_000
    assert forked == alone
