"""`make devserver`: build, serve on 127.0.0.1, rebuild on every change, reload the page.

Each build runs in a fresh process (so a change to the plugin's own code is picked up)
with the same atomic swap as `make html`: a content error leaves the last good site
being served. The problems go to the terminal and to the open page, whose small script
(theme/static/js/devserver.js, only in these builds) asks `/__devserver__.json` every
second for the build number and the problems, and reloads when a new build is in.
Only requests addressed to 127.0.0.1:PORT or localhost:PORT are answered (localhost.py).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from watchfiles import watch

from ..document.files import system_file
from .localhost import LocalHandler

STATUS_PATH = "/__devserver__.json"
ROOT = Path(__file__).resolve().parents[3]


class BuildState:
    """The number of the last build and the problems it reported, shared with the server."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.number = 0
        self.ok = False
        self.problems: list[str] = []

    def record(self, ok: bool, problems: list[str]) -> None:
        with self.lock:
            self.number += 1
            self.ok, self.problems = ok, problems

    def as_json(self) -> bytes:
        with self.lock:
            return json.dumps({"build": self.number, "ok": self.ok, "problems": self.problems}).encode()


def make_handler(output: str, state: BuildState):
    class Handler(LocalHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            if self.path.split("?")[0] != STATUS_PATH:
                return super().do_GET()
            body = state.as_json()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None

        def log_message(self, format, *args) -> None:
            pass  # the terminal is for build problems

    return functools.partial(Handler, directory=output)


def edits(changed: list[Path], content: Path, output: Path) -> list[Path]:
    """The changed paths a build must see. The output folder may sit inside a watched folder:
    its own changes are not edits; nor are the files systems and editors leave, which the door
    skips. Every other file in the content folder is, hidden or not: a `.htaccess` that
    appears fails `make publish`, so the preview must fail too. Hidden files elsewhere (the
    theme's and the plugin's caches) are not."""
    return [
        path
        for path in changed
        if output not in path.parents
        and path != output
        and not system_file(path.name)
        and (content in path.parents or not path.name.startswith("."))
    ]


def build_once(command: list[str], state: BuildState) -> None:
    started = time.monotonic()
    # In a session of its own, so that Ctrl-C reaches this process alone: the build is then
    # stopped here, quietly, and cleans up after itself as `make html` does when interrupted.
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        _, stderr = process.communicate()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)
        process.communicate()
        raise
    sys.stderr.write(stderr)
    problems = [
        line
        for line in stderr.splitlines()
        if ": error: " in line or ": warning: " in line or line.startswith("Build failed")
    ]
    state.record(process.returncode == 0, problems)
    outcome = "built" if process.returncode == 0 else "FAILED (still serving the last good build)"
    print(f"[devserver] build {state.number} {outcome} in {time.monotonic() - started:.1f} s", flush=True)


def serve(content: str, output: str, settings: str, port: int, extra: list[str]) -> int:
    command = [
        sys.executable,
        "-m",
        "explainers",
        "build",
        content,
        "-o",
        output,
        "-s",
        settings,
        "-e",
        "DEVSERVER=true",
        *extra,
    ]
    state = BuildState()
    try:
        watch_and_build(command, state, content=content, output=output, settings=settings, port=port)
    except KeyboardInterrupt:
        # Ctrl-C is how a writer ends the preview: one calm line, and success, so that make
        # has no interrupted recipe to report.
        print("Stopped.", flush=True)
    return 0


def watch_and_build(
    command: list[str], state: BuildState, *, content: str, output: str, settings: str, port: int
) -> None:
    build_once(command, state)
    os.makedirs(output, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(output, state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"[devserver] serving http://127.0.0.1:{port}/ ; watching for changes (Ctrl-C stops)", flush=True)
    watched = [content, str(ROOT / "theme"), str(ROOT / "plugins"), settings]
    # Absolute, not resolved: a link's own name (Emacs's lock .#x.md) is what is matched.
    output_path, content_path = Path(os.path.abspath(output)), Path(os.path.abspath(content))
    try:
        # raise_interrupt: Ctrl-C comes to `serve`, instead of a warning from watchfiles.
        for changes in watch(*watched, debounce=300, raise_interrupt=True):
            changed = edits([Path(os.path.abspath(p)) for _, p in changes], content_path, output_path)
            if not changed:
                continue
            print(f"[devserver] changed: {', '.join(sorted({str(p) for p in changed})[:3])}", flush=True)
            build_once(command, state)
    finally:
        server.shutdown()
