"""`make bench`: this project against plain Pelican, on the same synthetic text, corpus shape by shape.

For every shape of corpus (bench/generate.py), alternating and repeated (median and spread):

- full build: this project (cold cache, no previous output) and plain Pelican with the
  project's Markdown extensions (bench/peer.conf.py);
- rebuild after editing one explainer, caches warm;
- `make check` with no cache, and with the cache a build left;
- peak memory of each process: the Pelican process, and each child (reader workers,
  Pagefind); Pagefind's share of the build's wall time;
- the dev server's preview: from the save of an explainer to its new page being served.

Every measurement is a fresh process, timed from outside, as `make` runs it. Writes the
table to bench/results/latest.md and the figures to bench/results/latest.json.

    python bench/run.py [--n 1000] [--repeats 3] [--shapes claims,sources,short,issue] [--quick]
"""

from __future__ import annotations

import argparse
import compileall
import itertools
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import SHAPES, generate

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = sys.executable
# What the build's own processes are called as they name themselves (see `Watcher.figures`).
PROCESS_NAMES = {
    "explainers-jobs": "page writer",
    "explainers-card": "card drawer",
    "explainers-read": "reader",
    "explainers-find": "search indexer",
}
# Each ratio, what it divides by, and its budget (issue 15).
BUDGETS = {
    "full_build_ratio": 0.80,  # our full build ÷ plain Pelican's
    "rebuild_ratio": 0.10,  # our rebuild after one edit ÷ plain Pelican's full build
    "check_ratio": 0.30,  # `make check` with no cache ÷ our full build
    "cached_check_ratio": 0.05,  # `make check` with a cache ÷ our full build
    "memory_ratio": 2.0,  # our largest process's peak ÷ plain Pelican's
    "preview_seconds": 0.30,  # the dev server: a save to its new page served (seconds, not a ratio)
}
MEMORY_SIZES = (250, 1000, 4000, 10_000)
MEMORY_SHAPE = "issue"
POLL = 0.02  # seconds between two looks at the processes of a run
PREVIEW_ROUNDS = 3  # saves a shape, each of another explainer (also in quick mode: few, and quick)
PREVIEW_POLL = 0.005  # seconds between two requests for the saved page
PREVIEW_WAIT = 1800.0  # seconds: a bound on waiting for a build of the dev server, not a measure


@dataclass
class Measurement:
    seconds: float
    peak_mb: float  # the largest process of the run, children included (the kernel's figure)
    main_mb: float = 0.0  # the process started (Pelican's)
    children: dict[str, float] = field(default_factory=dict)  # child name -> its peak MB
    child_seconds: dict[str, float] = field(default_factory=dict)  # child name -> wall time alive
    # CPU seconds of the process and every child it waited for (wait4): in user space, and in
    # the kernel (making and removing files most of it: a wall time the disk decides).
    user: float = 0.0
    system: float = 0.0


