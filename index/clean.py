"""From a scraped article file to an :class:`~index.model.Article`: decode, repair, de-chrome.

Three steps, each usable on its own:

``decode_bytes``
    bytes to text: UTF-8 (with or without BOM), UTF-16/32 with BOM, UTF-16 without BOM when its
    zero bytes give it away, else Windows-1252, else Latin-1, with a warning naming the encoding
    that was assumed. Newlines become ``"\\n"``.
``repair_text``
    mojibake repair: ftfy on the lines that could need it (keeping typographic quotes and
    dashes), then a pass for UTF-8 read through Greek or Cyrillic code pages, which ftfy leaves
    alone when the code pages were mixed ("πŸ‡°πŸ‡΅" for 🇰🇵, "β€’" for ‒, "Β©" for ©).
``clean_article``
    lines to blocks: each line is judged title, byline, heading, paragraph, list item or site
    chrome by general rules (length, punctuation, position, word shapes, known chrome phrases,
    "everything after the comments is chrome"), never by the text of particular files. Control
    characters, C1 controls and bidirectional overrides left after the repair are replaced by
    visible stand-ins (``textutil.neutralise``) first, so no article text can drive a terminal.

``load_article`` does all three for a file, refusing empty, blank and binary files. All of it is
linear in the size of the file (a 50 MB file is fine), and a file's bytes are not kept.
"""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import ftfy
from ftfy import TextFixerConfig
from ftfy.badness import is_bad

from .model import BLOCK_SEPARATOR, Article, Block, Sentence
from .sentences import split_restoring, split_sentences
from .textutil import neutralise

__all__ = ["decode_bytes", "repair_text", "clean_article", "load_article", "read_text"]

