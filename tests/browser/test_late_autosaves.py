"""Late autosaves never overwrite a newer answer (issue 10 §1), in a real browser.

`page.route` holds the attempt's autosaves and lets them reach the server later, in another order:
after the form's own post, after the page moved on, after a newer autosave, after the submit.
"""

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from assessments import scoring
from assessments.models import Attempt
from training.demo_activity import full_marks_response

from tests.assessments.conftest import NUMERIC_ANSWER, every_type, make_quiz, single  # noqa: F401 (fixture)
from tests.conftest import in_real_transactions

from .conftest import log_in
from .test_quiz_journeys import ORDER, item_texts, question, wait_until

pytestmark = [pytest.mark.browser, in_real_transactions]

AUTOSAVE = re.compile(r"/attempts/\d+/answers/$")


class Held:
    """Autosaves caught on their way to the server, released when the test says."""

    def __init__(self, page):
        self.page, self.routes = page, []
        page.route(AUTOSAVE, self.hold)

    def hold(self, route):
        self.routes.append(route)

    def wait_for(self, count):
        """Route handlers run while Playwright waits, so wait through Playwright."""
        for _ in range(100):
            if len(self.routes) >= count:
                return
            self.page.wait_for_timeout(50)
        raise AssertionError(f"expected {count} autosave(s) on their way, saw {len(self.routes)}")

    def quiet(self, count, ms=400):
        """No further autosave is sent while one is on its way (however many changes wait)."""
        self.page.wait_for_timeout(ms)
        assert len(self.routes) == count, f"{len(self.routes)} autosaves sent, {count} expected"

    def deliver(self, index):
        """Let autosave `index` reach the server now; returns the server's (status, reply)."""
        route = self.routes[index]
        response = route.fetch()
        reply = (response.status, response.json())
        try:
            route.fulfill(response=response)
        except PlaywrightError:
            pass  # the page that sent it has moved on; the server has answered all the same
        return reply


def stored(attempt):
    return {r.question_id: r.value for r in attempt.responses.all()}


def full_marks(attempt):
    return {q["id"]: scoring.clean_response(scoring.question_from_data(q), full_marks_response(q)) for q in attempt.questions}


def status(page):
    return page.locator("[data-save-status]")


def ready(page, url=None):
    """On the new page with quiz.js running (it adds the revision inputs): a change made before
    the deferred script runs would not be autosaved, and the test would wait in vain."""
    if url is not None:
        expect(page).to_have_url(re.compile(url))
    expect(page.locator("[data-revision-of]").first).to_be_attached()


