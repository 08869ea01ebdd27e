"""The statistics the study views share: association and keyness from 2×2 tables, dispersion.

Every score here is a textbook formula on counts a reader can check by hand:

* ``log_likelihood`` — Dunning's G² = 2 Σ O ln(O/E) over the four cells of a 2×2 table
  (Dunning 1993), for collocation; ``keyness`` is Rayson & Garside's (2000) form over the
  word's two cells, as AntConc and Wmatrix compute it. 3.84 is p < 0.05, 6.63 p < 0.01.
* ``pmi`` — pointwise mutual information, log2(O11 / E11) (Church & Hanks 1990).
* ``t_score`` — (O11 − E11) / √O11 (Church et al. 1991).
* ``log_ratio`` — the effect size of keyness, log2 of the ratio of relative frequencies, a
  count of 0 taken as 0.5 (Hardie 2014): 1 is twice as frequent, 3 eight times.
* ``dp`` — Gries' deviation of proportions: 0 for a word spread evenly over the articles (in
  proportion to their length), near 1 for one bunched in one article.

Collocation (Evert 2008): O11 is the collocate's count in the node's windows, R1 the words in
all windows, C1 the collocate's count in the library, N the words in the library. Keyness: the
word's count in the target (a) and in the rest of the library (b), the target's words (c) and
the rest's (d).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from whoosh.analysis import STOP_WORDS as _WHOOSH_STOP

__all__ = ["STOP_WORDS", "dp", "keyness", "log_likelihood", "log_ratio", "pmi", "t_score"]

# Function words left out of collocates and keywords (and not names): English closed-class
# words, the index's own stop words among them.
STOP_WORDS = frozenset(
    """
    a about above across after again against all almost along already also although always am
    among an and another any anyone anything are around as at away back be became because become
    becomes been before being below between beyond both but by can cannot could did do does doing
    done down during each either else enough even ever every few for from further had has have
    having he her here hers herself him himself his how however i if in into is it its itself
    just least less many may me might more moreover most much must my myself near neither never
    no nor not now of off often on once one only onto or other others otherwise our ours
    ourselves out over own per perhaps quite rather same shall she should since so some such than
    that the their theirs them themselves then there therefore these they this those though
    through thus to too toward towards under until up upon us very via was we were what whatever
    when where whether which while who whom whose why will with within without would yet you
    your yours yourself yourselves s t d ll m re ve don't doesn't didn't isn't aren't wasn't
    weren't won't wouldn't can't couldn't shouldn't it's that's there's he's she's they're we're
    i'm i've let's said says say also
    """.split()
) | frozenset(_WHOOSH_STOP)


def _xlnx(o: float, e: float) -> float:
    return o * math.log(o / e) if o > 0 else 0.0


def log_likelihood(o11: float, o12: float, o21: float, o22: float) -> float:
    """Dunning's G² of a 2×2 table of observed counts (rows and columns are the two
    conditions); 0 when a margin is empty."""
    n = o11 + o12 + o21 + o22
    r1, r2 = o11 + o12, o21 + o22
    c1, c2 = o11 + o21, o12 + o22
    if n <= 0 or not (r1 and r2 and c1 and c2):
        return 0.0
    return 2.0 * (
        _xlnx(o11, r1 * c1 / n)
        + _xlnx(o12, r1 * c2 / n)
        + _xlnx(o21, r2 * c1 / n)
        + _xlnx(o22, r2 * c2 / n)
    )


def expected(o11: float, r1: float, c1: float, n: float) -> float:
    return r1 * c1 / n if n else 0.0


def pmi(o11: float, r1: float, c1: float, n: float) -> float:
    """log2(O11 / E11), E11 = R1·C1/N; −inf when O11 is 0."""
    e = expected(o11, r1, c1, n)
    return math.log2(o11 / e) if o11 > 0 and e > 0 else float("-inf")


def t_score(o11: float, r1: float, c1: float, n: float) -> float:
    """(O11 − E11) / √O11; 0 when O11 is 0."""
    return (o11 - expected(o11, r1, c1, n)) / math.sqrt(o11) if o11 > 0 else 0.0


def collocation(o11: float, r1: float, c1: float, n: float, measure: str) -> float:
    """The association of a collocate (O11 in windows of R1 words; C1 in the library of N
    words) by ``measure``: "ll" (signed: negative when it is rarer near the node than
    elsewhere), "pmi" or "t"."""
    if measure == "pmi":
        return pmi(o11, r1, c1, n)
    if measure == "t":
        return t_score(o11, r1, c1, n)
    if measure != "ll":
        raise ValueError(f"unknown measure {measure!r} (ll, pmi or t)")
    g2 = log_likelihood(o11, r1 - o11, c1 - o11, n - r1 - c1 + o11)
    return g2 if o11 >= expected(o11, r1, c1, n) else -g2


def keyness(a: float, b: float, c: float, d: float) -> float:
    """Log-likelihood keyness as Rayson & Garside (2000) compute it, over the word's two cells:
    2 (a ln(a/E1) + b ln(b/E2)), E1 = c(a+b)/(c+d), E2 = d(a+b)/(c+d), for a word ``a`` times
    in a target of ``c`` words and ``b`` times in a reference of ``d``; negative when it is
    rarer in the target than in the reference."""
    if not c or not d or not (a + b):
        return 0.0
    e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
    g2 = 2.0 * (_xlnx(a, e1) + _xlnx(b, e2))
    return g2 if a / c >= b / d else -g2


def log_ratio(a: float, b: float, c: float, d: float) -> float:
    """log2((a/c) / (b/d)), a count of 0 taken as 0.5 (Hardie's log ratio)."""
    if not c or not d:
        return 0.0
    return math.log2((max(a, 0.5) / c) / (max(b, 0.5) / d))


def dp(counts: Sequence[float], sizes: Sequence[float]) -> float:
    """Gries' DP: half the sum of |observed share − expected share| over the parts (0 even,
    towards 1 bunched); 0 for no occurrences."""
    total, size = sum(counts), sum(sizes)
    if not total or not size:
        return 0.0
    return 0.5 * sum(abs(c / total - s / size) for c, s in zip(counts, sizes, strict=True))
