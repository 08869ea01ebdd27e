"""Spaced review of notes and highlights, scheduled with FSRS (the maintained ``fsrs`` package).

Every note and highlight of a library is a card. A card never rated is new (due at once, at most
``NEW_PER_DAY`` new ones a day); after each rating ``fsrs.Scheduler.review_card`` gives its next
state and due time. The schedule (table ``cards``, one row per rated note) and every rating
(``reviews``, never deleted) live in the notes file, so they survive what notes survive, and each
``rate`` is one committed transaction: a process killed mid-session loses at most the card on
screen. Ratings from two processes compose: ``rate`` reads the card's state inside its own write.

The scheduler: FSRS's default parameters, one learning step of 10 minutes and one relearning
step of 10 minutes, no fuzz (intervals are exactly FSRS's, the same on every run). So a new card
rated Good or Easy leaves for days; Again or Hard brings it back within the same sitting.

A review may be limited (``Scope``) to a label, a tag, an article, or any set of notes such as a
theme's passages (``theme_scope``). ``cloze`` hides a word of a card's passage: one chosen, or a
word of the passage that is one of the note's tags.

Threads: a ``Review`` holds no state of its own beyond the store and the scheduler; call it from
any worker thread (the store serialises its calls).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import fsrs

from .notes import Note, NoteError, NoteNotFound, NoteStore, _chunks, iso

if TYPE_CHECKING:
    from .library import Library
    from .themes import Theme

__all__ = [
    "NEW_PER_DAY",
    "RATINGS",
    "Cloze",
    "DayStats",
    "Review",
    "ReviewCard",
    "Scope",
    "Stats",
    "cloze",
    "make_scheduler",
    "parse_rating",
    "theme_scope",
]

NEW_PER_DAY = 20  # new cards brought in a day, by default
RATINGS = {
    "again": fsrs.Rating.Again,
    "hard": fsrs.Rating.Hard,
    "good": fsrs.Rating.Good,
    "easy": fsrs.Rating.Easy,
}
STATE_NAMES = {fsrs.State.Learning: "learning", fsrs.State.Review: "review",
               fsrs.State.Relearning: "relearning"}  # fmt: skip


def make_scheduler() -> fsrs.Scheduler:
    """The scheduler Glossator uses (see the module's docstring)."""
    return fsrs.Scheduler(
        learning_steps=(timedelta(minutes=10),),
        relearning_steps=(timedelta(minutes=10),),
        enable_fuzzing=False,
    )


def parse_rating(value: str | int | fsrs.Rating) -> fsrs.Rating:
    """again/hard/good/easy (any case), 1-4, or a Rating; NoteError otherwise."""
    if isinstance(value, fsrs.Rating):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
        return fsrs.Rating(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in RATINGS:
            return RATINGS[text]
        if text in {"1", "2", "3", "4"}:
            return fsrs.Rating(int(text))
    raise NoteError(f"a rating is again, hard, good or easy (or 1 to 4), not {value!r}")


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("review times must carry a time zone")
    return moment.astimezone(UTC)


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _card_id(note_id: str) -> int:
    """A stable integer id for the note's card (FSRS wants one)."""
    return int(hashlib.sha256(note_id.encode()).hexdigest()[:13], 16)


def _start_of_day(moment: datetime) -> datetime:
    """The start of ``moment``'s day in the local time zone, as UTC."""
    local = moment.astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Scope:
    """What a review is limited to: every condition given must hold."""

    label: str | None = None
    tag: str | None = None
    article: str | None = None
    note_ids: frozenset[str] | None = None  # e.g. a theme's passages (see theme_scope)
    name: str = ""  # how to say it ("theme Supply chains"); made from the rest if empty

    def describe(self) -> str:
        if self.name:
            return self.name
        parts = []
        if self.label:
            parts.append(f"label {self.label}")
        if self.tag:
            parts.append(f"tag #{self.tag.removeprefix('#')}")
        if self.article:
            parts.append(f"article {self.article}")
        if self.note_ids is not None:
            parts.append(f"{len(self.note_ids)} chosen notes")
        return ", ".join(parts) or "all notes"


@dataclass(frozen=True, slots=True)
class ReviewCard:
    """A note or highlight as a card: its schedule now (``card``), and whether it is new."""

    note: Note
    card: fsrs.Card
    new: bool
    reviews: int = 0

    @property
    def note_id(self) -> str:
        return self.note.id

    @property
    def due(self) -> datetime:
        return self.card.due

    @property
    def state(self) -> str:
        return "new" if self.new else STATE_NAMES.get(self.card.state, str(self.card.state))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.note.id,
            "kind": self.note.kind,
            "article_id": self.note.article_id,
            "sentence": None if self.note.sentence_id is None else self.note.sentence_id + 1,
            "last_sentence": None
            if self.note.last_sentence_id is None
            else self.note.last_sentence_id + 1,
            "quote": self.note.exact,
            "text": self.note.text,
            "tags": list(self.note.tags),
            "labels": list(self.note.labels),
            "state": self.state,
            "due": iso(self.card.due),
            "stability": self.card.stability,
            "difficulty": self.card.difficulty,
            "reviews": self.reviews,
        }


@dataclass(frozen=True, slots=True)
class Cloze:
    """A card's passage with one word hidden: ``text`` shows ``[…]`` where ``answer`` was
    (``start``/``end`` are the answer's offsets in the passage)."""

    text: str
    answer: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class DayStats:
    day: str  # local date, YYYY-MM-DD
    reviews: int
    again: int


@dataclass(slots=True)
class Stats:
    days: list[DayStats] = field(default_factory=list)  # oldest first, every day of the span
    reviews: int = 0
    retention: float | None = None  # share of reviews of cards past learning not rated Again
    cards: int = 0
    new: int = 0
    due_today: int = 0
    by_state: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "reviews": self.reviews,
            "retention": self.retention,
            "cards": self.cards,
            "new": self.new,
            "due_today": self.due_today,
            "by_state": dict(self.by_state),
            "days": [{"day": d.day, "reviews": d.reviews, "again": d.again} for d in self.days],
        }


