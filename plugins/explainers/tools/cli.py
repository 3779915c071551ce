"""`python -m explainers COMMAND`: what the Makefile's targets run.

build    Pelican into a fresh folder beside the output folder, swapped in only when the
         whole build succeeded: a failed build leaves the previous output as it was.
check    every explainer and the site-wide sources, without writing anything.
new      a new explainer from the template.
schema   the JSON Schemas of the front matter and of a sources file, for editors.
import   a Zotero/CSL-JSON or BibTeX export into the site-wide sources folder.
archive  an archived copy of every cited page, recorded in content/sources.lock.json.
linkcheck  every cited page: dead, moved, changed since archived, quote gone.

Problems are printed as PATH:LINE: severity: message (or JSON, for check) and any error
(or any warning, with --strict) makes the command exit 1.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import processes
from ..document.problems import ERROR, ContentError, ProblemLog, display_path, escape_unsafe
from ..run import Run
from ..settings import ExplainerSettings, from_pelican

# The online tools, the importer and the dev server are imported by their commands alone:
# a build's process need not hold their libraries (BeautifulSoup, BibTeX and LaTeX
# parsers: 17 MB), which it would carry from start to end. Pelican itself, and the plugin's
# Pelican side, are imported by the commands that run Pelican: a check reads the settings
# through Pelican's own reader alone (`pelicansettings`).
from .pelicansettings import init_logging, read_settings

if TYPE_CHECKING:
    from pelican import Pelican

    from ..document import lockfile
    from ..document.library import DeclaredSource

ROOT = Path(__file__).resolve().parents[3]
SCHEMA_DIR = ROOT / "schema"


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m explainers", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help: str, content: bool = True) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help)
        if content:
            sub.add_argument("input", help="the content folder")
        sub.add_argument("-s", "--settings", required=True, help="the Pelican settings file")
        sub.add_argument(
            "-e",
            "--extra-settings",
            nargs="*",
            action="extend",  # each -e adds to the others, as Pelican's does
            default=[],
            metavar="NAME=VALUE",
            help="override settings, as Pelican's -e (VALUE is JSON, or else text)",
        )
        sub.add_argument("--debug", action="store_true", help="show Pelican's debug output")
        return sub

    build = command("build", "build the site")
    build.add_argument("-o", "--output", default="output", help="the output folder")
    build.add_argument("--strict", action="store_true", help="warnings fail too")
    build.add_argument(
        "--publish",
        action="store_true",
        help="production build: absolute URLs, no drafts, fingerprinted and compressed assets",
    )

    check = command("check", "check the content without writing anything")
    check.add_argument("--strict", action="store_true", help="warnings fail too")
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    check.add_argument("--file", default="", help="check this one file of the content folder")

    new = command("new", "create a new explainer")
    new.add_argument("--title", default=os.environ.get("TITLE", ""), help="default: $TITLE")

    schema = command("schema", "write the JSON Schemas for editors", content=False)
    schema.add_argument("output", nargs="?", default=str(SCHEMA_DIR))

    devserver = command("devserver", "build, serve, and rebuild on every change")
    devserver.add_argument("-o", "--output", default="output", help="the output folder")
    devserver.add_argument("--port", type=int, default=8000)

    importer = command("import", "import a CSL-JSON or BibTeX file into the sources folder")
    importer.add_argument("file", help="a CSL-JSON (e.g. from Zotero) or BibTeX file, told by its content")
    importer.add_argument(
        "--cited", action="store_true", help="import only the sources some explainer cites (CITED=1)"
    )

    for name, text in (
        ("archive", "archive every cited page the lockfile lacks (needs the network)"),
        ("linkcheck", "check every cited page: dead, moved, changed, quote gone (needs the network)"),
    ):
        command(name, text).add_argument("--strict", action="store_true", help="warnings fail too")
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
    if getattr(args, "input", None):
        override = {"PATH": os.path.abspath(args.input), **override}
    override = {**extra_settings(args.extra_settings), **override}
    settings = read_settings(args.settings, override=override)
    if getattr(args, "strict", False):
        settings["EXPLAINERS"] = {**(settings.get("EXPLAINERS") or {}), "STRICT": True}
    return settings


def check(args: argparse.Namespace) -> int:
    settings = load_settings(args)
    build = Run(settings, pages=False)
    if args.file:
        return check_one(args, build)
    build.read_ahead()
    explainers = sum(1 for path in build.documents() if build.read(path).is_explainer)
    log = build.finish()
    report(log, args.format, build)
    print(
        f"Checked {explainers} explainer{'s' * (explainers != 1)} and "
        f"{len(build.declared)} site-wide source{'s' * (len(build.declared) != 1)}: "
        f"{log.summary()}{build.strictness()}",
        file=sys.stderr,
    )
    return 1 if build.fails() else 0


def check_one(args: argparse.Namespace, build: Run) -> int:
    """`make check FILE=…`: one explainer (or sources file) of the content folder, with the
    site's settings and sources library, and only its own problems."""
    path = os.path.abspath(args.file)
    if not os.path.lexists(path):  # said first: a typo in the name is the usual reason
        print(f"error: FILE {escape_unsafe(args.file)}: no such file", file=sys.stderr)
        return 2
    documents = {os.path.abspath(document): document for document in build.documents()}
    library = {os.path.abspath(f) for f in build.library_paths}
    if path in documents:
        build.read(documents[path])
        for other, document in documents.items():  # the rest only as the site-wide checks need
            if other != path:
                build.peek(document)
    elif path in library:
        for document in documents.values():  # whether its sources are cited: every explainer
            build.read(document)
    else:
        print(
            "error: FILE must be a Markdown file or a sources file inside "
            f'{os.path.relpath(build.content_path)}; got "{escape_unsafe(args.file)}"',
            file=sys.stderr,
        )
        return 2
    build.finish(every_file=False)
    # A broken sources file is reported with the one file that depends on it, first: its
    # errors may be the cause of this file's unknown sources.
    broken = set(build.broken_library_files())
    log = ProblemLog(
        [
            problem
            for problem in build.log.problems
            if os.path.abspath(problem.path) == path or (problem.path in broken and problem.severity == ERROR)
        ]
    )
    report(log, args.format, build)
    strictness = log.strictness(build.settings.strict)
    print(f"Checked {os.path.relpath(path)}: {log.summary()}{strictness}", file=sys.stderr)
    return 1 if log.fails(strict=build.settings.strict) else 0


