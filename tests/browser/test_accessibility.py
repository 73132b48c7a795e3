"""axe-core over every page of ours, for every role, in the states that matter (WCAG 2.2 AA tags).

One table of pages x roles x states, one browser context per role, on the shared live server,
over the demo people's made-up year (certificates valid, expired and revoked, attempts passed and
failed, overdue assignments). A failure lists each violation as `page | rule | element | message`.
"""

import re

import pytest
from django.urls import reverse

from assessments.models import Attempt, Certificate
from modules.models import CoursePage, LessonPage, QuizPage
from tests.browser.test_roster_upload import admin_log_in, choose
from tests.assessments.conftest import every_type, make_quiz  # noqa: F401 (fixture)
from tests.conftest import in_real_transactions
from tests.people.test_roster import roster
from training.demo_activity import demo_activity_load
from training.people.models import Employee

from .axe import axe_violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.once, in_real_transactions]


def lesson_with(block_type):
    return next(lesson for lesson in LessonPage.objects.live().order_by("path") if any(b.block_type == block_type for b in lesson.body))


# --- states reached by interacting with a page ---------------------------------------------------


def walk_to_the_last_stop(page):
    walk = page.locator("[data-walkthrough]").first
    for _ in range(walk.locator(".walk-stop").count() - 1):
        walk.get_by_role("button", name="Next stop").click()


def play_the_scenario(page):
    scenario = page.locator("[data-scenario]").first
    for _ in range(20):
        step = scenario.locator(".scenario-step:visible").last
        step.locator(".scenario-choice summary").first.click()
        next_button = step.locator(".scenario-choice.chosen .scenario-next:visible")
        if next_button.count() == 0:
            break
        next_button.click()
    scenario.locator(".scenario-summary").wait_for()


def use_the_calculator(page):
    page.locator("[data-calculator]").first.get_by_label("Years as a customer").fill("20")


def start_the_quiz(page):
    page.get_by_role("button", name="Start the quiz").click()
    page.locator("#attempt-form").wait_for()


def answer_wrongly_and_save(page):
    """An answer the server refuses: the error shown on the attempt page."""
    page.locator('fieldset[data-kind="numeric"] input').first.fill("twelve")
    page.get_by_role("button", name="Save answers").click()


def order_an_item(page):
    page.locator("[data-move=down]").first.click()


def submit_the_attempt(page):
    page.locator('fieldset[data-kind="numeric"] input').first.fill("12")
    page.locator('fieldset[data-kind="written"] textarea').first.fill("I would listen first, then fix it.")
    page.get_by_role("button", name="Submit attempt").click()  # saves, then the review
    page.wait_for_url(re.compile(r"/review/$"))


def submit_after_the_review(page):
    page.get_by_role("button", name="Submit attempt").click()
    page.get_by_test_id("result-summary").wait_for()


def fail_to_log_in(page):
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    page.locator(".alert, .errorlist, .invalid-feedback").first.wait_for()


def submit_empty_form(page):
    """The server's own errors: the browser's checks of required fields are turned off."""
    page.evaluate("document.querySelectorAll('main form').forEach(form => { form.noValidate = true; })")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()


def upload_a_bad_roster(page):
    choose(page, roster("E5001,Zoe Quinn,zoe@,North store,,,"))
    page.get_by_role("button", name="Check and import").click()
    page.locator("[data-roster-problems]").wait_for()


def open_the_menu_of_the_first_row(page):
    page.locator("[data-controller='w-dropdown'] button").first.click()


def revoke_without_a_reason(page):
    page.evaluate("document.querySelectorAll('main form').forEach(form => { form.noValidate = true; })")
    with page.expect_navigation():
        page.get_by_role("button", name="Revoke").click()


def export_certificates(page):
    page.get_by_role("button", name=re.compile("Download a ZIP of these")).click()
    page.get_by_role("heading", name="Certificate export").wait_for()


def show_filters(page):
    page.get_by_role("button", name="Show filters").click()


# --- the table -----------------------------------------------------------------------------------


