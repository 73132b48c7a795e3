import re
import subprocess

import pytest
from playwright.sync_api import expect

from assessments import scoring
from assessments.models import Attempt, Certificate
from modules.models import LessonPage, QuizPage
from modules.services import lesson_complete
from tests.assessments.conftest import pass_quiz
from tests.conftest import in_real_transactions
from training.demo_activity import full_marks_response
from training.people.models import Employee

from .conftest import log_in

pytestmark = [pytest.mark.browser, in_real_transactions]


def answer_in_page(page, question):
    """Give the right answer to one question through the attempt page's own controls, which know
    the question and its choices only by the attempt's tokens."""
    tokens, kind = question["tokens"], question["kind"]
    qid = tokens["question"]
    answer = scoring.response_to_public(scoring.question_from_data(question), tokens, full_marks_response(question))
    if kind in ("single_choice", "scenario"):
        page.locator(f"[id='q-{qid}-{answer}']").check()
    elif kind == "multiple_choice":
        for choice_id in answer:
            page.locator(f"[id='q-{qid}-{choice_id}']").check()
    elif kind == "true_false":
        page.locator(f"[id='q-{qid}-{'true' if answer else 'false'}']").check()
    elif kind in ("numeric", "short_text"):
        page.locator(f"[id='q-{qid}']").fill(str(answer))
    elif kind == "ordering":
        for position, item_id in enumerate(answer, 1):
            page.locator(f"[id='q-{qid}-{item_id}']").fill(str(position))
    elif kind == "matching":
        for prompt_id, answer_id in answer.items():
            page.locator(f"[id='q-{qid}-{prompt_id}']").select_option(answer_id)


def test_employee_finishes_the_course_downloads_and_verifies_the_certificate(page, live_server, settings, tmp_path):
    settings.SITE_URL = live_server.url  # the QR code must point at this server
    employee = Employee.objects.get(user__username="amira")
    last_quiz = QuizPage.objects.get(slug="quiz-loyalty-is-not-satisfaction")
    for lesson in LessonPage.objects.live():
        lesson_complete(employee=employee, lesson=lesson)
    for quiz in QuizPage.objects.live().exclude(pk=last_quiz.pk):
        pass_quiz(employee, quiz)
    assert not Certificate.objects.exists()

    log_in(page, "amira")
    page.goto(last_quiz.url)
    page.get_by_role("button", name="Start the quiz").click()
    attempt = Attempt.objects.get(quiz=last_quiz, state="in_progress")
    for question in attempt.questions:
        answer_in_page(page, question)
    page.get_by_role("button", name="Submit attempt").click()  # saves, then the review
    expect(page).to_have_url(re.compile(r"/review/$"))
    page.get_by_role("button", name="Submit attempt").click()
    expect(page.get_by_test_id("result-summary")).to_contain_text("Passed")

    page.get_by_role("link", name="My learning").first.click()
    certificate_box = page.get_by_test_id("certificate")
    expect(certificate_box).to_contain_text("Certificate valid")
    with page.expect_download() as download_info:
        certificate_box.get_by_role("link", name="Download certificate (PDF)").click()
    pdf = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(tmp_path / "page")], check=True)
    url = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "page-1.png")], capture_output=True, text=True, check=True).stdout.strip()
    assert url == f"{live_server.url}/verify/{Certificate.objects.get().code}/"
    page.goto(url)
    expect(page.get_by_test_id("verify-result")).to_contain_text("Valid")
    expect(page.get_by_test_id("verify-result")).to_contain_text("Amira Haddad")

    # The same certificate as a verifiable credential: embedded in the PDF (poppler reads it back),
    # downloaded for a wallet from My learning, then checked by upload on the public /verify/ page.
    listed = subprocess.run(["pdfdetach", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "credential-customer-loyalty-fundamentals-" in listed
    subprocess.run(["pdfdetach", "-save", "1", "-o", str(tmp_path / "embedded.json"), str(pdf)], check=True)
    page.goto(f"{live_server.url}/learning/")
    with page.expect_download() as download_info:
        page.get_by_test_id("certificate").get_by_role("link", name="Download for your wallet (.json)").click()
    wallet = tmp_path / "wallet.json"
    download_info.value.save_as(wallet)
    assert wallet.read_bytes() == (tmp_path / "embedded.json").read_bytes()
    page.goto(f"{live_server.url}/verify/")
    page.get_by_label("…or upload the credential file (.json)").set_input_files(str(wallet))
    page.get_by_role("button", name="Check the credential").click()
    expect(page.get_by_test_id("credential-verdict")).to_contain_text("Valid")
    expect(page.get_by_test_id("credential-verdict")).to_contain_text("Amira Haddad")
