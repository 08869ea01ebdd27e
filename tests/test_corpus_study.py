"""Studying the library: the statistics by hand, concordance, spread, collocates, keywords, names."""

from __future__ import annotations

import json
import math
import re
import shutil

import pytest
from articles import make_article
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossator.index import corpus as corpus_mod
from glossator.index import stats
from glossator.index.corpus import word_key
from glossator.index.library import Library
from glossator.index.namelist import names
from glossator.index.paths import seeds_dir
from glossator.index.study import (
    Cancelled,
    StudyError,
    collocates,
    keywords,
    kwic,
    kwic_first,
    spread,
)
from glossator.tui.cli import main

# -- the statistics, by hand ------------------------------------------------------------------


def test_log_likelihood_of_a_table_by_hand():
    # 2x2 table 10 | 20 / 30 | 940: E11 = 30*40/1000 = 1.2, E12 = 28.8, E21 = 38.8, E22 = 931.2
    expected = 2 * (
        10 * math.log(10 / 1.2)
        + 20 * math.log(20 / 28.8)
        + 30 * math.log(30 / 38.8)
        + 940 * math.log(940 / 931.2)
    )
    assert stats.log_likelihood(10, 20, 30, 940) == pytest.approx(expected)
    assert stats.log_likelihood(0, 0, 5, 5) == 0.0  # an empty margin


def test_collocation_measures_by_hand():
    # a collocate seen 8 times in windows of 150 words, 9 times in a library of 3,524
    e11 = 150 * 9 / 3524
    assert stats.pmi(8, 150, 9, 3524) == pytest.approx(math.log2(8 / e11))
    assert stats.t_score(8, 150, 9, 3524) == pytest.approx((8 - e11) / math.sqrt(8))
    ll = stats.collocation(8, 150, 9, 3524, "ll")
    assert ll == pytest.approx(stats.log_likelihood(8, 142, 1, 3524 - 150 - 1))
    assert stats.collocation(0, 150, 9, 3524, "ll") < 0  # rarer near the node than elsewhere
    with pytest.raises(ValueError):
        stats.collocation(1, 2, 3, 4, "dice")


def test_keyness_and_log_ratio_by_hand():
    # 19 times in 743 words, never in the other 2,781
    e1, e2 = 743 * 19 / 3524, 2781 * 19 / 3524
    assert stats.keyness(19, 0, 743, 2781) == pytest.approx(2 * 19 * math.log(19 / e1))
    assert stats.keyness(1, 50, 100, 1000) < 0  # rarer in the target
    assert stats.log_ratio(19, 0, 743, 2781) == pytest.approx(math.log2((19 / 743) / (0.5 / 2781)))
    assert stats.log_ratio(4, 2, 100, 100) == pytest.approx(1.0)  # twice as frequent
    assert e2 > 0


def test_dp_is_zero_for_even_and_near_one_for_bunched():
    assert stats.dp([1, 1, 1, 1], [10, 10, 10, 10]) == 0.0
    assert stats.dp([4, 0, 0, 0], [10, 10, 10, 10]) == pytest.approx(0.75)
    assert stats.dp([], []) == 0.0


def test_word_keys():
    assert word_key("Shells") == "shells"
    assert word_key("Korea’s") == "korea"
    assert word_key("D.P.R.K") == word_key("DPRK") == "DPRK"
    assert word_key("US") == "US" and word_key("us") == "us"


# -- a tiny library, counted by hand ----------------------------------------------------------


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny")
    texts = {
        "a": "Harbour\n\nThe ferry left the harbour. The ferry came back to the harbour.",
        "b": "River\n\nA barge went down the river. The ferry never came.",
    }
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text + "\n", "utf-8")
    library = Library(folder, cache=tmp_path_factory.mktemp("tiny-cache"))
    library.update()
    yield library
    library.close()


