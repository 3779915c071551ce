"""The attack corpus's harness: one case = hostile files, a command, what is observed.

Each case gets a fresh temporary folder laid out like a writer's machine:

    TMP/                      canaries beside the project: a secret file, a fake .git with
      secret.txt, .git/config, a token, a fake site-packages, a victim file, a foreign folder
      venv/…/site-packages/
      foreign/important.txt
      site/                   the project folder (a fake Makefile, its own .git and secret)
        content/              the hostile content
        output/               a previous, good build (copied from a baseline build)

`check` and `build` run as `python -m explainers …` (what `make check` / `make html` run),
or through `make` itself, each in a subprocess with a time budget and an address-space
limit. Then only observables are judged: exit codes, the problem lines on stderr, the
files of the temporary folder before and after, and every file the build wrote.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from attack_scan import scan_output
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]
CONFFILE = ROOT / "pelican.conf.py"
THEME_STATIC = ROOT / "theme" / "static"
VENV_PY = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PY if VENV_PY.exists() else Path(sys.executable))

SECRET = "CANARY-7f3a9c-SECRET-TOKEN"
PASSWD_MARK = "root:x:0:0"  # what /etc/passwd would bring into a page
BUDGET = 120.0  # seconds for one command: a legitimate run takes about half a second
MEMORY = 3 * 1024**3  # RLIMIT_AS of each command
FILE_SIZE = 256 * 1024**2  # RLIMIT_FSIZE: a copy of /dev/zero must not fill the disk


# --- what a case is made of -------------------------------------------------------------


@dataclass(frozen=True)
class Symlink:
    target: str  # may use @TMP@, @SITE@, @CONTENT@


@dataclass(frozen=True)
class Fifo:
    pass


@dataclass(frozen=True)
class Hardlink:
    """A hard link (as an archive or a copy tool may make one): another name for a file."""

    target: str  # may use @TMP@, @SITE@, @CONTENT@


@dataclass(frozen=True)
class Case:
    id: str
    cls: str
    files: dict[str, Any]  # path under content/ -> str | bytes | Symlink | Hardlink | Fifo
    note: str = ""
    culprit: str | None = "evil.md"  # the file a located error must name
    line: int | str | None = None  # its line, or a text whose first line it is
    expect: str = "safe"  # "error": must be refused; "safe": refused or published safely; "pass"
    mode: str = "both"  # "both": check and build; "build": build only; "make": make check + make html
    output: str = "@SITE@/output"
    extra: tuple[str, ...] = ()  # more arguments for both commands
    check_extra: tuple[str, ...] = ()  # … for check only
    build_extra: tuple[str, ...] = ()  # … for build only
    budget: float = BUDGET
    concurrent: bool = False  # run check and build side by side (cases that may hang)
    allowed: tuple[str, ...] = ("site/output", "site/cache", "site/.output.building-")
    additive: tuple[str, ...] = ()  # folders where new files are allowed, nothing else
    forbidden_paths: tuple[str, ...] = ()  # must not exist afterwards
    forbidden_text: tuple[str, ...] = ()  # must not appear in any output file
    forbidden_outputs: tuple[str, ...] = ()  # output-relative names that must not exist
    seed_output: bool = True
    memory: int = MEMORY  # RLIMIT_AS of each command
    # Hosts the case's site allows frames from (its EXPLAINERS["EMBED_HOSTS"]): on a page, an
    # <iframe> from one of them, sandboxed as the writers' guide says, is no finding.
    frame_hosts: tuple[str, ...] = ()


@dataclass
class Outcome:
    name: str
    code: int | None
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False

    @property
    def failed(self) -> bool:
        return self.code != 0


# --- the temporary machine ----------------------------------------------------------------

SECRET_EXPLAINER = f"""---
title: "Leaked {SECRET}"
date: 2025-01-14
summary: "{SECRET}"
sources:
  leak:
    title: "{SECRET}"
    publisher: Outside
    url: https://outside.example/
    accessed: 2025-01-12
  leak2:
    title: Other
    publisher: Elsewhere
    url: https://elsewhere.example/
    accessed: 2025-01-12
claims:
  - id: leaked
    text: "{SECRET}"
    status: confirmed
    sources: [leak, leak2]
---

{SECRET} [@leaked].
"""

SECRET_SOURCES = f"""leaked:
  title: "{SECRET}"
  publisher: Outside
  url: https://outside.example/{SECRET}
  accessed: 2025-01-12
