"""Question statistics over scored attempts: pure Python, no Django, exact Fraction arithmetic.

The input is plain data: per attempt a mapping question id -> (points, max points) holding only
the questions that attempt asked (quizzes may draw a subset), so every figure for a question uses
only the attempts that were asked it.

- facility: the mean share of the question's points scored (0 = nobody, 1 = everybody).
- discrimination: the Pearson correlation between the question's share and the share of the rest
  of the attempt (the other questions' points over their max). Near 1: stronger people do better
  on it; near 0 or below: it does not tell them apart, or the key may be wrong. A float, because
  of the square root; everything before it is exact.
- choice picks: how many attempts picked each choice (a multiple-choice answer counts every
  choice it picked).
- score distribution: attempt percentages counted in ten bins, 0-<10, ..., 80-<90, 90-100.

Weak questions are flagged by the thresholds below; change them here, the reasons follow.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

# A question is judged only once this many attempts were asked it: fewer say little.
MIN_ATTEMPTS = 5
# Facility below: most people miss it (too hard, unclear, or a wrong key).
TOO_HARD = Fraction(1, 4)
# Facility above: nearly everybody gets it, so it tells nobody apart.
TOO_EASY = Fraction(95, 100)
# Discrimination below: people who do well on the rest do no better on this question.
LOW_DISCRIMINATION = 0.2

BINS = 10

Score = tuple[Fraction, Fraction]  # (points, max points) of one question in one attempt
AttemptScores = Mapping[str, Score]  # question id -> Score, for the questions one attempt asked


@dataclass(frozen=True)
class QuestionFigures:
    question_id: str
    times_asked: int
    facility: Fraction | None  # None when never asked (or worth no points)
    discrimination: float | None  # None with fewer than 2 attempts or no variation
    weak_reasons: tuple[str, ...]

    @property
    def weak(self) -> bool:
        return bool(self.weak_reasons)


def _share(points, max_points) -> Fraction | None:
    return Fraction(points) / Fraction(max_points) if max_points else None


def facility(attempts: Iterable[AttemptScores], question_id: str) -> Fraction | None:
    """Mean of points / max points over the attempts that asked the question."""
    shares = [_share(*scores[question_id]) for scores in attempts if question_id in scores]
    shares = [share for share in shares if share is not None]
    return sum(shares, Fraction(0)) / len(shares) if shares else None


def discrimination(attempts: Iterable[AttemptScores], question_id: str) -> float | None:
    """Correlation of the question's share with the share of the rest of each attempt."""
    pairs = []
    for scores in attempts:
        if question_id not in scores:
            continue
        points, max_points = scores[question_id]
        rest_points = sum((Fraction(p) for p, _ in scores.values()), Fraction(0)) - Fraction(points)
        rest_max = sum((Fraction(m) for _, m in scores.values()), Fraction(0)) - Fraction(max_points)
        own, rest = _share(points, max_points), _share(rest_points, rest_max)
        if own is not None and rest is not None:
            pairs.append((own, rest))
    return pearson(pairs)


def pearson(pairs: list[tuple[Fraction, Fraction]]) -> float | None:
    """Pearson's r of (x, y) pairs; None with fewer than 2 pairs or when x or y never varies."""
    n = len(pairs)
    if n < 2:
        return None
    mean_x = sum((Fraction(x) for x, _ in pairs), Fraction(0)) / n
    mean_y = sum((Fraction(y) for _, y in pairs), Fraction(0)) / n
    sxy = sum(((x - mean_x) * (y - mean_y) for x, y in pairs), Fraction(0))
    sxx = sum(((x - mean_x) ** 2 for x, _ in pairs), Fraction(0))
    syy = sum(((y - mean_y) ** 2 for _, y in pairs), Fraction(0))
    if not sxx or not syy:
        return None
    return float(sxy) / math.sqrt(sxx * syy)


def choice_picks(answers: Iterable) -> Counter:
    """How many answers picked each choice id. An answer is a choice id (single choice), a list
    of ids (multiple choice: each counts once) or None (unanswered)."""
    counts: Counter = Counter()
    for answer in answers:
        if answer is None:
            continue
        counts.update({answer} if isinstance(answer, str) else set(answer))
    return counts


def score_distribution(percentages: Iterable) -> tuple[int, ...]:
    """Attempt counts in ten bins of percentage: 0-<10, 10-<20, ..., 90-100 (100 joins the last)."""
    bins = [0] * BINS
    for percentage in percentages:
        index = int(Fraction(percentage) // 10)
        bins[min(max(index, 0), BINS - 1)] += 1
    return tuple(bins)


def weak_reasons(*, facility: Fraction | None, discrimination: float | None, times_asked: int) -> tuple[str, ...]:
    """Why a question looks weak, in words; empty when it looks fine or is too new to judge."""
    if times_asked < MIN_ATTEMPTS:
        return ()
    reasons = []
    if facility is not None and facility < TOO_HARD:
        reasons.append("Too hard: people score less than a quarter of its points on average.")
    if facility is not None and facility > TOO_EASY:
        reasons.append("Too easy: people score more than 95% of its points on average.")
    if discrimination is not None and discrimination < 0:
        reasons.append("People who do well on the rest of the quiz do worse on this question: check the answer key.")
    elif discrimination is not None and discrimination < LOW_DISCRIMINATION:
        reasons.append("Does not tell strong from weak: it hardly follows the rest of the score.")
    return tuple(reasons)


def question_figures(attempts: list[AttemptScores], question_id: str) -> QuestionFigures:
    """Facility, discrimination and weak reasons of one question."""
    asked = [scores for scores in attempts if question_id in scores]
    easiness = facility(asked, question_id)
    correlation = discrimination(asked, question_id)
    return QuestionFigures(
        question_id=question_id,
        times_asked=len(asked),
        facility=easiness,
        discrimination=correlation,
        weak_reasons=weak_reasons(facility=easiness, discrimination=correlation, times_asked=len(asked)),
    )