class Review:
    """Review sessions over one library's notes and highlights."""

    def __init__(
        self, store: NoteStore, library: str, scheduler: fsrs.Scheduler | None = None
    ) -> None:
        self.store = store
        self.library = library
        self.scheduler = scheduler or make_scheduler()

    # -- reading -----------------------------------------------------------------------------

    def _notes(self, scope: Scope | None) -> list[Note]:
        scope = scope or Scope()
        notes = self.store.list(
            self.library, label=scope.label, tag=scope.tag, article=scope.article
        )
        if scope.note_ids is not None:
            notes = [n for n in notes if n.id in scope.note_ids]
        return notes

    def _schedules(self, ids: list[str]) -> dict[str, tuple[fsrs.Card, int]]:
        found: dict[str, tuple[fsrs.Card, int]] = {}
        for chunk in _chunks(ids):
            marks = ", ".join("?" * len(chunk))
            rows = self.store._read(
                "SELECT c.note_id, c.state, c.step, c.stability, c.difficulty, c.due, "
                "c.last_review, (SELECT count(*) FROM reviews r WHERE r.note_id = c.note_id) "
                f"FROM cards c WHERE c.note_id IN ({marks})",
                chunk,
            )
            for row in rows:
                found[row[0]] = (self._card(row), row[7])
        return found

    @staticmethod
    def _card(row: Any) -> fsrs.Card:
        return fsrs.Card(
            card_id=_card_id(row[0]),
            state=fsrs.State(row[1]),
            step=row[2],
            stability=row[3],
            difficulty=row[4],
            due=_when(row[5]),
            last_review=_when(row[6]) if row[6] else None,
        )

    def cards(self, scope: Scope | None = None) -> list[ReviewCard]:
        """Every card in ``scope``, new ones included, in the order notes were made."""
        notes = self._notes(scope)
        schedules = self._schedules([n.id for n in notes])
        out = []
        for note in notes:
            if note.id in schedules:
                card, count = schedules[note.id]
                out.append(ReviewCard(note, card, new=False, reviews=count))
            else:
                new = fsrs.Card(card_id=_card_id(note.id), due=_when(note.created))
                out.append(ReviewCard(note, new, new=True))
        return out

    def new_today(self, now: datetime | None = None) -> int:
        """How many cards had their first rating today (local day)."""
        start = iso(_start_of_day(_utc(now)))
        rows = self.store._read(
            "SELECT count(*) FROM reviews r WHERE r.library = ? AND r.reviewed >= ? AND "
            "r.state_before IS NULL",
            (self.library, start),
        )
        return int(rows[0][0])

    def _in_scope(self, note: Note, scope: Scope | None) -> bool:
        if scope is None:
            return True
        if scope.article is not None and note.article_id != scope.article:
            return False
        if scope.label is not None and scope.label.casefold() not in (
            lb.casefold() for lb in note.labels
        ):
            return False
        if scope.tag is not None and scope.tag.removeprefix("#").casefold() not in (
            t.casefold() for t in note.tags
        ):
            return False
        return scope.note_ids is None or note.id in scope.note_ids

    def _allowance(self, now: datetime, new_per_day: int | None) -> int | None:
        if new_per_day is None:
            return None
        return max(0, new_per_day - self.new_today(now))

    def due(
        self,
        now: datetime | None = None,
        scope: Scope | None = None,
        *,
        until: datetime | None = None,
        new_per_day: int | None = NEW_PER_DAY,
    ) -> list[ReviewCard]:
        """The cards to review now: those due by ``until`` (default ``now``), earliest first,
        then new ones, oldest note first, as many as today's allowance of new cards leaves
        (``new_per_day`` None: all). Costs two indexed queries and reading the notes found
        (the new ones of the whole scope when a scope is given)."""
        now = _utc(now)
        limit = _utc(until) if until is not None else now
        allowance = self._allowance(now, new_per_day)
        due_ids = [
            r[0]
            for r in self.store._read(
                "SELECT c.note_id FROM cards c JOIN notes n ON n.id = c.note_id "
                "WHERE n.library = ? AND n.deleted IS NULL AND c.due <= ? "
                "ORDER BY c.due, n.created",
                (self.library, iso(limit)),
            )
        ]
        cut = allowance if scope is None and allowance is not None else -1
        new_ids = [
            r[0]
            for r in self.store._read(
                "SELECT n.id FROM notes n WHERE n.library = ? AND n.deleted IS NULL AND NOT "
                "EXISTS (SELECT 1 FROM cards c WHERE c.note_id = n.id) "
                "ORDER BY n.created, n.rowid LIMIT ?",
                (self.library, cut),
            )
        ]
        notes = {n.id: n for n in self.store._notes_by_id(due_ids + new_ids)}
        schedules = self._schedules(due_ids)
        learned = [
            ReviewCard(notes[i], schedules[i][0], new=False, reviews=schedules[i][1])
            for i in due_ids
            if i in notes and i in schedules and self._in_scope(notes[i], scope)
        ]
        new = [
            ReviewCard(notes[i], fsrs.Card(card_id=_card_id(i), due=_when(notes[i].created)), True)
            for i in new_ids
            if i in notes and self._in_scope(notes[i], scope)
        ]
        if allowance is not None:
            new = new[:allowance]
        return learned + new

    def count_due(self, now: datetime | None = None, scope: Scope | None = None) -> int:
        """How many cards ``due`` would give (for a status line): two counting queries without
        a scope, ``due`` itself with one."""
        if scope is not None:
            return len(self.due(now, scope))
        now = _utc(now)
        learned, new = self.store._read(
            "SELECT (SELECT count(*) FROM cards c JOIN notes n ON n.id = c.note_id "
            "WHERE n.library = ? AND n.deleted IS NULL AND c.due <= ?), "
            "(SELECT count(*) FROM notes n WHERE n.library = ? AND n.deleted IS NULL AND NOT "
            "EXISTS (SELECT 1 FROM cards c WHERE c.note_id = n.id))",
            (self.library, iso(now), self.library),
        )[0]
        allowance = self._allowance(now, NEW_PER_DAY)
        return int(learned) + (int(new) if allowance is None else min(int(new), allowance))

    def card(self, note_id: str) -> ReviewCard:
        """The card of one note, read afresh."""
        note = self.store.get(note_id)
        schedules = self._schedules([note_id])
        if note_id in schedules:
            card, count = schedules[note_id]
            return ReviewCard(note, card, new=False, reviews=count)
        return ReviewCard(note, fsrs.Card(card_id=_card_id(note_id), due=_when(note.created)), True)

    def history(self, note_id: str) -> list[fsrs.ReviewLog]:
        """Every rating the note's card was given, oldest first."""
        rows = self.store._read(
            "SELECT rating, reviewed, duration_ms FROM reviews WHERE note_id = ? "
            "ORDER BY reviewed, rowid",
            (note_id,),
        )
        return [
            fsrs.ReviewLog(_card_id(note_id), fsrs.Rating(r[0]), _when(r[1]), r[2]) for r in rows
        ]

    # -- rating ------------------------------------------------------------------------------

    def rate(
        self,
        card: ReviewCard | Note | str,
        rating: str | int | fsrs.Rating,
        now: datetime | None = None,
        duration_ms: int | None = None,
    ) -> ReviewCard:
        """Rate a card (again/hard/good/easy) at ``now``: its next schedule from FSRS and the
        rating itself are committed together before this returns (one transaction, a few
        milliseconds on disk). The card's state is read inside the write, so a rating given
        meanwhile by another process is built upon, not overwritten. Returns the card as
        scheduled now."""
        note_id = (
            card if isinstance(card, str) else card.id if isinstance(card, Note) else card.note_id
        )
        grade = parse_rating(rating)
        moment = _utc(now)
        with self.store._write() as conn:
            row = conn.execute(
                "SELECT n.id, n.library, n.created, n.deleted FROM notes n WHERE n.id = ?",
                (note_id,),
            ).fetchone()
            if row is None:
                raise NoteNotFound(f"no note {note_id!r}")
            current = conn.execute(
                "SELECT note_id, state, step, stability, difficulty, due, last_review "
                "FROM cards WHERE note_id = ?",
                (note_id,),
            ).fetchone()
            before = self._card(current) if current is not None else None
            start = before or fsrs.Card(card_id=_card_id(note_id), due=_when(row[2]))
            after, _log = self.scheduler.review_card(start, grade, moment, duration_ms)
            conn.execute(
                "INSERT INTO cards (note_id, state, step, stability, difficulty, due, "
                "last_review) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (note_id) DO UPDATE SET "
                "state = excluded.state, step = excluded.step, stability = excluded.stability, "
                "difficulty = excluded.difficulty, due = excluded.due, "
                "last_review = excluded.last_review",
                (
                    note_id,
                    int(after.state),
                    after.step,
                    after.stability,
                    after.difficulty,
                    iso(after.due),
                    iso(after.last_review) if after.last_review else None,
                ),
            )
            conn.execute(
                "INSERT INTO reviews (id, note_id, library, rating, reviewed, duration_ms, "
                "state_before, state, stability, difficulty, due) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    str(uuid.uuid4()),
                    note_id,
                    row[1],
                    int(grade),
                    iso(moment),
                    duration_ms,
                    int(before.state) if before is not None else None,
                    int(after.state),
                    after.stability,
                    after.difficulty,
                    iso(after.due),
                ),
            )
        return self.card(note_id)

    # -- statistics --------------------------------------------------------------------------

    def stats(self, days: int = 30, now: datetime | None = None) -> Stats:
        """Reviews per day over the last ``days`` days (local dates, every day listed), the
        retention over them (reviews of cards past learning not rated Again), and the cards by
        state. Two queries plus ``cards``."""
        now = _utc(now)
        first_day = _start_of_day(now) - timedelta(days=days - 1)
        rows = self.store._read(
            "SELECT reviewed, rating, state_before FROM reviews WHERE library = ? "
            "AND reviewed >= ?",
            (self.library, iso(first_day)),
        )
        per_day: Counter[str] = Counter()
        again: Counter[str] = Counter()
        recalled = matured = 0
        for reviewed, rating, state_before in rows:
            day = _when(reviewed).astimezone().date().isoformat()
            per_day[day] += 1
            if rating == fsrs.Rating.Again:
                again[day] += 1
            if state_before == fsrs.State.Review:
                matured += 1
                recalled += rating != fsrs.Rating.Again
        stats = Stats(reviews=len(rows))
        local_first = first_day.astimezone().date()
        for i in range(days):
            day = (local_first + timedelta(days=i)).isoformat()
            stats.days.append(DayStats(day, per_day[day], again[day]))
        stats.retention = recalled / matured if matured else None
        cards = self.cards()
        end_of_day = _start_of_day(now) + timedelta(days=1)
        stats.cards = len(cards)
        stats.new = sum(c.new for c in cards)
        stats.due_today = sum(1 for c in cards if not c.new and c.due < end_of_day)
        stats.by_state = dict(Counter(c.state for c in cards))
        return stats


