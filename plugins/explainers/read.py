"""The spine: one content file's bytes in; its model, body HTML, page view and problems out.

Every way into the site goes through `ExplainerBuilder.read`: `make html` (the Pelican
reader), `make check`, the dev server, `make archive` and `make linkcheck`, so none of
them can disagree about what a file is or what is wrong with it. It uses no Pelican
globals and writes nothing: the caller (`run.Run`) decides what to do with the outcome.

Two kinds of file come through: explainers (YAML front matter) and plain Markdown
articles or pages (Pelican's `Key: value` header). Both meet the same allow-lists: page
fields (`document/fields.py`), the HTML a body may carry (`document/sanitize.py`,
`document/body.py`) and the files a link may reach (`document/intrasite.py`).
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections import ChainMap
from dataclasses import dataclass, field
from typing import Any

from markdown import Markdown
from markupsafe import Markup, escape

from .document import (
    body,
    brackets,
    characters,
    embeds,
    fields,
    frontmatter,
    header,
    intrasite,
    model,
    prefilter,
    rules,
    validate,
    verdict,
)
from .document.citations import CitationExtension, groups_in
from .document.figures import Media, MediaExtension
from .document.files import Door
from .document.frontmatter import FrontMatter
from .document.inline import InlineRenderer
from .document.intrasite import Target
from .document.library import DeclaredSource
from .document.links import SafeLinksTreeprocessor, is_safe_body_link
from .document.locator import Locator, line_of
from .document.lockfile import Lockfile
from .document.notes import Numbering, number_sources
from .document.problems import ERROR, WARNING, Finding, Problem
from .document.sanitize import Sanitizer
from .render.view import (
    ClaimView,
    CorrectionView,
    ExplainerView,
    LeadImageView,
    NoteView,
    SourceLink,
    StoredView,
)
from .settings import ExplainerSettings, markdown_options

# What a lead image may be (of the site's STATIC_TYPES): what browsers show in an <img>.
IMAGE_TYPES = frozenset({"png", "jpg", "jpeg", "gif", "webp", "avif"})


@dataclass
class Result:
    is_explainer: bool
    html: str = ""
    # A run keeps it stored (`run.cache_parts`): the same attributes, unpacked on demand.
    view: ExplainerView | StoredView | None = None
    problems: list[Problem] = field(default_factory=list)
    # (claim id, line, review_by) of each claim with a review date: checked against the
    # day of each run, not stored as a problem, since the outcome is cached across days.
    reviews: list[tuple[str, int, Any]] = field(default_factory=list)
    # A plain article's page fields (allow-listed, checked, as text) and its summary.
    plain_fields: dict[str, str] | None = None
    plain_summary: Markup | None = None
    # The files its intrasite links reach, and the line of its slug (or title), for the
    # run's site-wide checks.
    targets: list[Target] = field(default_factory=list)
    slug_line: int = 1
    lang_line: int = 1  # its `lang`'s, else the slug's (or title's)
    # Every valid source the front matter declares, with its line: what `make archive`
    # and `make linkcheck` visit, even in a file with other problems.
    declared: list[tuple[str, Any, int]] = field(default_factory=list)

    @classmethod
    def stopped(cls, path: str, line: int, message: str, code: str) -> Result:
        """A file read no further than the one error that stopped it."""
        return cls(True, problems=[Problem(path, line, ERROR, message, code)])

    @property
    def publishable(self) -> bool:
        """No error, and a page to make: an explainer's view, or a plain article's fields."""
        if any(p.severity == ERROR for p in self.problems):
            return False
        return self.view is not None or self.plain_fields is not None

    @property
    def summary(self) -> Any:
        if self.plain_fields is not None:
            return self.plain_summary
        return self.view.summary if self.view is not None else None

    @property
    def metadata(self) -> dict[str, Any]:
        """Pelican's page fields, allow-listed and checked (values as Pelican reads text)."""
        if self.plain_fields is not None:
            return {k: v for k, v in self.plain_fields.items() if k != "summary"}
        return dict(self.view.page_fields)


# A citation group as written (`[@a; see @b, p. 4]`): no words a reader reads.
CITATION_TEXT = re.compile(r"\[[^\[\]]*@[^\[\]]*\]")


def reading_words(body_text: str, view: ExplainerView) -> int:
    """The words a reader reads: the standfirst, the claims at a glance and the story
    (not the citations, nor the notes, which are looked up rather than read)."""
    words = len(CITATION_TEXT.sub(" ", body_text).split())
    words += len(str(view.summary or "").split())
    return words + sum(len(str(item.text).split()) for item in view.claims)


