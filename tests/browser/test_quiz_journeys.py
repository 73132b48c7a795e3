"""Quizzes in a real browser: a timed attempt that survives a reload, and a keyboard-only attempt."""

import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Attempt

from tests.assessments.conftest import NUMERIC_ANSWER, every_type, make_quiz, single  # noqa: F401 (fixture)
from tests.conftest import in_real_transactions

from .conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, in_real_transactions]

ORDER = ["Goal", "Behaviours", "Program"]  # the right order of every_type()'s ordering question


def shot(page, request, suffix):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{suffix}.png"), full_page=True)


def question(page, kind):
    return page.locator(f'fieldset[data-kind="{kind}"]')


def item_texts(fieldset):
    return [text.strip() for text in fieldset.locator(".ordering-item > span").all_text_contents()]


def wait_until(condition, message, timeout=10.0):
    """Poll the database (the live server writes in its own thread) until `condition()` holds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(message)


def show_items_out_of_order(attempt):
    """Attempts show ordering items in a uniformly random order, the right one included (1 in 6 for
    three items); these journeys move items, so they give their attempt a wrong order: the reverse."""
    for frozen in attempt.questions:
        if frozen["kind"] == "ordering":
            frozen["shown"] = [item["id"] for item in reversed(frozen["items"])]
    attempt.save(update_fields=["questions"])


def seconds_shown(page):
    minutes, seconds = page.locator("[data-time-left]").text_content().split(":")
    return int(minutes) * 60 + int(seconds)


# --- 1. Timed quiz, all on one page, answered with the mouse, reloaded, submitted ---------------


def test_timed_quiz_survives_a_reload_and_scores_every_type(academy, make_quiz, page, request):
    quiz = make_quiz([q for q in every_type() if q[0] != "written"], time_limit_minutes=10, layout="all_on_one")
    log_in(page, "amira")
    page.goto(quiz.url)
    expect(page.get_by_role("list", name="Quiz rules")).to_contain_text("10 minute time limit")
    page.get_by_role("button", name="Start the quiz").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    attempt = Attempt.objects.get(quiz=quiz, employee__user__username="amira")
    show_items_out_of_order(attempt)
    page.reload()
    expect(page.locator("[data-answered]")).to_have_text("0 of 8 answered")

    # Answer every question. Everything is right except the multiple choice, where only one of the
    # two right answers is picked: 1 of 2 points, so 15.77 of 16.77 points overall.
    question(page, "single_choice").get_by_label("C", exact=True).check()
    question(page, "multiple_choice").get_by_label("Return", exact=True).check()
    question(page, "true_false").get_by_label("False", exact=True).check()
    question(page, "numeric").get_by_label("Your answer").fill(NUMERIC_ANSWER)
    question(page, "short_text").get_by_label("Your answer").fill("SECRETKEY partnership")
    ordering = question(page, "ordering")
    assert sorted(item_texts(ordering)) == sorted(ORDER)
    assert item_texts(ordering) != ORDER, "the attempt shows the items shuffled"
    for target, text in enumerate(ORDER):
        for _ in range(item_texts(ordering).index(text) - target):
            ordering.get_by_role("button", name=f"Move “{text}” up").click()
    assert item_texts(ordering) == ORDER
    # A position typed in a box counts as it is typed, before the box is left.
    ordering.get_by_label("Position of “Goal”").fill("2")
    expect(page.locator("[data-save-status]")).to_have_text("Give each item a different position to save the order.")
    ordering.get_by_label("Position of “Goal”").fill("1")
    expect(page.locator("[data-save-status]")).not_to_contain_text("different position")
    matching = question(page, "matching")
    matching.get_by_label("Satisfied", exact=True).select_option(label="$200")
    matching.get_by_label("Loyal", exact=True).select_option(label="$2,600")
    question(page, "scenario").get_by_label("Replace it", exact=True).check()

    expect(page.locator("[data-answered]")).to_have_text("8 of 8 answered")
    expect(page.locator("[data-save-status]")).to_have_text("All answers saved")
    expect(page.get_by_role("progressbar", name="Questions answered")).to_have_attribute("aria-valuenow", "8")
    expect(page.locator("[data-progress-bar]")).to_have_attribute("style", "width: 100%;")
    # Autosaves may still be in flight one after another; reload only once the last one landed.
    wait_until(
        lambda: {r.question_id: r.value for r in attempt.responses.all()}
        .get(attempt.questions[5]["id"]) == [i["id"] for i in attempt.questions[5]["items"]],
        "the final order of the ordering question was never autosaved",
    )
    assert attempt.responses.exclude(value=None).count() == 8

    # The countdown runs from the server's deadline, not from a fresh 10 minutes.
    timer = page.get_by_role("timer")
    expect(timer).to_have_text(re.compile(r"^Time left: 9:[0-5]\d$"))
    left = (attempt.deadline - timezone.now()).total_seconds()
    assert abs(seconds_shown(page) - left) <= 3
    shot(page, request, "answered")

    page.reload()
    expect(page.locator("[data-answered]")).to_have_text("8 of 8 answered")
    expect(page.locator("[data-progress-bar]")).to_have_class(re.compile(r"\bw-pct-100\b"))  # drawn by the server
    expect(timer).to_have_text(re.compile(r"^Time left: 9:[0-5]\d$"))
    assert seconds_shown(page) <= left + 1
    expect(question(page, "single_choice").get_by_label("C", exact=True)).to_be_checked()
    expect(question(page, "multiple_choice").get_by_label("Return", exact=True)).to_be_checked()
    expect(question(page, "true_false").get_by_label("False", exact=True)).to_be_checked()
    expect(question(page, "numeric").get_by_label("Your answer")).to_have_value(NUMERIC_ANSWER)
    expect(question(page, "short_text").get_by_label("Your answer")).to_have_value("SECRETKEY partnership")
    assert item_texts(ordering) == ORDER
    for position, text in enumerate(ORDER, 1):
        expect(ordering.get_by_label(f"Position of “{text}”")).to_have_value(str(position))
    expect(matching.get_by_label("Satisfied", exact=True).locator("option:checked")).to_have_text("$200")
    expect(matching.get_by_label("Loyal", exact=True).locator("option:checked")).to_have_text("$2,600")
    expect(question(page, "scenario").get_by_label("Replace it", exact=True)).to_be_checked()
    for kind in ("single_choice", "multiple_choice", "true_false", "scenario"):  # and nothing else is picked
        expect(question(page, kind).locator("input:checked")).to_have_count(1)

    page.get_by_role("button", name="Submit attempt").click()  # saves, then the review

    expect(page).to_have_url(re.compile(r"/review/$"))

    page.get_by_role("button", name="Submit attempt").click()
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/result/$"))
    summary = page.get_by_test_id("result-summary")
    expect(summary.locator(".display-6")).to_have_text("94.0%")
    expect(summary).to_contain_text("15.77 of 16.77 points · pass mark 70%")
    expect(summary.get_by_text("Passed", exact=True)).to_be_visible()
    expect(summary).not_to_contain_text("Not passed")

    reviews = page.locator("section.card")
    expect(reviews).to_have_count(8)
    expected = [
        ("Correct · 1 of 1 point", "SECRETKEY feedback C"),
        ("Partly correct · 1 of 2 points", "SECRETKEY feedback Return"),
        ("Correct · 1 of 1 point", "SECRETKEY ff"),
        ("Correct · 1 of 1 point", f"{NUMERIC_ANSWER} $"),
        ("Correct · 1 of 1 point", "SECRETKEY partnership"),
        ("Correct · 1 of 1 point", "Goal → Behaviours → Program"),
        ("Correct · 2 of 2 points", "Satisfied → $200; Loyal → $2,600"),
        ("Correct · 7.77 of 7.77 points", "SECRETKEY good"),
    ]
    for number, (heading, detail) in enumerate(expected, 1):
        review = reviews.nth(number - 1)
        expect(review.get_by_role("heading")).to_have_text(f"Question {number} · {heading}")
        expect(review).to_contain_text(detail)
        expect(review.locator(".feedback").last).to_have_text("SECRETKEY expl")

    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED
    assert attempt.submitted_at is not None and attempt.submitted_at <= attempt.deadline
    assert (str(attempt.score), str(attempt.max_score), str(attempt.percentage), attempt.passed) == (
        "15.77", "16.77", "94.04", True,
    )


# --- 2. Keyboard only, one question per page ---------------------------------------------------

FOCUSED_NAMES = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return [];
  const names = [el.getAttribute("aria-label"), ...Array.from(el.labels || [], (label) => label.textContent)];
  if (el.tagName === "BUTTON" || el.tagName === "A") names.push(el.textContent);
  if (el.tagName === "INPUT" && el.type !== "radio" && el.type !== "checkbox") names.push(el.value);
  return names.filter(Boolean).map((name) => name.trim());
}"""