def test_collocates_counted_by_hand(tiny):
    # ferry occurs 3 times; within 1 word: "The ferry left", "The ferry came", "The ferry never"
    result = collocates(tiny, "ferry", window=1, min_count=1, stopwords=True, limit=None)
    assert result.occurrences == 3
    assert result.window_words == 6
    assert result.library_words == 22  # 12 + 10 words (titles are not in the text)
    found = {c.word: c for c in result.collocates}
    assert (found["came"].joint, found["came"].right, found["came"].frequency) == (1, 1, 2)
    assert found["the"].joint == 3 and found["the"].left == 3
    the = found["the"]
    assert the.score == pytest.approx(stats.collocation(3, 6, the.frequency, 22, "ll"))


def test_a_word_in_two_windows_is_counted_once(tmp_path):
    # "fire" sits between two occurrences of "guns": near it once, as often as it occurs
    (tmp_path / "g.txt").write_text("Guns\n\nGuns fire guns and guns. Dogs bark.\n", "utf-8")
    library = Library(tmp_path, cache=tmp_path / "cache")
    library.update()
    try:
        result = collocates(library, "guns", window=1, min_count=1, stopwords=True, limit=None)
        found = {c.word: c for c in result.collocates}
        assert (found["fire"].joint, found["fire"].left, found["fire"].right) == (1, 1, 0)
        assert (found["and"].joint, found["and"].left) == (1, 1)
        assert "guns" not in found  # the term's own words are not its company
        assert all(c.joint <= c.frequency for c in result.collocates)
        assert result.window_words == 3  # fire, and, dogs
    finally:
        library.close()


def test_keywords_counted_by_hand(tiny):
    result = keywords(tiny, article_id="a", min_count=2, stopwords=False)
    top = {k.word: k for k in result.keywords}
    assert set(top) == {"harbour", "ferry"}  # twice each in a; "ferry" once in b
    assert (result.target_words, result.reference_words) == (12, 10)
    h = top["harbour"]
    assert (h.count, h.reference) == (2, 0)
    assert h.ll == pytest.approx(stats.keyness(2, 0, 12, 10))
    assert result.keywords[0].word == "harbour"  # never elsewhere: more distinctive than ferry


def test_spread_counted_by_hand(tiny):
    result = spread(tiny, "harbour")
    [row] = result.articles
    assert (row["article_id"], row["count"], row["words"]) == ("a", 2, 12)
    assert row["per_1000_words"] == pytest.approx(1000 * 2 / 12, abs=1e-3)
    text = tiny.article("a").text
    assert row["positions"] == [
        round(m.start() / len(text), 4) for m in re.finditer("harbour", text)
    ]


def test_studies_can_be_cancelled(tiny):
    for call in (
        lambda c: kwic(tiny, "ferry", cancelled=c),
        lambda c: spread(tiny, "ferry", cancelled=c),
        lambda c: collocates(tiny, "ferry", cancelled=c),
        lambda c: keywords(tiny, article_id="a", cancelled=c),
        lambda c: names(tiny, cancelled=c),
    ):
        with pytest.raises(Cancelled):
            call(lambda: True)


def test_unusable_requests_say_why(tiny):
    with pytest.raises(StudyError, match="unusable query"):
        kwic(tiny, "AND")
    with pytest.raises(StudyError, match="unknown sort"):
        kwic(tiny, "ferry", sort="L4")
    with pytest.raises(StudyError, match="no article"):
        keywords(tiny, article_id="zzz")
    with pytest.raises(StudyError, match="no theme"):
        keywords(tiny, theme="Nothing like it")


# -- the seeds --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    library = Library(None, cache=tmp_path_factory.mktemp("seed-cache"))
    library.update()
    yield library
    library.close()


def highlights(library, text):
    return sum(len(h.highlights) for h in library.search(text).hits)


def test_kwic_artillery_gives_all_fifteen(seeds):
    result = kwic(seeds, "artillery")
    assert result.total == 15 == highlights(seeds, "artillery")
    assert all(line.match.lower() == "artillery" for line in result.lines)
    assert all(line.sentence_id >= 0 for line in result.lines)


def test_words_typed_side_by_side_are_one_match_where_they_stand_so(seeds):
    result = kwic(seeds, "Kim Jong Un")
    assert [line.match for line in result.lines] == ["Kim Jong-un", "Kim Jong Un"]
    assert result.total == 2 == highlights(seeds, "Kim Jong Un") == spread(seeds, "Kim Jong Un").total
    # in another order than typed, or apart, each word is its own match
    backwards = kwic(seeds, "Un Jong Kim")
    assert sorted(line.match for line in backwards.lines) == sorted(
        ["Kim", "Jong", "un", "Kim", "Jong", "Un"]
    )


