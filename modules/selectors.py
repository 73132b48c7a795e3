"""Reads of course content and progress, each a fixed number of queries whatever the sizes."""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q

from wagtail.models import Page

from modules.models import CoursePage, LessonCompletion, LessonPage


@dataclass(frozen=True)
class CourseProgress:
    course: CoursePage
    lessons: list = field(default_factory=list)
    done_ids: frozenset = frozenset()

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def done_count(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.pk in self.done_ids)

    @property
    def percent(self) -> int:
        return round(self.done_count * 100 / self.total) if self.total else 0

    @property
    def is_complete(self) -> bool:
        return bool(self.total) and self.done_count == self.total

    @property
    def is_started(self) -> bool:
        return self.done_count > 0

    @property
    def next_lesson(self):
        return next((lesson for lesson in self.lessons if lesson.pk not in self.done_ids), None)


def courses_progress(*, employee, courses) -> list[CourseProgress]:
    """Each course with its live lessons in order and which of them the employee has done.

    Two queries for any number of courses (three when `courses` is an unevaluated QuerySet).
    `employee` may be None (an editor previewing): nothing is marked done.
    """
    courses = list(courses)
    if not courses:
        return []
    steplen = Page.steplen
    lessons_by_parent: dict[str, list] = {course.path: [] for course in courses}
    under_courses = reduce(or_, (Q(path__startswith=c.path, depth=c.depth + 1) for c in courses))
    lessons = list(LessonPage.objects.live().filter(under_courses).order_by("path").defer("body"))
    for lesson in lessons:
        lessons_by_parent.setdefault(lesson.path[:-steplen], []).append(lesson)
    done_ids = frozenset()
    if employee is not None:
        done_ids = frozenset(
            LessonCompletion.objects.filter(
                employee=employee, lesson_id__in=[lesson.pk for lesson in lessons]
            ).values_list("lesson_id", flat=True)
        )
    return [
        CourseProgress(course=course, lessons=lessons_by_parent[course.path], done_ids=done_ids) for course in courses
    ]