def focused_names(page):
    """The focused element's text, accessible label and (for text fields) value."""
    return page.evaluate(FOCUSED_NAMES)


def tab_to(page, predicate_text, max_tabs=60, backwards=False):
    """Press Tab (Shift+Tab when `backwards`) until the focused element's text, label or value
    contains `predicate_text` (a string) or matches it (a compiled regex)."""
    matches = predicate_text.search if isinstance(predicate_text, re.Pattern) else (lambda name: predicate_text in name)
    for _ in range(max_tabs):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if any(matches(name) for name in focused_names(page)):
            return focused_names(page)
    raise AssertionError(f"No focusable element matching {predicate_text!r} within {max_tabs} tabs")


def focused_is_checked(page):
    return page.evaluate("() => document.activeElement.checked === true")


def test_keyboard_only_attempt(academy, make_quiz, page, request):
    quiz = make_quiz(
        [single(f"Question {n} of the keyboard quiz?", right=f"Right {n}", wrong=f"Wrong {n}") for n in (1, 2, 3)]
        + [("ordering", {"prompt": "Order the steps.", "points": "1", "items": ORDER})],
        layout="one_per_page",
    )
    log_in(page, "amira")
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()
    page.goto(quiz.url)

    # From here on, only the keyboard.
    tab_to(page, "Start the quiz")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    show_items_out_of_order(Attempt.objects.get(quiz=quiz, state="in_progress"))  # its page comes later

    for n in (1, 2, 3):
        expect(page.locator("legend")).to_contain_text(f"Question {n}")
        tab_to(page, re.compile(rf"^(Right|Wrong) {n}$"))  # Tab enters the radio group
        for _ in range(4):
            if focused_names(page) == [f"Right {n}"]:
                if focused_is_checked(page):
                    break
                page.keyboard.press("Space")
            else:
                page.keyboard.press("ArrowDown")  # arrows move through the group, checking as they go
        assert focused_names(page) == [f"Right {n}"] and focused_is_checked(page)
        expect(page.locator("[data-save-status]")).to_have_text("All answers saved")
        expect(page.locator("[data-answered]")).to_have_text(f"{n} of 4 answered")
        # The autosave also marks the question's link at the top, for eyes and for screen readers.
        expect(page.locator(f'[data-question-link="{n}"]')).to_have_class(re.compile(r"\bfw-bold\b"))
        expect(page.locator(f'[data-question-link="{n}"] .visually-hidden')).to_have_text(" (answered)")
        expect(page.locator(f'[data-question-link="{n + 1}"] .visually-hidden')).to_have_text(" (not answered)")
        if n == 2:
            # Enter on an answer moves on too (it used to go back: "← Previous" came first in the form).
            page.keyboard.press("Enter")
        else:
            tab_to(page, "Save and next")
            page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(rf"\?q={n + 1}$"))

    ordering = question(page, "ordering")
    assert item_texts(ordering) != ORDER
    for target, text in enumerate(ORDER):  # each item still to place comes after the focused one
        moves = item_texts(ordering).index(text) - target
        if moves:
            tab_to(page, f"Move “{text}” up")
        for _ in range(moves):
            page.keyboard.press("Space")
    assert item_texts(ordering) == ORDER
    # Down and back up again: Enter works too, and focus follows the moved item.
    tab_to(page, "Move “Behaviours” down")
    page.keyboard.press("Enter")
    assert item_texts(ordering) == ["Goal", "Program", "Behaviours"]
    assert focused_names(page) == ["Move “Behaviours” down", "↓"]
    tab_to(page, "Move “Behaviours” up", backwards=True)
    page.keyboard.press("Enter")
    assert item_texts(ordering) == ORDER
    for position, text in enumerate(ORDER, 1):
        expect(ordering.get_by_label(f"Position of “{text}”")).to_have_value(str(position))
    expect(page.locator("[data-answered]")).to_have_text("4 of 4 answered")
    shot(page, request, "ordering")

    tab_to(page, "Submit attempt")
    page.keyboard.press("Enter")
    # The review: focus starts on its heading, and the keyboard reaches the final submit from there.
    expect(page).to_have_url(re.compile(r"/review/$"))
    assert page.evaluate("() => document.activeElement.id") == "review-heading"
    expect(page.get_by_test_id("review-summary")).to_have_text("You have answered 4 of 4 questions.")
    tab_to(page, "Submit attempt")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/result/$"))
    summary = page.get_by_test_id("result-summary")
    expect(summary.locator(".display-6")).to_have_text("100%")
    expect(summary).to_contain_text("4 of 4 points")
    expect(summary.get_by_text("Passed", exact=True)).to_be_visible()
    attempt = Attempt.objects.get(quiz=quiz, employee__user__username="amira")
    assert (attempt.state, str(attempt.percentage), attempt.passed) == (Attempt.State.SUBMITTED, "100.00", True)