def _word_left(line, k):
    words = re.findall(r"\w+(?:[.'’]\w+)*", line.left)
    return word_key(words[-k]).casefold() if len(words) >= k else None


def _word_right(line, k):
    words = re.findall(r"\w+(?:[.'’]\w+)*", line.right)
    return word_key(words[k - 1]).casefold() if len(words) >= k else None


@pytest.mark.parametrize("sort", ["L1", "L2", "R1", "R2", "R3"])
def test_sorted_orders_are_right(seeds, sort):
    result = kwic(seeds, "artillery", sort=sort, context=400)  # the whole sentence either side
    k = int(sort[1])
    keys = [(_word_left if sort[0] == "L" else _word_right)(line, k) for line in result.lines]
    present = [key for key in keys if key is not None]
    assert present == sorted(present)
    assert keys[: len(present)] == present  # lines without such a word come last
    article = kwic(seeds, "artillery")
    place = {(l.article_id, l.start): i for i, l in enumerate(article.lines)}
    for a, b, ka, kb in zip(result.lines, result.lines[1:], keys, keys[1:], strict=False):
        if ka == kb:  # ties keep article order
            assert place[(a.article_id, a.start)] < place[(b.article_id, b.start)]


@pytest.mark.parametrize(
    "query", ["Korea", "D.P.R.K.", "Kim Jong Un", '"artillery shells"', "nuc*", "sanctions OR China"]
)
def test_kwic_and_spread_count_what_search_highlights(seeds, query):
    total = highlights(seeds, query)
    assert kwic(seeds, query).total == total
    assert spread(seeds, query).total == total


@pytest.mark.parametrize("query", ["artillery", "Russia", "Kim Jong Un", "nuc*", "zeppelin"])
def test_kwic_first_is_the_start_of_the_whole_concordance(seeds, query):
    """What the app shows first: the concordance's first lines in article order, filled."""
    whole = kwic(seeds, query, context=30)
    for limit in (1, 10, 200):
        first = kwic_first(seeds, query, context=30, limit=limit)
        shown = min(limit, whole.total)
        assert [(x.article_id, x.start) for x in first.lines] == [
            (x.article_id, x.start) for x in whole.lines[:shown]
        ]
        assert all(line.filled for line in first.lines)
        assert [line.left for line in first.lines] == [line.left for line in whole.fill(0, shown)]
        assert first.complete == (whole.total <= limit)


def test_kwic_near_keeps_the_lines_with_the_word_close(seeds):
    near = kwic(seeds, "artillery", near="shells", window=1)
    assert near.total == 8  # "artillery shells", each right after
    wide = kwic(seeds, "artillery", near="shells", context=80)
    assert wide.total >= near.total
    assert all("shells" in (x.left + x.right).lower() for x in wide.fill())
    assert kwic(seeds, "artillery", near="zeppelin").total == 0


def test_spread_sentences_and_keywords_of_a_query(seeds):
    result = spread(seeds, "artillery")
    for row in result.articles:
        assert len(result.sentences[row["article_id"]]) == row["count"]
    lines = kwic(seeds, "artillery").lines
    assert sorted(result.sentences) == sorted({x.article_id for x in lines})
    found = keywords(seeds, query="artillery")
    assert [k.word for k in found.keywords[:2]] == ["artillery", "shells"]
    assert found.target == "query artillery"
    with pytest.raises(StudyError):
        keywords(seeds, "001", query="artillery")


def test_dprk_concordance_finds_the_dprk_sentences(seeds):
    lines = kwic(seeds, "DPRK").lines
    assert sum(line.match == "D.P.R.K" for line in lines) == 19
    # the alias (seeds/themes.toml) brings North Korea with it (the long form the text defines
    # joins the name in Names, whose query holds it, not every search)
    assert {line.match for line in lines} >= {"D.P.R.K", "North Korea"}


