"""The scoring core: pure Python, no Django. Question specs + responses -> results.

Extend it with a new question type by adding a spec dataclass in questions.py (with its
public_data), a branch in clean_response and one in grade; tests/assessments/test_scoring.py
shows the shape of the tests each type needs.
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

__all__ = [name for name in dir() if not name.startswith("_")]
