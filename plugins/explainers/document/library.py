"""The site-wide sources library: `sources/*.yml` under the content folder.

Each file is a mapping of source key to source, with the same fields as an
explainer's own `sources:`. Every explainer may cite these keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from pydantic import BaseModel

from . import frontmatter, model, rules, validate
from .files import RefusedFileError, library_files
from .problems import ERROR, Problem, display_path


@dataclass(frozen=True)
class DeclaredSource:
    """A source with the place that declares it: a sources file here, or an explainer's
    front matter (what `make archive` and `make linkcheck` visit)."""

    key: str
    source: model.Source
    path: str
    line: int  # the line of its key

    @property
    def where(self) -> str:
        return f"{display_path(self.path)}:{self.line}"


class _LibraryEntry(BaseModel):
    # Validated one entry at a time, so that one broken source does not hide the others.
    sources: dict[model.Key, model.Source]


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def load_library(
    content_path: str, sources_dir: str, read: Callable[[str], bytes] = _read_bytes
) -> tuple[dict[str, DeclaredSource], list[Problem]]:
    """Every valid site-wide source by key, and every problem found in the files.

    `read`: how a file is read (the content folder's door, in a run)."""
    library: dict[str, DeclaredSource] = {}
    problems: list[Problem] = []
    for path in library_files(content_path, sources_dir):
        entries, file_problems = load_file(path, read)
        problems.extend(file_problems)
        for entry in entries:
            if entry.key in library:
                problems.append(
                    Problem(
                        path,
                        entry.line,
                        ERROR,
                        f'source "{entry.key}" is already declared at {library[entry.key].where}',
                        "duplicate-key",
                    )
                )
                continue
            library[entry.key] = entry
    return library, problems


def load_file(
    path: str, read: Callable[[str], bytes] = _read_bytes
) -> tuple[list[DeclaredSource], list[Problem]]:
    try:
        text = frontmatter.normalise(read(path).decode("utf-8"))
    except RefusedFileError as exc:
        return [], [Problem(path, 1, ERROR, exc.message, exc.code)]
    except UnicodeDecodeError as exc:
        return [], [
            Problem(
                path,
                _line_of_offset_bytes(path, exc.start),
                ERROR,
                f"the file is not UTF-8 text ({exc.reason})",
                "not-utf8",
            )
        ]
    document = frontmatter.Document(yaml_text=text, body="", yaml_line=1)
    front, findings = frontmatter.load(document)
    problems = validate.locate(findings, path, front)
    if front is None:
        if problems and "empty" in problems[0].message:
            return [], []  # an empty library file declares nothing, which is fine
        return [], [_library_wording(p) for p in problems]
    entries = []
    for key, value in front.data.items():
        # Checked as an explainer's `sources:` of one, so its problems read the same.
        entry_front = frontmatter.FrontMatter(
            data={"sources": {key: value}},
            lines={("sources", *k): v for k, v in front.lines.items() if k and k[0] == key},
        )
        validated, entry_findings = validate.validate(entry_front.data, _LibraryEntry)
        if validated is not None:
            source = validated.sources[key]
            entries.append(DeclaredSource(key, source, path, front.line((key,))))
            entry_findings += rules.source_warnings(source, key)
        problems.extend(validate.locate(entry_findings, path, entry_front))
    return entries, problems


def _library_wording(problem: Problem) -> Problem:
    if "front matter must be a mapping" in problem.message:
        return replace(problem, message="a sources file must be a mapping of source keys to sources")
    return replace(problem, message=problem.message.replace("the front matter", "the file"))


def _line_of_offset_bytes(path: str, offset: int) -> int:
    with open(path, "rb") as handle:
        return handle.read(offset).count(b"\n") + 1
