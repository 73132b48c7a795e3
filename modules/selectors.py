"""Reads of course content and progress, each a fixed number of queries whatever the sizes."""

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Callable

from django.db.models import Q

from modules.course_tree import course_tree
from modules.models import CoursePage, LessonCompletion, LessonPage, QuizPage


def percent_done(done: int, total: int) -> int:
    """How much of a course is done, in whole percent, as every screen shows it (and the team grid
    sorts by it: `assessments.progress.progress_figure` reads this for its SQL)."""
    return round(done * 100 / total) if total else 0


@dataclass(frozen=True)
class Position:
    number: int
    previous: object
    next: object


@dataclass(frozen=True)
class CourseProgress:
    """A course's lessons and quizzes in order, and which of them the employee has done
    (a lesson marked done, a quiz passed under its grading policy), in the current certification
    cycle. `cycle` is that cycle (an `assessments.cycles.Cycle`) when the caller knows it."""

    course: CoursePage
    items: tuple = ()
    done_ids: frozenset = frozenset()
    cycle: object = None

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def done_count(self) -> int:
        return sum(1 for item in self.items if item.pk in self.done_ids)

    @property
    def percent(self) -> int:
        return percent_done(self.done_count, self.total)

    @property
    def is_complete(self) -> bool:
        return bool(self.total) and self.done_count == self.total

    @property
    def is_started(self) -> bool:
        return self.done_count > 0

    @property
    def next_item(self):
        return next((item for item in self.items if item.pk not in self.done_ids), None)

    def position(self, page) -> Position | None:
        ids = [item.pk for item in self.items]
        if page.pk not in ids:
            return None
        index = ids.index(page.pk)
        return Position(
            number=index + 1,
            previous=self.items[index - 1] if index > 0 else None,
            next=self.items[index + 1] if index + 1 < len(ids) else None,
        )


def course_outlines(courses) -> dict[int, tuple]:
    """Each course's live lessons and quizzes in order, by course id: from the cached course tree
    for live courses, else two queries for any number."""
    courses = list(courses)
    cached = course_tree().outlines
    outlines = {course.pk: cached[course.pk] for course in courses if course.pk in cached}
    missing = [course for course in courses if course.pk not in cached]
    return outlines | _outlines_read(missing)


def _outlines_read(courses) -> dict[int, tuple]:
    if not courses:
        return {}
    under_courses = reduce(or_, (Q(path__startswith=c.path, depth=c.depth + 1) for c in courses))
    lessons = list(LessonPage.objects.live().filter(under_courses).defer("body"))
    quizzes = list(QuizPage.objects.live().filter(under_courses).defer("questions"))
    by_path: dict[str, list] = {course.path: [] for course in courses}
    for page in sorted(lessons + quizzes, key=lambda p: p.path):
        by_path[page.path[: -CoursePage.steplen]].append(page)
    return {course.pk: tuple(by_path[course.path]) for course in courses}


def courses_progress(
    *,
    employee,
    courses,
    passed_quizzes: Callable[[list, dict], set] | None = None,
    counted_from: Callable[[dict], dict] | None = None,
    completions=None,
) -> list[CourseProgress]:
    """Each course with its live lessons and quizzes in order, and what the employee has done.

    Three queries for any number of courses, plus what the callbacks cost. `counted_from` (given
    the outlines by course id) returns page id -> the moment from which that page's completion
    counts (a recertification cycle's start; pages not listed always count); `passed_quizzes`
    (given the quiz pages and that mapping) returns the ids of those passed. Both come from the
    assessments app, which knows certificates. `employee` may be None (an editor previewing).
    `completions`, when the caller has read them, are the employee's (lesson id, completed at)
    pairs: then no query is made for them.
    """
    courses = list(courses)
    if not courses:
        return []
    outlines = course_outlines(courses)
    pages = [page for items in outlines.values() for page in items]
    lessons = [page for page in pages if not page.is_quiz]
    quizzes = [page for page in pages if page.is_quiz]
    done_ids = set()
    if employee is not None:
        since = counted_from(outlines) if counted_from else {}
        lesson_ids = {p.pk for p in lessons}
        if completions is None:
            completions = LessonCompletion.objects.filter(employee=employee, lesson__in=lesson_ids).values_list(
                "lesson_id", "completed_at"
            )
        done_ids.update(
            lesson_id
            for lesson_id, completed_at in completions
            if lesson_id in lesson_ids and (lesson_id not in since or completed_at >= since[lesson_id])
        )
        if quizzes and passed_quizzes:
            done_ids.update(passed_quizzes(quizzes, since))
    return [CourseProgress(course=course, items=outlines[course.pk], done_ids=frozenset(done_ids)) for course in courses]
