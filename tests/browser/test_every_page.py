"""Every page of ours, for every role, in the states that matter: one walk, and on each page both
axe-core (WCAG 2.2 AA tags) and the Content-Security-Policy.

One table of pages x roles x states, one browser context per role, on the shared live server,
over the demo people's made-up year (certificates valid, expired and revoked, attempts passed and
failed, overdue assignments), plus a lesson with a block of every type. Scripts are exercised
(lesson blocks, the quiz's autosave and timer, the roster form); every answer must carry the policy
meant for it, and the `csp_violations` fixture (conftest.py) fails the test on any violation.
A failure lists each axe violation as `role: page (url) | rule | element | message`.
"""

import re
import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from assessments.models import Attempt, Certificate
from modules.blocks import LessonBodyBlock
from modules.models import CoursePage, LessonPage, QuizPage
from tests.assessments.conftest import every_type, make_quiz  # noqa: F401 (fixture)
from tests.browser.test_certificate_journey import answer_in_page
from tests.browser.test_roster_upload import admin_log_in, choose
from tests.conftest import in_real_transactions
from tests.factories import add_lesson
from tests.people.test_roster import roster
from training.demo_activity import demo_activity_load
from training.people.invitations import invitation_url, reset_url
from training.people.models import Employee
from training.security_headers import uses_admin_policy

from .axe import axe_violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.once, in_real_transactions]

VIDEO_URL = "https://www.youtube.com/watch?v=csp-walk"


def lesson_with(block_type):
    return next(lesson for lesson in LessonPage.objects.live().order_by("path") if any(b.block_type == block_type for b in lesson.body))


def lesson_with_every_block(course) -> LessonPage:
    """One lesson with a block of every type: the curriculum's own, plus a picture and a video
    (its player cached, as Wagtail keeps oEmbed answers, so no request leaves the machine)."""
    curriculum = [block for lesson in LessonPage.objects.live() for block in lesson.body.raw_data]
    first_of = {}
    for block in curriculum:
        first_of.setdefault(block["type"], block["value"])
    image = Image.objects.create(title="Counter", file=get_test_image_file(filename="counter.png"))
    Embed.objects.create(
        url=VIDEO_URL, hash=get_embed_hash(VIDEO_URL), type="video", provider_name="YouTube", width=560, height=315,
        html='<iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/csp-walk" title="Welcome" '
        'allowfullscreen referrerpolicy="strict-origin-when-cross-origin"></iframe>',
    )
    first_of["image"] = {"image": image.pk, "alt_text": "The shop counter", "caption": "Our counter"}
    first_of["video"] = {"video": VIDEO_URL, "caption": "Welcome", "transcript": "Hello and welcome."}
    kinds = list(LessonBodyBlock().child_blocks)
    missing = set(kinds) - set(first_of)
    assert not missing, f"no block of type {missing} to show"
    return add_lesson(course, "Every block", body=[(kind, first_of[kind]) for kind in kinds])


# --- states reached by interacting with a page ---------------------------------------------------


def see_a_new_password_field(page):
    expect(page.locator("input[name=new_password1]")).to_be_visible()


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


def use_every_block(page):
    """Each block's script runs: a walkthrough stop, a scenario choice, the calculator, the video
    player and the picture shown, then the lesson marked done."""
    walk_block = page.locator("[data-walkthrough]").first
    walk_block.get_by_role("button", name="Next stop").click()
    expect(walk_block.locator(".walk-status")).to_contain_text("Stop 2 of")
    scenario = page.locator("[data-scenario]").first
    scenario.locator(".scenario-step:visible .scenario-choice summary").first.click()
    expect(scenario.locator(".scenario-choice.chosen .scenario-result").first).to_be_visible()
    calculator = page.locator("[data-calculator]").first
    calculator.get_by_label("Years as a customer").fill("20")
    calculator.get_by_label("Years as a customer").press("Enter")  # the form's submit is cancelled by lesson.js
    expect(calculator.locator('[data-out="years"]')).to_have_text("20")
    expect(page.locator("iframe[src*='youtube-nocookie.com']")).to_have_count(1)
    expect(page.get_by_role("img", name="The shop counter")).to_be_visible()
    page.get_by_role("button", name="Mark lesson as done").click()
    expect(page.get_by_test_id("lesson-done")).to_be_visible()


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


