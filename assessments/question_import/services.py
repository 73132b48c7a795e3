"""Importing question files into a quiz's pool, and exporting a pool, for the admin view and the
commands. The formats themselves are pure (assessments.interchange); here each imported spec
becomes a quiz question block and is validated by that block's own clean() (the one place the
rules of a question live), and confirmed questions are appended as a new draft revision.
"""

from __future__ import annotations

import base64
import io
import uuid
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField
from wagtail.models import Collection

from assessments import scoring
from assessments.interchange import FORMATS, Export, Imported, Refusal, UnreadableFile, decode, detect_format, parse, write
from assessments.interchange.images import EmbeddedImage
from modules.blocks.questions import QuizQuestionsBlock

__all__ = ["FORMATS", "ImportPreview", "PreviewQuestion", "UnreadableFile", "import_preview", "questions_import", "quiz_by_slug", "quiz_export"]

_STREAM = QuizQuestionsBlock()
IMAGE_COLLECTION = "Imported questions"  # the image library's collection for images that come with question files


@dataclass(frozen=True)
class PreviewQuestion:
    imported: Imported
    kind: str
    value: object  # the block value that will be stored
    spec: scoring.Question  # as it will be stored and scored
    duplicate: bool
    image_type: str = ""  # the embedded image's MIME type, as Wagtail's validation read it

    @property
    def label(self) -> str:
        return _STREAM.child_blocks[self.kind].meta.label

    @property
    def image(self) -> EmbeddedImage | None:
        return self.imported.image

    @property
    def image_data_uri(self) -> str:
        """The image straight from the upload (nothing is stored before the editor confirms)."""
        return f"data:{self.image_type};base64,{base64.b64encode(self.image.data).decode('ascii')}" if self.image else ""


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


def _raw_value(spec: scoring.Question, image_id: int | None = None, image_alt: str = "") -> dict:
    """A spec as the raw value of its question block (what a StreamField stores)."""
    pictured = {"image": image_id, "image_alt": image_alt}
    common = {"prompt": spec.prompt, "points": spec.points, "explanation": spec.explanation, **pictured}
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
        return {"situation": spec.situation, "prompt": spec.prompt, "explanation": spec.explanation, "options": options, **pictured}
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


def image_checked(image: EmbeddedImage) -> str:
    """The image's MIME type once Wagtail's own upload validation accepts it (a real image in an
    allowed format, its extension matching its content, within WAGTAILIMAGES_MAX_UPLOAD_SIZE and
    _MAX_IMAGE_PIXELS, decompression bombs refused); ValidationError naming the problem otherwise."""
    try:
        checked = WagtailImageField().clean(SimpleUploadedFile(image.name, image.data))
        # Wagtail reads a file cut short either not at all (it passes, and shows half grey) or
        # with an error of Pillow's own; verify reads it through without decoding the pixels.
        with PILImage.open(io.BytesIO(image.data)) as picture:
            picture.verify()
    except ValidationError as error:
        raise ValidationError(f"The image “{image.name}” cannot be imported: {' '.join(error.messages)}") from None
    except Exception:  # Pillow's for a damaged file: OSError, SyntaxError, struct.error ...
        raise ValidationError(f"The image “{image.name}” cannot be imported: the file is cut short or damaged.") from None
    return checked.content_type


def _library_image(sha1: str):
    """An image already in the library with these exact bytes (Wagtail keeps each file's SHA-1)."""
    return get_image_model().objects.filter(file_hash=sha1).order_by("pk").first()


def _image_hashes(specs) -> dict[str, str]:
    ids = {int(spec.image) for spec in specs if spec.image.isdigit()}
    return {str(pk): sha1 for pk, sha1 in get_image_model().objects.filter(pk__in=ids).values_list("pk", "file_hash")} if ids else {}


