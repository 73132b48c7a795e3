"""Importing question files into a quiz and exporting its pool, against the database: validation
by the question blocks, draft revisions, duplicates, round trips and the two commands."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.interchange import AIKEN, GIFT, MOODLE_XML
from assessments.question_import.services import import_preview, questions_import, quiz_export
from modules.models import QuizPage
from tests.assessments.conftest import every_type

GIFT_FIXTURES = "/work/shared/fixtures/moodle-gift/"


def pool(quiz):
    """The quiz's questions (latest revision) without ids: what a round trip must keep."""
    page = QuizPage.objects.get(pk=quiz.pk).get_latest_revision_as_object()

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("id", "answer_id", "shown")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return [strip(spec.to_data()) for spec in page.question_specs()]


@pytest.mark.parametrize(
    ("fmt", "kinds"),
    [
        (MOODLE_XML, None),  # every type
        (GIFT, {"single_choice", "multiple_choice", "true_false", "numeric", "short_text", "matching", "scenario", "written"}),
        (AIKEN, {"single_choice"}),
    ],
)
def test_export_then_import_into_an_empty_quiz_yields_the_same_questions(make_quiz, fmt, kinds):
    questions = [(t, v) for t, v in every_type() if kinds is None or t in kinds]
    if fmt == GIFT:  # GIFT has no points, units or grading guidance: round trips keep what it has
        questions = [(t, {**v, "points": "1"} if "points" in v else v) for t, v in questions]
        questions = [(t, {k: x for k, x in v.items() if k not in ("unit", "guidance")}) for t, v in questions]
        scenario = dict(questions)["scenario"]
        scenario["options"] = [{**o, "points": p} for o, p in zip(scenario["options"], ("1", "0.33", "0"))]
    if fmt == AIKEN:  # Aiken holds the question, the choices and the right one
        questions = [(t, {**v, "explanation": "", "choices": [{**c, "feedback": ""} for c in v["choices"]]}) for t, v in questions]
    source = make_quiz(questions)
    export = quiz_export(quiz=source, fmt=fmt)
    target = make_quiz([], title="Empty quiz")
    preview = import_preview(quiz=target, data=export.text.encode(), fmt=fmt)
    assert preview.refusals == []
    questions_import(quiz=target, preview=preview)
    assert pool(target) == pool(source)
    assert len(pool(target)) == len(questions)


def test_export_names_what_a_format_cannot_carry(make_quiz):
    quiz = make_quiz()
    gift = quiz_export(quiz=quiz, fmt=GIFT)
    assert any("ordering questions cannot be written in GIFT" in note for note in gift.notes)
    assert any("the unit “$” cannot be written in GIFT" in note for note in gift.notes)
    assert "Order the steps" not in gift.text
    aiken = quiz_export(quiz=quiz, fmt=AIKEN)
    assert len([n for n in aiken.notes if "single-choice questions only" in n]) == 8
    assert quiz_export(quiz=quiz, fmt=MOODLE_XML).notes == []


def test_import_appends_a_draft_revision_and_leaves_the_live_quiz_alone(make_quiz, django_user_model):
    quiz = make_quiz([every_type()[0]])
    editor = django_user_model.objects.create_superuser("ed", "ed@example.com", "x")
    preview = import_preview(quiz=quiz, data=b"Who's buried in Grant's tomb?{~Grant =no one}\n\nThe sun rises in the east.{T}\n")
    revision, added = questions_import(quiz=quiz, preview=preview, user=editor)
    quiz.refresh_from_db()
    assert added == 2 and revision.user == editor
    assert quiz.has_unpublished_changes
    assert len(quiz.questions) == 1  # live: unchanged until the editor publishes
    assert [q["kind"] for q in pool(quiz)] == ["single_choice", "single_choice", "true_false"]
    revision.publish()
    assert len(QuizPage.objects.get(pk=quiz.pk).questions) == 3


