"""Security headers on every response: Content-Security-Policy (django-csp) and Permissions-Policy.

Our pages get `CONTENT_SECURITY_POLICY` (settings/base.py): scripts and styles only from our own
static files, no inline code, no `style` attributes. Wagtail's own admin pages still put inline
`<script>`s and `style` attributes in their HTML (inline panels, date pickers, the rich-text and
StreamField editors), so paths under `CSP_ADMIN_PATH_PREFIX` get `CONTENT_SECURITY_POLICY_ADMIN`
instead, except our own pages there (`CSP_STRICT_ADMIN_PATH_PREFIXES`: reports, statistics,
roster import), which need no exception and keep the strict policy.

To give one more of our views its own policy, use django-csp's decorators (`csp_update`,
`csp_replace`): they win over the choice made here.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings


def uses_admin_policy(path: str) -> bool:
    """Whether the page at `path` is Wagtail's admin (the looser policy) rather than one of ours."""
    return path.startswith(settings.CSP_ADMIN_PATH_PREFIX) and not path.startswith(
        tuple(settings.CSP_STRICT_ADMIN_PATH_PREFIXES)
    )


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the admin policy for Wagtail's admin pages."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and uses_admin_policy(request.path_info):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        return parts


def permissions_policy_header(features: dict[str, list[str]]) -> str:
    """`{"camera": [], "fullscreen": ["self"]}` -> `camera=(), fullscreen=(self)`."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in features.items())


class PermissionsPolicyMiddleware:
    """Sends `PERMISSIONS_POLICY` (browser features no page of ours uses, switched off for the
    page and every frame in it) as the Permissions-Policy header. Django has no setting for it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
