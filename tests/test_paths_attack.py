"""Against the content-relative paths cut from the content folder (`Door.relative`), and the
compiled templates the plugin keeps in CACHE_PATH (`compiled.keep_compiled_templates`).
Written by someone who had not written either."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import FileSystemBytecodeCache
from pelican.settings import DEFAULT_CONFIG

from explainers.document import files
from explainers.plugin import compiled
from sitebuild import EXPLAINER, ROOT, Site


def door(root: str) -> files.Door:
    return files.Door(root, "sources", ("images",), frozenset({"png"}), (), 1000)


def relpath(path: str, root: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")


# --- Door.relative: relpath's answer -------------------------------------------------------


@pytest.mark.parametrize(
    ("root", "path"),
    [
        ("/site/content", "/site/content//a.md"),
        ("/site/content", "/site/content//sources/x.md"),
        ("/site/content", "/site/content///pages/x.md"),
        ("/site/content", "/site/content//sources.lock.json"),
        ("/", "//a.md"),
        ("/site/content/", "/site/content//a.md"),
        ("/site/content", "/site/content/a/"),
        ("/site/content", "/site/content/./a"),
        ("/site/content", "/site/content/a/../b"),
        ("/site/content", "/site/content/.."),
        ("/site/content", "/site/content/../x"),
        ("/site/content", "/site/contentx/a"),
        ("/site/./content", "/site/./content/a"),
        ("/site/content/..", "/site/content/../a"),
        ("content", "content/a"),
        ("./content", "./content/a"),
        ("/site/Content", "/site/content/a"),
        ("/site/contenté", "/site/contenté/é.md"),
    ],
)
def test_a_path_from_the_content_folder_is_relpath_s(root, path):
    assert door(root).relative(path) == relpath(path, root)


_PART = st.sampled_from(["a", "b.md", ".", "..", "", "/", "//", "...", "é", "sources", "pages"])


@given(
    st.sampled_from(
        ["/site/content", "/site/content/", "/site/content//", "/", "//", "content", "./c", "/s/../c"]
    ),
    st.lists(_PART, max_size=5),
)
def test_any_string_after_the_content_folder_is_relpath_s(root, parts):
    # Strings glued, not joined: a doubled or trailing separator reaches the door as written.
    path = root + "/".join(parts)
    assert door(root).relative(path) == relpath(path, root)


def test_a_markdown_file_in_the_sources_folder_is_never_a_document():
    # `content//sources/x.md` is `sources/x.md`: refused, not read as an explainer.
    root = "/site/content"
    assert door(root).kind_of(root + "//sources/x.md") == door(root).kind_of(root + "/sources/x.md") is None
    assert door(root).kind_of(root + "//sources.lock.json") == "lockfile"


# --- Compiled templates -------------------------------------------------------------------


def site_with_one(tmp_path: Path) -> Site:
    site = Site(tmp_path)
    site.write("one.md", EXPLAINER)
    return site


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def fresh(tmp_path: Path, content: Path, *extra: str) -> dict[str, bytes]:
    other = Site(tmp_path / "fresh")
    shutil.copytree(content, other.content)
    built = other.build(*extra)
    assert built.code == 0, built.stderr
    return files_of(other.output)


def test_a_check_never_loads_jinja(tmp_path):
    site = site_with_one(tmp_path)
    program = (
        "import sys\n"
        "from explainers.tools import cli\n"
        f"code = cli.main(['check', {str(site.content)!r}, '-s', {str(ROOT / 'pelican.conf.py')!r},"
        f" '-e', 'CACHE_PATH={tmp_path / 'cache'}'])\n"
        "print(code, 'jinja2' in sys.modules, sorted(m for m in sys.modules if m.startswith('pelican')))\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "plugins"), str(ROOT / "tests")]))
    out = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, env=env, cwd=tmp_path, check=False
    )
    code, loaded, _ = out.stdout.split(" ", 2)
    assert (code, loaded) == ("0", "False"), out.stderr
    assert not (tmp_path / "cache" / "jinja").exists()  # a check writes nothing


def test_pelican_s_default_jinja_environment_is_never_changed(tmp_path):
    # A settings file naming no JINJA_ENVIRONMENT may hand the plugin Pelican's own mapping,
    # which every later run of the process starts from.
    before = dict(DEFAULT_CONFIG["JINJA_ENVIRONMENT"])
    settings = {"JINJA_ENVIRONMENT": DEFAULT_CONFIG["JINJA_ENVIRONMENT"], "CACHE_PATH": str(tmp_path)}
    compiled.keep_compiled_templates(settings, cache=True)
    assert DEFAULT_CONFIG["JINJA_ENVIRONMENT"] == before
    assert settings["JINJA_ENVIRONMENT"]["bytecode_cache"].directory == str(tmp_path / "jinja")


def test_a_build_keeps_its_compiled_templates_in_its_cache(tmp_path):
    site = site_with_one(tmp_path)
    built = site.build()
    assert built.code == 0, built.stderr
    assert list((tmp_path / "cache" / "jinja").iterdir())


def test_no_compiled_templates_without_the_cache(tmp_path):
    site = site_with_one(tmp_path)
    built = site.build("-e", "EXPLAINERS=" + json.dumps({"CACHE": False}))
    assert built.code == 0, built.stderr
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize("cut", [0, 5, 20, 40, 60, 100])
def test_a_truncated_compiled_template_is_compiled_again(tmp_path, cut):
    site = site_with_one(tmp_path)
    assert site.build().code == 0
    compiled = sorted((tmp_path / "cache" / "jinja").iterdir())
    assert compiled
    for path in compiled:
        path.write_bytes(path.read_bytes()[:cut])
    rebuilt = site.build()
    assert rebuilt.code == 0, rebuilt.stderr
    assert files_of(site.output) == fresh(tmp_path, site.content)


def test_a_cache_path_whose_jinja_is_a_file_still_builds(tmp_path):
    site = site_with_one(tmp_path)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "jinja").write_text("not a folder", encoding="utf-8")
    built = site.build()
    assert built.code == 0, built.stderr
    assert (tmp_path / "cache" / "jinja").read_text(encoding="utf-8") == "not a folder"


def test_a_jinja_folder_gone_before_the_templates_are_written_still_builds(tmp_path, monkeypatch):
    # The folder is made when the plugin is set up; removed (a `make clean` meanwhile, a
    # disk that refuses) before the first template is compiled, the build goes on.
    site = site_with_one(tmp_path)
    original = FileSystemBytecodeCache.dump_bytecode

    def refuse(self, bucket):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(FileSystemBytecodeCache, "dump_bytecode", refuse)
    built = site.build()
    monkeypatch.setattr(FileSystemBytecodeCache, "dump_bytecode", original)
    assert built.code == 0, built.stderr


def test_templates_compiled_under_other_options_are_compiled_again(tmp_path):
    # The same theme, compiled once with trim_blocks and once without: a rebuild after the
    # site's JINJA_ENVIRONMENT changed renders what a build from nothing renders.
    site = site_with_one(tmp_path)
    assert site.build().code == 0
    plain = ("-e", 'JINJA_ENVIRONMENT={"trim_blocks": false, "lstrip_blocks": false, "autoescape": true}')
    rebuilt = site.build(*plain)
    assert rebuilt.code == 0, rebuilt.stderr
    assert files_of(site.output) == fresh(tmp_path, site.content, *plain)