def test_reimporting_the_same_file_offers_to_skip_what_is_already_there(make_quiz):
    quiz = make_quiz([])
    data = open(GIFT_FIXTURES + "questions_in_category.gift.txt", "rb").read()
    questions_import(quiz=quiz, preview=import_preview(quiz=quiz, data=data))
    again = import_preview(quiz=quiz, data=data)
    assert len(again.questions) == 4 and len(again.duplicates) == 4
    assert questions_import(quiz=quiz, preview=again, skip_duplicates=True) == (None, 0)
    assert len(pool(quiz)) == 4


def test_the_question_blocks_refuse_what_they_would_refuse_in_the_editor(make_quiz):
    quiz = make_quiz([])
    data = "Fine?{T}\n\nTwice?{=Yes ~yes ~No}\n\n" + "Long?{=" + "x" * 301 + " ~short}\n"
    preview = import_preview(quiz=quiz, data=data)
    assert [q.spec.prompt for q in preview.questions] == ["Fine?"]
    assert [(r.where, r.reason) for r in preview.refusals] == [
        ("line 3", "choices: The choice “yes” appears twice."),
        ("line 5", "choices: item 1: text: Ensure this value has at most 300 characters (it has 301)."),
    ]


def test_import_command_writes_nothing_and_exits_1_when_an_item_is_refused(make_quiz, tmp_path):
    quiz = make_quiz([], title="Imports")
    file = tmp_path / "bank.gift"
    file.write_text("Good?{T}\n\nBroken {=a ~b\n")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import_questions", quiz.slug, str(file), stderr=err, stdout=io.StringIO())
    assert exit_.value.code == 1
    assert "refused: line 3: The answers' “{” is not closed by a “}”." in err.getvalue()
    assert pool(quiz) == []
    out = io.StringIO()
    call_command("import_questions", quiz.slug, str(file), "--skip-invalid", "--dry-run", stdout=out, stderr=io.StringIO())
    assert "Dry run: nothing imported." in out.getvalue() and pool(quiz) == []
    call_command("import_questions", quiz.slug, str(file), "--skip-invalid", stdout=out, stderr=io.StringIO())
    assert [q["prompt"] for q in pool(quiz)] == ["Good?"]


def test_import_command_reads_the_format_it_is_told(make_quiz, tmp_path):
    quiz = make_quiz([], title="Aiken quiz")
    file = tmp_path / "bank.txt"
    file.write_text("Which grade is merely satisfied?\nA) A\nB) C\nANSWER: B\n")
    out = io.StringIO()
    call_command("import_questions", str(quiz.pk), str(file), "--format", "aiken", stdout=out)
    assert "Imported 1 question(s)" in out.getvalue()
    assert pool(quiz)[0]["choices"][1] == {"text": "C", "correct": True, "feedback": ""}
    with pytest.raises(CommandError, match="is empty"):
        (tmp_path / "empty.txt").write_text("  \n")
        call_command("import_questions", quiz.slug, str(tmp_path / "empty.txt"))
    with pytest.raises(CommandError, match="No quiz has the slug"):
        call_command("import_questions", "no-such-quiz", str(file))


def test_export_command_writes_the_pool(make_quiz, tmp_path):
    quiz = make_quiz(title="Exported")
    target = tmp_path / "out.xml"
    call_command("export_questions", quiz.slug, "--output", str(target), stderr=io.StringIO())
    assert len(re.findall(r'<question type="', target.read_text())) == 9
    out = io.StringIO()
    call_command("export_questions", quiz.slug, "--format", "gift", stdout=out, stderr=io.StringIO())
    assert "::Q1::[plain]Grade of a satisfied customer?" in out.getvalue()


MALFORMED = sorted((Path(__file__).parent / "interchange_files" / "malformed").iterdir())


@pytest.mark.parametrize("path", MALFORMED, ids=lambda p: p.name)
def test_no_malformed_file_writes_anything(make_quiz, path):
    quiz = make_quiz([], title="Untouched")
    revisions = quiz.revisions.count()
    err = io.StringIO()
    with pytest.raises((SystemExit, CommandError)) as refused:
        call_command("import_questions", str(quiz.pk), str(path), stdout=io.StringIO(), stderr=err)
    if isinstance(refused.value, SystemExit):
        assert refused.value.code == 1 and "refused: " in err.getvalue()
    assert quiz.revisions.count() == revisions and pool(quiz) == []
