"""HR reports in the Wagtail admin. Each is Wagtail's ReportView (filters, pagination, export
buttons) with downloads that stream every row the filters select, formulas neutralised."""

from operator import attrgetter

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets.button import Button

from assessments.cycles import recertifications_due
from assessments.models import Attempt, Certificate
from assessments.attempts.presenters import STATUS_LABELS, describe_response
from assessments.attempts.review import attempt_review
from assessments.attempts.services import decimal_points
from modules.models import CoursePage
from training.dashboards.reports import filters, selectors
from training.dashboards.reports.spreadsheets import spreadsheet_response
from training.enrollment.selectors import overdue_assignments


def _name(item) -> str:
    return item.employee.user.get_full_name() or item.employee.user.username


def _team(item) -> str:
    return item.employee.team.name if item.employee.team else ""


def _getter(path: str):
    """Reads a dotted path from a row, calling a method at the end (get_state_display)."""
    get = attrgetter(path)

    def value(item):
        found = get(item)
        return found() if callable(found) else found

    return value


def _percent(value):
    return f"{value:.0f}%" if value is not None else ""


class AcademyReport(ReportView):
    """`fields` lists (heading, dotted path or function of a row) once, for the table and the
    spreadsheets alike."""

    fields: list = []
    header_icon = "table"
    export_filename = "report"

    @cached_property
    def getters(self):
        return [get if callable(get) else _getter(get) for _, get in self.fields]

    @cached_property
    def columns(self):
        headings = [heading for heading, _ in self.fields]
        return [Column(f"column{index}", label=heading, accessor=get) for index, (heading, get) in enumerate(zip(headings, self.getters))]

    @property
    def show_export_buttons(self):
        return True

    def get_filename(self):
        return f"{self.export_filename}-{timezone.localdate():%Y-%m-%d}"

    def export_headings_and_rows(self, queryset):
        rows = queryset.iterator(chunk_size=2000) if isinstance(queryset, QuerySet) else queryset
        headings = [heading for heading, _ in self.fields]
        getters = self.getters
        return headings, ([get(item) for get in getters] for item in rows)

    def get(self, request, *args, **kwargs):
        if not self.is_export:
            response = super().get(request, *args, **kwargs)
            # A bad filter is shown by its field; the whole page also says 400 (the results
            # fragment Wagtail's filter script fetches stays 200, or it would not be shown).
            if not self.results_only and self.filters and not self.filters.is_valid():
                response.status_code = 400
            return response
        if self.filters and not self.filters.is_valid():
            problems = "; ".join(filters.filter_problems(self.filters))
            return HttpResponseBadRequest(f"Nothing exported. Check the filters — {problems}", content_type="text/plain")
        headings, rows = self.export_headings_and_rows(self.get_filtered_queryset())
        return spreadsheet_response(request.GET["export"], self.get_filename(), headings, rows)


class CompletionsReport(AcademyReport):
    page_title = "Completions by course and team"
    header_icon = "tick-inverse"
    filterset_class = filters.CompletionFilterSet
    index_url_name = "academy_report_completions"
    index_results_url_name = "academy_report_completions_results"
    export_filename = "completions"
    fields = [
        ("Team", "team.name"),
        ("Course", "course.title"),
        ("Active people", "people"),
        ("Assigned", "assigned"),
        ("Completed", "completed"),
        ("Completion rate", lambda row: _percent(row.rate)),
        ("Recertification due", "recertification_due"),
    ]

    def get_queryset(self):
        data = self.filters.form.cleaned_data if self.filters.is_valid() else {}
        return selectors.completions_by_team_and_course(
            team=data.get("team"), course=data.get("course"), completed=data.get("completed")
        )

    def filter_queryset(self, queryset):
        return queryset  # the filters went into the aggregation


def _course_title():
    """The title of an attempt's course: the quiz page's parent in the page tree."""
    parent_path = Substr(OuterRef("quiz__path"), 1, Length(OuterRef("quiz__path")) - CoursePage.steplen)
    return Subquery(CoursePage.objects.filter(path=parent_path).values("title")[:1])


def _person(item) -> str:
    return f"{item.first_name} {item.last_name}".strip() or item.username


def attempts_with_names():
    """Attempts with the names a report shows, and nothing heavy: not the frozen questions, not
    the quiz's content."""
    return (
        Attempt.objects.only("employee_id", "quiz_id", "number", "state", "started_at", "submitted_at", "percentage", "passed")
        .annotate(
            first_name=F("employee__user__first_name"),
            last_name=F("employee__user__last_name"),
            username=F("employee__user__username"),
            employee_number=F("employee__employee_number"),
            team_name=F("employee__team__name"),
            quiz_title=F("quiz__title"),
            course_title=_course_title(),
        )
        .order_by("-started_at", "-pk")
    )


