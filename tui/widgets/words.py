"""Word lists of the study views: the collocates of a term (the words that keep it company) and
the keywords of an article, a theme or a search's passages (what is distinctive of them). Each
word leads to its concordance (enter): a collocate's, the term's occurrences with it nearby."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets.option_list import Option

from .layout import display_text
from .lists import KeyList
from .study_pane import StudyPane, Subject

if TYPE_CHECKING:
    from collections.abc import Callable

    from glossator.index.library import Library
    from glossator.index.study import Collocates, Keywords

MEASURES = ("ll", "pmi", "t")  # study.MEASURE_NAMES' keys, without loading the back end at start
WINDOW = 5  # words either side, at first; + and - change it within WINDOWS
WINDOWS = (1, 20)
WORD_WIDTH = 22  # at most; less in a narrow list


def word_cell(word: str, width: int) -> str:
    shown = display_text(word)
    shown = shown if len(shown) <= width else shown[: width - 1] + "…"
    return f"{shown:<{width}}"


class WordList(KeyList):
    """Words: enter shows a word's concordance."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select",
            "The word's lines",
            id="study.word_open",
            tooltip="a keyword's concordance; a collocate's: the term's lines with it near",
        ),
    ]


class WordsPane(StudyPane):
    """A list of words; enter shows a word's concordance."""

    opens_sentences = False
    LIST = WordList

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.words: list[str] = []
        self._width = 0

    def word(self) -> str | None:
        index = self.options.highlighted
        return self.words[index] if index is not None and 0 <= index < len(self.words) else None

    def concordance_of(self, word: str) -> Subject:
        return Subject(query=word)

    def action_open(self) -> None:
        word = self.word()
        if word is not None:
            self.post_message(self.StudyRequested("concordance", self.concordance_of(word)))

    def on_resize(self) -> None:
        if self.words and self.list_width() != self._width:
            self.redraw()

    def redraw(self) -> None:
        """Show the result again (the width changed)."""

    def word_width(self, columns: int) -> int:
        """The word column's width, leaving ``columns`` cells for the numbers."""
        return max(8, min(WORD_WIDTH, self.list_width() - columns))

    def fill(self, rows: list[tuple[str, Content]], header: Content, empty: str) -> None:
        self.words = [word for word, _ in rows]
        self._width = self.list_width()
        self.options.set_options([Option(prompt, id=str(i)) for i, (_, prompt) in enumerate(rows)])
        if rows:
            self.options.highlighted = 0
            self.set_header(header)
            self.highlighted(0)
        else:
            self.say(empty)


