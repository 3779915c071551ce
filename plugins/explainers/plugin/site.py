"""What every page of a site depends on, beyond its content: the settings and the templates.

Read by the writer, which keys each page by it, and by the record of a build (`record.py`),
which a rebuild compares before it builds one explainer alone: imported without Pelican or
the theme's machinery, so that a rebuild knows what it will do before it loads them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ..settings import what_shows

ROOT = Path(__file__).resolve().parents[3]
THEME = ROOT / "theme"
# The plugin's own templates, found after the theme's (`templates.py`).
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Where a run keeps its state in the settings (`state.py`).
RUN_KEY = "EXPLAINERS_RUN"
# Settings that change per run without changing any page. Not JINJA_GLOBALS: a site's
# templates show its values (its plain ones are in the digest; a function, by its kind).
VOLATILE = {RUN_KEY, "OUTPUT_PATH", "PATH", "JINJA_FILTERS", "PLUGINS", "PLUGIN_PATHS"}


def own_theme(settings: dict[str, Any]) -> bool:
    """Whether the site uses this project's theme, whose pages show what the keys say."""
    return Path(settings.get("THEME", str(THEME))).resolve() == THEME


def stable(value: Any) -> Any:
    """A value's plain-data part: what `repr` shows the same in every process."""
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    if isinstance(value, (list, tuple)):
        return tuple(stable(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((str(key), stable(item)) for key, item in value.items()))
    return type(value).__name__


def site_digest(settings: dict[str, Any], theme_path: str) -> str:
    digest = hashlib.sha256()
    # Every file of the folders Pelican takes templates from (THEME_TEMPLATES_OVERRIDES
    # first, then the theme's, then the plugin's: the fallback a theme may lack; a template
    # may include any file, not only `.html`) and of the theme's strings, each by its place,
    # name and length as well as its bytes: text moved from one file to another, or a
    # catalog moved to another language, is another site.
    overrides = [Path(folder) for folder in settings.get("THEME_TEMPLATES_OVERRIDES") or []]
    folders = (*overrides, Path(theme_path, "templates"), TEMPLATES, Path(theme_path, "translations"))
    for number, folder in enumerate(folders):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                data = path.read_bytes()
                name = path.relative_to(folder).as_posix()
                digest.update(f"{number}\0{name}\0{len(data)}\0".encode())
                digest.update(data)
    shown = {k: v for k, v in settings.items() if k not in VOLATILE}
    # How a run goes (its workers, …) changes no page.
    shown["EXPLAINERS"] = what_shows(settings.get("EXPLAINERS"))
    digest.update(repr(stable(shown)).encode())
    return digest.hexdigest()
