"""Moodle XML (<quiz><question type="…">…</question></quiz>), parsed safely with defusedxml: no
DTD, no entities, no external references. Question types: multichoice, truefalse, shortanswer,
numerical, matching, essay, ordering (qtype_ordering), description and category (notes). HTML text
(CDATA or escaped) becomes our plain text.
"""

from __future__ import annotations

import html
from dataclasses import replace
from decimal import Decimal
from urllib.parse import quote
from xml.etree.ElementTree import Element, ParseError, SubElement, indent, tostring

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from assessments import scoring

from . import Export, Imported, ParseResult, Refusal, UnreadableFile
from .choices import HUNDRED, choice_question, weight_text, weights
from .images import PLUGINFILE, EmbeddedImage, ImageError, display_name, embedded_image, encode_base64
from .text import html_to_text, number, parse_number, text_to_html


class XmlError(ValueError):
    pass


def _load(source: str) -> Element:
    try:
        root = SafeET.fromstring(source.encode("utf-8"), forbid_dtd=True)
    except DefusedXmlException:
        raise UnreadableFile("The XML declares a DTD or entities, which are refused (they can read files or exhaust memory).") from None
    except ParseError as error:
        line, column = error.position
        raise UnreadableFile(f"The XML is not well-formed: line {line}, column {column + 1}.") from None
    if root.tag != "quiz":
        raise UnreadableFile(f"This is not Moodle XML: the root element is <{root.tag}>, not <quiz>.")
    return root


class _Reader:
    """Reads one <question>'s texts, noting lost HTML and images; keeps the question text's first
    embedded image (see interchange.images)."""

    HTML_NOTE = "HTML was turned into plain text: our questions are plain text."

    def __init__(self):
        self.notes: list[str] = []
        self.image: EmbeddedImage | None = None

    def _html(self, raw: str, files: dict[str, str] | None = None) -> str:
        plain, removed, images = html_to_text(raw)
        if removed and self.HTML_NOTE not in self.notes:
            self.notes.append(self.HTML_NOTE)
        for number_, (src, alt) in enumerate(images, start=1):
            name = display_name(src)
            if files is None:
                self.notes.append(f"The image “{name}” is not imported: only the question text shows an image.")
                continue
            if self.image is None:
                try:
                    self.image = embedded_image(src, alt, files, number_)
                except ImageError as error:
                    raise XmlError(str(error)) from None
                if self.image is not None:
                    plain = html_to_text(raw, omit=src)[0]
                    if not alt:
                        self.notes.append(f"The image “{self.image.name}” has no description (alt text): its file name is used; write one in the editor.")
                    continue
            why = "a question shows one image" if self.image is not None else "only images included in the file are imported"
            self.notes.append(f"The image “{name}” is not imported: {why}.")
        return plain

    def text(self, element: Element | None, path: str = "text") -> str:
        if element is None:
            return ""
        node = element.find(path) if path else element
        raw = (node.text or "") if node is not None else ""
        if element.get("format", "html") == "html" and ("<" in raw or "&" in raw):
            return self._html(raw)
        return "\n".join(line.strip() for line in raw.strip().split("\n")).strip()

    def child(self, element: Element, tag: str) -> str:
        return self.text(element.find(tag))

    def question_text(self, question: Element) -> str:
        """The <questiontext>, with its <file name=… encoding="base64"> images available to its HTML."""
        element = question.find("questiontext")
        raw = (element.findtext("text") or "") if element is not None else ""
        if element is None or element.get("format", "html") != "html" or not ("<" in raw or "&" in raw):
            return self.text(element)
        files = {(f.get("name") or ""): (f.text or "") for f in element.findall("file")}
        return self._html(raw, files)


def _fraction(answer: Element) -> Decimal:
    value = parse_number(answer.get("fraction", "0"))
    if value is None:
        raise XmlError(f"The answer fraction “{answer.get('fraction')}” is not a number.")
    return value


def _points(question: Element) -> str:
    grade = parse_number(question.findtext("defaultgrade", "1") or "1")
    if grade is None or grade < 0:
        raise XmlError(f"<defaultgrade> “{question.findtext('defaultgrade')}” is not a number of points.")
    return number(grade)


