"""The writer's and publisher's targets, run as a writer runs them: make, real files, rsync, git."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3
import brotli
import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup
from moto.server import ThreadedMotoServer

from explainers.document import frontmatter
from explainers.document.model import Explainer, Source
from explainers.settings import from_pelican
from explainers.tools.schema import dumps, front_matter_schema, sources_file_schema, with_field_docs
from sitebuild import EXPLAINER, ROOT, SEED_CONTENT
from test_makefile import make

SITE = "https://explainers.example.org"

# How long a dev server's build may take before a test gives up on it: not a measure, a
# limit; on a machine the suite itself loads, a small site's build has taken over 30 s.
BUILD_DEADLINE = 120


# --- make new -----------------------------------------------------------------------


def test_new_creates_a_draft_that_passes_check(writer):
    result = make("new", "INPUTDIR=content", 'TITLE=Kursk: what "confirmed" means', cwd=writer)
    assert result.returncode == 0, result.stderr
    path = writer / "content" / "kursk-what-confirmed-means.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n# yaml-language-server: $schema=")
    schema = (path.parent / text.splitlines()[1].split("$schema=")[1]).resolve()
    assert schema == ROOT / "schema" / "explainer.schema.json"
    for field in (
        "title",
        "date",
        "modified",
        "summary",
        "authors",
        "category",
        "tags",
        "slug",
        "status",
        "lang",
        "publisher",
        "archive_url",
        "accessed",
        "quote",
        "locator",
        "kind",
    ):
        assert f"{field}:" in text, field
    check = make("check", "INPUTDIR=content", "STRICT=1", cwd=writer)
    assert check.returncode == 0, check.stderr
    assert "0 errors, 0 warnings" in check.stderr
    front, _ = frontmatter.load(frontmatter.split(text))
    assert front.data["title"] == 'Kursk: what "confirmed" means'
    assert front.data["status"] == "draft"


def test_new_transliterates_titles_in_other_scripts(writer):
    result = make("new", "INPUTDIR=content", "TITLE=Что известно о потерях", cwd=writer)
    assert result.returncode == 0, result.stderr
    assert (writer / "content" / "chto-izvestno-o-poteriakh.md").is_file()


def test_new_refuses_an_existing_file_and_writes_nothing(writer):
    assert make("new", "INPUTDIR=content", "TITLE=A test explainer", cwd=writer).returncode == 0
    path = writer / "content" / "a-test-explainer.md"
    path.write_text("mine\n", encoding="utf-8")
    result = make("new", "INPUTDIR=content", "TITLE=A Test Explainer!", cwd=writer)
    assert result.returncode != 0
    assert "content/a-test-explainer.md already exists" in result.stderr
    assert path.read_text(encoding="utf-8") == "mine\n"


def test_new_needs_a_title(writer):
    result = make("new", "INPUTDIR=content", cwd=writer)
    assert result.returncode != 0
    assert 'make new TITLE="Your headline"' in result.stderr


# --- check, for editors ---------------------------------------------------------------


def test_check_as_json(writer):
    (writer / "content" / "test.md").write_text(
        EXPLAINER.replace("status: confirmed", "status: maybe").replace("    accessed: 2025-01-12\n", "", 1),
        encoding="utf-8",
    )
    result = make("check", "INPUTDIR=content", "FORMAT=json", cwd=writer)
    assert result.returncode != 0
    problems = json.loads(result.stdout)
    assert problems == [
        {
            "path": "content/test.md",
            "line": 7,
            "column": 3,
            "severity": "warning",
            "message": 'source "alpha" has a url but no accessed date',
            "code": "no-accessed-date",
        },
        {
            "path": "content/test.md",
            "line": 27,
            "column": 5,
            "severity": "error",
            "message": 'claim "first-claim": status: expected one of confirmed, reported, claimed, estimate, '
            'disputed, unverified, false; got "maybe"',
            "code": "unknown-status",
        },
    ]


# --- the JSON Schema ------------------------------------------------------------------------


def test_the_committed_schemas_are_the_generated_ones():
    settings = from_pelican({})
    assert (ROOT / "schema" / "explainer.schema.json").read_text() == dumps(front_matter_schema(settings))
    assert (ROOT / "schema" / "sources.schema.json").read_text() == dumps(sources_file_schema())


# The models' schemas as pydantic writes them with `use_attribute_docstrings`, which the
# schema tool's own reading of the field docstrings replaced: in a process of its own, whose
# models are all made with it.
_PYDANTIC_DOCSTRINGS = """
import json
import pydantic

