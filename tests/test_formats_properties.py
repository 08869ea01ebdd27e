"""Property tests of the Markdown and web page readers: whatever the document, every sentence's
offsets slice the text it claims, and no markup character reaches the text (outside code)."""

from __future__ import annotations

import html
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossator.index.formats import load_article

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éß", min_size=1,
               max_size=10)  # fmt: skip
MARKUP = re.compile(r"[*_`\[\]<>#|~]|\]\(|&[a-z]+;")


@st.composite
def sentence(draw: st.DrawFn) -> list[tuple[str, str]]:
    """Words, each with a decoration: plain, emphasis, strong, code, link."""
    words = draw(st.lists(WORD, min_size=1, max_size=12))
    styles = draw(st.lists(st.sampled_from(["", "em", "strong", "code", "link"]),
                           min_size=len(words), max_size=len(words)))  # fmt: skip
    end = draw(st.sampled_from([".", "!", "?", ""]))
    out = list(zip(styles, words, strict=True))
    if end:
        out[-1] = (out[-1][0], out[-1][1] + end) if out[-1][0] == "" else out[-1]
    return out


BLOCK = st.tuples(
    st.sampled_from(["p", "h", "ul", "ol", "quote", "code"]),
    st.lists(sentence(), min_size=1, max_size=3),
)


def md_inline(parts: list[tuple[str, str]]) -> str:
    out = ["Note"]  # "0." or "1)" alone would open a list
    for style, word in parts:
        out.append({"": word, "em": f"*{word}*", "strong": f"**{word}**", "code": f"`{word}`",
                    "link": f"[{word}](https://example.org/{word})"}[style])  # fmt: skip
    return " ".join(out)


def html_inline(parts: list[tuple[str, str]]) -> str:
    out = []
    for style, word in parts:
        w = html.escape(word)
        out.append({"": w, "em": f"<em>{w}</em>", "strong": f"<b>{w}</b>",
                    "code": f"<code>{w}</code>",
                    "link": f'<a href="https://example.org/{w}">{w}</a>'}[style])  # fmt: skip
    return " ".join(out)


def to_markdown(blocks: list) -> str:
    out = ["---", "title: A generated note", "---", ""]
    for kind, sentences in blocks:
        texts = [md_inline(s) for s in sentences]
        if kind == "p":
            out.append(" ".join(texts))
        elif kind == "h":
            out.append("## " + " ".join(texts))
        elif kind in ("ul", "ol"):
            out += [f"{'-' if kind == 'ul' else f'{i}.'} {t}" for i, t in enumerate(texts, 1)]
        elif kind == "quote":
            out.append("> " + " ".join(texts))
        else:
            out += ["```", *(" ".join(w for _s, w in s) for s in sentences), "```"]
        out.append("")
    return "\n".join(out)


def to_html(blocks: list) -> str:
    out = ["<html><head><title>A generated page</title></head><body><nav>Home | About</nav>",
           "<article>"]  # fmt: skip
    for kind, sentences in blocks:
        texts = [html_inline(s) for s in sentences]
        if kind == "p":
            out.append(f"<p>{' '.join(texts)}</p>")
        elif kind == "h":
            out.append(f"<h2>{' '.join(texts)}</h2>")
        elif kind in ("ul", "ol"):
            out.append(f"<{kind}>" + "".join(f"<li>{t}</li>" for t in texts) + f"</{kind}>")
        elif kind == "quote":
            out.append(f"<blockquote><p>{' '.join(texts)}</p></blockquote>")
        else:
            code = "\n".join(" ".join(html.escape(w) for _s, w in s) for s in sentences)
            out.append(f"<pre><code>{code}</code></pre>")
    out.append("</article><footer>© 2024 Example</footer></body></html>")
    return "\n".join(out)


def check(article, words: set[str]) -> None:  # type: ignore[no-untyped-def]
    for block in article.blocks:
        assert article.text[block.start : block.end] == article.text[block.start : block.end]
        for s in block.sentences:
            assert article.text[s.start : s.end] == s.text
            assert block.start <= s.start < s.end <= block.end
        if block.kind != "code":
            found = MARKUP.search(article.text[block.start : block.end])
            assert found is None, article.text[block.start : block.end]
    ids = [s.id for s in article.sentences]
    assert ids == list(range(len(ids)))


PROPERTY = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


@PROPERTY
@given(st.lists(BLOCK, min_size=1, max_size=8))
def test_markdown_offsets_and_no_markup(tmp_path, blocks):
    path = tmp_path / "gen.md"
    path.write_text(to_markdown(blocks), "utf-8")
    article = load_article(path, "gen")
    words = {w for _k, ss in blocks for s in ss for _st, w in s}
    check(article, words)
    assert article.title == "A generated note"
    flat = " ".join(article.text.split())
    for word in words:  # nothing written is lost
        assert word.rstrip(".!?") in flat


@PROPERTY
@given(st.lists(BLOCK, min_size=1, max_size=8))
def test_web_page_offsets_and_no_markup(tmp_path, blocks):
    path = tmp_path / "gen.html"
    path.write_text(to_html(blocks), "utf-8")
    try:
        article = load_article(path, "gen")
    except ValueError as exc:  # a page too thin to hold an article: refused in one line
        assert "\n" not in str(exc) and "gen.html" in str(exc)
        return
    check(article, set())
    assert "Home | About" not in article.text