@dataclass
class BodyMarkdown:
    """A Markdown instance for bodies, with what the reader installs on it: the links it
    refused, the check of the HTML it makes and the embeds and figures it found."""

    md: Markdown
    unsafe: list[str]
    check: body.BodyCheck
    media: Media

    def reset(self) -> None:
        """Ready for the next file (the media are reset with the Markdown's extensions)."""
        self.md.reset()
        self.unsafe.clear()


class ExplainerBuilder:
    """Reads content files one after another, reusing its Markdown instances (reset each time)."""

    def __init__(
        self,
        settings: ExplainerSettings,
        library: dict[str, DeclaredSource],
        markdown_settings: dict[str, Any] | None = None,
        archives: Lockfile | None = None,
        door: Door | None = None,
        *,
        pages: bool = True,
    ):
        """`pages`: whether the outcomes make pages (a build), or only their problems are
        wanted (a check): then the front matter's inline Markdown is not rendered."""
        self.settings = settings
        self.pages = pages
        self.library = library
        self.archives = archives
        self.door = door
        self.sanitizer = Sanitizer(settings.html)
        self.citations = CitationExtension()
        self.markdown = self._markdown(markdown_settings, [self.citations])
        self._markdown_settings = markdown_settings
        self._plain: BodyMarkdown | None = None
        self.inline = InlineRenderer()

    def _markdown(self, markdown_settings, extra: list) -> BodyMarkdown:
        options = markdown_options(markdown_settings)
        extensions = options.pop("extensions")
        media = MediaExtension(self.settings.embed_hosts)
        md = Markdown(extensions=[*extensions, *extra, media], **options)
        prefilter.install(md)  # the same HTML, without trying patterns a text cannot match
        if not self.pages:
            verdict.for_a_check(md, self.sanitizer, self.door)  # only what a check reads (see there)
        if not extra:  # the citation extension bounds its own Markdown's link patterns
            brackets.bound(md)
        unsafe: list[str] = []
        md.treeprocessors.register(SafeLinksTreeprocessor(md, is_safe_body_link, unsafe), "safe-links", 5)
        own = (lambda: self.citations.document.groups) if extra else list
        return BodyMarkdown(md, unsafe, body.BodyCheck.install(md, self.sanitizer, own), media.media)

    @property
    def plain(self) -> BodyMarkdown:
        """The Markdown of plain articles: the site's extensions, no citations."""
        if self._plain is None:
            self._plain = self._markdown(self._markdown_settings, [])
        return self._plain

    def read(self, path: str, data: bytes, *, page: bool = False) -> Result:
        """One content file's bytes: an explainer or a plain article or page (`page`: in a
        page folder). Never raises for what a file holds: every failure is a Problem."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            message = (
                f"the file is not UTF-8 text: byte {data[exc.start]:#04x} cannot be read "
                f"({exc.reason}); save it as UTF-8"
            )
            return Result.stopped(path, line, message, "not-utf8")
        try:
            text = frontmatter.normalise(text)
            if found := characters.first(text):
                line = text.count("\n", 0, found.start()) + 1
                return Result.stopped(path, line, characters.problem(found), "not-text")
            if frontmatter.has_front_matter(text):
                if page:
                    message = "an explainer is an article: move it out of the pages folder"
                    return Result.stopped(path, 1, message, "explainer-in-pages")
                return self.build(path, text)
            misplaced = header.misplaced_front_matter(text)
            if misplaced is not None:
                return Result.stopped(path, misplaced[0], misplaced[1], "front-matter-start")
            return self.build_plain(path, text, page=page)
        except RecursionError:
            message = "the file is nested too deeply to read (lists, quotes or brackets): simplify it"
            return Result.stopped(path, 1, message, "too-deep")
        except Exception as exc:  # a reader bug must not become a traceback: a problem at a line
            message = (
                f"the file could not be read ({type(exc).__name__}: {exc}); this is a bug in the "
                "explainers plugin: please report it with the file"
            )
            return Result.stopped(path, 1, message, "reader-failed")

    def build(self, path: str, text: str) -> Result:
        """An explainer, from text `read` has normalised."""
        try:
            document = frontmatter.split(text)
        except frontmatter.FrontMatterError as exc:
            return Result.stopped(path, exc.line, exc.message, "yaml-syntax")
        if document.yaml_text is None:
            return Result(is_explainer=False)

        front, findings = frontmatter.load(document)
        if front is None:
            return Result(True, problems=validate.locate(findings, path))
        findings += self.check_fields(front)
        findings += [
            Finding(ERROR, characters.message(char), "not-text", at=at)
            for at, char in characters.in_front_matter(front.data, document.yaml_text)
        ]
        validated = validate.validate_explainer(front.data, front.invalid)
        explainer = validated.explainer
        findings += validated.findings
        findings += rules.check_references(validated, self.settings, self.library)

        html, numbering, targets = self.convert_body(validated, document, findings, path)
        targets = [dataclasses.replace(t, line=line_of(document, t.line)) for t in targets]
        findings += self.check_image_text(explainer)
        image_target = self.check_image(explainer, path, findings)
        if image_target is not None:
            targets.append(dataclasses.replace(image_target, line=front.line(("image", "file"))))
        # A page is made only from complete front matter; the rest still gets checked.
        view = self.make_view(explainer, numbering, findings) if validated.complete else None
        if view is not None and image_target is not None:
            view.image = self.image_view(explainer.image, image_target, findings)
        if view is not None and self.pages:
            view.words = reading_words(document.body, view)
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
        slug_line = front.line(("slug",)) if "slug" in front.data else front.line(("title",))
        lang_line = front.line(("lang",)) if "lang" in front.data else slug_line
        declared = [(key, source, front.line(("sources", key))) for key, source in explainer.sources.items()]
        return Result(
            True,
            html=html,
            view=view,
            problems=problems,
            reviews=reviews,
            targets=targets,
            slug_line=slug_line,
            lang_line=lang_line,
            declared=declared,
        )

    def check_image_text(self, explainer: model.Explainer) -> list[Finding]:
        """No citation in the lead image's caption or credit. The image stands above the story,
        whose citations number the notes in reading order: a number there would come before
        note 1, or break the order. A figure in the body may cite (its place in the story
        gives its number), and the caption's words may name the source."""
        image = explainer.image
        found = []
        for name in ("caption", "credit"):
            for group in groups_in(getattr(image, name, None) or ""):
                message = (
                    f"image: {name}: a citation ({group}) cannot go in the lead image's {name}: the notes "
                    "are numbered from the story, which starts below it; name the source in words, or "
                    "put the image in the body as a figure, whose Caption: may cite"
                )
                found.append(Finding(ERROR, message, "image-citation", at=("image", name)))
        return found

    def check_image(self, explainer: model.Explainer, path: str, findings: list[Finding]) -> Target | None:
        """The lead image's file, confined as a body's `{static}` link is (its existence and
        type are checked by the run, with every other link's, against the folder as it is)."""
        image = explainer.image
        if image is None or self.door is None:
            return None
        # `{static}/images/x.jpg`, as in the body, is the same path as `/images/x.jpg`.
        value = image.file.removeprefix("{static}")
        if "://" in value or value.startswith("//"):
            message = (
                f"image: file: {image.file}: the lead image is a file in the content folder, not an address"
            )
            findings.append(Finding(ERROR, message, "bad-image", at=("image", "file")))
            return None
        label = f"image: file: {value}"
        problem, target = intrasite.confine_path("static", value, path, self.door, label=label)
        if problem is not None:
            findings.append(Finding(ERROR, problem.message, problem.code, at=("image", "file")))
            return None
        extension = os.path.splitext(value)[1].lower().lstrip(".")
        if extension not in IMAGE_TYPES & self.settings.static_types:
            kinds = ", ".join(sorted(IMAGE_TYPES & self.settings.static_types))
            message = f"image: file: {image.file}: the lead image is an image file ({kinds})"
            findings.append(Finding(ERROR, message, "bad-image", at=("image", "file")))
            return None
        return dataclasses.replace(target, label=f"image: file: {image.file}")

    def image_view(self, image: model.LeadImage, target: Target, findings: list[Finding]) -> LeadImageView:
        def render(text: str | None, name: str) -> Any:
            return self._field_html(text, ("image", name), findings)

        root = self.door.root
        return LeadImageView(
            file=os.path.relpath(target.path, root).replace(os.sep, "/"),
            source_path=target.path,
            alt="" if image.decorative else (image.alt or ""),
            caption=render(image.caption, "caption"),
            credit=render(image.credit, "credit"),
            decorative=image.decorative,
        )

    def check_fields(self, front: FrontMatter) -> list[Finding]:
        """The front matter's page fields against the allow-list; the ones Pelican acts on."""
        known = frozenset(model.Explainer.model_fields) | fields.EXPLAINER_PELICAN_FIELDS
        allowed = self.settings.allow_fields & fields.WRITE_FIELDS
        found = fields.check_names([str(name) for name in front.data], known, allowed)
        templates = self.settings.templates | {"explainer"}
        for name in allowed & set(front.data):
            found.append(fields.check_write_field(name, front.data[name], templates))
        if isinstance(front.data.get("slug"), str):
            found.append(fields.check_slug(front.data["slug"]))
        if isinstance(front.data.get("lang"), str):
            found.append(fields.check_lang(front.data["lang"]))
        if isinstance(front.data.get("category"), str):
            found.append(fields.check_name("category", front.data["category"]))
        if "translation" in front.data:
            found.append(fields.check_translation(front.data["translation"]))
        for name in ("tags", "authors"):
            values = front.data.get(name)
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, str):
                    found.append(fields.check_name(name, value))
        return [Finding(ERROR, p.message, p.code, at=(p.name,)) for p in found if p is not None]

    def build_plain(self, path: str, text: str, *, page: bool) -> Result:
        """A plain Markdown article or page: Pelican's header, allow-listed and checked."""
        head = header.parse(text)
        problems: list[Problem] = []

        def add(problem: fields.FieldProblem | None) -> None:
            if problem is not None:
                problems.append(
                    Problem(path, head.lines.get(problem.name, 1), ERROR, problem.message, problem.code)
                )

        for name, line in head.duplicates:
            problems.append(
                Problem(path, line, ERROR, f'the field "{name}" is given twice', "duplicate-field")
            )
        allowed = self.settings.allow_fields & fields.WRITE_FIELDS
        for problem in fields.check_names(head.fields, fields.PLAIN_FIELDS, allowed):
            add(problem)
        values = {k: v for k, v in head.fields.items() if k in fields.PLAIN_FIELDS or k in allowed}
        for name, value in list(values.items()):
            if problem := fields.check_not_empty(name, value):
                add(problem)
                del values[name]  # reported once, as empty, not again as missing or malformed
        for name in ("category", "author"):
            if values.get(name):
                add(fields.check_name(name, values[name]))
        for name in ("tags", "authors"):
            for item in (values.get(name) or "").split(","):
                if item.strip():
                    add(fields.check_name(name, item.strip()))
        if "title" not in values and not any(p.code == "empty-field" for p in problems):
            problems.append(
                Problem(
                    path,
                    1,
                    ERROR,
                    "no title: start the file with a line Title: …, or with YAML front matter between ---",
                    "missing-title",
                )
            )
        for name in ("date", "modified"):
            if values.get(name):
                add(fields.check_date(name, values[name]))
        if not page and "date" not in values and head.lines.get("date") is None:
            problems.append(
                Problem(
                    path,
                    1,
                    ERROR,
                    "no date: an article needs a line Date: YYYY-MM-DD in its header",
                    "missing-date",
                )
            )
        for name, check in (
            ("slug", fields.check_slug),
            ("lang", fields.check_lang),
            ("status", fields.check_status),
            ("translation", fields.check_translation),
        ):
            if name in values:
                add(check(values[name]))
        templates = self.settings.templates | {"page" if page else "article"}
        for name in allowed & set(values):
            add(fields.check_write_field(name, values[name], templates))

        summary = None
        if values.get("summary"):
            summary, refused = self._inline(values["summary"])
            for url in refused:
                message = f'link to "{url}": only http(s) links are allowed here'
                problems.append(Problem(path, head.lines["summary"], ERROR, message, "unsafe-link"))
        document = frontmatter.Document(yaml_text=None, body=head.body, body_line=head.body_line)
        html = verdict.converted(self.plain.md, document.body, self.plain.reset)
        findings: list[Finding] = []
        html, targets = self._finish_body(self.plain, html, path=path, document=document, findings=findings)
        problems += validate.locate(findings, path, None, document)
        targets = [dataclasses.replace(t, line=line_of(document, t.line)) for t in targets]
        slug_line = head.lines.get("slug", head.lines.get("title", 1))
        return Result(
            False, html=html, problems=problems, plain_fields=values, plain_summary=summary,
            targets=targets, slug_line=slug_line, lang_line=head.lines.get("lang", slug_line),
        )  # fmt: skip

    def _finish_body(
        self, markdown: BodyMarkdown, html: str, *, path, document, findings
    ) -> tuple[str, list[Target]]:
        """Find what the body's HTML may not hold; clean it; confine its links; put in the
        embeds' frames. The targets' `line` holds their offset into the body until the
        caller makes it a line."""
        md, check, media = markdown.md, markdown.check, markdown.media
        find = Locator(document.body)
        for url in markdown.unsafe:
            message = f'link to "{url}": only http(s), mailto and relative links are allowed'
            findings.append(Finding(ERROR, message, "unsafe-link", offset=find(url)))
        for problem in media.problems:
            offset = find.in_block(problem.block, problem.nth, problem.needle)
            findings.append(Finding(ERROR, problem.message, problem.code, offset=offset))
        for src in filter(None, check.without_alt):
            message = (
                f"the image {src} has no alt text: say what it shows in the brackets, "
                f"![what it shows]({src}), for readers who cannot see it "
                f'(an image that only decorates: <img src="{src}" alt="">)'
            )
            findings.append(Finding(WARNING, message, "image-alt", offset=find(f"]({src}")))
        if self.door is None:
            return embeds.insert_frames(self.sanitizer.clean(html), media.embeds, media.token), []
        html, found, targets = body.finish(
            md, check, html, path=path, door=self.door, sanitizer=self.sanitizer
        )
        places: dict[int, int] = {}  # each raw HTML fragment's offset, found once
        for needle, message, code, fragment in found:
            if fragment is None:
                offset = find(needle)
            else:
                if id(fragment) not in places:
                    places[id(fragment)] = find.fragment(fragment)
                offset = find.within(places[id(fragment)], fragment, needle)
            findings.append(Finding(ERROR, message, code, offset=offset))
        if html or self.pages:
            # (A check that made no HTML of the body, `verdict.NothingRead`, has no placeholder.)
            html = embeds.insert_frames(html, media.embeds, media.token)
        return html, [dataclasses.replace(target, line=find(target.needle)) for target in targets]

    def _inline(self, text: str) -> tuple[Markup, list[str]]:
        """Inline Markdown from a page field, sanitized; and the addresses it refused."""
        html = self.inline.render(text)
        refused = self.inline.take_refused()
        return (Markup(self.sanitizer.clean(html)) if "<" in html else html), refused

    def _field_html(self, text: str | None, at: tuple, findings: list[Finding]) -> Any:
        """A front-matter field's inline Markdown as HTML (None stays None); each link it
        refused is an error at the field."""
        if text is None:
            return None
        if self.pages:
            html, refused = self._inline(text)
        else:  # a check makes no page: the refused addresses are all it needs of the HTML
            html, refused = escape(text), self.inline.refused_in(text)
        for url in refused:
            message = f'link to "{url}": only http(s) links are allowed here'
            findings.append(Finding(ERROR, message, "unsafe-link", at=at))
        return html

    def convert_body(
        self,
        validated: validate.Validated,
        document: frontmatter.Document,
        findings: list[Finding],
        path: str,
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
        statuses = self.settings.statuses
        claim_statuses = {
            claim.id: (claim.status, statuses[claim.status].label)
            for claim in explainer.claims
            if claim.status in statuses
        }

        def ready() -> None:
            self.markdown.reset()
            self.citations.begin(claim_sources, known, claim_statuses)

        html = verdict.converted(self.markdown.md, document.body, ready)
        # Python-Markdown skips its processors for an empty body: number the claims' sources here.
        numbering = self.citations.numbering or Numbering(
            order=number_sources([], ([key for key, _ in uses] for uses in claim_sources.values()))
        )
        find = Locator(document.body)
        for problem in self.citations.document.problems:
            findings.append(Finding(ERROR, problem.message, problem.code, offset=find(problem.needle)))
        html, targets = self._finish_body(
            self.markdown, html, path=path, document=document, findings=findings
        )
        return html, numbering, targets

    def make_view(self, explainer: model.Explainer, numbering, findings: list[Finding]) -> ExplainerView:
        numbers = numbering.numbers

        def render(text: str | None, loc: tuple) -> Any:
            return self._field_html(text, loc, findings)

        # Each source's claims, by their number in the list of claims: its note leads back to them.
        resting: dict[str, list[tuple[int, str]]] = {}
        for index, claim in enumerate(explainer.claims):
            for use in claim.sources:
                claims_of = resting.setdefault(use.source, [])
                if (index + 1, claim.id) not in claims_of:
                    claims_of.append((index + 1, claim.id))
        notes = []
        for key in numbering.order:
            site_wide = key not in explainer.sources
            source = self.library[key].source if site_wide else explainer.sources[key]
            archived = self.archives.copy_for(source) if self.archives else None
            notes.append(
                NoteView(
                    numbers[key], key, source, numbering.backlinks(key), site_wide, archived,
                    claims=resting.get(key, []),
                )
            )  # fmt: skip

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
                    passages=numbering.passages.get(claim.id, []),
                )
            )

        corrections = [
            CorrectionView(correction, render(correction.text, ("corrections", index, "text")))
            for index, correction in enumerate(explainer.corrections)
        ]
        return ExplainerView(
            explainer,
            notes,
            claims,
            corrections,
            summary=render(explainer.summary, ("summary",)),
            title=self.inline.smart(explainer.title),
        )