def visits(urls):
    """(role, username, [(name, url, action or None)]); signed-in roles log in first."""
    return [
        ("anonymous", None, [
            ("login", "/accounts/login/", None),
            ("login, wrong password", "/accounts/login/", fail_to_log_in),
            ("password reset", "/accounts/password/reset/", None),
            ("password reset, no address", "/accounts/password/reset/", submit_empty_form),
            ("password reset sent", "/accounts/password/reset/sent/", None),
            ("invitation, broken link", "/accounts/invitation/MQ/bad-token/", None),
            ("verify, valid", urls["verify valid"], None),
            ("verify, revoked", urls["verify revoked"], None),
            ("verify, expired", urls["verify expired"], None),
            ("verify, unknown code", "/verify/no-such-code/", None),
        ]),
        ("employee", "dev", [
            ("my learning, assigned", "/learning/", None),
            ("catalog", "/", None),
            ("course", urls["course"], None),
            ("lesson, walkthrough walked", urls["walkthrough"], walk_to_the_last_stop),
            ("lesson, scenario played", urls["scenario"], play_the_scenario),
            ("lesson, calculator used", urls["calculator"], use_the_calculator),
            ("quiz, before starting", urls["first quiz"], None),
            ("attempt, one question per page", urls["first quiz"], start_the_quiz),
            ("attempt, every type, timed", urls["every type"], start_the_quiz),
            ("attempt, ordering moved", None, order_an_item),
            ("attempt, answer refused", None, answer_wrongly_and_save),
            ("review before submit, one unanswered", None, submit_the_attempt),
            ("attempt result, awaiting grading", None, submit_after_the_review),
        ]),
        ("employee, failed and overdue", "chloe", [
            ("my learning, overdue", "/learning/", None),
            ("quiz, failed", urls["final"], None),
            ("quiz result, failed", urls["chloe result"], None),
        ]),
        ("employee, nothing assigned", "jonas", [
            ("my learning, nothing started", "/learning/", None),
        ]),
        ("employee, certified", "amira", [
            ("my learning, certified", "/learning/", None),
            ("quiz, passed", urls["final"], None),
        ]),
        ("manager", "manager.north", [
            ("my learning", "/learning/", None),
            ("team grid", "/learning/team/", None),
            ("team grid, nobody matches", "/learning/team/?state=completed&course=" + str(urls["course id"]), None),
            ("team grid, bad filter", "/learning/team/?course=nonsense", None),
            ("team member", urls["chloe record"], None),
            ("assign", "/learning/assign/", None),
            ("assign, errors shown", "/learning/assign/", submit_empty_form),
            ("grading queue", "/learning/grading/", None),
            ("grade a written answer", "/learning/grading/", lambda p: p.locator("main a[href*='/learning/grading/']").first.click()),
        ]),
        ("HR", "hr", [
            ("team grid, everyone", "/learning/team/", None),
            ("team member, with certificate", urls["amira record"], None),
            ("certificate manage, valid", urls["manage valid"], None),
            ("certificate manage, revoked", urls["manage revoked"], None),
            ("certificate manage, no reason given", urls["manage valid"], revoke_without_a_reason),
            ("admin: completions report", "/admin/reports/completions/", None),
            ("admin: attempts report", "/admin/reports/attempts/", None),
            ("admin: certificates report", "/admin/reports/certificates/", show_filters),
            ("admin: certificate export", None, export_certificates),
            ("admin: overdue report", "/admin/reports/overdue/", None),
            ("admin: question statistics", "/admin/reports/questions/", None),
            ("admin: statistics of the final", urls["final statistics"], None),
            ("admin: roster import", "/admin/people/roster/", None),
            ("admin: roster import, problems", "/admin/people/roster/", upload_a_bad_roster),
            ("admin: resend invitations", "/admin/people/roster/invitations/", None),
            ("admin: certificate list", "/admin/snippets/assessments/certificate/", open_the_menu_of_the_first_row),
        ]),
    ]


def test_every_page_role_and_state_has_no_axe_violations(browser, live_server, academy, make_quiz):
    demo_activity_load()
    every_type_quiz = make_quiz(every_type(), title="Every question type", time_limit_minutes=20, layout="all_on_one")
    course = CoursePage.objects.get(slug="customer-loyalty-fundamentals")
    quizzes = list(QuizPage.objects.live().exclude(pk=every_type_quiz.pk).order_by("path"))
    final = quizzes[-1]
    chloe = Employee.objects.get(user__username="chloe")
    certificates = {c.employee.user.username: c for c in Certificate.objects.select_related("employee__user")}
    urls = {
        "course": course.url,
        "course id": course.pk,
        "walkthrough": lesson_with("walkthrough").url,
        "scenario": lesson_with("scenario").url,
        "calculator": lesson_with("calculator").url,
        "first quiz": quizzes[0].url,
        "every type": every_type_quiz.url,
        "final": final.url,
        "chloe result": reverse("attempt_result", args=[Attempt.objects.filter(employee=chloe, quiz=final).latest("started_at").pk]),
        "verify valid": reverse("certificate_verify", args=[certificates["amira"].code]),
        "verify revoked": reverse("certificate_verify", args=[certificates["felix"].code]),
        "verify expired": reverse("certificate_verify", args=[certificates["grace"].code]),
        "manage valid": reverse("certificate_manage", args=[certificates["amira"].code]),
        "manage revoked": reverse("certificate_manage", args=[certificates["felix"].code]),
        "chloe record": reverse("team_member", args=[chloe.pk]),
        "amira record": reverse("team_member", args=[Employee.objects.get(user__username="amira").pk]),
        "final statistics": reverse("question_statistics_quiz", args=[final.pk]),
    }
    found = []
    for role, username, pages in visits(urls):
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(10_000)
        if username == "hr":
            admin_log_in(page, username)
        elif username:
            log_in(page, username)
        for name, url, action in pages:
            if url:
                page.goto(url)
            if action:
                action(page)
            found += axe_violations(page, f"{role}: {name} ({page.url.removeprefix(live_server.url)})")
        context.close()
    assert not found, f"{len(found)} axe violations:\n" + "\n".join(found)
