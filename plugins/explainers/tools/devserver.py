"""`make devserver`: build, serve on 127.0.0.1, rebuild on every change, reload the page.

Each build runs in a fresh process (so a change to the plugin's own code is picked up)
with the same atomic swap as `make html`: a content error leaves the last good site
being served. A saved explainer is first built alone in this process and its page served
(preview.py), before that full build brings the rest of the site up to date.
The problems go to the terminal and to the open page, whose small script
(theme/static/js/devserver.js, only in these builds) asks `/__devserver__.json` every
second for the build number and the problems, and reloads when a new build is in.
Only requests addressed to 127.0.0.1:PORT or localhost:PORT are answered (localhost.py).

The port is taken before the first build, so a busy one is said at once, in one line.
The site's addresses (canonical links, feeds) are built for this port. The server stops
with the `make` that started it: Ctrl-C signals both, and when `make` alone is killed
the server sees that it has lost its parent and stops too, rather than serve on unseen.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from watchfiles import Change, watch

from ..document.files import system_file
from ..render.addresses import DRAFTS_SAVE_AS
from .localhost import LocalHandler
from .preview import Preview

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

    def previewed(self) -> None:
        """A page was replaced ahead of the full build, from a file that builds: the open page
        reloads; the last full build's problems stay listed until the next one."""
        with self.lock:
            self.number += 1
            self.ok = True

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


def transient(changes: set[tuple[Change, str]]) -> set[str]:
    """The paths that came and went within one batch of changes: an editor's temporary file
    renamed over the file saved (VS Code, vim's `backupcopy=no`), vim's `4913` probe. They are
    not edits: counted as such, they left a plain save without its preview."""
    added = {path for change, path in changes if change == Change.added}
    deleted = {path for change, path in changes if change == Change.deleted}
    return {path for path in added & deleted if not os.path.lexists(path)}


Stamps = dict[str, tuple[int, int]]  # a file's path → its modification time and size


def snapshot(roots: list[str], output: str) -> Stamps:
    """Each file's modification time and size under `roots` (folders or files), the output
    folder's aside: what the first build saw, compared once it is over (the watcher starts
    only then)."""
    seen = {}
    for root in roots:
        walked = os.walk(root) if os.path.isdir(root) else [("", [], [root])]
        for folder, names, found in walked:
            names[:] = [name for name in names if os.path.join(folder, name) != output]
            for name in found:
                path = os.path.join(folder, name)
                with contextlib.suppress(OSError):
                    stat = os.lstat(path)
                    seen[path] = (stat.st_mtime_ns, stat.st_size)
    return seen


def saved_meanwhile(before: Stamps, roots: list[str], content: Path, output: Path) -> bool:
    """Whether an edit was made under `roots` since `before` (their `snapshot`)."""
    after = snapshot(roots, str(output))
    differ = [Path(path) for path in before.keys() | after.keys() if before.get(path) != after.get(path)]
    return bool(edits(differ, content, output))


def build_once(builds: Builds, meanwhile: Callable[[], None] | None = None) -> None:
    """The first build, in the foreground, before anything is served; `meanwhile` runs in this
    thread while the build's process works (no other thread writes to the terminal yet)."""
    try:
        builds.run(meanwhile)
    except KeyboardInterrupt:
        # The build runs in a session of its own: Ctrl-C stops it from here.
        if builds.process is not None and builds.process.poll() is None:
            builds.process.send_signal(signal.SIGINT)
            builds.process.communicate()
        raise


class Builds:
    """The full builds, one at a time, each in a fresh process; a newer save stops the one
    under way (it leaves the served site as it was: the build's own interruption handling)."""

    def __init__(self, command: list[str], state: BuildState) -> None:
        self.command = command
        self.state = state
        self.lock = threading.Lock()
        self.process: subprocess.Popen | None = None
        self.thread: threading.Thread | None = None
        self.stopping = False
        self.swapped = 0.0  # when a build last replaced the served site (monotonic)

    def start(self) -> None:
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Stop the build under way, if any."""
        if self.thread is None:
            return
        with self.lock:
            self.stopping = True
            if self.process is not None and self.process.poll() is None:
                self.process.send_signal(signal.SIGINT)
        self.thread.join()
        self.thread, self.stopping = None, False

    def run(self, meanwhile: Callable[[], None] | None = None) -> None:
        """One full build; `meanwhile` (the first build's) runs once its process has started."""
        started = time.monotonic()
        with self.lock:
            if self.stopping:
                return
            # In a session of its own, so that Ctrl-C reaches the dev server alone, which then
            # stops the build quietly (it cleans up after itself as `make html` does).
            self.process = subprocess.Popen(
                self.command,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                start_new_session=True,
            )
        if meanwhile is not None:
            meanwhile()  # what it prints meanwhile waits in the pipes
        stdout, stderr = self.process.communicate()
        if self.stopping and self.process.returncode != 0:
            print("[devserver] build stopped: a newer save is being built", flush=True)
            return
        # Pelican's own log lines go to stdout: they are the reason of a Pelican-level failure.
        sys.stderr.write(stdout + stderr)
        problems = [
            line
            for line in stderr.splitlines()
            if ": error: " in line or ": warning: " in line or line.startswith("Build failed")
        ]
        ok = self.process.returncode == 0
        if ok:
            self.swapped = time.monotonic()
        self.state.record(ok, problems)
        outcome = "built" if ok else "FAILED (still serving the last good build)"
        print(
            f"[devserver] build {self.state.number} {outcome} in {time.monotonic() - started:.1f} s",
            flush=True,
        )


def listen(port: int, output: str, state: BuildState) -> http.server.ThreadingHTTPServer | None:
    """The server on 127.0.0.1:`port`, or None (said in one line) when the port cannot be had."""
    try:
        return http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(output, state))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            free = next((other for other in range(port + 1, min(port + 20, 65536)) if is_free(other)), None)
            hint = f": stop what uses it, or try make devserver PORT={free}" if free else ""
            print(f"error: port {port} is in use{hint}", file=sys.stderr, flush=True)
        else:
            print(f"error: cannot serve on 127.0.0.1:{port}: {exc.strerror}", file=sys.stderr, flush=True)
        return None


