"""``glossator notes``: add, list (re-anchored), export, import, and every failure as exit 2."""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from glossator.index.paths import seeds_dir
from glossator.tui.cli import main

ROOT = Path(__file__).resolve().parent.parent

HARBOUR = """The Quiet Harbour

By Ann Example

The harbour was quiet that morning. Fishing boats lay idle at the quay.

Prices for diesel had doubled in a year. Most skippers could no longer afford to sail. \
A few sold their boats to buyers from the south.

By winter the town had changed. The cannery closed its doors for good.
"""
TOWN = """Winter Town Notes

The snow came early that year. Nobody had seen anything like it.

Schools stayed closed for a week.
"""


@pytest.fixture(autouse=True)
def _dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture
def lib(tmp_path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "harbour.txt").write_text(HARBOUR, "utf-8")
    (folder / "town.txt").write_text(TOWN, "utf-8")
    return folder


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def add(capsys, lib: Path, *argv: str) -> str:
    status, out, err = run(capsys, "notes", "add", "--library", str(lib), *argv)
    assert status == 0, err
    return out.strip()


def listed(capsys, lib: Path) -> list[dict]:
    status, out, err = run(capsys, "notes", "list", "--json", "--library", str(lib))
    assert status == 0, err
    return json.loads(out)


def rewrite(path: Path, text: str) -> None:
    path.write_text(text, "utf-8")
    later = time.time() + 5  # a different mtime even on coarse-grained file systems
    os.utime(path, (later, later))


