from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from modules.models import CoursePage
from training.ids import IdChoiceField, IdMultipleChoiceField
from training.people.models import Employee, Team


class AssignmentForm(forms.Form):
    """Assign a live course to chosen people and/or a whole team, due on a date. Only people in
    `visible` (the user's `employees_visible_to`) are offered or accepted."""

    course = IdChoiceField(queryset=CoursePage.objects.none(), empty_label="Choose a course")
    team = IdChoiceField(
        queryset=Team.objects.none(), required=False, empty_label="No whole team",
        help_text="Assigns everyone in the team.",
    )
    people = IdMultipleChoiceField(
        queryset=Employee.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "You can only assign people whose records you may see; employee %(value)s is not one of them.",
            "invalid_pk_value": "“%(pk)s” is not an employee.",
        },
    )
    due_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), help_text="The last day to complete the course.")

    def __init__(self, *args, visible, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.visible = visible
        self.fields["course"].queryset = CoursePage.objects.live().order_by("title")
        self.fields["team"].queryset = Team.objects.filter(pk__in=visible.values("team_id")).order_by("name")
        self.fields["people"].queryset = visible.select_related("user", "team").order_by(
            "team__name", "user__last_name", "user__first_name"
        )
        self.fields["people"].label_from_instance = lambda e: f"{e.full_name} ({e.team})" if e.team_id else e.full_name

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        if due_date < self.today:
            raise forms.ValidationError(
                f"The due date {date_format(due_date, 'j F Y')} is in the past; choose today or a later date."
            )
        return due_date

    def clean(self):
        cleaned = super().clean()
        team, people = cleaned.get("team"), cleaned.get("people")
        if "people" in self.errors or "team" in self.errors:
            return cleaned
        chosen = {employee.pk: employee for employee in people or []}
        if team is not None:
            chosen |= {employee.pk: employee for employee in self.visible.filter(team=team).select_related("user")}
        if not chosen:
            raise forms.ValidationError("Choose a team or at least one person to assign the course to.")
        cleaned["employees"] = list(chosen.values())
        return cleaned