def test_late_autosaves_lose_on_a_one_per_page_quiz(academy, make_quiz, page):
    quiz = make_quiz([q for q in every_type() if q[0] != "written"], layout="one_per_page")
    log_in(page, "amira")
    page.goto(quiz.url)
    page.get_by_role("button", name="Start the quiz").click()
    ready(page, r"/attempts/\d+/$")
    attempt = Attempt.objects.get(quiz=quiz, employee__user__username="amira")
    ids = [q["id"] for q in attempt.questions]
    tokens = [q["tokens"]["question"] for q in attempt.questions]  # what the page and its replies name
    held = Held(page)

    # 1. The case: A's autosave is slow, B is picked, "Save and next"; A arrives last.
    question(page, "single_choice").get_by_label("A", exact=True).check()
    held.wait_for(1)
    question(page, "single_choice").get_by_label("F", exact=True).check()
    question(page, "single_choice").get_by_label("C", exact=True).check()
    held.quiet(1)  # the changes wait for the next autosave
    expect(status(page)).to_have_text("Saving…")
    page.get_by_role("button", name="Save and next →").click()  # C goes as an autosave too
    ready(page, r"\?q=2$")
    code, reply = held.deliver(0)
    assert code == 200 and reply["saved"] == [] and list(reply["stale"]) == [tokens[0]], reply
    held.wait_for(2)
    assert held.deliver(1)[1]["saved"] == [tokens[0]]  # C again, as the post stored it: nothing changes
    assert stored(attempt)[ids[0]] == full_marks(attempt)[ids[0]]

    # 2. Boxes ticked quickly, then away to another address (the question list's links post the
    #    form instead; see below): the page sends what waits as it closes, while the first autosave
    #    is still held. The newer one arrives first.
    mc = question(page, "multiple_choice")
    mc.get_by_label("Shop around", exact=True).check()
    held.wait_for(3)
    mc.get_by_label("Return", exact=True).check()
    mc.get_by_label("Brag", exact=True).check()
    mc.get_by_label("Shop around", exact=True).uncheck()
    held.quiet(3)
    expect(status(page)).to_have_text("Saving…")
    page.goto(page.url.split("?")[0] + "?q=3")
    ready(page, r"\?q=3$")
    held.wait_for(4)
    assert held.deliver(3)[1]["saved"] == [tokens[1]]
    assert held.deliver(2)[1]["stale"].keys() == {tokens[1]}

    # 3. True, then False, then back with "← Previous": True arrives last and loses; both pages
    #    show what was chosen last. False is set without any event (as a browser may, submitting
    #    on Enter before "change"): the form's post still gives it a newer revision.
    question(page, "true_false").get_by_label("True", exact=True).check()
    held.wait_for(5)
    question(page, "true_false").get_by_label("False", exact=True).evaluate("radio => { radio.checked = true; }")
    page.get_by_role("button", name="← Previous").click()
    ready(page, r"\?q=2$")
    assert held.deliver(4)[1]["stale"].keys() == {tokens[2]}
    for text, checked in (("Return", True), ("Brag", True), ("Shop around", False)):
        expect(question(page, "multiple_choice").get_by_label(text, exact=True)).to_be_checked(checked=checked)
    page.get_by_role("button", name="Save and next →").click()  # unchanged: sent with the revision shown
    ready(page, r"\?q=3$")
    expect(page.locator(".alert")).to_have_text("Your answers are saved.")
    expect(question(page, "true_false").get_by_label("False", exact=True)).to_be_checked()
    page.get_by_role("button", name="Save and next →").click()
    ready(page, r"\?q=4$")

    # 4-7. Numeric, short text, ordering, matching: a wrong answer held, the right one posted.
    def wrong_then_right(kind, wrong, right):
        number = next(i for i, q in enumerate(attempt.questions, 1) if q["kind"] == kind)
        before = len(held.routes)
        wrong(question(page, kind))
        held.wait_for(before + 1)
        right(question(page, kind))
        expect(status(page)).to_have_text("Saving…")
        page.get_by_role("button", name="Save and next →").click()
        ready(page, rf"\?q={number + 1}$")
        expect(page.locator(".alert")).to_have_text("Your answers are saved.")
        assert held.deliver(before)[1]["stale"].keys() == {question_id(kind)}

    def question_id(kind):  # as the page and its replies name it
        return next(q["tokens"]["question"] for q in attempt.questions if q["kind"] == kind)

    def fill(text):
        return lambda fieldset: fieldset.get_by_label("Your answer").fill(text)

    def arrange(order):
        def move(fieldset):
            for target, text in enumerate(order):
                for _ in range(item_texts(fieldset).index(text) - target):
                    fieldset.get_by_role("button", name=f"Move “{text}” up").click()
            assert item_texts(fieldset) == order
        return move

    def match(satisfied, loyal):
        def choose(fieldset):
            fieldset.get_by_label("Satisfied", exact=True).select_option(label=satisfied)
            fieldset.get_by_label("Loyal", exact=True).select_option(label=loyal)
        return choose

    wrong_then_right("numeric", fill("12"), fill(NUMERIC_ANSWER))
    wrong_then_right("short_text", fill("points card"), fill("SECRETKEY partnership"))
    shown = item_texts(question(page, "ordering"))  # shuffled, never right: any other wrong order
    wrong_order = next(o for o in (ORDER[::-1], ORDER[1:] + ORDER[:1]) if o != shown)
    wrong_then_right("ordering", arrange(wrong_order), arrange(ORDER))
    wrong_then_right("matching", match("$2,600", "$200"), match("$200", "$2,600"))

    # 8. The last question: a wrong answer's autosave is still held when "Submit attempt" is
    #    pressed; the submit scores the right one, and the late autosave finds the attempt closed.
    question(page, "scenario").get_by_label("Argue", exact=True).check()
    before = len(held.routes)
    held.wait_for(before + 1)
    question(page, "scenario").get_by_label("Replace it", exact=True).check()
    page.get_by_role("button", name="Submit attempt").click()  # saves, then the review
    expect(page).to_have_url(re.compile(r"/review/$"))
    page.get_by_role("button", name="Submit attempt").click()
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/result/$"))
    code, reply = held.deliver(before)
    assert code == 409 and "already been submitted" in reply["error"]
    expect(page.get_by_test_id("result-summary").locator(".display-6")).to_have_text("100%")

    assert stored(attempt) == full_marks(attempt)
    attempt.refresh_from_db()
    assert (attempt.state, str(attempt.percentage), attempt.passed) == (Attempt.State.SUBMITTED, "100.00", True)


