"""Who may open our admin pages, answered with a status code rather than Wagtail's redirect."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from wagtail.admin.auth import require_admin_access


def admin_area(allowed):
    """Wrap an admin view: anonymous visitors go to the admin login; signed-in people that
    `allowed(user)` refuses get 403 (Wagtail alone would send them back to its login page); the
    rest run the view the way Wagtail runs its own admin views."""

    def decorate(view):
        admin_view = require_admin_access(view)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.is_authenticated and not allowed(request.user):
                raise PermissionDenied
            return admin_view(request, *args, **kwargs)

        return wrapped

    return decorate
