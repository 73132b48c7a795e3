import re

import pytest
from playwright.sync_api import expect

from modules.models import LessonPage, QuizPage

from tests.conftest import in_real_transactions

from .conftest import log_in

pytestmark = [pytest.mark.browser, in_real_transactions]


def lesson_with(block_type):
    return next(lesson for lesson in LessonPage.objects.live().order_by("path") if any(b.block_type == block_type for b in lesson.body))


def test_employee_learns_a_lesson_end_to_end(page):
    log_in(page, "amira")
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()
    expect(page.get_by_test_id("progress-count").first).to_contain_text("0 of")

    # Walk a connection-point walkthrough stop by stop.
    walk_lesson = lesson_with("walkthrough")
    page.get_by_role("link", name=re.compile("Customer Loyalty Fundamentals")).first.click()
    page.get_by_role("link", name=walk_lesson.title).first.click()
    walk = page.locator("[data-walkthrough]").first
    stops = walk.locator(".walk-stop")
    total = stops.count()
    assert total >= 2
    expect(walk.locator(".walk-status")).to_have_text(f"Stop 1 of {total}")
    expect(stops.nth(1)).to_be_hidden()
    for number in range(2, total + 1):
        walk.get_by_role("button", name="Next stop").click()
        expect(walk.locator(".walk-status")).to_have_text(f"Stop {number} of {total}")
        expect(stops.nth(number - 1)).to_be_visible()
        expect(stops.nth(number - 2)).to_be_hidden()
    walk.get_by_role("button", name="Previous stop").click()
    expect(walk.locator(".walk-status")).to_have_text(f"Stop {total - 1} of {total}")

    # Play a problem scenario to its end, always taking the first choice offered.
    page.goto(lesson_with("scenario").url)
    scenario = page.locator("[data-scenario]").first
    for _ in range(20):
        step = scenario.locator(".scenario-step:visible").last
        step.locator(".scenario-choice summary").first.click()
        expect(step.locator(".scenario-choice.chosen .scenario-result")).to_be_visible()
        next_link = step.locator(".scenario-choice.chosen .scenario-next:visible")
        if next_link.count() == 0:
            break
        next_link.click()
    summary = scenario.locator(".scenario-summary")
    expect(summary).to_contain_text("Scenario complete")
    expect(summary).to_contain_text("loyalty points")

    # Use the lifetime-value calculator: it recomputes as the employee types.
    calc_lesson = lesson_with("calculator")
    page.goto(calc_lesson.url)
    calc = page.locator("[data-calculator]").first
    expect(calc.locator('[data-out="loyal_lifetime"]')).to_have_text("$26,000")
    calc.get_by_label("Visits per year").first.fill("6")
    expect(calc.locator('[data-out="satisfied_yearly"]')).to_have_text("$300")
    expect(calc.locator('[data-out="satisfied_lifetime"]')).to_have_text("$3,000")
    calc.get_by_label("Years as a customer").fill("20")
    expect(calc.locator('[data-out="loyal_lifetime"]')).to_have_text("$52,000")

    # Mark the lesson done; the course progress bar moves.
    bar = page.locator('aside [role="progressbar"]')
    expect(bar).to_have_attribute("aria-valuenow", "0")
    page.get_by_role("button", name="Mark lesson as done").click()
    expect(page.get_by_test_id("lesson-done")).to_be_visible()
    expect(bar).not_to_have_attribute("aria-valuenow", "0")
    steps = LessonPage.objects.live().count() + QuizPage.objects.live().count()
    expect(page.locator("aside").get_by_test_id("progress-count")).to_have_text(f"1 of {steps} done")

    page.get_by_role("link", name="My learning").first.click()
    expect(page.get_by_test_id("progress-count").first).to_have_text(f"1 of {steps} done")
