"""Hardening, issue 7: a library folder holding bad files still opens and searches.

Files not in UTF-8 are decoded where the encoding can be detected, or shown with replacement
characters, with a warning naming the file. Empty, blank and binary files are skipped with a
message naming them; other file types, hidden files and editor backups are ignored. A large file
is indexed in linear time with bounded memory (peak RSS measured in a subprocess and printed:
run with ``-s`` to see the figures; the 50 MB cases need GLOSSATOR_SLOW_TESTS=1). Cleaning is
linear on inputs that used to be quadratic.
"""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from glossator.index.clean import decode_bytes, load_article
from glossator.index.library import Library
from glossator.index.sentences import split_sentences
from glossator.tui.cli import main

ROOT = Path(__file__).resolve().parent.parent

GOOD = """The Quiet Harbour

By Ann Example

The harbour was quiet that morning. Fishing boats lay idle at the quay.

Prices for diesel had doubled in a year. Most skippers could no longer afford to sail.
"""

LEGACY = (
    "A Café By The Harbour\n\n"
    "The café owner said “business is slow” this winter, and it costs €5.\n"
)
LATIN1 = "Notes From Zürich\n\nThe naïve señor paid ½ the price in the café of Zürich.\n"


def _png() -> bytes:
    return (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
        b"\x1f\xf3\xffa\x00\x00\x00\x0cIDATx\x9cc`\x00\x00\x00\x02\x00\x01\x00\x00\x00\x00IEND"
    )


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("article.txt", GOOD * 20)
    return buf.getvalue()


# Bad files that must be skipped, each with a message naming it: name -> bytes.
SKIPPED = {
    "empty.txt": b"",
    "spaces.txt": b"   \n\t\n  \r\n",
    "nbsp-and-zero-width.md": "\u00a0\u200b\n\ufeff \u2060\n".encode(),
    "image.txt": _png(),
    "archive.md": _zip(),
    "random.txt": random.Random(7).randbytes(4096),
    "controls.txt": bytes(range(1, 32)) * 40,
}

# Files that are not articles at all: ignored without a word.
IGNORED = [
    "picture.png",
    "document.docx",
    "data.json",
    "README",
    ".hidden.txt",
    ".draft.md.swp",
    "draft.txt~",
    "#draft.txt#",
    "old.txt.bak",
    "partial.tmp",
    ".git/objects.txt",
    ".cache/inside.md",
]


@pytest.fixture
def folder(tmp_path) -> Path:
    lib = tmp_path / "library"
    lib.mkdir()
    (lib / "good.txt").write_text(GOOD, "utf-8")
    (lib / "legacy-cp1252.txt").write_bytes(LEGACY.encode("cp1252"))
    (lib / "latin1.txt").write_bytes(LATIN1.encode("latin-1"))
    (lib / "utf16-bom-le.txt").write_bytes(b"\xff\xfe" + LEGACY.encode("utf-16-le"))
    (lib / "utf16-bom-be.md").write_bytes(b"\xfe\xff" + LATIN1.encode("utf-16-be"))
    (lib / "utf16-no-bom.txt").write_bytes(LEGACY.encode("utf-16-le"))
    # 0x81, 0x8D and 0x9D are not Windows-1252: read as Latin-1, shown as replacement characters
    (lib / "undetectable.txt").write_bytes(
        b"A Mystery Encoding Here\n\nThe owner said \x81\x9d it was fine, caf\xe9 \x8d and all.\n"
    )
    # a UTF-16 file with half a surrogate pair in the middle of a sentence
    (lib / "utf16-broken.txt").write_bytes(
        b"\xff\xfe"
        + "Broken Sixteen Title\n\nThe text ".encode("utf-16-le")
        + b"\x00\xd8"
        + " stops here.\n".encode("utf-16-le")
    )
    for name, data in SKIPPED.items():
        (lib / name).write_bytes(data)
    for name in IGNORED:
        path = lib / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Ignored Title Here\n\nThe harbour appears here too, but is ignored.\n")
    return lib


def _infos(library: Library) -> dict[str, object]:
    return {a.id: a for a in library.articles()}


