"""``glossator themes``: JSON shape, the text table, warnings on stderr and exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from glossator.index.paths import seeds_dir
from glossator.tui.cli import main
from glossator.tui.cli_themes import SHADES, bar

KEYS = {"name", "description", "query", "kind", "passages", "articles", "error"}


@pytest.fixture(autouse=True)
def _dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture
def folder(tmp_path) -> Path:
    dst = tmp_path / "library"
    dst.mkdir()
    for src in sorted(seeds_dir().glob("*.txt")):
        shutil.copyfile(src, dst / src.name)
    return dst


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_themes_json_shape(capsys):
    status, out, err = run(capsys, "themes", "--json")
    assert status == 0 and err == ""
    data = json.loads(out)
    assert isinstance(data, list) and data
    status, listed, _ = run(capsys, "list", "--json")
    article_ids = [a["id"] for a in json.loads(listed)]
    for theme in data:
        assert set(theme) == KEYS
        assert theme["kind"] in {"curated", "discovered", "user"}
        assert list(theme["articles"]) == article_ids
        assert theme["passages"] == sum(theme["articles"].values())
        assert theme["error"] is None
    curated = [t for t in data if t["kind"] == "curated"]
    assert len(curated) >= 6
    assert all(sum(1 for n in t["articles"].values() if n) >= 3 for t in curated)
    assert any(t["kind"] == "discovered" for t in data)


def test_themes_text_is_a_table_grouped_by_kind(capsys):
    status, out, err = run(capsys, "themes")
    assert status == 0 and err == ""
    assert out.index("Curated themes") < out.index("Discovered in the articles")
    assert "Artillery shells and munitions" in out
    assert any(shade in out for shade in SHADES[1:])


def test_broken_themes_file_warns_on_stderr_and_still_succeeds(capsys, folder):
    (folder / "themes.toml").write_text(
        '[[theme]]\nname = "Shells"\nquery = "artillery"\n\n'
        '[[theme]]\nname = "Everything"\nquery = "*"\n',
        "utf-8",
    )
    status, out, err = run(capsys, "themes", "--json", "--library", str(folder))
    assert status == 0
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("glossator: ") and "themes.toml" in lines[0]
    assert "line 6" in lines[0] and "Everything" in lines[0]
    data = json.loads(out)
    assert [t["name"] for t in data if t["kind"] == "curated"] == ["Shells", "Everything"]
    assert data[1]["error"]

    (folder / "themes.toml").write_text("[[theme]]\nname = 'x\n", "utf-8")
    status, out, err = run(capsys, "themes", "--library", str(folder))
    assert status == 0
    assert err.startswith("glossator: ") and "line 2" in err and len(err.splitlines()) == 1
    assert "Discovered in the articles" in out


def test_user_themes_show_in_the_list(capsys, folder):
    from glossator.index.library import Library
    from glossator.index.themes import UserThemes

    library = Library(folder)
    library.update()
    UserThemes.for_library(library).add("My shells", "artillery")
    library.close()
    status, out, _ = run(capsys, "themes", "--json", "--library", str(folder))
    assert status == 0
    user = [t for t in json.loads(out) if t["kind"] == "user"]
    assert [t["name"] for t in user] == ["My shells"] and user[0]["passages"] > 0
    status, out, _ = run(capsys, "themes", "--library", str(folder))
    assert "Your themes" in out and "My shells" in out


def test_missing_library_folder_is_a_usage_error(capsys, tmp_path):
    status, out, err = run(capsys, "themes", "--library", str(tmp_path / "nowhere"))
    assert status == 2 and out == "" and err.startswith("glossator: ")


def test_bar_shades_by_count_and_squeezes_wide_libraries():
    assert bar([0, 1, 2, 4]) == SHADES[0] + SHADES[1] + SHADES[2] + SHADES[4]
    assert bar([]) == ""
    assert bar([0, 0]) == SHADES[0] * 2
    assert len(bar([1] * 100, width=40)) <= 40