def answer_everything_as_amira(page):
    """Every question answered through its own controls; the autosave stores them all."""
    start_the_quiz(page)
    attempt = Attempt.objects.filter(employee__user__username="amira", quiz__title="Every question type").get()
    for question in attempt.questions:
        if question["kind"] == "written":
            page.locator(f"[id='q-{question['tokens']['question']}']").fill("I remembered a regular's birthday.")
        else:
            answer_in_page(page, question)
    expect(page.locator("[data-save-status]")).to_have_text("All answers saved")


def reload_and_see_the_timer(page):
    page.reload()
    expect(page.get_by_role("timer")).to_contain_text("Time left")


def submit_to_the_review(page):
    page.get_by_role("button", name="Submit attempt").click()  # saves, then the review
    expect(page.get_by_role("heading", name=re.compile("Review"))).to_be_visible()


def fail_to_log_in(page):
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    page.locator(".alert, .errorlist, .invalid-feedback").first.wait_for()


def ask_for_a_reset_link(page):
    page.get_by_label("Email").fill("nobody@shop.example")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()


def submit_empty_form(page):
    """The server's own errors: the browser's checks of required fields are turned off."""
    page.evaluate("document.querySelectorAll('main form').forEach(form => { form.noValidate = true; })")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()


def grade_the_first_answer(page):
    page.get_by_role("link", name="Grade").first.click()
    expect(page.get_by_role("button", name="Save grade")).to_be_visible()


def see_the_settings_as_data(page):
    """json_script's <script type="application/json"> (Wagtail's admin passes its settings so) is
    data the browser never runs: the strict policy lets it be."""
    assert page.locator('script[type="application/json"]').count() >= 1


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

# Each visit's expected status; the others answer 200.
REFUSED = {"verify, unknown code": 404, "team grid, bad filter": 400}
# Visits checked for the policy only, not by axe, and why.
POLICY_ONLY = {
    "lesson with the user bar": "Wagtail's user bar runs its own axe in the page, which would collide with ours",
    "admin: page editor": "Wagtail's page editor, not a page of ours",
}