def assert_one_line_error(status: int, out: str, err: str, *words: str) -> None:
    assert status == 2
    assert out == ""
    assert err.startswith("glossator: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for word in words:
        assert word in err, err


# -- add and list -----------------------------------------------------------------------------


def test_add_prints_id_and_list_shows_it(capsys, lib):
    note_id = add(capsys, lib, "--article", "harb", "--sentence", "4", "--text", "fuel! #costs")
    assert len(note_id) == 36 and note_id.count("-") == 4
    (note,) = listed(capsys, lib)
    assert set(note) >= {
        "id",
        "article_id",
        "sentence",
        "last_sentence",
        "quote",
        "text",
        "tags",
        "status",
        "created",
        "updated",
    }
    assert note["id"] == note_id and note["article_id"] == "harbour"
    assert (
        note["sentence"] == 4
        and note["quote"] == "Most skippers could no longer afford to sail."
    )
    assert note["text"] == "fuel! #costs" and note["tags"] == ["costs"]
    assert note["status"] == "anchored"
    assert note["created"] == note["updated"]


def test_add_a_run_and_text_listing(capsys, lib):
    add(capsys, lib, "--article", "harbour", "--sentence", "3", "--to", "5", "--text", "decline")
    (note,) = listed(capsys, lib)
    assert note["sentence"] == 3 and note["last_sentence"] == 5
    assert note["quote"].startswith("Prices") and note["quote"].endswith("south.")
    status, out, _ = run(capsys, "notes", "list", "--library", str(lib))
    assert status == 0
    assert "harbour" in out and "§3–5" in out and "[anchored]" in out and "decline" in out


def test_text_from_stdin(capsys, lib, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("from stdin #piped\n"))
    add(capsys, lib, "--article", "town", "--sentence", "1", "--text", "-")
    assert listed(capsys, lib)[0]["tags"] == ["piped"]


def test_empty_list(capsys, lib):
    assert listed(capsys, lib) == []
    status, out, _ = run(capsys, "notes", "list", "--library", str(lib))
    assert status == 0 and "No notes." in out


def test_notes_belong_to_their_library(capsys, lib, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "harbour.txt").write_text(HARBOUR, "utf-8")
    add(capsys, lib, "--article", "harbour", "--sentence", "1", "--text", "in the first")
    add(capsys, other, "--article", "harbour", "--sentence", "2", "--text", "in the second")
    assert [n["text"] for n in listed(capsys, lib)] == ["in the first"]
    assert [n["text"] for n in listed(capsys, other)] == ["in the second"]


def test_terminal_text_is_neutralised(capsys, lib):
    add(capsys, lib, "--article", "town", "--sentence", "1", "--text", "evil \x1b[2J\x07 \u202e x")
    status, out, _ = run(capsys, "notes", "list", "--library", str(lib))
    assert status == 0 and "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "␛[2J␇" in out
    status, out, _ = run(capsys, "notes", "list", "--json", "--library", str(lib))
    assert "\x1b" not in out and "\u202e" not in out
    assert json.loads(out)[0]["text"] == "evil \x1b[2J\x07 \u202e x"  # JSON keeps the data


# -- re-anchoring on list ---------------------------------------------------------------------


def test_list_reanchors_after_the_article_changed(capsys, lib):
    add(capsys, lib, "--article", "harbour", "--sentence", "4", "--text", "skippers")
    add(capsys, lib, "--article", "harbour", "--sentence", "2", "--text", "boats")
    add(capsys, lib, "--article", "harbour", "--sentence", "7", "--text", "cannery")
    edited = HARBOUR.replace(
        "The harbour was quiet that morning. Fishing boats lay idle at the quay.",
        "A new opening. The harbour was quiet that morning.",
    ).replace("The cannery closed its doors for good.", "The cannery closed its doors for ever.")
    rewrite(lib / "harbour.txt", edited)
    notes = {n["text"]: n for n in listed(capsys, lib)}
    assert notes["skippers"]["status"] == "moved" and notes["skippers"]["sentence"] == 4
    assert notes["boats"]["status"] == "orphaned" and notes["boats"]["sentence"] is None
    assert notes["boats"]["quote"] == "Fishing boats lay idle at the quay."  # kept
    assert notes["cannery"]["status"] == "moved" and notes["cannery"]["sentence"] == 7
    assert notes["cannery"]["quote"] == "The cannery closed its doors for ever."
    assert listed(capsys, lib) == list(notes.values())  # a second listing changes nothing


def test_list_orphans_notes_of_a_removed_article(capsys, lib):
    add(capsys, lib, "--article", "town", "--sentence", "3", "--text", "schools")
    (lib / "town.txt").unlink()
    (note,) = listed(capsys, lib)
    assert note["status"] == "orphaned" and note["quote"] == "Schools stayed closed for a week."
    (lib / "town.txt").write_text(TOWN, "utf-8")  # back again: found again
    (note,) = listed(capsys, lib)
    assert note["status"] == "anchored" and note["sentence"] == 3


# -- export and import ------------------------------------------------------------------------


def test_export_markdown_to_stdout(capsys, lib):
    add(capsys, lib, "--article", "harbour", "--sentence", "4", "--text", "fuel #costs")
    status, out, _ = run(capsys, "notes", "export", "--format", "md", "--library", str(lib))
    assert status == 0
    assert "## The Quiet Harbour" in out
    assert "> Most skippers could no longer afford to sail." in out
    assert "— Ann Example, “The Quiet Harbour”, §4\n" in out
    assert "Tags: #costs" in out


def test_export_json_import_round_trip(capsys, lib, tmp_path):
    add(capsys, lib, "--article", "harbour", "--sentence", "4", "--text", "fuel #costs")
    add(capsys, lib, "--article", "town", "--sentence", "1", "--to", "2", "--text", "snow")
    target = tmp_path / "out" / "notes.json"
    target.parent.mkdir()
    status, out, err = run(
        capsys, "notes", "export", "--format", "json", "-o", str(target), "--library", str(lib)
    )
    assert status == 0 and out == "" and "wrote 2 notes" in err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    data = json.loads(target.read_text("utf-8"))
    assert data["type"] == "AnnotationCollection" and data["total"] == 2
    before = listed(capsys, lib)

    status, out, _ = run(capsys, "notes", "import", str(target), "--library", str(lib))
    assert status == 0 and "imported 0 notes, skipped 2" in out
    assert listed(capsys, lib) == before

    # a fresh data folder (a new machine): everything comes back, once
    shutil.rmtree(tmp_path / "data")
    status, out, _ = run(capsys, "notes", "import", str(target), "--library", str(lib))
    assert status == 0 and "imported 2 notes, skipped 0" in out
    again = listed(capsys, lib)
    assert again == before
    status, out, _ = run(capsys, "notes", "import", str(target), "--library", str(lib))
    assert "imported 0 notes, skipped 2" in out and listed(capsys, lib) == before

    status, md, _ = run(capsys, "notes", "export", "--library", str(lib))
    assert status == 0 and md.count("> ") == 2


def test_seed_library_copy(capsys, tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(seeds_dir(), folder)
    status, out, _ = run(capsys, "show", "000", "--json", "--library", str(folder))
    article = json.loads(out)
    sentences = [s for p in article["paragraphs"] for s in p["sentences"]]
    add(capsys, folder, "--article", "000", "--sentence", "3", "--text", "currency #money")
    (note,) = listed(capsys, folder)
    assert sentences[2]["sentence"] == 3  # what show --json calls sentence 3 ...
    assert note["article_id"] == article["id"] and note["quote"] == sentences[2]["text"]
    assert note["sentence"] == 3  # ... is where --sentence 3 put the note
    status, out, _ = run(capsys, "notes", "export", "--format", "json", "--library", str(folder))
    data = json.loads(out)
    item = data["first"]["items"][0]
    # the article has no URL: its file, as a file: URI
    assert item["target"]["source"] == (folder.resolve() / f"{article['id']}.txt").as_uri()
    assert item["glossator"]["article_id"] == article["id"]
    assert item["target"]["selector"][1]["start"] == sentences[2]["start"]


# -- failures ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--article", "nosuch", "--sentence", "1", "--text", "x"], ["nosuch"]),
        (["--article", "harbour", "--sentence", "8", "--text", "x"], ["§8", "§1 to §7"]),
        (["--article", "harbour", "--sentence", "0", "--text", "x"], ["§0", "out of range"]),
        (["--article", "harbour", "--sentence", "-1", "--text", "x"], ["out of range"]),
        (["--article", "harbour", "--sentence", "3", "--to", "10", "--text", "x"], ["§10"]),
        (["--article", "harbour", "--sentence", "4", "--to", "3", "--text", "x"], ["--to"]),
        (["--article", "harbour", "--sentence", "2", "--text", "   "], ["empty"]),
    ],
)
def test_add_errors(capsys, lib, argv, words):
    status, out, err = run(capsys, "notes", "add", "--library", str(lib), *argv)
    assert_one_line_error(status, out, err, *words)
    assert listed(capsys, lib) == []


def test_ambiguous_article_prefix(capsys, lib):
    (lib / "harbour2.txt").write_text(HARBOUR, "utf-8")
    status, out, err = run(
        capsys, "notes", "add", "--library", str(lib), "--article", "harb", "--sentence", "1",
        "--text", "x",
    )  # fmt: skip
    assert_one_line_error(status, out, err, "several")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, ["cannot read"]),
        (b"{not json", ["not a JSON file"]),
        (b"\xff\xfe\x00garbage", ["not a JSON file"]),
        (b'{"hello": "world"}', ["not a Web Annotation"]),
        (b"[1, 2, 3]", []),  # a list of non-annotations: read, every item skipped
    ],
)
def test_import_errors(capsys, lib, tmp_path, content, words):
    path = tmp_path / "in.json"
    if content is not None:
        path.write_bytes(content)
    status, out, err = run(capsys, "notes", "import", str(path), "--library", str(lib))
    if not words:
        assert status == 0 and "imported 0 notes, skipped 3" in out
        return
    assert_one_line_error(status, out, err, *words)