def _question(question: Element, kind: str, read: _Reader) -> scoring.Question:
    common = {
        "id": "",
        "prompt": read.question_text(question),
        "points": _points(question),
        "explanation": read.child(question, "generalfeedback"),
    }
    answers = question.findall("answer")
    if kind == "multichoice":
        rows = [(read.text(a), _fraction(a), read.child(a, "feedback")) for a in answers]
        single = (question.findtext("single") or "true").strip().lower() in ("true", "1")
        spec, notes = choice_question(
            prompt=common["prompt"], points=common["points"], explanation=common["explanation"], answers=rows, single=single
        )
        read.notes += notes
        return spec
    if kind == "truefalse":
        feedback, answer = {}, None
        for a in answers:
            said = read.text(a).strip().lower()
            if said not in ("true", "false"):
                raise XmlError(f"A true/false answer reads “{said}”, not true or false.")
            feedback[said] = read.child(a, "feedback")
            if _fraction(a) == HUNDRED:
                answer = said == "true"
        if answer is None:
            raise XmlError("Neither “true” nor “false” gets full credit (fraction 100).")
        return scoring.TrueFalse(**common, answer=answer, feedback_true=feedback.get("true", ""), feedback_false=feedback.get("false", ""))
    if kind == "shortanswer":
        accepted = []
        for a in answers:
            text, weight = read.text(a), _fraction(a)
            if weight == HUNDRED and text != "*":
                accepted.append(text)
            else:
                read.notes.append(f"The {number(weight)}% answer “{text}” is not imported: a short text answer is accepted for full credit or not at all.")
        if (question.findtext("usecase") or "0").strip() == "1":
            read.notes.append("Case-sensitive matching is not kept: our short text answers ignore case.")
        if not accepted:
            raise XmlError("No short answer gets full credit (fraction 100).")
        return scoring.ShortText(**common, accepted=tuple(accepted))
    if kind == "numerical":
        keyed = []
        for a in answers:
            text = read.text(a)
            if text == "*":
                read.notes.append("The catch-all answer “*” is not imported.")
                continue
            value, tolerance = parse_number(text), parse_number(a.findtext("tolerance") or "0")
            if value is None or tolerance is None:
                raise XmlError(f"The numeric answer “{text}” (tolerance “{a.findtext('tolerance')}”) is not a number.")
            keyed.append((_fraction(a), value, abs(tolerance)))
        right = [k for k in keyed if k[0] == HUNDRED]
        if not right:
            raise XmlError("No numeric answer gets full credit (fraction 100).")
        for other in keyed:
            if other != right[0]:
                read.notes.append(f"The {number(other[0])}% answer {number(other[1])} ± {number(other[2])} is not imported: our numeric question has one right answer.")
        unit = ""
        for u in question.findall("units/unit"):
            name, multiplier = (u.findtext("unit_name") or "").strip(), parse_number(u.findtext("multiplier") or "1")
            if multiplier == 1 and not unit:
                unit = name
            else:
                read.notes.append(f"The unit “{name}” (× {u.findtext('multiplier')}) is not imported: only the main unit is shown.")
        return scoring.Numeric(**common, answer=number(right[0][1]), tolerance=number(right[0][2]), unit=unit)
    if kind == "matching":
        pairs = []
        for sub in question.findall("subquestion"):
            left, right = read.text(sub), read.child(sub, "answer")
            if not left:
                read.notes.append(f"The extra answer “{right}” (a distractor) is not imported: our matching offers the pairs' answers only.")
                continue
            pairs.append(scoring.Pair(id=str(len(pairs)), prompt=left, answer_id=f"a{len(pairs)}", answer=right))
        return scoring.Matching(**common, pairs=tuple(pairs))
    if kind == "ordering":
        # qtype_ordering writes the answers in their right order; fraction holds the position.
        ranked = sorted(enumerate(answers), key=lambda pair: (_fraction(pair[1]), pair[0]))
        items = tuple(scoring.Item(id=str(i), text=read.text(a)) for i, (_pos, a) in enumerate(ranked))
        return scoring.Ordering(**common, items=items)
    if kind == "essay":
        return scoring.Written(**common, guidance=read.child(question, "graderinfo"))
    raise XmlError(f"Moodle's “{kind}” questions have no counterpart here.")


def parse_moodle_xml(source: str) -> ParseResult:
    root = _load(source)
    result = ParseResult()
    category = ""
    for index, question in enumerate(root.iter("question"), start=1):
        kind = question.get("type", "")
        read = _Reader()
        name = read.child(question, "name")
        where = f"<question> {index} (type “{kind}”" + (f", “{name}”)" if name else ")")
        if kind == "category":
            category = (question.findtext("category/text") or "").strip()
            result.notes.append(Refusal(where, f"Category “{category}” is not stored (questions go into this quiz's pool): the preview shows it on the questions that follow."))
            continue
        if kind == "description":
            result.notes.append(Refusal(where, "A description, not a question: not imported."))
            continue
        try:
            spec = _question(question, kind, read)
        except XmlError as error:
            result.refusals.append(Refusal(where, str(error)))
            continue
        result.questions.append(Imported(spec=spec, where=where, title=name, notes=tuple(read.notes), image=read.image, category=category))
    if not result.questions and not result.refusals and not result.notes:
        result.refusals.append(Refusal("<quiz>", "The file holds no <question> elements."))
    return result


