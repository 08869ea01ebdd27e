"""Themes: the curated file, discovery from the index, user themes, and counting them all."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from glossator.index import themes
from glossator.index.library import Library
from glossator.index.paths import seeds_dir
from glossator.index.themes import Theme, ThemeError, UserThemes, all_themes, discover, load_curated


@pytest.fixture(autouse=True)
def _dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture
def seeds():
    library = Library()
    library.update()
    yield library
    library.close()


@pytest.fixture
def folder(tmp_path) -> Path:
    """A writable copy of the seed articles, without the curated themes file."""
    dst = tmp_path / "library"
    dst.mkdir()
    for src in sorted(seeds_dir().glob("*.txt")):
        shutil.copyfile(src, dst / src.name)
    return dst


@pytest.fixture
def library(folder):
    library = Library(folder)
    library.update()
    yield library
    library.close()


def ids(library: Library) -> list[str]:
    return [a.id for a in library.articles()]


# -- curated themes ---------------------------------------------------------------------------


def test_seed_themes_run_through_several_articles(seeds):
    curated, warnings = load_curated(seeds.folder)
    assert warnings == []
    assert len(curated) >= 6
    assert len({t.name for t in curated}) == len(curated)
    for theme in curated:
        assert theme.kind == "curated" and theme.description and theme.query
        themes.count(theme, seeds)
        assert theme.error is None, theme.name
        assert list(theme.articles) == ids(seeds)  # every article, in library order
        present = [n for n in theme.articles.values() if n]
        assert len(present) >= 3, (theme.name, theme.articles)
        assert theme.passages == sum(theme.articles.values()) > 0


def test_all_themes_counts_each_kind_against_every_article(seeds):
    found, warnings = all_themes(seeds)
    assert warnings == []
    kinds = [t.kind for t in found]
    assert kinds == sorted(kinds, key=["curated", "discovered", "user"].index)
    assert {"curated", "discovered"} <= set(kinds)
    for theme in found:
        assert list(theme.articles) == ids(seeds)
        assert theme.passages == seeds.search(theme.query).total


def test_no_themes_file_gives_no_curated_themes_and_no_warning(tmp_path):
    assert load_curated(tmp_path) == ([], [])


def test_broken_toml_names_the_file_and_line(tmp_path):
    (tmp_path / "themes.toml").write_text(
        '[[theme]]\nname = "Shells"\nquery = "artillery"\n\n[[theme]\nname = "Oops"\n', "utf-8"
    )
    found, warnings = load_curated(tmp_path)
    assert found == []
    assert len(warnings) == 1
    assert "themes.toml" in warnings[0] and "line 5" in warnings[0]
    assert "\n" not in warnings[0]


def test_a_theme_with_missing_keys_is_reported_and_the_others_load(tmp_path):
    (tmp_path / "themes.toml").write_text(
        "# themes\n"
        "[[theme]]\n"
        'name = "Shells"\n'
        'description = "Artillery."\n'
        'query = "artillery"\n'
        "\n"
        "[[theme]]\n"
        'description = "no name first"\n'
        'name = "Lost"\n'
        "\n"
        "[[theme]]\n"
        'name = "Money"\n'
        "query = 42\n",
        "utf-8",
    )
    found, warnings = load_curated(tmp_path)
    assert [t.name for t in found] == ["Shells"]
    assert found[0].source.endswith("line 3")
    assert len(warnings) == 2
    assert "line 9" in warnings[0] and "'Lost'" in warnings[0] and "no query" in warnings[0]
    assert "line 12" in warnings[1] and "'Money'" in warnings[1]
    assert all("themes.toml" in w for w in warnings)


def test_a_theme_with_a_bad_query_is_reported_while_the_others_work(folder, library):
    (folder / "themes.toml").write_text(
        '[[theme]]\nname = "Shells"\nquery = "artillery"\n\n'
        '[[theme]]\nname = "Everything"\nquery = "*"\n\n'
        '[[theme]]\nname = "Money"\nquery = "sanctions"\n',
        "utf-8",
    )
    found, warnings = all_themes(library, kinds=["curated"])
    assert [t.name for t in found] == ["Shells", "Everything", "Money"]
    good = [t for t in found if t.name != "Everything"]
    assert all(t.error is None and t.passages > 0 for t in good)
    bad = found[1]
    assert bad.error and bad.passages == 0 and set(bad.articles.values()) == {0}
    assert len(warnings) == 1
    assert "themes.toml" in warnings[0] and "line 6" in warnings[0]
    assert "'Everything'" in warnings[0]


def test_duplicate_curated_names_keep_the_first(tmp_path):
    (tmp_path / "themes.toml").write_text(
        '[[theme]]\nname = "Shells"\nquery = "a"\n[[theme]]\nname = "shells"\nquery = "b"\n',
        "utf-8",
    )
    found, warnings = load_curated(tmp_path)
    assert [t.query for t in found] == ["a"]
    assert len(warnings) == 1 and "line 5" in warnings[0] and "line 2" in warnings[0]


# -- discovered themes ------------------------------------------------------------------------


def test_discovered_themes_are_valid_queries_with_hits(library):
    found = discover(library)
    assert 3 <= len(found) <= 8
    assert len({t.name.casefold() for t in found}) == len(found)
    for theme in found:
        assert theme.kind == "discovered" and theme.name and theme.description
        result = library.search(theme.query)
        assert result.error is None, theme.query
        assert result.total == theme.passages > 0
        assert list(theme.articles) == ids(library)
        assert sum(1 for n in theme.articles.values() if n) >= 2
    # the library's subject is not one of its themes
    assert not any(t.name.lower() in {"north korea", "russia", "korea"} for t in found)


def test_discovery_is_cached_in_the_index_folder(library, monkeypatch):
    first = discover(library)
    cache = library.index_dir / "themes.json"
    assert cache.exists()

    def fail(*_args):
        raise AssertionError("recomputed although nothing changed")

    monkeypatch.setattr(themes, "_compute", fail)
    again = discover(library)
    assert [t.to_json() for t in again] == [t.to_json() for t in first]
    # a damaged cache is only a cache
    monkeypatch.undo()
    cache.write_text("{not json", "utf-8")
    assert [t.to_json() for t in discover(library)] == [t.to_json() for t in first]


def test_discovery_is_recomputed_when_an_article_changes(folder, library, monkeypatch):
    first = discover(library)
    theme = first[0]
    target = next(i for i, n in theme.articles.items() if n == 0)
    path = folder / f"{target}.txt"
    text = path.read_text("utf-8")
    cut = text.index("\n\n", text.index("\n\n") + 2)  # after the first paragraph of the body
    words = theme.query.strip('"')  # the phrase as the articles spell it
    added = f"\n\nThe report says more about {words} here."
    path.write_text(text[:cut] + added + text[cut:], "utf-8")
    calls = []
    compute = themes._compute
    monkeypatch.setattr(themes, "_compute", lambda *a: calls.append(a) or compute(*a))
    assert library.update().changed == [target]
    again = {t.name: t for t in discover(library)}
    assert len(calls) == 1
    assert again[theme.name].articles[target] == 1
    assert again[theme.name].passages == theme.passages + 1


def test_discovery_of_an_empty_library(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    library = Library(empty)
    library.update()
    assert discover(library) == []
    assert all_themes(library) == ([], [])
    library.close()


# -- user themes ------------------------------------------------------------------------------


def test_user_themes_add_rename_delete_and_persist(library, tmp_path):
    mine = UserThemes.for_library(library)
    assert mine.path == tmp_path / "data" / "glossator" / "themes" / f"{library.key}.json"
    assert mine.themes() == []
    mine.add("Shells", "artillery OR shells", "What is sent")
    mine.add("Money", "sanctions")
    assert stat.S_IMODE(mine.path.stat().st_mode) == 0o600
    assert [p.name for p in mine.path.parent.iterdir()] == [mine.path.name]  # no temp left

    again = UserThemes.for_library(library)
    assert [(t.name, t.query, t.description) for t in again.themes()] == [
        ("Shells", "artillery OR shells", "What is sent"),
        ("Money", "sanctions", ""),
    ]
    again.rename("Shells", "Munitions")
    again.rename("money", "MONEY")  # a change of case is not a clash with itself
    again.delete("Munitions")
    final = UserThemes.for_library(library)
    assert [t.name for t in final.themes()] == ["MONEY"]
    assert json.loads(final.path.read_text("utf-8"))["themes"][0]["query"] == "sanctions"


def test_user_themes_refuse_duplicates_empty_names_and_bad_queries(library):
    mine = UserThemes.for_library(library)
    mine.add("Shells", "artillery")
    mine.add("Money", "sanctions")
    with pytest.raises(ThemeError, match="already"):
        mine.add(" shells ", "rockets")
    with pytest.raises(ThemeError, match="name"):
        mine.add("  ", "rockets")
    with pytest.raises(ThemeError, match="query"):
        mine.add("Rockets", "*")
    with pytest.raises(ThemeError, match="query"):
        mine.add("Rockets", "   ")
    with pytest.raises(ThemeError, match="already"):
        mine.rename("Shells", "money")
    with pytest.raises(ThemeError, match="no theme"):
        mine.rename("Nothing", "Else")
    with pytest.raises(ThemeError, match="no theme"):
        mine.delete("Nothing")
    assert [t.name for t in UserThemes.for_library(library).themes()] == ["Shells", "Money"]


def test_user_themes_are_counted_with_the_others(library):
    UserThemes.for_library(library).add("Shells", "artillery")
    found, warnings = all_themes(library)
    assert warnings == []
    user = [t for t in found if t.kind == "user"]
    assert [t.name for t in user] == ["Shells"]
    assert user[0].passages == library.search("artillery").total
    assert list(user[0].articles) == ids(library)


def test_a_broken_user_file_is_reported_and_left_alone(library):
    path = themes.user_themes_path(library)
    path.parent.mkdir(parents=True)
    path.write_text("{broken", "utf-8")
    mine = UserThemes.for_library(library)
    assert mine.themes() == [] and len(mine.warnings) == 1 and str(path.name) in mine.warnings[0]
    with pytest.raises(ThemeError, match="could not be read"):
        mine.add("Shells", "artillery")
    assert path.read_text("utf-8") == "{broken"
    found, warnings = all_themes(library)
    assert warnings == mine.warnings and not any(t.kind == "user" for t in found)


def test_theme_json_shape():
    theme = Theme("A", "B", "c", "user", passages=2, articles={"x": 2, "y": 0})
    assert theme.to_json() == {
        "name": "A",
        "description": "B",
        "query": "c",
        "kind": "user",
        "passages": 2,
        "articles": {"x": 2, "y": 0},
        "error": None,
    }
