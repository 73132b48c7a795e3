"""Single sign-on against a real OpenID Connect provider (npm `oidc-provider`, tests/oidc/) running
on loopback: Django's test client plays the browser on our side, `requests` at the provider."""

import os
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model

from tests.oidc.provider import provider_start, provider_stop, sign_in_at_provider
from training.people.models import Employee

CALLBACK = "http://testserver/oidc/callback/"


@pytest.fixture(scope="module")
def provider():
    running = provider_start(redirect_uris=[CALLBACK])
    yield running
    provider_stop(running)


@pytest.fixture
def sso(provider, settings, db):
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    return settings


def sso_sign_in(client, login, *, next_url=""):
    """Click "Sign in with ...", sign in at the provider as `login`, come back; the last response."""
    response = client.get("/oidc/authenticate/" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.content[:300]
    back = sign_in_at_provider(response["Location"], login, back_to=CALLBACK)
    return client.get(back.removeprefix("http://testserver"))


def signed_in_username(client):
    response = client.get("/learning/")
    return response.context["user"].username if response.status_code == 200 else None


def test_without_oidc_settings_nothing_of_sso_shows(client, db):
    assert not django_settings.SSO_ENABLED
    assert "training.people.sso.SSOBackend" not in django_settings.AUTHENTICATION_BACKENDS
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with" not in page and 'name="password"' in page
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_half_a_configuration_refuses_to_start():
    code = "import training.settings.base"
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("OIDC_", "SSO_"))}
    result = subprocess.run(
        [sys.executable, "-c", code], env={**environ, "OIDC_ISSUER_URL": "https://id.example.com"},
        cwd=django_settings.BASE_DIR, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0 and "missing: OIDC_CLIENT_ID, OIDC_CLIENT_SECRET" in result.stderr


def test_login_page_offers_the_provider_and_sso_only_hides_the_password_form(client, sso):
    page = client.get("/accounts/login/?next=/learning/").content.decode()
    assert "Sign in with Test Provider" in page and 'name="password"' in page
    assert 'href="/oidc/authenticate/?next=/learning/"' in page
    sso.SSO_ONLY = True
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with Test Provider" in page and 'name="password"' not in page
    assert "Administrator? Log in with a password" in page
    assert 'name="password"' in client.get("/accounts/login/?password=1").content.decode()


def test_the_authorization_request_uses_pkce_state_and_nonce(client, sso, provider):
    location = client.get("/oidc/authenticate/")["Location"]
    assert location.startswith(f"{provider.issuer}/")  # discovered, not configured
    query = parse_qs(urlsplit(location).query)
    assert query["response_type"] == ["code"] and query["code_challenge_method"] == ["S256"]
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32 and query["code_challenge"]
    assert query["scope"] == ["openid email profile"]


def test_an_employee_is_matched_by_verified_email_whatever_its_case(client, sso):
    response = sso_sign_in(client, "amira")  # the provider says Amira@Academy.Example
    assert response.status_code == 302 and response["Location"] == "/learning/"
    assert signed_in_username(client) == "amira"


def test_the_next_page_is_kept_but_never_another_site(client, sso):
    response = sso_sign_in(client, "amira", next_url="/learning/team/")
    assert response["Location"] == "/learning/team/"
    client.logout()
    response = sso_sign_in(client, "amira", next_url="https://evil.example/")
    assert response["Location"] == "/learning/"


def test_an_unknown_email_is_refused_and_never_created(client, sso):
    users = get_user_model().objects.count()
    response = sso_sign_in(client, "stranger")
    assert response.status_code == 403
    page = response.content.decode()
    assert "not on the Loyalty Academy roster" in page and "Ask HR to add you" in page
    assert "stranger@elsewhere.example" in page
    assert get_user_model().objects.count() == users and signed_in_username(client) is None


def test_sso_create_users_makes_a_login_and_employee_record(client, sso):
    sso.SSO_CREATE_USERS = True
    response = sso_sign_in(client, "stranger")
    assert response.status_code == 302 and signed_in_username(client) == "stranger@elsewhere.example"
    employee = Employee.objects.get(user__email="stranger@elsewhere.example")
    assert employee.employee_number.startswith("SSO-") and employee.user.get_full_name() == "Sam Stranger"
    assert list(employee.user.groups.values_list("name", flat=True)) == ["Employee"]
    assert not employee.user.has_usable_password()


def test_a_deactivated_employee_is_refused(client, sso):
    get_user_model().objects.filter(username="felix").update(is_active=False)
    response = sso_sign_in(client, "felix")
    assert response.status_code == 403 and "account is deactivated" in response.content.decode()
    assert signed_in_username(client) is None


def test_an_unverified_email_is_refused(client, sso):
    response = sso_sign_in(client, "unverified")
    assert response.status_code == 403 and "did not confirm" in response.content.decode()
    assert signed_in_username(client) is None


def test_a_tampered_or_replayed_state_is_refused(client, sso):
    start = client.get("/oidc/authenticate/")
    back = sign_in_at_provider(start["Location"], "amira", back_to=CALLBACK)
    state = parse_qs(urlsplit(back).query)["state"][0]
    tampered = back.replace(f"state={state}", f"state={state[:-1]}{'A' if state[-1] != 'A' else 'B'}")
    response = client.get(tampered.removeprefix("http://testserver"))
    assert response.status_code == 400 and "could not be checked" in response.content.decode()
    assert signed_in_username(client) is None
    # The untouched answer still works once, and only once.
    assert client.get(back.removeprefix("http://testserver")).status_code == 302
    client.logout()
    assert client.get(back.removeprefix("http://testserver")).status_code == 400


def test_a_cancelled_sign_in_gets_a_page(client, sso):
    start = client.get("/oidc/authenticate/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get(f"/oidc/callback/?error=access_denied&state={state}")
    assert response.status_code == 403 and "cancelled or refused" in response.content.decode()


def test_deactivating_ends_an_sso_session(client, sso):
    sso_sign_in(client, "amira")
    get_user_model().objects.filter(username="amira").update(is_active=False)
    assert signed_in_username(client) is None


def test_sso_only_keeps_passwords_for_superusers_on_every_password_form(client, sso):
    sso.SSO_ONLY = True
    response = client.post("/accounts/login/", {"username": "hr", "password": "loyalty-demo"})
    assert response.status_code == 200 and "Passwords are only for administrators" in response.content.decode()
    assert not client.login(username="hr", password="loyalty-demo")  # every form's backend check
    client.post("/admin/login/", {"username": "hr", "password": "loyalty-demo"})
    assert signed_in_username(client) is None
    response = client.post("/accounts/login/", {"username": "admin", "password": "loyalty-demo"})
    assert response.status_code == 302 and signed_in_username(client) == "admin"


def test_an_unreachable_provider_gets_a_page(client, sso):
    sso.OIDC_ISSUER_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 503 and "unavailable right now" in response.content.decode()
