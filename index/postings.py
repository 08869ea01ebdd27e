"""Whoosh's posting blocks in a form NumPy reads without making a Python object a posting.

Whoosh's own codec (W3) pickles each block of up to 128 postings as a tuple of document-number
differences, a tuple of weights and a tuple of value strings (a word's positions and characters
in that document), then compresses it. Reading a block back unpickles every one of those
numbers and strings: at 100,000 articles, most of a keystroke's time went there (a common
word has hundreds of blocks). This codec is W3 with that one thing changed: a block's data is
the document numbers and the weights as little-endian arrays, then each value's
length and the values one after the other, compressed as before. A block is read as two
``array`` objects (documents and weights, ready for ``numpy.frombuffer``) and a ``Values``
sequence that cuts a value out only when asked for one. Everything else (the block headers, the
term table, skipping by block, stored fields, columns) is W3's, and a reader gets the same
document numbers, weights and value strings from the same index; ``tests/test_postings.py``
checks that against W3 itself.

Segments keep the codec they were written with (Whoosh pickles it into the table of
contents), so this module is imported by name whenever the index is read; it is used only by
``engine.py`` and ``ranking.py``.
"""

from __future__ import annotations

import struct
import zlib
from array import array
from collections.abc import Iterator, Sequence
from itertools import accumulate
from typing import Any, overload

from whoosh.codec import whoosh3
from whoosh.system import emptybytes
from whoosh.util.numeric import length_to_byte

_HEAD = struct.Struct("<IB")  # postings in the block, how the weights are kept
ALL_ONE, ONE_FOR_ALL, EACH = 0, 1, 2  # every weight 1.0; one weight for all; one each
_FLOAT = struct.Struct("<f")
_BIG = array("I").itemsize != 4 or array("f").itemsize != 4 or struct.pack("=I", 1) != b"\1\0\0\0"


class Values(Sequence[bytes]):
    """A block's value strings, cut out of the block's bytes when asked for one."""

    __slots__ = ("_data", "_ends")

    def __init__(self, data: bytes | memoryview, ends: Sequence[int]) -> None:
        self._data = data
        self._ends = ends  # where each value ends in ``data``

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, i: int) -> bytes: ...

    @overload
    def __getitem__(self, i: slice) -> list[bytes]: ...

    def __getitem__(self, i: int | slice) -> bytes | list[bytes]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self._ends)
        end = self._ends[i]
        start = self._ends[i - 1] if i else 0
        return bytes(self._data[start:end])

    def __iter__(self) -> Iterator[bytes]:
        return (self[i] for i in range(len(self)))


def _array(typecode: str, data: bytes | memoryview) -> array:
    found = array(typecode)
    found.frombytes(data)
    if _BIG:  # pragma: no cover - stored little-endian
        found.byteswap()
    return found


def _bytes(items: array) -> bytes:
    if _BIG:  # pragma: no cover
        items = array(items.typecode, items)
        items.byteswap()
    return items.tobytes()


def encode_block(
    ids: Sequence[int], weights: Sequence[float], values: list[bytes], fixed: int | None
) -> bytes:
    """A block's data, uncompressed: ``ids`` ascending, ``fixed`` the format's value size
    (None or negative: each its own; 0: no values)."""
    n = len(ids)
    first = weights[0] if n else 1.0
    if all(w == 1.0 for w in weights):
        kind, packed = ALL_ONE, emptybytes
    elif all(w == first for w in weights):
        kind, packed = ONE_FOR_ALL, _FLOAT.pack(first)
    else:
        kind, packed = EACH, _bytes(array("f", weights))
    parts = [_HEAD.pack(n, kind), _bytes(array("I", ids)), packed]
    if fixed is None or fixed < 0:
        parts.append(_bytes(array("I", accumulate(len(v) for v in values))))
        parts.extend(values)
    elif fixed > 0:
        parts.extend(values)
    return emptybytes.join(parts)


def decode_block(data: bytes, fixed: int | None) -> tuple[array, Any, Any]:
    """``encode_block`` read back: (document numbers, weights, values); weights None when all
    are 1.0, a float when all are that one, else an array; values a ``Values`` (None when the
    format keeps none, a tuple of strings of ``fixed`` size)."""
    n, kind = _HEAD.unpack_from(data)
    at = _HEAD.size
    view = memoryview(data)
    ids = _array("I", view[at : at + 4 * n])
    at += 4 * n
    weights: Any
    if kind == ALL_ONE:
        weights = None
    elif kind == ONE_FOR_ALL:
        weights = _FLOAT.unpack_from(data, at)[0]
        at += 4
    else:
        weights = _array("f", view[at : at + 4 * n])
        at += 4 * n
    values: Any
    if fixed is None or fixed < 0:
        ends = _array("I", view[at : at + 4 * n])
        values = Values(view[at + 4 * n :], ends)
    elif fixed == 0:
        values = None
    else:
        values = tuple(bytes(view[i : i + fixed]) for i in range(at, len(data), fixed))
    return ids, weights, values


class PostingsWriter(whoosh3.W3PostingsWriter):
    """W3's writer with the block data written by ``encode_block``."""

    def _write_block(self, last: bool = False) -> None:
        if self._byteids:  # term vectors (not used here): as W3 writes them
            super()._write_block(last)
            return
        if not self._blockcount:
            self._postfile.write(whoosh3.WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        databytes = encode_block(
            self._ids, self._weights, self._values, self._format.fixed_value_size()
        )
        comp = self._compression
        if comp:
            databytes = zlib.compress(databytes, comp)
        ids = self._ids
        infobytes = whoosh3.dumps(
            (
                len(ids),
                ids[-1],
                self._maxweight,
                comp,
                length_to_byte(self._minlength),
                length_to_byte(self._maxlength),
            ),
            2,
        )
        postfile = self._postfile
        blocklength = len(infobytes) + len(databytes)
        postfile.write_int(-blocklength if last else blocklength)
        postfile.write(infobytes)
        postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


class LeafMatcher(whoosh3.W3LeafMatcher):
    """W3's block reader with the block data read by ``decode_block``: ``_data`` is (document
    numbers, weights, values) as ``decode_block`` gives them."""

    def _read_data(self) -> None:
        datalen = self._nextoffset - self._dataoffset
        b = self._postfile.get(self._dataoffset, datalen)
        if self._compression:
            b = zlib.decompress(b)
        self._data = decode_block(b, self._fixedsize)

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        self._ids = self._data[0]

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        weights = self._data[1]
        if weights is None:
            self._weights = array("f", [1.0]) * self._blocklength
        elif isinstance(weights, float):
            self._weights = array("f", [weights]) * self._blocklength
        else:
            self._weights = weights

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        values = self._data[2]
        self._values = (None,) * self._blocklength if values is None else values


class Codec(whoosh3.W3Codec):
    """W3 with ``PostingsWriter`` and ``LeafMatcher``."""

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        return PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return LeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)
