"""Decoding, mojibake repair and chrome removal, on the seed articles and on made-up pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossator.index.clean import (
    _compose_byline,
    clean_article,
    decode_bytes,
    load_article,
    repair_text,
)
from glossator.index.sentences import split_restoring
from glossator.index.model import BLOCK_SEPARATOR, Article

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
GREEK = re.compile("[\u0370-\u03ff]")


def norm(s: str) -> str:
    return " ".join(s.split())


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    assert len(SEED_FILES) == 5
    return {p.stem[:3]: load_article(p) for p in SEED_FILES}


def check_structure(a: Article) -> None:
    """Offsets, ids and texts agree; every line of the file is accounted for exactly once."""
    assert a.text == BLOCK_SEPARATOR.join(a.text[b.start : b.end] for b in a.blocks)
    sid = 0
    for b in a.blocks:
        assert b.kind in ("heading", "paragraph", "item")
        block = a.text[b.start : b.end]
        assert block and block == norm(block) and "\n" not in block
        assert b.sentences
        if b.kind == "heading":
            assert len(b.sentences) == 1 and b.sentences[0].text == block
        if b.kind == "item":
            assert b.marker and block.startswith(b.marker)
        else:
            assert b.marker == ""
        covered = set()
        prev = b.start
        for s in b.sentences:
            assert s.id == sid
            sid += 1
            assert s.text == a.text[s.start : s.end]
            assert s.text == s.text.strip() and s.text
            assert prev <= s.start < s.end <= b.end
            prev = s.end
            covered.update(range(s.start, s.end))
        assert all(i in covered for i in range(b.start, b.end) if not a.text[i].isspace())
    assert a.sentence_count() == sid
    assert a.title and "\n" not in a.title


def accounted(a: Article) -> None:
    """Each non-blank line of the original is the title, part of the byline, body text, or in
    removed."""
    removed = [norm(r) for r in a.removed]
    for line in a.original.split("\n"):
        t = norm(line)
        if not t:
            continue
        assert (
            t == a.title
            # a byline line: what it says, relative dates and reading times left out
            or (a.byline and (_compose_byline([t]) or "\0") in a.byline)
            or split_restoring(t)[0] in a.text
            or t in removed
            or any(t in r for r in removed)  # joined hard-wrapped lines
        ), t


# --- the seeds ------------------------------------------------------------------------------

CHROME = [
    "Smiley face",
    "Live Markets",
    "Criminal logo",
    "Sign in to comment",
    "Privacy Policy",
    "Terms of Use",
    "About the Creator",
    "Reader insights",
    "Find us on social media",
    "Miscellaneous links",
    "I appreciate your insightful analysis",
    "highly successful content writer",
    "Anu Mehjabin",
    "reviewinvestigationinnocenceguilty",
    "North KoreaNorth Korea-Russia",
    "Creatd",
    "All Rights Reserved",
    "Post a Comment",
    "To Top",
    "Share.",
    "Related",
]
# Long prose that is not the article: the author box and a reader comment.
NOT_ARTICLE = ["I’m a highly successful content writer", "I appreciate your insightful analysis"]


def test_every_prose_line_is_kept(seeds):
    for a in seeds.values():
        for line in a.original.split("\n"):
            t = norm(line)
            prose = len(t.split()) >= 20 and t.rstrip('”"')[-1:] in ".!?:"
            if not prose or any(t.startswith(x) for x in NOT_ARTICLE):
                continue
            assert split_restoring(t)[0] in a.text, (a.id, t[:80])  # glued sentences spaced


def test_no_chrome_in_text(seeds):
    for a in seeds.values():
        for phrase in CHROME:
            assert phrase not in a.text, (a.id, phrase)
        assert not re.search(r"\bcomments?\b", a.text, re.I), a.id
        assert not re.search(r"\bcomments?\b", a.title, re.I), a.id


def test_structure_and_accounting(seeds):
    for a in seeds.values():
        check_structure(a)
        accounted(a)
        assert a.blocks and a.sentence_count() >= 20


def test_000_derived_title_and_chrome(seeds):
    a = seeds["000"]
    assert a.title_derived
    assert a.title.startswith("North Korea’s purported involvement")
    assert len(a.title) <= 81 and a.title.endswith("…")
    assert a.byline is None
    assert [norm(r) for r in a.removed] == ["Smiley face", "Weather Live Markets", "Share."]
    assert a.text.startswith("North Korea’s purported involvement")
    assert "“axis of autocracies,”" in a.text  # curly quotes kept


def test_001_headings_and_items(seeds):
    a = seeds["001"]
    assert not a.title_derived
    assert a.title == "Unleashing the Power of North Korea’s Arms Sales to Russia"
    headings = [a.text[b.start : b.end] for b in a.blocks if b.kind == "heading"]
    assert headings == [
        "The shadowy trade",
        "The Motivations",
        "The scope of the trade",
        "The Implications",
        "Potential Consequences",
    ]
    items = [b for b in a.blocks if b.kind == "item"]
    assert len(items) == 16
    assert {b.marker for b in items} == {"1.", "2.", "3.", "4.", "5.", "•"}
    first = items[0]
    assert a.text[first.start : first.end].startswith("1. Economic Survival:")
    # the marker stays with its sentence
    assert first.sentences[0].text.startswith("1. Economic Survival:")
    assert len(first.sentences) == 3
    bullet = next(b for b in items if b.marker == "•")
    assert bullet.sentences[0].text.startswith("• Conventional Weapons:")
    assert len(bullet.sentences) == 2
    assert a.removed == [
        "Geopolitical Shifts:North KoreaNorth Korea-RussiaNorth Korea-Russia armsNorth Korea-"
        "Russia arms tradePotential ConsequencesRussiaThe ImplicationsThe MotivationsThe scope "
        "of the tradeThe shadowy tradeUnleashing the Power of North Korea's Arms Sales to Russia"
    ]


def test_002_mojibake_title_byline_footer(seeds):
    a = seeds["002"]
    assert a.title.startswith("North Korea's Weapon Supply to Russia: Escalating Tensions")
    assert not GREEK.search(a.title)
    assert a.title.endswith(("\U0001f1f0\U0001f1f5\U0001fa96", "East Asia"))
    assert a.byline and a.byline.startswith("By Rakindu Perera")
    assert "β€’" not in a.byline and not GREEK.search(a.byline)
    # "Published 7 months ago ‒ 3 min read" is no part of a citation: left out
    assert a.byline == "By Rakindu Perera"
    assert "Β©" not in a.original and "© 2024 Creatd, Inc. All Rights Reserved." in a.removed
    kinds = [b.kind for b in a.blocks]
    assert kinds == ["heading", "paragraph"]
    texts = [s.text for s in a.sentences]
    assert any(t.endswith("South Korea, Japan and the United States.") for t in texts)
    assert any(t.startswith("In conclusion, while arms deals") for t in texts)
    assert texts[-1].startswith("Regional stability demands cooperation")
    assert len(a.blocks[1].sentences) >= 35
    assert "1" in a.removed and "Rakindu Perera" in a.removed


def test_003_byline_and_comment_footer(seeds):
    a = seeds["003"]
    assert a.title.startswith("The risks associated with an agreement")
    assert a.byline == "By Manoj, ICCBizNews"
    assert a.removed == ["Post a Comment", "0 Comments", "Post a Comment (0)", "To Top"]
    assert a.text.startswith("It resembled a scene from the Cold War.")
    assert a.text.endswith("under its nuclear umbrella.")


def test_004_abbreviations(seeds):
    a = seeds["004"]
    assert a.title == "North Korean-Russian Ties Deepen Over Ukraine, U.S. Sanctions"
    assert a.removed == ["\u00a0", "Related"]
    texts = [s.text for s in a.sentences]
    assert not any(t.endswith("Iran-Russia-D.") for t in texts)
    assert any("Iran-Russia-D.P.R.K. Axis or B.R.I.C.S. have lessened" in t for t in texts)
    assert any(t.startswith("Fighting in Ukraine has a daily cost of about 6,000") for t in texts)
    i = next(i for i, t in enumerate(texts) if t.endswith("increasing share of global G.D.P."))
    assert texts[i + 1].startswith("The rise of conflicts")
    i = next(i for i, t in enumerate(texts) if t.endswith("by Vladimir Putin to the D.P.R.K."))
    assert texts[i + 1].startswith("These high-level diplomatic meetings")


def test_json_round_trip(seeds):
    for a in seeds.values():
        b = Article.from_json(a.to_json(), a.text, a.original)
        assert b.blocks == a.blocks and b.title == a.title and b.removed == a.removed


# --- made-up pages ---------------------------------------------------------------------------

NEWS_PAGE = """Skip to main content
Home | World | Politics | Business | Tech
Subscribe
Search

