"""The command line: every command, its JSON, its exit codes, and hostile input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossator.tui.cli import main


@pytest.fixture(autouse=True)
def _dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_search_json_shape(capsys):
    status, out, _ = run(capsys, "search", "artillery", "--json")
    assert status == 0
    data = json.loads(out)
    assert set(data) == {"query", "total", "articles", "results", "suggestion"}
    assert data["query"] == "artillery" and data["total"] == len(data["results"])
    assert len(data["articles"]) == 5
    assert set(data["articles"][0]) == {"id", "title", "hits"}
    for r in data["results"]:
        assert set(r) == {"article_id", "title", "sentence", "text", "highlights"}
        assert r["sentence"] is None or r["sentence"] >= 1  # §N, from 1
        assert all(r["text"][a:b].lower() == "artillery" for a, b in r["highlights"])
    assert sum(len(r["highlights"]) for r in data["results"]) == 15


def test_search_text_output_groups_by_article(capsys):
    status, out, _ = run(capsys, "search", "artillery")
    assert status == 0
    assert out.splitlines()[0] == "14 passages in 5 articles"  # 15 words: one sentence has two
    assert out.count("artillery") + out.count("Artillery") == 15


def test_search_limit(capsys):
    status, out, _ = run(capsys, "search", "Korea", "--limit", "2", "--json")
    data = json.loads(out)
    assert status == 0 and len(data["results"]) == 2 and data["total"] > 2


def test_no_hits_exit_1_with_suggestion(capsys):
    status, out, _ = run(capsys, "search", "artilery", "--json")
    assert status == 1
    assert json.loads(out)["suggestion"] == "artillery"
    status, out, _ = run(capsys, "search", "artilery")
    assert status == 1 and "artillery" in out


def test_chrome_only_word_finds_nothing(capsys):
    status, out, _ = run(capsys, "search", "comment", "--json")
    assert status == 1 and json.loads(out)["total"] == 0


def test_unusable_query_exit_2_one_line(capsys):
    status, out, err = run(capsys, "search", "*")
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("glossator: ")


def test_show_json_and_text(capsys):
    status, out, _ = run(capsys, "show", "004_c793960b10bc7080", "--json")
    assert status == 0
    data = json.loads(out)
    assert {"id", "title", "byline", "paragraphs", "removed"} <= set(data)
    numbers = [s["sentence"] for p in data["paragraphs"] for s in p["sentences"]]
    assert numbers == list(range(1, len(numbers) + 1))  # §1, §2, … as the app shows them
    for p in data["paragraphs"]:
        assert p["kind"] in {"heading", "paragraph", "item"}
        for s in p["sentences"]:
            assert {"sentence", "text", "start", "end"} == set(s)
    status, out, _ = run(capsys, "show", "004")  # a unique prefix is enough
    assert status == 0 and data["title"] in out


def test_show_original_includes_chrome(capsys):
    status, out, _ = run(capsys, "show", "002", "--original")
    assert status == 0 and "Sign in to comment" in out
    status, out, _ = run(capsys, "show", "002")
    assert "Sign in to comment" not in out


def test_show_unknown_article(capsys):
    status, _, err = run(capsys, "show", "nope")
    assert status == 2 and "glossator list" in err  # a failure, as the README says (1: no hits)


def test_list_and_index(capsys):
    status, out, _ = run(capsys, "list", "--json")
    items = json.loads(out)
    assert status == 0 and len(items) == 5
    assert {"id", "title", "byline", "sentences"} <= set(items[0])
    assert [i for i in items if i["title_derived"]] == [items[0]]
    status, out, _ = run(capsys, "index")
    assert status == 0 and "5 unchanged" in out
    status, out, _ = run(capsys, "index", "--rebuild")
    assert status == 0 and "5 added" in out


def test_library_option_and_missing_folder(capsys, tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "one.txt").write_text("Drones over the border\n\nThe drones flew at night.\n")
    status, out, _ = run(capsys, "search", "drones", "--library", str(lib), "--json")
    assert status == 0 and json.loads(out)["articles"][0]["id"] == "one"
    status, out, _ = run(capsys, "--library", str(lib), "list", "--json")
    assert [a["id"] for a in json.loads(out)] == ["one"]
    status, _, err = run(capsys, "list", "--library", str(tmp_path / "missing"))
    assert status == 2 and "not a folder" in err


def test_markup_and_escapes_are_printed_literally(capsys, tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "evil.txt").write_text(
        "Evil [bold]title[/bold]\n\n"
        "The [red]shells[/] arrived \x1b[31mred\x1b[0m with a bell\x07.\n"
    )
    status, out, _ = run(capsys, "search", "shells", "--library", str(lib))
    assert status == 0
    assert "[red]shells[/]" in out
    assert "\x1b[31m" not in out and "\x07" not in out
    status, out, _ = run(capsys, "show", "evil", "--library", str(lib))
    assert "Evil [bold]title[/bold]" in out and "\x1b" not in out


def test_python_m_tui_and_console_script(tmp_path):
    env = {
        "XDG_CACHE_HOME": str(tmp_path / "c"),
        "XDG_DATA_HOME": str(tmp_path / "d"),
        "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-m", "glossator", "search", "artillery", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] > 0
    script = Path(sys.executable).parent / "glossator"
    if script.exists():
        done = subprocess.run(
            [str(script), "search", "*"], capture_output=True, text=True, env=env, cwd=tmp_path
        )
        assert done.returncode == 2 and "Traceback" not in done.stderr


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=60))
def test_any_query_exits_0_1_or_2_without_traceback(capsys, text):
    status = main(["search", "--json", "--", text])
    out, err = capsys.readouterr()
    assert status in (0, 1, 2)
    if status == 2:
        assert out == "" and err.startswith("glossator: ")
    else:
        data = json.loads(out)
        assert data["total"] == sum(a["hits"] for a in data["articles"])


def test_installed_under_one_namespace():
    """Only glossator.* is installed: a module called index or tui elsewhere cannot shadow it,
    and ``python -m glossator`` runs the command line."""
    import importlib.util

    spec = importlib.util.find_spec("glossator.index")
    assert spec is not None and spec.submodule_search_locations
    for name in ("index", "tui"):
        found = importlib.util.find_spec(name)
        assert found is None or "glossator" not in (found.origin or ""), found
    done = subprocess.run(
        [sys.executable, "-m", "glossator", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and "usage: glossator" in done.stdout


def test_a_module_named_index_on_the_path_does_not_shadow_glossator(tmp_path):
    (tmp_path / "index.py").write_text("raise SystemExit('the wrong index was imported')\n")
    (tmp_path / "tui.py").write_text("raise SystemExit('the wrong tui was imported')\n")
    done = subprocess.run(
        [sys.executable, "-m", "glossator", "list"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert "wrong" not in done.stderr
