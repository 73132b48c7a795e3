from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessments.attempts.forms import TimeAccommodationForm
from assessments.models import Attempt, TimeAccommodation
from assessments.progress import certificates_of, course_standings, courses_progress, person_record
from assessments.attempts.selectors import responses_to_grade
from assessments.attempts.services import AccommodationRefused, time_accommodation_end, time_accommodation_grant
from modules.course_tree import course_tree
from modules.models import CoursePage
from training.dashboards.selectors import GRID_SORTS, GRID_STATES, team_grid
from training.enrollment.selectors import assignments_for
from training.ids import parse_id
from training.people.models import Employee, Team
from training.people.invitations import invitations_enqueue
from training.people.selectors import employees_visible_to, is_hr
from training.people.signin import login_locked, login_unlock



@login_required
def my_learning(request):
    """The employee's home: every course with a progress bar, the next step, lessons done.
    The employee's progress record is read once (three queries) and everything here is made from
    it; the courses come from the cached course tree."""
    employee = getattr(request.user, "employee", None)
    record = person_record(employee=employee)
    standings = course_standings(employee=employee, courses=course_tree().courses, record=record)
    assignments = assignments_for(employee=employee, standings=standings, record=record)
    due = {status.course.pk: status for status in assignments}
    context = {
        "employee": employee,
        "assignments": assignments,
        "courses": [
            (standing.progress, standing.certificate, due.get(course_id))
            for course_id, standing in standings.items()
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


def _grid_filters(params, courses, teams) -> tuple[CoursePage | None, int | None, list[str]]:
    """The grid's filters and sort, or the problems naming each bad one (a 400, so a hand-edited
    or stale link says what is wrong instead of quietly showing everyone, or nobody under a
    filter that reads "All teams")."""
    problems = []
    course_value, team_value = params.get("course", ""), params.get("team", "")
    course = next((c for c in courses if str(c.pk) == course_value), None)
    if course_value and course is None:
        problems.append(f"Course: “{course_value[:40]}” is not one of the courses listed.")
    team_id = parse_id(team_value) if team_value else None
    if team_value and team_id is None:
        problems.append(f"Team: “{team_value[:40]}” is not a team.")
    elif team_id is not None and team_id not in {team.pk for team in teams}:
        problems.append(f"Team: “{team_value[:40]}” is not one of the teams listed.")
    state, sort = params.get("state", ""), params.get("sort", "")
    if state and state not in dict(GRID_STATES):
        problems.append(f"Status: “{state[:40]}” is not one of {', '.join(label for _, label in GRID_STATES)}.")
    if sort and sort not in dict(GRID_SORTS):
        problems.append(f"Sort by: “{sort[:40]}” is not one of {', '.join(label for _, label in GRID_SORTS)}.")
    return course, team_id, problems


@login_required
def team(request):
    """The manager's grid: people x courses, filtered and sorted, with a picture per course.

    The grid itself is `training.dashboards.selectors.team_grid`; this checks the filters.
    """
    people = _visible_or_404(request.user)
    courses = list(CoursePage.objects.live().order_by("path"))
    teams = list(Team.objects.filter(members__in=people).distinct())
    selected_course, team_id, problems = _grid_filters(request.GET, courses, teams)
    if problems:
        return render(request, "dashboards/team_bad_filters.html", {"problems": problems}, status=400)
    shown_courses = [selected_course] if selected_course else courses
    if team_id is not None:
        people = people.filter(team_id=team_id)
    state, sort = request.GET.get("state", ""), request.GET.get("sort") or "name"
    grid = team_grid(people=people, courses=shown_courses, state=state, sort=sort, page_number=request.GET.get("page"))
    context = {
        "page": grid.page,
        "courses": courses,
        "shown_courses": shown_courses,
        "teams": teams,
        "chart": grid.chart,
        "states": GRID_STATES,
        "sorts": GRID_SORTS,
        "filters": {"course": request.GET.get("course", ""), "team": request.GET.get("team", ""), "state": state, "sort": sort},
        "grading_count": responses_to_grade(user=request.user).count(),
    }
    return render(request, "dashboards/team.html", context)


def _person_or_404(request, employee_id: int) -> Employee:
    return get_object_or_404(_visible_or_404(request.user).select_related("user", "team"), pk=employee_id)


@login_required
def team_member(request, employee_id: int):
    """One person's record: lessons and quizzes per course, every attempt, certificates."""
    return _team_member_page(request, _person_or_404(request, employee_id))


def _team_member_page(request, person: Employee, *, time_form=None, status=200):
    courses, record = list(CoursePage.objects.live().order_by("path")), person_record(employee=person)
    context = {
        "person": person,
        "progress_list": courses_progress(employee=person, courses=courses, record=record),
        "attempts": Attempt.objects.of(person).select_related("quiz").order_by("-started_at"),
        "certificates": certificates_of(employee=person, record=record)[::-1],
        # Only HR and superusers may unlock or invite, so only they are told (and pay the query).
        "sign_in_locked": is_hr(request.user) and login_locked(user=person.user),
        "can_invite": is_hr(request.user),
        # Whoever may open the record (HR, the person's managers) may give them extra time.
        "time_accommodations": TimeAccommodation.objects.filter(employee=person).select_related("quiz", "granted_by", "ended_by"),
        "time_form": time_form or TimeAccommodationForm(),
    }
    return render(request, "dashboards/team_member.html", context, status=status)


@require_POST
@login_required
def team_member_time(request, employee_id: int):
    """Extra time on quizzes (WCAG 2.2.1), given from the person's record by HR or their manager.
    Someone outside the granter's teams is a 404; bad input re-shows the form with a 400."""
    person = _person_or_404(request, employee_id)
    form = TimeAccommodationForm(request.POST)
    if form.is_valid():
        try:
            grant = time_accommodation_grant(employee=person, granted_by=request.user, **form.cleaned_data)
        except AccommodationRefused as refused:
            for field, message in refused.problems.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            scope = grant.quiz.title if grant.quiz else "every timed quiz"
            messages.success(request, f"{person.full_name} now has {grant.describe()} on {scope}.")
            return redirect("team_member", employee_id=person.pk)
    return _team_member_page(request, person, time_form=form, status=400)


@require_POST
@login_required
def team_member_time_end(request, employee_id: int, accommodation_id: int):
    person = _person_or_404(request, employee_id)
    grant = get_object_or_404(TimeAccommodation.objects.current(), pk=accommodation_id, employee=person)
    time_accommodation_end(accommodation=grant, ended_by=request.user)
    messages.success(request, f"Extra time ended for {person.full_name}: {grant.describe()}.")
    return redirect("team_member", employee_id=person.pk)


@require_POST
@login_required
def team_member_unlock(request, employee_id: int):
    """HR lifts a sign-in lockout from the person's record (the button shows only when locked).
    Anyone else gets 404, as for every object they may not act on."""
    if not is_hr(request.user):
        raise Http404("Only HR can unlock sign-in.")
    person = get_object_or_404(employees_visible_to(user=request.user).select_related("user"), pk=employee_id)
    login_unlock(user=person.user, by=request.user)
    messages.success(request, f"{person.full_name} can sign in again.")
    return redirect("team_member", employee_id=person.pk)


@login_required
@require_POST
def team_member_invite(request, employee_id: int):
    """HR's "Resend invitation" on a person's record: a fresh link to choose a password, queued
    for a worker (no mail is sent inside a request)."""
    if not is_hr(request.user):
        raise Http404("No such person.")
    person = get_object_or_404(Employee.objects.select_related("user"), pk=employee_id)
    if invitations_enqueue(users=[person.user], invited_by=request.user):
        messages.success(request, f"An invitation is being sent to {person.full_name} at {person.user.email}.")
    else:
        messages.error(request, f"No invitation sent: {person.full_name} is inactive or has no email address.")
    return redirect("team_member", employee_id=person.pk)
