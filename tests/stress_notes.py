"""Two app instances and the command line writing notes on one library at once (issue 16).

    python tests/stress_notes.py run SECONDS [SEED]     # by hand: the minute is SECONDS=60

Each instance is a real app (headless, driven with Pilot in a process of its own, as two
terminals would be) that moves about the articles, adds notes, edits and deletes the note it is
on, and presses ctrl+r, at random (seeded); a third process runs ``glossator notes add / edit
--expected-version / delete`` in a loop. Every write carries a token of its own. Each process
logs the writes it was told were made (the app's message after a save, the command's status 0),
and at the end ``check`` compares the logs with the store: every confirmed write is there (an
edit in its note or in a conflict copy), a confirmed delete is deleted unless an edit brought
the note back after it, each conflict copy was said and is listed by ``notes list``, and no note
is there twice (the notes that are not conflict copies are exactly the seeded ones and the
confirmed adds). ``tests/test_hardening_two_apps.py`` runs a short seeded version in the suite.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def glossator() -> list[str]:
    script = Path(sys.executable).with_name("glossator")
    return [str(script)] if script.exists() else [sys.executable, "-m", "glossator"]


# -- an app instance -----------------------------------------------------------------------------


async def drive_app(name: str, seed: int, seconds: float, log_path: Path) -> None:
    from glossator.tui.app import make_app
    from glossator.tui.controllers.notes_changes import ChangeFlow
    from glossator.tui.controllers.notes_write import CONFLICT, REVIVED
    from glossator.tui.screens.note_editor import NoteEditor

    log = log_path.open("a", encoding="utf-8")

    def record(entry: dict) -> None:
        log.write(json.dumps({"who": name, "time": time.time(), **entry}) + "\n")
        log.flush()

    written = ChangeFlow._written

    def observed(self, op, outcome, read):  # what the person is told, logged as told
        if op.kind in ("add", "update", "delete"):
            record(
                {
                    "kind": op.kind,
                    "token": _typed(op.kind, op.text),
                    "note": op.note.id if op.note is not None else outcome.note.id,
                    "saved_as": outcome.note.id,
                    "text": op.text,
                    "conflict": outcome.told == CONFLICT,
                    "revived": outcome.told == REVIVED,
                }
            )
        return written(self, op, outcome, read)

    ChangeFlow._written = observed  # type: ignore[method-assign]
    rng = random.Random(seed)
    app = make_app(Path(os.environ["STRESS_LIBRARY"]))
    count = 0
    async with app.run_test(size=(120, 40)) as pilot:
        from conftest import settle_app

        await settle_app(pilot)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            count += 1
            token = f"{name}q{count}z"
            reader = app.main.reading.reader
            here = reader.notes_here
            roll = rng.random()
            if roll < 0.35:
                await pilot.press(*rng.choice(["j", "k", "j j", "k k k", "]", "[", "g"]).split())
            elif roll < 0.6:
                await pilot.press("a")
                await settle_app(pilot)
                if isinstance(app.screen, NoteEditor):
                    await pilot.press(*f"added {token}", "ctrl+s")
            elif roll < 0.9:  # to the next note (m); edit or delete it when it is alone there
                if len(here) != 1:
                    await pilot.press("m")
                    await settle_app(pilot)
                if len(reader.notes_here) == 1 and roll < 0.8:
                    await pilot.press("e")
                    await settle_app(pilot)
                    if isinstance(app.screen, NoteEditor):
                        # the cursor is at the end of the note: a space keeps the words apart
                        await pilot.press(*f" edit {token} ", "ctrl+s")
                elif len(reader.notes_here) == 1:
                    await pilot.press("d")
            else:
                await pilot.press("ctrl+r")
            await settle_app(pilot)
            while len(app.screen_stack) > 1:  # a picker, a dialog, an editor left open
                await pilot.press("escape")
                await settle_app(pilot)
                if isinstance(app.screen, NoteEditor) or "Discard" in str(app.screen):
                    await pilot.press("y")
                    await settle_app(pilot)
            await asyncio.sleep(rng.random() * 0.2)
        await app.main.notes_part.wait_for_saves()
        await settle_app(pilot)
    log.close()


def _typed(kind: str, text: str) -> str:
    """The token the app typed: an add's last word, an edit's word after its last "edit"."""
    words = text.split()
    if kind == "update" and "edit" in words[:-1]:
        return words[len(words) - 1 - words[::-1].index("edit") + 1]
    return words[-1] if kind == "add" and words else ""


# -- the command line ----------------------------------------------------------------------------


def drive_cli(seed: int, seconds: float, log_path: Path) -> None:
    rng = random.Random(seed)
    library = ["--library", os.environ["STRESS_LIBRARY"]]
    deadline = time.monotonic() + seconds
    count = 0
    notes: list[dict] = []
    with log_path.open("a", encoding="utf-8") as log:

        def record(entry: dict) -> None:
            log.write(json.dumps({"who": "cli", "time": time.time(), **entry}) + "\n")
            log.flush()

        while time.monotonic() < deadline:
            count += 1
            token = f"cliq{count}z"
            if count % 3 == 1:  # what it edits may be a few seconds old: conflicts happen
                listed = run(["notes", "list", "--json", *library])
                notes = json.loads(listed.stdout) if listed.returncode == 0 else []
            roll = rng.random()
            if roll < 0.5 or not notes:
                article = rng.choice(["000", "001", "002"])
                text = f"added {token}"
                done = run(["notes", "add", "--article", article, "--sentence",
                            str(rng.randint(1, 6)), "--text", text, *library])  # fmt: skip
                if done.returncode == 0:
                    record({"kind": "add", "note": done.stdout.strip(), "text": text, "token": token})
            elif roll < 0.85:
                note = rng.choice(notes)
                text = f"edit {token} {note['text']}"
                done = run(["notes", "edit", note["id"], "--text", text,
                            "--expected-version", str(note["version"]), *library])  # fmt: skip
                if done.returncode == 0:
                    copy = "conflict copy" in done.stdout + done.stderr
                    record({"kind": "update", "note": note["id"], "text": text, "conflict": copy,
                            "revived": False, "token": token})  # fmt: skip
            else:
                note = rng.choice(notes)
                done = run(["notes", "delete", note["id"], *library])
                if done.returncode == 0:
                    record({"kind": "delete", "note": note["id"], "text": ""})


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*glossator(), *args], capture_output=True, text=True, timeout=120)


# -- the whole, and the check --------------------------------------------------------------------


def seed_notes(library: Path) -> list[str]:
    """A note on each of the first sentences of three articles, to edit and delete from the
    start; their ids."""
    ids = []
    for article in ("000", "001", "002"):
        for sentence in (1, 2):
            text = f"seeded {article} {sentence}"
            done = run(["notes", "add", "--library", str(library), "--article", article,
                        "--sentence", str(sentence), "--text", text])  # fmt: skip
            assert done.returncode == 0, done.stderr
            ids.append(done.stdout.strip())
    return ids


def prepare(work: Path) -> tuple[Path, list[str], dict[str, str]]:
    """The seed articles as a library in ``work``, Glossator's folders there too (in this
    process's environment and the one returned, for the others), a few notes: the library,
    the notes' ids and the environment."""
    library = work / "library"
    library.mkdir(parents=True, exist_ok=True)
    for article in sorted((HERE.parent / "seeds").glob("*.txt")):
        (library / article.name).write_bytes(article.read_bytes())
    env = dict(os.environ)
    for kind in ("DATA", "CACHE", "CONFIG", "STATE"):
        env[f"XDG_{kind}_HOME"] = str(work / kind.lower())
    env["STRESS_LIBRARY"] = str(library)
    os.environ.update(env)
    return library, seed_notes(library), env