"""


class Lab:
    def __init__(self, tmp: Path, case: Case):
        self.tmp = tmp
        self.case = case
        self.site = tmp / "site"
        self.content = self.site / "content"
        self.output = Path(self.sub(case.output))

    def sub(self, text: str) -> str:
        return (
            text.replace("@CONTENT@", str(self.content))
            .replace("@SITE@", str(self.site))
            .replace("@TMP@", str(self.tmp))
            .replace("@ROOT@", str(ROOT))
        )

    def prepare(self, baseline: Path | None) -> None:
        tmp = self.tmp
        files = {
            "secret.txt": f"{SECRET}\n",
            "secret.md": SECRET_EXPLAINER,
            "secret-sources.yml": SECRET_SOURCES,
            "victim.txt": "a file nobody asked the build to touch\n",
            ".git/config": f'[remote "origin"]\n\turl = https://writer:{SECRET}@git.example/desk.git\n',
            "venv/lib/python3.11/site-packages/canary.py": "CANARY = True\n",
            "outside/leak.md": SECRET_EXPLAINER,
            "outside/leak.png": f"{SECRET}\n",
            "outside/lock.json": json.dumps(
                {
                    "sources": {
                        "https://alpha.example/report": {
                            "archive_url": f"https://web.archive.org/web/2025/{SECRET}",
                            "archived": "2025-01-12",
                            "status": 200,
                        }
                    }
                }
            ),
            "foreign/important.txt": "someone else's file\n",
            "foreign/.git/HEAD": "ref: refs/heads/main\n",
            "site/Makefile": "# the project's Makefile\n",
            "site/secret.txt": f"{SECRET}\n",
            "site/.git/config": f"[core]\n\ttoken = {SECRET}\n",
            "site/.venv/lib/python3.11/site-packages/canary.py": "CANARY = True\n",
        }
        for name, text in files.items():
            path = tmp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        self.content.mkdir(parents=True, exist_ok=True)
        for name, value in self.case.files.items():
            path = self.content / self.sub(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(value, Symlink):
                os.symlink(self.sub(value.target), path)
            elif isinstance(value, Hardlink):
                os.link(self.sub(value.target), path)
            elif isinstance(value, Fifo):
                os.mkfifo(path)
            elif isinstance(value, bytes):
                path.write_bytes(value)
            else:
                path.write_text(self.sub(value), encoding="utf-8")
        if self.case.seed_output and baseline is not None and baseline.is_dir():
            shutil.copytree(baseline, self.output, symlinks=True)

    # -- the commands --

    def cli(self, command: str) -> list[str]:
        args = [
            PYTHON,
            "-m",
            "explainers",
            command,
            str(self.content),
            "-s",
            str(CONFFILE),
            "-e",
            f"CACHE_PATH={self.site / 'cache'}",
        ]
        extra = [*self.case.extra, *(self.case.build_extra if command == "build" else self.case.check_extra)]
        if command == "build":
            args += ["-o", str(self.output)]
        return args + [self.sub(arg) for arg in extra]

    def make(self, target: str) -> list[str]:
        return [
            "make",
            "-s",
            "--no-print-directory",
            "-f",
            str(ROOT / "Makefile"),
            target,
            f"INPUTDIR={self.content}",
            f"OUTPUTDIR={self.output}",
        ]

    def commands(self) -> list[tuple[str, list[str]]]:
        mode = self.case.mode
        if mode == "build":
            return [("build", self.cli("build"))]
        if mode == "make":
            return [("make check", self.make("check")), ("make html", self.make("html"))]
        if mode == "make-html":
            return [("make html", self.make("html"))]
        return [("check", self.cli("check")), ("build", self.cli("build"))]

    def run_all(self, logs: Path) -> list[Outcome]:
        commands = self.commands()
        if self.case.mode in ("both", "build"):
            return ZYGOTE.run(commands, self.site, logs, self.case)
        return [
            _finish(name, _start(argv, self.site), time.monotonic(), self.case.budget)
            for name, argv in commands
        ]


class Zygote:
    """The fork server (attack_zygote.py) of this test process, started on first use."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None

    def _ensure(self) -> subprocess.Popen:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(
                [PYTHON, str(Path(__file__).with_name("attack_zygote.py"))],
                env=_env(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            assert json.loads(self.proc.stdout.readline()).get("ready")
        return self.proc

    def run(self, commands, cwd: Path, logs: Path, case: Case) -> list[Outcome]:
        logs.mkdir(parents=True, exist_ok=True)
        request = {
            "commands": [
                {
                    "args": argv[3:],  # [python, -m, explainers, ...]
                    "cwd": str(cwd),
                    "out": str(logs / f"{name}.out"),
                    "err": str(logs / f"{name}.err"),
                }
                for name, argv in commands
            ],
            "budget": case.budget,
            "concurrent": case.concurrent,
            "memory": case.memory,
            "file_size": FILE_SIZE,
        }
        proc = self._ensure()
        proc.stdin.write(json.dumps(request) + "\n")
        proc.stdin.flush()
        reply = json.loads(proc.stdout.readline())
        if "error" in reply:
            raise RuntimeError(reply["error"])
        outcomes = []
        for (name, _), result in zip(commands, reply["results"], strict=True):
            outcomes.append(
                Outcome(
                    name,
                    result["code"],
                    (logs / f"{name}.out").read_text(encoding="utf-8", errors="replace"),
                    (logs / f"{name}.err").read_text(encoding="utf-8", errors="replace"),
                    result["seconds"],
                    result["timed_out"],
                )
            )
        return outcomes


ZYGOTE = Zygote()


def _env() -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "plugins"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "COLUMNS": "200",
    }
    env.pop("DEBUG", None)
    return env


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE, FILE_SIZE))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _start(argv: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        argv,
        cwd=cwd,
        env=_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=_limits,  # noqa: PLW1509 (the limits are the point)
    )


