"""Processes for the kill tests: Python code run from the project root, killed at a chosen point."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def process(code: str, *args: object, env: dict[str, str] | None = None) -> Iterator:
    """``python -c code args…`` with its output readable as text; killed, if it is still
    running, and its output closed when the block ends."""
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        proc.stdout.close()


def kill(proc: subprocess.Popen) -> None:
    """SIGKILL, as a crash or a power cut would end it, and wait for it to go."""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


# A child process's peak memory: its own (VmHWM), not counting what its parent held when it was
# forked, as ru_maxrss on Linux does.
_PEAK = """
def _peak_mb():
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print("PEAK", _peak_mb())
"""


def measured(code: str, *args: object, timeout: float = 300) -> tuple[int, subprocess.CompletedProcess]:
    """Run ``python -c code args…`` to its end: its peak memory in MB, and the finished process
    (its output as text, without the last line, which tells the peak)."""
    done = subprocess.run(
        [sys.executable, "-c", code + "\n" + _PEAK, *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    *rest, last = done.stdout.splitlines()
    assert last.startswith("PEAK "), done.stderr
    done.stdout = "\n".join(rest)
    return int(last.split()[1]), done
