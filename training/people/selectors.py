"""Who may see whom: an employee themself, a manager their teams (transitively), HR everyone."""

from django.db.models import QuerySet

from training.people import roles
from training.people.models import Employee, Team


def is_hr(user) -> bool:
    """HR or a superuser. Remembered on the user object, so on `request.user` it costs one query
    per request however many menu items, buttons and views ask."""
    if user.is_superuser:
        return True
    if getattr(user, "has_permissions", None) is False:
        return False  # the HR group holds permissions (roles.PERMISSIONS); `session_user` knows this user holds none
    if not hasattr(user, "_is_hr"):
        user._is_hr = user.is_authenticated and user.groups.filter(name=roles.HR).exists()
    return user._is_hr


def employees_visible_to(*, user) -> QuerySet:
    """Employees whose records `user` may see, besides their own.

    HR and superusers see everyone. A manager sees the members of the teams they manage, and of
    the teams managed by those members, and so on down. Everyone else sees nobody else.
    """
    if not user.is_authenticated:
        return Employee.objects.none()
    if is_hr(user):
        return Employee.objects.all()
    me = getattr(user, "employee", None)
    if me is None or getattr(user, "manages_team", None) is False:  # `session_user` knows they manage no team
        return Employee.objects.none()
    team_ids: set[int] = set()
    managers = {me.pk}
    while managers:
        new_teams = set(Team.objects.filter(manager_id__in=managers).values_list("pk", flat=True)) - team_ids
        if not new_teams:
            break
        team_ids |= new_teams
        managers = set(Employee.objects.filter(team_id__in=new_teams).values_list("pk", flat=True))
    return Employee.objects.filter(team_id__in=team_ids).exclude(pk=me.pk)
