"""Template tags that put course progress (lessons done, quizzes passed) on any page, and the
links to this app's attempt pages (so the quiz page's template names none of our URLs).

They read the signed-in employee's progress record (`assessments.progress.person_record`: three
queries) once per request, however many of them a page uses; it is kept on the request only."""

from django import template
from django.urls import reverse

from assessments.models import Attempt
from assessments.progress import courses_progress, person_record, quiz_standings
from assessments.attempts.selectors import time_limit_for

register = template.Library()


def _employee(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return getattr(user, "employee", None) if user is not None and user.is_authenticated else None


def _record(context):
    """The employee's progress record, read once per request."""
    request = context.get("request")
    employee = _employee(context)
    if request is None:
        return person_record(employee=employee)
    memo = getattr(request, "_person_record", None)
    if memo is None or memo[0] != employee:
        request._person_record = (employee, person_record(employee=employee))
    return request._person_record[1]


@register.simple_tag(takes_context=True)
def course_progress(context, course):
    """{% course_progress course as progress %}"""
    return courses_progress(employee=_employee(context), courses=[course], record=_record(context))[0] if course else None


@register.simple_tag(takes_context=True)
def catalog_progress(context, courses):
    """{% catalog_progress courses as progress_list %}"""
    return courses_progress(employee=_employee(context), courses=courses, record=_record(context))


@register.simple_tag
def outline_position(progress, page):
    """{% outline_position progress page as position %}: number, previous and next item."""
    return progress.position(page) if progress else None


@register.simple_tag(takes_context=True)
def quiz_standing(context, quiz):
    """{% quiz_standing quiz as standing %}: the employee's grade, attempts used and open attempt."""
    return quiz_standings(employee=_employee(context), quizzes=[quiz], record=_record(context))[quiz.pk]


@register.simple_tag(takes_context=True)
def quiz_attempts(context, quiz):
    """{% quiz_attempts quiz as attempts %}: the employee's attempts at this quiz, oldest first."""
    return [attempt for attempt in _record(context).attempts if attempt.quiz_id == quiz.pk]


@register.simple_tag(takes_context=True)
def time_limit(context, quiz):
    """{% time_limit quiz as limit %}: the signed-in person's own limit (extra time included), or None."""
    return time_limit_for(employee=_employee(context), quiz=quiz)


@register.simple_tag
def quiz_start_url(quiz):
    """{% quiz_start_url quiz %}: where the "Start the quiz" form posts."""
    return reverse("quiz_start", args=[quiz.pk])


@register.simple_tag
def attempt_url(attempt):
    """{% attempt_url attempt %}: an open attempt's questions, or a finished one's result."""
    return reverse("attempt_take" if attempt.is_open else "attempt_result", args=[attempt.pk])
