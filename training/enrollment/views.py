"""Thin views: managers and HR assign courses and nudge people; writes go through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from training.enrollment.forms import AssignmentForm
from training.enrollment.models import Assignment
from training.enrollment.selectors import assignment_summary, assignments_of
from training.enrollment.services import assignment_create, reminder_enqueue
from training.people.selectors import employees_visible_to


def _visible_or_404(user):
    visible = employees_visible_to(user=user)
    if not visible.exists():
        raise Http404("Only managers and HR assign courses.")
    return visible


@login_required
def assignment_create_view(request):
    """GET: the form and the open assignments of everyone the user may see; POST: assign."""
    visible = _visible_or_404(request.user)
    form = AssignmentForm(request.POST or None, visible=visible)
    if request.method == "POST" and form.is_valid():
        course, due_date = form.cleaned_data["course"], form.cleaned_data["due_date"]
        try:
            assignments = assignment_create(
                employees=form.cleaned_data["employees"], course=course, due_date=due_date, assigned_by=request.user
            )
        except ValueError as refusal:
            form.add_error("due_date", str(refusal))
        else:
            count = len(assignments)
            messages.success(
                request,
                f"Assigned {course.title} to {count} {'person' if count == 1 else 'people'}, due {date_format(due_date, 'j F Y')}.",
            )
            return redirect("assignment_create")
    statuses = assignments_of(employees=visible, include_completed=False)
    return render(
        request,
        "enrollment/assignment_form.html",
        {"form": form, "statuses": statuses, "summary": assignment_summary(statuses)},
        status=400 if form.errors else 200,  # a refused assignment: the form again, saying why
    )


@require_POST
@login_required
def assignment_remind(request, pk: int):
    """The manager's "send reminder" button: queues the email for a worker, then goes back."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("employee__user", "course"),
        pk=pk,
        employee__in=employees_visible_to(user=request.user),
    )
    name = assignment.employee.full_name
    if reminder_enqueue(assignment=assignment, sent_by=request.user):
        messages.success(request, f"A reminder about {assignment.course.title} is being sent to {name}.")
    else:
        messages.error(request, f"{name} has no active account with an email address, so no reminder was sent.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = reverse("assignment_create")
    return redirect(target)
