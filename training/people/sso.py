"""Single sign-on through an OpenID Connect provider, matched to the roster by verified email.

mozilla-django-oidc does the protocol (authorization-code flow, PKCE, state, nonce, token and
userinfo calls, ID-token signature); this module decides who an identity is. Everything is read
from settings when a sign-in happens, never at import, so the provider's address can change
(tests point it at a provider started on loopback) and a provider that is down never stops the
site from starting: its endpoints are discovered on first use and kept for DISCOVERY_TTL seconds.

To match on another claim (an employee number the provider knows, say), override
`SSOBackend.get_or_create_user`; to refuse for another reason, raise `SignInRefused` with a new
reason and give it a message in `sso_views.REFUSALS`.
"""

import logging
import secrets
import time
from dataclasses import dataclass

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from training.people import roles
from training.people.models import Employee, Team
from training.precompiled import MARKERS, PrecompiledQuery

logger = logging.getLogger(__name__)

DISCOVERY_TTL = 3600  # seconds; keys are fetched at every sign-in, so rotation needs no restart


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be fetched or does not describe our issuer."""


class SignInRefused(Exception):
    """The provider vouched for someone we do not let in; `reason` picks the page they see."""

    def __init__(self, reason: str, email: str = ""):
        super().__init__(f"{reason}: {email}")
        self.reason = reason
        self.email = email


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str


_discovered: dict[str, tuple[float, ProviderMetadata]] = {}


def provider_metadata() -> ProviderMetadata:
    """The configured issuer's endpoints, from its discovery document (cached per process).

    Each server process fetches it once an hour at most; nothing else in it is shared state.
    A failed fetch is not cached, so the next sign-in tries again.
    """
    issuer = settings.OIDC_ISSUER_URL
    cached = _discovered.get(issuer)
    if cached is not None and time.monotonic() - cached[0] < DISCOVERY_TTL:
        return cached[1]
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"{url}: {exc}") from exc
    # OpenID Connect Discovery 1.0, section 4.3: the document must name the issuer we asked.
    if not isinstance(document, dict) or str(document.get("issuer", "")).rstrip("/") != issuer:
        raise ProviderUnavailable(f"{url} names the issuer {document.get('issuer')!r}, not {issuer!r}")
    fields = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")
    missing = [name for name in fields if not document.get(name)]
    if missing:
        raise ProviderUnavailable(f"{url} lacks {', '.join(missing)}")
    metadata = ProviderMetadata(issuer=document["issuer"], **{name: document[name] for name in fields})
    _discovered[issuer] = (time.monotonic(), metadata)
    return metadata


def email_is_verified(claims: dict) -> bool:
    """True when the provider says it checked the address: `email_verified` (Google, Okta and
    most providers), or Microsoft Entra ID's `xms_edov` (the domain owner verified it)."""
    return any(claims.get(name) in (True, "true", "True") for name in ("email_verified", "xms_edov"))


def sso_login_create(*, email: str, claims: dict):
    """SSO_CREATE_USERS: a login and employee record for a verified address the roster lacks.

    Named by the email, as roster imports name new logins, with no usable password; the employee
    number is a placeholder (`SSO-...`) and there is no team until HR puts the person in a roster.
    """
    User = get_user_model()
    username = email.lower()
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise SignInRefused("ambiguous", email)
        user = User.objects.create_user(
            username=username,
            email=email,
            first_name=str(claims.get("given_name", ""))[:150],
            last_name=str(claims.get("family_name", ""))[:150],
        )
        Employee.objects.create(user=user, employee_number=f"SSO-{secrets.token_hex(6).upper()}")
        user.groups.add(Group.objects.get_or_create(name=roles.EMPLOYEE)[0])
    return user


