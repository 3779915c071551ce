"""`make bench`: this project against plain Pelican with footnotes, on the same synthetic text.

Measures, alternating and repeated (median and spread):

- full build: this project (cold cache) and plain Pelican with Python-Markdown's footnotes;
- rebuild after editing one explainer, caches warm, as a share of the full build;
- `make check` over the whole corpus, caches warm, as a share of the full build;
- peak memory (RSS) of each full build; and of this project's full build at 250, 1,000
  and 4,000 explainers, to see how it grows.

Every build is a fresh process, timed from outside, as `make` runs it. Writes the table
to bench/results/latest.md and the figures to bench/results/latest.json.

    python bench/run.py [--n 1000] [--repeats 3] [--quick] [--out bench/results]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = sys.executable
BUDGETS = {"full_build_ratio": 1.10, "rebuild_ratio": 0.25, "check_ratio": 0.10}
MEMORY_SIZES = (250, 1000, 4000)


def measure(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time in seconds and peak RSS in MB of one run of `command`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    # stderr goes to a file, not a pipe: a run that reports many problems would fill a
    # pipe nobody reads until wait4 returns, and never finish.
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        errors.seek(0)
        stderr = errors.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{stderr}")
    return elapsed, usage.ru_maxrss / 1024  # Linux reports KB


class Corpus:
    def __init__(self, n: int, work: Path):
        self.n = n
        self.folder = work / str(n)
        if not (self.folder / "explainers").is_dir():
            generate(n, self.folder)
        self.cache = self.folder / "cache"

    def ours(self, command: str, *extra: str) -> list[str]:
        args = [
            PYTHON,
            "-m",
            "explainers",
            command,
            "explainers",
            "-s",
            str(ROOT / "pelican.conf.py"),
            "-e",
            f"CACHE_PATH={self.cache}",
            *extra,
        ]
        return args + (["-o", "out-ours"] if command == "build" else [])

    def full_build(self) -> tuple[float, float]:
        shutil.rmtree(self.cache, ignore_errors=True)
        shutil.rmtree(self.folder / "out-ours", ignore_errors=True)
        return measure(self.ours("build"), self.folder)

    def plain_build(self) -> tuple[float, float]:
        shutil.rmtree(self.folder / "out-plain", ignore_errors=True)
        pelican = str(Path(PYTHON).parent / "pelican")
        return measure(
            [pelican, "plain", "-o", "out-plain", "-s", str(BENCH / "peer.conf.py"), "-q"], self.folder
        )

    def rebuild(self, round_number: int) -> tuple[float, float]:
        """Warm the caches, edit one explainer's body, build again."""
        measure(self.ours("build"), self.folder)
        page = self.folder / "explainers" / f"explainer-{round_number % self.n:05d}.md"
        with open(page, "a", encoding="utf-8") as handle:
            handle.write(f"\nAn added sentence, edit {round_number}.\n")
        return measure(self.ours("build"), self.folder)

    def check(self) -> tuple[float, float]:
        measure(self.ours("check"), self.folder)  # the build above warmed it; make sure
        return measure(self.ours("check"), self.folder)


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def run(n: int, repeats: int, quick: bool, work: Path) -> dict:
    corpus = Corpus(n, work)
    times: dict[str, list[float]] = {"full": [], "plain": [], "rebuild": [], "check": []}
    memory: dict[str, list[float]] = {"full": [], "plain": []}
    for round_number in range(repeats):
        # Alternate the order, so that neither side always runs on a warmer machine.
        order = ("full", "plain") if round_number % 2 == 0 else ("plain", "full")
        for name in order:
            elapsed, rss = corpus.full_build() if name == "full" else corpus.plain_build()
            times[name].append(elapsed)
            memory[name].append(rss)
        times["rebuild"].append(corpus.rebuild(round_number)[0])
        times["check"].append(corpus.check()[0])
        print(
            f"  round {round_number + 1}/{repeats}: "
            + ", ".join(f"{name} {values[-1]:.2f} s" for name, values in times.items()),
            flush=True,
        )
    stats = {name: summary(values) for name, values in times.items()}
    full = stats["full"]["median"]
    result = {
        "n": n,
        "repeats": repeats,
        "full_build_ratio": full / stats["plain"]["median"],
        "rebuild_ratio": stats["rebuild"]["median"] / full,
        "check_ratio": stats["check"]["median"] / full,
        "peak_rss_mb": statistics.median(memory["full"]),
        "plain_peak_rss_mb": statistics.median(memory["plain"]),
        "seconds": stats,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
    }
    if not quick:
        result["peak_rss_mb_by_n"] = {
            str(size): (result["peak_rss_mb"] if size == n else Corpus(size, work).full_build()[1])
            for size in MEMORY_SIZES
        }
    return result


def table(result: dict) -> str:
    seconds = result["seconds"]

    def cell(name: str) -> str:
        s = seconds[name]
        return f"{s['median']:.2f} s ({s['min']:.2f}–{s['max']:.2f})"

    def row(measure: str, name: str, ratio: str, of: str) -> str:
        return f"| {measure} | {cell(name)} | {result[ratio]:.2f} × {of} | ≤ {BUDGETS[ratio]:.2f} |"

    lines = [
        f"Benchmark: {result['n']} explainers, {result['repeats']} rounds, median (min–max)",
        "",
        "| measure | time | ratio | budget |",
        "| --- | --- | --- | --- |",
        f"| plain Pelican + footnotes, full build | {cell('plain')} | | |",
        row("this project, full build", "full", "full_build_ratio", "plain"),
        row("rebuild after editing one explainer", "rebuild", "rebuild_ratio", "full"),
        row("`make check`, whole corpus", "check", "check_ratio", "full"),
        "",
        (
            f"Peak memory, full build: this project {result['peak_rss_mb']:.0f} MB, "
            f"plain Pelican {result['plain_peak_rss_mb']:.0f} MB."
        ),
    ]
    by_n = result.get("peak_rss_mb_by_n")
    if by_n:
        sizes = sorted(by_n, key=int)
        lines.append("Peak memory by size: " + ", ".join(f"{s}: {by_n[s]:.0f} MB" for s in sizes) + ".")
        per_item = ", ".join(f"{s}: {by_n[s] / int(s) * 1024:.0f} KB" for s in sizes)
        lines.append(
            f"Per explainer ({per_item}): growth "
            f"{'at most linear' if linear(by_n) else 'FASTER THAN LINEAR'}."
        )
    return "\n".join(lines) + "\n"


def linear(by_n: dict[str, float]) -> bool:
    """Memory per explainer does not grow with N (5 % noise allowed): growth is at most linear.

    (The fixed cost of Python and the libraries makes small sites cost more per explainer;
    superlinear growth would make large ones cost more.)
    """
    per_item = [by_n[size] / int(size) for size in sorted(by_n, key=int)]
    return all(later <= earlier * 1.05 for earlier, later in itertools.pairwise(per_item))


def verdicts(result: dict) -> list[str]:
    failed = [f"{key} {result[key]:.3f} > {limit}" for key, limit in BUDGETS.items() if result[key] > limit]
    if "peak_rss_mb_by_n" in result and not linear(result["peak_rss_mb_by_n"]):
        failed.append("peak memory grows faster than linearly")
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--quick", action="store_true", help="one round, no memory sizes, budgets not enforced"
    )
    parser.add_argument("--out", type=Path, default=BENCH / "results")
    parser.add_argument("--work", type=Path, default=BENCH / "work", help="where the corpora are generated")
    args = parser.parse_args(argv)
    repeats = 1 if args.quick else args.repeats
    print(f"Benchmarking {args.n} explainers, {repeats} round(s)…", flush=True)
    result = run(args.n, repeats, args.quick, args.work)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(result, indent=2) + "\n")
    text = table(result)
    (args.out / "latest.md").write_text(text)
    print(text)
    failed = verdicts(result)
    if args.quick:
        return 0
    print("Budgets: " + ("all hold" if not failed else "NOT MET: " + "; ".join(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
