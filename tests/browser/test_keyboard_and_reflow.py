"""What axe cannot see, checked by hand once and now in Chromium: focus that stays visible (skip
link, sticky quiz bar), keys that work (Space on the scenario's Continue), what screen readers
hear (calculator summary, ordering moves), and reflow at 320 px, 200% and 400% zoom without
horizontal scrolling. Zoom is emulated as browsers do it: a 1280 x 900 window at 200% lays out
640 x 450 CSS pixels, at 400% 320 x 225. Screenshots go to test-artifacts/browser/reflow/."""

import re

import pytest
from playwright.sync_api import expect

from modules.models import LessonPage
from tests.assessments.conftest import every_type, make_quiz  # noqa: F401 (fixture)
from tests.conftest import in_real_transactions

from .conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.once, in_real_transactions]

SIZES = {"320px": (320, 640), "zoom200": (640, 450), "zoom400": (320, 225)}

# Is the focused element drawn on top at its own centre (not under a bar, a header or off screen)?
# Asked once the page stops scrolling (Bootstrap scrolls smoothly).
FOCUS_IS_VISIBLE = """async () => {
    const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
    for (let still = 0, last = NaN, n = 0; still < 3 && n < 120; n++) {
        await frame();
        still = scrollY === last ? still + 1 : 0;
        last = scrollY;
    }
    const el = document.activeElement;
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return `${el.outerHTML.slice(0, 80)} is off screen`;
    const top = document.elementFromPoint(x, y);
    return top === el || el.contains(top) ? null : `${el.outerHTML.slice(0, 80)} is covered by ${top && top.outerHTML.slice(0, 80)}`;
}"""

# Options of the grid's filter selects whose text is wider than the select's room for it.
CUT_OPTIONS = """() => [...document.querySelectorAll('form[aria-label="Filter the team"] select')].flatMap(select => {
    const style = getComputedStyle(select);
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    return [...select.options].filter(o => ctx.measureText(o.text).width > room).map(o => `${select.name}: ${o.text}`);
})"""

NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def lesson_with(block_type):
    return next(lesson for lesson in LessonPage.objects.live().order_by("path") if any(b.block_type == block_type for b in lesson.body))


def assert_reflows(page, name):
    """At each size the page needs no horizontal scrolling; a full-page screenshot of each."""
    folder = ARTIFACTS / "reflow"
    folder.mkdir(parents=True, exist_ok=True)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(folder / f"{name}-{size}.png"), full_page=True)
        overflow = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert page.evaluate(NO_HORIZONTAL_SCROLL), f"{name} at {size} scrolls sideways: {overflow[0]} px wide in {overflow[1]} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_lessons_grid_and_my_learning_by_keyboard_screen_reader_and_zoom(page):
    log_in(page, "manager.north")

    # The skip link is the first stop and is drawn on top of the navbar when focused.
    page.goto(lesson_with("scenario").url)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    assert page.evaluate(FOCUS_IS_VISIBLE) is None
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))

    # The scenario, by keyboard only: Space picks a choice and Space on Continue goes on.
    scenario = page.locator("[data-scenario]").first
    first_step = scenario.locator(".scenario-step").first
    first_step.locator(".scenario-choice summary").first.focus()
    page.keyboard.press("Space")
    go_on = first_step.locator(".scenario-choice.chosen .scenario-next")
    expect(go_on).to_be_focused()
    assert go_on.evaluate("el => el.tagName") == "BUTTON"
    page.keyboard.press("Space")
    second_step = scenario.locator(".scenario-step:visible").nth(1)
    expect(second_step).to_be_focused()
    expect(go_on).to_be_hidden()

    # The calculator: the table is not a live region; one short summary is, once typing pauses.
    page.goto(lesson_with("calculator").url)
    calc = page.locator("[data-calculator]").first
    assert calc.locator("table").evaluate("el => el.closest('[aria-live]')") is None
    assert calc.locator("[aria-live]").count() == 1
    calc.get_by_label("Visits per year").first.fill("6")
    calc.get_by_label("Years as a customer").fill("20")
    summary = calc.locator("[data-calc-summary]")
    expect(summary).to_have_text("Over 20 years: satisfied customer $6,000, loyal customer $52,000.")
    expect(summary).to_have_attribute("aria-live", "polite")

    for block in ("walkthrough", "scenario", "calculator"):
        page.goto(lesson_with(block).url)
        assert_reflows(page, f"lesson-{block}")

    # The grid's filters, at 100% and 200%: each select shows the whole text of any option chosen.
    page.goto("/learning/team/")
    for width, height in ((1280, 900), (640, 450)):
        page.set_viewport_size({"width": width, "height": height})
        cut = page.evaluate(CUT_OPTIONS)
        assert not cut, f"filter options cut at {width} px: {cut}"
    assert_reflows(page, "team-grid")
    page.goto("/learning/")
    assert_reflows(page, "my-learning")


def test_quiz_focus_stays_clear_of_the_status_bar_and_moves_are_announced(page, make_quiz):
    quiz = make_quiz(every_type(), time_limit_minutes=20, layout="all_on_one")
    log_in(page, "amira")
    page.goto(quiz.url)
    page.get_by_role("button", name="Start the quiz").click()
    submit = page.get_by_role("button", name="Submit attempt")
    expect(submit).to_be_visible()

    # Tabbing backwards from the end to the first question, at every size: the focused control is
    # never under the sticky status bar (WCAG 2.4.11).
    first_question = page.locator("fieldset[data-question]").first
    for size, (width, height) in {"wide": (1280, 900), **SIZES}.items():
        page.set_viewport_size({"width": width, "height": height})
        submit.focus()
        hidden = []
        for _ in range(60):
            page.keyboard.press("Shift+Tab")
            problem = page.evaluate(FOCUS_IS_VISIBLE)
            if problem:
                hidden.append(problem)
            if first_question.evaluate("el => el.contains(document.activeElement)"):
                break
        else:
            raise AssertionError(f"at {size} Shift+Tab never reached the first question")
        assert not hidden, f"at {size}: " + "; ".join(hidden)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Ordering: each move is announced, by keyboard too.
    ordering = page.locator('fieldset[data-kind="ordering"]')
    status = ordering.locator("[data-ordering-status]")
    expect(status).to_have_attribute("aria-live", "polite")
    first_text = ordering.locator(".ordering-item > span").first.text_content().strip()
    ordering.get_by_role("button", name=f"Move “{first_text}” down").focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text(f"Moved “{first_text}” to position 2 of 3.")
    page.keyboard.press("Space")
    expect(status).to_have_text(f"Moved “{first_text}” to position 3 of 3.")
    page.keyboard.press("Enter")
    expect(status).to_have_text(f"“{first_text}” is already last.")

    # At 320 px the move buttons stay inside their item.
    page.set_viewport_size({"width": 320, "height": 640})
    outside = ordering.locator(".ordering-item").evaluate_all("""items => items.flatMap(item => {
        const box = item.getBoundingClientRect();
        return [...item.querySelectorAll('button')].filter(b => b.getBoundingClientRect().right > box.right + 0.5)
            .map(b => b.getAttribute('aria-label'));
    })""")
    assert not outside, f"buttons sticking out of their item at 320 px: {outside}"
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_reflows(page, "quiz")