def test_import_of_a_folder_fails_cleanly(capsys, lib, tmp_path):
    status, out, err = run(capsys, "notes", "import", str(tmp_path), "--library", str(lib))
    assert_one_line_error(status, out, err, "cannot read")


def test_export_to_a_missing_folder(capsys, lib, tmp_path):
    target = tmp_path / "no" / "such" / "notes.md"
    status, out, err = run(capsys, "notes", "export", "-o", str(target), "--library", str(lib))
    assert_one_line_error(status, out, err, "cannot write")
    assert not target.parent.exists()


def test_corrupt_database_is_reported_and_kept(capsys, lib, tmp_path):
    db = tmp_path / "data" / "glossator" / "notes.sqlite3"
    db.parent.mkdir(parents=True)
    db.write_bytes(b"definitely not SQLite " * 200)
    for argv in (
        ["list"],
        ["add", "--article", "town", "--sentence", "1", "--text", "x"],
        ["export"],
    ):
        status, out, err = run(capsys, "notes", *argv, "--library", str(lib))
        assert_one_line_error(status, out, err, str(db), "damaged")
    assert db.read_bytes() == b"definitely not SQLite " * 200


def test_usage_errors_exit_2(capsys, lib):
    with pytest.raises(SystemExit) as exc:
        main(["notes"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["notes", "add", "--article", "town", "--sentence", "one", "--text", "x"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["notes", "export", "--format", "pdf"])
    assert exc.value.code == 2
    capsys.readouterr()


# -- processes ---------------------------------------------------------------------------------


def test_two_cli_processes_adding_at_once(capsys, lib, tmp_path):
    assert main(["index", "--library", str(lib)]) == 0  # the index first, so no one builds it
    capsys.readouterr()
    script = (
        "import sys\nfrom tui.cli import main\n"
        "for i in range(int(sys.argv[2])):\n"
        "    assert main(['notes', 'add', '--library', sys.argv[1], '--article', 'harbour',"
        " '--sentence', str(i % 7 + 1), '--text', f'{sys.argv[3]} {i}']) == 0\n"
    )
    env = dict(
        os.environ, XDG_DATA_HOME=str(tmp_path / "data"), XDG_CACHE_HOME=str(tmp_path / "cache")
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(lib), "15", who],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("left", "right")
    ]
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        assert len(out.split()) == 15
    texts = sorted(n["text"] for n in listed(capsys, lib))
    assert texts == sorted(f"{who} {i}" for who in ("left", "right") for i in range(15))


def test_python_m_glossator_notes_add(lib, tmp_path):
    env = dict(
        os.environ, XDG_DATA_HOME=str(tmp_path / "data"), XDG_CACHE_HOME=str(tmp_path / "cache")
    )
    done = subprocess.run(
        [sys.executable, "-m", "glossator", "notes", "add", "--library", str(lib), "--article",
         "town", "--sentence", "10", "--text", "x"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("glossator: sentence §10 is out of range")
    assert "Traceback" not in done.stderr