# ---------------------------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def _newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """(codec, text) when ``data`` is UTF-16 text without a byte-order mark.

    Text in a Latin script has a zero byte in nearly every character, always on the same side;
    an image or an archive has zero bytes on both sides. The whole file must then decode.
    """
    sample = data[:8192]
    half = len(sample) // 2
    if len(data) % 2 or half < 4:
        return None
    zeros_even, zeros_odd = sample[0::2].count(0), sample[1::2].count(0)
    if zeros_odd >= 0.3 * half and zeros_even <= 0.01 * half:
        codec = "utf-16-le"
    elif zeros_even >= 0.3 * half and zeros_odd <= 0.01 * half:
        codec = "utf-16-be"
    else:
        return None
    try:
        return codec, data.decode(codec)
    except UnicodeDecodeError:
        return None


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """Decode a file's bytes; returns (text, warnings). Never raises."""
    warnings: list[str] = []
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                text = data.decode(codec, errors="replace")
                warnings.append(
                    f"invalid {name} at byte {exc.start}; undecodable bytes shown as \ufffd"
                )
            return _newlines(text), warnings
    if b"\x00" in data:
        found = _utf16_without_bom(data)
        if found is not None:
            codec, text = found
            warnings.append(f"no byte-order mark; read as {codec.upper()} (from its zero bytes)")
            return _newlines(text), warnings
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = f"byte 0x{data[exc.start]:02X} at offset {exc.start}"
        try:
            text = data.decode("cp1252")
            warnings.append(f"not valid UTF-8 ({where}); assumed Windows-1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            warnings.append(f"not valid UTF-8 ({where}); assumed Latin-1 (ISO-8859-1)")
    return _newlines(text), warnings


# ---------------------------------------------------------------------------------------------
# Mojibake repair
# ---------------------------------------------------------------------------------------------

_FTFY_CONFIG = TextFixerConfig(uncurl_quotes=False, normalization="NFC", explain=False)

# A line needs ftfy only if it has something ftfy could change: controls, Latin-1/Latin
# Extended letters and symbols (the raw material of mojibake; NBSP alone does not count),
# combining marks (NFC), Greek/Cyrillic, box drawing, ligatures, full-width forms, U+FFFD,
# lone surrogates, or "&" (HTML entities).
_NEEDS_FTFY = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xa1-\u024f\u0300-\u036f\u0370-\u04ff"
    "\u2500-\u25ff\ufb00-\ufb06\uff00-\uffef\ufffd\ud800-\udfff&]"
)
_GREEK = re.compile("[\u0370-\u03ff]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _reverse_table(codepages: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    """char -> the single bytes that decode to it, in code-page order (first = most likely)."""
    table: dict[str, list[int]] = {}
    for cp in codepages:
        for b in range(0x80, 0x100):
            try:
                ch = bytes([b]).decode(cp)
            except UnicodeDecodeError:
                continue
            bs = table.setdefault(ch, [])
            if b not in bs:
                bs.append(b)
    return {ch: tuple(bs) for ch, bs in table.items()}


# Sloppy decoders fill the holes of one code page with another (windows-1253 with ISO-8859-7 and
# windows-1252, then Latin-1 for the C1 range), so the reverse maps are unions.
_GREEK_BYTES = _reverse_table(("cp1253", "iso8859_7", "cp1252", "latin-1"))
_CYRILLIC_BYTES = _reverse_table(("cp1251", "cp1252", "latin-1"))


def _utf8_length(lead: int) -> int:
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _plausible(ch: str) -> int:
    """2 for an assigned, printable character; 1 for an unassigned one in the emoji planes
    (newer than this Python's Unicode tables); 0 otherwise."""
    cat = unicodedata.category(ch)
    if cat not in ("Cn", "Co", "Cs", "Cc"):
        return 2
    if cat == "Cn" and 0x1F000 <= ord(ch) < 0x20000:
        return 1
    return 0


def _decode_sequence(run: str, i: int, table: dict[str, tuple[int, ...]]) -> tuple[str, int]:
    """Try to read one UTF-8 character from run[i:] through ``table``; ('', 0) if not."""
    best = ("", 0, 0)
    for lead in table.get(run[i], ()):
        n = _utf8_length(lead)
        if n == 0 or i + n > len(run):
            continue
        conts = [
            tuple(b for b in table.get(c, ()) if 0x80 <= b <= 0xBF) for c in run[i + 1 : i + n]
        ]
        if not all(conts):
            continue
        for combo in itertools.islice(itertools.product(*conts), 64):
            try:
                ch = bytes((lead, *combo)).decode("utf-8")
            except UnicodeDecodeError:
                continue
            score = _plausible(ch)
            if score > best[2]:
                best = (ch, n, score)
                if score == 2:
                    return ch, n
    return best[0], best[1]


def _repair_match(match: re.Match[str], table: dict[str, tuple[int, ...]]) -> str:
    return _repair_run(match.group(), table)


def _repair_run(run: str, table: dict[str, tuple[int, ...]]) -> str:
    """Decode the UTF-8 hidden in a run of non-ASCII characters, when the run is mojibake."""
    out: list[str] = []
    leftovers: list[int] = []  # indexes into out of characters that could not be decoded
    decoded_chars = 0
    i = 0
    while i < len(run):
        ch, n = _decode_sequence(run, i, table)
        if n:
            out.append(ch)
            decoded_chars += n
            i += n
        else:
            leftovers.append(len(out))
            out.append(run[i])
            i += 1
    if not decoded_chars:
        bad = len(run) >= 3 and is_bad(run)
        if bad and all(any(0x80 <= b <= 0xF4 for b in table.get(c, ())) for c in run):
            return ""  # clearly mojibake, nothing recoverable: better nothing than garbage
        return run
    whole = decoded_chars == len(run) and len(run) >= 2
    if not (whole or is_bad(run)):
        return run  # a few letters that happen to spell UTF-8, inside real text: leave them
    if leftovers and is_bad("".join(out[k] for k in leftovers) or " "):
        drop = set(leftovers)
        out = [c for k, c in enumerate(out) if k not in drop]
    return "".join(out)


def _repair_codepage_line(line: str) -> str:
    for script, table in ((_GREEK, _GREEK_BYTES), (_CYRILLIC, _CYRILLIC_BYTES)):
        if script.search(line):
            line = _NON_ASCII_RUN.sub(partial(_repair_match, table=table), line)
    return line


def _repair_line(line: str) -> str:
    try:
        fixed = ftfy.fix_text(line, _FTFY_CONFIG)
    except Exception:  # pragma: no cover - ftfy is robust; never fail a whole article
        fixed = line
    if _GREEK.search(fixed) or _CYRILLIC.search(fixed):
        fixed = _repair_codepage_line(fixed)
    return fixed


def repair_text(text: str) -> str:
    """Repair mojibake, keeping typographic quotes and dashes as they are. Newlines stay put.

    Only the lines that could need it are looked at, and a text with nothing to repair is
    returned as it is (not copied: it may be a file of many megabytes).
    """
    text = _newlines(text).replace("\u2028", "\n").replace("\u2029", "\n")
    pieces: list[str] = []
    done = 0  # text[:done] is in pieces
    pos = 0  # always the start of a line
    n = len(text)
    while pos <= n:
        m = _NEEDS_FTFY.search(text, pos)
        if m is None:
            break
        nl = text.rfind("\n", pos, m.start())
        start = nl + 1 if nl >= 0 else pos
        end = text.find("\n", m.start())
        if end < 0:
            end = n
        line = text[start:end]
        fixed = _repair_line(line)
        if fixed != line:
            pieces.append(text[done:start])
            pieces.append(fixed)
            done = end
        pos = end + 1
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


# ---------------------------------------------------------------------------------------------
# Line classification
# ---------------------------------------------------------------------------------------------

_ZERO_WIDTH = "\u200b\u2060\ufeff\u00ad"
_ZERO_WIDTH_RE = re.compile(f"[{_ZERO_WIDTH}]")
_SPACES = re.compile(r"\s+")


_ODD_SPACE = re.compile(r"\s\s|[^\S ]|^\s|\s$")  # a line _norm would change
_LONG_LINE = 10_000  # past this, whitespace is collapsed by a regex (no list of every word)


def _norm(line: str) -> str:
    """Collapse whitespace (NBSP included) to single spaces, drop zero-width characters, strip."""
    if any(c in line for c in _ZERO_WIDTH):
        line = _ZERO_WIDTH_RE.sub("", line)
    if not _ODD_SPACE.search(line):
        return line  # already normal: no copy
    if len(line) > _LONG_LINE:
        # The same result as below (re's \s and str.split agree on what is whitespace), without
        # a list of every word of a line that may be megabytes long.
        return _SPACES.sub(" ", line).strip()
    return " ".join(line.split())


def _words(t: str) -> int:
    """The number of words of a line normalised by ``_norm`` (single spaces, stripped)."""
    return t.count(" ") + 1 if t else 0


_CLOSERS = "\"'”’»)]}*"
_ITEM = re.compile(r"^(\d{1,3}[.)]|\(\d{1,3}\)|[a-z][.)]|[•●▪◦‣∙○■□➢➤►*+\-–])\s+(?=\S)")
_DOTTED_ABBREV_END = re.compile(r"(?:^|[^A-Za-z.])(?:[A-Za-z]\.){2,}$")


def _terminal(t: str) -> bool:
    """Ends like a sentence: . ! ? … possibly inside closing quotes or brackets."""
    core = t.rstrip(_CLOSERS)
    return bool(core) and core[-1] in ".!?…"


def _title_terminal(t: str) -> bool:
    """Like _terminal, but "... U.S." or "...?" do not disqualify a title."""
    core = t.rstrip(_CLOSERS)
    if not core or core[-1] != ".":
        return False
    return not _DOTTED_ABBREV_END.search(core)


# Lines matched as a whole (after lowercasing and trimming counts and punctuation).
_P_CLOSE = [  # comments or the author box: nothing after this is the article, however long
    r"(?:\d+ )?(?:reader |user )?(?:comments?|responses?|replies)(?: \d+)?",
    r"(?:post|leave|add|write|view|show|load|see|read|hide|join)(?: all)?(?: an?| your| the)?"
    r"(?: \d+)?(?: comments?| reply| replies| responses?| the discussion| the conversation)",
    r"comments? (?:are |is )?(?:closed|disabled).*",
    r"(?:sign|log) ?in to (?:comment|reply|join|post).*",
    r"you must be (?:signed|logged) in.*",
    r"(?:conversation|discussion)",
    r"about the (?:author|creator|writer|reporter|contributor)s?",
    r"(?:author|writer) (?:bio|profile)",
]
_P_FOOTER = [  # related links and the like: chrome follows, unless long article prose resumes
    r"related(?: articles?| stories| posts?| content| coverage| reading| links| topics| news)?",
    r"(?:you )?(?:may|might) also (?:like|enjoy)",
    r"(?:more|other) (?:stories|articles) (?:from|by|like).*",
    r"more from .*|more (?:stories|articles|news)|recommended(?: for you| reading| stories)?",
    r"read next|up next|what to read next|further reading|popular (?:now|posts|stories)",
    r"(?:miscellaneous|useful|quick|footer|site|important) links",
    r"(?:back )?to (?:the )?top|scroll to top",
]
_P_SOFT = [  # chrome, but the article may go on after it
    r"share(?: this| the)?(?: article| story| post| page| via .*| on .*)?|shares?",
    r"(?:facebook|twitter|x|linkedin|whatsapp|telegram|pinterest|reddit|email|e-mail|print|"
    r"copy link|copy url|flipboard|messenger|instagram|youtube|tiktok|threads|bluesky|mastodon)",
    r"tweet(?: this)?|pin it|(?:e-?mail|send) (?:this|to a friend).*",
    r"advertisement.*|advertising|sponsored(?: content)?|paid content|promoted|partner content|ad",
    r"(?:skip|jump) to (?:the )?(?:main )?(?:content|navigation|article)",
    r"menu|search|home|log ?in|log ?out|sign ?in|sign ?up|register|my account|account",
    r"subscribe.*|sign up (?:for|to) .*|get (?:our|the) .*newsletter.*|.*newsletters?",
    r"(?:read|see|view|load|show) (?:more|all|full).*|continue reading.*|click here.*|read also.*",
    r"(?:related|read more|see also|also read|more|watch|listen|recommended)\s*:.*",
    r"listen(?: to (?:this )?(?:article|story))?(?: \d+ min\w*)?|audio",
    r"(?:\d+ )?(?:min|mins|minute|minutes) read",
    r"print(?: this)?(?: article| page)?|save(?: article| for later)?|bookmark",
    r"follow(?: us)?(?: on .*)?|(?:find|like|join|connect with|follow) us on .*|follow .* on .*",
    r"(?:photo|image|picture|video|credit|source|illustration|caption)s?(?: credit)?\s*:.*",
    r"(?:getty images|reuters|ap photo|afp)(?: via .*)?",
    r"loading.*|please wait.*",
    r"(?:tags?|filed under|categories|category|topics?)(?:\s*:.*)?",
    r"privacy(?: policy| notice| settings)?|terms(?: of (?:use|service))?",
    r"terms (?:and|&) conditions|cookie(?:s| policy| settings| preferences)?",
    r"(?:accept|reject|allow|manage)(?: all)?(?: cookies)?",
    r"got it|i agree|agree|ok|okay|close|dismiss|no thanks|not now|continue",
    r"contact(?: us)?|about(?: us)?|support|help|faq|careers|accessibility|site ?map|explore",
    r"do not sell.*|your privacy choices|manage (?:preferences|consent)",
    r"trending(?: now)?|most (?:read|popular|viewed|shared)|editor'?s picks?|top stories|"
    r"latest(?: news| stories)?|breaking(?: news)?|live updates?",
    r"weather|live|markets?|video|videos|podcasts?|newsletter|more|next|previous|prev",
]
_PHRASE = re.compile("(?:" + "|".join(_P_CLOSE + _P_FOOTER + _P_SOFT) + ")")
_CLOSE = re.compile("(?:" + "|".join(_P_CLOSE) + ")")
_FOOTER = re.compile("(?:" + "|".join(_P_FOOTER) + ")")
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)\s*\d{4})|\bcopyright\s*(?:©|\(c\))?\s*\d{4}|all rights reserved", re.I
)
_COOKIE = re.compile(r"\bcookies?\b", re.I)
_CONSENT = re.compile(
    r"\b(?:accept|consent|agree|policy|settings|preferences|continuing|browse|browsing|"
    r"experience|personali[sz]e)\b",
    re.I,
)
_JS_NOTICE = re.compile(r"\bjavascript\b.*\b(?:enable|disabled|browser)\b", re.I)
_NAV_SEPARATORS = re.compile(r"\s(?:\||›|»|/|>|·|•)\s")
_KEY_STRIP = re.compile(r"\(\s*\d+\s*\)|\[\s*\d+\s*\]")