# --- 3. Extra time from the manager, a hidden timer that still warns, review before submit ----


def test_extra_time_hidden_timer_warnings_and_review_before_submit(academy, make_quiz, page, browser, live_server, request):
    from datetime import timedelta

    from training.people.models import Employee

    quiz = make_quiz(
        [single(f"Question {n} of the timed quiz?", right=f"Right {n}", wrong=f"Wrong {n}") for n in (1, 2, 3)],
        time_limit_minutes=10, layout="all_on_one", title="Timed quiz",
    )
    amira = Employee.objects.get(user__username="amira")

    # Her manager gives Amira half as much time again on this quiz, from her record.
    manager = browser.new_context(base_url=live_server.url)
    manager_page = manager.new_page()
    log_in(manager_page, "manager.north")
    manager_page.goto(f"/learning/team/{amira.pk}/")
    grant = manager_page.locator("form", has=manager_page.get_by_role("button", name="Give extra time"))
    grant.get_by_label("Quiz").select_option(label="Timed quiz (10 min)")
    grant.get_by_label("Time × factor").fill("1.5")
    grant.get_by_label("Reason").fill("Uses a screen reader")
    grant.get_by_role("button", name="Give extra time").click()
    expect(manager_page.get_by_test_id("time-accommodations")).to_contain_text("×1.5 on “Timed quiz” · Uses a screen reader")
    manager.close()

    # Amira sees her own limit; the server fixes her deadline from it.
    log_in(page, "amira")
    page.goto(quiz.url)
    expect(page.get_by_test_id("time-limit")).to_have_text("15 minute time limit for you, with your extra time (standard 10 minutes)")
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_test_id("attempt-time-limit")).to_have_text("Your limit: 15 minutes")
    attempt = Attempt.objects.get(quiz=quiz, employee=amira)
    assert attempt.deadline - attempt.started_at == timedelta(minutes=15)
    timer = page.get_by_role("timer")
    expect(timer).to_have_text(re.compile(r"^Time left: 1[45]:[0-5]\d$"))

    # She hides the countdown; the choice outlives a reload.
    page.get_by_role("button", name="Hide timer").click()
    expect(timer).to_be_hidden()
    page.get_by_label("Right 1", exact=True).check()
    expect(page.locator("[data-save-status]")).to_have_text("All answers saved")

    # Hidden or not, 5 minutes and 1 minute left are announced politely (the deadline is moved
    # just before each moment).
    announce = page.locator("[data-timer-announce]")

    def time_left(delta):  # moves the attempt's start too, so its limit stays 15 minutes
        deadline = timezone.now() + delta
        Attempt.objects.filter(pk=attempt.pk).update(deadline=deadline, started_at=deadline - timedelta(minutes=15))

    time_left(timedelta(minutes=5, seconds=3))
    page.reload()
    expect(page.get_by_role("button", name="Show timer")).to_be_visible()
    expect(timer).to_be_hidden()
    expect(announce).to_have_attribute("aria-live", "polite")
    expect(announce).to_have_text("5 minutes left.", timeout=8000)
    time_left(timedelta(seconds=63))
    page.reload()
    expect(announce).to_have_text("1 minute left.", timeout=8000)
    shot(page, request, "hidden-timer")

    # "Submit attempt" shows the review first, focus on its summary; links lead back.
    page.get_by_role("button", name="Submit attempt").click()
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/review/$"))
    assert page.evaluate("() => document.activeElement.id") == "review-heading"
    expect(page.get_by_test_id("review-summary")).to_have_text("You have answered 1 of 3 questions. Not answered: questions 2, 3.")
    expect(page.get_by_role("button", name="Show timer")).to_be_visible()  # hidden here too
    expect(page.get_by_test_id("attempt-time-limit")).to_have_text("Your limit: 15 minutes")
    shot(page, request, "review")
    page.get_by_role("link", name=re.compile(r"^Question 2\s*\(not answered\)$")).click()
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/#question-2$"))
    page.get_by_label("Right 2", exact=True).check()
    page.get_by_role("button", name="Submit attempt").click()
    expect(page.get_by_test_id("review-summary")).to_have_text("You have answered 2 of 3 questions. Not answered: question 3.")
    page.get_by_role("button", name="Submit attempt").click()
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/result/$"))
    attempt.refresh_from_db()
    assert (attempt.state, str(attempt.score)) == (Attempt.State.SUBMITTED, "2.00")
