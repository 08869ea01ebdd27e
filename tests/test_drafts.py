"""Drafts of notes being typed (glossator.index.drafts): written whole, read back, offered only
when the process that wrote them is gone. No Textual here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossator.index.drafts import Draft, DraftStore


def dead_pid() -> int:
    """The pid of a process that has finished."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    return int(done.stdout)


def draft(**kw: object) -> Draft:
    base = Draft("lib-1", "004_abc", 2, 3, "The quote.", "pre ", " post", 10, 20, "typed")
    return replace(base, **kw)  # type: ignore[arg-type]


def test_saved_drafts_read_back_whole_and_private(tmp_path):
    store = DraftStore(tmp_path)
    saved = store.save(draft())
    assert saved.updated
    (again,) = store.all()
    assert again == saved
    path = store.folder / f"{saved.id}.json"
    assert path.stat().st_mode & 0o777 == 0o600
    assert not [p for p in store.folder.iterdir() if p.suffix == ".tmp"]  # no half-written file


def test_a_draft_of_this_process_is_not_left_behind_one_of_a_dead_process_is(tmp_path):
    store = DraftStore(tmp_path)
    mine = store.save(draft(text="mine"))
    theirs = store.save(draft(text="theirs", pid=dead_pid(), started=""))
    other_library = store.save(draft(library="lib-2", pid=dead_pid(), started=""))
    left = store.left_behind("lib-1")
    assert [d.id for d in left] == [theirs.id]
    assert mine.id not in {d.id for d in left} and other_library.id not in {d.id for d in left}
    adopted = store.adopt(left[0])
    assert adopted.pid == os.getpid() and adopted.text == "theirs"
    assert store.left_behind("lib-1") == []  # this process writes it now


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_draft_of_a_killed_process_not_yet_reaped_is_left_behind(tmp_path):
    """kill -9 leaves a zombie until its parent reaps it (a terminal may take its time): the
    process is gone, and its draft is offered back though its number still answers."""
    import signal

    from glossator.index.drafts import _started, _zombie

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        started = _started(child.pid)
        store = DraftStore(tmp_path)
        kept = store.save(draft(text="typed", pid=child.pid, started=started))
        assert store.left_behind("lib-1") == []  # alive: its own
        os.kill(child.pid, signal.SIGKILL)
        for _ in range(200):  # dead, not reaped: this test is its parent and does not wait
            if _zombie(child.pid):
                break
            time.sleep(0.01)
        assert [d.id for d in store.left_behind("lib-1")] == [kept.id]
    finally:
        child.kill()
        child.wait()


def test_a_pid_reused_by_another_process_does_not_keep_a_draft_hidden(tmp_path):
    store = DraftStore(tmp_path)
    # pid 1 is alive, but it is not the process that wrote this draft (another start time)
    stale = store.save(draft(pid=1, started="another-boot:123"))
    assert [d.id for d in store.left_behind("lib-1")] == [stale.id]


def test_discard_removes_only_that_draft(tmp_path):
    store = DraftStore(tmp_path)
    a, b = store.save(draft(text="a")), store.save(draft(text="b"))
    store.discard(a.id)
    store.discard(a.id)  # twice is fine
    assert [d.id for d in store.all()] == [b.id]


@pytest.mark.parametrize(
    "content",
    [b"", b"{", b"[1, 2]", b'{"id": "not-a-uuid"}', b"\xff\xfe garbage", b"[" * 5000 + b"]" * 5000],
)
def test_damaged_files_are_passed_over_and_left_where_they_are(tmp_path, content):
    store = DraftStore(tmp_path)
    good = store.save(draft())
    bad = store.folder / "0e4a8c2e-9c1f-4b0e-8d1e-3f1d8f0b9a11.json"
    bad.write_bytes(content)
    assert [d.id for d in store.all()] == [good.id]
    assert bad.exists()


def test_a_file_named_for_another_id_is_not_taken(tmp_path):
    store = DraftStore(tmp_path)
    saved = store.save(draft())
    data = json.loads((store.folder / f"{saved.id}.json").read_text())
    (store.folder / "0e4a8c2e-9c1f-4b0e-8d1e-3f1d8f0b9a11.json").write_text(json.dumps(data))
    assert [d.id for d in store.all()] == [saved.id]


def test_a_draft_id_is_never_a_path(tmp_path):
    store = DraftStore(tmp_path)
    with pytest.raises(ValueError):
        store.save(draft(id="../../escape"))
    with pytest.raises(ValueError):
        store.discard("../x")
    assert not (tmp_path.parent / "escape.json").exists()


@settings(max_examples=60, deadline=None)
@given(text=st.text(), quote=st.text(max_size=200))
def test_any_text_comes_back_as_it_was_typed(tmp_path_factory, text, quote):
    store = DraftStore(Path(tmp_path_factory.mktemp("drafts")))
    saved = store.save(draft(text=text, quote=quote))
    (again,) = store.all()
    assert again.text == text and again.quote == quote and again == saved


def test_the_folder_unwritable_is_an_oserror_not_a_lost_text(tmp_path):
    store = DraftStore(tmp_path)
    store.folder.mkdir()
    store.folder.chmod(0o500)
    try:
        if os.access(store.folder, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        with pytest.raises(OSError):
            store.save(draft())
    finally:
        store.folder.chmod(0o700)