made = pydantic.ConfigDict
pydantic.ConfigDict = lambda **config: made(**config, use_attribute_docstrings=True)
from explainers.document.model import Explainer, Source

print(json.dumps([Explainer.model_json_schema(), Source.model_json_schema()]))
"""


def test_the_schemas_describe_each_field_as_pydantic_did():
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "plugins"), os.environ.get("PYTHONPATH", "")]),
    }
    written = subprocess.run(
        [sys.executable, "-c", _PYDANTIC_DOCSTRINGS], env=env, capture_output=True, text=True, check=True
    ).stdout
    ours = [
        with_field_docs(Explainer.model_json_schema(), Explainer),
        with_field_docs(Source.model_json_schema(), Source),
    ]
    # As the schema tool writes them (its keys sorted: pydantic puts a description elsewhere).
    assert [dumps(schema) for schema in ours] == [dumps(schema) for schema in json.loads(written)]
    # And every field of every model the front matter uses has its description.
    undescribed = [
        (model, name)
        for model, definition in [("Explainer", ours[0]), *ours[0]["$defs"].items()]
        for name, field in definition.get("properties", {}).items()
        if "description" not in field
    ]
    assert undescribed == []


def _as_json_values(value):
    # YAML dates arrive as date objects; an editor sees the text, as JSON Schema does.
    return json.loads(json.dumps(value, default=str))


def test_the_schema_accepts_the_project_content_and_refuses_mistakes():
    schema = json.loads((ROOT / "schema" / "explainer.schema.json").read_text())
    text = (SEED_CONTENT / "north-korean-soldiers-kursk.md").read_text(encoding="utf-8")
    front, _ = frontmatter.load(frontmatter.split(text))
    data = _as_json_values(front.data)
    jsonschema.validate(data, schema)
    data["claims"][0]["status"] = False  # `status: false` to an editor: the status "false" to the build
    jsonschema.validate(data, schema)
    data["claims"][0]["status"] = True  # "true": no status
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    data["claims"][0]["status"] = "maybe"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    library = yaml.safe_load((SEED_CONTENT / "sources" / "pentagon.yml").read_text())
    jsonschema.validate(
        _as_json_values(library), json.loads((ROOT / "schema" / "sources.schema.json").read_text())
    )


@pytest.mark.parametrize(
    ("field", "value", "allowed", "accepted"),
    [
        ("translation", True, (), True),
        ("translation", "false", (), True),
        ("translation", "on", (), False),  # the build: "write true … or false"
        ("translation", 1, (), False),
        ("sumary", "A typo.", (), False),  # the build: unknown field, did you mean "summary"
        ("Status", "draft", (), False),  # the build: field names are lower case
        ("save_as", "notes/page.html", (), False),  # the build: this site does not allow it
        ("save_as", "notes/page.html", ("save_as",), True),
    ],
)
def test_the_schema_refuses_the_fields_the_build_refuses(field, value, allowed, accepted):
    settings = from_pelican({"EXPLAINERS": {"ALLOW_FIELDS": list(allowed)}})
    schema = front_matter_schema(settings)
    text = (SEED_CONTENT / "north-korean-soldiers-kursk.md").read_text(encoding="utf-8")
    data = _as_json_values(frontmatter.load(frontmatter.split(text))[0].data)
    data[field] = value
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    assert (errors == []) is accepted, errors


# --- make publish -------------------------------------------------------------------------


def test_publish_needs_the_site_address(writer):
    result = make("publish", "INPUTDIR=content", "OUTPUTDIR=out", cwd=writer)
    assert result.returncode != 0
    assert "make publish SITEURL=https://" in result.stderr
    assert not (writer / "out").exists()


def test_publish_with_an_address_without_its_scheme_says_it_needs_https(writer):
    result = make(
        "publish", "INPUTDIR=content", "OUTPUTDIR=out", "SITEURL=explainers.example.org", cwd=writer
    )
    assert result.returncode != 0
    assert result.stderr.splitlines()[0] == (
        "Build failed: SITEURL 'explainers.example.org' is not a web address: it needs https:// "
        "(SITEURL=https://explainers.example.org); nothing was written"
    )
    assert "preview address" not in result.stderr  # it was given, not left out
    assert not (writer / "out").exists()


def test_publish_is_strict_by_default(writer):
    (writer / "content" / "test.md").write_text(EXPLAINER.replace("    accessed: 2025-01-12\n", "", 1))
    result = make("publish", "INPUTDIR=content", "OUTPUTDIR=out", f"SITEURL={SITE}", cwd=writer)
    assert result.returncode != 0
    assert "has a url but no accessed date" in result.stderr
    relaxed = make("publish", "INPUTDIR=content", "OUTPUTDIR=out", f"SITEURL={SITE}", "STRICT=0", cwd=writer)
    assert relaxed.returncode == 0, relaxed.stderr


def publish(writer: Path) -> Path:
    (writer / "content" / "draft.md").write_text(
        EXPLAINER.replace("title: A test explainer", "title: Unfinished\nstatus: draft")
    )
    result = make("publish", "INPUTDIR=content", "OUTPUTDIR=out", f"SITEURL={SITE}", cwd=writer)
    assert result.returncode == 0, result.stderr
    return writer / "out"


def test_publish_builds_for_production(writer):
    out = publish(writer)
    page = BeautifulSoup((out / "a-test-explainer.html").read_text(), "lxml")
    links = [a["href"] for a in page.select("a[href]") if not a["href"].startswith(("#", "http"))]
    assert links == []  # every link is absolute
    stylesheet = page.select_one('link[rel="stylesheet"]')["href"]
    assert stylesheet.startswith(f"{SITE}/theme/css/main.")
    assert stylesheet.endswith(".css")
    assert (out / stylesheet.removeprefix(SITE + "/")).is_file()
    assert not (out / "theme" / "css" / "main.css").exists()
    script = page.select_one("script[src]")["src"]
    assert (out / script.removeprefix(SITE + "/")).is_file()
    assert not (out / "drafts").exists()
    assert "Unfinished" not in (out / "index.html").read_text()
    assert (out / "feeds" / "all.atom.xml").is_file()


def test_publish_writes_compressed_copies_of_text_files(writer):
    out = publish(writer)
    for name in ("index.html", "a-test-explainer.html", "sitemap.xml"):
        data = (out / name).read_bytes()
        assert gzip.decompress((out / f"{name}.gz").read_bytes()) == data
        assert brotli.decompress((out / f"{name}.br").read_bytes()) == data
    css = next((out / "theme" / "css").glob("main.*.css"))
    assert (css.parent / f"{css.name}.br").is_file()


# --- deploy targets -------------------------------------------------------------------------


@pytest.mark.skipif(
    shutil.which("rsync") is None, reason="rsync is not installed: scripts/install-test-tools"
)
def test_rsync_upload_to_a_local_folder(writer):
    dest = writer / "server" / "www"
    dest.mkdir(parents=True)
    (dest / "stale.html").write_text("left over from an older site")
    result = make(
        "rsync_upload", "INPUTDIR=content", "OUTPUTDIR=out", f"SITEURL={SITE}", f"DEST={dest}/", cwd=writer
    )
    assert result.returncode == 0, result.stderr
    assert (dest / "a-test-explainer.html").read_bytes() == (
        writer / "out" / "a-test-explainer.html"
    ).read_bytes()
    assert not (dest / "stale.html").exists()


def test_rsync_upload_needs_a_target(writer):
    result = make("rsync_upload", "INPUTDIR=content", "OUTPUTDIR=out", f"SITEURL={SITE}", cwd=writer)
    assert result.returncode != 0
    assert "make rsync_upload DEST=" in result.stderr


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def test_github_pushes_the_site_to_gh_pages(writer):
    remote = writer / "remote.git"
    git("init", "--bare", "-q", str(remote), cwd=writer)
    git("init", "-q", cwd=writer)
    git("config", "user.email", "desk@example.org", cwd=writer)
    git("config", "user.name", "Explainer desk", cwd=writer)
    git("remote", "add", "origin", str(remote), cwd=writer)
    result = make("github", "INPUTDIR=content", "OUTPUTDIR=out", f"SITEURL={SITE}", cwd=writer)
    assert result.returncode == 0, result.stderr
    files = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split()
    assert "a-test-explainer.html" in files
    assert ".nojekyll" in files


# --- import-sources ------------------------------------------------------------------------

CSL = [
    {
        "id": "reuters-2025",
        "type": "article-newspaper",
        "title": "A report",
        "container-title": "Reuters",
        "URL": "https://example.org/r",
        "issued": {"date-parts": [[2025, 1, 14]]},
        "accessed": {"date-parts": [[2025, 1, 15]]},
        "author": [{"given": "Jane", "family": "Doe"}],
        "abstract": "Not a field of ours.",
        "ISSN": "1234",
    },
    {"id": "alpha", "type": "webpage", "title": "Clash", "publisher": "Someone"},
    {"id": "no publisher", "type": "report", "title": "Orphan"},
]
BIBTEX = """\
@techreport{nis2024,
  title = {Briefing on troop numbers},
  institution = {National Intelligence Service},
  year = {2024},
  month = dec,
  url = {https://example.org/nis},
  urldate = {2025-01-12},
  author = {Kim, Min-ji and Lee, Joon},
  pages = {1--4}
}
"""


def test_import_csl_json(writer):
    (writer / "content" / "sources").mkdir()
    (writer / "content" / "sources" / "alpha.yml").write_text(
        "alpha:\n  title: Alpha\n  publisher: Alpha News\n"
        "  url: https://alpha.example/\n  accessed: 2025-01-12\n"
    )
    (writer / "content" / "test.md").write_text(
        EXPLAINER.replace(
            "  alpha:\n    title: Alpha report\n"
            "    publisher: Alpha News\n"
            "    url: https://alpha.example/report\n"
            "    accessed: 2025-01-12\n",
            "",
        )
    )
    (writer / "zotero.json").write_text(json.dumps(CSL))
    result = make("import-sources", "INPUTDIR=content", f"FILE={writer / 'zotero.json'}", cwd=writer)
    assert result.returncode != 0  # one entry could not be imported
    assert "alpha: skipped, the key already exists (content/sources/alpha.yml:1)" in result.stderr
    assert "note: fields with no place in a source, left out: ISSN (1), abstract (1)" in result.stderr
    # "no publisher" is no key: one is made from the title.
    assert "orphan (item 3): not imported, publisher: Field required" in result.stderr
    assert (
        "Imported 1 source into content/sources/zotero.yml; 1 skipped (already there), 1 refused"
        in result.stderr
    )
    imported = yaml.safe_load((writer / "content" / "sources" / "zotero.yml").read_text())
    assert imported == {
        "reuters-2025": {
            "title": "A report",
            "publisher": "Reuters",
            "url": "https://example.org/r",
            "published": "2025-01-14",
            "accessed": "2025-01-15",
            "authors": ["Jane Doe"],
            "type": "news",
        }
    }
    assert "alpha" not in imported
    again = make("import-sources", "INPUTDIR=content", f"FILE={writer / 'zotero.json'}", cwd=writer)
    assert "reuters-2025: skipped, the key already exists" in again.stderr
    assert yaml.safe_load((writer / "content" / "sources" / "zotero.yml").read_text()) == imported


def test_import_bibtex_then_check(writer):
    (writer / "library.bib").write_text(BIBTEX)
    result = make("import-sources", "INPUTDIR=content", f"FILE={writer / 'library.bib'}", cwd=writer)
    assert result.returncode == 0, result.stderr
    assert "left out: pages (1)" in result.stderr
    imported = yaml.safe_load((writer / "content" / "sources" / "library.yml").read_text())
    assert imported["nis2024"] == {
        "title": "Briefing on troop numbers",
        "publisher": "National Intelligence Service",
        "url": "https://example.org/nis",
        "published": "2024-12",
        "accessed": "2025-01-12",
        "authors": ["Min-ji Kim", "Joon Lee"],
        "type": "report",
    }
    check = make("check", "INPUTDIR=content", cwd=writer)
    assert check.returncode == 0, check.stderr
    assert 'site-wide source "nis2024" is not cited by any explainer' in check.stderr


# --- serve and devserver ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, timeout: float = 20) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def background(*args, cwd):
    return subprocess.Popen(
        ["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def stop(process):
    os.killpg(process.pid, 15)
    return process.communicate(timeout=10)[0]


def test_serve_serves_the_output_as_it_is(writer):
    assert make("html", "INPUTDIR=content", "OUTPUTDIR=out", cwd=writer).returncode == 0
    port = free_port()
    server = background("serve", "OUTPUTDIR=out", f"PORT={port}", cwd=writer)
    try:
        assert (
            fetch(f"http://127.0.0.1:{port}/a-test-explainer.html")
            == (writer / "out" / "a-test-explainer.html").read_bytes()
        )
    finally:
        stop(server)


def test_devserver_rebuilds_shows_problems_and_keeps_serving(writer):
    port = free_port()
    server = background("devserver", "INPUTDIR=content", "OUTPUTDIR=out", f"PORT={port}", cwd=writer)
    status_url = f"http://127.0.0.1:{port}/__devserver__.json"
    try:
        assert json.loads(fetch(status_url)) == {"build": 1, "ok": True, "problems": []}
        page = fetch(f"http://127.0.0.1:{port}/a-test-explainer.html").decode()
        assert "js/devserver.js" in page

        def wait_for_build(number):
            deadline = time.monotonic() + BUILD_DEADLINE
            while (status := json.loads(fetch(status_url)))["build"] < number:
                assert time.monotonic() < deadline, status
                time.sleep(0.2)
            return status

        source = writer / "content" / "test.md"
        source.write_text(EXPLAINER.replace("status: confirmed", "status: maybe"))
        status = wait_for_build(2)
        assert status["ok"] is False
        assert any('got "maybe"' in line for line in status["problems"])
        assert fetch(f"http://127.0.0.1:{port}/a-test-explainer.html").decode() == page  # last good build
        source.write_text(EXPLAINER.replace("title: A test explainer", "title: Renamed"))
        # Build 3 is the preview of the saved file alone; build 4 the whole site.
        assert wait_for_build(4) == {"build": 4, "ok": True, "problems": []}
        assert b"Renamed" in fetch(f"http://127.0.0.1:{port}/renamed.html")
    finally:
        output = stop(server)
    assert "FAILED (still serving the last good build)" in output


def test_devserver_sees_a_hidden_file_appear_and_ctrl_c_stops_it_calmly(writer):
    """A `.htaccess` fails `make publish`, so the preview fails too; a `.DS_Store` is skipped.
    Ctrl-C (SIGINT to the terminal's process group) ends with one line, and make is quiet."""
    port = free_port()
    # make with SIGINT as a terminal has it: a test runner started in the background may
    # ignore SIGINT, and its children would inherit that.
    terminal_sigint = (
        "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
        "os.execvp('make', sys.argv[1:])"
    )
    make_args = ["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), "devserver"]
    make_args += ["INPUTDIR=content", "OUTPUTDIR=out", f"PORT={port}"]
    server = subprocess.Popen(
        [sys.executable, "-c", terminal_sigint, *make_args],
        cwd=writer,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    status_url = f"http://127.0.0.1:{port}/__devserver__.json"

    def wait_for_build(number):
        deadline = time.monotonic() + BUILD_DEADLINE
        while (status := json.loads(fetch(status_url)))["build"] < number:
            assert time.monotonic() < deadline, status
            time.sleep(0.2)
        return status

    try:
        assert wait_for_build(1)["ok"] is True
        (writer / "content" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
        (writer / "content" / ".htaccess").write_text("Redirect / https://example.com/\n")
        status = wait_for_build(2)
        assert status["ok"] is False
        assert any(line.startswith("content/.htaccess:1: error: ") for line in status["problems"])
        assert not any(".DS_Store" in line for line in status["problems"])
    finally:
        os.killpg(server.pid, signal.SIGINT)
        output = server.communicate(timeout=30)[0]
    lines = output.splitlines()
    assert lines[-1] == "Stopped."
    assert "KeyboardInterrupt" not in output
    assert "make: ***" not in output
    assert not any("-m explainers" in line for line in lines)  # make does not echo its recipe


def test_s3_upload_to_a_local_s3_service(writer, monkeypatch):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        keys = {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
        for name, value in keys.items():
            monkeypatch.setenv(name, value)
        bucket = boto3.client("s3", endpoint_url=f"http://{host}:{port}")
        bucket.create_bucket(Bucket="site")
        bucket.put_object(Bucket="site", Key="stale.html", Body=b"old")
        result = make(
            "s3_upload",
            "INPUTDIR=content",
            "OUTPUTDIR=out",
            f"SITEURL={SITE}",
            "S3_BUCKET=site",
            f"S3_HOST={host}:{port}",
            "S3_SSL=0",
            cwd=writer,
        )
        assert result.returncode == 0, result.stderr
        keys = {item["Key"] for item in bucket.list_objects_v2(Bucket="site")["Contents"]}
        assert "a-test-explainer.html" in keys
        assert "a-test-explainer.html.br" in keys
        assert "stale.html" not in keys
        page = bucket.get_object(Bucket="site", Key="a-test-explainer.html")["Body"].read()
        assert page == (writer / "out" / "a-test-explainer.html").read_bytes()
    finally:
        server.stop()
