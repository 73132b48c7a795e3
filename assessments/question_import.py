"""Importing question files into a quiz's pool, and exporting a pool, for the admin view and the
commands. The formats themselves are pure (assessments.interchange); here each imported spec
becomes a quiz question block and is validated by that block's own clean() (the one place the
rules of a question live), and confirmed questions are appended as a new draft revision.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from assessments import scoring
from assessments.interchange import FORMATS, Export, Imported, Refusal, UnreadableFile, decode, detect_format, parse, write
from modules.blocks.questions import QuizQuestionsBlock

__all__ = ["FORMATS", "ImportPreview", "PreviewQuestion", "UnreadableFile", "import_preview", "questions_import", "quiz_by_slug", "quiz_export"]

_STREAM = QuizQuestionsBlock()


@dataclass(frozen=True)
class PreviewQuestion:
    imported: Imported
    kind: str
    value: object  # the block value that will be stored
    spec: scoring.Question  # as it will be stored and scored
    duplicate: bool

    @property
    def label(self) -> str:
        return _STREAM.child_blocks[self.kind].meta.label


@dataclass
class ImportPreview:
    format: str
    text: str
    questions: list[PreviewQuestion] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    notes: list[Refusal] = field(default_factory=list)

    @property
    def duplicates(self) -> list[PreviewQuestion]:
        return [q for q in self.questions if q.duplicate]

    @property
    def format_label(self) -> str:
        return FORMATS[self.format]


def _items(values) -> list:
    return [{"type": "item", "value": value, "id": str(uuid.uuid4())} for value in values]


def _raw_value(spec: scoring.Question) -> dict:
    """A spec as the raw value of its question block (what a StreamField stores)."""
    common = {"prompt": spec.prompt, "points": spec.points, "explanation": spec.explanation}
    if isinstance(spec, (scoring.SingleChoice, scoring.MultipleChoice)):
        raw = {**common, "choices": _items({"text": c.text, "correct": c.correct, "feedback": c.feedback} for c in spec.choices)}
        if isinstance(spec, scoring.MultipleChoice):
            raw["scoring_rule"] = "all" if spec.all_or_nothing else "partial"
        return raw
    if isinstance(spec, scoring.TrueFalse):
        return {**common, "answer": spec.answer, "feedback_true": spec.feedback_true, "feedback_false": spec.feedback_false}
    if isinstance(spec, scoring.Numeric):
        return {**common, "answer": spec.answer, "tolerance": spec.tolerance, "unit": spec.unit}
    if isinstance(spec, scoring.ShortText):
        return {**common, "accepted": _items(spec.accepted)}
    if isinstance(spec, scoring.Ordering):
        return {**common, "items": _items(item.text for item in spec.items)}
    if isinstance(spec, scoring.Matching):
        return {**common, "pairs": _items({"prompt": p.prompt, "answer": p.answer} for p in spec.pairs)}
    if isinstance(spec, scoring.ScenarioJudgement):
        options = _items({"text": o.text, "points": o.points, "feedback": o.feedback} for o in spec.options)
        return {"situation": spec.situation, "prompt": spec.prompt, "explanation": spec.explanation, "options": options}
    if isinstance(spec, scoring.Written):
        return {**common, "guidance": spec.guidance}
    raise ValueError(f"No question block for {spec.kind}")


def _messages(error, prefix: str = "") -> list[str]:
    """A block's nested validation errors as 'field: message' lines."""
    found = []
    for name, child in (getattr(error, "block_errors", None) or {}).items():
        label = f"{prefix}{name}" if not isinstance(name, int) else f"{prefix}item {name + 1}"
        found += _messages(child, f"{label}: ")
    for child in getattr(error, "non_block_errors", None) or []:
        found += _messages(child, prefix)
    if not found:
        found = [f"{prefix}{message}" for message in getattr(error, "messages", [str(error)])]
    return found


def _fingerprint(spec: scoring.Question) -> str:
    """A question's content without ids or display order: equal for the same question."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("id", "answer_id", "shown")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        if isinstance(value, str):
            return " ".join(value.split()).casefold()
        return value

    return repr(strip(spec.to_data()))


def _latest(quiz):
    return quiz.get_latest_revision_as_object() if quiz.latest_revision_id else quiz


def import_preview(*, quiz, data: bytes | str, fmt: str | None = None) -> ImportPreview:
    """What importing `data` into `quiz` would do, writing nothing. Raises UnreadableFile when the
    whole file is refused (empty, not UTF-8, too large, malformed or entity-laden XML)."""
    text = decode(data) if isinstance(data, bytes) else decode(data.encode("utf-8"))
    fmt = fmt or detect_format(text)
    result = parse(text, fmt)
    existing = {_fingerprint(spec) for spec in _latest(quiz).question_specs()}
    preview = ImportPreview(format=fmt, text=text, refusals=list(result.refusals), notes=list(result.notes))
    for imported in result.questions:
        block = _STREAM.child_blocks[imported.spec.kind]
        try:
            value = block.clean(block.to_python(_raw_value(imported.spec)))
        except ValidationError as error:
            preview.refusals.append(Refusal(imported.where, "; ".join(_messages(error))))
            continue
        spec = block.to_spec(value, "")
        fingerprint = _fingerprint(spec)
        preview.questions.append(PreviewQuestion(imported, imported.spec.kind, value, spec, duplicate=fingerprint in existing))
        existing.add(fingerprint)  # the same question twice in one file: the second is a duplicate
    preview.refusals.sort(key=lambda r: _order(r.where))
    return preview


def _order(where: str):
    digits = "".join(ch if ch.isdigit() else " " for ch in where).split()
    return int(digits[0]) if digits else 0


@transaction.atomic
def questions_import(*, quiz, preview: ImportPreview, user=None, skip_duplicates: bool = False):
    """Append the preview's questions to the quiz's pool as a new draft revision (the editor
    publishes it as usual). Returns (revision or None when nothing was added, questions added)."""
    page = _latest(quiz)
    added = [q for q in preview.questions if not (skip_duplicates and q.duplicate)]
    if not added:
        return None, 0
    for question in added:
        page.questions.append((question.kind, question.value, str(uuid.uuid4())))
    revision = page.save_revision(user=user, log_action=True)
    return revision, len(added)


def quiz_export(*, quiz, fmt: str) -> Export:
    """The quiz's pool (its latest revision, as the editor sees it) in `fmt`."""
    return write(_latest(quiz).question_specs(), fmt)


def quiz_by_slug(slug_or_id: str):
    """The quiz a command names, or CommandError naming the problem (slugs repeat across courses)."""
    from django.core.management.base import CommandError

    from modules.models import QuizPage

    quizzes = list(QuizPage.objects.filter(pk=int(slug_or_id)) if slug_or_id.isdigit() else QuizPage.objects.filter(slug=slug_or_id))
    if not quizzes:
        raise CommandError(f"No quiz has the slug or id “{slug_or_id}”.")
    if len(quizzes) > 1:
        ids = ", ".join(str(q.pk) for q in quizzes)
        raise CommandError(f"Several quizzes have the slug “{slug_or_id}” (page ids {ids}); pass the page id.")
    return quizzes[0]
