from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import in_real_transactions

from .conftest import log_in

pytestmark = [pytest.mark.browser, in_real_transactions]


def test_manager_filters_the_grid_assigns_a_course_and_the_employee_sees_it(page, browser, live_server):
    log_in(page, "manager.north")
    page.get_by_role("link", name="My team").first.click()
    grid = page.get_by_test_id("team-grid")
    expect(grid).to_contain_text("Amira Haddad")
    expect(grid).not_to_contain_text("Felix Wagner")  # another manager's team
    page.get_by_label("Status").select_option("completed")
    page.get_by_role("button", name="Apply").click()
    expect(grid).to_contain_text("Nobody matches these filters")
    page.get_by_label("Status").select_option("")
    page.get_by_role("button", name="Apply").click()

    page.get_by_role("link", name="Assign a course").first.click()
    page.get_by_label("Course").select_option(label="Customer Loyalty Fundamentals")
    page.get_by_label("Team").select_option(label="North store")
    due = timezone.localdate() + timedelta(days=14)
    page.get_by_label("Due date").fill(due.isoformat())
    page.locator("form button[type=submit]").last.click()
    expect(page.locator(".alert").first).to_contain_text("to 5 people")

    employee_context = browser.new_context(base_url=live_server.url)
    employee_page = employee_context.new_page()
    log_in(employee_page, "amira")
    assigned = employee_page.get_by_test_id("my-assignments")
    expect(assigned).to_contain_text("Customer Loyalty Fundamentals")
    expect(assigned).to_contain_text(f"{due.day} ")
    employee_context.close()