def report(log: ProblemLog, format: str, build: Run) -> None:
    if format == "json":
        log.report_json()
    elif format == "github":
        log.report_github()
    else:
        log.report(read=build.door.read_file)


def build(args: argparse.Namespace) -> int:
    # Not needed by a check (see the imports); Pelican itself not by a rebuild of one file
    # until its search index is under way (`plugin/quick.py`).
    from .. import output as output_folder  # noqa: PLC0415
    from ..plugin import quick, record  # noqa: PLC0415
    from . import publish as publishing  # noqa: PLC0415

    started = time.monotonic()
    output = os.path.abspath(args.output)
    try:
        output_folder.check_output_folder(
            output,
            content=os.path.abspath(args.input),
            project=os.path.dirname(os.path.abspath(args.settings)),
        )
    except output_folder.OutputFolderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    # Its marker locked while this build runs: another build never takes it for a killed one's.
    with output_folder.staging_folder(output) as staging:
        pelican: Pelican | None = None
        pelican_errors = processes.LoggedErrors()
        logging.getLogger().addHandler(pelican_errors)
        try:
            override = publishing.SETTINGS if args.publish else {}
            settings = load_settings(args, OUTPUT_PATH=staging, **override)
            if args.publish:
                publishing.check_site_url(settings)
            site = record.site_of(settings)  # as read, before Pelican adds to the settings
            # One edited explainer that changed nothing another page shows: built alone.
            rebuilt = None if args.publish else quick.rebuild(settings, output, staging, site)
            if rebuilt is not None:
                output_folder.swap_in(staging, output, keep=settings.get("OUTPUT_RETENTION") or ())
                quick.finish(rebuilt, settings, output)
                rebuilt.problems.report(read=rebuilt.run.door.read_file)
                if rebuilt.kept.note:
                    print(rebuilt.kept.note, file=sys.stderr)
                took = time.monotonic() - started
                print(
                    f"Built {os.path.relpath(output)} in {took:.1f} s; {rebuilt.kept.summary} (only "
                    f"{display_path(os.path.join(rebuilt.run.content_path, rebuilt.path))} changed, and "
                    "only on its own pages: the rest is the last build's)",
                    file=sys.stderr,
                )
                return 0
            if not args.publish:
                # Read again: the attempt's one-file run shared the settings' nested values
                # (JINJA_FILTERS), to which Pelican and the plugin add.
                settings = load_settings(args, OUTPUT_PATH=staging, **override)
            from pelican import Pelican  # noqa: PLC0415

            from ..plugin import state  # noqa: PLC0415

            pelican = Pelican(settings)
            pelican.run()  # the search index too (`handlers.end_of_run`)
            run = state.of(pelican.settings)
            if args.publish:
                publishing.finish(staging)
        except (ContentError, publishing.PublishError) as exc:
            _abandon(pelican, staging)
            print(f"Build failed: {exc}; {_untouched(output)}", file=sys.stderr)
            return 1
        except BaseException as exc:
            _abandon(pelican, staging)
            if isinstance(exc, KeyboardInterrupt):
                print(f"Build interrupted; {_untouched(output)}", file=sys.stderr)
                return 130
            if args.debug:
                raise
            print(
                f"Build failed: {_reason(exc, pelican_errors.messages)}; {_untouched(output)} "
                "(run with DEBUG=1 for the traceback)",
                file=sys.stderr,
            )
            return 1
        finally:
            logging.getLogger().removeHandler(pelican_errors)
        output_folder.swap_in(staging, output, keep=pelican.settings.get("OUTPUT_RETENTION") or ())
        run.carry.save(output)  # what the next build may link rather than write
        if run.search is not None:
            run.search.reseal()  # the search index's files, as linked into this output
        record.keep(run, pelican.settings, output, site)  # what the next build may rebuild alone
        kind = "Published" if args.publish else "Built"
        print(
            f"{kind} {os.path.relpath(output)} in {time.monotonic() - started:.1f} s; {run.run.summary()}",
            file=sys.stderr,
        )
        return 0


