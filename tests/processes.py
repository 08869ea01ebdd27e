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


def _parent(pid: int) -> int | None:
    """A process's parent (from /proc), or None when it is gone or a zombie."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return None
    state, ppid = stat[stat.rindex(b")") + 2 :].split()[:2]  # the name may hold spaces
    return None if state in (b"Z", b"X") else int(ppid)


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    return _parent(pid) is not None


def descendants(pid: int) -> set[int]:
    """Every live process started by ``pid``, by its children, and so on (Linux: /proc)."""
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            ppid = _parent(int(name))
            if ppid is not None:
                parents[int(name)] = ppid
    found: set[int] = set()
    grown = True
    while grown:
        more = {p for p, pp in parents.items() if (pp == pid or pp in found) and p not in found}
        found |= more
        grown = bool(more)
    return found
