"""The admin's Import questions view: who may use it, the preview that writes nothing, clear
refusals of bad files (never a 500), confirming, and the export downloads."""

from html import unescape

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.interchange import MAX_BYTES
from modules.models import QuizPage
from tests.assessments.conftest import single
from tests.assessments.test_statistics import other_course_editor

GOOD_AND_BAD = b"::Sun:: The sun rises in the east.{T}\n\n::Broken:: Who is buried here? {=Grant ~Lee\n\nGrant is {~buried =entombed} here.\n"


@pytest.fixture
def quiz(make_quiz):
    return make_quiz([single("Already here?")], title="Import target")


@pytest.fixture
def editor_client(client, db):
    client.force_login(User.objects.get(username="editor"))
    return client


def url(quiz):
    return reverse("question_import", args=[quiz.pk])


def revisions(quiz):
    return QuizPage.objects.get(pk=quiz.pk).revisions.count()


def test_the_quiz_edit_view_links_to_import(editor_client, quiz):
    html = editor_client.get(reverse("wagtailadmin_pages:edit", args=[quiz.pk])).content.decode()
    assert url(quiz) in html and "Import or export questions" in html


def test_only_people_who_may_edit_the_quiz_may_import_or_export(client, catalog, quiz):
    outsider, their_quiz = other_course_editor(catalog)
    client.force_login(outsider)
    assert client.get(url(quiz)).status_code == 404
    assert client.post(url(quiz), {"text": "Q?{T}"}).status_code == 404
    assert client.get(reverse("question_export", args=[quiz.pk]) + "?format=gift").status_code == 404
    assert client.get(url(their_quiz)).status_code == 200
    html = client.get(reverse("wagtailadmin_pages:edit", args=[their_quiz.pk])).content.decode()
    assert url(their_quiz) in html
    client.logout()
    assert client.get(url(quiz)).status_code == 302  # to the admin login


def test_the_preview_shows_questions_and_refusals_and_writes_nothing(editor_client, quiz):
    before = revisions(quiz)
    response = editor_client.post(url(quiz), {"file": SimpleUploadedFile("bank.gift", GOOD_AND_BAD), "format": ""})
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "2 questions</strong> can be imported" in html and "1 item</strong> will not be" in html
    assert "line 3 (“Broken”)" in html and "The answers' “{” is not closed by a “}”." in html
    assert "The sun rises in the east." in html and "Answer: true" in html
    assert "Grant is _____ here." in html and "✓ right: entombed" in html
    assert revisions(quiz) == before


def test_confirming_appends_a_draft_and_offers_to_skip_duplicates(editor_client, quiz):
    preview = editor_client.post(url(quiz), {"text": GOOD_AND_BAD.decode(), "format": "gift"})
    text = preview.context["confirm_form"].initial["text"]
    response = editor_client.post(url(quiz), {"confirm": "1", "text": text, "format": "gift", "skip_duplicates": "on"})
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_pages:edit", args=[quiz.pk])
    page = QuizPage.objects.get(pk=quiz.pk)
    assert page.has_unpublished_changes and len(page.questions) == 1
    assert [s.prompt for s in page.get_latest_revision_as_object().question_specs()] == ["Already here?", "The sun rises in the east.", "Grant is _____ here."]
    assert page.get_latest_revision().user.username == "editor"
    again = editor_client.post(url(quiz), {"text": GOOD_AND_BAD.decode()})
    assert "already in the pool" in unescape(again.content.decode()) and "Skip the questions already in the pool (2)" in unescape(again.content.decode())
    editor_client.post(url(quiz), {"confirm": "1", "text": text, "format": "gift", "skip_duplicates": "on"})
    assert len(QuizPage.objects.get(pk=quiz.pk).get_latest_revision_as_object().questions) == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"file": SimpleUploadedFile("empty.gift", b"   \n")}, "The file is empty."),
        ({"file": SimpleUploadedFile("latin1.gift", "Caf\u00e9?{T}".encode("latin-1"))}, "The file is not UTF-8 text (byte 4 cannot be read)."),
        ({"file": SimpleUploadedFile("big.gift", b"x" * (MAX_BYTES + 1))}, "the limit is 2 MB"),
        ({"file": SimpleUploadedFile("bad.xml", b"<quiz><question type='truefalse'></quiz>")}, "The XML is not well-formed: line 1"),
        ({"file": SimpleUploadedFile("xxe.xml", b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>')}, "declares a DTD or entities"),
        ({"text": ""}, "Choose a file to upload or paste some questions."),
        ({"text": "Q?{T}", "file": SimpleUploadedFile("a.gift", b"Q?{T}")}, "Upload a file or paste questions, not both."),
        ({"text": "Q?{T}", "format": "word"}, "Select a valid choice."),
    ],
)
def test_bad_files_are_refused_with_the_reason(editor_client, quiz, data, message):
    response = editor_client.post(url(quiz), data)
    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert revisions(quiz) == 1


def test_a_tampered_confirmation_is_a_400_not_a_500(editor_client, quiz):
    assert editor_client.post(url(quiz), {"confirm": "1", "format": "gift"}).status_code == 400
    assert editor_client.post(url(quiz), {"confirm": "1", "text": "  ", "format": "gift"}).status_code == 400
    assert revisions(quiz) == 1


def test_export_downloads_gift_and_moodle_xml(editor_client, quiz):
    export = reverse("question_export", args=[quiz.pk])
    gift = editor_client.get(export + "?format=gift")
    assert gift.status_code == 200 and gift["Content-Disposition"] == 'attachment; filename="import-target-questions.txt"'
    assert "Already here?" in gift.content.decode()
    xml = editor_client.get(export + "?format=moodle-xml")
    assert xml["Content-Type"].startswith("application/xml") and b'<question type="multichoice">' in xml.content
    assert editor_client.get(export + "?format=docx").status_code == 400
    page = editor_client.get(url(quiz)).content.decode()
    assert export + "?format=gift" in page and export + "?format=moodle-xml" in page
