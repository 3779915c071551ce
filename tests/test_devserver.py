"""`make devserver` tells the truth, run as a writer runs it: a busy port is one line before any
build, the site's addresses use the port it serves on, stopping `make` stops the server, and a
Pelican-level failure names its reason and file."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sys
import time

from bs4 import BeautifulSoup

from explainers.tools import devserver
from sitebuild import EXPLAINER, ROOT, Site, settings_file
from test_makefile import make
from test_workflow import background, fetch, free_port, stop


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        return False
    return True


def test_a_busy_port_is_one_line_before_any_build(writer):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = make("devserver", "INPUTDIR=content", "OUTPUTDIR=out", f"PORT={port}", cwd=writer)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if not line.startswith("make")]
    assert len(errors) == 1
    assert errors[0].startswith(
        f"error: port {port} is in use: stop what uses it, or try make devserver PORT="
    )
    assert not (writer / "out").exists()  # nothing was built


DRAFT = EXPLAINER.replace("title: A test explainer", "title: Work in progress\nstatus: draft")


def test_the_preview_uses_its_port_and_lists_the_drafts(writer):
    (writer / "content" / "draft.md").write_text(DRAFT, encoding="utf-8")
    port = free_port()
    server = background("devserver", "INPUTDIR=content", "OUTPUTDIR=out", f"PORT={port}", cwd=writer)
    try:
        page = BeautifulSoup(fetch(f"http://127.0.0.1:{port}/a-test-explainer.html"), "lxml")
        feed = fetch(f"http://127.0.0.1:{port}/feeds/all.atom.xml").decode()
        drafts = BeautifulSoup(fetch(f"http://127.0.0.1:{port}/drafts.html"), "lxml")
        draft = fetch(f"http://127.0.0.1:{port}/drafts/work-in-progress.html").decode()
    finally:
        output = stop(server)
    assert page.find("link", rel="canonical")["href"] == f"http://127.0.0.1:{port}/a-test-explainer.html"
    assert f"http://127.0.0.1:{port}/a-test-explainer.html" in feed
    assert "127.0.0.1:8000" not in feed
    assert [(a.text, a["href"]) for a in drafts.select("main a")] == [
        ("Work in progress", "./drafts/work-in-progress.html")  # the preview's links are relative
    ]
    assert "Work in progress" in draft
    assert f"[devserver] drafts: http://127.0.0.1:{port}/drafts.html" in output


def test_drafts_are_listed_only_while_previewing(writer):
    (writer / "content" / "draft.md").write_text(DRAFT, encoding="utf-8")
    assert make("html", "INPUTDIR=content", "OUTPUTDIR=out", cwd=writer).returncode == 0
    assert (writer / "out" / "drafts" / "work-in-progress.html").is_file()  # Pelican's own draft page
    assert not (writer / "out" / "drafts.html").exists()


def test_stopping_make_alone_stops_the_server(writer):
    port = free_port()
    server = background("devserver", "INPUTDIR=content", "OUTPUTDIR=out", f"PORT={port}", cwd=writer)
    try:
        fetch(f"http://127.0.0.1:{port}/__devserver__.json")  # up, and the first build is in
        os.kill(server.pid, signal.SIGTERM)  # make's pid only, as `kill <pid>` does: not the group
        server.wait(timeout=30)
        deadline = time.monotonic() + 30  # a bound on waiting, not a measure: the machine is loaded
        while listening(port):
            assert time.monotonic() < deadline, "the server outlived make"
            time.sleep(0.2)
    finally:
        if server.poll() is None or listening(port):
            stop(server)  # the whole group, so that a failing test leaves no server behind


def test_a_pelican_level_failure_names_its_reason_and_file(tmp_path):
    site = Site(tmp_path)
    site.write("test.md", EXPLAINER)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    broken = theme / "templates" / "search.html"
    broken.write_text(broken.read_text(encoding="utf-8") + "{% if %}\n", encoding="utf-8")
    run = site.build("-e", f"CACHE_PATH={tmp_path / 'cache'}", f"THEME={theme}")
    assert run.code == 1
    failure = [line for line in run.stderr.splitlines() if line.startswith("Build failed")]
    assert len(failure) == 1
    assert "TemplateSyntaxError: Expected an expression" in failure[0]
    assert f"(in {broken}, line " in failure[0]
    assert "Warning or error encountered" not in run.stderr


def test_a_saved_explainer_is_served_before_the_rest_of_the_site_is_rebuilt(writer):
    port = free_port()
    server = background("devserver", "INPUTDIR=content", "OUTPUTDIR=out", f"PORT={port}", cwd=writer)
    try:
        fetch(f"http://127.0.0.1:{port}/__devserver__.json")  # up, and the first build is in
        source = writer / "content" / "test.md"
        source.write_text(EXPLAINER + "\nA sentence just saved.\n", encoding="utf-8")
        deadline = time.monotonic() + 60  # a bound on waiting, not a measure
        while b"A sentence just saved." not in fetch(f"http://127.0.0.1:{port}/a-test-explainer.html"):
            assert time.monotonic() < deadline, "the saved page was never served"
            time.sleep(0.1)
        while json.loads(fetch(f"http://127.0.0.1:{port}/__devserver__.json"))["build"] < 3:
            assert time.monotonic() < deadline, "the full build never came"
            time.sleep(0.1)
    finally:
        output = stop(server)
    lines = output.splitlines()
    served = lines.index("[devserver] preview served: a-test-explainer.html")
    rebuilt = next(i for i, line in enumerate(lines) if line.startswith("[devserver] build 3 built"))
    assert served < rebuilt


def test_a_save_while_the_settings_file_is_broken_keeps_the_server_running(writer):
    # A writer's typo in their settings file, then a save: no preview (the settings do not
    # load), the full build fails and says why, the last good site is still served, and the
    # server carries on: mending the settings brings the saved page in.
    settings = settings_file(writer / "site.conf.py")
    port = free_port()
    server = background(
        "devserver", "INPUTDIR=content", "OUTPUTDIR=out", f"PORT={port}", f"CONFFILE={settings}", cwd=writer
    )
    try:
        fetch(f"http://127.0.0.1:{port}/__devserver__.json")  # up, and the first build is in
        good = settings.read_text(encoding="utf-8")
        settings.write_text(good + "\nTYPO = SITEURLL\n", encoding="utf-8")
        deadline = time.monotonic() + 60  # a bound on waiting, not a measure
        while json.loads(fetch(f"http://127.0.0.1:{port}/__devserver__.json"))["build"] < 2:
            assert time.monotonic() < deadline, "the build after the settings' edit never came"
            time.sleep(0.1)
        source = writer / "content" / "test.md"
        source.write_text(EXPLAINER + "\nA sentence just saved.\n", encoding="utf-8")
        while json.loads(fetch(f"http://127.0.0.1:{port}/__devserver__.json"))["build"] < 3:
            assert time.monotonic() < deadline, "the build after the save never came"
            time.sleep(0.1)
        status = json.loads(fetch(f"http://127.0.0.1:{port}/__devserver__.json"))
        assert not status["ok"]
        assert b"A sentence just saved." not in fetch(f"http://127.0.0.1:{port}/a-test-explainer.html")
        settings.write_text(good, encoding="utf-8")
        while b"A sentence just saved." not in fetch(f"http://127.0.0.1:{port}/a-test-explainer.html"):
            assert time.monotonic() < deadline, "the mended build never served the saved page"
            time.sleep(0.1)
    finally:
        output = stop(server)
    assert "Traceback" not in output
    assert "SITEURLL" in output  # the failed builds said why


def test_the_first_build_makes_the_previews_first_run_meanwhile(capsys):
    # `Preview.warm` runs while the first build's process works, and the build is reported
    # as ever once it ends (what it wrote meanwhile waited in its pipes).
    state = devserver.BuildState()
    report = "import sys; print('x.md:1: error: a problem', file=sys.stderr)"
    builds = devserver.Builds([sys.executable, "-c", report], state)
    seen = []
    devserver.build_once(builds, meanwhile=lambda: seen.append(builds.process.pid))
    assert seen == [builds.process.pid]
    assert (state.number, state.ok, state.problems) == (1, True, ["x.md:1: error: a problem"])
    assert "x.md:1: error: a problem" in capsys.readouterr().err