def _status(pid: int) -> tuple[str, float] | None:
    """A process's name and its peak resident memory so far (VmHWM), in MB."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
            fields = dict(line.split(":", 1) for line in handle if ":" in line)
    except OSError:
        return None
    peak = fields.get("VmHWM", "0 kB").split()[0]
    return fields.get("Name", "?").strip(), int(peak) / 1024


def _children(pid: int) -> list[int]:
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found += [int(child) for child in handle.read().split()]
        except OSError:
            continue
    return found


class Watcher(threading.Thread):
    """Looks at a run's process tree every POLL seconds: each process's peak memory and how
    long it was seen alive. (Linux only; elsewhere only the kernel's overall peak is known.)"""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.done = threading.Event()
        self.peaks: dict[int, tuple[str, float]] = {}
        self.seen: dict[int, list[float]] = {}

    def run(self) -> None:
        while not self.done.is_set():
            now = time.perf_counter()
            pending = [self.pid]
            while pending:
                pid = pending.pop()
                status = _status(pid)
                if status is not None:
                    name, peak = status
                    # VmHWM is already the peak of the program the process runs: the latest
                    # reading, not the largest. A process that runs another program (Pagefind,
                    # from a copy of the Python that started it) starts a new peak.
                    if peak or pid not in self.peaks:  # a process ending shows no memory
                        self.peaks[pid] = (name, peak)
                    self.seen.setdefault(pid, [now, now])[1] = now
                pending += _children(pid)
            self.done.wait(POLL)

    def figures(self) -> tuple[float, dict[str, float], dict[str, float]]:
        main = self.peaks.get(self.pid, ("", 0.0))[1]
        children: dict[str, float] = {}
        alive: dict[str, float] = {}
        for pid, (process, peak) in self.peaks.items():
            if pid == self.pid:
                continue
            # The reader workers are Python processes; the forked processes that render
            # the pages, the one drawing cards ahead and the one reading a rebuild's few
            # files name themselves (plugins/explainers/plugin/jobs.py, cards.py, pool.py).
            name = PROCESS_NAMES.get(process, process)
            name = "reader worker" if name.startswith("python") else name
            children[name] = max(children.get(name, 0.0), peak)
            first, last = self.seen[pid]
            alive[name] = max(alive.get(name, 0.0), last - first)
        return main, children, alive


def measure(command: list[str], cwd: Path) -> Measurement:
    """Wall time and peak memory of one run of `command`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    # stderr goes to a file, not a pipe: a run that reports many problems would fill a
    # pipe nobody reads until wait4 returns, and never finish.
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        watcher = Watcher(process.pid)
        watcher.start()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        watcher.done.set()
        watcher.join()
        errors.seek(0)
        stderr = errors.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{stderr}")
    main, children, alive = watcher.figures()
    # wait4: the largest of the process and the children it waited for (Linux reports KB).
    # The two ways of counting differ by a page or two: take the larger.
    peak = max(usage.ru_maxrss / 1024, main, *children.values())
    return Measurement(elapsed, peak, main or peak, children, alive, usage.ru_utime, usage.ru_stime)


class Corpus:
    def __init__(self, n: int, work: Path, shape: str):
        self.n = n
        self.shape = shape
        self.folder = work / shape / str(n)
        if not (self.folder / "explainers").is_dir():
            generate(n, self.folder, shape)
        self.cache = self.folder / "cache"

    def ours(self, command: str) -> list[str]:
        args = [PYTHON, "-m", "explainers", command, "explainers", "-s", str(ROOT / "pelican.conf.py")]
        args += ["-e", f"CACHE_PATH={self.cache}"]
        return args + (["-o", "out-ours"] if command == "build" else [])

    def full_build(self) -> Measurement:
        shutil.rmtree(self.cache, ignore_errors=True)
        shutil.rmtree(self.folder / "out-ours", ignore_errors=True)
        return measure(self.ours("build"), self.folder)

    def plain_build(self) -> Measurement:
        shutil.rmtree(self.folder / "out-plain", ignore_errors=True)
        pelican = str(Path(PYTHON).parent / "pelican")
        return measure(
            [pelican, "plain", "-o", "out-plain", "-s", str(BENCH / "peer.conf.py"), "-q"], self.folder
        )

    def explainer(self, index: int) -> Path:
        """The corpus's `index`-th explainer file (an original: a shape may hold translations)."""
        files = sorted(p for p in (self.folder / "explainers").glob("*.md") if not p.stem.endswith("-fr"))
        return files[index % len(files)]

    def rebuild(self, round_number: int) -> Measurement:
        """After a build (caches warm): edit one explainer's body, build again."""
        page = self.explainer(round_number * 7919)
        with open(page, "a", encoding="utf-8") as handle:
            handle.write(f"\nAn added sentence, edit {round_number}.\n")
        return measure(self.ours("build"), self.folder)

    def check(self, cached: bool) -> Measurement:
        """`make check` over the whole corpus: as CI runs it (no cache), or after a build."""
        if not cached:
            shutil.rmtree(self.cache, ignore_errors=True)
        return measure(self.ours("check"), self.folder)


class DevServer:
    """`make devserver` on a corpus, as a writer runs it: the same command, the corpus's cache,
    a free port on 127.0.0.1, its output beside the corpus's others."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.output = corpus.folder / "out-devserver"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        command = [*corpus.ours("devserver"), "-o", str(self.output), "--port", str(self.port)]
        env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
        # Its terminal lines go to a file: a pipe nobody reads would fill and stop it. Closed
        # by stop(), which reads it last.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115
        # A session of its own: the interrupt that stops it is sent to it alone, as Ctrl-C.
        self.process = subprocess.Popen(
            command,
            cwd=corpus.folder,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def get(self, address: str) -> bytes | None:
        """The body served at `address`, or None while nothing is (the first build is still running)."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{address}", timeout=10) as response:
                return response.read()
        except OSError:
            return None

    def built(self, count: int) -> None:
        """Wait until `count` full builds have ended (the first, and one after each save), as its
        terminal says: the preview's own step is no full build."""
        deadline = time.monotonic() + PREVIEW_WAIT
        while True:
            lines = os.pread(self.log.fileno(), 1 << 24, 0).decode(errors="replace").splitlines()
            ended = [line for line in lines if line.startswith("[devserver] build ") and " in " in line]
            if len(ended) >= count and self.get("__devserver__.json") is not None:
                return
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.fail(f"full build {count} never ended")
            time.sleep(0.2)

    def saved(self, page: Path, address: str, marker: str) -> float:
        """Append a sentence holding `marker` to `page`: the seconds from the write to the first
        response for `address` that holds it."""
        deadline = time.monotonic() + PREVIEW_WAIT
        written = time.perf_counter()
        with open(page, "a", encoding="utf-8") as handle:
            handle.write(f"\nA sentence just saved, {marker}.\n")
        wanted = marker.encode()
        while True:
            body = self.get(address)
            if body is not None and wanted in body:
                return time.perf_counter() - written
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.fail(f"{address} never served {marker}")
            time.sleep(PREVIEW_POLL)

    def stop(self) -> str:
        """Stop it as Ctrl-C does (it stops its build under way); its terminal lines."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.seek(0)
        lines = self.log.read().decode(errors="replace")
        self.log.close()
        return lines

    def fail(self, why: str) -> None:
        raise SystemExit(f"the dev server on {self.corpus.folder}: {why}\n{self.stop()}")


def page_address(page: Path, output: Path) -> str:
    """The address of an explainer's page: its `slug:`, or else its title's slug, found among
    the pages the first build wrote (explainer-00012.md, "Explainer 12: …", is explainer-12-….html)."""
    slug = re.search(r"^slug: *(\S+)", page.read_text(encoding="utf-8"), re.MULTILINE)
    if slug:
        return f"{slug.group(1)}.html"
    (address,) = [path.name for path in output.glob(f"explainer-{int(page.stem.split('-')[1])}-*.html")]
    return address


def preview_latencies(corpus: Corpus, rounds: int) -> list[float]:
    """Start the dev server, wait for its first full build, then save one explainer a round (a
    different one each) and time its page: each round meets a server at rest, the full build
    that followed the last save served."""
    shutil.rmtree(corpus.folder / "out-devserver", ignore_errors=True)
    server = DevServer(corpus)
    try:
        server.built(1)
        latencies = []
        for round_number in range(rounds):
            page = corpus.explainer(round_number * 7919 + 4111)
            address = page_address(page, server.output)
            latencies.append(server.saved(page, address, f"preview marker {time.time_ns()}"))
            server.built(round_number + 2)
    finally:
        server.stop()
    return latencies


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def run_shape(n: int, shape: str, repeats: int, work: Path) -> dict:
    corpus = Corpus(n, work, shape)
    runs: dict[str, list[Measurement]] = {
        name: [] for name in ("full", "plain", "rebuild", "check_cached", "check")
    }
    for round_number in range(repeats):
        # Alternate the order, so that neither side always runs on a warmer machine.
        order = ("full", "plain") if round_number % 2 == 0 else ("plain", "full")
        for name in order:
            runs[name].append(corpus.full_build() if name == "full" else corpus.plain_build())
        runs["rebuild"].append(corpus.rebuild(round_number))  # the full build warmed the cache
        runs["check_cached"].append(corpus.check(cached=True))
        runs["check"].append(corpus.check(cached=False))
        print(
            f"  {shape}, round {round_number + 1}/{repeats}: "
            + ", ".join(f"{name} {values[-1].seconds:.2f} s" for name, values in runs.items()),
            flush=True,
        )
    latencies = preview_latencies(corpus, PREVIEW_ROUNDS)  # last: its saves change the corpus
    print(f"  {shape}, preview: " + ", ".join(f"{value:.3f} s" for value in latencies), flush=True)
    stats = {name: summary([m.seconds for m in values]) for name, values in runs.items()}
    stats["preview"] = summary(latencies)
    cpu = {
        name: {
            "user": statistics.median(m.user for m in values),
            "system": statistics.median(m.system for m in values),
        }
        for name, values in runs.items()
    }
    full, plain = stats["full"]["median"], stats["plain"]["median"]

    def children(values: list[Measurement]) -> dict[str, float]:
        names = {name for m in values for name in m.children}
        return {name: max(m.children.get(name, 0.0) for m in values) for name in sorted(names)}

    search_seconds = [m.child_seconds.get("pagefind", 0.0) for m in runs["full"]]
    rebuild_search = [m.child_seconds.get("pagefind", 0.0) for m in runs["rebuild"]]
    peak = max(m.peak_mb for m in runs["full"] + runs["rebuild"])
    plain_peak = max(m.peak_mb for m in runs["plain"])
    return {
        "shape": shape,
        "why": SHAPES[shape].why,
        "full_build_ratio": full / plain,
        "rebuild_ratio": stats["rebuild"]["median"] / plain,
        "check_ratio": stats["check"]["median"] / full,
        "cached_check_ratio": stats["check_cached"]["median"] / full,
        "memory_ratio": peak / plain_peak,
        "preview_seconds": stats["preview"]["median"],
        "seconds": stats,
        "cpu_seconds": cpu,
        "peak_mb": peak,
        "plain_peak_mb": plain_peak,
        "main_peak_mb": max(m.main_mb for m in runs["full"] + runs["rebuild"]),
        "children_peak_mb": children(runs["full"] + runs["rebuild"]),
        "search_share": statistics.median(search_seconds) / full,
        "rebuild_search_share": statistics.median(rebuild_search) / stats["rebuild"]["median"],
    }


def run(n: int, shapes: list[str], repeats: int, quick: bool, work: Path) -> dict:
    # The plugin compiled to bytecode first, as an installed package is (and as Python does on
    # a first run): a shell with PYTHONDONTWRITEBYTECODE set would have every measured run
    # compile it again (about 40 ms of CPU), which Pelican, installed, never does.
    compileall.compile_dir(ROOT / "plugins", quiet=1)
    result = {
        "n": n,
        "repeats": repeats,
        "budgets": BUDGETS,
        "shapes": {shape: run_shape(n, shape, repeats, work) for shape in shapes},
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
    }
    if not quick:
        sizes = {}
        for size in MEMORY_SIZES:
            measured = Corpus(size, work, MEMORY_SHAPE).full_build()
            sizes[str(size)] = {"seconds": measured.seconds, "peak_mb": measured.peak_mb}
            print(
                f"  memory, {size} explainers: {measured.seconds:.1f} s, {measured.peak_mb:.0f} MB",
                flush=True,
            )
        result["by_n"] = sizes
    return result


def shape_table(shape: dict, budgets: dict[str, float]) -> list[str]:
    seconds = shape["seconds"]

    def cell(name: str) -> str:
        s = seconds[name]
        return f"{s['median']:.2f} s ({s['min']:.2f}–{s['max']:.2f})"

    def ratio(key: str, of: str) -> str:
        verdict = "holds" if shape[key] <= budgets[key] else "NOT MET"
        return f"{shape[key]:.2f} × {of} | ≤ {budgets[key]:.2f} {verdict}"

    rows = [
        ("plain Pelican, full build", cell("plain"), " |"),
        ("this project, full build", cell("full"), ratio("full_build_ratio", "plain")),
        ("rebuild after editing one explainer", cell("rebuild"), ratio("rebuild_ratio", "plain full build")),
        ("`make check`, no cache", cell("check"), ratio("check_ratio", "our full build")),
        ("`make check`, with a cache", cell("check_cached"), ratio("cached_check_ratio", "our full build")),
        (
            "peak memory of one process",
            f"{shape['peak_mb']:.0f} MB (plain {shape['plain_peak_mb']:.0f} MB)",
            ratio("memory_ratio", "plain"),
        ),
        (
            "dev server: a save to its page served",
            cell("preview"),
            f"— | ≤ {budgets['preview_seconds']:.2f} s "
            + ("holds" if shape["preview_seconds"] <= budgets["preview_seconds"] else "NOT MET"),
        ),
    ]
    children = ", ".join(f"{name} {mb:.0f} MB" for name, mb in shape["children_peak_mb"].items())
    search = (
        f"Search (Pagefind) ran for {shape['search_share']:.0%} of the full build's wall time "
        f"(beside Pelican) and {shape['rebuild_search_share']:.0%} of the rebuild's."
    )
    cpu = shape["cpu_seconds"]
    kernel = (
        f"CPU of the full build (medians; the process and the children it waited for): this project "
        f"{cpu['full']['user']:.2f} s user + {cpu['full']['system']:.2f} s kernel, plain Pelican "
        f"{cpu['plain']['user']:.2f} s + {cpu['plain']['system']:.2f} s; the rebuild "
        f"{cpu['rebuild']['user']:.2f} s + {cpu['rebuild']['system']:.2f} s. The kernel's part is mostly "
        "making files, whose cost depends on what the disk freed in the last minutes (bench/README.md)."
    )
    return [
        f"### Shape `{shape['shape']}`: {shape['why']}",
        "",
        "| measure | time or memory | ratio | budget |",
        "| --- | --- | --- | --- |",
        *(f"| {name} | {value} | {rest} |" for name, value, rest in rows),
        "",
        f"Pelican process {shape['main_peak_mb']:.0f} MB; children: {children or 'none'}. {search}",
        "",
        kernel,
        "",
    ]


def table(result: dict) -> str:
    lines = [
        f"Benchmark: {result['n']} explainers a shape, {result['repeats']} round(s), median (min–max)",
        "",
    ]
    for shape in result["shapes"].values():
        lines += shape_table(shape, result["budgets"])
    by_n = result.get("by_n")
    if by_n:
        sizes = sorted(by_n, key=int)
        figures = ", ".join(f"{s}: {by_n[s]['seconds']:.1f} s, {by_n[s]['peak_mb']:.0f} MB" for s in sizes)
        growth = "at most linear" if linear(by_n) else "FASTER THAN LINEAR"
        lines.append(f"Full build by size (shape `{MEMORY_SHAPE}`): {figures}; memory growth {growth}.")
    return "\n".join(lines) + "\n"


def linear(by_n: dict[str, dict]) -> bool:
    """Memory per added explainer does not grow with N (5 % noise allowed): at most linear.

    (The fixed cost of Python and the libraries makes small sites cost more per explainer;
    superlinear growth would make each step's added explainers cost more than the last's.)
    """
    sizes = sorted(by_n, key=int)
    steps = [
        (by_n[b]["peak_mb"] - by_n[a]["peak_mb"]) / (int(b) - int(a)) for a, b in itertools.pairwise(sizes)
    ]
    return all(later <= max(earlier, 0.0) * 1.05 + 0.005 for earlier, later in itertools.pairwise(steps))


def verdicts(result: dict) -> list[str]:
    failed = [
        f"{name}: {key} {shape[key]:.3f} > {limit}"
        for name, shape in result["shapes"].items()
        for key, limit in result["budgets"].items()
        if shape[key] > limit
    ]
    if "by_n" in result and not linear(result["by_n"]):
        failed.append("peak memory grows faster than linearly")
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--shapes", default=",".join(SHAPES), help="comma-separated, of: " + ", ".join(SHAPES)
    )
    parser.add_argument(
        "--quick", action="store_true", help="one round, no memory sizes, budgets not enforced"
    )
    parser.add_argument("--out", type=Path, default=BENCH / "results")
    parser.add_argument("--work", type=Path, default=BENCH / "work", help="where the corpora are generated")
    args = parser.parse_args(argv)
    shapes = [name for name in args.shapes.split(",") if name]
    unknown = [name for name in shapes if name not in SHAPES]
    if unknown:
        parser.error(f"unknown shape {', '.join(unknown)}; the shapes are {', '.join(SHAPES)}")
    repeats = 1 if args.quick else args.repeats
    print(f"Benchmarking {args.n} explainers, shapes {', '.join(shapes)}, {repeats} round(s)…", flush=True)
    result = run(args.n, shapes, repeats, args.quick, args.work)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(result, indent=2) + "\n")
    text = table(result)
    (args.out / "latest.md").write_text(text)
    print(text)
    if args.quick:
        return 0
    failed = verdicts(result)
    print("Budgets: " + ("all hold" if not failed else "NOT MET: " + "; ".join(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
