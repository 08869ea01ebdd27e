"""Hardening, issue 7: a themes file with mistakes (the library's ``themes.toml``, the user's own
themes file): every message names the file and the line; what can be used is used, the rest is
left out; the command still succeeds and a broken user file is never overwritten.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glossator.index.library import Library
from glossator.index.themes import ThemeError, UserThemes, load_curated, user_themes_path
from glossator.tui.cli import main

ARTICLE = """The Harbour Shells

The harbour shells were quiet that morning. Fishing boats lay idle at the quay.

Prices for diesel shells had doubled in a year. Most skippers could no longer afford to sail.
"""
OTHER = """Winter Town Notes

The snow came early that year and the shells froze. Nobody had seen anything like it.
"""


@pytest.fixture
def folder(tmp_path) -> Path:
    lib = tmp_path / "library"
    lib.mkdir()
    (lib / "harbour.txt").write_text(ARTICLE, "utf-8")
    (lib / "town.txt").write_text(OTHER, "utf-8")
    return lib


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ('[[theme]]\nname = "A"\nquery = "shells"\nname = "B"\n', 4, "not valid TOML"),
        ('[[theme]]\nname = "A"\nquery = "shells\n', 3, "not valid TOML"),
        ('# header\n\ntheme = "not a table"\n', 3, "must be a list of [[theme]] tables"),
        ('title = "x"\n\n[[theme]]\nname = "A"\nquery = "shells"\n', 1, "unknown top-level key"),
        ('[[theme]]\nname = "A"\nquery = "shells"\ncolour = "red"\n', 2, "unknown key 'colour'"),
        ('[[theme]]\nname = "\\u0007\\u001b"\nquery = "shells"\n', 2, "only control characters"),
        ('[[theme]]\nname = "A"\nquery = ["shells"]\n', 2, "query must be non-empty text"),
    ],
)
def test_each_mistake_names_the_file_and_the_line(tmp_path, content, line, words):
    (tmp_path / "themes.toml").write_text(content, "utf-8")
    _, warnings = load_curated(tmp_path)
    assert warnings, content
    assert any(f"themes.toml, line {line}" in w and words in w for w in warnings), warnings
    assert all("\n" not in w for w in warnings)


def test_control_characters_never_reach_a_curated_theme(tmp_path):
    (tmp_path / "themes.toml").write_text(
        '[[theme]]\nname = "Shells\\u001b[31m \\u202eevil"\n'
        'description = "bell\\u0007 and \\u0085 next"\nquery = "shells"\n',
        "utf-8",
    )
    themes, warnings = load_curated(tmp_path)
    assert warnings == []
    assert themes[0].name == "Shells [31m evil"
    assert themes[0].description == "bell and next"


def test_a_broken_themes_file_still_gives_the_other_themes(capsys, folder):
    (folder / "themes.toml").write_text('[[theme]\nname = "Broken"\n', "utf-8")
    status, out, err = run(capsys, "themes", "--json", "--library", str(folder))
    assert status == 0
    assert err.startswith("glossator: ") and "themes.toml, line 1" in err
    kinds = {t["kind"] for t in json.loads(out)}
    assert "curated" not in kinds and "discovered" in kinds  # defaults: what the articles give


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ('{\n  "version": 1,\n  "themes": [\n    {"name": "A" "query": "x"}\n  ]\n}\n', 4, "JSON"),
        ('{\n  "version": 1,\n  "themes": {"name": "A"}\n}\n', 3, "not a themes file"),
        ("[1, 2, 3]\n", None, "not a themes file"),
        ("\n\n", 3, "not valid JSON"),
    ],
)
def test_a_broken_user_themes_file_names_the_line_and_is_left_alone(folder, content, line, words):
    library = Library(folder)
    library.update()
    path = user_themes_path(library)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, "utf-8")
    user = UserThemes.for_library(library)
    assert user.themes() == []
    assert len(user.warnings) == 1
    warning = user.warnings[0]
    assert str(path.name) in warning and words in warning
    if line is not None:
        assert f", line {line}" in warning
    with pytest.raises(ThemeError, match="could not be read"):
        user.add("New", "shells")
    assert path.read_text("utf-8") == content  # never overwritten


def test_a_bad_entry_in_the_user_themes_file_names_its_line_and_the_rest_load(folder):
    library = Library(folder)
    library.update()
    path = user_themes_path(library)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "{\n"
        '  "version": 1,\n'
        '  "themes": [\n'
        '    {"name": "Good", "query": "shells"},\n'
        '    {"name": "No query"},\n'
        '    {"name": "   ", "query": "x"},\n'
        '    {"name": "Good", "query": "snow"}\n'
        "  ]\n"
        "}\n",
        "utf-8",
    )
    user = UserThemes.for_library(library)
    assert [t.name for t in user.themes()] == ["Good"]
    assert len(user.warnings) == 3
    assert ", line 5: theme 2 skipped" in user.warnings[0] and "query" in user.warnings[0]
    assert ", line 6: theme 3 skipped" in user.warnings[1]
    assert ", line 7: theme 'Good' appears twice" in user.warnings[2]


def test_themes_command_reports_user_file_mistakes_and_succeeds(capsys, folder):
    library = Library(folder)
    library.update()
    path = user_themes_path(library)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"themes": [\n{"name": 3, "query": "x"}\n]}\n', "utf-8")
    status, out, err = run(capsys, "themes", "--library", str(folder))
    assert status == 0 and "Traceback" not in err
    assert err.startswith("glossator: ") and ", line 2: theme 1 skipped" in err
    assert "Discovered in the articles" in out