def is_free(port: int) -> bool:
    try:
        http.server.HTTPServer(("127.0.0.1", port), http.server.BaseHTTPRequestHandler).server_close()
    except OSError:
        return False
    return True


def stop_with_parent(stop: threading.Event) -> None:
    """Set `stop` when the process that started this one is gone (we are adopted)."""
    parent = os.getppid()

    def watch_parent() -> None:
        while not stop.wait(0.5):
            if os.getppid() != parent:
                stop.set()

    threading.Thread(target=watch_parent, daemon=True).start()


def serve(
    content: str,
    output: str,
    settings: str,
    port: int,
    extra: list[str],
    *,
    load_settings: Callable[..., dict[str, Any]],
) -> int:
    """`extra`: the build's own options; `load_settings(**override)`: the settings they give
    (as `make html` reads them), for the preview."""
    site_url = f"http://127.0.0.1:{port}"
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
        *extra,
        # After the writer's own -e: the preview's addresses are this server's.
        "-e",
        "DEVSERVER=true",
        f"SITEURL={site_url}",
    ]
    state = BuildState()
    preview = Preview(content, functools.partial(load_settings, DEVSERVER=True, SITEURL=site_url), output)
    server = listen(port, output, state)
    if server is None:
        return 1
    stop = threading.Event()
    stop_with_parent(stop)
    builds = Builds(command, state)
    # The site's own theme too (THEME in the writer's settings): an edit to its CSS or a
    # template was never seen. As it is when the server starts.
    themes = [str(ROOT / "theme")]
    with contextlib.suppress(Exception):  # settings that do not load: the first build says why
        theme = os.path.abspath(preview.load_settings().get("THEME") or themes[0])
        themes += [theme] if os.path.isdir(theme) and theme not in themes else []
    # What the writer saves while the first build runs comes before the watcher starts: it is
    # found by comparing the files once the watcher is up.
    mine = [os.path.abspath(content), *themes, os.path.abspath(settings)]
    before: Stamps | None = snapshot(mine, os.path.abspath(output))
    try:
        # The preview's first run in this process is made while the site builds, not on the
        # writer's first save.
        build_once(builds, meanwhile=preview.warm)
    except KeyboardInterrupt:
        print("Stopped.", flush=True)
        server.server_close()
        return 0
    os.makedirs(output, exist_ok=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"[devserver] serving {site_url}/ ; watching for changes (Ctrl-C stops)", flush=True)
    print(f"[devserver] drafts: {site_url}/{DRAFTS_SAVE_AS}", flush=True)
    watched = [content, *themes, str(ROOT / "plugins"), settings]
    # Absolute, not resolved: a link's own name (Emacs's lock .#x.md) is what is matched.
    output_path, content_path = Path(os.path.abspath(output)), Path(os.path.abspath(content))
    try:
        # raise_interrupt: Ctrl-C comes to `serve` (a calm "Stopped."), not a warning from watchfiles.
        # A save is noticed through inotify; `step`: how long the folder must stay quiet before
        # the changes are handed over (an editor's write, rename and chmod come within a
        # millisecond), 10 ms rather than watchfiles' 50, which made a writer wait 70-80 ms.
        # yield_on_timeout: the first turn comes within 100 ms, once the watcher is up; only
        # then is what the writer saved before it (during the first build, or just after)
        # sure to be seen, by comparing the files with what they were before the first build.
        for changes in watch(
            *watched,
            debounce=300,
            step=10,
            raise_interrupt=True,
            stop_event=stop,
            rust_timeout=100,
            yield_on_timeout=True,
        ):
            if before is not None:  # the watcher's first turn
                if saved_meanwhile(before, mine, content_path, output_path):
                    print("[devserver] changed before the watcher started: building again", flush=True)
                    builds.stop()
                    builds.start()
                before = None
            gone = transient(changes)
            changed = edits(
                [Path(os.path.abspath(p)) for _, p in changes if p not in gone], content_path, output_path
            )
            if not changed:
                continue
            print(f"[devserver] changed: {', '.join(sorted({str(p) for p in changed})[:3])}", flush=True)
            saved = {str(path) for path in changed if preview.wants(str(path))}
            # Only when content alone changed: a theme or plugin edit needs the fresh process.
            if len(saved) == len(changed):
                began = time.monotonic()
                served = [address for path in sorted(saved) for address in preview.build(path)]
                builds.stop()
                if served and builds.swapped > began:
                    # The stopped build swapped in an older version of this page meanwhile.
                    served = [address for path in sorted(saved) for address in preview.build(path)]
                if served:
                    state.previewed()
                    # The pages first: what a writer opens.
                    pages = [address for address in served if address.endswith(".html")]
                    print(f"[devserver] preview served: {', '.join(pages[:3] or served[:3])}", flush=True)
            builds.stop()
            builds.start()
    except KeyboardInterrupt:
        # Ctrl-C is how a writer ends the preview: one calm line, and success, so that make
        # has no interrupted recipe to report.
        print("Stopped.", flush=True)
    finally:
        builds.stop()
        server.shutdown()
        server.server_close()
    return 0
