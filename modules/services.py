"""Writes for course content progress."""

from django.dispatch import Signal

from modules.models import LessonCompletion, LessonPage

# Sent with employee= and lesson= when a lesson is marked done for the first time; the
# assessments app listens to issue a certificate when that completes a course.
lesson_completed = Signal()


def lesson_complete(*, employee, lesson: LessonPage) -> tuple[LessonCompletion, bool]:
    """Mark a lesson done for an employee. Repeating it is harmless: returns (row, created)."""
    completion, created = LessonCompletion.objects.get_or_create(employee=employee, lesson=lesson)
    if created:
        lesson_completed.send(sender=LessonCompletion, employee=employee, lesson=lesson)
    return completion, created
