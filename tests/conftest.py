"""Fixtures shared by every test module."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from sitebuild import EXPLAINER, Site

# `make test` runs this suite as a recipe; the Makefile targets the tests run are run as a
# writer runs them, from a shell, not as sub-makes of `make test` (which print "make[1]:"
# and inherit the outer make's flags).
for _name in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES"):
    os.environ.pop(_name, None)

# Each test process keeps the build caches (pelican.conf.py reads CACHEDIR) in a folder of
# its own: some tests run `make clean`, which removes the cache while the other process's
# builds are writing into it.
os.environ["CACHEDIR"] = tempfile.mkdtemp(prefix="explainers-test-cache-")
atexit.register(shutil.rmtree, os.environ["CACHEDIR"], True)


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path)


@pytest.fixture
def writer(tmp_path: Path) -> Path:
    """A writer's folder holding its own content, outside the project."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "test.md").write_text(EXPLAINER, encoding="utf-8")
    return tmp_path
