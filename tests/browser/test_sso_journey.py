"""Single sign-on in Chromium against a real OpenID Connect provider (npm `oidc-provider`,
tests/oidc/provider.mjs) started on loopback for this module: nothing of the protocol is mocked."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.conftest import in_real_transactions
from tests.oidc.provider import provider_start, provider_stop

pytestmark = [pytest.mark.browser, in_real_transactions]


@pytest.fixture(scope="module")
def provider(live_server):
    running = provider_start(redirect_uris=[f"{live_server.url}/oidc/callback/"])
    yield running
    provider_stop(running)


@pytest.fixture
def fresh_page(browser, live_server, academy, provider, settings, request):
    """Pages in new browser contexts (no cookies at our site or the provider), SSO switched on."""
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    contexts, errors = [], []

    def open_page():
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        # The provider's dev login page imports a web font; nothing leaves the machine.
        context.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda route: route.abort())
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def sign_in_with_provider(page, login):
    page.goto("/learning/")
    page.get_by_role("link", name="Sign in with Test Provider").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()


def test_sso_sign_in_refusals_and_a_tampered_state(fresh_page, provider, live_server):
    # An employee clicks "Sign in with ...", signs in at the provider and lands on My learning.
    page = fresh_page()
    sign_in_with_provider(page, "amira")
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()
    assert page.url == f"{live_server.url}/learning/"
    expect(page.get_by_text("Welcome back, Amira Haddad.")).to_be_visible()

    # An unknown email gets our refusal page.
    page = fresh_page()
    sign_in_with_provider(page, "stranger")
    expect(page.get_by_role("heading", name="You are not on the Loyalty Academy roster yet")).to_be_visible()
    expect(page.get_by_text("Ask HR to add you to the roster")).to_be_visible()

    # A deactivated employee is refused.
    get_user_model().objects.filter(username="felix").update(is_active=False)
    page = fresh_page()
    sign_in_with_provider(page, "felix")
    expect(page.get_by_role("heading", name="Your Loyalty Academy account is deactivated")).to_be_visible()

    # A tampered state is refused: the state going to the provider is altered on its way, so the
    # state coming back is not the one this browser's session holds. (Playwright cannot intercept
    # the provider's redirect back, so the change is made on the way out.)
    page = fresh_page()

    def alter_state(route):
        response = route.fetch(max_redirects=0)
        location = re.sub(r"state=([^&]+)", lambda m: "state=" + m.group(1)[::-1], response.headers["location"])
        route.fulfill(response=response, headers={**response.headers, "location": location})

    page.route(re.compile(r"/oidc/authenticate/"), alter_state)
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with Test Provider").click()
    page.locator("input[name=login]").fill("amira")
    # The session holding the true state did reach the browser: only the state was changed.
    assert "sessionid" in {cookie["name"] for cookie in page.context.cookies(live_server.url)}
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    expect(page.get_by_role("heading", name="This sign-in could not be checked")).to_be_visible()
    page.goto("/learning/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