def test_encodings_are_detected_or_replaced_with_a_warning_naming_the_file(folder):
    library = Library(folder)
    report = library.update()
    infos = _infos(library)
    decoded = {
        "legacy-cp1252": ("Windows-1252", "“business is slow”"),
        "latin1": ("Windows-1252", "naïve señor paid ½ the price"),  # Latin-1 letters agree
        "utf16-bom-le": (None, "“business is slow”"),
        "utf16-bom-be": (None, "naïve señor"),
        "utf16-no-bom": ("UTF-16-LE", "costs €5"),
    }
    for article_id, (warned, phrase) in decoded.items():
        assert article_id in infos, report.skipped
        article = library.article(article_id)
        assert phrase in article.text
        assert "\ufffd" not in article.text
        warnings = infos[article_id].warnings
        if warned:
            assert any(warned in w and f"{article_id}." in w for w in warnings), warnings
    for article_id, warned in (("undetectable", "Latin-1"), ("utf16-broken", "invalid UTF-16")):
        article = library.article(article_id)
        assert "\ufffd" in article.text  # shown with replacement characters ...
        assert not any("\x80" <= c <= "\x9f" for c in article.text)
        warnings = infos[article_id].warnings
        assert any(warned in w and f"{article_id}.txt" in w for w in warnings), warnings  # named
    # the rest of the library works
    assert library.search("harbour").total >= 1
    assert library.search("café").total >= 2


def test_empty_blank_and_binary_files_are_skipped_with_a_message_naming_them(folder, capsys):
    library = Library(folder)
    report = library.update()
    skipped = {Path(path).name: why for path, why in report.skipped}
    assert set(skipped) == set(SKIPPED), skipped
    for name, why in skipped.items():
        assert name in why
    assert not set(_infos(library)) & {Path(n).stem for n in SKIPPED}
    # and on the command line, one line each on stderr
    status = main(["index", "--library", str(folder)])
    out, err = capsys.readouterr()
    assert status == 0
    unwrapped = err.replace("\n", "")  # Rich wraps long lines at 80 columns, even on a pipe
    for name in SKIPPED:
        assert f"skipped {folder / name}" in unwrapped
    assert "Traceback" not in err


def test_each_skipped_file_is_one_line_on_stderr(folder, capsys):
    main(["index", "--library", str(folder)])
    _, err = capsys.readouterr()
    lines = [line for line in err.splitlines() if line.startswith("glossator: skipped ")]
    assert len(lines) == len(SKIPPED)
    for name in SKIPPED:
        assert any(f"skipped {folder / name}: " in line for line in lines), err


def test_other_types_hidden_files_and_backups_are_ignored_silently(folder):
    library = Library(folder)
    report = library.update()
    ids = set(_infos(library))
    mentioned = {Path(p).name for p, _ in report.skipped}
    for name in IGNORED:
        stem = Path(name).with_suffix("").as_posix()
        assert stem not in ids and Path(name).name not in mentioned
    assert len(ids) == 8  # good, 5 decoded, undetectable, utf16-broken, and nothing else
    assert library.search("ignored").total == 0


def test_warnings_are_visible_in_glossator_index_output(folder, capsys):
    status = main(["index", "--library", str(folder)])
    out, _ = capsys.readouterr()
    assert status == 0
    assert "latin1.txt: not valid UTF-8" in out
    assert "undetectable.txt: not valid UTF-8" in out and "Latin-1" in out


def test_a_fifo_or_device_named_like_an_article_does_not_hang_the_update(tmp_path):
    """Only regular files are read (a FIFO would block the reader, /dev/zero never ends)."""
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "good.txt").write_text(GOOD, "utf-8")
    library = Library(lib)
    library.update()  # imports warmed up
    fifo = lib / "pipe.txt"
    os.mkfifo(fifo)
    if Path("/dev/zero").exists():
        (lib / "zero.txt").symlink_to("/dev/zero")  # endless: would fill the memory
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(library.update()), daemon=True)
    worker.start()
    worker.join(timeout=10)
    hung = worker.is_alive()
    if hung:  # let the reader go: open the FIFO for writing and close it at once
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        worker.join(timeout=10)
    assert not hung, "the update blocked on a FIFO"
    assert not {"pipe", "zero"} & {a.id for a in library.articles()}
    assert library.search("harbour").total >= 1


# -- a large file: memory bounded, time linear ------------------------------------------------

# The 50 MB cases take 20 s to a minute or more: run them with GLOSSATOR_SLOW_TESTS=1. The 8 MB
# case below always runs, through the same code.
SLOW = pytest.mark.skipif(
    not os.environ.get("GLOSSATOR_SLOW_TESTS"),
    reason="50 MB takes 20 s to a minute or more; set GLOSSATOR_SLOW_TESTS=1 to run it",
)

