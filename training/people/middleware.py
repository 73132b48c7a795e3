"""Deactivation ends access at once: the one rule, for every session however it was signed in."""

from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY, logout


class EndInactiveSessionsMiddleware:
    """Sign out a session whose user is deactivated (`is_active` off) or gone, on its next request.

    Deactivation (the roster import, an admin) only switches `is_active` off, often in a bulk
    UPDATE that sends no signal, and sessions cannot be found by user in the session store; so the
    check is made when a session comes back. Django's ModelBackend already treats an inactive
    user's session as anonymous, but keeps the session, which a reactivation would revive, and
    mozilla-django-oidc's backend (SSO) loads inactive users as signed in. Here the session is
    flushed (`logout`) either way. Goes right after AuthenticationMiddleware; costs nothing for
    visitors without a signed-in session, and the user query is the one every page makes anyway.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if SESSION_KEY in request.session or BACKEND_SESSION_KEY in request.session:
            user = request.user
            if not user.is_authenticated or not user.is_active:
                logout(request)  # flushes the session and leaves request.user anonymous
        return self.get_response(request)
