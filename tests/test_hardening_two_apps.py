"""Hardening, issue 16 (acceptance): two app instances and the command line adding, editing and
deleting notes on one library at once lose nothing, say each conflict and duplicate nothing.

The suite runs ``stress_notes.stress`` for a few seconds, seeded; by hand, the minute:
``GLOSSATOR_STRESS_SECONDS=60 pytest tests/test_hardening_two_apps.py`` (or
``python tests/stress_notes.py run 60``). The check itself is tested against a store that lost a
confirmed note and one that holds a note twice.
"""

from __future__ import annotations

import json
import os

import pytest
import stress_notes

SECONDS = float(os.environ.get("GLOSSATOR_STRESS_SECONDS", "10"))
SEED = int(os.environ.get("GLOSSATOR_STRESS_SEED", "16"))


def test_two_apps_and_the_command_line_lose_nothing_and_duplicate_nothing(tmp_path):
    counts = stress_notes.stress(tmp_path, SECONDS, SEED)
    print(json.dumps(counts))
    assert counts["adds"] + counts["edits"] + counts["deletes"] > 0  # something was written


def test_the_check_finds_a_lost_note_and_a_note_twice(tmp_path):
    library, seeded, _env = stress_notes.prepare(tmp_path)
    with pytest.raises(AssertionError, match="not copies"):  # a note nobody said was made
        stress_notes.check(library, seeded[1:], [])
    lost = {"who": "A", "time": 0, "kind": "add", "note": "0000", "text": "added Aq1z"}
    with pytest.raises(AssertionError, match="missing"):
        stress_notes.check(library, seeded, [lost])
    edit = {"who": "B", "time": 0, "kind": "update", "note": seeded[0], "text": "edit Bq2z x",
            "conflict": False, "revived": False}  # fmt: skip
    with pytest.raises(AssertionError, match="edit Bq2z"):
        stress_notes.check(library, seeded, [edit])
    assert stress_notes.check(library, seeded, [])["adds"] == 0