def _finish(name: str, proc: subprocess.Popen, started: float, budget: float) -> Outcome:
    remaining = max(1.0, budget - (time.monotonic() - started))
    try:
        out, err = proc.communicate(timeout=remaining)
        timed_out = False
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        timed_out = True
    return Outcome(
        name,
        None if timed_out else proc.returncode,
        out.decode("utf-8", "replace"),
        err.decode("utf-8", "replace"),
        time.monotonic() - started,
        timed_out,
    )


# --- observing the file system -------------------------------------------------------------


def snapshot(root: Path, skip: tuple[Path, ...] = ()) -> dict[str, tuple]:
    """Every entry under `root` (not following links): kind and content digest."""
    found: dict[str, tuple] = {}
    if not root.exists():
        return found
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        # A build's staging folder (.NAME.building-PID-…) is the build's own scratch space.
        dirs[:] = [d for d in dirs if ".building-" not in d]
        if any(here == s or s in here.parents for s in skip):
            dirs[:] = []
            continue
        for name in dirs + files:
            path = here / name
            rel = path.relative_to(root).as_posix()
            try:
                info = path.lstat()
            except OSError:
                continue
            if stat.S_ISLNK(info.st_mode):
                found[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(info.st_mode):
                found[rel] = ("dir",)
            elif stat.S_ISREG(info.st_mode):
                found[rel] = ("file", _digest(path))
            else:
                found[rel] = ("special", stat.S_IFMT(info.st_mode))
    return found


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def changes(before: dict[str, tuple], after: dict[str, tuple]) -> list[tuple[str, str]]:
    found = []
    for rel in sorted(set(before) | set(after)):
        if rel not in after:
            found.append((rel, "deleted"))
        elif rel not in before:
            found.append((rel, "created"))
        elif before[rel] != after[rel]:
            found.append((rel, "changed"))
    return found


def _under(rel: str, prefix: str) -> bool:
    return rel == prefix or rel.startswith(prefix + "/") or (prefix.endswith("-") and rel.startswith(prefix))


# --- judging ---------------------------------------------------------------------------------

PROBLEM = re.compile(r"^(?P<path>[^:\n]*):(?P<line>\d+): (?P<severity>error|warning): ")
TERMINAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def problem_lines(outcome: Outcome) -> list[re.Match]:
    return [m for line in outcome.stderr.splitlines() if (m := PROBLEM.match(line))]


def expected_line(case: Case, lab: Lab) -> int | None:
    if case.line is None or isinstance(case.line, int):
        return case.line
    value = case.files.get(case.culprit)
    text = lab.sub(value) if isinstance(value, str) else (value or b"").decode("utf-8", "replace")
    text = _one_kind_of_line_end(text)
    index = text.find(lab.sub(case.line))
    assert index >= 0, f"marker {case.line!r} not in {case.culprit}"
    return text.count("\n", 0, index) + 1


def _one_kind_of_line_end(text: str) -> str:
    # A line ends at \r\n, \n or a lone \r, as editors (and the project) count lines.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def problem_path(match: re.Match) -> str:
    """The file a problem line names: the README says PATH escapes %, :, and control
    characters as %XX, so a path ends at its first colon."""
    return unquote(match["path"], errors="surrogateescape")


def judge(case: Case, lab: Lab, outcomes: list[Outcome], *, before, after, prev_out, new_out) -> list[str]:
    found: list[str] = []
    culprit = f"content/{case.culprit}" if case.culprit else None
    want_line = expected_line(case, lab)
    for outcome in outcomes:
        name = outcome.name
        tail = " | ".join(outcome.stderr.strip().splitlines()[-3:])[:300]
        if outcome.timed_out:
            found.append(f"{name}: did not finish within {case.budget:.0f} s (a hang)")
            continue
        if outcome.code is not None and outcome.code < 0:
            found.append(f"{name}: killed by signal {-outcome.code}")
        if "Traceback (most recent call last)" in outcome.stderr:
            found.append(f"{name}: crashed with a traceback: {tail}")
        if case.expect == "error" and not outcome.failed:
            found.append(f"{name}: accepted the hostile content (exit 0)")
        if case.expect == "pass" and outcome.failed:
            found.append(f"{name}: refused benign content: {tail}")
        if TERMINAL.search(outcome.stderr.replace("\t", "")):
            char = TERMINAL.search(outcome.stderr.replace("\t", "")).group()
            found.append(f"{name}: terminal control character {char!r} in its report")
        # Every problem line names a real file of the site, at a line that exists.
        for line in outcome.stderr.splitlines():
            if ": error: " in line or ": warning: " in line:
                match = PROBLEM.match(line)
                if match is None:
                    found.append(f"{name}: a problem line that is not PATH:LINE: {line[:120]!r}")
                    continue
                path = lab.site / problem_path(match)
                if not os.path.lexists(path):
                    found.append(f"{name}: a problem line names a file that does not exist: {line[:140]!r}")
                elif path.is_file() and not stat.S_ISFIFO(path.stat().st_mode):
                    try:
                        data = path.read_bytes()
                        count = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n") + 1
                    except OSError:
                        count = 10**9
                    if int(match["line"]) > count or int(match["line"]) < 1:
                        found.append(f"{name}: line {match['line']} is past the end of {match['path']}")
        if outcome.failed and culprit and outcome.code is not None:
            located = [
                m
                for m in problem_lines(outcome)
                if m["severity"] == "error"
                and (problem_path(m) == culprit or problem_path(m).startswith(culprit + "/"))
            ]
            if not located:
                found.append(f"{name}: failed without a '{culprit}:LINE: error:' line ({tail})")
            elif want_line is not None and not any(int(m["line"]) == want_line for m in located):
                lines = sorted({int(m["line"]) for m in located})
                found.append(f"{name}: error reported at line {lines} of {culprit}, expected {want_line}")
    finished = [o for o in outcomes if not o.timed_out and o.code is not None and o.code >= 0]
    if len(finished) == 2 and finished[0].failed != finished[1].failed:
        verdict = {o.name: ("fails" if o.failed else "passes") for o in finished}
        found.append(f"verdicts differ: {verdict}")
    # The file system: nothing outside the output folder (and the site's cache) changes.
    outside = [
        f"{rel} {how}"
        for rel, how in changes(before, after)
        if not any(_under(rel, prefix) for prefix in case.allowed)
        and not (how == "created" and any(_under(rel, prefix) for prefix in case.additive))
    ]
    if outside:
        more = f" and {len(outside) - 6} more" if len(outside) > 6 else ""
        found.append(f"outside the output: {', '.join(outside[:6])}{more}")
    for path in case.forbidden_paths:
        if os.path.lexists(lab.sub(path)):
            found.append(f"written: {lab.sub(path).replace(str(lab.tmp), 'TMP')}")
    build = next((o for o in outcomes if o.name in ("build", "make html")), None)
    if build is not None and (build.failed or build.timed_out):
        if case.seed_output and prev_out != new_out:
            diff = changes(prev_out, new_out)
            found.append(f"a failed build changed the previous output: {diff[:4]}")
    elif build is not None and lab.output.is_dir():
        secrets = [SECRET, PASSWD_MARK, *(lab.sub(t) for t in case.forbidden_text)]
        found += [f"output: {f}" for f in scan_output(lab.output, secrets, THEME_STATIC, case.frame_hosts)]
        found += [f"output: {f}" for f in site_integrity(case, lab)]
        for name in case.forbidden_outputs:
            if os.path.lexists(lab.output / name):
                found.append(f"output: {name} was written, at a name the content chose")
    return list(dict.fromkeys(found))


SITE_PAGES = ("index.html", "archives.html", "claims.html", "statuses.html", "search.html", "404.html")


def published_titles(case: Case) -> list[str]:
    """The titles of the case's explainers that should each get a page: not a draft's, nor
    a translation's whose original is a draft (it is held back with it)."""
    titles = []
    heads = {
        name: value.split("\n---", 1)[0]
        for name, value in case.files.items()
        if isinstance(value, str) and name.endswith(".md") and value.startswith("---\n")
    }
    draft_slugs = {
        match[1]
        for head in heads.values()
        if re.search(r"^status: *draft", head, re.M) and not re.search(r"^translation: *true", head, re.M)
        for match in [re.search(r"^slug: *(\S+)", head, re.M)]
        if match
    }
    for name, value in case.files.items():
        if not (isinstance(value, str) and name.endswith(".md") and value.startswith("---\n")):
            continue
        if name.startswith("sources/"):  # the library folder holds data, not pages
            continue
        head = value.split("\n---", 1)[0]
        if re.search(r"^status: *(draft|hidden)", head, re.M) or re.search(r"^[A-Z]\w*:", head, re.M):
            continue
        slug = re.search(r"^slug: *(\S+)", head, re.M)
        if slug and slug[1] in draft_slugs and re.search(r"^translation: *true", head, re.M):
            continue
        match = re.search(r"^title: (.*)$", head, re.M)
        if match:
            try:
                titles.append(json.loads(match[1]))
            except ValueError:
                continue
    return titles


def site_integrity(case: Case, lab: Lab) -> list[str]:
    """After a successful build: the site's own pages are its own, every explainer has one."""
    found = []
    out = lab.output
    for name in SITE_PAGES:
        path = out / name
        if not path.is_file():
            found.append(f"{name}: the site's own page is missing")
        elif '<article class="explainer"' in path.read_text(encoding="utf-8", errors="replace"):
            found.append(f"{name}: the site's own page was replaced by an explainer")
    for name, root in (("sitemap.xml", "urlset"), ("feeds/all.atom.xml", "feed")):
        text = (out / name).read_text(encoding="utf-8", errors="replace") if (out / name).is_file() else ""
        if f"<{root}" not in text:
            found.append(f"{name}: not the site's {root} any more")
    shown = set()
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="replace")
        if '<article class="explainer"' in text:
            h1 = BeautifulSoup(text, "lxml").find("h1")
            if h1 is not None:
                shown.add(h1.get_text())
    for title in published_titles(case):
        if title not in shown:
            found.append(f"the explainer {title[:50]!r} has no page (overwritten or lost)")
    return found


