"""Question statistics per quiz (editors and HR): facility, discrimination, choice picks and the
score distribution, from stored points; and who may see them."""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction

from django.db.models import Avg, Count, OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from assessments import scoring
from assessments.models import Attempt, Response
from assessments.scoring import statistics
from modules.models import QuizPage
from training.people.selectors import is_hr


@dataclass(frozen=True)
class ChoiceStatistics:
    id: str
    label: str
    is_correct: bool
    count: int  # attempts that picked it
    share: Fraction  # of the attempts asked the question

    @property
    def percent(self) -> int:
        return round(self.share * 100)


@dataclass(frozen=True)
class QuestionStatistics:
    position: int  # 1-based: the live quiz's order, then questions since removed from it
    id: str
    prompt: str
    kind: str
    times_asked: int
    unanswered: int
    facility: Fraction | None
    discrimination: float | None
    choices: tuple[ChoiceStatistics, ...]  # single and multiple choice only
    weak_reasons: tuple[str, ...]

    @property
    def weak(self) -> bool:
        return bool(self.weak_reasons)

    @property
    def kind_label(self) -> str:
        """The question block's label, as editors know it."""
        block = QuizPage._meta.get_field("questions").stream_block.child_blocks.get(self.kind)
        return str(block.label) if block else self.kind

    @property
    def facility_percent(self):
        return None if self.facility is None else round(float(self.facility) * 100, 1)

    @property
    def discrimination_display(self) -> str:
        """Two decimals, rounded down, so a value flagged as below 0.2 never shows as 0.20."""
        if self.discrimination is None:
            return ""
        return str(Decimal(str(self.discrimination)).quantize(Decimal("0.01"), rounding=ROUND_FLOOR))


@dataclass(frozen=True)
class QuizStatistics:
    quiz: QuizPage
    attempt_count: int
    mean_percentage: Fraction | None
    distribution: tuple[int, ...]  # scoring.statistics.score_distribution bins
    questions: tuple[QuestionStatistics, ...]

    @property
    def mean_percent(self):
        return None if self.mean_percentage is None else round(float(self.mean_percentage), 1)


CHOICE_KINDS = ("single_choice", "multiple_choice")


def _choice_key(choice, live_keys: dict) -> str:
    """Choices are followed by id. Choices stored without list-item ids get fresh ids each time the
    quiz loads, so a choice whose id the live quiz does not know is matched by its text."""
    return live_keys.get(choice.id) or live_keys.get(choice.text) or f"text:{choice.text}"


def _picked_keys(value, keys: dict):
    """A choice answer (an id, or a list of ids) as choice keys; None stays None."""
    if value is None:
        return None
    return [keys[choice_id] for choice_id in ([value] if isinstance(value, str) else value) if choice_id in keys]