_WORDS = (
    "harbour quiet morning fishing boats idle quay prices diesel doubled year skippers afford "
    "sail sold buyers south winter town changed cannery closed doors artillery shells supply "
    "chain factory workers river bridge council meeting budget school teachers students library "
    "museum railway station market traders farmers harvest"
).split()


def write_large_article(path: Path, size: int, seed: int = 7) -> int:
    """A deterministic article of about ``size`` bytes: 400 paragraphs repeated."""
    rng = random.Random(seed)
    paragraphs = []
    for _ in range(400):
        sentences = []
        for _ in range(rng.randint(3, 7)):
            words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 24))]
            sentences.append(" ".join(words).capitalize() + ".")
        paragraphs.append(" ".join(sentences))
    chunk = "\n\n".join(paragraphs) + "\n\n"
    written = 0
    with path.open("w", encoding="utf-8") as fh:
        fh.write("A Very Long Article About The Harbour Town\n\nBy Ann Example\n\n")
        while written < size:
            fh.write(chunk)
            written += len(chunk)
    return path.stat().st_size


_MEASURE = """
import json, resource, sys, time
from pathlib import Path
from glossator.index.library import Library
start = time.perf_counter()
library = Library(Path(sys.argv[1]), cache=Path(sys.argv[2]))
report = library.update()
indexed = time.perf_counter() - start
result = library.search("harbour")
print(json.dumps({
    "added": report.added, "skipped": report.skipped, "hits": result.total,
    "sentences": library.articles()[0].sentences, "seconds": round(indexed, 1),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
}))
"""

_BASELINE = """
import json, resource
import glossator.index.library, glossator.index.engine, glossator.index.clean  # the same imports, no work
print(json.dumps({"peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
"""


def _run_measure(tmp_path: Path, size: int) -> tuple[dict, int, int]:
    lib = tmp_path / "large"
    lib.mkdir()
    nbytes = write_large_article(lib / "large.txt", size)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(lib), str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    base = subprocess.run(
        [sys.executable, "-c", _BASELINE], capture_output=True, text=True, cwd=ROOT, env=env
    )
    baseline = json.loads(base.stdout)["peak_rss_mb"]
    return figures, nbytes, baseline


def test_large_file_is_indexed_with_bounded_memory(tmp_path, record_property):
    """8 MB of text through Library.update and a search, in a subprocess."""
    figures, nbytes, baseline = _run_measure(tmp_path, 8_000_000)
    mb = nbytes / 2**20
    print(
        f"\n{mb:.0f} MB article: indexed in {figures['seconds']} s, {figures['sentences']} "
        f"sentences, peak RSS {figures['peak_rss_mb']} MB (interpreter and imports: {baseline} MB)"
    )
    record_property("large_file_mb", round(mb, 1))
    record_property("large_file_peak_rss_mb", figures["peak_rss_mb"])
    assert figures["added"] == ["large"] and figures["skipped"] == []
    assert figures["hits"] > 1000
    # generous: the measured figure is about 30 x the file above the baseline; the bound is 60 x
    assert figures["peak_rss_mb"] - baseline < 60 * mb


@SLOW
def test_fifty_megabyte_file_is_indexed_with_bounded_memory(tmp_path, record_property):
    figures, nbytes, baseline = _run_measure(tmp_path, 50_000_000)
    mb = nbytes / 2**20
    print(
        f"\n{mb:.0f} MB article: indexed in {figures['seconds']} s, {figures['sentences']} "
        f"sentences, peak RSS {figures['peak_rss_mb']} MB (interpreter and imports: {baseline} MB)"
    )
    record_property("large_file_peak_rss_mb", figures["peak_rss_mb"])
    assert figures["added"] == ["large"] and figures["hits"] > 10_000
    assert figures["peak_rss_mb"] - baseline < 60 * mb


_LOAD = """
import json, resource, sys, time
from pathlib import Path
from glossator.index.clean import load_article
start = time.perf_counter()
article = load_article(Path(sys.argv[1]))
print(json.dumps({
    "seconds": round(time.perf_counter() - start, 1), "chars": len(article.text),
    "sentences": article.sentence_count(),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
}))
"""