# -- cloze ------------------------------------------------------------------------------------

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def cloze(card: ReviewCard | Note, word: str | None = None) -> Cloze | None:
    """The card's passage with one word hidden: ``word`` (the person's choice; its first
    whole-word occurrence, any case), else the first word of the passage that is one of the
    note's tags (``#supply-chain`` hides "supply-chain" or "supply chain"). None if neither
    is in the passage."""
    note = card.note if isinstance(card, ReviewCard) else card
    passage = note.exact
    wanted: Iterable[str] = [word] if word else note.tags
    for candidate in wanted:
        forms = {candidate.casefold(), candidate.replace("_", " ").casefold(),
                 candidate.replace("-", " ").replace("_", " ").casefold()}  # fmt: skip
        for form in forms:
            if not form.strip():
                continue
            pattern = re.compile(
                r"(?<!\w)" + r"\s+".join(map(re.escape, form.split())) + r"(?!\w)", re.IGNORECASE
            )
            match = pattern.search(passage)
            if match:
                start, end = match.span()
                return Cloze(passage[:start] + "[…]" + passage[end:], match.group(0), start, end)
    return None


def theme_scope(library: Library, theme: Theme, store: NoteStore) -> Scope:
    """A theme's passages as a review scope: the notes (of ``library``) on a sentence the
    theme's query matches. Costs one full search of the theme's query."""
    result = library.search(theme.query)
    if result.error:
        raise NoteError(f"the theme {theme.name!r} has an unusable query: {result.error}")
    hits: dict[str, set[int]] = {}
    for hit in result.hits:
        if hit.sentence_id >= 0:
            hits.setdefault(hit.article_id, set()).add(hit.sentence_id)
    ids = set()
    for note in store.list(library.key):
        sentences = hits.get(note.article_id)
        if not sentences or note.sentence_id is None:
            continue
        last = note.last_sentence_id if note.last_sentence_id is not None else note.sentence_id
        if any(note.sentence_id <= s <= last for s in sentences):
            ids.add(note.id)
    return Scope(note_ids=frozenset(ids), name=f"theme {theme.name}")
