"""The scoring core: pure Python, no Django. Question specs + responses -> results.

Extend it with a new question type by adding a spec dataclass in questions.py (with its
public_data), a branch in clean_response and one in grade, and (if it has choices, items or other
ids of its own) branches in tokens.py; tests/assessments/test_scoring.py and test_tokens.py show the
shape of the tests each type needs.
"""

from .grading import (
    AVERAGE,
    CORRECT,
    FIRST,
    HIGHEST,
    INCORRECT,
    LATEST,
    NEEDS_GRADING,
    PARTIAL,
    POLICIES,
    UNANSWERED,
    AttemptResult,
    QuestionResult,
    ResponseError,
    attempt_result,
    clean_response,
    grade,
    grade_over_attempts,
)
from .questions import (
    KINDS,
    Choice,
    Item,
    Matching,
    MultipleChoice,
    Numeric,
    Option,
    Ordering,
    Pair,
    Question,
    ScenarioJudgement,
    ShortText,
    SingleChoice,
    TrueFalse,
    Written,
    question_from_data,
)
from .tokens import answers_from_public, draw_tokens, in_tokens, new_token, response_from_public, response_to_public

__all__ = [name for name in dir() if not name.startswith("_")]