_NAV_WORDS = frozenset(
    """home news world politics business tech technology science health sport sports opinion
    culture arts art entertainment lifestyle travel video videos live markets market weather
    podcasts podcast newsletters newsletter search menu subscribe login log sign in up register
    more local national international economy finance money style food climate environment
    education latest trending popular games puzzles crossword obituaries jobs shop deals account
    profile us uk europe asia africa americas australia middle east magazine features reviews
    investigations analysis explainers photos gallery galleries watch listen podcasts audio
    tv radio media entertainment fashion beauty wellness family parenting books
    music film movies property cars motoring auto autos careers contact about help""".split()
)

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = re.compile(
    rf"\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b|\b\d{{1,2}}\s+{_MONTHS}\s+\d{{4}}\b"
    r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
    r"|\b\d+\s+(?:second|minute|hour|day|week|month|year)s?\s+ago\b"
    r"|\b\d+\s+min(?:ute)?s?\s+read\b"
    r"|^(?:published|updated|posted|last updated|first published)\b",
    re.I,
)
_BYLINE = re.compile(
    r"^(?i:by|written by|words by|story by|reporting by|posted by|author:|authors:)"
    r"\s+[A-Z\u00c0-\u024f\u0370-\u04ff]"
)
_BYLINE_JOIN = re.compile(r"(?<=[a-z])(?=(?:Published|Updated|Posted|Last updated)\b)")
# Words run together: "guiltyCONTENT", "WARNINGcapital", "Shifts:North". A lowercase letter that
# starts a word is a brand ("iPhone", "eBay"), not a join; nor is "McDonald".
# (A capital run is only tried from its first letter: linear on a line of a million capitals.)
_CAMEL_JOIN = re.compile(r"(?<=\S)[a-z][A-Z]|(?<![A-Z])[A-Z]{2,}[a-z]{3,}|[a-z][:;,][A-Z]")
_MC = re.compile(r"\bMa?c[A-Z]")
_LONG_WORD = re.compile(r"[A-Za-z]{25,}")