def run_case(case: Case, folder: Path, baseline: Path | None) -> tuple[list[str], list[Outcome]]:
    tmp = folder / "m"  # the machine; the commands' logs go beside it, not in it
    tmp.mkdir(parents=True, exist_ok=True)
    lab = Lab(tmp, case)
    lab.prepare(baseline)
    skip = (lab.output,) if _inside(lab.output, lab.tmp) and case.seed_output else ()
    before = snapshot(tmp, skip)
    prev_out = snapshot(lab.output) if case.seed_output else {}
    outcomes = lab.run_all(folder / "logs")
    after = snapshot(tmp, skip)
    new_out = snapshot(lab.output) if case.seed_output else {}
    findings = judge(case, lab, outcomes, before=before, after=after, prev_out=prev_out, new_out=new_out)
    _record(case, findings, outcomes)
    return findings, outcomes


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _record(case: Case, findings: list[str], outcomes: list[Outcome]) -> None:
    """With ATTACK_RESULTS set, keep each case's outcome for the report."""
    folder = os.environ.get("ATTACK_RESULTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    record = {
        "id": case.id,
        "class": case.cls,
        "note": case.note,
        "expect": case.expect,
        "findings": findings,
        "outcomes": [
            {
                "name": o.name,
                "code": o.code,
                "seconds": round(o.seconds, 2),
                "timed_out": o.timed_out,
                "stderr": o.stderr[-2000:],
            }
            for o in outcomes
        ],
    }
    (Path(folder) / f"{case.id}.json").write_text(json.dumps(record, indent=1), encoding="utf-8")
