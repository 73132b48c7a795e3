"""The filters of the HR reports. Each FilterSet narrows one report's queryset; the bulk
certificate export reuses CertificateFilterSet, so a ZIP holds exactly what the report shows."""

import django_filters
from django import forms
from django.utils import timezone
from django_filters.widgets import SuffixedMultiWidget
from wagtail.admin.filters import WagtailFilterSet

from assessments.models import Attempt, Certificate
from assessments.progress import certificate_status_q
from modules.models import CoursePage, QuizPage
from training.enrollment.models import Assignment
from training.ids import IdModelChoiceFilter
from training.people.models import Team

EXPIRING_WITHIN_DAYS = 30


def _courses(request):
    return CoursePage.objects.order_by("title")


def _quizzes(request):
    return QuizPage.objects.order_by("path")


def _teams(request):
    return Team.objects.order_by("name")


def filter_problems(filterset) -> list[str]:
    """A filter form's errors as sentences that name the field: 'Course: Select a valid choice ...'."""
    form = filterset.form
    return [
        f"{form.fields[name].label if name in form.fields else name}: {' '.join(errors)}"
        for name, errors in form.errors.items()
    ]


class ObjectFilter(IdModelChoiceFilter):
    """Every report's choice of a course, quiz or team: an impossible id (above 2**63 - 1, not
    digits) is the filter's "Select a valid choice" error, never a query (`training.ids`)."""


def course_filter(field_name):
    return ObjectFilter(label="Course", field_name=field_name, queryset=_courses)


def team_filter(field_name):
    return ObjectFilter(label="Team", field_name=field_name, queryset=_teams)


class DateRangeWidget(SuffixedMultiWidget):
    """Two of the browser's own date inputs (`_from`, `_to`, the parameters Wagtail's
    DateRangePickerWidget sends). Wagtail's picker writes an inline <script> per input, which the
    reports' Content-Security-Policy does not run; a native date input needs no script at all."""

    template_name = "wagtailadmin/widgets/range_input.html"
    suffixes = ["from", "to"]

    def __init__(self, attrs=None):
        super().__init__(
            [
                forms.DateInput(attrs={"type": "date", "title": "Date from"}, format="%Y-%m-%d"),
                forms.DateInput(attrs={"type": "date", "title": "Date to"}, format="%Y-%m-%d"),
            ],
            attrs,
        )

    def decompress(self, value):
        return [value.start, value.stop] if value else [None, None]


def date_range_filter(field_name, label, **kwargs):
    return django_filters.DateFromToRangeFilter(label=label, field_name=field_name, widget=DateRangeWidget, **kwargs)


class CertificateFilterSet(WagtailFilterSet):
    STATUSES = [
        ("valid", "Valid"),
        ("expiring", "Expiring soon"),
        ("expired", "Expired"),
        ("revoked", "Revoked"),
    ]

    course = course_filter("course")
    team = team_filter("employee__team")
    issued = date_range_filter("issued_at", "Issued between")
    status = django_filters.ChoiceFilter(
        label="Status", choices=STATUSES, method="filter_status", widget=forms.RadioSelect, empty_label="All"
    )
    expiring_within = django_filters.NumberFilter(
        label="Expiring soon means within (days)",
        method="filter_nothing",
        min_value=1,
        max_value=3650,
        widget=forms.NumberInput(attrs={"placeholder": str(EXPIRING_WITHIN_DAYS)}),
    )

    class Meta:
        model = Certificate
        fields = ["course", "team", "issued", "status", "expiring_within"]

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by filter_status

    def filter_status(self, queryset, name, value):
        days = self.form.cleaned_data.get("expiring_within") or EXPIRING_WITHIN_DAYS
        return queryset.filter(certificate_status_q(value, now=timezone.now(), expiring_within_days=int(days)))


def certificates_report_queryset():
    return Certificate.objects.select_related("employee__user", "employee__team", "course").order_by(
        "-issued_at", "-pk"
    )


class AttemptFilterSet(WagtailFilterSet):
    STATUSES = [
        ("passed", "Passed"),
        ("failed", "Failed"),
        ("awaiting_grading", "Awaiting grading"),
        ("in_progress", "In progress"),
    ]

    course = ObjectFilter(label="Course", queryset=_courses, method="filter_course")
    quiz = ObjectFilter(label="Quiz", field_name="quiz", queryset=_quizzes)
    team = team_filter("employee__team")
    started = date_range_filter("started_at", "Started between")
    status = django_filters.ChoiceFilter(
        label="Status", choices=STATUSES, method="filter_status", widget=forms.RadioSelect, empty_label="All"
    )

    class Meta:
        model = Attempt
        fields = ["course", "quiz", "team", "started", "status"]

    def filter_course(self, queryset, name, value):
        return queryset.filter(quiz__path__startswith=value.path)

    def filter_status(self, queryset, name, value):
        if value == "passed":
            return queryset.filter(passed=True)
        if value == "failed":
            return queryset.filter(passed=False, state__in=Attempt.SCORED_STATES)
        return queryset.filter(state=value)


class AssignmentFilterSet(WagtailFilterSet):
    course = course_filter("course")
    team = team_filter("employee__team")
    due = date_range_filter("due_date", "Due between")
    reason = django_filters.ChoiceFilter(
        label="Reason", choices=Assignment.Reason.choices, widget=forms.RadioSelect, empty_label="All"
    )

    class Meta:
        model = Assignment
        fields = ["course", "team", "due", "reason"]


class CompletionFilterSet(WagtailFilterSet):
    """Read by the completions report, which aggregates rather than filters a queryset."""

    course = ObjectFilter(label="Course", queryset=_courses, method="keep")
    team = ObjectFilter(label="Team", queryset=_teams, method="keep")
    completed = date_range_filter(None, "Completed between", method="keep")

    class Meta:
        model = Team
        fields = ["course", "team", "completed"]

    def keep(self, queryset, name, value):
        return queryset