@dataclass(slots=True)
class _Line:
    text: str  # whitespace-normalised
    raws: list[str]  # the file's line(s), trimmed of spaces and tabs, for Article.removed
    rows: list[int] = field(default_factory=list)  # their line numbers in the file, from 0
    words: int = 0
    kind: str = ""  # title, byline, heading, paragraph, item, chrome
    marker: str = ""
    anchor: bool = False  # long prose: the body is where these are
    close: bool = False  # comments or the author box start here: the article is over
    footer: bool = False  # related links, copyright, "to top": a footer box starts here
    chrome: bool = False  # matched a chrome rule on its own
    byline: bool = False


def _key(t: str) -> str:
    """A line reduced for phrase matching: lowercase, counts and marker and end marks trimmed."""
    k = _KEY_STRIP.sub(" ", t.lower())
    k = _ITEM.sub("", k)
    k = k.strip(" .:;,!?|›»>-–—•·*\"'“”‘’()[]")
    return _SPACES.sub(" ", k)


def _camel_joins(t: str) -> int:
    return max(len(_CAMEL_JOIN.findall(t)) - len(_MC.findall(t)), 0)


def _is_tag_string(t: str, words: int) -> bool:
    """Run-together tags or link text: "reviewinvestigationguiltyCONTENT WARNINGcapital"."""
    if words > 15 and _terminal(t):
        return False  # prose; a stray "fromthese" or "YouTube" does not make it a tag list
    joins = _camel_joins(t) + len(_LONG_WORD.findall(t))
    if joins == 0:
        return False
    if joins >= 3 and joins >= 0.2 * words:
        return True
    return not _terminal(t) and joins >= 2 and joins >= 0.25 * words


