"""Real pages in Debian's Chromium, driven by Playwright, against Django's live server."""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"

# Playwright's sync API runs an event loop in this thread; the test itself still talks to the
# database synchronously, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


# Runs first in every document and frame: each Content-Security-Policy violation (a blocked inline
# script or style attribute, a request to another origin...) becomes a console message we collect.
CSP_VIOLATION_PREFIX = "CSP violation:"
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("%s " + event.effectiveDirective + " blocked " + (event.blockedURI || "inline") +
    " on " + document.location.href + " (" + (event.sourceFile || "the page") + ":" + event.lineNumber + ")" +
    (event.disposition === "report" ? " [report-only]" : ""));
}, true);
""" % CSP_VIOLATION_PREFIX


def watch_csp(context, violations: list) -> None:
    """Every page of `context` reports its Content-Security-Policy violations into `violations`."""
    context.add_init_script(script=CSP_LISTENER)
    context.on("console", lambda message: message.text.startswith(CSP_VIOLATION_PREFIX) and violations.append(message.text))


@pytest.fixture(autouse=True)
def csp_violations(request, monkeypatch):
    """Every browser test checks the Content-Security-Policy: each context the test opens (through
    `page` or `browser.new_context`) is watched, and the test fails at teardown listing any
    violation. Tests may read (and clear, after provoking one on purpose) the list."""
    violations = []
    if "browser" not in request.fixturenames:
        yield violations
        return
    browser = request.getfixturevalue("browser")
    new_context = browser.new_context

    def new_watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        watch_csp(context, violations)
        return context

    monkeypatch.setattr(browser, "new_context", new_watched_context)
    yield violations
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def page(browser, live_server, academy, request):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def log_in(page, username, password="loyalty-demo"):
    page.goto("/learning/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    # Signed in only once the redirect has landed: a page closed (or a cookie read) sooner may
    # lose the session, and Chromium can hang closing a page in the middle of that navigation.
    page.wait_for_url(re.compile(r"^[^?]*/learning/$"))  # not the login page's ?next=/learning/
