"""One explainer file from text to rendered body, view and problems: the named steps.

Used by the Pelican reader for `make html` and directly by `make check`, so the
two can never disagree about what is wrong with a file.
"""

from __future__ import annotations

from collections import ChainMap
from dataclasses import dataclass, field
from typing import Any

from markdown import Markdown

from .document import frontmatter, links, model, rules, validate
from .document.citations import CitationExtension
from .document.inline import InlineRenderer
from .document.library import DeclaredSource
from .document.links import SafeLinksTreeprocessor, is_safe_body_link
from .document.lockfile import Lockfile
from .document.notes import Numbering, number_sources
from .document.problems import ERROR, WARNING, Finding, Problem
from .render.view import ClaimView, CorrectionView, ExplainerView, NoteView, SourceLink
from .settings import ExplainerSettings

# Page fields whose value the plugin has already shaped; Pelican turns them into its own objects.
PELICAN_FIELDS = ("title", "slug", "status", "lang", "category", "tags", "authors")


@dataclass
class Result:
    is_explainer: bool
    html: str = ""
    view: ExplainerView | None = None
    problems: list[Problem] = field(default_factory=list)
    # (claim id, line, review_by) of each claim with a review date: checked against the
    # day of each run, not stored as a problem, since the outcome is cached across days.
    reviews: list[tuple[str, int, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.view is not None and not any(p.severity == ERROR for p in self.problems)

    publishable = ok

    @property
    def summary(self) -> Any:
        return self.view.summary if self.view is not None else None

    @property
    def metadata(self) -> dict[str, Any]:
        """Pelican's page fields, from the validated model (values as Pelican reads text)."""
        model = self.view.model
        fields = model.model_dump(include=set(PELICAN_FIELDS), exclude_none=True)
        if not fields.get("tags"):
            fields.pop("tags", None)
        if not fields.get("authors"):
            fields.pop("authors", None)
        fields["date"] = model.date.isoformat()
        if model.last_modified:
            fields["modified"] = model.last_modified.isoformat()
        for name, value in (model.model_extra or {}).items():
            fields[name.lower()] = value
        return fields


def markdown_options(markdown_settings: dict[str, Any] | None) -> dict[str, Any]:
    """Pelican's MARKDOWN setting as Python-Markdown's keyword arguments, as Pelican reads it.

    Pelican loads every extension named in `extension_configs` (and adds `meta`, which the
    explainers' YAML front matter replaces). Pelican's reader adds them to the setting
    itself, so the result is the same before and after it has run.
    """
    options = dict(markdown_settings or {})
    configs = options.get("extension_configs", {})
    names = [*options.get("extensions", []), *configs]
    options["extensions"] = [n for n in dict.fromkeys(names) if n != "markdown.extensions.meta"]
    return options


class ExplainerBuilder:
    """Builds explainers one after another, reusing one Markdown instance (resetting it)."""

    def __init__(
        self,
        settings: ExplainerSettings,
        library: dict[str, DeclaredSource],
        markdown_settings: dict[str, Any] | None = None,
        archives: Lockfile | None = None,
    ):
        self.settings = settings
        self.library = library
        self.archives = archives
        self.citations = CitationExtension()
        self.unsafe_links: list[str] = []
        options = markdown_options(markdown_settings)
        extensions = options.pop("extensions")
        self.md = Markdown(extensions=[*extensions, self.citations], **options)
        self.md.treeprocessors.register(
            SafeLinksTreeprocessor(self.md, is_safe_body_link, self.unsafe_links), "safe-links", 5
        )
        self.inline = InlineRenderer()

    def build(self, path: str, text: str) -> Result:
        text = frontmatter.normalise(text)
        try:
            document = frontmatter.split(text)
        except frontmatter.FrontMatterError as exc:
            return Result(True, problems=[Problem(path, exc.line, ERROR, exc.message, "yaml-syntax")])
        if document.yaml_text is None:
            return Result(is_explainer=False)

        front, findings = frontmatter.load(document)
        if front is None:
            return Result(True, problems=validate.locate(findings, path))
        validated = validate.validate_explainer(front.data, front.invalid)
        explainer = validated.explainer
        findings += validated.findings
        findings += rules.check_references(validated, self.settings, self.library)

        html, numbering = self.convert_body(validated, document, findings)
        # A page is made only from complete front matter; the rest still gets checked.
        view = self.make_view(explainer, numbering, findings) if validated.complete else None
        if view is not None:
            view.words = len(document.body.split())
        for key in explainer.sources:
            if key not in numbering.numbers:
                message = f'source "{key}" is not cited by any claim or in the body'
                findings.append(Finding(WARNING, message, "unreached-source", at=("sources", key)))
        problems = validate.locate(findings, path, front, document)
        reviews = [
            (claim.id, front.line((*at, "review_by")), claim.review_by)
            for at, claim in zip(validated.claim_paths, explainer.claims, strict=True)
            if claim.review_by
        ]
        return Result(True, html=html, view=view, problems=problems, reviews=reviews)

    def convert_body(
        self, validated: validate.Validated, document: frontmatter.Document, findings: list[Finding]
    ):
        explainer = validated.explainer
        known = ChainMap(explainer.sources, self.library, dict.fromkeys(validated.broken_sources))
        # Unknown keys were reported by check_references; leaving them out here keeps
        # one mistake from showing up as several.
        claim_sources = {
            claim.id: [(use.source, use.locator or "") for use in claim.sources if use.source in known]
            for claim in explainer.claims
        }
        for claim, keys in validated.broken_claims.items():
            claim_sources.setdefault(claim, [(key, "") for key in keys if key in known])
        self.md.reset()
        self.unsafe_links.clear()
        self.citations.begin(claim_sources, known)
        html = self.md.convert(document.body)
        # Python-Markdown skips its processors for an empty body: number the claims' sources here.
        numbering = self.citations.numbering or Numbering(
            order=number_sources([], ([key for key, _ in uses] for uses in claim_sources.values()))
        )
        find = _Locator(document.body)
        for problem in self.citations.document.problems:
            findings.append(Finding(ERROR, problem.message, problem.code, offset=find(problem.needle)))
        for url in self.unsafe_links:
            message = f'link to "{url}": only http(s), mailto and relative links are allowed'
            findings.append(Finding(ERROR, message, "unsafe-link", offset=find(url)))
        for fragment in self.md.htmlStash.rawHtmlBlocks:
            for needle, reason in links.unsafe_html(str(fragment)):
                message = f"raw HTML in the body: {reason}"
                findings.append(Finding(ERROR, message, "unsafe-html", offset=find(needle)))
        return html, numbering

    def make_view(self, explainer: model.Explainer, numbering, findings: list[Finding]) -> ExplainerView:
        numbers = numbering.numbers

        def render(text: str | None, loc: tuple) -> Any:
            if text is None:
                return None
            html = self.inline.render(text)
            for url in self.inline.take_refused():
                message = f'link to "{url}": only http(s) links are allowed here'
                findings.append(Finding(ERROR, message, "unsafe-link", at=loc))
            return html

        notes = []
        for key in numbering.order:
            site_wide = key not in explainer.sources
            source = self.library[key].source if site_wide else explainer.sources[key]
            archived = self.archives.copy_for(source) if self.archives else None
            notes.append(NoteView(numbers[key], key, source, numbering.backlinks(key), site_wide, archived))

        claims = []
        for index, claim in enumerate(explainer.claims):
            status = self.settings.statuses.get(claim.status)
            if status is None:  # already reported; keep rendering to find more problems
                continue
            links = [
                SourceLink(numbers[use.source], use.source, use.locator or "")
                for use in claim.sources
                if use.source in numbers
            ]
            claims.append(
                ClaimView(
                    claim,
                    status,
                    render(claim.text, ("claims", index, "text")),
                    render(claim.note, ("claims", index, "note")),
                    links,
                )
            )

        corrections = [
            CorrectionView(correction, render(correction.text, ("corrections", index, "text")))
            for index, correction in enumerate(explainer.corrections)
        ]
        return ExplainerView(
            explainer, notes, claims, corrections, summary=render(explainer.summary, ("summary",))
        )


class _Locator:
    """Finds the offset of a piece of body text, the n-th time for its n-th problem."""

    def __init__(self, body: str):
        self.body = body
        self.seen: dict[str, int] = {}

    def __call__(self, needle: str) -> int:
        start = 0
        for _ in range(self.seen.get(needle, 0) + 1):
            found = self.body.find(needle, start)
            if found < 0:
                break
            position, start = found, found + 1
        else:
            self.seen[needle] = self.seen.get(needle, 0) + 1
            return position
        # Python-Markdown may have re-flowed the text (lists, indents): fall back to
        # the first word of the needle, then to the start of the body.
        words = needle.split()
        if words and words[0] != needle and words[0] in self.body:
            return self.body.find(words[0])
        return 0
