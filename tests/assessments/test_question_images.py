"""Images with questions: imported from Moodle XML (validated by Wagtail, stored only on confirm,
reused by file hash), frozen into attempts, shown on the attempt, review, result and editor pages, and
exported back as base64. The pure parsing is tested in test_interchange.py."""

import base64
import io
import re
import struct
import zlib

import pytest
from django.urls import reverse
from PIL import Image as PILImage
from PIL import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Collection

from assessments.interchange import parse
from assessments.question_import.services import IMAGE_COLLECTION, import_preview, questions_import, quiz_export
from assessments.attempts.services import attempt_start, attempt_submit
from modules.models import QuizPage

Image = get_image_model()


def png(colour=(200, 30, 30), size=(40, 30)) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def bomb_png(width=40000, height=40000) -> bytes:
    """A tiny PNG whose header claims 1.6 billion pixels: a decompression bomb."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 10)) + chunk(b"IEND", b"")


def moodle_xml(data: bytes, *, name="card.png", alt="A red loyalty card", file_text=None) -> str:
    alt_attr = f' alt="{alt}"' if alt else ""
    encoded = file_text if file_text is not None else base64.b64encode(data).decode()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/Loyalty/Cards</text></category></question>
  <question type="truefalse">
    <name><text>Card</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>This card builds loyalty on its own.</p><p><img src="@@PLUGINFILE@@/{name}"{alt_attr}></p>]]></text>
      <file name="{name}" path="/" encoding="base64">{encoded}</file>
    </questiontext>
    <answer fraction="0"><text>true</text></answer>
    <answer fraction="100"><text>false</text></answer>
  </question>
</quiz>
"""


def library_image(data: bytes, title="Picture"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    image = Image(title=title, file=SimpleUploadedFile(f"{title.lower()}.png", data))
    image._set_image_file_metadata()
    image.save()
    return image


def pictured_question(image, alt="A red loyalty card", prompt="This card builds loyalty on its own."):
    return ("true_false", {"prompt": prompt, "points": "1", "answer": False, "image": image.pk, "image_alt": alt})


def test_preview_validates_the_image_and_writes_nothing(make_quiz):
    quiz = make_quiz([], title="Cards")
    images_before = Image.objects.count()
    preview = import_preview(quiz=quiz, data=moodle_xml(png()).encode())
    assert preview.refusals == []
    (question,) = preview.questions
    assert question.image.alt == "A red loyalty card" and question.image_type == "image/png"
    assert question.image_data_uri.startswith("data:image/png;base64,iVBOR")
    assert question.imported.category == "$course$/Loyalty/Cards"
    assert Image.objects.count() == images_before and QuizPage.objects.get(pk=quiz.pk).revisions.count() == 1


def test_confirm_stores_the_image_in_its_collection_and_a_reimport_reuses_it(make_quiz):
    quiz = make_quiz([], title="Cards")
    data = png()
    questions_import(quiz=quiz, preview=import_preview(quiz=quiz, data=moodle_xml(data).encode()))
    (spec,) = QuizPage.objects.get(pk=quiz.pk).get_latest_revision_as_object().question_specs()
    stored = Image.objects.get(pk=spec.image)
    assert spec.image_alt == "A red loyalty card" and stored.collection.name == IMAGE_COLLECTION
    assert re.fullmatch(r"question-[0-9a-f]{12}(_\w+)?\.png", stored.filename)  # no name from the file reaches employees
    with stored.open_file() as f:
        assert f.read() == data
    again = import_preview(quiz=quiz, data=moodle_xml(data).encode())
    assert [q.duplicate for q in again.questions] == [True]  # same text, same image bytes
    other = make_quiz([], title="Other")
    questions_import(quiz=other, preview=import_preview(quiz=other, data=moodle_xml(data, name="renamed.png").encode()))
    (other_spec,) = QuizPage.objects.get(pk=other.pk).get_latest_revision_as_object().question_specs()
    assert other_spec.image == spec.image and Image.objects.filter(file_hash=stored.file_hash).count() == 1
    assert Collection.objects.filter(name=IMAGE_COLLECTION).count() == 1


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        (moodle_xml(b"", file_text="not base64 at all!"), "The image “card.png” is not valid base64."),
        (moodle_xml(b"just some text, not a picture"), "The image “card.png” cannot be imported: Upload a valid image."),
        (moodle_xml(png(), name="card.svg"), "The image “card.svg” cannot be imported: Not a supported image format."),
        (moodle_xml(bomb_png()), "The image “card.png” cannot be imported: This file has too many pixels"),
        # Cut short: Pillow's error through Wagtail's check (a 500 before), or no error at all.
        (moodle_xml(png()[:60]), "The image “card.png” cannot be imported: the file is cut short or damaged."),
        (moodle_xml(png(size=(120, 76))[:60]), "The image “card.png” cannot be imported: the file is cut short or damaged."),
    ],
    ids=["bad-base64", "not-an-image", "wrong-format", "decompression-bomb", "cut-short", "cut-short-unnoticed"],
)
def test_a_bad_image_refuses_its_question_naming_the_element(make_quiz, xml, reason):
    quiz = make_quiz([], title="Cards")
    images_before = Image.objects.count()
    preview = import_preview(quiz=quiz, data=xml.encode())
    assert preview.questions == []
    (refusal,) = preview.refusals
    assert refusal.where == "<question> 2 (type “truefalse”, “Card”)" and refusal.reason.startswith(reason)
    assert Image.objects.count() == images_before


