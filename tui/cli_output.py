"""Standard output and error for the command line, guarded: a full disk or a closed pipe is one
clear outcome, never a traceback.

``guarded()`` puts a thin wrapper around ``sys.stdout`` and ``sys.stderr`` for the length of a
command. A write or flush to standard output that fails raises ``OutputClosed`` (the reader went
away: ``glossator search … | head -1``) or ``OutputFailed`` (``> /dev/full``, a disk error), which
no ``except OSError`` inside the command can mistake for its own failure; the command line turns
them into an exit status. A failed write to standard error is dropped: there is nowhere left to
say it. Afterwards standard output is pointed at the null device, so the interpreter's own flush
at exit has nothing to fail on (the recipe of the Python documentation on SIGPIPE).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO


class OutputClosed(Exception):
    """Whatever read standard output has closed it (a pipe to ``head``)."""


class OutputFailed(Exception):
    """Standard output could not be written (a full disk, an I/O error); the message says why."""


class _Guarded:
    """A text stream that passes everything to ``stream`` and reports failed writes its way."""

    def __init__(self, stream: TextIO, is_stdout: bool) -> None:
        self._stream = stream
        self._is_stdout = is_stdout

    def _failed(self, exc: OSError) -> None:
        if not self._is_stdout:
            return  # standard error: nothing can be said about it anywhere
        if isinstance(exc, BrokenPipeError):
            raise OutputClosed() from exc
        raise OutputFailed(exc.strerror or str(exc)) from exc

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            self._failed(exc)
            return 0

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            self._failed(exc)

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, encoding…: the stream's own
        return getattr(self._stream, name)


@contextlib.contextmanager
def guarded() -> Iterator[None]:
    """Standard output and error guarded while the block runs; flushed at its end, inside it."""
    out, err = sys.stdout, sys.stderr
    sys.stdout = _Guarded(out, is_stdout=True)
    sys.stderr = _Guarded(err, is_stdout=False)
    failed = False
    try:
        yield
        sys.stdout.flush()
    except (OutputClosed, OutputFailed):
        failed = True
        raise
    finally:
        sys.stdout, sys.stderr = out, err
        if failed:
            _silence(out)


def _silence(stream: TextIO) -> None:
    """Point the file descriptor under ``stream`` at the null device: what is still buffered
    goes nowhere instead of failing again when the interpreter flushes it at exit."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError):
        return  # not a real file (a test's capture): nothing is flushed at exit
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, fd)
        finally:
            os.close(devnull)
    except OSError:
        pass


def say(message: str) -> None:
    """One ``glossator: …`` line on standard error (dropped if even that cannot be written)."""
    try:
        print(f"glossator: {message}", file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass
