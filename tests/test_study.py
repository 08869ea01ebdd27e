"""The study loop's back end: highlights, labels, links and backlinks, FSRS review, cloze,
Anki and CSV export, schema 2's migration of an existing notes file."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs
import pytest
from articles import PARAS, make_article, small_library
from glossator.index import notes as notes_mod
from glossator.index.anki import stable_id, to_apkg, to_csv
from glossator.index.export import import_annotations, to_markdown, to_web_annotation
from glossator.index.notes import (
    HIGHLIGHT,
    UNRESOLVED,
    NoteError,
    NoteNotFound,
    NoteStore,
    parse_links,
)
from glossator.index.review import Review, Scope, cloze, make_scheduler
from glossator.tui.cli import main
from hypothesis import given, settings
from hypothesis import strategies as st

LIB = "lib-study"
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    with NoteStore(tmp_path / "notes.sqlite3") as s:
        yield s


@pytest.fixture
def article():
    return make_article(PARAS, "a")


@pytest.fixture
def other():
    return make_article([["A river ran by.", "The bridge held fast."], ["Nobody slept."]], "b")


def resolver(*articles):
    by_id = {a.id: a for a in articles}
    return lambda ref: by_id.get(ref)


# -- highlights --------------------------------------------------------------------------------


def test_a_highlight_is_a_note_without_text(store, article):
    hl = store.highlight(LIB, article, 2, 3)
    assert hl.kind == HIGHLIGHT and hl.text == "" and hl.is_highlight
    assert (
        hl.exact
        == "Prices for diesel had doubled in a year. Most skippers could no longer afford to sail."
    )
    with pytest.raises(NoteError):
        store.add(LIB, article, 1, None, "  ")  # a note still needs text
    note = store.add(LIB, article, 0, None, "calm")
    assert [n.id for n in store.list(LIB, kind=HIGHLIGHT)] == [hl.id]
    assert [n.id for n in store.list(LIB, kind="note")] == [note.id]
    # same re-anchoring and orphan rules as notes
    edited = make_article([["A new first paragraph."], *PARAS], "a")
    store.reanchor(LIB, edited)
    moved = store.get(hl.id)
    assert moved.sentence_id == 3 and moved.exact == hl.exact
    store.reanchor(LIB, None, "a")
    assert store.get(hl.id).orphaned and store.get(hl.id).kind == HIGHLIGHT
    # giving a highlight text makes it a note; it survives export and import
    assert store.update(hl.id, "now a thought").kind == "note"


def test_highlights_go_through_web_annotation_both_ways(store, article, tmp_path):
    store.highlight(LIB, article, 4)
    data = to_web_annotation(store.list(LIB), LIB)
    assert data["first"]["items"][0]["motivation"] == "highlighting"
    with NoteStore(tmp_path / "other.sqlite3") as fresh:
        assert import_annotations(fresh, LIB, data, {"a": article}) == (1, 0)
        (back,) = fresh.list(LIB)
        assert back.kind == HIGHLIGHT and back.sentence_id == 4


# -- labels ------------------------------------------------------------------------------------


def test_labels_codebook_and_filters(store, article):
    claim = store.add_label("claim", "red", 1)
    store.add_label("Evidence", "green", 2)
    store.add_label("question")
    assert [(lb.name, lb.key) for lb in store.labels()] == [
        ("claim", 1),
        ("Evidence", 2),
        ("question", None),
    ]
    with pytest.raises(NoteError, match="already"):
        store.add_label("CLAIM")
    with pytest.raises(NoteError, match="key 1"):
        store.add_label("other", key=1)
    with pytest.raises(NoteError, match="colour"):
        store.add_label("pink one", "pink")
    with pytest.raises(NoteError):
        store.add_label("x", key=10)
    a = store.add(LIB, article, 0, None, "one #harbour", labels=["claim", "evidence"])
    b = store.highlight(LIB, article, 1, labels=["claim"])
    c = store.add(LIB, article, 2, None, "three #harbour")
    assert a.labels == ("claim", "Evidence")
    assert [n.id for n in store.list(LIB, label="CLAIM")] == [a.id, b.id]
    assert [n.id for n in store.list(LIB, label="claim", tag="harbour")] == [a.id]
    assert [n.id for n in store.list(LIB, tag="#harbour")] == [a.id, c.id]
    assert [n.id for n in store.list(LIB, label="claim", kind="highlight")] == [b.id]
    assert store.set_labels(c.id, ["question"]).labels == ("question",)
    assert store.unlabel(a.id, "claim").labels == ("Evidence",)
    renamed = store.edit_label("claim", new_name="assertion", colour="orange", key=None)
    assert renamed.id == claim.id and renamed.key is None
    assert store.get(b.id).labels == ("assertion",)
    assert store.remove_label("assertion") == 1
    assert store.get(b.id).labels == ()
    with pytest.raises(NoteNotFound):
        store.set_labels(a.id, ["never made"])


# -- links -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("see [[004 §7]]", [("004 §7", "004", 7, 7)]),
        (
            "[[notes/a §3-5]] and [[b § 2–2]]",
            [("notes/a §3-5", "notes/a", 3, 5), ("b §2", "b", 2, 2)],
        ),
        ("twice [[b §1]] [[b §1]]", [("b §1", "b", 1, 1)]),
        ("not links: [b §1], [[b 1]], [[§]]", []),
    ],
)
def test_parse_links(text, found):
    assert parse_links(text) == found


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="[]§ 0123456789ab-–/\n", max_size=60))
def test_parse_links_takes_any_text(text):
    for ref, _, first, last in parse_links(text):
        assert ref and first >= 0 and last >= 0


def test_links_resolve_follow_their_sentence_and_give_backlinks(store, article, other):
    resolve = resolver(article, other)
    note = store.add(LIB, article, 0, None, "compare [[b §2]] and [[nowhere §1]]", resolve=resolve)
    good, bad = note.links
    assert (
        good.article_id == "b" and good.sentence_id == 1 and good.exact == "The bridge held fast."
    )
    assert bad.status == UNRESOLVED
    (back,) = store.backlinks(LIB, "b", 1)
    assert back.note.id == note.id and back.link.ref == "b §2"
    assert store.backlinks(LIB, "b", 0) == []
    # the target article changes: the link follows its sentence (it is an anchor)
    changed = make_article(
        [["A new opening."], ["A river ran by.", "The bridge held fast."], ["Nobody slept."]], "b"
    )
    assert store.reanchor_library(LIB, {"a": article, "b": changed}.get)
    moved = store.get(note.id).links[0]
    assert moved.sentence_id == 2 and moved.status == "moved"
    assert [b.note.id for b in store.backlinks(LIB, "b", 2)] == [note.id]
    # editing the text keeps the link's anchor; removing it removes the link
    kept = store.update(note.id, "still [[b §2]], now more", resolve=resolve)
    assert kept.links[0].id == moved.id and kept.links[0].sentence_id == 2
    assert store.update(note.id, "no links now", resolve=resolve).links == ()
    assert store.backlinks(LIB, "b") == []


def test_deleted_notes_give_no_backlinks(store, article, other):
    note = store.add(LIB, article, 0, None, "see [[b §1]]", resolve=resolver(article, other))
    store.delete(note.id)
    assert store.backlinks(LIB, "b", 0) == []
    store.restore(note.id)
    assert len(store.backlinks(LIB, "b", 0)) == 1


def test_links_export_as_links(store, article, other):
    store.add(LIB, article, 0, None, "see [[b §2]]", resolve=resolver(article, other))
    data = to_web_annotation(store.list(LIB), LIB)
    (linking,) = [b for b in data["first"]["items"][0]["body"] if b.get("purpose") == "linking"]
    assert linking["source"] == "urn:glossator:article:b"  # no folder, no URL: a URN
    assert linking["glossator"]["article_id"] == "b"
    assert linking["selector"][0] == {
        "type": "TextQuoteSelector",
        "exact": "The bridge held fast.",
        "prefix": "A river ran by. ",
        "suffix": "\n\nNobody slept.",
    }
    assert linking["glossator"]["sentence"] == 2
    assert "→ b §2" in to_markdown(store.list(LIB), {})
    row = next(csv.DictReader(io.StringIO(to_csv(store.list(LIB), {}))))
    assert row["links"] == "b §2"


def test_labels_and_links_survive_a_round_trip_through_web_annotation(
    store, article, other, tmp_path
):
    store.add_label("claim", "red", 1)
    store.add(
        LIB, article, 0, None, "see [[b §2]]", labels=["claim"], resolve=resolver(article, other)
    )
    data = to_web_annotation(store.list(LIB), LIB)
    data["first"]["items"][0]["glossator"]["labels"] += ["brand new", "x" * 80]  # the last unusable
    with NoteStore(tmp_path / "elsewhere.sqlite3") as fresh:
        fresh.add_label("Claim", "blue")
        assert import_annotations(fresh, LIB, data, {"a": article, "b": other}) == (1, 0)
        (note,) = fresh.list(LIB)
        assert note.labels == ("brand new", "Claim")
        assert [lb.name for lb in fresh.labels()] == ["brand new", "Claim"]
        (link,) = note.links
        assert link.article_id == "b" and link.sentence_id == 1 and link.status == "anchored"
        assert len(fresh.backlinks(LIB, "b", 1)) == 1


# -- review ------------------------------------------------------------------------------------


def test_good_today_is_not_due_tomorrow_again_is_due_again_today(store, article):
    good = store.add(LIB, article, 0, None, "good one")
    again = store.add(LIB, article, 1, None, "again one")
    review = Review(store, LIB)
    assert {c.note_id for c in review.due(NOON)} == {good.id, again.id}  # new cards
    review.rate(good.id, "good", NOON)
    review.rate(again.id, "again", NOON)
    end_of_today = NOON.replace(hour=23, minute=59)
    due_today = {c.note_id for c in review.due(NOON + timedelta(minutes=10), until=end_of_today)}
    assert due_today == {again.id}
    tomorrow = {c.note_id for c in review.due(NOON + timedelta(days=1))}
    assert good.id not in tomorrow and again.id in tomorrow


def test_intervals_are_those_of_fsrs(store, article):
    """Review's intervals are fsrs's own, with its default parameters and the steps the README
    gives (one learning and one relearning step of 10 minutes, no fuzz): built here from fsrs
    directly, so a change to Glossator's scheduler fails."""
    note = store.add(LIB, article, 0, None, "x")
    review = Review(store, LIB)
    ten = timedelta(minutes=10)
    scheduler = fsrs.Scheduler(learning_steps=(ten,), relearning_steps=(ten,), enable_fuzzing=False)
    assert tuple(make_scheduler().parameters) == tuple(fsrs.Scheduler().parameters)
    assert make_scheduler().desired_retention == fsrs.Scheduler().desired_retention
    first = {}
    for rating in ["again", "hard", "good", "easy"]:
        new = store.add(LIB, article, 1, None, rating)
        first[rating] = review.rate(new.id, rating, NOON).due - NOON
    assert first == {"again": ten, "hard": timedelta(minutes=15), "good": timedelta(days=2),
                     "easy": timedelta(days=8)}  # fmt: skip
    card = fsrs.Card(card_id=1, due=NOON)
    now = NOON
    for rating in ["good", "good", "again", "hard", "good", "easy", "good"]:
        ours = review.rate(note.id, rating, now)
        card, _ = scheduler.review_card(card, fsrs.Rating[rating.capitalize()], now)
        assert abs((ours.due - card.due).total_seconds()) < 0.001
        assert ours.card.state == card.state and ours.card.stability == pytest.approx(
            card.stability
        )
        now = card.due
    assert len(review.history(note.id)) == 7


def test_review_scopes_new_per_day_and_stats(store, article):
    store.add_label("claim")
    a = store.add(LIB, article, 0, None, "one #port", labels=["claim"])
    b = store.add(LIB, article, 1, None, "two")
    other = make_article([["Elsewhere."]], "z")
    c = store.highlight(LIB, other, 0)
    review = Review(store, LIB)
    assert [x.note_id for x in review.due(NOON, Scope(label="claim"))] == [a.id]
    assert [x.note_id for x in review.due(NOON, Scope(tag="port"))] == [a.id]
    assert [x.note_id for x in review.due(NOON, Scope(article="z"))] == [c.id]
    assert [x.note_id for x in review.due(NOON, Scope(note_ids=frozenset({b.id})))] == [b.id]
    assert len(review.due(NOON, new_per_day=2)) == 2
    assert review.count_due(NOON) == len(review.due(NOON)) == 3
    assert review.count_due(NOON, Scope(label="Claim")) == 1
    review.rate(a.id, "good", NOON)
    assert len(review.due(NOON, new_per_day=2)) == 1  # one new card already seen today
    review.rate(b.id, "again", NOON)
    review.rate(b.id, "good", NOON + timedelta(minutes=11))
    soon = NOON + timedelta(minutes=30)
    assert review.count_due(soon) == len(review.due(soon)) == 1  # the highlight, still new
    stats = review.stats(days=7, now=NOON)
    assert stats.reviews == 3 and len(stats.days) == 7 and stats.days[-1].reviews == 3
    assert stats.days[-1].again == 1 and stats.cards == 3 and stats.new == 1
    assert stats.retention is None  # no card was past learning yet
    later = a and review.card(a.id).due + timedelta(hours=1)
    review.rate(a.id, "good", later)
    assert review.stats(days=30, now=later).retention == 1.0


def test_cloze_hides_a_chosen_or_tagged_word(store, article):
    note = store.add(LIB, article, 2, None, "why #diesel")
    hidden = cloze(note)
    assert hidden is not None and hidden.answer == "diesel"
    assert hidden.text == "Prices for […] had doubled in a year."
    assert cloze(note, "DOUBLED").text == "Prices for diesel had […] in a year."
    assert cloze(note, "sail") is None
    chain = store.add(LIB, article, 6, None, "#cannery-closed?")
    assert cloze(chain).text == "The […] its doors for good."


def test_a_card_shows_its_paragraph_cut_only_between_words(store):
    """A long paragraph is cut around the passage at a space, the cut marked "…"; a paragraph
    shown whole has no mark, whatever comes before or after it in the article."""
    from glossator.index.review import ReviewCard
    from glossator.tui.widgets.review_card import AROUND, passage_content

    long = [f"Sentence{i} carries somewhat lengthy wording{i} onwards." for i in range(60)]
    article = make_article([["A short opening."], long, ["A short ending."]])
    words = set(article.text.split())

    def shown(sentence: int) -> str:
        note = store.add(LIB, article, sentence, None, "x")
        return passage_content(ReviewCard(note, fsrs.Card(), True), article, None, False).plain

    middle = shown(31)
    assert middle.startswith("… ") and middle.endswith(" …")
    inner = middle[2:-2].split()
    assert all(w in words for w in inner), [w for w in inner if w not in words]
    assert len(middle) > 2 * AROUND * 0.8 and long[30] in middle
    whole = shown(61)  # the short ending, after the long paragraph: shown whole, no mark
    assert whole == "A short ending."
    assert shown(0) == "A short opening."


# -- Anki and CSV ------------------------------------------------------------------------------


def _collection(apkg: Path, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(apkg) as z:
        assert "collection.anki2" in z.namelist()
        target = tmp_path / f"col-{apkg.stem}.anki2"
        target.write_bytes(z.read("collection.anki2"))
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return conn


def test_anki_package_is_valid_and_stable(store, article, other, tmp_path):
    store.add(
        LIB, article, 0, None, "calm <b>bold</b> & [[b §1]]", resolve=resolver(article, other)
    )
    store.highlight(LIB, article, 3)
    gone = store.add(LIB, article, 4, None, "deleted")
    store.delete(gone.id)
    notes = store.list(LIB, include_deleted=True)
    infos = {"a": article}
    first, second = tmp_path / "one.apkg", tmp_path / "two.apkg"
    assert to_apkg(notes, infos, first, LIB, "Deck") == 2
    assert to_apkg(notes, infos, second, LIB, "Deck") == 2
    one, two = _collection(first, tmp_path), _collection(second, tmp_path)
    cards = (
        "SELECT c.id, n.id, n.guid, n.mid, c.did FROM cards c "
        "JOIN notes n ON n.id = c.nid ORDER BY c.id"
    )
    assert one.execute(cards).fetchall() == two.execute(cards).fetchall()
    assert len(one.execute(cards).fetchall()) == 2
    fields = [r[0].split("\x1f") for r in one.execute("SELECT flds FROM notes ORDER BY id")]
    assert any(
        f[1].startswith("calm &lt;b&gt;bold&lt;/b&gt; &amp;") and "b §1" in f[1] for f in fields
    )
    assert all(f[2].startswith("Title, §") for f in fields)
    models = json.loads(one.execute("SELECT models FROM col").fetchone()[0])
    (model,) = models.values()
    assert [f["name"] for f in model["flds"]] == ["Sentence", "Note", "Citation"]
    assert stable_id("deck", LIB) in {r[0] for r in one.execute("SELECT did FROM cards")}


def test_csv_has_a_row_per_note(store, article):
    store.add_label("claim")
    store.add(LIB, article, 0, None, 'quote "this", please #t', labels=["claim"])
    store.highlight(LIB, article, 1, 2)
    rows = list(csv.DictReader(io.StringIO(to_csv(store.list(LIB), {"a": article}))))
    assert [r["kind"] for r in rows] == ["note", "highlight"]
    assert rows[0]["note"] == 'quote "this", please #t' and rows[0]["labels"] == "claim"
    assert rows[1]["sentence"] == "2" and rows[1]["last_sentence"] == "3"
    assert rows[0]["title"] == "Title"


# -- migration of an existing (schema 1) file --------------------------------------------------

V1_NOTE = (
    "11111111-1111-4111-8111-111111111111", LIB, "a", "h", "The harbour was quiet that morning.",
    "", " Fishing", 0, 35, 0, 0, "an old note #kept", '["kept"]', "anchored",
    "2025-01-01T00:00:00.000Z", "2025-01-01T00:00:00.000Z", None,
)  # fmt: skip


def test_a_schema_1_file_is_migrated_with_a_backup_and_keeps_its_notes(tmp_path, article):
    path = tmp_path / "v1.sqlite3"
    conn = sqlite3.connect(path)
    notes_mod._v1(conn)
    conn.execute("INSERT INTO libraries VALUES (?, ?)", (LIB, "2025-01-01T00:00:00.000Z"))
    conn.execute(f"INSERT INTO notes VALUES ({', '.join('?' * 17)})", V1_NOTE)
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with NoteStore(path) as store:
        assert store.version == len(notes_mod.MIGRATIONS)
        assert store.backup_path is not None and store.backup_path.name.startswith("v1.sqlite3.v1-")
        (note,) = store.list(LIB)
        assert note.text == "an old note #kept" and note.kind == "note" and note.version == 1
        assert store.update(note.id, "edited", expected_version=1).conflict_of is None
        assert Review(store, LIB).rate(note.id, "good", NOON).state == "review"
    backup = sqlite3.connect(store.backup_path)
    assert backup.execute("PRAGMA user_version").fetchone()[0] == 1
    backup.close()


# -- the command line --------------------------------------------------------------------------


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def lib(tmp_path):
    return small_library(tmp_path / "library")


def test_cli_highlight_labels_links_review_and_exports(capsys, lib, tmp_path):
    L = ("--library", lib)
    assert run(capsys, "labels", "add", "claim", "--key", "1", "--colour", "red")[0] == 0
    status, _, err = run(capsys, "labels", "add", "again", "--key", "1")
    assert status == 2 and err.startswith("glossator: key 1 is already taken")
    status, out, err = run(capsys, "notes", "add", *L, "--article", "a0", "--sentence", 2,
                           "--text", "see [[a1 §3]] #boats", "--label", "claim")  # fmt: skip
    assert status == 0, err
    note_id = out.strip()
    status, out, err = run(
        capsys, "notes", "add", *L, "--article", "a1", "--sentence", 1, "--highlight"
    )
    assert status == 0, err
    hl_id = out.strip()
    status, out, _ = run(capsys, "notes", "list", *L, "--label", "claim", "--json")
    (listed,) = json.loads(out)
    assert listed["id"] == note_id and listed["links"][0]["sentence"] == 3
    assert listed["links"][0]["article_id"] == "a1" and "sentence_id" not in listed["links"][0]
    status, out, _ = run(capsys, "notes", "list", *L, "--kind", "highlight", "--json")
    assert [n["id"] for n in json.loads(out)] == [hl_id]
    status, out, _ = run(capsys, "notes", "list", *L, "--tag", "boats", "--article", "a1", "--json")
    assert json.loads(out) == []
    status, out, _ = run(capsys, "notes", "backlinks", *L, "--article", "a1", "--sentence", 3)
    assert note_id in out and out.startswith("§3 ←")
    status, _, err = run(capsys, "notes", "list", *L, "--label", "nope")
    assert status == 2 and "no label 'nope'" in err
    # review
    status, out, _ = run(capsys, "review", *L, "--due", "--json")
    assert {c["id"] for c in json.loads(out)} == {note_id, hl_id}
    status, out, _ = run(capsys, "review", *L, "--label", "claim")
    assert out.startswith("1 due (label claim)")
    assert run(capsys, "review", *L, "--rate", note_id[:8], "good")[0] == 0
    assert run(capsys, "review", *L, "--rate", hl_id, "again")[0] == 0
    status, out, _ = run(capsys, "review", *L, "--due", "--json")
    assert json.loads(out) == []  # the Again card comes back in 10 minutes
    status, out, _ = run(capsys, "review", *L, "--stats", "--json")
    stats = json.loads(out)
    assert stats["reviews"] == 2 and stats["days"][-1]["again"] == 1
    status, _, err = run(capsys, "review", *L, "--rate", note_id, "meh")
    assert status == 2 and "again, hard, good or easy" in err
    # exports, all with the filters
    deck = tmp_path / "deck.apkg"
    status, _, err = run(
        capsys, "notes", "export", *L, "--format", "anki", "-o", deck, "--label", "claim"
    )
    assert status == 0 and "wrote 1 card to" in err
    assert zipfile.ZipFile(deck).namelist()[0] == "collection.anki2"
    status, out, _ = run(capsys, "notes", "export", *L, "--format", "csv", "--kind", "highlight")
    assert len(list(csv.DictReader(io.StringIO(out)))) == 1
    status, out, _ = run(capsys, "notes", "export", *L, "--format", "json", "--article", "a0")
    assert len(json.loads(out)["first"]["items"]) == 1
    status, _, err = run(capsys, "notes", "export", *L, "--format", "anki")
    assert status == 2 and "-o" in err


def test_cli_review_by_theme(capsys, lib):
    L = ("--library", lib)
    (lib / "themes.toml").write_text('[[theme]]\nname = "Rivers"\nquery = "river"\n', "utf-8")
    run(capsys, "notes", "add", *L, "--article", "a1", "--sentence", 1, "--text", "on the river")
    run(capsys, "notes", "add", *L, "--article", "a0", "--sentence", 1, "--text", "harbour one")
    status, out, err = run(capsys, "review", *L, "--theme", "rivers", "--json")
    assert status == 0, err
    assert [c["article_id"] for c in json.loads(out)] == ["a1"]
    status, _, err = run(capsys, "review", *L, "--theme", "no such theme")
    assert status == 2 and "no theme" in err
