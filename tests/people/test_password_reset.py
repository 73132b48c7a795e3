"""Password reset at /accounts/password/reset/: for every active employee, the same answer for
every address, throttled per address and per client."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.clock import clock, empty_cache  # noqa: F401 (fixtures)
from training.people.roster import COLUMNS, roster_import
from training.people.signals import password_set_by_link

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]
User = get_user_model()
URL = "/accounts/password/reset/"
ROSTER = (
    ",".join(COLUMNS) + "\n"
    "N100,Nora Newcomer,nora@shop.example,North store,manager.north@academy.example,Associate,yes\n"
    "N102,Pia Parked,pia@shop.example,North store,manager.north@academy.example,Associate,no\n"
).encode()


def ask(client, email, **extra):
    return client.post(URL, {"email": email}, **extra)


def reset_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body).group(1)


def test_the_login_page_links_to_the_reset_page(client):
    assert reverse("password_reset") == URL
    html = client.get(reverse("login")).content.decode()
    assert f'href="{URL}"' in html


def test_the_reset_page_looks_like_the_site(client):
    html = client.get(URL).content.decode()
    assert "Loyalty Academy" in html and 'class="card shadow-sm"' in html and 'name="email"' in html


def test_known_and_unknown_addresses_get_the_same_answer_by_the_same_path(client, settings, django_assert_num_queries):
    """Nobody is looked up during the request: both only count and hand the address to a task,
    so the response, its templates and its database work (none) are the same."""
    settings.TASKS = {**settings.TASKS, "background": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import task_backends

    backend = task_backends["background"]
    answers = []
    for email in ("amira@academy.example", "nobody@academy.example"):
        with django_assert_num_queries(0):
            response = ask(client, email)
        done = client.get(response.url)
        answers.append((response.status_code, response.url, done.content, [t.name for t in done.templates]))
    assert answers[0] == answers[1]
    assert answers[0][1] == reverse("password_reset_done")
    enqueued = [(result.task.name, result.kwargs) for result in backend.results]
    assert enqueued == [
        ("password_reset_deliver", {"email": "amira@academy.example"}),
        ("password_reset_deliver", {"email": "nobody@academy.example"}),
    ]
    assert mail.outbox == []


@pytest.mark.parametrize("email", ["not an address", "amira\x00@example.com", "x" * 300 + "@example.com"])
def test_something_that_is_not_an_address_is_a_400_naming_the_field(client, email):
    response = client.post(URL, {"email": email})
    assert response.status_code == 400 and response.context["form"].errors["email"]
    assert 'name="email"' in response.content.decode() and mail.outbox == []


def test_a_known_address_gets_a_link_and_an_unknown_one_nothing(client):
    ask(client, "nobody@academy.example")
    assert mail.outbox == []
    ask(client, "AMIRA@academy.example")  # addresses are compared without case
    assert [m.to for m in mail.outbox] == [["amira@academy.example"]]
    assert "Your username is amira" in mail.outbox[0].body
    assert reset_path(mail.outbox[0]) in mail.outbox[0].alternatives[0].content


def test_someone_who_never_chose_a_password_can_reset_but_an_inactive_login_cannot(client):
    roster_import(data=ROSTER, invite=False)
    assert not User.objects.get(email="nora@shop.example").has_usable_password()
    ask(client, "nora@shop.example")
    ask(client, "pia@shop.example")
    assert [m.to for m in mail.outbox] == [["nora@shop.example"]]


def test_at_most_n_emails_per_hour_per_address(client, clock, settings):
    settings.PASSWORD_RESET_EMAILS_PER_HOUR = 3
    for _ in range(5):
        assert ask(client, "amira@academy.example").url == reverse("password_reset_done")
    assert len(mail.outbox) == 3
    clock.advance(hours=1)
    ask(client, "amira@academy.example")
    assert len(mail.outbox) == 4


def test_at_most_n_requests_per_hour_per_client_whatever_the_addresses(client, settings):
    settings.PASSWORD_RESET_REQUESTS_PER_HOUR = 2
    for name in ("amira", "ben", "chloe"):
        ask(client, f"{name}@academy.example")
    assert [m.to[0] for m in mail.outbox] == ["amira@academy.example", "ben@academy.example"]
    ask(client, "dev@academy.example", REMOTE_ADDR="10.0.0.9")  # another client is not held back
    assert mail.outbox[-1].to == ["dev@academy.example"]


def test_a_reset_link_sets_a_password_through_the_validators_and_then_is_used(client):
    roster_import(data=ROSTER, invite=False)
    ask(client, "nora@shop.example")
    link = reset_path(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] and "nora@shop.example" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]

    weak = client.post(set_url, {"new_password1": "password", "new_password2": "password"})
    assert "This password is too common." in weak.content.decode()

    signals = []
    password_set_by_link.connect(lambda **kwargs: signals.append(kwargs), weak=False, dispatch_uid="test-reset")
    try:
        done = client.post(set_url, {"new_password1": "tangerine-lighthouse-42", "new_password2": "tangerine-lighthouse-42"}, follow=True)
    finally:
        password_set_by_link.disconnect(dispatch_uid="test-reset")
    assert done.redirect_chain[-1][0] == reverse("login")
    assert "Your password is set" in done.content.decode()
    assert [(s["user"].email, s["kind"]) for s in signals] == [("nora@shop.example", "reset")]
    assert client.login(username="nora@shop.example", password="tangerine-lighthouse-42")
    client.logout()
    assert 'data-link-status="used"' in client.get(link).content.decode()


def test_an_expired_reset_link_offers_a_new_one(client, clock, settings):
    ask(client, "amira@academy.example")
    clock.advance(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    html = client.get(reset_path(mail.outbox[0])).content.decode()
    assert 'data-link-status="expired"' in html and f'href="{URL}"' in html


def test_wagtails_own_reset_form_sends_people_to_ours(client):
    response = client.get("/admin/password_reset/")
    assert response.status_code == 302 and response.url == URL


def test_with_sso_only_the_reset_page_sends_people_to_the_login(client, settings):
    settings.SSO_ONLY = True
    response = client.post(URL, {"email": "amira@academy.example"})
    assert response.status_code == 302 and response.url == reverse("login")
    assert mail.outbox == []
