"""Writes for course content progress."""

from modules.models import LessonCompletion, LessonPage


def lesson_complete(*, employee, lesson: LessonPage) -> tuple[LessonCompletion, bool]:
    """Mark a lesson done for an employee. Repeating it is harmless: returns (row, created)."""
    return LessonCompletion.objects.get_or_create(employee=employee, lesson=lesson)