def test_collocates_of_artillery_on_the_seeds(seeds):
    result = collocates(seeds, "artillery")
    top = [c.word for c in result.collocates[:3]]
    assert top[0] == "shells"
    shells = result.collocates[0]
    assert shells.joint == 8 == highlights(seeds, '"artillery shells"') // 1  # "artillery shells"
    assert shells.right == 8 and shells.left == 0
    assert "ammunition" in top
    assert result.to_json()["measure_name"] == "log-likelihood (G²)"
    assert collocates(seeds, "artillery", measure="pmi").measure == "pmi"


def test_keywords_of_the_dprk_article(seeds):
    result = keywords(seeds, article_id="004_c793960b10bc7080")
    assert result.keywords[0].word == "DPRK"
    assert result.keywords[0].count == 19 and result.keywords[0].reference == 0
    theme = keywords(seeds, theme="Sanctions")
    assert theme.target.startswith("theme") and theme.keywords


def test_names_lists_the_leaders_and_countries(seeds):
    found = {n.name: n for n in names(seeds).names}
    kim, putin = found["Kim Jong Un"], found["Vladimir Putin"]
    assert kim.kind == putin.kind == "person"
    assert set(kim.forms) == {"Kim", "Kim Jong Un", "Kim Jong-un"}
    assert kim.articles == {"002_a8f73c392072a641": 1, "003_7bc04937f6158212": 4,
                            "004_c793960b10bc7080": 1}  # fmt: skip
    assert putin.mentions == 5
    for person in ("Sergey Lavrov", "Sergey Shoygu", "Choe Son Hui"):
        assert found[person].kind == "person"
    for country in ("Russia", "Ukraine", "China", "Japan", "South Korea", "North Korea"):
        assert found[country].kind == "place", country
    # a name never part of a longer one: its mentions are its concordance
    for country in ("China", "Japan"):
        assert found[country].mentions == kwic(seeds, country).total
    # the acronym's long form is found in the text; the alias in themes.toml joins North Korea
    korea = found["North Korea"]
    assert {"D.P.R.K.", "Democratic People’s Republic of Korea"} <= set(korea.forms)
    assert "Russian" not in found and "Foreign Minister" not in found


def test_names_are_stored_with_the_index(seeds, monkeypatch):
    from glossator.index import namelist

    names(seeds)
    monkeypatch.setattr(namelist, "_compute", lambda *a: pytest.fail("recomputed"))
    assert names(seeds).names


def test_user_aliases_join_names(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    for src in sorted(seeds_dir().glob("*.txt")):
        shutil.copyfile(src, folder / src.name)
    library = Library(folder)
    library.update()
    from glossator.index.themes import user_themes_path

    path = user_themes_path(library)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": 1, "themes": [], "aliases": {"Moscow": ["Kremlin", "Russia"]}}))
    found = {n.name: n for n in names(library).names}
    assert "Russia" not in found and found["Moscow"].mentions > 60
    library.close()


def test_a_lost_store_is_made_again_from_the_index(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "a.txt").write_text("Harbour\n\nThe ferry left the harbour.\n", "utf-8")
    library = Library(folder)
    library.update()
    shutil.rmtree(corpus_mod.study_dir(library.index_dir))
    corpus_mod._cache.clear()
    assert kwic(library, "harbour", sort="L1").total == 1
    assert (corpus_mod.study_dir(library.index_dir) / "store.json").exists()
    library.close()


# -- properties -------------------------------------------------------------------------------

VOCABULARY = ["harbour", "ferry", "diesel", "boats", "quay", "winter", "cannery", "Prices"]


@pytest.fixture(scope="module")
def random_library(tmp_path_factory):
    import random

    rng = random.Random(11)
    folder = tmp_path_factory.mktemp("random")
    for i in range(12):
        sentences = [
            " ".join(rng.choices(VOCABULARY, k=rng.randint(2, 9))).capitalize() + "."
            for _ in range(rng.randint(2, 8))
        ]
        (folder / f"a{i:02d}.txt").write_text(f"Article {i}\n\n" + " ".join(sentences) + "\n")
    library = Library(folder, cache=tmp_path_factory.mktemp("random-cache"))
    library.update()
    yield library
    library.close()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=2, unique=True),
    st.sampled_from(["article", "L1", "R1", "L2", "R3"]),
    st.integers(0, 30),
)
def test_kwic_lines_are_the_sentence_around_the_match(random_library, words, sort, context):
    query = " ".join(words)
    result = kwic(random_library, query, sort=sort, context=context)
    assert result.total == highlights(random_library, query)
    for line in result.lines:
        article = random_library.article(line.article_id)
        s = article.sentences[line.sentence_id]
        assert line.match == article.text[line.start : line.end]
        around = article.text[line.start - len(line.left) : line.end + len(line.right)]
        assert line.left + line.match + line.right == around
        assert s.start <= line.start - len(line.left) and line.end + len(line.right) <= s.end
        assert len(line.left) <= context and len(line.right) <= context