def _is_nav(t: str, words: int) -> bool:
    if len(_NAV_SEPARATORS.findall(f" {t} ")) >= 2:
        return True
    if _terminal(t) or words == 0 or words > 12:
        return False
    toks = [w.strip(".,:;!?|").lower() for w in t.split()]
    nav = sum(1 for w in toks if w in _NAV_WORDS)
    return words >= 2 and nav / words >= 0.75


def _copyright(t: str, low: str) -> bool:
    if "©" not in t and "(c)" not in low and "copyright" not in low and "reserved" not in low:
        return False
    return bool(_COPYRIGHT.search(t))


def _is_chrome(line: _Line) -> bool:
    t = line.text
    if not any(c.isalpha() for c in t):
        return True  # "1", "***", "—", "|"
    low = t.lower()
    if line.words <= 30 and _copyright(t, low):
        return True
    if line.words <= 60 and "cookie" in low and _COOKIE.search(t) and _CONSENT.search(t):
        return True
    if line.words <= 40 and "javascript" in low and _JS_NOTICE.search(t):
        return True
    if line.words <= 10:
        k = _key(t)
        if _PHRASE.fullmatch(k):
            return True
        if line.words <= 4 and "logo" in k.split():
            return True  # "Site logo", "Criminal logo"
    return _is_tag_string(t, line.words)


def _is_close(line: _Line) -> bool:
    return line.words <= 10 and bool(_CLOSE.fullmatch(_key(line.text)))


def _is_footer(line: _Line) -> bool:
    if line.words <= 30 and _copyright(line.text, line.text.lower()):
        return True
    return line.words <= 10 and bool(_FOOTER.fullmatch(_key(line.text)))


def _is_byline(t: str, words: int) -> bool:
    if words > 16:
        return False
    if _BYLINE.match(t) and (not _terminal(t) or words <= 8):
        return True
    return words <= 12 and bool(_DATE.search(t)) and not (words > 6 and _terminal(t))


