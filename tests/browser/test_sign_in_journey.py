"""A new employee's first sign-in in Chromium: HR imports the roster, the invitation's link lets
them choose a password, they sign in and land on My learning; used and expired links say so."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.test_roster_upload import admin_log_in, choose
from tests.clock import clock, empty_cache  # noqa: F401 (fixtures)
from tests.conftest import in_real_transactions
from training.people.roster import COLUMNS, roster_import

pytestmark = [pytest.mark.browser, in_real_transactions, pytest.mark.usefixtures("empty_cache")]
ROSTER = (
    ",".join(COLUMNS) + "\n"
    "N100,Nora Newcomer,nora@shop.example,North store,manager.north@academy.example,Associate,yes\n"
).encode()
PASSWORD = "tangerine-lighthouse-42"


def link_in(message) -> str:
    """The invitation's link as a path: emails name SITE_URL, the test server has its own port."""
    return re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", message.body).group(1)


@pytest.fixture
def visitor(browser, live_server):
    """A second browser, for the new employee, next to HR's."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_an_imported_employee_accepts_the_invitation_and_lands_on_my_learning(page, visitor):
    admin_log_in(page, "hr")
    page.goto("/admin/people/roster/")
    choose(page, ROSTER)
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator('[data-count="invited"]')).to_have_text("1")
    (invitation,) = mail.outbox
    assert invitation.to == ["nora@shop.example"] and "Hana Ruiz has invited you" in invitation.body

    link = link_in(invitation)
    visitor.goto(link)
    expect(visitor.get_by_role("heading", name="Welcome to Loyalty Academy")).to_be_visible()
    visitor.locator("input[name=new_password1]").fill(PASSWORD)
    visitor.locator("input[name=new_password2]").fill(PASSWORD)
    visitor.get_by_role("button", name="Set my password").click()
    expect(visitor.get_by_text("Your password is set")).to_be_visible()

    visitor.get_by_label("Username").fill("nora@shop.example")
    visitor.get_by_label("Password").fill(PASSWORD)
    visitor.get_by_role("button", name="Log in").click()
    expect(visitor.get_by_role("heading", name="My learning")).to_be_visible()
    assert visitor.url.endswith("/learning/")

    visitor.goto(link)
    expect(visitor.get_by_role("heading", name="This link has already been used")).to_be_visible()


def test_an_expired_invitation_offers_a_new_one(page, clock, settings):
    roster_import(data=ROSTER)
    clock.advance(days=settings.INVITATION_DAYS, hours=1)
    page.goto(link_in(mail.outbox[0]))
    expect(page.get_by_role("heading", name="This link has expired")).to_be_visible()
    page.get_by_role("button", name="Send me a new invitation").click()
    expect(page.get_by_role("heading", name="A new invitation is on its way")).to_be_visible()

    assert len(mail.outbox) == 2
    page.goto(link_in(mail.outbox[1]))
    expect(page.get_by_role("heading", name="Welcome to Loyalty Academy")).to_be_visible()


def test_the_login_page_leads_to_password_reset(page):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgotten your password, or never had one?").click()
    page.get_by_label("Email").fill("amira@academy.example")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert [m.to for m in mail.outbox] == [["amira@academy.example"]]
