"""Question interchange: Moodle GIFT, Aiken and Moodle XML to and from our question specs.

Pure Python like assessments.scoring (no Django): a parser turns a file's text into a
`ParseResult` of `Imported` questions (scoring specs, each with where it came from and notes on
what could not be carried over exactly), `Refusal`s (items that cannot be imported, with their line
or XML element and the reason) and file-level notes (categories, descriptions). Writers turn specs
back into text. Whether a spec is a valid question is decided once, by the quiz's question blocks
(assessments.question_import.services does that), not here.

To add a format: a module with parse_<format>(text) -> ParseResult (and write_<format>(specs) ->
Export if it can be exported), listed in PARSERS / WRITERS below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assessments.scoring import Question

from .images import EmbeddedImage


@dataclass(frozen=True)
class Imported:
    """One question read from a file: its spec (ids not yet assigned) and what the editor should know."""

    spec: Question
    where: str  # "line 12" or "<question> 3"
    title: str = ""
    notes: tuple[str, ...] = ()
    image: EmbeddedImage | None = None  # shown with the question text once stored as a Wagtail image
    category: str = ""  # Moodle's category path ($CATEGORY: / <question type="category">): shown, not stored


@dataclass(frozen=True)
class Refusal:
    where: str
    reason: str

    def __str__(self):
        return f"{self.where}: {self.reason}"


@dataclass
class ParseResult:
    questions: list[Imported] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    notes: list[Refusal] = field(default_factory=list)  # not errors: categories, descriptions


@dataclass
class Export:
    text: str
    notes: list[str] = field(default_factory=list)  # questions the format could not carry (exactly)


class UnreadableFile(ValueError):
    """The whole file is refused (empty, wrong encoding, too large, not well-formed XML, entities)."""


GIFT, AIKEN, MOODLE_XML = "gift", "aiken", "moodle-xml"
FORMATS = {GIFT: "Moodle GIFT", AIKEN: "Aiken", MOODLE_XML: "Moodle XML"}
MAX_BYTES = 2 * 1024 * 1024  # below Django's 2.5 MB form-data limit: the confirm step posts the text back


def decode(data: bytes, *, max_bytes: int = MAX_BYTES) -> str:
    """The file's text, or UnreadableFile naming the problem. UTF-8 (with or without BOM) only:
    Moodle writes UTF-8, and guessing another encoding would silently garble accents."""
    if len(data) > max_bytes:
        raise UnreadableFile(f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is {max_bytes // 1024 // 1024} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            f"The file is not UTF-8 text (byte {error.start + 1} cannot be read). Save it as UTF-8 and try again."
        ) from None
    if "\x00" in text:
        raise UnreadableFile("The file is not a text file (it contains NUL bytes).")
    if not text.strip():
        raise UnreadableFile("The file is empty.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def detect_format(text: str) -> str:
    """Moodle XML starts with '<'; Aiken has ANSWER: lines and no braces; anything else is GIFT."""
    stripped = text.lstrip()
    if stripped.startswith("<"):
        return MOODLE_XML
    if re.search(r"^ANSWER\s*:", text, re.MULTILINE) and "{" not in text:
        return AIKEN
    return GIFT


def parse(text: str, fmt: str | None = None) -> ParseResult:
    from . import aiken, gift, moodle_xml

    fmt = fmt or detect_format(text)
    parsers = {GIFT: gift.parse_gift, AIKEN: aiken.parse_aiken, MOODLE_XML: moodle_xml.parse_moodle_xml}
    if fmt not in parsers:
        raise UnreadableFile(f"Unknown format “{fmt}”; choose one of {', '.join(FORMATS)}.")
    return parsers[fmt](text)


def write(specs, fmt: str, images: dict[str, EmbeddedImage] | None = None) -> Export:
    """`images`: the questions' images by spec.image id (Moodle XML embeds them; the others name them)."""
    from . import aiken, gift, moodle_xml

    writers = {GIFT: gift.write_gift, AIKEN: aiken.write_aiken, MOODLE_XML: moodle_xml.write_moodle_xml}
    if fmt == MOODLE_XML:
        return moodle_xml.write_moodle_xml(list(specs), images or {})
    return writers[fmt](list(specs))