def stress(work: Path, seconds: float, seed: int) -> dict:
    """Two apps and the command line for ``seconds`` on a library in ``work``; the check."""
    library, seeded, env = prepare(work)
    log = work / "writes.jsonl"
    log.write_text("")
    me = [sys.executable, str(Path(__file__).resolve())]
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")])
    procs = [
        subprocess.Popen([*me, "app", name, str(seed + i), str(seconds), str(log)], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
        for i, name in enumerate(("A", "B"))
    ]
    procs.append(
        subprocess.Popen([*me, "cli", str(seed + 2), str(seconds), str(log)], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    )
    outputs = [p.communicate(timeout=seconds + 240)[0] for p in procs]
    for p, out in zip(procs, outputs, strict=True):
        assert p.returncode == 0, out
    return check(library, seeded, [json.loads(line) for line in log.read_text().splitlines()])


def check(library: Path, seeded: list[str], writes: list[dict]) -> dict:
    """What the logs say was written, against the store; the counts (raises on any loss)."""
    from glossator.index.library import Library
    from glossator.index.notes import NoteStore

    key = Library(library).key
    with NoteStore() as store:
        rows = {n.id: n for n in store.list(key, include_deleted=True)}
        rows.update({n.id: n for n in store.recently_deleted(key)})
    originals = [n for n in rows.values() if n.conflict_of is None]
    copies = [n for n in rows.values() if n.conflict_of is not None]
    adds = [w for w in writes if w["kind"] == "add"]
    updates = [w for w in writes if w["kind"] == "update"]
    deletes = [w for w in writes if w["kind"] == "delete"]
    problems = []
    # nothing twice: the notes that are not copies are the seeded ones and the confirmed adds
    expected = set(seeded) | {w["note"] for w in adds}
    if {n.id for n in originals} != expected or len(originals) != len(expected):
        problems.append(
            f"notes not copies: {len(originals)}, expected {len(expected)}; unexpected "
            f"{sorted({n.id for n in originals} - expected)}, missing "
            f"{sorted(expected - {n.id for n in originals})}"
        )
    for w in adds:
        token = w.get("token") or w["text"].split()[-1]
        holders = [n for n in originals if token in n.text.split()]
        if len(holders) != 1:
            problems.append(f"add {token}: in {len(holders)} notes")
    for w in updates:
        token = w.get("token") or w["text"].split()[1]
        if w["conflict"]:
            found = [n for n in copies if n.conflict_of == w["note"] and token in n.text.split()]
        else:
            found = [n for n in rows.values() if token in n.text.split()]
        if not found:
            problems.append(f"edit {token} of {w['note']} (conflict={w['conflict']}) is missing")
    said = sum(w["conflict"] for w in updates)
    if said != len(copies):
        problems.append(f"{len(copies)} conflict copies in the store, {said} said")
    for w in deletes:
        note = rows.get(w["note"])
        later = [u for u in updates if u["note"] == w["note"] and u["time"] > w["time"]]
        if note is None or (note.deleted is None and not later):
            problems.append(f"delete of {w['note']}: {'gone' if note is None else 'not deleted'}")
    listed = run(["notes", "list", "--json", "--library", str(library)])
    shown = {n["id"] for n in json.loads(listed.stdout)} if listed.returncode == 0 else set()
    for copy in copies:
        if copy.deleted is None and copy.id not in shown:
            problems.append(f"conflict copy {copy.id} is not listed by notes list")
    assert not problems, "\n".join(problems)
    return {
        "adds": len(adds),
        "edits": len(updates),
        "deletes": len(deletes),
        "conflict copies": len(copies),
        "revived": sum(w["revived"] for w in updates),
        "by": {who: sum(w["who"] == who for w in writes) for who in ("A", "B", "cli")},
    }


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "app":
        asyncio.run(drive_app(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), Path(sys.argv[5])))
    elif what == "cli":
        drive_cli(int(sys.argv[2]), float(sys.argv[3]), Path(sys.argv[4]))
    else:
        import tempfile

        seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 60
        seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(stress(Path(tmp), seconds, seed), indent=1))
