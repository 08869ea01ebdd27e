"""The reader's keys, declared once: the help screen and the README's key table are built from
these (every binding carries an id ``reader.<name>``)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

SENTENCE = Binding.Group("sentence", compact=True)
ARTICLE = Binding.Group("article", compact=True)
HIT = Binding.Group("hit", compact=True)


def _hidden(key: str, action: str, description: str, name: str, tooltip: str = "") -> Binding:
    return Binding(key, action, description, show=False, id=f"reader.{name}", tooltip=tooltip)


READER_BINDINGS: list[BindingType] = [
    Binding("j", "sentence(1)", "Next sentence", group=SENTENCE, id="reader.next"),
    _hidden("down", "sentence(1)", "Next sentence", "next_arrow"),
    Binding("k", "sentence(-1)", "Previous sentence", group=SENTENCE, id="reader.previous"),
    _hidden("up", "sentence(-1)", "Previous sentence", "previous_arrow"),
    _hidden("}", "paragraph(1)", "Next paragraph", "next_paragraph"),
    _hidden("{", "paragraph(-1)", "Previous paragraph", "previous_paragraph"),
    _hidden("space", "page(1)", "Page down", "next_page"),
    _hidden("pagedown", "page(1)", "Page down", "next_page_key"),
    _hidden("b", "page(-1)", "Page up", "previous_page"),
    _hidden("pageup", "page(-1)", "Page up", "previous_page_key"),
    _hidden("g", "edge(-1)", "Top of the article", "top"),
    _hidden("home", "edge(-1)", "Top of the article", "top_key"),
    _hidden("G", "edge(1)", "Bottom of the article", "bottom"),
    _hidden("end", "edge(1)", "Bottom of the article", "bottom_key"),
    Binding("]", "step('article', 1)", "Next article", group=ARTICLE, id="reader.next_article"),
    Binding(
        "[", "step('article', -1)", "Previous article", group=ARTICLE, id="reader.previous_article"
    ),
    Binding(
        "n",
        "step('hit', 1)",
        "Next search hit",
        group=HIT,
        id="reader.next_hit",
        tooltip="crosses into the next article with hits",
    ),
    Binding(
        "N",
        "step('hit', -1)",
        "Previous search hit",
        group=HIT,
        id="reader.previous_hit",
        tooltip="crosses into the previous article",
    ),
    _hidden(
        "y",
        "copy_sentence",
        "Copy with its citation",
        "copy",
        "the sentence, or the run v selected, with title, outlet and §N",
    ),
    _hidden(
        "o",
        "toggle_original",
        "Original text",
        "original",
        "the file as it was, site chrome dimmed; o again returns",
    ),
    _hidden(
        "i",
        "details",
        "Article details",
        "details",
        "title, authors, outlet, date and web address as citations give them; correct them there",
    ),
    _hidden(
        "a",
        "annotate",
        "Annotate the current sentence",
        "annotate",
        "or the run v selected; ctrl+s saves, escape cancels, #words are tags",
    ),
    _hidden(
        "v",
        "select",
        "Select sentences for a note",
        "select",
        "j/k extend the selection, a annotates it, escape (or v) clears it",
    ),
    _hidden(
        "h",
        "mark('highlight')",
        "Highlight the current sentence",
        "highlight",
        "or the run v selected, without a note; h again takes the highlight away",
    ),
    _hidden(
        "l",
        "mark('label')",
        "Labels",
        "label",
        "1–9 put a label of your codebook on the note or highlight here (a sentence without "
        "one is highlighted with it); labels are made, renamed and recoloured there too",
    ),
    _hidden(
        "f",
        "follow_link",
        "Follow a link",
        "follow",
        "a [[004 §7]] of the note here, or back to a note linking to this sentence",
    ),
    _hidden("F", "link_back", "Back from a link", "link_back", "to where f was pressed"),
    _hidden(
        "e",
        "note_action('edit')",
        "Edit the note here",
        "edit",
        "asks which when there are several",
    ),
    _hidden("d", "note_action('delete')", "Delete the note here", "delete", "u brings it back"),
    _hidden("u", "undo_delete", "Undo deleting a note", "undo"),
    _hidden(
        "m", "step('note', 1)", "Next note", "next_note", "crosses into the next article with notes"
    ),
    _hidden("M", "step('note', -1)", "Previous note", "previous_note"),
    _hidden(
        "c",
        "study('concordance')",
        "Concordance",
        "concordance",
        "of the search whose hits n/N walk; or back to the study view left",
    ),
    _hidden(
        "K",
        "study('keywords')",
        "Keywords of this article",
        "keywords",
        "what is distinctive of it against the rest of the library; enter: a word's concordance",
    ),
    Binding("escape", "clear_selection", "Clear selection", id="reader.clear_selection"),
]
