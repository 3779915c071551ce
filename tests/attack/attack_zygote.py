"""A fork server for `python -m explainers`: imports the project once, then runs each
command in a forked child, as `python -m explainers ARGS` would (same `main`, same gc
settings, `os._exit` with its code), in its own session, folder and resource limits.

The harness talks to it over stdin/stdout, one JSON line each way:

    {"commands": [{"args": [...], "cwd": "...", "out": "...", "err": "..."}],
     "budget": 120, "concurrent": false, "memory": ..., "file_size": ...}
    {"results": [{"code": 0, "timed_out": false, "seconds": 0.4}, ...]}

A child that outlives its budget is killed with its whole process group (Pagefind too).
Forking saves the half second of imports each command would otherwise pay, which is most
of a small build; each child still starts from the same untouched parent.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import resource
import signal
import sys
import time
import traceback

# Everything a command imports, imported once here (the children share it).
import markdown.extensions.extra
import markdown.extensions.smarty
import markdown.extensions.toc  # noqa: F401
import pelican.generators
import pelican.readers  # noqa: F401

from explainers.tools.cli import main


def _child(command: dict, memory: int, file_size: int) -> None:
    code = 1
    try:
        os.setsid()
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        os.chdir(command["cwd"])
        devnull = os.open(os.devnull, os.O_RDONLY)
        out = os.open(command["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        err = os.open(command["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(devnull, 0)
        os.dup2(out, 1)
        os.dup2(err, 2)
        sys.argv = ["python -m explainers", *command["args"]]
        gc.freeze()
        gc.set_threshold(10_000, 50, 1_000_000)
        code = main(command["args"])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # as the interpreter would: the traceback, then exit 1
        with contextlib.suppress(BaseException):
            traceback.print_exc()
        code = 1
    finally:
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code if isinstance(code, int) else 1)


def _wait(pid: int, deadline: float) -> tuple[int | None, bool]:
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status), False
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None, True
        time.sleep(0.005)


def _run(request: dict) -> list[dict]:
    budget, memory, size = request["budget"], request["memory"], request["file_size"]
    results = []
    if request.get("concurrent"):
        started = []
        for command in request["commands"]:
            t0 = time.monotonic()
            pid = os.fork()
            if pid == 0:
                _child(command, memory, size)
            started.append((pid, t0))
        for pid, t0 in started:
            code, timed_out = _wait(pid, t0 + budget)
            results.append({"code": code, "timed_out": timed_out, "seconds": time.monotonic() - t0})
        return results
    for command in request["commands"]:
        t0 = time.monotonic()
        pid = os.fork()
        if pid == 0:
            _child(command, memory, size)
        code, timed_out = _wait(pid, t0 + budget)
        results.append({"code": code, "timed_out": timed_out, "seconds": time.monotonic() - t0})
    return results


def serve() -> None:
    protocol_in, protocol_out = sys.stdin, sys.stdout
    print(json.dumps({"ready": True}), file=protocol_out, flush=True)
    for line in protocol_in:
        request = json.loads(line)
        try:
            results = _run(request)
            reply = {"results": results}
        except Exception as exc:
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(reply), file=protocol_out, flush=True)


if __name__ == "__main__":
    serve()