Floods Force Thousands From Homes in River Valley

By Jane Doe and Sam Lee
Updated March 3, 2024, 10:42 AM

Share this article
Facebook
Twitter
Email

Heavy rain over the weekend pushed the river over its banks, forcing more than 4,000 people \
from their homes. Officials said the water was expected to peak on Tuesday at 3.5 metres above \
normal.

Advertisement

Emergency crews worked through the night to shore up levees near the town of Millbrook. "We \
have never seen it rise this fast," said the mayor, Ana Ruiz.

What happens next

Forecasters expect drier weather by Thursday. The U.S. Army Corps of Engineers said it would \
inspect the levees once the water recedes.

Tags: floods, weather, Millbrook

Comments (12)

Janet K. 2 hours ago
I live two streets from the river and honestly the response has been slow. Nobody told us \
anything until the water was already in the garage, and the shelters were full by midnight.

Reply

Bob1987
Stay safe everyone, and thank you to all the volunteers who came out to help us last night.

© 2023 Example Media. All rights reserved.
Privacy Policy | Terms of Use | Cookie Settings
"""

BLOG_PAGE = """We use cookies to improve your experience on our site. By continuing to browse, you \
agree to our use of cookies.
Accept all cookies
Menu

The Quiet Return of the Night Train

Posted on 12 May 2023 by Tom Hart · 6 min read

