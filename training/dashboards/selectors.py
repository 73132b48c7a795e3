"""Reads behind the dashboards: the manager's team grid. States come from `assessments.progress`."""

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.utils import timezone

from assessments.progress import COMPLETED, STATE_LABELS, progress_figure, progress_matrix
from modules.selectors import course_outlines
from training.enrollment.selectors import assignment_statuses, course_states
from training.people.models import Employee

GRID_STATES = list(STATE_LABELS.items())
GRID_SORTS = [("name", "Name"), ("progress", "Progress"), ("due", "Due date")]
PER_PAGE = 50


@dataclass(frozen=True)
class TeamGrid:
    page: Page  # rows: employee, cells (course, cell, assignment status, state, state_label)
    chart: list  # per course: segments (state, label, count, percent)


def team_grid(*, people, courses, state: str = "", sort: str = "name", page_number=None, per_page: int = PER_PAGE) -> TeamGrid:
    """People x courses: each cell's state decided in SQL (`course_states`, the set-based form of
    `course_state`), filtered by state, counted for the picture and sorted by name or next due
    date over everyone in `people` (a QuerySet) from one small row per cell, or sorted by progress
    (least done first) by the database (`progress_figure`, the set-based form of the percent each
    cell shows); lessons done, best scores, certificates and assignment statuses
    (`progress_matrix`, `assignment_statuses`) are loaded for the shown page only. A fixed number
    of queries whatever the number of people and whichever the sort; ties go by name."""
    today, now = timezone.localdate(), timezone.now()
    course_ids = [course.pk for course in courses]
    outlines = course_outlines(courses)
    cells = course_states(employees=people, courses=courses, today=today, now=now, outlines=outlines)  # person id -> (state, due) per course
    by_name = ("user__last_name", "user__first_name", "pk")
    if sort == "progress":
        in_order = people.annotate(progress=progress_figure(courses=courses, now=now, outlines=outlines)).order_by("progress", *by_name)
    else:
        in_order = people.order_by(*by_name)
    rows = [
        {"employee_id": person_id, "states": dict(zip(course_ids, [state for state, _ in cells[person_id]]))}
        for person_id in in_order.values_list("pk", flat=True)
        if person_id in cells  # someone added between the two queries shows on the next load
    ]
    if state in STATE_LABELS:
        rows = [row for row in rows if state in row["states"].values()]
    if sort == "due":
        def next_due(row):
            pending = [due for state, due in cells[row["employee_id"]] if due is not None and state != COMPLETED]
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
    shown_ids = [row["employee_id"] for row in page]
    employees = Employee.objects.select_related("user", "team").in_bulk(shown_ids)
    matrix = progress_matrix(employees=shown_ids, courses=courses, now=now, outlines=outlines)
    assigned = assignment_statuses(employees=shown_ids, courses=courses, today=today, cells=matrix)
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
