"""Fixtures shared by every test module."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitebuild import Site


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path)