def _session_users(user_id):
    manages_team = Exists(Team.objects.filter(manager__user_id=OuterRef("pk")))
    has_permissions = Exists(Permission.objects.filter(Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk"))))
    return get_user_model()._default_manager.select_related("employee").annotate(
        manages_team=manages_team, has_permissions=has_permissions
    ).filter(pk=user_id)[:1]


# Compiled once per process: building and compiling it (two subqueries, a join) cost ten times
# what running it does, on every request.
_session_user = PrecompiledQuery(_session_users, MARKERS[0])


def session_user(user_id):
    """The user of a signed-in request, with their Employee, `manages_team` (the navigation's "My
    team") and `has_permissions` (whether any permission is theirs, directly or through a group) in
    one query: every page needs them, which took four queries (employees hold no permission)."""
    return _session_user.first(user_id)


class SSOBackend(OIDCAuthenticationBackend):
    """Signs in the active login whose email (any case) is the identity's verified email.

    Installed only when SSO is configured. Refusals raise `SignInRefused`, which the callback view
    turns into a page saying why; nobody is created unless SSO_CREATE_USERS is on.
    """

    def __init__(self, *args, **kwargs):
        # The parent reads endpoints here, but Django builds a backend on every request that has a
        # session (get_user), so the endpoints are properties read when a sign-in needs them.
        self.UserModel = get_user_model()

    OIDC_RP_IDP_SIGN_KEY = None
    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: provider_metadata().token_endpoint)
    OIDC_OP_USER_ENDPOINT = property(lambda self: provider_metadata().userinfo_endpoint)
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: provider_metadata().jwks_uri)
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.OIDC_RP_SIGN_ALGO)

    def get_user(self, user_id):
        return session_user(user_id)

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce; a password form never reaches the token endpoint.
        if not settings.SSO_ENABLED or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        """The parent checks the signature and expiry only; also require our issuer and audience."""
        alg = jwt.get_unverified_header(payload).get("alg")
        if alg != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"token signed with {alg!r}, expected {self.OIDC_RP_SIGN_ALGO!r}")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[alg],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=provider_metadata().issuer,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc

    def get_userinfo(self, access_token, id_token, payload):
        """Userinfo claims over the ID token's, for one subject (some providers put `email` or
        `xms_edov` only in the ID token)."""
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("the userinfo response is about another subject than the ID token")
        return {**payload, **userinfo}

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        email = str(claims.get("email") or "").strip()
        if not email or not email_is_verified(claims):
            raise SignInRefused("unverified", email)
        users = list(self.UserModel.objects.filter(email__iexact=email)[:10])
        active = [user for user in users if user.is_active]
        if len(active) > 1:
            raise SignInRefused("ambiguous", email)
        if active:
            return active[0]
        if users:
            raise SignInRefused("deactivated", email)
        if settings.SSO_CREATE_USERS:
            return sso_login_create(email=email, claims=claims)
        raise SignInRefused("unknown", email)

    def get_user(self, user_id):
        # The parent would keep a deactivated person signed in; ModelBackend's rule ends the session.
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def username_max_length() -> int:
    """Django's login forms pass longer usernames on (its UsernameField only skips normalising them)."""
    User = get_user_model()
    return User._meta.get_field(User.USERNAME_FIELD).max_length


def username_canonical(username: str | None) -> str | None:
    """The username as stored, whatever case and spacing it was typed in: roster logins are email
    addresses, which people type with capitals; the lockout and SSO ignore case too. One query."""
    if not username or len(username.strip()) > username_max_length():
        return username  # no login has it (and SQLite refuses a LIKE pattern over 50,000 bytes)
    matches = list(get_user_model()._default_manager.filter(username__iexact=username.strip()).values_list("username", flat=True)[:2])
    return matches[0] if len(matches) == 1 else username


class PasswordBackend(ModelBackend):
    """Django's password check, for the username in any case; while SSO_ONLY is on, only superusers
    get through, on every password form (ours, Wagtail's admin login, Django admin)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username_canonical(username if username is not None else kwargs.pop(get_user_model().USERNAME_FIELD, None))
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and settings.SSO_ONLY and not user.is_superuser:
            return None
        return user

    def get_user(self, user_id):
        user = session_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        """Django's rule (active users only; superusers have every permission) in one query instead
        of two (the user's own permissions and their groups'), none for a user `session_user` found
        without any; kept for the request, as Django does."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if not user_obj.is_superuser and getattr(user_obj, "has_permissions", True) is False:
                perms = []  # known from session_user's query
            elif user_obj.is_superuser:
                perms = Permission.objects.values_list("content_type__app_label", "codename").order_by()
            else:
                own = Permission.objects.filter(user=user_obj).values_list("content_type__app_label", "codename").order_by()
                grouped = Permission.objects.filter(group__user=user_obj).values_list("content_type__app_label", "codename").order_by()
                perms = own.union(grouped)
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in perms}
        return user_obj._perm_cache
