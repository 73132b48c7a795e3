from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from modules.models import CoursePage
from assessments.selectors import certificates_of, courses_progress, responses_to_grade


@login_required
def my_learning(request):
    """The employee's home: every course with a progress bar, the next lesson, lessons done."""
    employee = getattr(request.user, "employee", None)
    courses = CoursePage.objects.live().order_by("path")
    progress_list = courses_progress(employee=employee, courses=courses)
    latest_certificates = {c.course_id: c for c in certificates_of(employee=employee)}
    context = {
        "employee": employee,
        "courses": [(progress, latest_certificates.get(progress.course.pk)) for progress in progress_list],
        "grading_count": responses_to_grade(user=request.user).count(),
    }
    return render(request, "dashboards/my_learning.html", context)
