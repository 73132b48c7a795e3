"""Moodle GIFT, read the way Moodle's importer reads it (question/format/gift/format.php) and written
so that Moodle (and we) read it back.

A question is a run of lines up to a blank line; `//` lines are comments; `::title::`, a text format
(`[html]`, `[moodle]`, `[markdown]`, `[plain]`), the text and `{answers}`. Text after the braces makes
a missing-word question (the braces become "_____"). No braces: a description (not a question).
"""

from __future__ import annotations

import re
from decimal import Decimal

from assessments import scoring

from . import Export, Imported, ParseResult, Refusal
from .choices import HUNDRED, choice_question, weight_text, weights
from .images import EmbeddedImage, ImageError, display_name, embedded_image
from .text import BLANK, html_to_text, number, parse_number

# Escaped control characters become private-use placeholders while the structure is parsed.
_ESCAPES = {"\\\\": "\ue000", "\\~": "\ue001", "\\=": "\ue002", "\\#": "\ue003", "\\{": "\ue004", "\\}": "\ue005", "\\:": "\ue006"}
_LITERALS = {v: k[1] for k, v in _ESCAPES.items()}
_FORMAT = re.compile(r"^\s*\[(html|moodle|markdown|plain)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


class GiftError(ValueError):
    pass


def _hide_escapes(text: str) -> str:
    for escaped, placeholder in _ESCAPES.items():
        text = text.replace(escaped, placeholder)
    return text.replace("\\n", "\n")


def _restore(text: str) -> str:
    for placeholder, literal in _LITERALS.items():
        text = text.replace(placeholder, literal)
    return text


class _Text:
    """Turns one GIFT text (with its optional [format]) into our plain text, noting HTML removed."""

    def __init__(self):
        self.html_removed = False

    def __call__(self, raw: str, default_format: str = "moodle", omit: str | None = None) -> str:
        match = _FORMAT.match(raw)
        fmt = match.group(1).lower() if match else default_format
        text = _restore(raw[match.end():] if match else raw).strip()
        if fmt == "html":
            text, removed, _images = html_to_text(text, omit=omit)
            self.html_removed |= removed
        return "\n".join(line.strip() for line in text.split("\n")).strip()


def _blocks(text: str):
    """(first line number, lines) of each question: runs of non-comment lines between blank lines."""
    current, start = [], 0
    for number_, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if not stripped:
            if current:
                yield start, current
            current = []
            continue
        if not current:
            start = number_
        current.append(line)
    if current:
        yield start, current


def _split_answers(answer_text: str) -> list[str]:
    """Moodle's split: every `=` starts an answer as `~` does (matching/short answer too)."""
    parts = answer_text.replace("=", "~=").split("~")
    parts = [p for p in (part.strip() for part in parts)]
    if parts and not parts[0]:
        parts = parts[1:]
    return parts


def _weighted(answer: str, default: Decimal) -> tuple[Decimal, str]:
    weight = default
    if answer.startswith("="):
        weight, answer = HUNDRED, answer[1:].lstrip()
    match = _WEIGHT.match(answer)
    if match:
        weight, answer = Decimal(match.group(1)), answer[match.end():]
    return weight, answer


def _feedback(answer: str) -> tuple[str, str]:
    text, _, feedback = answer.partition("#")
    return text, feedback


def _numeric_answer(raw: str) -> tuple[Decimal, Decimal]:
    raw = raw.strip()
    if ".." in raw:
        low, _, high = raw.partition("..")
        low_n, high_n = parse_number(low), parse_number(high)
        if low_n is None or high_n is None or low_n > high_n:
            raise GiftError(f"“{_restore(raw)}” is not a numeric range (low..high).")
        return (low_n + high_n) / 2, (high_n - low_n) / 2
    value, _, tolerance = raw.partition(":")
    answer = parse_number(value)
    tol = parse_number(tolerance) if tolerance else Decimal(0)
    if answer is None or tol is None:
        raise GiftError(f"“{_restore(raw)}” is not a number (write {{#answer}}, {{#answer:tolerance}} or {{#low..high}}).")
    return answer, abs(tol)


def _question(prompt: str, answer_text: str, general: str, text: _Text) -> tuple[scoring.Question, list[str]]:
    notes: list[str] = []
    points = "1"
    stripped = answer_text.strip()
    if not stripped:
        return scoring.Written(id="", prompt=prompt, points=points, explanation=general), notes

    if stripped.startswith("#"):
        answers = _split_answers(stripped[1:])
        if not answers:
            raise GiftError("The numeric answer is missing after “#”.")
        keyed = []
        for index, answer in enumerate(answers):
            default = HUNDRED if index == 0 and not answer.startswith("=") else Decimal(0)
            weight, body = _weighted(answer, default)
            body, feedback = _feedback(body)
            if not body.strip():  # "~#feedback": Moodle's wrong-answer feedback for anything else
                notes.append(f"Feedback for other answers (“{text(feedback)}”) is not imported: we show the explanation instead.")
                continue
            keyed.append((weight, *_numeric_answer(body), text(feedback)))
        right = [k for k in keyed if k[0] == HUNDRED]
        if not right:
            raise GiftError("No numeric answer gets full credit (100%).")
        for weight, answer, tolerance, _fb in keyed:
            if (weight, answer, tolerance) != right[0][:3]:
                notes.append(f"The {number(weight)}% answer {number(answer)} ± {number(tolerance)} is not imported: our numeric question has one right answer and tolerance.")
        if right[0][3]:
            notes.append(f"The answer's feedback “{right[0][3]}” is not imported: use the explanation.")
        _w, answer, tolerance, _fb = right[0]
        return scoring.Numeric(id="", prompt=prompt, points=points, explanation=general, answer=number(answer), tolerance=number(tolerance)), notes

    if "~" in stripped:
        answers = []
        for answer in _split_answers(stripped):
            weight, body = _weighted(answer, Decimal(0))
            body, feedback = _feedback(body)
            answers.append((text(body), weight, text(feedback)))
        spec, more = choice_question(prompt=prompt, points=points, explanation=general, answers=answers, single="=" in stripped)
        return spec, notes + more

    if "=" in stripped and "->" in stripped:
        pairs = []
        for answer in _split_answers(stripped):
            body = answer[1:] if answer.startswith("=") else answer
            if "->" not in body:
                raise GiftError(f"The matching pair “{text(body)}” has no “->”.")
            left, _, right = body.partition("->")
            left, right = text(left), text(right)
            if not left:
                notes.append(f"The extra answer “{right}” (a distractor) is not imported: our matching offers the pairs' answers only.")
                continue
            pairs.append(scoring.Pair(id=str(len(pairs)), prompt=left, answer_id=f"a{len(pairs)}", answer=right))
        return scoring.Matching(id="", prompt=prompt, points=points, explanation=general, pairs=tuple(pairs)), notes

    head, _, tail = stripped.partition("#")
    if head.strip().upper() in _TRUE_FALSE:
        answer = _TRUE_FALSE[head.strip().upper()]
        wrong, _, right = tail.partition("#")
        wrong, right = text(wrong), text(right)
        return scoring.TrueFalse(
            id="", prompt=prompt, points=points, explanation=general, answer=answer,
            feedback_true=right if answer else wrong, feedback_false=wrong if answer else right,
        ), notes

    accepted = []
    for answer in _split_answers(stripped):
        if not answer.startswith("="):
            raise GiftError(f"The answer “{text(answer)}” starts with neither “=” nor “~”.")
        weight, body = _weighted(answer, Decimal(0))
        body, feedback = _feedback(body)
        body = text(body)
        if weight == HUNDRED and body != "*":
            accepted.append(body)
            if feedback:
                notes.append(f"The feedback for “{body}” is not imported: short text answers have one explanation.")
        elif body == "*":
            notes.append("The catch-all answer “*” is not imported: any answer not accepted scores 0.")
        else:
            notes.append(f"The {number(weight)}% answer “{body}” is not imported: a short text answer is accepted for full credit or not at all.")
    if not accepted:
        raise GiftError("No short answer gets full credit (100%).")
    return scoring.ShortText(id="", prompt=prompt, points=points, explanation=general, accepted=tuple(accepted)), notes


def _prompt_image(html: str) -> tuple[EmbeddedImage | None, list[str], str | None]:
    """An [html] question text's first image written into it as a data: URI (GIFT files carry no
    other files); other images are named in the notes and keep their alt text in brackets."""
    image, omit, notes = None, None, []
    for number_, (src, alt) in enumerate(html_to_text(html)[2], start=1):
        if image is None:
            try:
                image = embedded_image(src, alt, {}, number_)
            except ImageError as error:
                raise GiftError(str(error)) from None
            if image is not None:
                if not alt:
                    notes.append(f"The image “{image.name}” has no description (alt text): its file name is used; write one in the editor.")
                omit = src
                continue
        why = "a question shows one image" if image is not None else "only images written into the text as data: URIs are imported from GIFT"
        notes.append(f"The image “{display_name(src)}” is not imported: {why}.")
    return image, notes, omit


def parse_gift(source: str) -> ParseResult:
    result = ParseResult()
    category = ""
    for line, lines in _blocks(source):
        raw = _hide_escapes("\n".join(lines)).strip()
        where = f"line {line}"
        if raw.startswith("$CATEGORY:"):
            category = _restore(raw[10:]).strip()
            result.notes.append(Refusal(where, f"Category “{category}” is not stored (questions go into this quiz's pool): the preview shows it on the questions that follow."))
            continue
        title = ""
        if raw.startswith("::"):
            end = raw.find("::", 2)
            if end < 0:
                result.refusals.append(Refusal(where, "The title has no closing “::”."))
                continue
            title, raw = _restore(raw[2:end]).strip(), raw[end + 2:].strip()
        label = f"{where} (“{title}”)" if title else where
        text = _Text()
        start, finish = raw.find("{"), raw.find("}")
        if start < 0:
            if finish >= 0:
                result.refusals.append(Refusal(label, "There is a “}” without its “{”."))
            else:
                result.notes.append(Refusal(label, "A description, not a question: not imported."))
            continue
        if finish < start:
            result.refusals.append(Refusal(label, "The answers' “{” is not closed by a “}”." if finish < 0 else "There is a “}” before the “{”."))
            continue
        if "{" in raw[start + 1:finish]:
            result.refusals.append(Refusal(label, "A “{” inside the answers: escape it as \\{ or close the answers first."))
            continue
        before, answer_text, after = raw[:start], raw[start + 1:finish], raw[finish + 1:]
        if "{" in after or "}" in after:
            result.refusals.append(Refusal(label, "A question may have one set of answers in braces; escape other braces as \\{ \\}."))
            continue
        fmt_match = _FORMAT.match(before)
        fmt = fmt_match.group(1).lower() if fmt_match else "moodle"
        body = before[fmt_match.end():] if fmt_match else before
        prompt_raw = f"{body}{BLANK}{after}" if after.strip() else body
        answer_text, _, general = answer_text.partition("####")
        try:
            image, image_notes, omit = _prompt_image(_restore(prompt_raw).strip()) if fmt == "html" else (None, [], None)
            prompt = text(f"[{fmt}]{prompt_raw}", omit=omit)
            spec, notes = _question(prompt, answer_text, text(general, fmt), text)
            notes = image_notes + notes
        except GiftError as error:
            result.refusals.append(Refusal(label, str(error)))
            continue
        if not prompt:
            result.refusals.append(Refusal(label, "The question has no text."))
            continue
        if text.html_removed:
            notes.insert(0, "HTML was turned into plain text: our questions are plain text.")
        result.questions.append(Imported(spec=spec, where=label, title=title, notes=tuple(notes), image=image, category=category))
    return result


# --- writing -------------------------------------------------------------------------------------

_SPECIAL = re.compile(r"([\\~=#{}:])")


def escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text).replace("\n", "\\n")


