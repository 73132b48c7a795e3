"""The record of a submitted attempt, as stored: each question's answer, points and status.

Grading happens once, at submit or at a manual grade (`assessments.attempts.services._score` stores
`Response.points` and `Response.status`); the result page, the every-answer export and the question
statistics read those stored figures, so a later change to the scoring code never rewrites a
recorded result. Only the feedback text is taken from the frozen question (it is not stored and
never changes what was scored).
"""

from dataclasses import dataclass
from fractions import Fraction

from assessments import scoring
from assessments.models import Attempt, Response
from assessments.attempts.services import attempt_tokened


@dataclass(frozen=True)
class ReviewedAnswer:
    number: int  # 1-based, in the attempt's order
    question: scoring.Question  # the frozen spec, answer key included: never for the browser before submit
    tokens: dict | None  # the attempt's tokens for this question (what the browser knows it by)
    response: Response | None
    points: Fraction  # stored at grading; 0 when the question was not answered
    max_points: Fraction
    status: str  # stored at grading (scoring's correct, partial, incorrect, unanswered, needs_grading)

    @property
    def value(self):
        return self.response.value if self.response else None

    @property
    def feedback(self) -> tuple[str, ...]:
        """The frozen question's feedback for the answer given (text only: points are not recomputed)."""
        manual = self.response.manual_points if self.response else None
        return scoring.grade(self.question, self.value, manual_points=None if manual is None else Fraction(manual)).feedback


def attempt_review(attempt: Attempt) -> list[ReviewedAnswer]:
    """Every question of a finished attempt with its stored points and status, in order. Uses
    `attempt.responses` (prefetch it for many attempts); one query otherwise."""
    responses = {response.question_id: response for response in attempt.responses.all()}
    answers = []
    for number, (spec, tokens) in enumerate(attempt_tokened(attempt), 1):
        response = responses.get(spec.id)
        stored = response is not None and response.status
        answers.append(
            ReviewedAnswer(
                number=number,
                question=spec,
                tokens=tokens,
                response=response,
                points=Fraction(response.points) if stored and response.points is not None else Fraction(0),
                max_points=spec.max_points,
                status=response.status if stored else scoring.UNANSWERED,
            )
        )
    return answers
