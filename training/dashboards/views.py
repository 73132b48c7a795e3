from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from modules.models import CoursePage
from assessments.selectors import courses_progress


@login_required
def my_learning(request):
    """The employee's home: every course with a progress bar, the next lesson, lessons done."""
    employee = getattr(request.user, "employee", None)
    courses = CoursePage.objects.live().order_by("path")
    progress_list = courses_progress(employee=employee, courses=courses)
    return render(
        request,
        "dashboards/my_learning.html",
        {"employee": employee, "progress_list": progress_list},
    )