def _logical_lines(raw_lines: list[str]) -> list[_Line | None]:
    """Normalised lines, ``None`` for blank ones; hard-wrapped paragraphs are joined back.

    Linear in the size of the text: a paragraph joined from many physical lines is collected
    as a list of parts and joined once (a very large file may be one paragraph of a million lines).
    """
    normed = [_norm(x) for x in raw_lines]
    # A hard-wrapped file: most lines of any length stop short of ~100 characters, where
    # scraped paragraphs are usually one long line each.
    lens = sorted(len(t) for t in normed if len(t) >= 20)
    width = 0
    if len(lens) >= 4 and lens[(3 * len(lens)) // 4] <= 100:
        width = max(x for x in lens if x <= 100)
    out: list[_Line | None] = []
    parts: dict[int, list[str]] = {}  # id(line) -> the physical lines joined into it
    prev: _Line | None = None
    prev_last = ""  # the last physical line joined into prev
    prev_chars = prev_words = 0  # prev's length and words, as joined so far
    for row, (raw, t) in enumerate(zip(raw_lines, normed, strict=True)):
        trimmed = raw.strip(" \t")
        if not t:
            if trimmed:  # a line of NBSPs or zero-width characters: invisible chrome
                out.append(_Line(text="", raws=[trimmed], rows=[row], kind="chrome"))
            else:
                out.append(None)
            prev = None
            continue
        words = _words(t)
        if prev is not None and not _ITEM.match(t):
            # "...the prices of\nfood and fuel": a sentence carried on to the next line.
            continues = (
                t[0].islower() and not _terminal(prev_last) and prev_chars >= 30 and prev_words >= 4
            )
            # A hard-wrapped file: the previous line was filled up to the wrap width.
            wrapped = bool(width) and len(prev_last) >= width - 25 and not prev_last.endswith(":")
            if (
                (continues or wrapped)
                and not _is_byline(t, words)
                and not (words <= 10 and _PHRASE.fullmatch(_key(t)))
            ):
                parts.setdefault(id(prev), [prev.text]).append(t)
                prev.raws.append(trimmed)
                prev.rows.append(row)
                prev_last = t
                prev_chars += 1 + len(t)
                prev_words += words
                continue
        line = _Line(text=t, raws=[trimmed], rows=[row], words=words)
        out.append(line)
        prev = line
        prev_last = t
        prev_chars = len(t)
        prev_words = words
    if parts:
        for ln in out:
            if ln is not None and id(ln) in parts:
                ln.text = " ".join(parts[id(ln)])
    return out


def _derive_title(blocks: list[tuple[str, str, str]], fallback: str) -> str:
    source = ""
    for kind, text, _marker in blocks:
        if kind == "paragraph":
            source = text
            break
    if not source and blocks:
        source = blocks[0][1]
    if not source:
        return fallback or "Untitled"
    spans = split_sentences(source)
    first = source[spans[0][0] : spans[0][1]] if spans else source
    if len(first) <= 80:
        return first.rstrip(".") or first
    cut = first[:80]
    if " " in cut[40:]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.-–—") + "…"


# Parts of a byline that say nothing a citation can use: "7 months ago", "3 min read".
_BYLINE_SPLIT = re.compile(r"(\s+[·|‒–—•]\s+|\s*\|\s*)")
_RELATIVE = re.compile(
    r"(?:(?:published|updated|posted|last updated|first published)\s*:?\s*)?"
    r"(?:(?:\d+|an?|one|a few)\s+(?:second|sec|minute|min|hour|hr|day|week|month|year)s?\s+ago"
    r"|just now|today|yesterday)"
    r"|\d+\s*(?:-|–)?\s*(?:min|mins|minute|minutes)(?:\s+read)?"
    r"|(?:published|updated|posted|last updated|first published)",
    re.I,
)


def _compose_byline(parts: list[str]) -> str | None:
    """The byline lines as one, relative dates and reading times ("Published 7 months ago",
    "3 min read") left out: they are no part of a citation."""
    out: list[str] = []
    for p in parts:
        pieces = _BYLINE_SPLIT.split(_BYLINE_JOIN.sub(" · ", p))  # text, separator, text, ...
        kept: list[str] = []
        for i in range(0, len(pieces), 2):
            piece = pieces[i].strip(" ·|,;")
            if piece and not _RELATIVE.fullmatch(piece):
                if kept:
                    kept.append(pieces[i - 1])
                kept.append(piece)
        line = "".join(kept)
        if line and line not in out:
            out.append(line)
    return " · ".join(out) if out else None


def clean_article(
    raw: str, article_id: str, path: str = "", removed_rows: list[int] | None = None
) -> Article:
    """Clean one article's text: repair it, find title and byline, keep the body, drop chrome.

    Control characters never reach the article: terminal escape sequences are removed by the
    repair, a form feed becomes a line break, and every other control character, C1 control and
    bidirectional override left is replaced by a visible stand-in (``textutil.neutralise``), so
    ``text``, ``original``, the title, the byline and every sentence are safe to print.
    Two sentences run together ("States.In") are given back their space in ``text``.

    ``removed_rows``, when given, receives the numbers (from 0) of the lines of ``raw`` judged
    site chrome, once ``raw``'s line breaks (and form feeds) are made ``"\\n"``.
    """
    try:
        repaired = repair_text(raw)
    except Exception:  # pragma: no cover - defensive: a repair bug must not lose the article
        repaired = _newlines(raw)
    repaired = neutralise(repaired.replace("\f", "\n"))
    warnings: list[str] = []
    if repaired is not raw and repaired != _newlines(raw):
        warnings.append("repaired characters (mojibake, HTML entities or control codes)")

    slots = _logical_lines(repaired.split("\n"))
    lines = [ln for ln in slots if ln is not None]
    for ln in lines:
        if ln.kind == "chrome":
            continue
        ln.words = _words(ln.text)
        m = _ITEM.match(ln.text)
        if m:
            ln.marker = m.group(1)
        ln.chrome = _is_chrome(ln)
        ln.close = _is_close(ln)
        ln.footer = _is_footer(ln)
        ln.byline = _is_byline(ln.text, ln.words)
        ln.anchor = (
            not ln.chrome
            and ln.words >= 8
            and (_terminal(ln.text) or ln.text.endswith(":"))
            and not ln.byline
        )

    for min_words in (3, 1):
        if any(ln.anchor for ln in lines):
            break
        # A short article: lines that end like sentences, however short, mark the body.
        for ln in lines:
            ln.anchor = (
                not ln.kind
                and not ln.chrome
                and ln.words >= min_words
                and (_terminal(ln.text) or ln.text.endswith(":"))
                and not ln.byline
            )

    # Where the body is: from the first long prose line to the last one before the footer.
    first = next((i for i, ln in enumerate(lines) if ln.anchor), None)
    stop = len(lines)
    last = None
    if first is not None:
        in_box = False
        for i in range(first + 1, len(lines)):
            ln = lines[i]
            if ln.kind:
                continue
            if ln.close:
                stop = i  # reader comments are chrome even when they are long prose
                break
            if ln.footer:
                ln.kind = "chrome"
                in_box = True
            elif in_box:
                if ln.anchor and ln.words >= 30:
                    in_box = False  # clearly the article again: a box in mid-article
                else:
                    ln.kind = "chrome"  # the box's links and teasers
        last = max(i for i in range(first, stop) if lines[i].anchor and not lines[i].kind)
    top_end = first if first is not None else stop

    title: str | None = None
    byline_parts: list[str] = []

    # The top: chrome, title, byline, a subtitle.
    for i in range(top_end):
        ln = lines[i]
        if ln.kind:
            continue
        t, w = ln.text, ln.words
        if ln.byline and not ln.chrome:
            ln.kind = "byline"
            byline_parts.append(t)
            continue
        if ln.chrome or _is_nav(t, w):
            ln.kind = "chrome"
            continue
        if title is None:
            # Two words make a title only right above the byline or the body ("Smiley face"
            # above a weather widget does not).
            near = i + 1 == top_end or (i + 1 < len(lines) and lines[i + 1].byline)
            if (
                (3 <= w <= 30 or (w == 2 and near))
                and len(t) <= 250
                and not _title_terminal(t)
                and not ln.marker
            ):
                ln.kind = "title"
                title = t
            else:
                ln.kind = "chrome"  # before the title: site furniture
            continue
        if ln.marker and w >= 2:
            ln.kind = "item"
        elif _terminal(t) and w >= 4:
            ln.kind = "paragraph"
        elif not _terminal(t) and 3 <= w <= 25:
            ln.kind = "heading"  # a subtitle
        elif first is None and w >= 1:
            ln.kind = "heading" if not _terminal(t) else "paragraph"
        else:
            ln.kind = "chrome"

    # The body.
    if first is not None and last is not None:
        for i in range(first, last + 1):
            ln = lines[i]
            if ln.kind:
                continue
            t, w = ln.text, ln.words
            if ln.chrome or (w <= 15 and len(_NAV_SEPARATORS.findall(f" {t} ")) >= 2):
                ln.kind = "chrome"
            elif ln.marker:
                ln.kind = "item"
            elif not _terminal(t) and w <= 12 and not t.endswith((":", ",", ";")):
                ln.kind = "heading"
            else:
                ln.kind = "paragraph"
        # After the last long prose line: a list it introduces, closing prose; nothing else.
        open_list = lines[last].text.endswith(":") or bool(lines[last].marker)
        for i in range(last + 1, stop):
            ln = lines[i]
            if ln.kind:
                open_list = False
                continue
            t, w = ln.text, ln.words
            if ln.chrome or _is_nav(t, w):
                ln.kind = "chrome"
                open_list = False
            elif ln.marker and open_list and w >= 2:
                ln.kind = "item"
            elif _terminal(t) and w >= 5 and not ln.byline:
                ln.kind = "paragraph"
                open_list = t.endswith(":")
            else:
                ln.kind = "chrome"
                open_list = False
    # The footer, and anything else left over.
    for ln in lines:
        if not ln.kind:
            ln.kind = "chrome"

    # A heading needs something under it.
    body = [ln for ln in lines if ln.kind in ("heading", "paragraph", "item")]
    while body and body[-1].kind == "heading":
        body.pop().kind = "chrome"

    # Build the text, blocks and sentences.
    kept = [(ln.kind, ln.text, ln.marker if ln.kind == "item" else "") for ln in body]
    if title is None:
        title = _derive_title(kept, neutralise(article_id))
        title_derived = True
    else:
        title_derived = False
    blocks: list[Block] = []
    pieces: list[str] = []
    pos = 0
    sid = 0
    for kind, t, marker in kept:
        if kind == "heading":
            spans = [(0, len(t))]
        else:
            t, spans = split_restoring(t)
            spans = spans or [(0, len(t))]
        start, end = pos, pos + len(t)
        sentences = []
        for a, b in spans:
            sentences.append(Sentence(sid, start + a, start + b, t[a:b]))
            sid += 1
        blocks.append(Block(kind, start, end, tuple(sentences), marker))
        pieces.append(t)
        pos = end + len(BLOCK_SEPARATOR)
    text = BLOCK_SEPARATOR.join(pieces)
    if not blocks:
        warnings.append("no article text found once site chrome was removed")

    removed = [r for ln in lines if ln.kind == "chrome" for r in ln.raws]
    if removed_rows is not None:
        removed_rows[:] = sorted(r for ln in lines if ln.kind == "chrome" for r in ln.rows)
    return Article(
        id=article_id,
        path=path,
        title=title,
        title_derived=title_derived,
        byline=_compose_byline(byline_parts),
        text=text,
        blocks=blocks,
        removed=removed,
        original=repaired,
        warnings=warnings,
    )


_BINARY_CONTROLS = re.compile("[\x01-\x08\x0e-\x1f]")
_VISIBLE = re.compile(f"[^\\s{_ZERO_WIDTH}]")


def not_text(text: str) -> str | None:
    """Why decoded ``text`` is not that of a text file (NUL bytes, too many control
    characters), or None. Also asked of a large file's first bytes, before reading it all."""
    if "\x00" in text:
        return "not a text file (it contains NUL bytes)"
    controls = len(_BINARY_CONTROLS.findall(text)) if _BINARY_CONTROLS.search(text) else 0
    if controls > max(8, len(text) // 20):
        return f"not a text file ({controls} control characters)"
    return None


def read_text(path: Path) -> tuple[str, list[str]]:
    """A text file's decoded text and warnings. Empty, blank or binary files raise
    ``ValueError`` naming the file."""
    path = Path(path)
    data = path.read_bytes()
    if not data:
        raise ValueError(f"{path}: the file is empty")
    text, warnings = decode_bytes(data)
    del data  # a large file: do not keep its bytes and its text at once
    binary = not_text(text)
    if binary:
        raise ValueError(f"{path}: {binary}")
    if not _VISIBLE.search(text):
        raise ValueError(f"{path}: the file contains only whitespace")
    return text, warnings


def source_lines(text: str) -> list[str]:
    """A decoded file's lines as ``clean_article`` numbers them (``removed_rows``), before any
    repair: line breaks, line and paragraph separators and form feeds all end a line."""
    text = _newlines(text).replace("\u2028", "\n").replace("\u2029", "\n").replace("\f", "\n")
    return neutralise(text).split("\n")


def load_article(
    path: Path, article_id: str | None = None, removed_rows: list[int] | None = None
) -> Article:
    """Read, decode and clean one file. Empty, blank or binary files raise ``ValueError``
    naming the file; the article's warnings (an encoding guessed, characters repaired) name it
    too. ``removed_rows`` receives the numbers of the lines judged chrome (``clean_article``)."""
    path = Path(path)
    text, warnings = read_text(path)
    article = clean_article(
        text, article_id if article_id is not None else path.stem, str(path), removed_rows
    )
    article.warnings[:0] = warnings
    article.warnings[:] = [f"{path.name}: {w}" for w in article.warnings]
    return article
