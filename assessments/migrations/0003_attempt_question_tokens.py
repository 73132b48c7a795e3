"""Give every recorded attempt's frozen questions their per-attempt tokens.

Attempts started before tokens existed showed answer-key ids to the browser. In-progress ones need
tokens to be answered at all (the views accept nothing else); finished ones get them too, so the
result page has one code path. The drawing is copied here, not imported, so later changes to the
scoring core cannot change what this migration does. A page open from before the migration sends
answer-key ids and gets "not a question of this attempt"; reloading it shows the tokens.
"""

import secrets

from django.db import migrations

def _tokens(question: dict, taken: set) -> dict:
    def fresh():
        while (token := secrets.token_hex(8)) in taken:
            pass
        taken.add(token)
        return token

    tokens = {"question": fresh()}
    for name in ("choices", "options", "items"):
        if name in question:
            tokens[name] = {entry["id"]: fresh() for entry in question[name]}
    if "pairs" in question:
        tokens["prompts"] = {pair["id"]: fresh() for pair in question["pairs"]}
        tokens["answers"] = {answer_id: fresh() for answer_id in dict.fromkeys(p["answer_id"] for p in question["pairs"])}
    return tokens


def _rewrite(apps, change):
    """Apply `change(questions) -> bool` (True when it changed them) to every attempt, 500 at a time."""
    Attempt = apps.get_model("assessments", "Attempt")
    batch = []
    for attempt in Attempt.objects.only("pk", "questions").iterator(chunk_size=500):
        if change(attempt.questions):
            batch.append(attempt)
        if len(batch) >= 500:
            Attempt.objects.bulk_update(batch, ["questions"])
            batch = []
    Attempt.objects.bulk_update(batch, ["questions"])


def _all(tokens: dict):
    yield tokens["question"]
    for role, ids in tokens.items():
        if role != "question":
            yield from ids.values()


def _add(questions: list) -> bool:
    if all("tokens" in question for question in questions):
        return False
    taken = {token for question in questions if "tokens" in question for token in _all(question["tokens"])}
    for question in questions:
        if "tokens" not in question:
            question["tokens"] = _tokens(question, taken)
    return True


def _remove(questions: list) -> bool:
    return bool([question.pop("tokens") for question in questions if "tokens" in question])


def add_tokens(apps, schema_editor):
    _rewrite(apps, _add)


def remove_tokens(apps, schema_editor):
    _rewrite(apps, _remove)


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0002_certificatetemplate_certificate"),
    ]

    operations = [migrations.RunPython(add_tokens, remove_tokens)]
