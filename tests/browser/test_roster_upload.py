"""The roster page in Chromium: roster.js uploads with a progress bar and swaps in the server's
answer without reloading the page."""

import pytest
from playwright.sync_api import expect

from django.contrib.auth import get_user_model

from tests.conftest import in_real_transactions
from training.people.models import Employee

from tests.people.test_roster import CLEAN, roster, staff

pytestmark = [pytest.mark.browser, in_real_transactions]


def admin_log_in(page, username, password="loyalty-demo"):
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/admin/")


def choose(page, data: bytes):
    page.locator("input[type=file]").set_input_files({"name": "roster.csv", "mimeType": "text/csv", "buffer": data})


def test_hr_uploads_a_bad_then_a_good_roster_without_leaving_the_page(page):
    admin_log_in(page, "hr")
    page.get_by_role("link", name="Import roster").click()
    expect(page.get_by_role("heading", name="Import roster")).to_be_visible()
    page.evaluate("window.sameDocument = true")  # gone if the browser posted the form itself

    choose(page, roster("E5001,Zoe Quinn,zoe@,North store,,,"))
    page.get_by_role("button", name="Check and import").click()
    problems = page.locator("[data-roster-problems]")
    expect(problems).to_contain_text("“zoe@” is not a valid email address")
    expect(page.locator("[data-roster-result]")).to_be_focused()
    assert not Employee.objects.filter(employee_number="E5001").exists()

    choose(page, CLEAN)  # the swapped-in form works too
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator("[data-count=created]")).to_have_text("4")
    assert page.evaluate("window.sameDocument") is True
    expect(page.locator("[data-roster-progress]")).to_be_hidden()  # a fresh form after the answer
    assert Employee.objects.filter(employee_number="E5001").exists()


def test_the_progress_bar_shows_while_a_slow_upload_is_processed(page):
    admin_log_in(page, "hr")
    page.goto("/admin/people/roster/")
    held = []  # the server's answer is held back so the waiting state can be seen

    def hold(route):
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    page.route("**/admin/people/roster/", hold)
    choose(page, CLEAN)
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator("[data-roster-progress]")).to_be_visible()
    expect(page.locator("[data-roster-status]")).to_contain_text("…")
    expect(page.locator("[data-roster-submit]")).to_be_disabled()
    assert len(held) == 1, "the upload did not go through XMLHttpRequest"
    held[0].continue_()
    expect(page.locator("[data-count=created]")).to_have_text("4")


def test_deactivate_missing_shows_who_first_and_imports_only_when_confirmed(page):
    admin_log_in(page, "hr")
    page.goto("/admin/people/roster/")
    page.evaluate("window.sameDocument = true")

    choose(page, roster("E0001,Hana Ruiz,hr@academy.example,Office,,HR partner,yes"))  # a careless one-line file
    page.get_by_label("Deactivate people missing from this file").check()
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator("[data-roster-problems]")).to_contain_text("would deactivate 12 of the 13 active employees")
    assert get_user_model().objects.filter(is_active=True).count() == 15  # admin and editor have no record

    choose(page, staff("hr", "chloe"))  # the swapped-in form: HR left out of their own file
    page.get_by_label("Deactivate people missing from this file").check()
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("heading", name="1 person would be deactivated")).to_be_visible()
    expect(page.locator("[data-roster-deactivate]")).to_have_text("Chloe Dubois (E0013)")
    assert get_user_model().objects.get(username="chloe").is_active  # nothing yet

    page.get_by_role("button", name="Confirm: import and deactivate 1").click()
    expect(page.locator("[data-count=deactivated]")).to_have_text("1")
    assert page.evaluate("window.sameDocument") is True
    assert not get_user_model().objects.get(username="chloe").is_active
    assert get_user_model().objects.get(username="hr").is_active
