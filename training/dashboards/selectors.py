"""Reads behind the dashboards: the manager's team grid. States come from `assessments.progress`."""

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.utils import timezone

from assessments.progress import COMPLETED, STATE_LABELS, progress_matrix
from training.enrollment.selectors import assignment_statuses, latest_dues
from training.people.models import Employee

GRID_STATES = list(STATE_LABELS.items())
GRID_SORTS = [("name", "Name"), ("progress", "Progress"), ("due", "Due date")]
PER_PAGE = 50


@dataclass(frozen=True)
class TeamGrid:
    page: Page  # rows: employee, cells (course, cell, assignment status, state, state_label)
    chart: list  # per course: segments (state, label, count, percent)


def team_grid(*, people, courses, state: str = "", sort: str = "name", page_number=None, per_page: int = PER_PAGE) -> TeamGrid:
    """People x courses: each cell's state (`course_state`, from the set-based `progress_matrix`
    and each pair's latest assignment), filtered by state and sorted by name, progress or next due
    date over everyone in `people` (a QuerySet); names and full assignment statuses are loaded for
    the shown page only. A fixed number of queries whatever the number of people."""
    today, now = timezone.localdate(), timezone.now()
    course_ids = [course.pk for course in courses]
    matrix = progress_matrix(employees=people, courses=courses, now=now)
    dues = latest_dues(employees=people, courses=courses)
    rows = []
    for person_id in people.order_by("user__last_name", "user__first_name", "pk").values_list("pk", flat=True):
        states = {
            course_id: matrix[(person_id, course_id)].state_at(dues.get((person_id, course_id)), today, now)
            for course_id in course_ids
        }
        rows.append({"employee_id": person_id, "states": states})
    if state in STATE_LABELS:
        rows = [row for row in rows if state in row["states"].values()]
    if sort == "progress":
        rows.sort(key=lambda row: sum(matrix[(row["employee_id"], course_id)].percent for course_id in course_ids))
    elif sort == "due":
        def next_due(row):
            pending = [dues[(row["employee_id"], course_id)].due_date for course_id in course_ids
                       if (row["employee_id"], course_id) in dues and row["states"][course_id] != COMPLETED]
            return min(pending, default=date.max)

        rows.sort(key=next_due)
    counts = {(course_id, key): 0 for course_id in course_ids for key in STATE_LABELS}
    for row in rows:
        for course_id, cell_state in row["states"].items():
            counts[(course_id, cell_state)] += 1
    chart = []
    for course in courses:
        total = sum(counts[(course.pk, key)] for key in STATE_LABELS) or 1
        segments = [(key, label, counts[(course.pk, key)], counts[(course.pk, key)] * 100 / total) for key, label in GRID_STATES]
        chart.append({"course": course, "segments": segments})
    page = Paginator(rows, per_page).get_page(page_number)
    employees = Employee.objects.select_related("user", "team").in_bulk([row["employee_id"] for row in page])
    assigned = assignment_statuses(employees=list(employees.values()), courses=courses)
    for row in page:
        row["employee"] = employees[row["employee_id"]]
        row["cells"] = [
            {
                "course": course,
                "cell": matrix[(row["employee_id"], course.pk)],
                "assignment": assigned.get((row["employee_id"], course.pk)),
                "state": row["states"][course.pk],
                "state_label": STATE_LABELS[row["states"][course.pk]],
            }
            for course in courses
        ]
    return TeamGrid(page=page, chart=chart)
