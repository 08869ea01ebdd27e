"""Hardening, issue 16 (items 13 and 25): standard output on a full disk, or closed by its reader.

Real processes, real file descriptors: ``/dev/full`` (every write fails with ENOSPC) and a pipe
whose reading end is closed before the command writes (every write fails with EPIPE, as when
``head -1`` has read its line and gone). A full disk is one ``glossator: cannot write the output:
…`` line and exit 2; a closed pipe is exit 0 and nothing on standard error; never a traceback, and
never the "no hits" status 1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from glossator.tui.cli import main

ROOT = Path(__file__).resolve().parent.parent

COMMANDS = [
    ["search", "artillery"],
    ["search", "artillery", "--json"],
    ["search", "zzzqqq"],  # no hits: still not status 1 when the output cannot be written
    ["show", "001"],
    ["show", "001", "--original"],
    ["list"],
    ["list", "--json"],
    ["themes"],
    ["index"],
    ["notes", "list"],
]


def _start(argv: list[str], stdout: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "glossator", *argv],
        cwd=ROOT,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run_all(stdout_for, commands: list[list[str]]) -> dict[tuple[str, ...], tuple[int, str]]:
    """The commands at once (two cores), each with the stdout ``stdout_for()`` gives."""
    procs = {}
    for argv in commands:
        fd = stdout_for()
        procs[tuple(argv)] = _start(argv, fd)
        os.close(fd)
    out = {}
    for key, proc in procs.items():
        _, err = proc.communicate(timeout=120)
        out[key] = (proc.returncode, err)
    return out


@pytest.mark.usefixtures("warm_seed_index")
def test_a_full_disk_is_one_clear_line_and_a_non_zero_status():
    # text, JSON, the notes' own output, and no hits: the same guard serves every command
    some = [COMMANDS[0], COMMANDS[1], COMMANDS[2], COMMANDS[-1]]
    results = _run_all(lambda: os.open("/dev/full", os.O_WRONLY), some)
    for argv, (status, err) in results.items():
        assert status == 2, (argv, status, err)
        assert err.splitlines() == ["glossator: cannot write the output: No space left on device"], (
            argv,
            err,
        )


def _closed_pipe() -> int:
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first byte is written
    return write


@pytest.mark.usefixtures("warm_seed_index")
def test_a_closed_pipe_is_a_quiet_success_for_every_command():
    results = _run_all(_closed_pipe, COMMANDS)
    for argv, (status, err) in results.items():
        assert status == 0, (argv, status, err)
        assert err == "", (argv, err)


@pytest.mark.usefixtures("warm_seed_index")
def test_head_reading_one_line_of_many_gives_status_zero():
    """The shell pipeline itself: ``glossator search artillery | head -1``."""
    script = f"'{sys.executable}' -m glossator search artillery | head -1; echo ${{PIPESTATUS[0]}}"
    proc = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    first, status = proc.stdout.splitlines()
    assert first.endswith("articles")  # "N passages in M articles"
    assert status == "0" and proc.stderr == ""


def test_failing_output_inside_the_process_is_reported_not_raised(capsys, monkeypatch):
    """The same through ``main``: a stream whose writes fail as a full disk's do."""

    class Full:
        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

        def flush(self) -> None:
            raise OSError(28, "No space left on device")

        def isatty(self) -> bool:
            return False

    monkeypatch.setattr(sys, "stdout", Full())
    assert main(["list", "--json"]) == 2
    assert capsys.readouterr().err == "glossator: cannot write the output: No space left on device\n"
