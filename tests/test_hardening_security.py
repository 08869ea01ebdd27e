"""Hardening, issue 7: no network, export writes only where asked, nothing from file content is
followed or run.

A full command-line session (index, search, list, show, themes, notes add/list/export/import)
runs with ``socket`` unable to connect and a Python audit hook watching every file opened,
created, renamed or removed, every process started and every piece of source compiled.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

import pytest

from glossator.tui.cli import main

MARKER = "PWNED"
ARTICLE = f"""The Harbour Of Paths

The harbour report mentions ../../escape.md and /tmp/{MARKER}.txt and ~/.bashrc in passing.

A line of code sits here: __import__("os").system("touch {MARKER}") and eval("1+1") too.

Also [link=file:///etc/passwd]a link[/link] and https://example.com/{MARKER} for the harbour.
"""

_events: list[tuple[str, tuple]] | None = None  # set while a test is watching


def _audit(event: str, args: tuple) -> None:
    if _events is not None and event in _WATCHED:
        _events.append((event, args))


_WATCHED = {
    "open",
    "os.mkdir",
    "os.rename",
    "os.remove",
    "os.rmdir",
    "os.symlink",
    "os.link",
    "os.truncate",
    "shutil.copyfile",
    "shutil.move",
    "shutil.rmtree",
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "compile",
    "socket.connect",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "urllib.Request",
}
sys.addaudithook(_audit)  # an audit hook cannot be removed; it does nothing unless watching


@pytest.fixture
def watch():
    global _events
    _events = []
    try:
        yield _events
    finally:
        _events = None


@pytest.fixture
def no_network(monkeypatch):
    """Every way out through ``socket`` raises, and is recorded."""
    attempts: list[str] = []

    def refuse(name):
        def blocked(*args, **kwargs):
            attempts.append(f"{name}{args[1:] if name.startswith('socket.') else args}")
            raise OSError(f"network access attempted during a test: {name}")

        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket.socket, "sendto", refuse("socket.sendto"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))
    return attempts


@pytest.fixture
def lib(tmp_path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "harbour.txt").write_text(ARTICLE, "utf-8")
    (folder / "themes.toml").write_text(
        f'[[theme]]\nname = "Paths"\nquery = "harbour"\ndescription = "../../{MARKER}"\n', "utf-8"
    )
    return folder


def snapshot(root: Path, leave_out: tuple[Path, ...]) -> set[Path]:
    found = set()
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if here / d not in leave_out]
        found.update(here / f for f in filenames)
        found.update(here / d for d in dirnames)
    return found


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_a_full_session_makes_no_network_access(capsys, lib, tmp_path, no_network, watch):
    L = ["--library", str(lib)]
    exported = tmp_path / "out" / "notes.json"
    exported.parent.mkdir()
    for argv in (
        ["index", *L],
        ["search", "harbour", *L],
        ["search", "harbour", "--json", *L],
        ["list", *L],
        ["show", "harbour", *L],
        ["show", "harbour", "--original", *L],
        ["themes", *L],
        ["themes", "--json", *L],
        ["notes", "add", "--article", "harbour", "--sentence", "1", "--text", "see ../x", *L],
        ["notes", "list", *L],
        ["notes", "list", "--json", *L],
        ["notes", "export", *L],
        ["notes", "export", "--format", "json", "-o", str(exported), *L],
        ["notes", "import", str(exported), *L],
    ):
        status, _, err = run(capsys, *argv)
        assert status == 0, (argv, err)
    assert no_network == []
    assert not [e for e in watch if e[0].startswith(("socket.", "urllib."))]
    assert not [e for e in watch if e[0] in ("subprocess.Popen", "os.system", "os.exec")]
    # nothing from the article was compiled, let alone run
    compiled = [e for e in watch if e[0] == "compile"]
    assert not [e for e in compiled if MARKER in str(e[1][0])]
    assert not list(tmp_path.rglob(f"*{MARKER}*")) and not Path(MARKER).exists()


def test_export_writes_only_where_asked_and_follows_no_path_from_content(
    capsys, lib, tmp_path, watch
):
    L = ["--library", str(lib)]
    status, _, err = run(
        capsys, "notes", "add", "--article", "harbour", "--sentence", "1",
        "--text", f"../../{MARKER}.md and /tmp/{MARKER} and ~/{MARKER}", *L,
    )  # fmt: skip
    assert status == 0, err
    # an annotation whose target points outside the library, to be imported and exported
    hostile = tmp_path / "hostile.json"
    hostile.write_text(
        json.dumps(
            {
                "type": "AnnotationCollection",
                "items": [
                    {
                        "type": "Annotation",
                        "id": "urn:uuid:12345678-1234-4234-8234-123456789abc",
                        "body": [{"type": "TextualBody", "value": "from elsewhere"}],
                        "target": {
                            "source": f"../../{MARKER}",
                            "path": f"/etc/{MARKER}",
                            "selector": [{"type": "TextQuoteSelector", "exact": "harbour"}],
                        },
                    }
                ],
            }
        ),
        "utf-8",
    )
    status, out, err = run(capsys, "notes", "import", str(hostile), *L)
    assert status == 0 and "imported 1" in out, err
    data = tmp_path / "xdg-data"
    leave_out = (data, tmp_path / "xdg-cache")
    before = snapshot(tmp_path, leave_out)
    watch.clear()
    status, md, err = run(capsys, "notes", "export", *L)
    assert status == 0, err
    assert snapshot(tmp_path, leave_out) == before  # stdout only: no file anywhere
    target = tmp_path / "exports" / "mine.md"
    target.parent.mkdir()
    before = snapshot(tmp_path, leave_out)
    status, _, err = run(capsys, "notes", "export", "-o", str(target), *L)
    assert status == 0, err
    assert snapshot(tmp_path, leave_out) - before == {target}
    for fmt in ("json", "md"):
        status, _, err = run(capsys, "notes", "export", "--format", fmt, "-o", str(target), *L)
        assert status == 0, err
    assert snapshot(tmp_path, leave_out) - before == {target}
    # every file written was the one asked for or Glossator's own; no path from the data opened
    opens = [args for event, args in watch if event == "open" and not isinstance(args[0], int)]

    def writes(args: tuple) -> bool:
        mode, flags = args[1], args[2] or 0
        by_mode = isinstance(mode, str) and any(c in mode for c in "wax+")
        return by_mode or bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))

    written = {os.fsdecode(args[0]) for args in opens if writes(args)}
    allowed = (str(target), str(data), str(tmp_path / "xdg-cache"))
    assert all(path.startswith(allowed) for path in written), written
    assert not [args for args in opens if MARKER in os.fsdecode(args[0])]
    assert not [e for e in watch if e[0] in ("os.rename", "os.remove", "os.symlink", "os.link")
                and MARKER in str(e[1])]  # fmt: skip
    assert not list(Path("/tmp").glob(f"{MARKER}*")) and not list(tmp_path.rglob(f"*{MARKER}*"))


def test_export_refuses_a_folder_or_a_missing_folder_and_writes_nothing(capsys, lib, tmp_path):
    L = ["--library", str(lib)]
    for target in (tmp_path, tmp_path / "missing" / "notes.md"):
        before = snapshot(tmp_path, ())
        status, out, err = run(capsys, "notes", "export", "-o", str(target), *L)
        assert status == 2 and out == "" and "cannot write" in err
        after = snapshot(tmp_path, ())
        assert {p for p in after - before if "xdg-" not in str(p)} == set()
