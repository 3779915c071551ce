"""`make audit`: what the Kursk explainer costs a reader, and Lighthouse's view of the site.

Bytes: the page's HTML and the CSS and JavaScript it loads, raw and gzipped, and the
number of requests it makes. Lighthouse (npm lighthouse@12, Debian's Chromium): the four
category scores of the home page and the explainer, served on 127.0.0.1.

    python scripts/audit.py OUTPUTDIR [--bytes-only] [--budget-kb 30]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

EXPLAINER = "north-korean-soldiers-kursk.html"
LIGHTHOUSE = "lighthouse@12.2.3"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)


def resources(output: Path, page: str) -> list[tuple[str, Path]]:
    """(kind, file) of every local file the page loads: stylesheets, scripts, icons, images."""
    soup = BeautifulSoup((output / page).read_text(encoding="utf-8"), "lxml")
    found = [("html", (output / page).resolve())]
    references = (
        [("css", link["href"]) for link in soup.select('link[rel="stylesheet"][href]')]
        + [("js", script["src"]) for script in soup.select("script[src]")]
        + [("other", link["href"]) for link in soup.select('link[rel="icon"][href]')]
        + [("other", image["src"]) for image in soup.select("img[src]")]
    )
    for kind, reference in references:
        if urlsplit(reference).scheme:
            raise SystemExit(f"{page} loads {reference} from another host")
        found.append((kind, (output / urljoin(page, reference)).resolve()))
    return found


def byte_report(output: Path, budget_kb: float) -> bool:
    rows = []
    for kind, path in resources(output, EXPLAINER):
        data = path.read_bytes()
        rows.append((kind, path.relative_to(output.resolve()), len(data), len(gzip.compress(data, 9))))
    print(f"Bytes of {EXPLAINER}:")
    print(f"  {'file':<46} {'raw':>9} {'gzip':>9}")
    for kind, name, raw, packed in rows:
        print(f"  {name!s:<46} {raw:>9,} {packed:>9,}  ({kind})")
    counted = [row for row in rows if row[0] in ("html", "css", "js")]
    raw_total = sum(row[2] for row in counted)
    gzip_total = sum(row[3] for row in counted)
    print(f"  {'HTML + CSS + JS':<46} {raw_total:>9,} {gzip_total:>9,}")
    print(f"  requests: {len(rows)}")
    within = gzip_total <= budget_kb * 1024
    print(
        f"  budget: {budget_kb:g} KB gzip for HTML + CSS + JS: {'within' if within else 'OVER'}"
        f" ({gzip_total / 1024:.1f} KB)"
    )
    return within


def serve(output: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(output))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def lighthouse(url: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        subprocess.run(
            [
                "npm",
                "exec",
                "--yes",
                f"--package={LIGHTHOUSE}",
                "--",
                "lighthouse",
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={CHROME_FLAGS}",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
        )
        data = json.loads(report.read_text())
    return {name: data["categories"][name]["score"] for name in CATEGORIES}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--bytes-only", action="store_true", help="skip Lighthouse")
    parser.add_argument("--budget-kb", type=float, default=30)
    args = parser.parse_args(argv)
    ok = byte_report(args.output, args.budget_kb)
    if args.bytes_only:
        return 0 if ok else 1
    server, root = serve(args.output)
    try:
        for name, path in (("home page", ""), ("explainer", EXPLAINER)):
            scores = lighthouse(root + path)
            print(f"Lighthouse, {name}: " + ", ".join(f"{k} {v:.2f}" for k, v in scores.items()))
            ok = ok and all(score >= 0.98 for score in scores.values())
    finally:
        server.shutdown()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