def test_one_autosave_at_a_time_and_two_tabs_on_an_all_on_one_page_quiz(academy, make_quiz, page):
    quiz = make_quiz([q for q in every_type() if q[0] in ("single_choice", "multiple_choice")])
    log_in(page, "amira")
    page.goto(quiz.url)
    held = Held(page)
    scripts = []
    page.route(re.compile(r"/training/quiz[^/]*\.js$"), lambda route: scripts.append(route))
    page.get_by_role("button", name="Start the quiz").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    attempt = Attempt.objects.get(quiz=quiz, employee__user__username="amira")
    single_id, multiple_id = (q["tokens"]["question"] for q in attempt.questions)  # as the page names them

    # A box ticked before quiz.js arrives (slow connection) is autosaved once it runs.
    mc = question(page, "multiple_choice")
    mc.get_by_label("Shop around", exact=True).check()
    for _ in range(100):
        if scripts:
            break
        page.wait_for_timeout(50)
    scripts[0].continue_()
    ready(page)
    held.wait_for(1)

    # Changes made while an autosave is on its way go together in the next one; the page says
    # "All answers saved" only once that one is answered too.
    mc.get_by_label("Return", exact=True).check()
    mc.get_by_label("Brag", exact=True).check()
    mc.get_by_label("Shop around", exact=True).uncheck()
    question(page, "single_choice").get_by_label("A", exact=True).check()
    held.quiet(1)
    assert held.deliver(0)[1]["saved"] == [multiple_id]
    held.wait_for(2)
    expect(status(page)).to_have_text("Saving…")
    assert held.deliver(1)[1]["saved"] == sorted([single_id, multiple_id])
    expect(status(page)).to_have_text("All answers saved")

    # Two tabs: this one picks F and its autosave is slow; the other picks C later and saves.
    question(page, "single_choice").get_by_label("F", exact=True).check()
    held.wait_for(3)
    other = page.context.new_page()
    other.goto(page.url)
    expect(question(other, "single_choice").get_by_label("A", exact=True)).to_be_checked()
    question(other, "single_choice").get_by_label("C", exact=True).check()
    expect(status(other)).to_have_text("All answers saved")
    assert held.deliver(2)[1]["stale"].keys() == {single_id}
    expect(status(page)).to_have_text(
        "Question 1 was changed in another tab or window; the answer saved there was kept. Reload to see it."
    )
    # Submitting from this tab keeps the other tab's newer answer: the stale one changes nothing.
    page.get_by_role("button", name="Submit attempt").click()  # saves, then the review
    expect(page).to_have_url(re.compile(r"/review/$"))
    page.get_by_role("button", name="Submit attempt").click()
    expect(page.get_by_test_id("result-summary").locator(".display-6")).to_have_text("100%")
    other.close()
    assert stored(attempt) == full_marks(attempt)
    attempt.refresh_from_db()
    assert (attempt.state, str(attempt.percentage)) == (Attempt.State.SUBMITTED, "100.00")


