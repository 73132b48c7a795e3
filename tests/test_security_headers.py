"""Content-Security-Policy, Referrer-Policy and Permissions-Policy on every answer (base settings,
so `make run` and production send the same). Chromium checks the pages themselves (tests/browser)."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from training.security_headers import permissions_policy_header, uses_admin_policy
from training.templatetags.widths import width_class

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {name: value for name, _, value in (part.strip().partition(" ") for part in header.split(";"))}


def signed_in(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.parametrize("username, path", [
    (None, "/accounts/login/"),
    (None, "/accounts/password/reset/"),
    ("amira", "/learning/"),
    ("amira", "/"),
    ("amira", "/customer-loyalty-fundamentals/points-of-connection/"),
    ("hr", "/admin/reports/completions/"),  # ours, inside the admin
    ("hr", "/admin/people/roster/"),
])
def test_our_pages_allow_no_inline_code(client, username, path):
    response = (signed_in(client, username) if username else client).get(path)
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'" and directives["form-action"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"


def test_wagtails_admin_pages_allow_inline_code_and_nothing_else_more(client):
    response = signed_in(client, "admin").get("/admin/pages/")
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == "'self' 'unsafe-inline'" and directives["style-src"] == "'self' 'unsafe-inline'"
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["connect-src"] == "'self'" and directives["img-src"] == "'self' data: blob:"
    # Framing is left to X-Frame-Options, which Wagtail relaxes to SAMEORIGIN for its previews only.
    assert "frame-ancestors" not in directives and response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path, admin_policy", [
    ("/admin/", True),
    ("/admin/pages/3/edit/", True),
    ("/admin/reports/questions/", False),
    ("/admin/people/roster/", False),
    ("/administrator/", False),
    ("/learning/", False),
])
def test_which_pages_get_the_admin_policy(path, admin_policy):
    assert uses_admin_policy(path) is admin_policy


def test_referrer_and_permissions_policies(client):
    response = client.get("/accounts/login/")
    assert response.headers["Referrer-Policy"] == "same-origin"
    features = dict(item.split("=") for item in response.headers["Permissions-Policy"].split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "display-capture"):
        assert features[feature] == "()"
    assert "fullscreen" not in features and "autoplay" not in features  # the video block's players use them
    assert permissions_policy_header({"camera": [], "fullscreen": ["self"]}) == "camera=(), fullscreen=(self)"


def test_the_admin_reaches_no_other_site():
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None and settings.WAGTAIL_ENABLE_UPDATE_CHECK is False


# Emails are read in mail clients (inline styles are all they have); the certificate's HTML is only
# ever read by WeasyPrint. Every other template is a page the policy governs.
NOT_BROWSER_PAGES = ("emails/", "assessments/certificate_pdf.html")
INLINE_CODE = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def test_no_template_has_inline_scripts_styles_or_event_handlers():
    root = settings.BASE_DIR / "templates"
    found = [
        f"{path.relative_to(root)}: {match.group(0).strip()}"
        for path in root.rglob("*.html")
        if not str(path.relative_to(root)).startswith(NOT_BROWSER_PAGES)
        for match in INLINE_CODE.finditer(path.read_text())
    ]
    assert not found, found


@pytest.mark.parametrize("value, css_class", [
    (0, "w-pct-0"), (37.4, "w-pct-37"), (99.6, "w-pct-100"), ("50", "w-pct-50"),
    (-3, "w-pct-0"), (250, "w-pct-100"), (None, "w-pct-0"), ("nan", "w-pct-0"), (float("inf"), "w-pct-0"),
])
def test_width_class(value, css_class):
    assert width_class(value) == css_class
    assert f".{css_class} {{" in (settings.BASE_DIR / "training/static/training/widths.css").read_text()
