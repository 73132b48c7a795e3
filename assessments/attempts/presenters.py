"""Plain-text descriptions of responses and results for the review and grading pages."""

from assessments import scoring


def describe_response(question: dict, value) -> str:
    """The employee's answer in words, from the question's public data."""
    if value is None:
        return "Not answered"
    kind = question["kind"]
    if kind in ("single_choice", "scenario"):
        options = question.get("choices") or question.get("options")
        return next((o["text"] for o in options if o["id"] == value), "")
    if kind == "multiple_choice":
        return "; ".join(c["text"] for c in question["choices"] if c["id"] in value)
    if kind == "true_false":
        return "True" if value else "False"
    if kind == "numeric":
        return f"{value} {question['unit']}".strip()
    if kind == "ordering":
        texts = {i["id"]: i["text"] for i in question["items"]}
        return " → ".join(texts[i] for i in value)
    if kind == "matching":
        answers = {a["id"]: a["text"] for a in question["answers"]}
        return "; ".join(f"{p['text']} → {answers.get(value.get(p['id']), '—')}" for p in question["prompts"])
    return str(value)


STATUS_LABELS = {
    scoring.CORRECT: "Correct",
    scoring.PARTIAL: "Partly correct",
    scoring.INCORRECT: "Incorrect",
    scoring.UNANSWERED: "Not answered",
    scoring.NEEDS_GRADING: "Waiting for your manager's grade",
}
