"""An editor imports a GIFT file through the admin (preview with one refused item, confirm), then a
Moodle XML file with an embedded PNG, publishes, and an employee takes the imported quiz (seeing
the image with its description) and gets the expected score."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from wagtail.images.models import Image

from modules.models import QuizPage
from tests.assessments.conftest import make_quiz  # noqa: F401 (fixture)
from tests.conftest import in_real_transactions

from .conftest import ARTIFACTS, log_in
from .test_roster_upload import admin_log_in

pytestmark = [pytest.mark.browser, in_real_transactions]
IMAGE_XML = Path(__file__).parents[1] / "assessments" / "interchange_files" / "moodle_image.xml"

BANK = """// Three questions and one broken item, as an editor might bring from Moodle.
::Grade:: On a report card, what grade is a merely satisfied customer? {
    ~A # Too high.
    =C # Right: satisfied is average.
    ~F
}

::Broken:: Who said it? {=Carol ~Andy

::Points:: Points cards create loyalty on their own.{FALSE}

::Value:: What is a $50-a-week customer worth per year (in $)? {#2600:10}
"""


def test_editor_imports_a_gift_file_and_an_employee_takes_the_quiz(academy, make_quiz, page, settings):
    settings.ROOT_URLCONF = "tests.browser.urls_with_media"  # the image is served from MEDIA_ROOT
    quiz = make_quiz([], title="Imported quiz", shuffle_choices=False)
    admin_log_in(page, "editor")
    page.goto(f"/admin/pages/{quiz.pk}/edit/")
    page.get_by_role("button", name="Actions", exact=True).click()
    page.get_by_role("link", name="Import or export questions").click()
    expect(page).to_have_url(re.compile(rf"/admin/quizzes/{quiz.pk}/questions/import/"))
    upload = {"name": "bank.gift", "mimeType": "text/plain", "buffer": BANK.encode()}
    # First a submission the test stops at the door, to see the progress indicator; then the real one.
    page.locator("[data-import-form]").wait_for()  # the address changes before the page has loaded
    page.evaluate("document.querySelector('[data-import-form]').addEventListener('submit', e => e.preventDefault())")
    page.get_by_label("File").set_input_files(upload)
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator("[data-import-progress]")).to_be_visible()
    expect(page.locator("[data-import-status]")).to_have_text("Uploading and reading 1 KB of questions…")
    expect(page.get_by_role("button", name="Preview the import")).to_be_disabled()
    page.reload()
    page.get_by_label("File").set_input_files(upload)
    page.get_by_role("button", name="Preview the import").click()

    expect(page.get_by_role("heading", name="Preview: nothing is saved until you confirm")).to_be_visible()
    refusals = page.locator("#import-refusals tbody tr")
    expect(refusals).to_have_count(1, timeout=15_000)
    expect(refusals.first).to_contain_text("line 8 (“Broken”)")
    expect(refusals.first).to_contain_text("The answers' “{” is not closed by a “}”.")
    questions = page.locator("#import-questions > li")
    expect(questions).to_have_count(3)
    expect(questions.nth(0)).to_contain_text("Single choice")
    expect(questions.nth(0)).to_contain_text("✓ right: C — feedback: Right: satisfied is average.")
    expect(questions.nth(1)).to_contain_text("Answer: false")
    expect(questions.nth(2)).to_contain_text("Answer: 2600 ± 10")
    assert QuizPage.objects.get(pk=quiz.pk).revisions.count() == 1  # the preview wrote nothing
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "question-import-preview.png"), full_page=True)

    page.get_by_role("button", name="Import these questions as a draft").click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/{quiz.pk}/edit/$"), timeout=15_000)
    expect(page.get_by_text("3 question(s) added to “Imported quiz” as a draft.")).to_be_visible()

    # A Moodle XML question with an embedded PNG: previewed from the upload, stored on confirm.
    page.goto(f"/admin/quizzes/{quiz.pk}/questions/import/")
    page.get_by_label("File").set_input_files(str(IMAGE_XML))
    page.get_by_role("button", name="Preview the import").click()
    pictured = page.locator("#import-questions > li")
    expect(pictured).to_have_count(1, timeout=15_000)
    expect(pictured.get_by_role("img", name="A red points card with a gold stripe")).to_be_visible()
    expect(pictured).to_contain_text("Moodle category: $course$/Loyalty/Cards (not stored)")
    assert not Image.objects.filter(title="A red points card with a gold stripe").exists()  # nothing written yet
    page.get_by_role("button", name="Import these questions as a draft").click()
    expect(page.get_by_text("1 question(s) added to “Imported quiz” as a draft.")).to_be_visible(timeout=15_000)
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("has been published")).to_be_visible(timeout=15_000)  # a busy machine publishes slowly
    live = QuizPage.objects.get(pk=quiz.pk)
    assert [spec.kind for spec in live.question_specs()] == ["single_choice", "true_false", "numeric", "true_false"]

    page.context.clear_cookies()
    log_in(page, "amira")
    page.goto(live.url)
    page.get_by_role("button", name="Start the quiz").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    page.locator('fieldset[data-kind="single_choice"]').get_by_label("C", exact=True).check()
    page.locator('fieldset[data-kind="true_false"]').first.get_by_label("False", exact=True).check()
    card = page.locator("#question-4")
    picture = card.get_by_role("img", name="A red points card with a gold stripe")
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.complete && img.naturalWidth") == 120  # really loaded, not a broken image
    card.get_by_label("True", exact=True).check()  # wrong: the card alone does not create loyalty
    page.locator('fieldset[data-kind="numeric"]').get_by_label("Your answer").fill("2500")  # outside 2600 ± 10
    expect(page.locator("[data-save-status]")).to_have_text("All answers saved")
    page.get_by_role("button", name="Submit attempt").click()  # saves, then the review
    expect(page.get_by_role("heading", name="Review your answers")).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Submit attempt").click()
    summary = page.get_by_test_id("result-summary")
    expect(summary).to_contain_text("2 of 4 points", timeout=15_000)
    expect(summary.locator(".display-6")).to_have_text("50%")
    expect(summary.get_by_text("Not passed", exact=True)).to_be_visible()
