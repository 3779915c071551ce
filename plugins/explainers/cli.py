"""`python -m explainers build|check`: what `make html` and `make check` run.

build: runs Pelican into a fresh folder beside the output folder and swaps it in
       only when the whole build succeeded, so a failed build leaves the previous
       output exactly as it was.
check: validates every explainer and the site-wide sources without writing anything.

Both print every problem as PATH:LINE: severity: message and exit 1 on any error
(or any warning, with --strict).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from typing import Any

from pelican import Pelican
from pelican.log import init as init_logging
from pelican.settings import read_settings

from .build import Build, explainer_files
from .problems import ContentError


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m explainers", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("build", "check"))
    parser.add_argument("input", help="the content folder")
    parser.add_argument("-s", "--settings", required=True, help="the Pelican settings file")
    parser.add_argument("-o", "--output", default="output", help="the output folder (build)")
    parser.add_argument(
        "-e",
        "--extra-settings",
        nargs="*",
        default=[],
        metavar="NAME=VALUE",
        help="override settings, as Pelican's -e (VALUE is JSON, or else text)",
    )
    parser.add_argument("--strict", action="store_true", help="warnings fail too")
    parser.add_argument("--debug", action="store_true", help="show Pelican's debug output")
    return parser.parse_args(argv)


def extra_settings(pairs: list[str]) -> dict[str, Any]:
    settings = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        try:
            settings[name] = json.loads(value)
        except json.JSONDecodeError:
            settings[name] = value
    return settings


def load_settings(args: argparse.Namespace, **override: Any) -> dict[str, Any]:
    override = {"PATH": os.path.abspath(args.input), **extra_settings(args.extra_settings), **override}
    settings = read_settings(args.settings, override=override)
    if args.strict:
        settings["EXPLAINERS"] = {**(settings.get("EXPLAINERS") or {}), "STRICT": True}
    return settings


def check(args: argparse.Namespace) -> int:
    settings = load_settings(args)
    build = Build(settings)
    files = explainer_files(settings["PATH"], build.settings.sources_dir, settings.get("IGNORE_FILES"))
    explainers = sum(1 for path in files if build.read(path) is not None)
    log = build.finish()
    log.report()
    print(
        f"Checked {explainers} explainer{'s' * (explainers != 1)} and "
        f"{len(build.library)} site-wide source{'s' * (len(build.library) != 1)}: {log.summary()}",
        file=sys.stderr,
    )
    return 1 if build.fails() else 0


def build(args: argparse.Namespace) -> int:
    output = os.path.abspath(args.output)
    parent = os.path.dirname(output)
    os.makedirs(parent, exist_ok=True)
    # Beside the output folder, so that the swap is a rename on one file system.
    staging = tempfile.mkdtemp(dir=parent, prefix=f".{os.path.basename(output)}.building-")
    try:
        settings = load_settings(args, OUTPUT_PATH=staging)
        Pelican(settings).run()
        index_for_search(staging)
    except ContentError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"Build failed: {exc}; {_untouched(output)}", file=sys.stderr)
        return 1
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, KeyboardInterrupt):
            print(f"Build interrupted; {_untouched(output)}", file=sys.stderr)
            return 130
        if args.debug:
            raise
        print(
            f"Build failed: {type(exc).__name__}: {exc}; {_untouched(output)} "
            "(run with DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return 1
    swap_in(staging, output)
    return 0


def index_for_search(site: str) -> None:
    """Pagefind's static search index, in `site`/pagefind/, for the search page."""
    subprocess.run([sys.executable, "-m", "pagefind", "--site", site, "--silent"], check=True)


def swap_in(staging: str, output: str) -> None:
    """Replace `output` with `staging`: two renames, never a half-written folder."""
    if os.path.isdir(output):
        retired = tempfile.mkdtemp(dir=os.path.dirname(output), prefix=f".{os.path.basename(output)}.old-")
        os.rmdir(retired)
        os.rename(output, retired)
        os.rename(staging, output)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        os.rename(staging, output)
    # mkdtemp makes the folder private (0700); a web server must be able to read it.
    os.chmod(output, 0o755)


def _untouched(output: str) -> str:
    if os.path.isdir(output):
        return f"{os.path.relpath(output)} is unchanged"
    return "nothing was written"


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    init_logging(level=logging.DEBUG if args.debug else logging.WARNING, fatal="errors")
    return {"build": build, "check": check}[args.command](args)