Night trains are coming back across Europe. After decades of closures, operators are adding \
sleeper routes between major cities, and many of them are selling out weeks in advance.

Why travellers are choosing rail
  • Lower emissions: A sleeper train emits a fraction of the carbon of a short-haul flight.
  • Arriving rested: Passengers board in the evening and wake up in the city centre.
  • Price: Tickets can be cheaper than a flight plus a hotel night.

There are still problems. Cross-border ticketing is complicated, and rolling stock is scarce.

trainstravelEuropesleeper trainsRailwaysNightjet
Related Posts
The Best Scenic Rail Routes
Interchange Stations Explained
Follow us on Instagram
Newsletter
"""

WRAPPED_PAGE = """Local Library Opens New Reading Room for Teens
By Maria Gomez | June 4, 2023

The city library opened a new reading room for teenagers on Saturday, the
first major change to the building since it was renovated in 1998. The room
has space for forty readers and a small stage for poetry nights.

Librarians said the idea came from students themselves, who asked for a quiet
place to study after school that was not a classroom.

"We wanted somewhere that felt like ours," said Leo Park, 16.

Share on Facebook
Share on X

About the author
Maria Gomez covers education and culture for the Daily Ledger. She has worked as a reporter for \
ten years.

Leave a comment
"""


def test_news_page():
    a = clean_article(NEWS_PAGE, "news")
    check_structure(a)
    accounted(a)
    assert a.title == "Floods Force Thousands From Homes in River Valley"
    assert not a.title_derived
    assert a.byline == "By Jane Doe and Sam Lee · Updated March 3, 2024, 10:42 AM"
    assert [b.kind for b in a.blocks] == ["paragraph", "paragraph", "heading", "paragraph"]
    assert a.text.startswith("Heavy rain over the weekend")
    assert a.text.endswith("once the water recedes.")
    for chrome in [
        "Skip to main content",
        "Subscribe",
        "Share this article",
        "Facebook",
        "Advertisement",
        "Tags:",
        "Janet K.",
        "I live two streets",
        "Stay safe everyone",
        "Example Media",
        "Privacy Policy",
    ]:
        assert chrome not in a.text
        assert any(chrome in r for r in a.removed), chrome
    assert not re.search(r"\bcomments?\b", a.text, re.I)
    texts = [s.text for s in a.sentences]
    assert (
        "Officials said the water was expected to peak on Tuesday at 3.5 metres above normal."
        in texts
    )
    assert texts[-1] == (
        "The U.S. Army Corps of Engineers said it would inspect the levees once the water recedes."
    )


def test_blog_page_with_cookie_banner_and_tags():
    a = clean_article(BLOG_PAGE, "blog")
    check_structure(a)
    accounted(a)
    assert a.title == "The Quiet Return of the Night Train"
    assert a.byline == "Posted on 12 May 2023 by Tom Hart"  # "6 min read" is not cited
    kinds = [b.kind for b in a.blocks]
    assert kinds == ["paragraph", "heading", "item", "item", "item", "paragraph"]
    assert [b.marker for b in a.blocks if b.kind == "item"] == ["•", "•", "•"]
    assert "cookies" not in a.text and "Accept all cookies" in a.removed
    assert "trainstravelEuropesleeper trainsRailwaysNightjet" in a.removed
    assert "The Best Scenic Rail Routes" in a.removed and "Newsletter" in a.removed
    assert a.text.endswith("rolling stock is scarce.")


def test_hard_wrapped_page_with_author_box():
    a = clean_article(WRAPPED_PAGE, "wrapped")
    check_structure(a)
    accounted(a)
    assert a.title == "Local Library Opens New Reading Room for Teens"
    assert a.byline == "By Maria Gomez | June 4, 2023"
    assert len(a.blocks) == 3
    first = a.text[a.blocks[0].start : a.blocks[0].end]
    assert first.startswith("The city library opened") and first.endswith("poetry nights.")
    assert [s.text for s in a.blocks[0].sentences][1] == (
        "The room has space for forty readers and a small stage for poetry nights."
    )
    assert "Share on Facebook" in a.removed and "About the author" in a.removed
    assert "Maria Gomez covers education" not in a.text
    assert "Leave a comment" in a.removed


def test_no_title_line_gives_derived_title():
    a = clean_article(
        "Menu\n\nThe council voted on Monday to close the old bridge. Repairs will take a year.\n",
        "x",
    )
    assert a.title_derived
    assert a.title == "The council voted on Monday to close the old bridge"
    assert a.removed == ["Menu"]


def test_comments_before_the_body_do_not_end_it():
    page = (
        "A Headline About Markets Today\n\nBy Ann Lee\n3 Comments\n\n"
        "Stocks rose sharply on Friday as investors welcomed new figures on inflation. "
        "Analysts said the rally could continue.\n\n"
        "Bond yields fell at the same time, reaching their lowest level in three months.\n"
    )
    a = clean_article(page, "x")
    assert a.title == "A Headline About Markets Today"
    assert "3 Comments" in a.removed
    assert len(a.blocks) == 2


def test_related_box_mid_article_then_comments():
    resumed = (
        "The inquiry continues next month, when ministers are expected to give evidence about "
        "the decisions taken in the first weeks, and lawyers for the families have asked for "
        "every message sent at the time to be published in full."
    )
    page = (
        "Inquiry Hears From Families of Victims\n\nBy A. Reporter\n\n"
        "Families told the inquiry on Monday that they had waited years for answers.\n\n"
        "Related\nMinisters Face Questions Over Delays\n"
        "A short teaser about another story that ends with a stop.\n\n"
        f"{resumed}\n\n"
        "Comments\n\nReaderOne\n"
        "This is a long reader comment that goes on and on about the inquiry and about how the "
        "government has handled everything so far, and it should never be part of the article.\n"
    )
    a = clean_article(page, "x")
    check_structure(a)
    assert a.byline == "By A. Reporter"
    assert [a.text[b.start : b.end] for b in a.blocks] == [
        "Families told the inquiry on Monday that they had waited years for answers.",
        resumed,
    ]
    assert a.removed[:3] == [
        "Related",
        "Ministers Face Questions Over Delays",
        "A short teaser about another story that ends with a stop.",
    ]
    assert "long reader comment" in a.removed[-1]


@pytest.mark.parametrize(
    ("raw", "title", "text"),
    [
        ("Title line\n\nZeppelins everywhere.\n", "Title line", "Zeppelins everywhere."),
        (
            "Late title\n\nA late article about drones.\n",
            "Late title",
            "A late article about drones.",
        ),
        (
            "Evil [bold]title[/bold]\n\n"
            "The [red]shells[/] arrived \x1b[31mred\x1b[0m with a bell\x07.\n",
            "Evil [bold]title[/bold]",
            "The [red]shells[/] arrived red with a bell.",
        ),
    ],
)
def test_very_short_articles(raw, title, text):
    a = clean_article(raw, "short")
    check_structure(a)
    assert (a.title, a.title_derived, a.text, a.removed) == (title, False, text, [])


def test_odd_inputs_do_not_raise():
    odd = ["", "\n\n", "x", "1", "Share.", "© 2024", "\u00a0\n\u00a0", "• a\n• b", "Title\nBy X"]
    for raw in odd:
        a = clean_article(raw, "odd")
        check_structure(a)


# --- decoding and repair ---------------------------------------------------------------------


def test_decode_utf8_with_and_without_bom():
    assert decode_bytes("naïve “x”\r\ny\rz".encode()) == ("naïve “x”\ny\nz", [])
    assert decode_bytes(b"\xef\xbb\xbfhello") == ("hello", [])


def test_decode_utf16_with_bom():
    for codec in ("utf-16", "utf-16-be"):
        data = "héllo — wörld\r\n".encode(codec)
        if codec == "utf-16-be":
            data = b"\xfe\xff" + data
        assert decode_bytes(data) == ("héllo — wörld\n", [])


def test_decode_fallbacks_warn():
    text, warnings = decode_bytes("café “quoted”".encode("cp1252"))
    assert text == "café “quoted”"
    assert len(warnings) == 1 and "Windows-1252" in warnings[0]
    text, warnings = decode_bytes(b"a\x81b\xe9")  # 0x81 is undefined in Windows-1252
    assert text == "a\x81bé"
    assert "Latin-1" in warnings[0]


def test_repair_keeps_typography():
    s = "“Quoted” — it’s ‘fine’… and … stays."
    assert repair_text(s) == s


def test_repair_utf8_read_as_cp1252():
    assert repair_text("itâ€™s cafÃ© â€œhiâ€\x9d") == "it’s café “hi”"


def test_repair_greek_codepage_mojibake():
    assert repair_text("East Asia πŸ‡°πŸ‡΅πŸͺ–") == "East Asia \U0001f1f0\U0001f1f5\U0001fa96"
    assert repair_text("Name β€’ 3 min read") == "Name \u2012 3 min read"
    assert repair_text("Β© 2024 Someone") == "© 2024 Someone"
    assert repair_text("Ξ‘ΞΈΞ®Ξ½Ξ±") == "Αθήνα"


def test_repair_drops_undecodable_mojibake():
    out = repair_text("Tensions πŸ‡ rise")  # a truncated emoji: nothing to recover
    assert not GREEK.search(out) and "Tensions" in out and "rise" in out


def test_real_greek_and_cyrillic_survive():
    for s in [
        "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας. «Καλημέρα», είπε ο Γιώργος — απ’ το σπίτι.",
        "ΑΘΗΝΑ ΆΝΟΙΞΕ Ο Π€ΡΙΠΑΤΟΣ",
        "Привет, мир! Это тест — «ёлка» №5, 10 €.",
    ]:
        assert repair_text(s) == s


def test_repair_cyrillic_codepage_mojibake():
    assert repair_text("Привет мир".encode().decode("cp1251")) == "Привет мир"


# --- files -------------------------------------------------------------------------------------


def test_load_article_errors(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b" \n\t\r\n\xc2\xa0\n")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    noisy = tmp_path / "noisy.bin"
    noisy.write_bytes(bytes(range(1, 32)) * 20)
    for path in (empty, blank, binary, noisy):
        with pytest.raises(ValueError, match=re.escape(path.name)):
            load_article(path)


def test_load_article_records_decode_warning(tmp_path):
    p = tmp_path / "legacy.txt"
    text = "A Title For The Old File\n\nIt was a café in the old town, the owner said.\n"
    p.write_bytes(text.encode("cp1252"))
    a = load_article(p)
    assert a.id == "legacy" and a.path == str(p)
    assert a.warnings and "Windows-1252" in a.warnings[0]
    assert "café" in a.text
    b = load_article(p, "custom-id")
    assert b.id == "custom-id"


# --- properties --------------------------------------------------------------------------------

_SEED_LINES = sorted(
    {line for p in SEED_FILES for line in p.read_text("utf-8").split("\n")}, key=len
)[:200]
_LINES = st.one_of(
    st.sampled_from(_SEED_LINES),
    st.sampled_from(["", "Comments (2)", "Share.", "• item", "1. First", "By A Person", "© 20 X"]),
    st.text(max_size=60),
)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_clean_never_raises_on_arbitrary_text(raw):
    check_structure(clean_article(raw, "prop"))


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINES, max_size=25).map("\n".join))
def test_clean_never_raises_on_page_like_text(raw):
    a = clean_article(raw, "prop")
    check_structure(a)