def test_failed_autosaves_say_why_and_never_loop(academy, make_quiz, page):
    """A refused, failed or signed-out save is never shown as saved, and is not resent in a loop."""
    quiz = make_quiz([q for q in every_type() if q[0] in ("single_choice", "numeric")])
    log_in(page, "amira")
    page.goto(quiz.url)
    page.get_by_role("button", name="Start the quiz").click()
    ready(page, r"/attempts/\d+/$")
    attempt = Attempt.objects.get(quiz=quiz, employee__user__username="amira")
    sent = []
    page.on("request", lambda request: sent.append(request) if AUTOSAVE.search(request.url) else None)
    single, numeric = question(page, "single_choice"), question(page, "numeric")

    # The server fails: the page says so and waits before trying again (2 s, then 4 s ...).
    page.route(AUTOSAVE, lambda route: route.fulfill(status=500, body="boom"))
    single.get_by_label("C", exact=True).check()
    expect(status(page)).to_contain_text("Not saved (error 500)")
    page.wait_for_timeout(3000)
    assert len(sent) == 2, f"{len(sent)} autosaves in 3 s after a failure"
    page.unroute(AUTOSAVE)

    # One refused answer waits until it is changed; the others are saved meanwhile.
    numeric.get_by_label("Your answer").fill("twelve")
    expect(status(page)).to_have_text("Nothing was saved: Question 2: “twelve” is not a number.")
    count = len(sent)
    page.wait_for_timeout(1500)
    assert len(sent) == count, "a refused answer was sent again unchanged"
    assert stored(attempt) == {attempt.questions[0]["id"]: full_marks(attempt)[attempt.questions[0]["id"]]}
    numeric.get_by_label("Your answer").fill(NUMERIC_ANSWER)
    expect(status(page)).to_have_text("All answers saved")
    assert stored(attempt) == full_marks(attempt)

    # Signed out (another tab logged out): the login page the save is sent to is not a save.
    page.context.clear_cookies(name="sessionid")
    single.get_by_label("F", exact=True).check()
    expect(status(page)).to_contain_text("you are signed out")
    page.wait_for_timeout(1000)
    assert stored(attempt) == full_marks(attempt)
    # A button pressed now would carry the answer to the login page and drop it: the page stays,
    # tries to save, and still says why.
    attempt_url = page.url
    page.get_by_role("button", name="Save answers").click()
    page.wait_for_timeout(1000)
    assert page.url == attempt_url and single.get_by_label("F", exact=True).is_checked()
    expect(status(page)).to_contain_text("you are signed out")
    # Signed in again in another tab, the same button saves the answer, then does what it does.
    other = page.context.new_page()
    log_in(other, "amira")
    other.close()
    page.get_by_role("button", name="Save answers").click()
    expect(page.locator(".alert")).to_have_text("Your answers are saved.")
    single_id = next(q["id"] for q in attempt.questions if q["kind"] == "single_choice")
    assert stored(attempt)[single_id] != full_marks(attempt)[single_id]  # F, the answer given while signed out

    # "Save answers" pressed as a wrong number is typed: the server refuses the post, the page it
    # answers with keeps both answers as they were sent, and the good one is then autosaved.
    single.get_by_label("C", exact=True).check()
    numeric.get_by_label("Your answer").fill("twelve")
    page.get_by_role("button", name="Save answers").click()
    expect(page.locator(".alert")).to_have_text("Nothing was saved: Question 2: “twelve” is not a number.")
    expect(numeric.get_by_label("Your answer")).to_have_value("twelve")
    expect(single.get_by_label("C", exact=True)).to_be_checked()
    expect(status(page)).to_have_text("Nothing was saved: Question 2: “twelve” is not a number.")
    wait_until(lambda: stored(attempt) == full_marks(attempt), "the answer shown again was not autosaved")


def test_the_question_list_posts_the_answers_on_the_page(academy, make_quiz, page):
    """Leaving a question by the question list while its autosave is slow loses nothing: the link
    posts the form (goto-<n>) with the newest answer, and the late autosave loses to it."""
    quiz = make_quiz([single("A"), single("B")], layout="one_per_page")
    log_in(page, "amira")
    page.goto(quiz.url)
    page.get_by_role("button", name="Start the quiz").click()
    ready(page, r"/attempts/\d+/$")
    attempt = Attempt.objects.get(quiz=quiz, employee__user__username="amira")
    held = Held(page)
    page.get_by_label("Wrong", exact=True).check()
    held.wait_for(1)
    page.get_by_label("Right", exact=True).check()
    page.locator('.pagination a[href="?q=2"]').click()
    ready(page, r"\?q=2$")
    expect(page.locator(".alert")).to_have_text("Your answers are saved.")
    assert held.deliver(0)[1]["stale"].keys() == {attempt.questions[0]["tokens"]["question"]}
    assert stored(attempt) == {attempt.questions[0]["id"]: full_marks(attempt)[attempt.questions[0]["id"]]}


def test_a_post_that_never_arrives_loses_no_answer(academy, make_quiz, page):
    """The connection drops as "Save and next" is pressed right after a change, before its
    autosave was due: the change still reaches the server, by an autosave sent with the post."""
    quiz = make_quiz([single("A"), single("B")], layout="one_per_page")
    log_in(page, "amira")
    page.goto(quiz.url)
    page.clock.install()  # the page's timers wait for the test: the autosave is never due on its own
    page.get_by_role("button", name="Start the quiz").click()
    ready(page, r"/attempts/\d+/$")
    attempt = Attempt.objects.get(quiz=quiz, employee__user__username="amira")
    page.clock.pause_at(datetime.now() + timedelta(minutes=5))
    page.route(re.compile(r"/attempts/\d+/(\?.*)?$"),
               lambda route: route.abort("connectionreset") if route.request.method == "POST" else route.continue_())
    page.get_by_label("Right", exact=True).check()
    page.get_by_role("button", name="Save and next →").click()
    expect(page).to_have_url(re.compile("^chrome-error:"))  # the browser's "connection reset" page
    first = attempt.questions[0]["id"]
    for _ in range(100):  # the autosave goes on after the page is gone (keepalive)
        if stored(attempt):
            break
        page.wait_for_timeout(50)
    assert stored(attempt) == {first: full_marks(attempt)[first]}
