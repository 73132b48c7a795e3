"""Aiken: single-choice questions, read as Moodle's importer reads them (question/format/aiken).

    Question text (one or more lines)
    A) choice        (or "A. choice")
    B) choice
    ANSWER: B

Problems are reported line by line, as Moodle does; a broken question is skipped up to the next
ANSWER line, and the rest of the file is still read.
"""

from __future__ import annotations

import re

from assessments import scoring

from . import Export, Imported, ParseResult, Refusal

_CHOICE = re.compile(r"^([A-Z])[.)]\s+(.*\S)\s*$")
_ANSWER = re.compile(r"^ANSWER\s*:\s*(.*?)\s*$")


def parse_aiken(source: str) -> ParseResult:
    result = ParseResult()
    prompt: list[str] = []
    choices: list[tuple[str, str]] = []
    start, skipping = 0, False  # skipping: a broken question, ignored up to its ANSWER line

    def refuse(line: int, reason: str):
        nonlocal prompt, choices, skipping
        result.refusals.append(Refusal(f"line {line}", reason))
        prompt, choices, skipping = [], [], True

    for number, line in enumerate(source.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:  # blank lines are ignored, as Moodle does
            continue
        if answer := _ANSWER.match(stripped):
            letter = answer.group(1)
            if skipping:
                pass
            elif not prompt:
                refuse(number, "An “ANSWER:” line with no question before it.")
            elif len(choices) < 2:
                refuse(number, f"The question at line {start} has {len(choices)} choice(s); it needs at least two (“A) …”).")
            elif letter not in dict(choices):
                shown = ", ".join(c for c, _ in choices)
                refuse(number, f"“ANSWER: {letter}” names no choice of this question (its choices are {shown}).")
            else:
                spec = scoring.SingleChoice(
                    id="", prompt="\n".join(prompt),
                    choices=tuple(scoring.Choice(id=str(i), text=text, correct=key == letter) for i, (key, text) in enumerate(choices)),
                )
                result.questions.append(Imported(spec=spec, where=f"line {start}"))
            prompt, choices, skipping = [], [], False
            continue
        if skipping:
            continue
        if choice := _CHOICE.match(stripped):
            key, expected = choice.group(1), chr(ord("A") + len(choices))
            if not prompt:
                refuse(number, f"The choice “{stripped}” comes before any question text.")
            elif key != expected:
                refuse(number, f"Choice “{key}” is out of order: “{expected}” was expected.")
            else:
                choices.append((key, choice.group(2)))
            continue
        if choices:
            refuse(number, f"“{stripped}” is neither a choice (“A) …”) nor an “ANSWER:” line.")
            continue
        if not prompt:
            start = number
        prompt.append(stripped)
    if prompt and not skipping:
        refuse(start, "The file ends before this question's “ANSWER:” line.")
    return result


def write_aiken(specs) -> Export:
    """Single-choice questions only (all Aiken can hold), at most 26 choices each."""
    out, notes = [], []
    for number, spec in enumerate(specs, start=1):
        if not isinstance(spec, scoring.SingleChoice) or len(spec.choices) > 26:
            notes.append(f"Question {number}: Aiken holds single-choice questions only (up to 26 choices); not exported.")
            continue
        if spec.image:
            notes.append(f"Question {number}: its image cannot be written in Aiken; exported without it.")
        out.append(" ".join(spec.prompt.split("\n")))
        letter = ""
        for index, choice in enumerate(spec.choices):
            key = chr(ord("A") + index)
            out.append(f"{key}) {' '.join(choice.text.split())}")
            letter = key if choice.correct else letter
        out += [f"ANSWER: {letter}", ""]
    return Export(text="\n".join(out), notes=notes)
