"""Hardening, issue 7: markup-like text, terminal escapes, control characters and right-to-left
overrides in articles, notes and themes are never interpreted, in any command's output.

Every command runs in one subprocess whose stdout and stderr are pipes (as when output is
redirected), and the bytes it writes are checked: no ESC, BEL, C1 control or bidirectional
override, while "[bold red]", "[/]" and "[link=...]" appear literally. Articles are neutralised
when they are loaded (``clean_article``), so this holds for the JSON outputs too.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from glossator.index.clean import clean_article
from glossator.index.textutil import neutralise

ROOT = Path(__file__).resolve().parent.parent

EVIL = (
    "Evil [bold red]Title[/] Here\n"
    "\n"
    "The [red]shells[/] arrived \x1b[31mred\x1b[0m with a bell\x07 and a "
    "[link=https://x.example]link[/link] and an OSC 52 \x1b]52;c;aGVsbG8=\x07 grab.\n"
    "\n"
    "More shells came with a right-to-left \u202eoverride\u202c and an isolate \u2066x\u2069, "
    "a C1 \x9b31m control and \x85 next line, a hyperlink \x1b]8;;http://evil\x1b\\click\x1b]8;;"
    "\x1b\\ here.\n"
    "\n"
    "Form\x0cfeed, vertical\x0btab, delete\x7f and backspace\x08 for the shells as well.\n"
)
NOTE = "[bold red]my note[/] about shells \x1b[31mred\x1b[0m \x07 \u202eevil\u202c #tag"
THEMES = """
[[theme]]
name = "Shells [bold]theme[/] \\u001b[31mred\\u0007"
description = "About \\u202eshells\\u202c and [link=https://x.example]links[/link]"
query = "shells"
"""
# ESC, BEL, other C0 controls but tab and newline, DEL, C1, bidi embeddings/overrides/isolates
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_RUNNER = r"""
import json, sys
from glossator.tui.cli import main
statuses = []
for argv in json.loads(sys.argv[1]):
    marker = "\n=== " + json.dumps(argv) + "\n"  # ASCII: the markers add no control codes
    sys.stdout.write(marker)
    sys.stdout.flush()
    sys.stderr.write(marker)
    try:
        status = main(argv)
    except SystemExit as exc:
        status = exc.code
    sys.stdout.flush()
    sys.stderr.flush()
    statuses.append(status)
sys.stderr.write("\nSTATUSES " + json.dumps(statuses) + "\n")
"""


def run_all(tmp_path: Path, commands: list[list[str]]) -> tuple[list[int], str, str, bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env.update(
        PYTHONPATH=str(ROOT),
        TERM="xterm-256color",  # a capable terminal type: output must still be plain on a pipe
        COLUMNS="100",
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, json.dumps(commands)],
        capture_output=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, err
    statuses = json.loads(err.rsplit("STATUSES ", 1)[1])
    return statuses, done.stdout.decode("utf-8"), err, done.stdout


def sections(out: str) -> list[str]:
    """Each command's output, in the order they ran."""
    return [p.split("\n", 1)[1] if "\n" in p else "" for p in out.split("\n=== ")[1:]]


@pytest.fixture
def lib(tmp_path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "evil.txt").write_text(EVIL, "utf-8")
    (folder / "calm.txt").write_text(
        "A Calm Article Title\n\nNothing odd happens here, only shells and the sea.\n", "utf-8"
    )
    (folder / "themes.toml").write_text(THEMES, "utf-8")
    return folder