def _fingerprint(spec: scoring.Question, image_hash: str = "") -> str:
    """A question's content without ids or display order: equal for the same question. The image
    counts by its content hash, so a re-imported file matches the questions it made."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("id", "answer_id", "shown", "image")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        if isinstance(value, str):
            return " ".join(value.split()).casefold()
        return value

    return repr(strip(spec.to_data())) + (f" image:{image_hash}" if spec.image or image_hash else "")


def _latest(quiz):
    return quiz.get_latest_revision_as_object() if quiz.latest_revision_id else quiz


def import_preview(*, quiz, data: bytes | str, fmt: str | None = None) -> ImportPreview:
    """What importing `data` into `quiz` would do, writing nothing. Raises UnreadableFile when the
    whole file is refused (empty, not UTF-8, too large, malformed or entity-laden XML)."""
    text = decode(data) if isinstance(data, bytes) else decode(data.encode("utf-8"))
    fmt = fmt or detect_format(text)
    result = parse(text, fmt)
    pool = _latest(quiz).question_specs()
    hashes = _image_hashes(pool)
    existing = {_fingerprint(spec, hashes.get(spec.image, "")) for spec in pool}
    preview = ImportPreview(format=fmt, text=text, refusals=list(result.refusals), notes=list(result.notes))
    for imported in result.questions:
        block = _STREAM.child_blocks[imported.spec.kind]
        image, image_type, stored = imported.image, "", None
        try:
            if image is not None:
                image_type = image_checked(image)
                stored = _library_image(image.sha1)  # a re-import reuses it; otherwise created on confirm
            raw = _raw_value(imported.spec, stored.pk if stored else None, image.alt if image else "")
            value = block.clean(block.to_python(raw))
        except ValidationError as error:
            preview.refusals.append(Refusal(imported.where, "; ".join(_messages(error))))
            continue
        spec = block.to_spec(value, "")
        fingerprint = _fingerprint(spec, image.sha1 if image else "")
        preview.questions.append(
            PreviewQuestion(imported, imported.spec.kind, value, spec, duplicate=fingerprint in existing, image_type=image_type)
        )
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
        if question.image is not None and not question.value.get("image"):
            question.value["image"] = _image_stored(question.image, user=user)
        page.questions.append((question.kind, question.value, str(uuid.uuid4())))
    revision = page.save_revision(user=user, log_action=True)
    return revision, len(added)


def _image_stored(image: EmbeddedImage, *, user=None):
    """The library image with these bytes: the one already there (same SHA-1) or a new one in the
    "Imported questions" collection, titled by its description."""
    if found := _library_image(image.sha1):
        return found
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=IMAGE_COLLECTION).first() or root.add_child(name=IMAGE_COLLECTION)
    # A neutral file name: the picture's address reaches employees before they answer, and a name
    # from the file (“right-answer.png”) could give the answer away.
    name = f"question-{image.sha1[:12]}{PurePosixPath(image.name).suffix.lower()}"
    stored = get_image_model()(title=image.alt[:255], collection=collection, uploaded_by_user=user)
    stored.file = ImageFile(SimpleUploadedFile(name, image.data), name=name)
    stored._set_image_file_metadata()
    stored.save()
    return stored


def _pool_images(specs) -> dict[str, EmbeddedImage]:
    """The images of these questions, by library id, with their original bytes (for Moodle XML)."""
    ids = {int(spec.image) for spec in specs if spec.image.isdigit()}
    found = {}
    for image in get_image_model().objects.filter(pk__in=ids) if ids else ():
        with image.open_file() as f:
            found[str(image.pk)] = EmbeddedImage(name=image.filename, alt=image.title, data=f.read())
    return found


def quiz_export(*, quiz, fmt: str) -> Export:
    """The quiz's pool (its latest revision, as the editor sees it) in `fmt`; Moodle XML embeds
    the questions' images."""
    specs = _latest(quiz).question_specs()
    return write(specs, fmt, _pool_images(specs) if fmt == "moodle-xml" else None)


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