def _weighted_answers(rows) -> str:
    lines = []
    for text_, weight, feedback in rows:
        mark = "=" if weight == HUNDRED else f"~%{weight_text(weight)}%" if weight else "~"
        lines.append(f"    {mark}{escape(text_)}" + (f"#{escape(feedback)}" if feedback else ""))
    return "\n".join(lines)


def _answers(spec, notes: list[str], label: str) -> str | None:
    if isinstance(spec, scoring.MultipleChoice):
        if spec.all_or_nothing:
            notes.append(f"{label}: all-or-nothing scoring cannot be written in GIFT; it is exported with partial credit.")
        rows = weights(spec)
        return "\n".join(f"    ~%{weight_text(w)}%{escape(t)}" + (f"#{escape(f)}" if f else "") for t, w, f in rows)
    if isinstance(spec, (scoring.SingleChoice, scoring.ScenarioJudgement)):
        return _weighted_answers(weights(spec))
    if isinstance(spec, scoring.TrueFalse):
        right, wrong = (spec.feedback_true, spec.feedback_false) if spec.answer else (spec.feedback_false, spec.feedback_true)
        feedback = f"#{escape(wrong)}#{escape(right)}" if right else (f"#{escape(wrong)}" if wrong else "")
        return ("TRUE" if spec.answer else "FALSE") + feedback
    if isinstance(spec, scoring.Numeric):
        if spec.unit:
            notes.append(f"{label}: the unit “{spec.unit}” cannot be written in GIFT.")
        return f"#{spec.answer}:{spec.tolerance}" if Decimal(spec.tolerance) else f"#{spec.answer}"
    if isinstance(spec, scoring.ShortText):
        return " ".join(f"={escape(a)}" for a in spec.accepted)
    if isinstance(spec, scoring.Matching):
        return "\n".join(f"    ={escape(p.prompt)} -> {escape(p.answer)}" for p in spec.pairs)
    if isinstance(spec, scoring.Written):
        if spec.guidance:
            notes.append(f"{label}: the grading guidance cannot be written in GIFT.")
        return ""
    notes.append(f"{label}: {spec.kind.replace('_', ' ')} questions cannot be written in GIFT; not exported.")
    return None


