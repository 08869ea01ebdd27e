"""Hardening, issue 7: any string typed into search gives results or a one-line explanation,
never a traceback.

Property tests (hypothesis) feed generated queries to ``Library.search``, 2,000 per run in four
tests (700 short texts of any characters, 300 huge inputs, 500 runs of operators packed together,
500 queries of words and syntax), and 150 to the command line in-process, plus a dozen through a
real subprocess and ``python -m tui search``: control characters, unbalanced quotes and
brackets, lone operators, ``*``, ``~``, ``:``, field names, huge input.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from glossator.index.library import Library
from glossator.index.model import SearchResult
from glossator.tui.cli import main

ROOT = Path(__file__).resolve().parent.parent

API_EXAMPLES = 700 + 300 + 500 + 500  # the four API tests below
CLI_EXAMPLES = 150

# fmt: off
_TOKENS = [
    '"', "'", "(", ")", "[", "]", "{", "}", "<", ">", "*", "?", "~", "~2", "^", "^2", ":", "\\",
    "/", "-", "+", "!", "&", "|", "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "title:",
    "body:", "id:", "doc:", "nosuchfield:", "artillery", "shells", "korea", "north", "a", "the",
    "x*", "ar*", "artilery~", "*ery", "[a TO z]", "{a TO}", "\x00", "\x1b[31m", "\x07", "\u202e",
    "\ufffd", "\ud7ff", "é", "ß", "İ", "ﬁ", "北", "🇰🇵", " ", "\t", "\n", "\r", "\u00a0", "\u200b",
]
# fmt: on

short_text = st.one_of(
    st.text(max_size=80),  # any characters, controls included
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "P", "S"])),
)
huge_text = st.one_of(
    st.text(min_size=900, max_size=1200),  # around the length limit
    st.integers(min_value=1001, max_value=20_000).map(lambda n: "shells " * (n // 7 + 1)),
    st.lists(st.sampled_from(_TOKENS), min_size=100, max_size=400).map(" ".join),
)
spaced_syntax = st.one_of(
    st.lists(st.sampled_from(_TOKENS), max_size=12).map(" ".join),
    st.lists(
        st.one_of(st.sampled_from(_TOKENS), st.text(alphabet="abcdefgh*~:\"()'", max_size=6)),
        max_size=10,
    ).map(" ".join),
)
packed_syntax = st.lists(st.sampled_from(_TOKENS), max_size=20).map("".join)
queries = st.one_of(short_text, huge_text, spaced_syntax, packed_syntax)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> Library:
    library = Library(None, cache=tmp_path_factory.mktemp("query-cache"))
    library.update()
    return library


def check(result: SearchResult, query: str) -> None:
    assert isinstance(result, SearchResult)
    assert result.query == query
    if result.error is not None:
        assert isinstance(result.error, str) and result.error.strip()
        assert "\n" not in result.error and "Traceback" not in result.error
        assert result.hits == [] and result.total == 0
        return
    assert result.total == sum(n for _, _, n in result.articles)
    assert len(result.hits) <= result.total
    for hit in result.hits:
        for start, end in hit.highlights:
            assert 0 <= start < end <= len(hit.text)


def _api_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


_LIMITS = st.sampled_from([None, 1, 5])


@_api_settings(700)
@given(query=short_text, limit=_LIMITS)
def test_search_api_never_raises_on_any_short_text(seeds, query, limit):
    check(seeds.search(query, limit=limit), query)


@_api_settings(300)
@given(query=huge_text, limit=_LIMITS)
def test_search_api_never_raises_on_huge_input(seeds, query, limit):
    check(seeds.search(query, limit=limit), query)


@_api_settings(500)
@given(query=packed_syntax, limit=_LIMITS)
def test_search_api_never_raises_on_packed_operators(seeds, query, limit):
    check(seeds.search(query, limit=limit), query)


@_api_settings(500)
@given(query=spaced_syntax, limit=_LIMITS)
@example(query="", limit=None)
@example(query="*", limit=None)
@example(query='"', limit=None)
@example(query="(((", limit=None)
@example(query=")", limit=None)
@example(query="NOT", limit=None)
@example(query="NOT shells", limit=None)
@example(query="title:", limit=None)
@example(query=":", limit=None)
@example(query="~", limit=None)
@example(query="a~", limit=None)
@example(query="x" * 1001, limit=None)
@example(query="\x00", limit=None)
@example(query="shells" + "\x00" * 3, limit=1)
@example(query="[", limit=None)
@example(query="{a TO", limit=None)
@example(query="artillery^", limit=None)
@example(query="artillery^x", limit=None)
@example(query="artillery~x", limit=None)
@example(query="ar* OR a*", limit=1)
def test_search_api_never_raises_on_query_syntax(seeds, query, limit):
    check(seeds.search(query, limit=limit), query)


@settings(
    max_examples=CLI_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=queries, as_json=st.booleans())
def test_search_command_exits_0_1_or_2_without_traceback(capsys, seeds, query, as_json):
    argv = ["search", *(["--json"] if as_json else []), "--", query]
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse: a usage error
        status = exc.code
    out, err = capsys.readouterr()
    assert status in (0, 1, 2)
    assert "Traceback" not in out + err
    if status == 2:
        assert out == "" and err.startswith("glossator: ") and err.count("\n") == 1, err
    elif as_json:
        data = json.loads(out)
        assert data["total"] == sum(a["hits"] for a in data["articles"])
    else:
        assert out


NASTY = [
    '"unbalanced',
    "((artillery",
    "artillery)",
    "*",
    "~",
    ":",
    "title:",
    "NOT",
    "AND OR NOT",
    "\x1b[31mshells\x07",
    "\u202eshells",
    "shells " * 400,
    "-starts-with-a-dash",
]


def test_python_m_tui_search_with_nasty_queries(tmp_path):
    """Real processes, real pipes: the exit status is 0, 1 or 2 and nothing is a traceback."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    script = (
        "import sys, json\n"
        "from glossator.tui.cli import main\n"
        "codes = []\n"
        "for q in json.loads(sys.argv[1]):\n"
        "    try:\n"
        "        codes.append(main(['search', '--', q]))\n"
        "    except SystemExit as exc:\n"
        "        codes.append(exc.code)\n"
        "print('CODES', json.dumps(codes))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(NASTY)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    codes = json.loads(done.stdout.rsplit("CODES ", 1)[1])
    assert all(code in (0, 1, 2) for code in codes), codes
    # and the real entry point, argv and all, for a few of them
    for query in ('"unbalanced', "*", "\x1b[31mshells\x07"):
        one = subprocess.run(
            [sys.executable, "-m", "glossator", "search", query],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=120,
        )
        assert one.returncode in (0, 1, 2), one.stderr
        assert "Traceback" not in one.stderr + one.stdout
        assert "\x1b" not in one.stdout + one.stderr and "\x07" not in one.stdout + one.stderr


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("author:smith", "no field author: to search"),
        ("shells foo:bar", "no field foo: to search"),
        ("TITLE:korea", "fields are written in lower case: title:"),
        ("title:", "title: needs a word after it"),
        ("(title:)", "title: needs a word after it"),
    ],
)
def test_a_field_the_index_has_not_or_an_empty_one_is_said(seeds, query, said):
    result = seeds.search(query)
    assert result.error is not None and said in result.error and not result.hits


@pytest.mark.parametrize(
    "query", ["title:korea", "title:(korea OR russia)", "body:shells", '"author: korea"', "12:30"]
)
def test_fields_the_index_has_and_colons_in_quotes_or_numbers_are_searched(seeds, query):
    assert seeds.search(query).error is None
