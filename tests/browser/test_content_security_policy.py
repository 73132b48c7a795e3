"""Every page of ours, per role, in Chromium under the real Content-Security-Policy: no violation.

The `csp_violations` fixture (conftest.py) watches every browser test; this walk makes sure each
of our pages is visited at least once, with its scripts exercised (lesson blocks, the quiz's
autosave and timer, the roster form), and that each answer carried the policy meant for it.
"""

import re
import time

import pytest
from playwright.sync_api import expect
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from assessments.models import Attempt, Certificate
from modules.blocks import LessonBodyBlock
from modules.models import LessonPage
from tests.assessments.conftest import complete_course, make_quiz  # noqa: F401 (fixture)
from tests.conftest import in_real_transactions
from tests.factories import add_lesson
from training.people.invitations import invitation_url, reset_url
from training.people.models import Employee
from training.security_headers import uses_admin_policy

from .conftest import log_in
from .test_certificate_journey import answer_in_page

pytestmark = [pytest.mark.browser, pytest.mark.once, in_real_transactions]

VIDEO_URL = "https://www.youtube.com/watch?v=csp-walk"


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


class Walk:
    """One role's browser context; `visit` checks each answer's status and policy header."""

    def __init__(self, browser, live_server, username=None):
        self.origin = live_server.url
        self.context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.page.on("response", self.check_headers)
        self.documents = []
        if username:
            log_in(self.page, username)
            expect(self.page.get_by_role("button", name="Log out")).to_be_visible()

    def check_headers(self, response):
        if response.request.resource_type != "document" or not response.url.startswith(self.origin + "/"):
            return
        path = response.url.removeprefix(self.origin)
        policy = response.headers.get("content-security-policy", "")
        directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip())
        inline_allowed = "'unsafe-inline'" in directives.get("script-src", "") + directives.get("style-src", "")
        self.documents.append((path, bool(directives), inline_allowed == uses_admin_policy(path.split("?")[0])))

    def visit(self, path, heading=None):
        response = self.page.goto(path)
        assert response.ok, f"{path} answered {response.status}"
        if heading:
            expect(self.page.get_by_role("heading", name=heading).first).to_be_visible()
        return self.page

    def close(self):
        self.context.close()
        wrong = [(path, has_policy, right_policy) for path, has_policy, right_policy in self.documents if not (has_policy and right_policy)]
        assert not wrong, f"pages without a policy or with the wrong one: {wrong}"
        return [path for path, *_ in self.documents]


def wait_for(page, violations, timeout=5.0):
    """Until a violation is reported: Playwright delivers console events only while it is called."""
    end = time.monotonic() + timeout
    while not violations and time.monotonic() < end:
        page.wait_for_timeout(50)


def test_every_page_of_ours_runs_under_the_policy_without_a_violation(browser, live_server, academy, course, make_quiz, csp_violations):
    ben, amira = (Employee.objects.get(user__username=name) for name in ("ben", "amira"))
    complete_course(ben, course)
    certificate = Certificate.objects.get(employee=ben)
    lesson = lesson_with_every_block(course)
    quiz = make_quiz(title="Every question type", time_limit_minutes=10)
    jonas = Employee.objects.get(user__username="jonas").user
    visited = []

    # Anonymous: sign-in, password reset, invitation and reset links, certificate verification.
    walk = Walk(browser, live_server)
    page = walk.visit("/accounts/login/", "Log in")
    # The watch works: a style attribute set from a script is refused and reported.
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    wait_for(page, csp_violations)
    assert len(csp_violations) == 1 and "style-src-attr" in csp_violations[0], csp_violations
    csp_violations.clear()
    walk.visit("/accounts/password/reset/")
    page.get_by_label("Email").fill("nobody@shop.example")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    walk.visit(f"/verify/{certificate.code}/")
    expect(page.get_by_test_id("verify-result")).to_contain_text("Valid")
    walk.visit("/accounts/" + invitation_url(user=jonas).split("/accounts/", 1)[1])
    expect(page.locator("input[name=new_password1]")).to_be_visible()
    walk.visit("/accounts/" + reset_url(user=jonas).split("/accounts/", 1)[1])
    expect(page.locator("input[name=new_password1]")).to_be_visible()
    visited += walk.close()

    # Employee: catalog, course, every lesson block used, a timed quiz in progress, its result.
    walk = Walk(browser, live_server, "amira")
    page = walk.visit("/")
    walk.visit(course.url, course.title)
    walk.visit(lesson.url, "Every block")
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
    walk.visit(quiz.url, quiz.title)
    page.get_by_role("button", name="Start the quiz").click()
    attempt = Attempt.objects.get(quiz=quiz, employee=amira)
    for question in attempt.questions:
        if question["kind"] == "written":
            page.locator(f"[id='q-{question['tokens']['question']}']").fill("I remembered a regular's birthday.")
        else:
            answer_in_page(page, question)
    expect(page.locator("[data-save-status]")).to_have_text("All answers saved")
    page.reload()
    expect(page.get_by_role("timer")).to_contain_text("Time left")
    page.get_by_role("button", name="Submit attempt").click()  # saves, then the review
    expect(page.get_by_role("heading", name=re.compile("Review"))).to_be_visible()
    page.get_by_role("button", name="Submit attempt").click()
    expect(page.get_by_test_id("result-summary")).to_be_visible()
    walk.visit("/learning/", "My learning")
    visited += walk.close()

    # Manager: the team grid, a member, assigning, grading the written answer.
    walk = Walk(browser, live_server, "manager.north")
    walk.visit("/learning/team/", "My team")
    walk.visit(f"/learning/team/{amira.pk}/")
    walk.visit("/learning/assign/")
    page = walk.visit("/learning/grading/", "Written answers to grade")
    page.get_by_role("link", name="Grade").first.click()
    expect(page.get_by_role("button", name="Save grade")).to_be_visible()
    visited += walk.close()

    # HR: reports, question statistics, roster import, certificates (ours and Wagtail's list).
    walk = Walk(browser, live_server, "hr")
    walk.visit(f"/learning/certificates/{certificate.code}/")
    for report in ("completions", "attempts", "certificates", "overdue"):
        walk.visit(f"/admin/reports/{report}/")
    page = walk.visit("/admin/reports/completions/?completed_from=2020-01-01&completed_to=2040-12-31")
    # json_script's <script type="application/json"> (Wagtail's admin passes its settings so) is
    # data the browser never runs: the strict policy lets it be.
    assert page.locator('script[type="application/json"]').count() >= 1
    walk.visit("/admin/reports/questions/")
    walk.visit(f"/admin/reports/questions/{quiz.pk}/")
    walk.visit("/admin/people/roster/")
    walk.visit("/admin/people/roster/invitations/")
    walk.visit("/admin/snippets/assessments/certificate/")
    visited += walk.close()

    # Editor: our page with Wagtail's user bar, and the page editor (the admin's own policy).
    walk = Walk(browser, live_server, "editor")
    walk.visit(lesson.url, "Every block")
    walk.visit(f"/admin/pages/{lesson.pk}/edit/")
    visited += walk.close()

    assert csp_violations == []
    assert {"/learning/", "/admin/people/roster/", f"/verify/{certificate.code}/"} <= set(visited)