def write_gift(specs) -> Export:
    """Our specs as GIFT, one question per paragraph; notes name what GIFT cannot carry."""
    notes: list[str] = []
    out = ["// Exported from Loyalty Academy", ""]
    for number_, spec in enumerate(specs, start=1):
        label = f"Question {number_}"
        answers = _answers(spec, notes, label)
        if answers is None:
            continue
        if spec.image:
            notes.append(f"{label}: its image cannot be written in GIFT; exported without it (Moodle XML carries it).")
        points = spec.max_points
        if points != 1 and not isinstance(spec, scoring.ScenarioJudgement):
            notes.append(f"{label}: GIFT has no points; it is worth {number(Decimal(spec.points))} here and 1 once imported.")
        elif isinstance(spec, scoring.ScenarioJudgement) and points != 1:
            notes.append(f"{label}: GIFT has no points; its best response is worth {float(points):g} here and 1 once imported.")
        prompt = spec.prompt
        if isinstance(spec, scoring.ScenarioJudgement):
            prompt = f"{spec.situation}\n\n{spec.prompt}"
        general = f"####{escape(spec.explanation)}" if spec.explanation else ""
        if "\n" in answers or general:
            body = "{\n" + "\n".join(part for part in (answers, general) if part) + "\n}"
        else:
            body = f"{{{answers}}}"
        out += [f"::Q{number_}::[plain]{escape(prompt)} {body}", ""]
    return Export(text="\n".join(out), notes=notes)