def test_no_command_output_carries_controls_and_markup_is_literal(tmp_path, lib):
    L = ["--library", str(lib)]
    export_md = tmp_path / "notes.md"
    export_json = tmp_path / "notes.json"
    commands = [
        ["index", *L],
        ["notes", "add", "--article", "evil", "--sentence", "1", "--text", NOTE, *L],
        ["list", *L],
        ["list", "--json", *L],
        ["search", "shells", *L],
        ["search", "shells", "--json", *L],
        ["search", "title:evil", *L],
        ["search", "link", *L],
        ["show", "evil", *L],
        ["show", "evil", "--json", *L],
        ["show", "evil", "--original", *L],
        ["show", "evil", "--original", "--json", *L],
        ["themes", *L],
        ["themes", "--json", *L],
        ["notes", "list", *L],
        ["notes", "list", "--json", *L],
        ["notes", "export", *L],
        ["notes", "export", "--format", "json", *L],
        ["notes", "export", "-o", str(export_md), *L],
        ["notes", "export", "--format", "json", "-o", str(export_json), *L],
    ]
    statuses, out, err, raw = run_all(tmp_path, commands)
    assert statuses == [0] * len(commands), (statuses, err)
    assert "Traceback" not in err
    found = UNSAFE.findall(out)
    assert not found, sorted(set(found))
    assert b"\x1b" not in raw and b"\x07" not in raw and "\u202e".encode() not in raw
    assert not UNSAFE.findall(err)
    for path in (export_md, export_json):
        assert not UNSAFE.findall(path.read_text("utf-8"))
    shown = dict(zip((" ".join(c[:4]) for c in commands), sections(out), strict=True))

    def of(prefix: str) -> str:
        return shown[next(k for k in shown if k.startswith(prefix))]

    # markup is printed as written, not styled away
    for command in ("search shells --library", "show evil --library", "show evil --original --l"):
        text = of(command)
        assert "[red]shells[/]" in text, command
        assert "[link=https://x.example]link[/link]" in text, command
    assert "Evil [bold red]Title[/] Here" in of("show evil --library")
    assert "Evil [bold red]Title[/] Here" in of("list --library")
    assert "[bold red]my note[/]" in of("notes list --library")
    assert "[bold red]my note[/]" in of("notes export --library")
    assert "[bold red]my note[/]" in export_md.read_text("utf-8")
    assert "Shells [bold]theme[/]" in of("themes --library")
    assert "[link=https://x.example]links[/link]" in of("themes --library")
    # the JSON outputs still parse and say the same
    article = json.loads(of("show evil --json"))
    assert article["title"] == "Evil [bold red]Title[/] Here"
    notes = json.loads(of("notes list --json"))
    assert notes[0]["text"].startswith("[bold red]my note[/] about shells")
    themes = json.loads(of("themes --json"))
    assert any(t["name"].startswith("Shells [bold]theme[/]") for t in themes)
    json.loads(export_json.read_text("utf-8"))


def test_articles_never_carry_control_characters():
    article = clean_article(EVIL, "evil", "evil.txt")
    for text in (article.text, article.original, article.title, *article.removed):
        assert not UNSAFE.findall(text), text
    assert "[red]shells[/]" in article.text
    assert "override" in article.text and "\u202e" not in article.text
    assert "Form\n\nfeed" in article.text  # a form feed is a line break
    assert "\u240c" not in article.text
    assert all(article.text[s.start : s.end] == s.text for s in article.sentences)
    assert any("control codes" in w for w in article.warnings)


def test_neutralise_is_length_preserving_and_returns_clean_text_as_is():
    for text in (EVIL, NOTE, "plain", "", "\x00\x1b\x7f\x85\u202e\u2069"):
        out = neutralise(text)
        assert len(out) == len(text)
        assert not UNSAFE.findall(out)
    clean = "nothing to do here " * 100
    assert neutralise(clean) is clean


def _nasty_names(folder: Path) -> None:
    (folder / "name\x1b[31mred\u202e.txt").write_text(
        "A Normal Title Here\n\nThe shells were normal in this one.\n", "utf-8"
    )
    (folder / "skip\x1b]52;c;aGk=\x07\u202e.txt").write_bytes(b"")


def test_file_names_with_controls_are_neutralised_in_notes_and_themes(tmp_path, lib):
    """The commands in this change's files: notes and themes, text and JSON."""
    _nasty_names(lib)
    L = ["--library", str(lib)]
    commands = [
        ["index", *L],
        ["notes", "add", "--article", "name", "--sentence", "1", "--text", "plain note", *L],
        ["notes", "list", *L],
        ["notes", "list", "--json", *L],
        ["notes", "export", *L],
        ["notes", "export", "--format", "json", *L],
        ["themes", *L],
        ["themes", "--json", *L],
    ]
    statuses, out, _, _ = run_all(tmp_path, commands)
    assert statuses == [0] * len(commands)
    for command, text in zip(commands, sections(out), strict=True):
        if command[0] in ("notes", "themes"):
            assert not UNSAFE.findall(text), (command, text)


def test_file_names_with_controls_are_neutralised_everywhere(tmp_path, lib):
    _nasty_names(lib)
    L = ["--library", str(lib)]
    commands = [
        ["index", *L],
        ["list", *L],
        ["list", "--json", *L],
        ["search", "shells", *L],
        ["search", "shells", "--json", *L],
        ["show", "name", "--json", *L],
        ["search", "shells", "--library", str(lib / "no\x1b[31mfolder\u202e")],
    ]
    statuses, out, err, _ = run_all(tmp_path, commands)
    assert statuses == [0, 0, 0, 0, 0, 0, 2]
    assert not UNSAFE.findall(out), sorted(set(UNSAFE.findall(out)))
    assert not UNSAFE.findall(err), sorted(set(UNSAFE.findall(err)))
