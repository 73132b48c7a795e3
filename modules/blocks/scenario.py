"""Problem-resolution scenario: a customer problem played as a branching path of choices."""

from functools import cached_property

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError


class ScenarioChoiceBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=200, help_text="What the employee says or does.")
    outcome = blocks.TextBlock(help_text="What happens next, from the customer's side.")
    feedback = blocks.TextBlock(help_text="Why this helps or hurts loyalty.")
    loyalty_effect = blocks.IntegerBlock(
        min_value=-3, max_value=3, default=0, help_text="From -3 (drives the customer away) to +3 (builds loyalty)."
    )
    next_step = blocks.CharBlock(
        required=False, max_length=50, help_text="Id of the step this choice leads to; leave empty to end the scenario."
    )

    class Meta:
        icon = "radio-full"


class ScenarioStepBlock(blocks.StructBlock):
    step_id = blocks.CharBlock(max_length=50, validators=[validate_slug], help_text="Short id, e.g. 'apology'.")
    prompt = blocks.TextBlock(help_text="What the customer says or what the employee faces at this step.")
    choices = blocks.ListBlock(ScenarioChoiceBlock(), min_num=2)

    class Meta:
        icon = "arrow-right"


class ScenarioValue(blocks.StructValue):
    """Display logic for a scenario: where it starts, where each choice leads, the best path."""

    @cached_property
    def steps_by_id(self) -> dict:
        return {step["step_id"]: step for step in self["steps"]}

    def start_step(self):
        return self["steps"][0] if self["steps"] else None

    def best_score(self) -> int:
        """The highest loyalty total any path from the first step can reach."""
        memo: dict[str, int] = {}

        def best_from(step_id: str, seen: frozenset) -> int:
            if step_id in memo:
                return memo[step_id]
            totals = []
            for choice in self.steps_by_id[step_id]["choices"]:
                nxt = choice["next_step"]
                follow = best_from(nxt, seen | {step_id}) if nxt and nxt not in seen else 0
                totals.append(choice["loyalty_effect"] + follow)
            memo[step_id] = max(totals, default=0)
            return memo[step_id]

        start = self.start_step()
        return best_from(start["step_id"], frozenset()) if start else 0


def scenario_problems(steps) -> list[str]:
    """Every structural problem of a scenario's steps, each naming the step and choice at fault."""
    problems = []
    ids = [step["step_id"] for step in steps]
    seen = set()
    for number, step_id in enumerate(ids, start=1):
        if step_id in seen:
            problems.append(f"Step {number}: the id “{step_id}” is used by an earlier step; ids must be unique.")
        seen.add(step_id)
    known = set(ids)
    edges = {}
    for number, step in enumerate(steps, start=1):
        targets = []
        for choice_number, choice in enumerate(step["choices"], start=1):
            target = choice["next_step"]
            if not target:
                continue
            if target not in known:
                problems.append(
                    f"Step {number} (“{step['step_id']}”), choice {choice_number} (“{choice['label']}”) leads to "
                    f"step “{target}”, which does not exist. Known steps: {', '.join(ids)}."
                )
            else:
                targets.append(target)
        edges.setdefault(step["step_id"], targets)
    if problems or not ids:
        return problems
    # Every path must end: no loops back to a step already on the path.
    visiting, done = set(), set()

    def walk(step_id):
        visiting.add(step_id)
        for target in edges[step_id]:
            if target in visiting:
                problems.append(f"Step “{step_id}” leads back to step “{target}”: a scenario must always reach an end.")
            elif target not in done:
                walk(target)
        visiting.discard(step_id)
        done.add(step_id)

    walk(ids[0])
    for step_id in ids:
        if step_id not in done:
            problems.append(f"Step “{step_id}” cannot be reached from the first step (“{ids[0]}”).")
    return problems


class ProblemScenarioBlock(blocks.StructBlock):
    """A customer problem the employee plays in the page.

    The first step is where play starts; each choice shows its outcome, feedback and loyalty effect
    and may lead to another step by id (branching). Without JavaScript every step is listed with
    its choices in disclosure widgets and links between steps; lesson.js plays it one step at a
    time and totals the loyalty effect against the best path.
    """

    title = blocks.CharBlock(max_length=120)
    situation = blocks.TextBlock(help_text="The customer's problem, as the employee meets it.")
    steps = blocks.ListBlock(ScenarioStepBlock(), min_num=1)

    class Meta:
        icon = "help"
        template = "modules/blocks/problem_scenario.html"
        description = "A branching customer-problem scenario with outcomes, feedback and loyalty effects."
        value_class = ScenarioValue
        preview_value = {
            "title": "The cold soup",
            "situation": "A regular says her soup arrived cold.",
            "steps": [
                {
                    "step_id": "start",
                    "prompt": "She pushes the bowl away.",
                    "choices": [
                        {
                            "label": "Apologise and bring a fresh bowl at once.",
                            "outcome": "She smiles.",
                            "feedback": "Putting it right fast earns forgiveness.",
                            "loyalty_effect": 2,
                            "next_step": "",
                        },
                        {
                            "label": "Say the kitchen is busy.",
                            "outcome": "She leaves.",
                            "feedback": "Excuses tell her she is not worth the effort.",
                            "loyalty_effect": -2,
                            "next_step": "",
                        },
                    ],
                }
            ],
        }

    def clean(self, value):
        value = super().clean(value)
        problems = scenario_problems(value["steps"])
        if problems:
            raise StructBlockValidationError(
                block_errors={
                    "steps": ListBlockValidationError(non_block_errors=[ValidationError(p) for p in problems])
                }
            )
        return value
