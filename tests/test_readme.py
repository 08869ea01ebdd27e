"""The README tells the truth: its two set-up commands and its table of keys, which must be the
help screen's own rows (regenerate with `python tests/test_readme.py`)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- keys:start -->", "<!-- keys:end -->"


def keys_markdown(sections: list[tuple[str, list[tuple[str, str, str]]]]) -> str:
    out: list[str] = []
    for title, rows in sections:
        out += ["", f"**{title}**", "", "| keys | what they do |", "| --- | --- |"]
        for keys, description, more in rows:
            shown = " ".join(f"`{k}`" for k in keys.split())
            out.append(f"| {shown} | {description}{': ' + more if more else ''} |")
    return "\n".join(out) + "\n"


async def live_keys() -> str:
    from glossator.tui.app import make_app

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        return keys_markdown(app.main.help_sections())


def test_readme_keys_are_the_help_screens_keys():
    text = README.read_text("utf-8")
    documented = text[text.index(START) + len(START) : text.index(END)]
    assert documented == asyncio.run(live_keys())


def test_readme_starts_with_the_two_commands():
    lines = [line.strip() for line in README.read_text("utf-8").splitlines()[2:4]]
    assert lines[0].endswith("pip install . && glossator")
    assert lines[1].endswith("pytest -n 2 -q")
    ci = (README.parent / ".ci" / "run").read_text("utf-8")
    assert lines[1] in ci  # CI runs the README's own test command
    assert re.match(r"python3 -m venv \.venv && \. \.venv/bin/activate && pip install", lines[1])


if __name__ == "__main__":
    print(asyncio.run(live_keys()), end="")
