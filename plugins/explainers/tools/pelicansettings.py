"""Pelican's own settings reader and log set-up, without Pelican's start-up.

`pelican/__init__.py` imports every generator, reader and writer (docutils, feed and
template machinery, the dev server): a fifth of a second, before `pelican.settings` can
be imported at all. A `make check` whose outcomes are all cached needs none of it, and
took less than that for everything else. So the package is put in place with its own
code deferred: its submodules (`pelican.settings`, `pelican.log`, `pelican.utils`) import
as usual, and the package's code runs the first time anyone asks it for a name it does
not have yet (`from pelican import Pelican`, `signals`): a build, in this process or
another, meets Pelican exactly as it always is. The settings are Pelican's, read by
Pelican's code: nothing here reads them another way.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from typing import Any


class _DeferredPackage(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        # Called only for a name the module does not have: its code has not run yet.
        self.__class__ = types.ModuleType  # once; a name still missing after it is missing
        self.__spec__.loader.exec_module(self)  # set by `_defer_pelican`
        return getattr(self, name)


def _defer_pelican() -> None:
    if "pelican" in sys.modules:
        return  # already imported (a build before, in this process): nothing to spare
    spec = importlib.util.find_spec("pelican")
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return  # not a package as installed by pip: let the import say what is wrong
    module = importlib.util.module_from_spec(spec)  # its names (__path__, __spec__…), no code run
    module.__class__ = _DeferredPackage
    sys.modules["pelican"] = module


def read_settings(path: str, override: dict[str, Any]) -> dict[str, Any]:
    """`pelican.settings.read_settings`: the settings file, Pelican's defaults, `override`."""
    _defer_pelican()
    from pelican.settings import read_settings as read  # noqa: PLC0415 (after the deferral)

    return read(path, override=override)


def init_logging(**options: Any) -> None:
    """`pelican.log.init`: Pelican's log handler, as a build has it."""
    _defer_pelican()
    from pelican.log import init  # noqa: PLC0415 (after the deferral)

    init(**options)