def quiz_statistics(*, quiz) -> QuizStatistics:
    """Per-question facility, discrimination and choice picks, and the score distribution, over
    the quiz's scored attempts. Two queries, whatever the number of attempts.

    Questions are matched across attempts by their id in the frozen spec; texts and answer keys
    come from the latest attempt that asked them (questions never asked yet: the live quiz).
    """
    attempts = list(
        Attempt.objects.scored().for_quiz(quiz).order_by("started_at", "pk").values_list("pk", "questions", "percentage")
    )
    answers = {
        (attempt_id, question_id): (value, points)
        for attempt_id, question_id, value, points in Response.objects.filter(
            attempt__quiz=quiz, attempt__state__in=Attempt.SCORED_STATES
        ).values_list("attempt_id", "question_id", "value", "points")
    }
    live = {spec.id: spec for spec in quiz.question_specs()}
    live_keys = {
        spec.id: {c.id: c.id for c in spec.choices} | {c.text: c.id for c in spec.choices}
        for spec in live.values()
        if spec.kind in CHOICE_KINDS
    }
    latest: dict[str, scoring.Question] = dict(live)
    choices_seen: dict[str, dict[str, scoring.Choice]] = {  # question id -> choice key -> latest choice
        question_id: {c.id: c for c in live[question_id].choices} for question_id in live_keys
    }
    scores: list[dict[str, tuple[Fraction, Fraction]]] = []
    values: dict[str, list] = {}
    for attempt_id, questions, _ in attempts:
        attempt_scores = {}
        for data in questions:
            spec = scoring.question_from_data(data)
            latest[spec.id] = spec
            value, points = answers.get((attempt_id, spec.id), (None, None))
            attempt_scores[spec.id] = (Fraction(points or 0), spec.max_points)
            if spec.kind in CHOICE_KINDS:
                keys = {c.id: _choice_key(c, live_keys.get(spec.id, {})) for c in spec.choices}
                choices_seen.setdefault(spec.id, {}).update({keys[c.id]: c for c in spec.choices})
                value = _picked_keys(value, keys)
            values.setdefault(spec.id, []).append(value)
        scores.append(attempt_scores)

    order = list(live) + [question_id for question_id in latest if question_id not in live]
    rows = []
    for position, question_id in enumerate(order, start=1):
        spec = latest[question_id]
        figures = statistics.question_figures(scores, question_id)
        given = values.get(question_id, [])
        choices = ()
        if spec.kind in CHOICE_KINDS:
            picks = statistics.choice_picks(given)
            seen = choices_seen.get(question_id, {})
            # The live quiz's order first (its choices were put in first), then the rest by text.
            editor_order = [c.id for c in getattr(live.get(question_id), "choices", ())]
            keys = editor_order + sorted((key for key in seen if key not in editor_order), key=lambda key: seen[key].text)
            choices = tuple(
                ChoiceStatistics(
                    id=key,
                    label=seen[key].text,
                    is_correct=seen[key].correct,
                    count=picks[key],
                    share=Fraction(picks[key], len(given)) if given else Fraction(0),
                )
                for key in keys
            )
        rows.append(
            QuestionStatistics(
                position=position,
                id=question_id,
                prompt=spec.prompt,
                kind=spec.kind,
                times_asked=figures.times_asked,
                unanswered=sum(1 for value in given if value is None),
                facility=figures.facility,
                discrimination=figures.discrimination,
                choices=choices,
                weak_reasons=figures.weak_reasons,
            )
        )
    percentages = [Fraction(percentage) for _, _, percentage in attempts]
    return QuizStatistics(
        quiz=quiz,
        attempt_count=len(attempts),
        mean_percentage=sum(percentages, Fraction(0)) / len(percentages) if percentages else None,
        distribution=statistics.score_distribution(percentages),
        questions=tuple(rows),
    )


def quizzes_for_statistics(*, user):
    """QuizPages whose statistics `user` may see: all for HR and superusers, else those they can edit."""
    if not user.is_authenticated:
        return QuizPage.objects.none()
    if is_hr(user):
        return QuizPage.objects.all()
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return QuizPage.objects.filter(pk__in=editable.values("pk"))


def quiz_statistics_summaries(*, user):
    """The quizzes of quizzes_for_statistics in tree order, each annotated with course_title,
    scored_attempts and mean_percentage (None without scored attempts), in one query."""
    scored = Q(attempts__state__in=Attempt.SCORED_STATES)
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    return (
        quizzes_for_statistics(user=user)
        .annotate(
            course_title=Subquery(Page.objects.filter(path=parent_path).values("title")[:1]),
            scored_attempts=Count("attempts", filter=scored),
            mean_percentage=Avg("attempts__percentage", filter=scored),
        )
        .order_by("path")
    )


def can_see_quiz_statistics(*, user, quiz) -> bool:
    """HR and superusers see every quiz's statistics; editors those of the quizzes they can edit.
    `quiz` may be a plain Page of a quiz (page listings)."""
    return user.is_authenticated and (quiz.permissions_for_user(user).can_edit() or is_hr(user))


def can_see_any_quiz_statistics(*, user) -> bool:
    """HR and superusers, and anyone who can edit at least one quiz (the list and its menu item)."""
    return user.is_authenticated and (is_hr(user) or quizzes_for_statistics(user=user).exists())