# --- writing -------------------------------------------------------------------------------------


def _text(parent: Element, tag: str, value: str, **attrs) -> Element:
    element = SubElement(parent, tag, attrs)
    SubElement(element, "text").text = value
    return element


def _feedback(parent: Element, value: str):
    _text(parent, "feedback", value, format="plain_text")


def _question_text(question: Element, prompt: str, image: EmbeddedImage | None) -> None:
    """Plain text, or (with an image) HTML whose <img> refers to the base64 <file> beside it, as Moodle writes it."""
    if image is None:
        _text(question, "questiontext", prompt, format="plain_text")
        return
    img = f'<p><img src="{PLUGINFILE}{quote(image.name)}" alt="{html.escape(image.alt)}"></p>'
    element = _text(question, "questiontext", text_to_html(prompt) + img, format="html")
    SubElement(element, "file", name=image.name, path="/", encoding="base64").text = encode_base64(image.data)


def write_moodle_xml(specs, images: dict[str, EmbeddedImage] | None = None) -> Export:
    """Every one of our question types as Moodle XML (scenario judgement as a single-answer
    multichoice with weighted answers; ordering in qtype_ordering's format). `images` holds each
    question's image by spec.image (the library id): embedded as base64 with @@PLUGINFILE@@."""
    images = images or {}
    root = Element("quiz")
    notes: list[str] = []
    for number_, spec in enumerate(specs, start=1):
        kind = {
            "single_choice": "multichoice", "multiple_choice": "multichoice", "scenario": "multichoice",
            "true_false": "truefalse", "numeric": "numerical", "short_text": "shortanswer",
            "ordering": "ordering", "matching": "matching", "written": "essay",
        }[spec.kind]
        question = SubElement(root, "question", type=kind)
        _text(question, "name", f"Q{number_}")
        prompt = f"{spec.situation}\n\n{spec.prompt}" if isinstance(spec, scoring.ScenarioJudgement) else spec.prompt
        image = images.get(spec.image) if spec.image else None
        if image is not None:
            image = replace(image, alt=spec.image_alt or image.alt)
        elif spec.image:
            notes.append(f"Question {number_}: its image is no longer in the image library; exported without it.")
        _question_text(question, prompt, image)
        _text(question, "generalfeedback", spec.explanation, format="plain_text")
        points = spec.max_points
        SubElement(question, "defaultgrade").text = number(Decimal(points.numerator) / Decimal(points.denominator))
        if kind == "multichoice":
            SubElement(question, "single").text = "false" if isinstance(spec, scoring.MultipleChoice) else "true"
            if isinstance(spec, scoring.MultipleChoice) and spec.all_or_nothing:
                notes.append(f"Question {number_}: all-or-nothing scoring has no Moodle XML equivalent; exported with partial credit.")
            for text, weight, feedback in weights(spec):
                answer = _text(question, "answer", text, fraction=weight_text(weight), format="plain_text")
                _feedback(answer, feedback)
        elif kind == "truefalse":
            for value in ("true", "false"):
                answer = _text(question, "answer", value, fraction="100" if spec.answer == (value == "true") else "0")
                _feedback(answer, spec.feedback_true if value == "true" else spec.feedback_false)
        elif kind == "numerical":
            answer = _text(question, "answer", spec.answer, fraction="100")
            SubElement(answer, "tolerance").text = spec.tolerance
            if spec.unit:
                unit = SubElement(SubElement(question, "units"), "unit")
                SubElement(unit, "multiplier").text = "1"
                SubElement(unit, "unit_name").text = spec.unit
        elif kind == "shortanswer":
            SubElement(question, "usecase").text = "0"
            for accepted in spec.accepted:
                _text(question, "answer", accepted, fraction="100")
        elif kind == "ordering":
            for position, item in enumerate(spec.items, start=1):
                _text(question, "answer", item.text, fraction=str(position), format="plain_text")
        elif kind == "matching":
            for pair in spec.pairs:
                sub = _text(question, "subquestion", pair.prompt, format="plain_text")
                _text(sub, "answer", pair.answer)
        elif kind == "essay":
            _text(question, "graderinfo", spec.guidance, format="plain_text")
    indent(root)
    return Export(text='<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n", notes=notes)
