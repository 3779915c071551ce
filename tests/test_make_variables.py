"""Every make variable reaches its command as literal text: one argument, whatever it holds.

The Makefile runs against stand-in tools (a virtual environment whose python, ghp-import
and s3cmd, and an rsync on PATH, only record the arguments they were given), so each
target runs for real, quickly and offline. The stand-ins live in a folder whose own name
is hostile too, which puts PY and VENV under the same test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import ROOT
from test_makefile import make

# Run by the stand-ins. `make test` runs code with -c: it is run here with a pytest that only
# records the arguments it was given, so the splitting of PYTEST_ARGS is tested as it is.
STAND_IN = f"""\
#!{sys.executable}
import json, os, sys, types
record = {{"tool": os.path.basename(sys.argv[0]), "argv": sys.argv[1:], "TITLE": os.environ.get("TITLE")}}
if sys.argv[1:2] == ["-c"]:
    sys.modules["pytest"] = types.SimpleNamespace(main=lambda args: record.update(pytest=args) or 0)
    try:
        exec(sys.argv[2])
    except SystemExit:
        pass
with open(os.environ["STAND_IN_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(record) + "\\n")
"""


class Tools:
    """A writer's folder, a stand-in virtual environment, and what the stand-ins recorded."""

    def __init__(self, root: Path):
        self.root = root
        self.venv = root / """venv $4 "dq" 'sq' `false` $(false);"""
        self.log = root / "stand-ins.jsonl"
        on_path = root / "on-path"
        for folder, names in ((self.venv / "bin", ("python", "ghp-import", "s3cmd")), (on_path, ("rsync",))):
            folder.mkdir(parents=True)
            for name in names:
                (folder / name).write_text(STAND_IN, encoding="utf-8")
                (folder / name).chmod(0o755)
        # Newer than the requirements: `make` takes the environment as set up.
        stamp = self.venv / ".installed"
        stamp.touch()
        later = (ROOT / "requirements.txt").stat().st_mtime + 60
        os.utime(stamp, (later, later))
        self.env = {"STAND_IN_LOG": str(self.log), "PATH": f"{on_path}{os.pathsep}{os.environ['PATH']}"}

    def make(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        self.log.unlink(missing_ok=True)
        return make(
            f"VENV={self.venv}",
            f"PY={self.venv / 'bin' / 'python'}",
            "SITEURL=https://example.org",
            *args,
            cwd=self.root,
            **self.env,
            **env,
        )

    def records(self) -> list[dict]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]

    def arguments(self) -> list[str]:
        return [argument for record in self.records() for argument in record["argv"]]

    def markers(self) -> list[str]:
        return sorted(path.name for path in self.root.glob("pwned*"))


@pytest.fixture
def tools(tmp_path: Path) -> Tools:
    return Tools(tmp_path)


def hostile(folder: Path) -> list[str]:
    """Values that would run a command, or lose a character, if make or the shell read them."""
    touch = f"touch {folder}/pwned"
    return [
        f"""Council's "$412M" budget; {touch}-1 `{touch}-2` $({touch}-3)""",
        f"$(shell {touch}-4) $$HOME \\ and two  spaces",
        f"two\nlines; {touch}-5\n",
    ]


# Variable: (target, the argument the command must receive, with {} for the value).
CASES = {
    "INPUTDIR": ("html", "{}"),
    "OUTPUTDIR": ("html", "--output={}"),
    "CONFFILE": ("check", "--settings={}"),
    "SITEURL": ("publish", "SITEURL={}"),
    "DEST": ("rsync_upload", "{}"),
    "SSH_TARGET": ("rsync_upload", "{}"),
    "GITHUB_REMOTE": ("github", "{}"),
    "GITHUB_BRANCH": ("github", "{}"),
    "S3_BUCKET": ("s3_upload", "s3://{}/"),
    "S3_HOST": ("s3_upload", "--host={}"),
    "FILE": ("import-sources", "{}"),
    "BENCH_OUT": ("bench", "--out={}"),
    "BENCH_WORK": ("bench", "--work={}"),
}


@pytest.mark.parametrize("name", CASES)
def test_each_variable_reaches_its_command_as_one_literal_argument(tools, name):
    target, expected = CASES[name]
    needed = [] if name == "SSH_TARGET" else ["DEST=somewhere"]  # DEST's default is SSH_TARGET
    for value in hostile(tools.root):
        result = tools.make(target, *needed, "S3_BUCKET=b", "FILE=f", f"{name}={value}")
        assert result.returncode == 0, result.stderr
        assert expected.format(value) in tools.arguments()
        assert tools.markers() == []


def test_the_title_keeps_every_character(tools):
    for value in ["Council passes $412M budget", *hostile(tools.root)]:
        result = tools.make("new", f"TITLE={value}")
        assert result.returncode == 0, result.stderr
        assert [record["TITLE"] for record in tools.records()] == [value]
        assert tools.markers() == []


def test_a_value_from_the_environment_is_literal_too(tools):
    result = tools.make("html", INPUTDIR="$4 $(shell touch pwned-6) `touch pwned-7`")
    assert result.returncode == 0, result.stderr
    assert tools.arguments()[-1] == "$4 $(shell touch pwned-6) `touch pwned-7`"
    assert tools.markers() == []


def test_the_tools_themselves_may_live_in_a_folder_with_any_name(tools):
    """PY and VENV: the stand-ins' folder name holds $4, quotes, backticks and $(…)."""
    assert tools.make("html").returncode == 0
    assert tools.make("serve", "PORT=8001").returncode == 0
    [served] = [record["argv"] for record in tools.records()]
    assert served[1:] == ["--directory=" + str(ROOT / "output"), "--port=8001"]


def test_pytest_args_are_split_into_words_but_never_run(tools):
    value = f"""-k "citations and not slow" -x $(touch {tools.root}/pwned-8); `touch {tools.root}/pwned-9`"""
    npm_done = ROOT / "node_modules" / ".package-lock.json"  # -o: not remade, whatever its date
    result = tools.make("-o", str(npm_done), "test", f"PYTEST_ARGS={value}")
    assert result.returncode == 0, result.stderr
    [tested] = [record["pytest"] for record in tools.records() if "pytest" in record]
    assert tested == [
        "-k",
        "citations and not slow",
        "-x",
        "$(touch",
        f"{tools.root}/pwned-8);",
        "`touch",
        f"{tools.root}/pwned-9`",
    ]
    assert tools.markers() == []


# Switches choose an option; what they hold is never run by make.
SWITCHES = {
    "STRICT": ("html", "--strict"),
    "DEBUG": ("html", "--debug"),
    "BYTES_ONLY": ("audit", "--bytes-only"),
}


@pytest.mark.parametrize("name", SWITCHES)
def test_a_switch_holding_make_code_is_on_and_runs_nothing(tools, name):
    target, option = SWITCHES[name]
    result = tools.make(target, f"{name}=$(shell touch {tools.root}/pwned-10)")
    assert result.returncode == 0, result.stderr
    assert option in tools.arguments()
    assert tools.markers() == []


@pytest.mark.parametrize("name", SWITCHES)
def test_a_switch_set_to_0_is_off(tools, name):
    target, option = SWITCHES[name]
    for value, on in (("0", False), ("", False), ("1", True)):
        result = tools.make(target, f"{name}={value}", "STRICT=0" if name != "STRICT" else f"STRICT={value}")
        assert result.returncode == 0, result.stderr
        assert (option in tools.arguments()) is on, (name, value)


def test_make_test_runs_the_code_tests_then_checks_the_content_as_its_own_step(tools):
    npm_done = ROOT / "node_modules" / ".package-lock.json"
    result = tools.make("-o", str(npm_done), "test")
    assert result.returncode == 0, result.stderr
    records = tools.records()
    tested = next(at for at, record in enumerate(records) if "pytest" in record)
    check = ["-m", "explainers", "check"]
    checked = next(at for at, record in enumerate(records) if record["argv"][:3] == check)
    assert tested < checked
    assert records[checked]["argv"][-1] == str(ROOT / "content")
    assert "step 1 of 2: the code's tests" in result.stdout
    assert "step 2 of 2: the site's content (make check" in result.stdout


def test_s3_ssl_is_a_switch_too(tools):
    assert tools.make("s3_upload", "S3_BUCKET=b", "S3_SSL=0").returncode == 0
    assert "--no-ssl" in tools.arguments()
    make_code = f"S3_SSL=$(shell touch {tools.root}/pwned-11)"
    assert tools.make("s3_upload", "S3_BUCKET=b", make_code).returncode == 0
    assert "--no-ssl" not in tools.arguments()
    assert tools.markers() == []


# Values with a shape: (target, variable, value, the one error line).
PORT = "error: PORT must be a whole number from 1 to 65535; got "
SHAPES = [
    ("serve", "PORT", "80; touch pwned", PORT + '"80; touch pwned"'),
    ("devserver", "PORT", "0", PORT + '"0"'),
    ("devserver", "PORT", "65536", PORT + '"65536"'),
    ("devserver", "PORT", "", PORT + '""'),
    (
        "rsync_upload",
        "SSH_PORT",
        "22 -o ProxyCommand=touch",
        'error: SSH_PORT must be a whole number from 1 to 65535; got "22 -o ProxyCommand=touch"',
    ),
    ("bench", "N", "1e3", 'error: N must be a whole number from 1 to 1000000; got "1e3"'),
    ("bench", "N", "99999999999", 'error: N must be a whole number from 1 to 1000000; got "99999999999"'),
    ("check", "FORMAT", "xml", 'error: FORMAT must be one of text, json, github; got "xml"'),
    (
        "github",
        "GITHUB_REMOTE",
        "--receive-pack=touch",
        'error: GITHUB_REMOTE must be a name that does not begin with "-"; got "--receive-pack=touch"',
    ),
    (
        "github",
        "GITHUB_BRANCH",
        "-f",
        'error: GITHUB_BRANCH must be a name that does not begin with "-"; got "-f"',
    ),
]


@pytest.mark.parametrize(("target", "name", "value", "error"), SHAPES)
def test_a_value_of_the_wrong_shape_stops_with_one_error_line(tools, target, name, value, error):
    result = tools.make(target, f"{name}={value}", "DEST=somewhere")
    assert result.returncode != 0
    assert [line for line in result.stderr.splitlines() if line.startswith("error:")] == [error]
    assert not any(value and value in argument for argument in tools.arguments())


@pytest.mark.parametrize(
    ("target", "name", "value", "expected"),
    [
        ("devserver", "PORT", "8001", "--port=8001"),
        ("rsync_upload", "SSH_PORT", "2222", "ssh -p 2222"),
        ("bench", "N", "100", "--quick"),
        ("check", "FORMAT", "json", "--format=json"),
    ],
)
def test_a_value_of_the_right_shape_passes(tools, target, name, value, expected):
    result = tools.make(target, f"{name}={value}", "DEST=somewhere")
    assert result.returncode == 0, result.stderr
    assert expected in tools.arguments()


def test_clean_compares_the_output_name_as_text_not_as_a_pattern(tmp_path):
    (tmp_path / ".keep.me").mkdir()
    (tmp_path / ".*.building-1-x").mkdir()
    result = make("clean", "OUTPUTDIR=*", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == [".keep.me"]


def test_new_keeps_the_dollar_in_a_real_title(writer):
    """The headline case, with the real tools: `make new TITLE='Council passes $412M budget'`."""
    result = make("new", "INPUTDIR=content", "TITLE=Council passes $412M budget", cwd=writer)
    assert result.returncode == 0, result.stderr
    text = (writer / "content" / "council-passes-412m-budget.md").read_text(encoding="utf-8")
    assert '\ntitle: "Council passes $412M budget"\n' in text