# -- the command line -------------------------------------------------------------------------


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_study_commands(capsys, seeds, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(seeds.index_dir.parent.parent.parent))
    code, out, _ = run(capsys, "kwic", "artillery", "--sort", "R1", "--json")
    data = json.loads(out)
    assert code == 0 and data["total"] == 15 and len(data["lines"]) == 15
    line = data["lines"][0]
    assert set(line) >= {"article_id", "sentence", "left", "match", "right", "start", "end"}
    assert line["sentence"] >= 1
    code, out, _ = run(capsys, "kwic", "artillery", "--limit", "3")
    assert code == 0 and out.count("artillery") == 3
    code, out, _ = run(capsys, "spread", "artillery", "--json")
    data = json.loads(out)
    assert sum(a["count"] for a in data["articles"]) == 15
    assert all(0 <= p <= 1 for a in data["articles"] for p in a["positions"])
    code, out, _ = run(capsys, "spread", "--theme", "Sanctions")
    assert code == 0 and "per 1,000" in out
    code, out, _ = run(capsys, "collocates", "artillery", "--measure", "t")
    assert code == 0 and "t-score" in out and "shells" in out
    code, out, _ = run(capsys, "keywords", "004", "--json")
    assert json.loads(out)["keywords"][0]["word"] == "DPRK"
    code, out, _ = run(capsys, "names", "--json")
    assert any(n["name"] == "Vladimir Putin" for n in json.loads(out)["names"])
    code, out, _ = run(capsys, "names", "--kind", "person")
    assert "Kim Jong Un" in out and "Russia" not in out


def test_cli_study_errors_are_one_line(capsys, tiny, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tiny.index_dir.parent.parent.parent))
    for args in (
        ["kwic", "AND"],
        ["kwic", "ferry", "--limit", "0"],
        ["spread"],
        ["spread", "--theme", "No such theme"],
        ["collocates", "ferry", "--window", "0"],
        ["keywords"],
        ["keywords", "zzz"],
    ):
        code, out, err = run(capsys, *args, "--library", str(tiny.folder))
        assert code != 0, args
        assert err.startswith("glossator: ") and err.count("\n") == 1, (args, err)
    assert make_article  # the shared builder stays importable here


def test_names_are_made_by_a_build_and_after_an_update_when_next_asked(tmp_path, monkeypatch):
    from glossator.index import namelist

    folder = tmp_path / "lib"
    folder.mkdir()
    for src in sorted(seeds_dir().glob("*.txt")):
        shutil.copyfile(src, folder / src.name)
    library = Library(folder, cache=tmp_path / "cache")
    computed = []
    real = namelist._compute
    monkeypatch.setattr(namelist, "_compute", lambda *a: computed.append(1) or real(*a))
    library.update()
    assert computed == [1]  # with the build
    names(library)
    assert computed == [1]  # kept
    changed = sorted(folder.glob("*.txt"))[0]
    changed.write_text(
        changed.read_text("utf-8") + "\n\nAmbassador Zorbulon Quaxley visited Zorbulon Quaxley.\n",
        "utf-8",
    )
    library.update()
    assert computed == [1]  # one article changed: not at the update
    found = {n.name: n for n in names(library).names}
    assert computed == [1, 1] and "Zorbulon Quaxley" in found  # when asked, with the change
    library.close()