class CollocatesView(WordsPane):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "m",
            "measure",
            "Measure",
            id="study.measure",
            tooltip="log-likelihood, then pointwise mutual information, then t-score",
        ),
        Binding(
            "plus,equals_sign",
            "window(1)",
            "Wider",
            id="study.window_wider",
            tooltip="count the words one further away on either side",
        ),
        Binding(
            "minus",
            "window(-1)",
            "Narrower",
            id="study.window_narrower",
            tooltip="count only the words one nearer on either side",
        ),
    ]
    VIEW = "collocates"
    TITLE = "Collocates"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.measure = "ll"
        self.window = WINDOW
        self.found: Collocates | None = None

    def run_study(
        self, generation: int, library: Library, subject: Subject, cancelled: Callable[[], bool]
    ) -> None:
        from glossator.index import study

        assert subject.query is not None
        found = study.collocates(
            library, subject.query, self.window, self.measure, limit=200, cancelled=cancelled
        )
        self.deliver(generation, self._show, found)

    def _show(self, found: Collocates) -> None:
        from glossator.index.study import MEASURE_NAMES

        self.found = found
        subject = self.subject
        assert subject is not None
        width = self.word_width(34)
        rows = [
            (
                c.word,
                Content.assemble(
                    (word_cell(c.word, width), "bold"),
                    f"{c.joint:>5}",
                    (f" ({c.left}←, →{c.right})".ljust(14), "dim"),
                    f"{c.frequency:>6} {c.score:>8.2f}",
                ),
            )
            for c in found.collocates
        ]
        header = Content.assemble(
            ("Collocates ", "bold"),
            (f"of {display_text(subject.said)}", "bold $text-accent"),
            f" within ±{found.window} words · {found.occurrences}× · "
            f"{MEASURE_NAMES[found.measure]}",
            (f"\n{'word':<{width}} {'near':>4} (left, right) {'all':>5} {'score':>8}", "dim"),
        )
        self.fill(rows, header, f"No words keep {subject.said} company more than by chance.")

    def redraw(self) -> None:
        if self.found is not None:
            self._show(self.found)

    def highlighted(self, index: int) -> None:
        found = self.found
        if found is None or not 0 <= index < len(found.collocates):
            self.show_detail("")
            return
        c = found.collocates[index]
        self.show_detail(
            Content.assemble(
                (display_text(c.word), "bold"),
                f" {c.joint}× within {found.window} words ({c.left} left, {c.right} right),"
                f" {c.frequency}× in all",
                (" · enter: those lines", "dim"),
            )
        )

    def concordance_of(self, word: str) -> Subject:
        subject = self.subject
        assert subject is not None and subject.query is not None
        return Subject(query=subject.query, label=subject.said, near=word, window=self.window)

    def action_measure(self) -> None:
        if self.subject is None or self.library is None:
            return
        from glossator.index.study import MEASURE_NAMES

        self.measure = MEASURES[(MEASURES.index(self.measure) + 1) % len(MEASURES)]
        self.say(f"Collocates of {self.subject.said}: scoring by {MEASURE_NAMES[self.measure]}…")
        self.start()

    def action_window(self, change: int) -> None:
        if self.subject is None or self.library is None:
            return
        lo, hi = WINDOWS
        window = min(hi, max(lo, self.window + change))
        if window == self.window:
            self.say(f"Collocates are counted within {lo} to {hi} words; now ±{window}.")
            return
        self.window = window
        self.say(f"Collocates of {self.subject.said} within ±{window} words…")
        self.start()


class KeywordsView(WordsPane):
    VIEW = "keywords"
    TITLE = "Keywords"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.found: Keywords | None = None

    def run_study(
        self, generation: int, library: Library, subject: Subject, cancelled: Callable[[], bool]
    ) -> None:
        from glossator.index import study

        if subject.article_id is not None:
            found = study.keywords(library, subject.article_id, limit=200, cancelled=cancelled)
        elif subject.theme is not None:
            found = study.keywords(library, theme=subject.theme, limit=200, cancelled=cancelled)
        else:
            found = study.keywords(library, query=subject.query, limit=200, cancelled=cancelled)
        self.deliver(generation, self._show, found)

    def _show(self, found: Keywords) -> None:
        self.found = found
        subject = self.subject
        assert subject is not None
        width = self.word_width(30)
        rows = [
            (
                k.word,
                Content.assemble(
                    (word_cell(k.word, width), "bold"),
                    f"{k.count:>5} {k.reference:>7} {k.ll:>8.2f} {k.log_ratio:>6.2f}",
                ),
            )
            for k in found.keywords
        ]
        header = Content.assemble(
            ("Keywords ", "bold"),
            (f"of {display_text(subject.said)}", "bold $text-accent"),
            f" · {found.target_words} words against the rest · LL keyness, log ratio",
            (f"\n{'word':<{width}} {'here':>5} {'rest':>7} {'LL':>8} {'ratio':>6}", "dim"),
        )
        self.fill(rows, header, f"Nothing stands out in {subject.said}.")

    def redraw(self) -> None:
        if self.found is not None:
            self._show(self.found)

    def highlighted(self, index: int) -> None:
        found = self.found
        if found is None or not 0 <= index < len(found.keywords):
            self.show_detail("")
            return
        k = found.keywords[index]
        self.show_detail(
            Content.assemble(
                (display_text(k.word), "bold"),
                f" {k.count}× here, {k.reference}× in the rest",
                (" · enter: its concordance", "dim"),
            )
        )

    def saved_query(self) -> str | None:
        return self.word()  # the keyword, as its concordance's query
