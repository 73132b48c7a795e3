"""Sign-in throttling: ten failures lock a username (not an address) for the cool-off, on our login
page and on Wagtail's; HR unlocks from the person's record; a new password unlocks; the count is
kept in the database, so two server processes share it."""

import re
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.test.testcases import LiveServerThread
from django.urls import reverse

from tests.conftest import in_real_transactions
from training.people.demo import DEMO_PASSWORD
from training.people.models import Employee
from training.people.signin import login_locked

User = get_user_model()
LIMIT = 10
LOCKED = "Too many failed sign-ins for this username"


def sign_in(client, username, password, url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username, times, url=None):
    return [sign_in(client, username, "wrong-password", url) for _ in range(times)]


@pytest.mark.django_db
def test_ten_failures_lock_the_username_even_for_the_right_password(client):
    answers = fail(client, "amira", LIMIT)
    assert [a.status_code for a in answers[:-1]] == [200] * (LIMIT - 1)
    assert all(LOCKED not in a.content.decode() for a in answers[:-1])
    assert answers[-1].status_code == 429  # the tenth failure locks at once

    answer = sign_in(client, "amira", DEMO_PASSWORD)
    assert answer.status_code == 429 and not signed_in(client)
    html = answer.content.decode()
    assert LOCKED in html and "Try again in 15 minutes, or ask HR to unlock your account." in html
    assert "Please enter a correct username and password" not in html  # not the reason here
    assert 'name="username"' in html  # our login page, with its form, not a bare error page


@pytest.mark.django_db
def test_the_lock_is_by_username_whatever_its_case_and_others_are_unaffected(client):
    fail(client, "Amira", 5)
    fail(client, " AMIRA", 5)  # the form strips spaces; the lock ignores case
    assert login_locked(user=User.objects.get(username="amira"))
    assert sign_in(client, "amira", DEMO_PASSWORD).status_code == 429

    # Same browser, same address: Ben signs in as usual.
    answer = sign_in(client, "ben", DEMO_PASSWORD)
    assert answer.status_code == 302 and signed_in(client)
    assert not login_locked(user=User.objects.get(username="ben"))


@pytest.mark.django_db
def test_nine_failures_then_success_forget_the_failures(client):
    fail(client, "amira", LIMIT - 1)
    assert sign_in(client, "amira", DEMO_PASSWORD).status_code == 302
    client.logout()
    fail(client, "amira", LIMIT - 1)
    assert sign_in(client, "amira", DEMO_PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_lock_lifts_after_the_cool_off_and_retries_do_not_extend_it(client):
    fail(client, "amira", LIMIT)
    assert sign_in(client, "amira", DEMO_PASSWORD).status_code == 429
    fail(client, "amira", 3)  # while locked: refused, not counted
    assert AccessAttempt.objects.get().failures_since_start == LIMIT
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=15, seconds=1))
    assert sign_in(client, "amira", DEMO_PASSWORD).status_code == 302


@pytest.mark.django_db
def test_wagtail_admin_login_is_throttled_and_says_why(client):
    url = reverse("wagtailadmin_login")
    fail(client, "editor", LIMIT, url)
    answer = sign_in(client, "editor", DEMO_PASSWORD, url)
    assert answer.status_code == 429 and not signed_in(client)
    html = answer.content.decode()
    assert LOCKED in html and "wagtailadmin" in html  # Wagtail's own login page, styled as the admin
    # The lock is the username's, whichever page counted the failures; Django admin's page too.
    assert sign_in(client, "editor", DEMO_PASSWORD).status_code == 429
    answer = sign_in(client, "editor", DEMO_PASSWORD, reverse("admin:login"))
    assert answer.status_code == 429 and LOCKED in answer.content.decode()


@pytest.mark.django_db
def test_authenticate_without_a_request_is_refused_too_when_locked(client):
    """The test client's login() calls authenticate() without a request; axes alone would crash."""
    assert client.login(username="amira", password=DEMO_PASSWORD)
    client.logout()
    fail(client, "amira", LIMIT)
    assert not client.login(username="amira", password=DEMO_PASSWORD)


@pytest.mark.django_db
def test_hr_unlocks_from_the_persons_record(client):
    amira = Employee.objects.get(user__username="amira")
    record, unlock = reverse("team_member", args=[amira.pk]), reverse("team_member_unlock", args=[amira.pk])
    hr = User.objects.get(username="hr")
    client.force_login(hr)
    assert 'data-testid="sign-in-locked"' not in client.get(record).content.decode()  # not locked: no button

    fail(client.__class__(), "amira", LIMIT)
    # Her manager sees her record but may not unlock; the button is not shown to them.
    client.force_login(User.objects.get(username="manager.north"))
    assert 'data-testid="sign-in-locked"' not in client.get(record).content.decode()
    assert client.post(unlock).status_code == 404
    assert login_locked(user=amira.user)

    client.force_login(hr)
    assert 'data-testid="sign-in-locked"' in client.get(record).content.decode()
    answer = client.post(unlock, follow=True)
    assert answer.redirect_chain == [(record, 302)]
    html = answer.content.decode()
    assert "Amira Haddad can sign in again." in html and 'data-testid="sign-in-locked"' not in html
    assert client.get(unlock).status_code == 405  # a link or a prefetch never unlocks

    other = client.__class__()
    assert sign_in(other, "amira", DEMO_PASSWORD).status_code == 302 and signed_in(other)


