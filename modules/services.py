"""Writes for course content progress."""

from django.dispatch import Signal
from django.utils import timezone

from modules.models import LessonCompletion, LessonPage

# Sent with employee= and lesson= when a lesson is marked done (for the first time, or again in a
# cycle that repeats it); the assessments app listens to issue a certificate when that completes
# a course.
lesson_completed = Signal()

# Asked with employee= and lesson= when a lesson already marked done is marked again; receivers
# return the moment from which a completion counts (the assessments app: the start of a
# recertification cycle that repeats lessons) or None. Modules does not know about certificates.
lesson_counts_from = Signal()


def lesson_complete(*, employee, lesson: LessonPage) -> tuple[LessonCompletion, bool]:
    """Mark a lesson done for an employee; returns (row, done now). Repeating it is harmless,
    except that a completion from before the current cycle (in a course that repeats lessons on
    recertification) is recorded again, as done now."""
    completion, created = LessonCompletion.objects.get_or_create(employee=employee, lesson=lesson)
    if not created:
        answers = [moment for _, moment in lesson_counts_from.send(sender=LessonCompletion, employee=employee, lesson=lesson)]
        counts_from = max((moment for moment in answers if moment is not None), default=None)
        if counts_from is not None and completion.completed_at < counts_from:
            completion.completed_at = timezone.now()
            completion.save(update_fields=["completed_at"])
            created = True
    if created:
        lesson_completed.send(sender=LessonCompletion, employee=employee, lesson=lesson)
    return completion, created