def visits(urls):
    """(role, username, [(name, url, action or None)]); signed-in roles log in first."""
    return [
        ("anonymous", None, [
            ("login", "/accounts/login/", None),
            ("login, wrong password", "/accounts/login/", fail_to_log_in),
            ("password reset", "/accounts/password/reset/", None),
            ("password reset, no address", "/accounts/password/reset/", submit_empty_form),
            ("password reset sent", "/accounts/password/reset/", ask_for_a_reset_link),
            ("invitation, broken link", "/accounts/invitation/MQ/bad-token/", None),
            ("invitation", urls["invitation"], see_a_new_password_field),
            ("password reset link", urls["reset"], see_a_new_password_field),
            ("verify, valid", urls["verify valid"], lambda p: expect(p.get_by_test_id("verify-result")).to_contain_text("Valid")),
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
            ("lesson, every block used", urls["every block"], use_every_block),
            ("attempt, every answer saved", urls["every type"], answer_everything_as_amira),
            ("attempt, reloaded", None, reload_and_see_the_timer),
            ("review before submit, all answered", None, submit_to_the_review),
            ("attempt result", None, submit_after_the_review),
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
            ("grade a written answer", "/learning/grading/", grade_the_first_answer),
        ]),
        ("HR", "hr", [
            ("team grid, everyone", "/learning/team/", None),
            ("team member, with certificate", urls["amira record"], None),
            ("certificate manage, valid", urls["manage valid"], None),
            ("certificate manage, revoked", urls["manage revoked"], None),
            ("certificate manage, no reason given", urls["manage valid"], revoke_without_a_reason),
            ("admin: completions report", "/admin/reports/completions/", None),
            ("admin: completions report, dates chosen", "/admin/reports/completions/?completed_from=2020-01-01&completed_to=2040-12-31",
             see_the_settings_as_data),
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
        ("editor", "editor", [
            ("lesson with the user bar", urls["every block"], None),
            ("admin: page editor", urls["edit every block"], None),
        ]),
    ]


class Walk:
    """One role's browser context: records each of our documents' status and whether it carried
    the policy meant for it (the admin's, which allows inline code, only under the admin)."""

    def __init__(self, browser, live_server):
        self.origin = live_server.url
        self.context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.page.on("response", self.check_headers)
        self.documents = []

    def check_headers(self, response):
        if response.request.resource_type != "document" or not response.url.startswith(self.origin + "/"):
            return
        path = response.url.removeprefix(self.origin)
        policy = response.headers.get("content-security-policy", "")
        directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip())
        inline_allowed = "'unsafe-inline'" in directives.get("script-src", "") + directives.get("style-src", "")
        self.documents.append((path, bool(directives), inline_allowed == uses_admin_policy(path.split("?")[0])))


def wait_for(page, violations, timeout=5.0):
    """Until a violation is reported: Playwright delivers console events only while it is called."""
    end = time.monotonic() + timeout
    while not violations and time.monotonic() < end:
        page.wait_for_timeout(50)


def test_every_page_role_and_state_passes_axe_and_the_policy(browser, live_server, academy, course, make_quiz, csp_violations):
    demo_activity_load()
    every_type_quiz = make_quiz(every_type(), title="Every question type", time_limit_minutes=20, layout="all_on_one")
    every_block = lesson_with_every_block(course)
    quizzes = list(QuizPage.objects.live().exclude(pk=every_type_quiz.pk).order_by("path"))
    final = quizzes[-1]
    chloe = Employee.objects.get(user__username="chloe")
    jonas = Employee.objects.get(user__username="jonas").user
    certificates = {c.employee.user.username: c for c in Certificate.objects.select_related("employee__user")}
    urls = {
        "course": course.url,
        "course id": course.pk,
        "walkthrough": lesson_with("walkthrough").url,
        "scenario": lesson_with("scenario").url,
        "calculator": lesson_with("calculator").url,
        "every block": every_block.url,
        "edit every block": f"/admin/pages/{every_block.pk}/edit/",
        "first quiz": quizzes[0].url,
        "every type": every_type_quiz.url,
        "final": final.url,
        "chloe result": reverse("attempt_result", args=[Attempt.objects.filter(employee=chloe, quiz=final).latest("started_at").pk]),
        "invitation": "/accounts/" + invitation_url(user=jonas).split("/accounts/", 1)[1],
        "reset": "/accounts/" + reset_url(user=jonas).split("/accounts/", 1)[1],
        "verify valid": reverse("certificate_verify", args=[certificates["amira"].code]),
        "verify revoked": reverse("certificate_verify", args=[certificates["felix"].code]),
        "verify expired": reverse("certificate_verify", args=[certificates["grace"].code]),
        "manage valid": reverse("certificate_manage", args=[certificates["amira"].code]),
        "manage revoked": reverse("certificate_manage", args=[certificates["felix"].code]),
        "chloe record": reverse("team_member", args=[chloe.pk]),
        "amira record": reverse("team_member", args=[Employee.objects.get(user__username="amira").pk]),
        "final statistics": reverse("question_statistics_quiz", args=[final.pk]),
    }
    headings = {  # what some visits must show on arriving
        "login": "Log in", "course": course.title, "lesson, every block used": every_block.title,
        "attempt, every answer saved": every_type_quiz.title, "my learning, certified": "My learning",
        "team grid": "My team", "grading queue": "Written answers to grade", "lesson with the user bar": every_block.title,
    }
    found, wrong_status, visited, wrong_policy = [], [], [], []
    for role, username, pages in visits(urls):
        walk = Walk(browser, live_server)
        page = walk.page
        if username == "hr":
            admin_log_in(page, username)
        elif username:
            log_in(page, username)
            expect(page.get_by_role("button", name="Log out")).to_be_visible()
        else:
            # The watch works: a style attribute set from a script is refused and reported.
            page.goto("/accounts/login/")
            page.evaluate("document.body.setAttribute('style', 'color: red')")
            wait_for(page, csp_violations)
            assert len(csp_violations) == 1 and "style-src-attr" in csp_violations[0], csp_violations
            csp_violations.clear()
        for name, url, action in pages:
            if url:
                response = page.goto(url)
                if response.status != REFUSED.get(name, 200):
                    wrong_status.append(f"{role}: {name} ({url}) answered {response.status}")
                if name in headings:
                    expect(page.get_by_role("heading", name=headings[name]).first).to_be_visible()
            if action:
                action(page)
            if name not in POLICY_ONLY:
                found += axe_violations(page, f"{role}: {name} ({page.url.removeprefix(live_server.url)})")
        walk.context.close()
        visited += [path for path, *_ in walk.documents]
        wrong_policy += [(role, path) for path, has_policy, right_policy in walk.documents if not (has_policy and right_policy)]
    assert not wrong_status, "\n".join(wrong_status)
    assert not wrong_policy, f"pages without a policy or with the wrong one: {wrong_policy}"
    assert not found, f"{len(found)} axe violations:\n" + "\n".join(found)
    assert csp_violations == []
    assert {"/learning/", "/admin/people/roster/", urls["verify valid"], urls["edit every block"]} <= set(visited)