class AttemptsReport(AcademyReport):
    page_title = "Attempts and scores"
    header_icon = "list-ol"
    filterset_class = filters.AttemptFilterSet
    index_url_name = "academy_report_attempts"
    index_results_url_name = "academy_report_attempts_results"
    export_filename = "attempts"
    fields = [
        ("Employee", _person),
        ("Employee number", "employee_number"),
        ("Team", "team_name"),
        ("Course", "course_title"),
        ("Quiz", "quiz_title"),
        ("Attempt", "number"),
        ("Started", "started_at"),
        ("Submitted", "submitted_at"),
        ("State", "get_state_display"),
        ("Score", lambda attempt: _percent(attempt.percentage)),
        ("Result", lambda attempt: {True: "Passed", False: "Failed"}.get(attempt.passed, "")),
    ]

    def get_base_queryset(self):
        return attempts_with_names()

    @cached_property
    def header_more_buttons(self):
        params = self.request.GET.copy()
        params.pop("p", None)
        url = reverse("academy_report_responses")
        return [
            *super().header_more_buttons,
            *(
                Button(f"Download every answer ({label})", url=f"{url}?{_with(params, export=fmt)}", icon_name="download", priority=110 + index)
                for index, (fmt, label) in enumerate([("xlsx", "XLSX"), ("csv", "CSV")])
            ),
        ]


def _with(params, **extra):
    params = params.copy()
    for key, value in extra.items():
        params[key] = value
    return params.urlencode()


class ResponsesExport(AttemptsReport):
    """Every answer of every attempt the attempts report's filters select, with its points: the
    audit trail. Download only; the page itself is the attempts report."""

    export_filename = "answers"
    headings = [
        "Employee", "Employee number", "Team", "Course", "Quiz", "Attempt", "Submitted",
        "Question", "Question id", "Question text", "Answer", "Points", "Out of", "Marked",
    ]

    def get(self, request, *args, **kwargs):
        if not self.is_export:
            return redirect(f"{reverse('academy_report_attempts')}?{request.GET.urlencode()}")
        return super().get(request, *args, **kwargs)

    def export_headings_and_rows(self, queryset):
        attempts = queryset.defer(None).prefetch_related("responses").iterator(chunk_size=500)
        return self.headings, (row for attempt in attempts for row in self.answer_rows(attempt))

    def answer_rows(self, attempt):
        person = [_person(attempt), attempt.employee_number, attempt.team_name, attempt.course_title, attempt.quiz_title,
                  attempt.number, attempt.submitted_at]
        for answer in attempt_review(attempt):  # the stored points and statuses: never graded again here
            spec = answer.question
            yield [*person, answer.number, spec.id, spec.prompt, describe_response(spec.public_data(), answer.value),
                   decimal_points(answer.points), decimal_points(answer.max_points), STATUS_LABELS[answer.status]]


def _certificate_status(certificate) -> str:
    """"Valid", "Expired", "Revoked"; a certificate whose renewal cycle is open and not yet met
    adds "recertification due <its expiry>" (`assessments.cycles`)."""
    status = certificate.status().capitalize()
    if getattr(certificate, "recertification_due", False):
        status += f" · recertification due {date_format(timezone.localdate(certificate.expires_at), 'j M Y')}"
    return status


def _reason(assignment) -> str:
    if assignment.reason == assignment.Reason.RECERTIFICATION:
        return f"Recertification due {date_format(assignment.due_date, 'j M Y')}"
    return assignment.get_reason_display()


class CertificatesReport(AcademyReport):
    page_title = "Certificates"
    header_icon = "doc-full"
    filterset_class = filters.CertificateFilterSet
    index_url_name = "academy_report_certificates"
    index_results_url_name = "academy_report_certificates_results"
    results_template_name = "dashboards/reports/certificates_results.html"
    export_filename = "certificates"
    fields = [
        ("Employee", _name),
        ("Employee number", "employee.employee_number"),
        ("Team", _team),
        ("Course", "course.title"),
        ("Issued", "issued_at"),
        ("Expires", "expires_at"),
        ("Status", lambda certificate: _certificate_status(certificate)),
        ("Score", lambda certificate: _percent(certificate.score)),
        ("Code", "code"),
    ]

    def get_base_queryset(self):
        due = recertifications_due(Certificate.objects.filter(pk=OuterRef("pk")), today=timezone.localdate())
        return filters.certificates_report_queryset().annotate(recertification_due=Exists(due))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        for key in ("p", "export", "ordering", "_w_filter_fragment"):
            params.pop(key, None)
        context["zip_params"] = [(key, value) for key, values in params.lists() for value in values]
        return context


class OverdueReport(AcademyReport):
    page_title = "Overdue assignments"
    header_icon = "warning"
    filterset_class = filters.AssignmentFilterSet
    index_url_name = "academy_report_overdue"
    index_results_url_name = "academy_report_overdue_results"
    export_filename = "overdue-assignments"
    fields = [
        ("Employee", _name),
        ("Employee number", "employee.employee_number"),
        ("Team", _team),
        ("Course", "course.title"),
        ("Due", "due_date"),
        ("Days overdue", lambda assignment: (timezone.localdate() - assignment.due_date).days),
        ("Reason", lambda assignment: _reason(assignment)),
        ("Assigned by", lambda assignment: assignment.assigned_by.get_full_name() if assignment.assigned_by else "Automatic"),
    ]

    def get_base_queryset(self):
        return overdue_assignments().select_related("employee__user", "employee__team", "course", "assigned_by").order_by(
            "due_date", "pk"
        )
