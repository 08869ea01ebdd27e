"""Keys that reach the app in one read, as they do when it is busy, are the keys typed: Textual's
parser made an escape followed by other keys and another escape into a circumflex
(tui/terminal_input.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from textual._xterm_parser import XTermParser

from glossator.tui.terminal_input import EscapeSplittingParser, install, split_escapes


def keys(parser, *reads: str) -> list[str]:
    out = []
    for data in (*[r for r in reads if r], ""):
        out += [e.key for e in parser.feed(data) if hasattr(e, "key")]
    return out


def test_escape_and_keys_in_one_read_are_those_keys():
    burst = "\x1bG]jj?\x1bj"  # Escape G ] j j ? Escape j, typed while the app was busy
    assert keys(XTermParser(), burst)[0] == "circumflex_accent"  # Textual's reading
    assert keys(EscapeSplittingParser(), burst) == [
        "escape", "G", "right_square_bracket", "j", "j", "question_mark", "escape", "j"
    ]


def test_sequences_pastes_and_macos_option_keys_are_left_alone():
    parser = EscapeSplittingParser()
    assert keys(parser, "\x1b[A\x1bOB\x1b[<0;3;4M\x1b[<0;3;4m") == ["up", "down"]
    assert keys(EscapeSplittingParser(), "\x1bb") == ["ctrl+left"]  # option+left on a Mac
    assert keys(EscapeSplittingParser(), "\x1b[jk") == ["escape", "left_square_bracket", "j", "k"]
    paste = "\x1b[200~a\x1bGb c\x1b[201~"
    assert pastes(EscapeSplittingParser(), paste) == pastes(XTermParser(), paste)


def pastes(parser, data: str) -> list[str]:
    found = [e for e in [*parser.feed(data), *parser.feed("")] if type(e).__name__ == "Paste"]
    return [e.text for e in found]


def test_a_paste_split_across_reads_is_left_alone():
    assert split_escapes("\x1b[200~a\x1b", False) == ("\x1b[200~a\x1b", True)
    assert split_escapes("Gb\x1b[201~\x1bG", True) == ("Gb\x1b[201~\x1b[27uG", False)


@given(st.lists(st.sampled_from(["escape", "j", "G", "?", "]", "q", "a", "/"]), max_size=30))
def test_any_burst_of_keys_and_escapes_reads_as_typed(typed):
    sent = {"escape": "\x1b"}
    data = "".join(sent.get(k, k) for k in typed)
    names = {"?": "question_mark", "]": "right_square_bracket", "/": "slash"}
    got = keys(EscapeSplittingParser(), data)
    expected = [names.get(k, k) for k in typed]
    # a run of escapes is read by Textual as one escape per pair; a lone one at the end, or
    # before another escape, is still the escape key
    assert [k for k in got if k != "escape"] == [k for k in expected if k != "escape"]
    assert ("escape" in got) == ("escape" in expected)


def test_install_makes_the_linux_driver_read_with_it():
    from textual.drivers import linux_driver

    install()
    assert linux_driver.XTermParser is EscapeSplittingParser
