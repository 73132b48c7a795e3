from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self):
        from modules.services import lesson_completed, lesson_counts_from

        lesson_completed.connect(_certify_after_lesson, dispatch_uid="certify_after_lesson")
        lesson_counts_from.connect(_lesson_counts_from, dispatch_uid="lesson_counts_from_cycle")


def _certify_after_lesson(sender, *, employee, lesson, **kwargs):
    """modules cannot import assessments, so a lesson's completion arrives as a signal; it takes
    the same route as a passed quiz (`certificate_issue_after_step`)."""
    from assessments.certificates.services import certificate_issue_after_step

    certificate_issue_after_step(employee=employee, step=lesson)


def _lesson_counts_from(sender, *, employee, lesson, **kwargs):
    """When a lesson's completion counts: from the start of the employee's current cycle in a
    course that repeats lessons on recertification (`assessments.cycles.counted_from`), else always."""
    from assessments.progress import course_cycles
    from modules.models import CoursePage

    course = CoursePage.objects.parent_of(lesson).first()
    if course is None or not course.recertification_repeats_lessons:
        return None
    return course_cycles(employee=employee, courses=[course])[course.pk].starts_at
