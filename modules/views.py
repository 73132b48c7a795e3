from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from modules.models import LessonPage
from modules.services import lesson_complete


@require_POST
@login_required
def lesson_complete_view(request, lesson_id: int):
    employee = getattr(request.user, "employee", None)
    if employee is None:
        raise Http404("Only employees record lesson progress.")
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    _, created = lesson_complete(employee=employee, lesson=lesson)
    if created:
        messages.success(request, f"“{lesson.title}” marked as done.")
    else:
        messages.info(request, f"“{lesson.title}” was already marked as done.")
    return redirect(lesson.get_url(request))