def test_a_cut_short_image_is_refused_in_a_process_that_has_rendered_a_pdf(make_quiz, monkeypatch):
    """Importing WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process, so after a
    certificate was rendered Wagtail's check let a file cut short through."""
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    preview = import_preview(quiz=make_quiz([], title="Cards"), data=moodle_xml(png()[:60]).encode())
    assert preview.questions == []
    assert preview.refusals[0].reason == "The image “card.png” cannot be imported: the file is cut short or damaged."


def test_an_image_without_alt_text_is_described_by_its_file_name(make_quiz):
    quiz = make_quiz([], title="Cards")
    (question,) = import_preview(quiz=quiz, data=moodle_xml(png(), alt="").encode()).questions
    assert question.value["image_alt"] == "card.png"
    assert any("has no description (alt text): its file name is used" in note for note in question.imported.notes)


def test_export_embeds_the_image_and_imports_back_the_same_spec_and_bytes(make_quiz):
    data = png((10, 120, 40))
    source = make_quiz([pictured_question(library_image(data), alt="A green “card”")], title="Source")
    export = quiz_export(quiz=source, fmt="moodle-xml")
    (embedded,) = [q.image for q in parse(export.text).questions]
    assert embedded.data == data and embedded.alt == "A green “card”"
    target = make_quiz([], title="Target")
    questions_import(quiz=target, preview=import_preview(quiz=target, data=export.text.encode()))
    specs = [QuizPage.objects.get(pk=q.pk).get_latest_revision_as_object().question_specs()[0] for q in (source, target)]
    assert [s.to_data() | {"id": ""} for s in specs[1:]] == [specs[0].to_data() | {"id": ""}]
    # With the library image gone, the import stores a new one with identical bytes.
    Image.objects.filter(pk=specs[0].image).delete()
    fresh = make_quiz([], title="Fresh")
    questions_import(quiz=fresh, preview=import_preview(quiz=fresh, data=export.text.encode()))
    (spec,) = QuizPage.objects.get(pk=fresh.pk).get_latest_revision_as_object().question_specs()
    with Image.objects.get(pk=spec.image).open_file() as f:
        assert f.read() == data and spec.image != specs[0].image
    assert "image cannot be written in GIFT" in " ".join(quiz_export(quiz=source, fmt="gift").notes)


def test_an_image_needs_a_description_in_the_editor(make_quiz):
    from django.core.exceptions import ValidationError

    from modules.blocks.questions import TrueFalseQuestionBlock

    block = TrueFalseQuestionBlock()
    image = library_image(png())
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"prompt": "Q", "points": "1", "image": image.pk, "image_alt": "  "}))
    value = block.clean(block.to_python({"prompt": "Q", "points": "1", "image": image.pk, "image_alt": "A card"}))
    assert (block.to_spec(value, "q").image, block.to_spec(value, "q").image_alt) == (str(image.pk), "A card")


def test_the_attempt_keeps_showing_the_image_it_was_taken_with(make_quiz, employee, employee_client):
    old, new = library_image(png((200, 0, 0), (400, 300)), "Old"), library_image(png((0, 0, 200)), "New")
    quiz = make_quiz([pictured_question(old, alt="The old card")], title="Cards", feedback_shown="after_submit")
    attempt = attempt_start(employee=employee, quiz=quiz)
    page = QuizPage.objects.get(pk=quiz.pk)
    page.questions = [{"type": "true_false", "value": pictured_question(new, alt="The new card")[1]}]
    page.save_revision().publish()

    html = employee_client.get(reverse("attempt_take", args=[attempt.pk])).content.decode()
    old_url = old.get_rendition("max-800x500").url
    assert f'src="{old_url}"' in html and 'alt="The old card"' in html and "The new card" not in html
    review = employee_client.get(reverse("attempt_review", args=[attempt.pk])).content.decode()
    thumbnail = old.get_rendition("max-240x150")  # small beside the list, not the attempt page's picture
    assert f'src="{thumbnail.url}" width="200" height="150" alt="The old card"' in review
    assert "The new card" not in review and new.get_rendition("max-240x150").url not in review
    attempt_submit(attempt=attempt, answers={})
    result = employee_client.get(reverse("attempt_result", args=[attempt.pk])).content.decode()
    assert f'src="{old_url}"' in result and 'alt="The old card"' in result
    old.delete()  # gone from the library: the description stays in its place
    result = employee_client.get(reverse("attempt_result", args=[attempt.pk])).content.decode()
    assert "Image no longer available: The old card" in result


def test_the_editor_preview_shows_the_image(make_quiz):
    image = library_image(png(), "Card")
    quiz = make_quiz([pictured_question(image, alt="A red loyalty card")], title="Cards")
    html = QuizPage.objects.get(pk=quiz.pk).questions[0].render()
    assert 'alt="A red loyalty card"' in html and image.get_rendition("max-800x500").url in html


def test_the_import_command_names_the_image_and_stores_it_unless_dry_run(make_quiz, tmp_path):
    from django.core.management import call_command

    quiz = make_quiz([], title="Cards")
    path = tmp_path / "cards.xml"
    path.write_text(moodle_xml(png()))
    out = io.StringIO()
    call_command("import_questions", str(quiz.pk), str(path), "--dry-run", stdout=out)
    assert "image: <question> 2 (type “truefalse”, “Card”): “card.png” (A red loyalty card)" in out.getvalue()
    assert not Image.objects.filter(title="A red loyalty card").exists()
    call_command("import_questions", str(quiz.pk), str(path), stdout=io.StringIO())
    assert Image.objects.filter(title="A red loyalty card", collection__name=IMAGE_COLLECTION).count() == 1