@SLOW
def test_fifty_megabyte_file_is_read_and_cleaned_in_bounded_memory(tmp_path, record_property):
    """load_article alone (decode, repair, clean, sentences) on 50 MB: 10 s to 25 s."""
    path = tmp_path / "fifty.txt"
    nbytes = write_large_article(path, 50_000_000)
    done = subprocess.run(
        [sys.executable, "-c", _LOAD, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    mb = nbytes / 2**20
    print(
        f"\nload_article on {mb:.0f} MB: {figures['seconds']} s, {figures['sentences']} "
        f"sentences, peak RSS {figures['peak_rss_mb']} MB"
    )
    record_property("load_article_50mb_peak_rss_mb", figures["peak_rss_mb"])
    assert figures["chars"] > 49_000_000 and figures["sentences"] > 400_000
    assert figures["peak_rss_mb"] < 12 * mb  # measured: about 7 x (it was 14 x)


# Inputs that took quadratic time before the fixes in sentences.py and clean.py (50 KB of the
# first one took 30 s; a line of 20,000 capitals 3 s). Each is ~300 KB here and is cleaned in a
# subprocess with a time limit, so a regression fails in seconds instead of hanging for an hour.
N = 300_000
_rng = random.Random(3)
PATHOLOGICAL = {
    "run-together, no spaces": "ab.Cd" * (N // 5),
    "exclamations, no spaces": "Ab!" * (N // 3),
    "questions, no spaces": "Ab?" * (N // 3),
    "quotes run together": '"no."The' * (N // 8),
    "a long address": "www." + "ab.Cd" * (N // 5),
    "one paragraph over many lines": "the prices of food and fuel went up again\n" * (N // 42),
    "one huge line": "The harbour was quiet that morning and boats lay idle. " * (N // 55),
    "a run of capitals": "A" * N,
    "dots and capitals": "".join(_rng.choice("abAB.!?\"'”•-1") for _ in range(N)),
}

_CLEAN = """
import sys, time
from glossator.index.clean import clean_article
from glossator.index.sentences import split_sentences
raw = sys.stdin.read()
start = time.perf_counter()
article = clean_article("A Title Line For This\\n\\n" + raw + " end of it all here.\\n", "x")
spans = split_sentences(raw)
elapsed = time.perf_counter() - start
last = -1
for block in article.blocks:  # still a sound article: sentences inside blocks, in order
    for s in block.sentences:
        assert block.start <= s.start < s.end <= block.end and s.start >= last
        assert article.text[s.start : s.end] == s.text
        last = s.end
assert all(a < b for a, b in spans)
print(round(elapsed, 2))
"""


@pytest.mark.parametrize("shape", list(PATHOLOGICAL))
def test_cleaning_is_linear_on_inputs_that_were_quadratic(shape):
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CLEAN],
            input=PATHOLOGICAL[shape],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{shape}: not cleaned in 60 s (quadratic again?)")
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) < 10, f"{shape}: {done.stdout.strip()} s"  # ~0.2 s to 2 s


def test_sentences_are_unchanged_below_the_window():
    """The windows sentencex is given only matter past 50,000 characters of one block."""
    text = "The harbour was quiet. Boats lay idle at the quay! Was it over? " * 700
    spans = split_sentences(text)
    assert len(spans) == 2100
    assert [text[a:b] for a, b in spans[:3]] == [
        "The harbour was quiet.",
        "Boats lay idle at the quay!",
        "Was it over?",
    ]


def test_a_long_block_is_split_the_same_across_windows():
    unit = "The harbour was quiet. Boats lay idle at the quay! Was it over? "
    text = unit * 3000  # 192,000 characters: four windows
    spans = split_sentences(text)
    assert len(spans) == 9000
    assert {text[a:b] for a, b in spans} == {
        "The harbour was quiet.",
        "Boats lay idle at the quay!",
        "Was it over?",
    }


def test_decode_never_raises_and_detects_utf16_without_bom_only_when_clear():
    assert decode_bytes("Plain words here.\n".encode("utf-16-be"))[0] == "Plain words here.\n"
    for data in (_png(), _zip(), random.Random(1).randbytes(1000), b"\x00" * 10, b"\x00a\x00"):
        text, _ = decode_bytes(data)
        assert isinstance(text, str)
    assert "UTF-16" not in " ".join(decode_bytes(_png())[1])


def test_load_article_refuses_each_bad_kind_naming_the_file(tmp_path):
    for name, data in SKIPPED.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ValueError, match=name.replace(".", r"\.")):
            load_article(path)