@pytest.mark.django_db
def test_a_new_password_unlocks(client):
    """Password reset and invitations save through SetPasswordForm; whatever view uses it, or any
    other `set_password()` + save, the lock goes with the old password."""
    fail(client, "amira", LIMIT)
    amira = User.objects.get(username="amira")
    form = SetPasswordForm(amira, {"new_password1": "a-fresh-start-42", "new_password2": "a-fresh-start-42"})
    assert form.is_valid(), form.errors
    form.save()
    assert not login_locked(user=amira)
    assert sign_in(client, "amira", "a-fresh-start-42").status_code == 302


# --- two server processes --------------------------------------------------------------------


class Browser:
    """A cookie-keeping HTTP client for one live server, signing in through the real login form."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def sign_in(self, username, password) -> int:
        page = self.opener.open(self.base_url + reverse("login")).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
        request = urllib.request.Request(
            self.base_url + reverse("login"), data=data.encode(), headers={"Referer": self.base_url}
        )
        try:
            answer = self.opener.open(request)
        except urllib.error.HTTPError as error:
            return error.code
        return 302 if answer.url != self.base_url + reverse("login") else answer.status  # redirects are followed


@pytest.fixture
def two_servers():
    """Two HTTP servers with their own threads and database connections over one database, as two
    app server processes would be (each thread opens its own connection)."""
    threads = [LiveServerThread("localhost", StaticFilesHandler) for _ in range(2)]
    for thread in threads:
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
    yield [f"http://localhost:{thread.port}" for thread in threads]
    for thread in threads:
        thread.terminate()


@in_real_transactions
def test_two_servers_share_the_count(academy, two_servers):
    first, second = (Browser(url) for url in two_servers)
    assert [first.sign_in("amira", "wrong") for _ in range(LIMIT // 2)] == [200] * (LIMIT // 2)
    assert [second.sign_in("amira", "wrong") for _ in range(LIMIT // 2 - 1)] == [200] * (LIMIT // 2 - 1)
    assert second.sign_in("amira", "wrong") == 429  # the tenth, counted across both
    assert first.sign_in("amira", DEMO_PASSWORD) == 429
    assert second.sign_in("amira", DEMO_PASSWORD) == 429
    assert Browser(two_servers[0]).sign_in("ben", DEMO_PASSWORD) == 302


@pytest.mark.django_db
def test_the_username_is_matched_whatever_its_case(client):
    """Roster logins are email addresses, which people type with capitals (the lock and SSO ignore
    case too)."""
    response = sign_in(client, " AMIRA ", DEMO_PASSWORD)
    assert response.status_code == 302 and signed_in(client)


@pytest.mark.django_db
def test_a_deactivated_person_with_the_right_password_is_told_why(client):
    User.objects.filter(username="ben").update(is_active=False)
    right = sign_in(client, "ben", DEMO_PASSWORD).content.decode()
    assert "Your Loyalty Academy account is deactivated" in right and not signed_in(client)
    wrong = sign_in(client, "ben", "not-the-password").content.decode()
    assert "deactivated" not in wrong and "correct username and password" in wrong


def test_the_password_rules_shown_under_the_field_have_no_empty_item():
    from django.contrib.auth.password_validation import password_validators_help_text_html

    rules = password_validators_help_text_html()
    assert "<li></li>" not in rules and "A new password also lifts a sign-in lock" in rules


@pytest.mark.django_db
@pytest.mark.parametrize("url", [None, "/admin/login/", "/django-admin/login/"])
def test_a_username_longer_than_any_login_is_a_wrong_login_not_a_500(client, url):
    """Django's login form passes over-long usernames on; SQLite refused the case-insensitive look-up
    of 100,000 characters and PostgreSQL would refuse the failure's row (axes keeps 255)."""
    answers = fail(client, "a" * 100_000, 2, url)
    assert [a.status_code for a in answers] == [200, 200]
    html = answers[-1].content.decode()
    # Ours and Django admin's: a wrong login; Wagtail's form says the field is too long.
    assert "correct username and password" in html or "at most 254 characters (it has 100000)" in html
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, "amira", DEMO_PASSWORD).status_code == 302