def _reason(exc: BaseException, logged: list[str]) -> str:
    """Why a build stopped, in words that name the file where there is one, cut to a line a
    writer can read (a template's error may quote a megabyte): the same whichever process
    met it (`processes.forked` cuts too, and sends what it logged as the exception's notes)."""
    logged = [*logged, *getattr(exc, "__notes__", ())]
    if isinstance(exc, RuntimeError) and logged:
        return processes.cut("; ".join(logged))
    reason = f"{type(exc).__name__}: {processes.cut(str(exc))}"
    filename = getattr(exc, "filename", None)  # template and file errors carry it
    if isinstance(filename, str) and filename not in reason:
        line = getattr(exc, "lineno", None)
        reason += f" (in {filename}{f', line {line}' if isinstance(line, int) else ''})"
    return reason


def _abandon(pelican: Pelican | None, staging: str) -> None:
    """Stop this run's search indexing and cards drawn ahead, and remove what it was writing."""
    from ..plugin import state  # noqa: PLC0415 (a check need not load it: see the imports)

    run = pelican.settings.get(state.KEY) if pelican is not None else None
    if run is not None:
        run.run.abandon()  # the files it was reading behind the run
    if run is not None and run.search is not None:
        run.search.abandon()
    if run is not None and run.head_start is not None:
        run.head_start.remove()  # the cards it was drawing ahead
    shutil.rmtree(staging, ignore_errors=True)


def _untouched(output: str) -> str:
    if os.path.isdir(output):
        return f"{os.path.relpath(output)} is unchanged"
    return "nothing was written"


