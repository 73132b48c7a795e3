from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from assessments.models import Attempt
from assessments.selectors import certificates_of, courses_progress, progress_matrix, responses_to_grade
from modules.models import CoursePage
from training.enrollment.selectors import assignment_statuses, assignments_for
from training.people.models import Team
from training.people.selectors import employees_visible_to

STATES = [("not_started", "Not started"), ("in_progress", "In progress"), ("overdue", "Overdue"), ("completed", "Completed")]
SORTS = [("name", "Name"), ("progress", "Progress"), ("due", "Due date")]
PER_PAGE = 50


@login_required
def my_learning(request):
    """The employee's home: every course with a progress bar, the next step, lessons done."""
    employee = getattr(request.user, "employee", None)
    courses = CoursePage.objects.live().order_by("path")
    progress_list = courses_progress(employee=employee, courses=courses)
    latest_certificates = {c.course_id: c for c in certificates_of(employee=employee)}
    assignments = assignments_for(employee=employee)
    due = {status.course.pk: status for status in assignments}
    context = {
        "employee": employee,
        "assignments": assignments,
        "courses": [
            (progress, latest_certificates.get(progress.course.pk), due.get(progress.course.pk)) for progress in progress_list
        ],
        "grading_count": responses_to_grade(user=request.user).count(),
        "can_assign": employees_visible_to(user=request.user).exists(),
    }
    return render(request, "dashboards/my_learning.html", context)


def _visible_or_404(user):
    people = employees_visible_to(user=user)
    if not people.exists():
        raise Http404("You have no team to follow.")
    return people


@login_required
def team(request):
    """The manager's grid: people x courses, filtered and sorted, with a picture per course."""
    people = _visible_or_404(request.user).select_related("user", "team")
    courses = list(CoursePage.objects.live().order_by("path"))
    teams = Team.objects.filter(members__in=people).distinct()
    selected_course = next((c for c in courses if str(c.pk) == request.GET.get("course")), None)
    shown_courses = [selected_course] if selected_course else courses
    selected_team = request.GET.get("team", "")
    if selected_team.isdigit():
        people = people.filter(team_id=int(selected_team))
    matrix = progress_matrix(employees=people, courses=shown_courses)
    assigned = assignment_statuses(employees=people, courses=shown_courses)
    state = request.GET.get("state", "")
    sort = request.GET.get("sort", "name")
    rows = []
    for person in people.order_by("user__last_name", "user__first_name"):
        cells = []
        for course in shown_courses:
            cell, status = matrix[(person.pk, course.pk)], assigned.get((person.pk, course.pk))
            overdue = status is not None and status.is_overdue and cell.state != "completed"
            cells.append({"course": course, "cell": cell, "assignment": status, "state": "overdue" if overdue else cell.state})
        rows.append({"employee": person, "cells": cells})
    if state in dict(STATES):
        rows = [row for row in rows if any(c["state"] == state for c in row["cells"])]
    if sort == "progress":
        rows.sort(key=lambda row: sum(c["cell"].percent for c in row["cells"]))
    elif sort == "due":
        far = date.max
        rows.sort(key=lambda row: min((c["assignment"].due_date for c in row["cells"] if c["assignment"] and c["assignment"].is_open), default=far))
    chart = [
        {
            "course": course,
            "counts": [
                (key, label, sum(1 for row in rows for c in row["cells"] if c["course"] == course and c["state"] == key))
                for key, label in STATES
            ],
        }
        for course in shown_courses
    ]
    for bar in chart:
        total = sum(count for _, _, count in bar["counts"]) or 1
        bar["segments"] = [(key, label, count, count * 100 / total) for key, label, count in bar["counts"]]
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "courses": courses,
        "shown_courses": shown_courses,
        "teams": teams,
        "chart": chart,
        "states": STATES,
        "sorts": SORTS,
        "filters": {"course": request.GET.get("course", ""), "team": selected_team, "state": state, "sort": sort},
        "grading_count": responses_to_grade(user=request.user).count(),
    }
    return render(request, "dashboards/team.html", context)


@login_required
def team_member(request, employee_id: int):
    """One person's record: lessons and quizzes per course, every attempt, certificates."""
    person = get_object_or_404(_visible_or_404(request.user).select_related("user", "team"), pk=employee_id)
    courses = list(CoursePage.objects.live().order_by("path"))
    context = {
        "person": person,
        "progress_list": courses_progress(employee=person, courses=courses),
        "attempts": Attempt.objects.of(person).select_related("quiz").order_by("-started_at"),
        "certificates": certificates_of(employee=person)[::-1],
    }
    return render(request, "dashboards/team_member.html", context)
