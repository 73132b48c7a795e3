from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from assessments.models import Attempt
from assessments.selectors import certificates_of, courses_progress, progress_matrix, responses_to_grade
from modules.models import CoursePage
from training.enrollment.selectors import assignment_statuses, assignments_for, latest_due_dates
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
    # Cheap per-cell states for everyone (filters, sort, picture); full assignment statuses only
    # for the page shown.
    matrix = progress_matrix(employees=people, courses=shown_courses)
    due = latest_due_dates(employees=people, courses=shown_courses)
    today = timezone.localdate()
    state = request.GET.get("state", "")
    sort = request.GET.get("sort", "name")
    rows = []
    for person in people.order_by("user__last_name", "user__first_name"):
        states = {}
        for course in shown_courses:
            cell, due_date = matrix[(person.pk, course.pk)], due.get((person.pk, course.pk))
            overdue = due_date is not None and due_date < today and cell.state != "completed"
            states[course.pk] = "overdue" if overdue else cell.state
        rows.append({"employee": person, "states": states})
    if state in dict(STATES):
        rows = [row for row in rows if state in row["states"].values()]
    if sort == "progress":
        rows.sort(key=lambda row: sum(matrix[(row["employee"].pk, c.pk)].percent for c in shown_courses))
    elif sort == "due":
        def next_due(row):
            pending = [due[(row["employee"].pk, c.pk)] for c in shown_courses
                       if (row["employee"].pk, c.pk) in due and row["states"][c.pk] != "completed"]
            return min(pending, default=date.max)

        rows.sort(key=next_due)
    chart = [
        {
            "course": course,
            "counts": [(key, label, sum(1 for row in rows if row["states"][course.pk] == key)) for key, label in STATES],
        }
        for course in shown_courses
    ]
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    assigned = assignment_statuses(employees=[row["employee"] for row in page], courses=shown_courses)
    for row in page:
        row["cells"] = [
            {
                "course": course,
                "cell": matrix[(row["employee"].pk, course.pk)],
                "assignment": assigned.get((row["employee"].pk, course.pk)),
                "state": row["states"][course.pk],
            }
            for course in shown_courses
        ]
    for bar in chart:
        total = sum(count for _, _, count in bar["counts"]) or 1
        bar["segments"] = [(key, label, count, count * 100 / total) for key, label, count in bar["counts"]]
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