def new(args: argparse.Namespace) -> int:
    if not args.title.strip():
        print('error: give the title: make new TITLE="Your headline"', file=sys.stderr)
        return 1
    from . import new as new_explainer  # noqa: PLC0415 (a check need not load it: see the imports)

    settings = load_settings(args)
    try:
        path = new_explainer.create(
            args.title,
            content_path=settings["PATH"],
            pelican_settings=settings,
            settings=from_pelican(settings),
            schema_path=str(SCHEMA_DIR / "explainer.schema.json"),
        )
    except (new_explainer.ExistingFileError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Created {os.path.relpath(path)}: a draft. Edit it, then run `make check`.")
    return 0


def schema(args: argparse.Namespace) -> int:
    from . import schema as schemas  # noqa: PLC0415 (a check need not load it: see the imports)

    settings = from_pelican(load_settings(args))
    folder = Path(args.output)
    folder.mkdir(parents=True, exist_ok=True)
    for name, document in (
        ("explainer.schema.json", schemas.front_matter_schema(settings)),
        ("sources.schema.json", schemas.sources_file_schema()),
    ):
        (folder / name).write_text(schemas.dumps(document), encoding="utf-8")
        print(f"Wrote {os.path.relpath(folder / name)}")
    return 0


def import_sources(args: argparse.Namespace) -> int:
    settings = load_settings(args)

    def cited_keys(candidates: dict[str, DeclaredSource]) -> set[str]:
        # Every explainer read as `make check` reads it, with the candidates in the library;
        # uncached, since the cache's key knows only the library's files.
        run = Run({**settings, "CACHE_PATH": None}, pages=False)
        run.library.update({key: entry for key, entry in candidates.items() if key not in run.library})
        for path in run.documents():
            run.read(path)
        return run.reached

    from . import importer  # noqa: PLC0415 (a build need not load it: see the imports)

    return importer.run(
        args.file,
        settings["PATH"],
        from_pelican(settings).sources_dir,
        str(SCHEMA_DIR / "sources.schema.json"),
        default_lang=str(settings.get("DEFAULT_LANG") or "en"),
        cited_keys=cited_keys if args.cited else None,
    )


def archive_sources(args: argparse.Namespace) -> int:
    site, cited, lock, log = _cited_sources(args)
    if log.errors:
        log.report()
        return 1
    archived, already = 0, 0
    try:
        from ..online import archive  # noqa: PLC0415 (a build need not load it: see the imports)

        archived, already = archive.run(cited, lock, site.archive, site.today, log)
    except KeyboardInterrupt:
        log.report()
        print(
            f"Stopped: what was archived is kept in {os.path.relpath(lock.path)}; run again to resume",
            file=sys.stderr,
        )
        return 130
    log.report()
    not_archived = sum(1 for problem in log.warnings if problem.code == "not-archived")
    where = os.path.relpath(lock.path)
    print(
        f"Archived {archived} page{'s' * (archived != 1)} ({already} already in {where}, "
        f"{not_archived} could not be archived): {log.summary()}",
        file=sys.stderr,
    )
    return 1 if log.fails(strict=site.strict) else 0


def check_links(args: argparse.Namespace) -> int:
    from ..online import linkcheck  # noqa: PLC0415 (a build need not load it: see the imports)

    site, cited, lock, log = _cited_sources(args)
    addresses, unanswered = linkcheck.run(cited, lock, site.linkcheck, log)
    log.report()
    if addresses and unanswered == addresses:
        print("No cited address answered at all: is this machine online?", file=sys.stderr)
    print(
        f"Checked {addresses} address{'es' * (addresses != 1)} cited by {len(cited)} "
        f"source{'s' * (len(cited) != 1)}: {log.summary()}",
        file=sys.stderr,
    )
    return 1 if log.fails(strict=site.strict) else 0


def _cited_sources(
    args: argparse.Namespace,
) -> tuple[ExplainerSettings, list[DeclaredSource], lockfile.Lockfile, ProblemLog]:
    """What `archive` and `linkcheck` work on: every cited source, the lockfile, and a log
    that starts with the lockfile's problems."""
    settings = load_settings(args)
    site = from_pelican(settings)
    run = Run(settings)
    lock = run.lockfile
    log = ProblemLog()
    log.extend(p for p in run.log.errors if p.code == "lockfile")
    from ..online.sources import cited_sources  # noqa: PLC0415 (a build need not load it: see the imports)

    cited = cited_sources(run)
    return site, cited, lock, log


def devserver(args: argparse.Namespace) -> int:
    extra = ["--debug"] if args.debug else []
    extra += [item for pair in args.extra_settings for item in ("-e", pair)]
    from . import devserver as dev  # noqa: PLC0415 (a build need not load it: see the imports)

    return dev.serve(
        os.path.abspath(args.input),
        os.path.abspath(args.output),
        os.path.abspath(args.settings),
        args.port,
        extra,
        load_settings=functools.partial(load_settings, args),
    )


class OneLineArguments(logging.Filter):
    """Pelican's own log lines name files too ("Skipping %s: …", where %s is the content
    object, shown as its path): a file name with a newline in it would start a line of its
    own there, and could pass for a problem. Numbers stay numbers, for %d."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                a if isinstance(a, int | float) else escape_unsafe(str(a)) for a in record.args
            )
        return True


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    init_logging(level=logging.DEBUG if args.debug else logging.WARNING, fatal="errors")
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, OneLineArguments) for f in handler.filters):
            handler.addFilter(OneLineArguments())
    # Pelican's own words for a missing content folder ("You need to specify a path containing
    # the content") come as a traceback or name neither the folder nor the variable.
    folder = getattr(args, "input", None)
    if folder is not None and not os.path.isdir(folder):
        reason = "not a folder" if os.path.exists(folder) else "no such folder"
        print(f"error: INPUTDIR {folder}: {reason}", file=sys.stderr)
        return 1
    commands = {
        "build": build,
        "check": check,
        "new": new,
        "schema": schema,
        "import": import_sources,
        "devserver": devserver,
        "archive": archive_sources,
        "linkcheck": check_links,
    }
    return commands[args.command](args)
