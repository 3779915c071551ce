"""Fixtures shared by every test module."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitebuild import EXPLAINER, Site


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path)


@pytest.fixture
def writer(tmp_path: Path) -> Path:
    """A writer's folder holding its own content, outside the project."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "test.md").write_text(EXPLAINER, encoding="utf-8")
    return tmp_path
