"""Moodle's weighted answers -> our choice question types, shared by GIFT and Moodle XML.

Moodle gives each answer a weight (a percentage of the question's points, negative allowed) and
says whether one or several answers may be picked. Ours:
- one answer may be picked, one answer at 100% and none above 0% otherwise: single choice;
- one answer may be picked, other weights (partial credit, several full-credit answers): scenario
  judgement, whose options each earn their own points, which is exactly that;
- several may be picked: multiple choice, right = weight above 0, scored by our partial-credit rule
  (each right pick 1/R of the points, each wrong pick takes 1/R off, floored at 0). Other weights are
  imported in that closest form with a note.
"""

from __future__ import annotations

from decimal import Decimal

from assessments import scoring

from .text import number, split_situation

HUNDRED = Decimal(100)


def choice_question(*, prompt, points, explanation, answers, single) -> tuple[scoring.Question, list[str]]:
    """`answers`: (text, weight percent as Decimal, feedback) in file order."""
    notes = []
    full = [a for a in answers if a[1] == HUNDRED]
    partial = [a for a in answers if 0 < a[1] < HUNDRED or a[1] > HUNDRED]
    if single and len(full) == 1 and not partial:
        if any(a[1] < 0 for a in answers):
            notes.append("Negative weights on wrong answers are imported as 0: a wrong pick scores 0 points.")
        choices = tuple(
            scoring.Choice(id=str(i), text=t, correct=w == HUNDRED, feedback=f) for i, (t, w, f) in enumerate(answers)
        )
        return scoring.SingleChoice(id="", prompt=prompt, points=points, explanation=explanation, choices=choices), notes
    if single:
        situation, question = split_situation(prompt)
        if any(a[1] < 0 for a in answers):
            notes.append("Negative weights are imported as 0 points for that response.")
        if any(a[1] > HUNDRED for a in answers):
            notes.append("Weights above 100% are imported as they are: that response earns more than the question's points.")
        total = Decimal(points)
        options = tuple(
            scoring.Option(id=str(i), text=t, points=number((max(w, Decimal(0)) * total / HUNDRED).quantize(Decimal("0.01"))), feedback=f)
            for i, (t, w, f) in enumerate(answers)
        )
        notes.append("Imported as a scenario judgement: one answer is picked and each earns its own share of the points.")
        return scoring.ScenarioJudgement(
            id="", prompt=question, explanation=explanation, situation=situation, options=options
        ), notes
    right = [a for a in answers if a[1] > 0]
    wrong = [a for a in answers if a[1] <= 0]
    if right:
        share = HUNDRED / len(right)
        exact = all(abs(a[1] - share) < Decimal("0.01") for a in right) and all(abs(a[1] + share) < Decimal("0.01") for a in wrong)
        if not exact:
            notes.append(
                "Weights differ from our partial-credit rule, which is used instead: each right pick earns "
                f"1/{len(right)} of the points and each wrong pick takes 1/{len(right)} off (floored at 0)."
            )
    choices = tuple(scoring.Choice(id=str(i), text=t, correct=w > 0, feedback=f) for i, (t, w, f) in enumerate(answers))
    return scoring.MultipleChoice(
        id="", prompt=prompt, points=points, explanation=explanation, choices=choices, all_or_nothing=False
    ), notes


def weights(spec) -> list[tuple[str, Decimal, str]] | None:
    """The Moodle weights of a choice spec's answers, or None for other kinds; (text, percent, feedback)."""
    if isinstance(spec, scoring.SingleChoice):
        return [(c.text, HUNDRED if c.correct else Decimal(0), c.feedback) for c in spec.choices]
    if isinstance(spec, scoring.MultipleChoice):
        right = sum(1 for c in spec.choices if c.correct) or 1
        share = HUNDRED / right
        return [(c.text, share if c.correct else -share, c.feedback) for c in spec.choices]
    if isinstance(spec, scoring.ScenarioJudgement):
        best = Decimal(number(max((Decimal(o.points) for o in spec.options), default=Decimal(1)))) or Decimal(1)
        return [(o.text, Decimal(o.points) * HUNDRED / best, o.feedback) for o in spec.options]
    return None


def weight_text(weight: Decimal) -> str:
    """A percentage as Moodle writes it: at most 5 decimals ('33.33333')."""
    return number(weight.quantize(Decimal("0.00001")))
