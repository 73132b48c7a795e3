from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self):
        from modules.services import lesson_completed

        lesson_completed.connect(_certify_after_lesson, dispatch_uid="certify_after_lesson")


def _certify_after_lesson(sender, *, employee, lesson, **kwargs):
    from assessments.certification import certificate_issue
    from modules.models import CoursePage

    course = CoursePage.objects.parent_of(lesson).first()
    if course is not None:
        certificate_issue(employee=employee, course=course)
