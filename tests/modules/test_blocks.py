"""Validation and rendering of the lesson blocks (no database needed)."""

import copy
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from modules.blocks import (
    CalloutBlock,
    ConnectionPointWalkthroughBlock,
    HeadingBlock,
    LessonBodyBlock,
    LifetimeValueCalculatorBlock,
    ProblemScenarioBlock,
)


def errors_text(exc: ValidationError) -> str:
    """Every message inside a (nested) block validation error, flattened to one string."""
    data = exc.as_json_data() if hasattr(exc, "as_json_data") else {"messages": exc.messages}
    return str(data)


def clean(block, raw):
    return block.clean(block.to_python(raw))


STOP = {
    "touchpoint": "Front door",
    "senses": ["see", "smell"],
    "satisfied": "A clean entrance.",
    "loyal": "Fresh coffee and a greeting by name.",
    "action": "Greet within five seconds.",
}
WALK = {"title": "Café visit", "intro": "Walk in.", "stops": [STOP, {**STOP, "touchpoint": "Counter", "senses": ["hear", "taste", "feel"]}]}


def choice(label, effect=0, next_step=""):
    return {"label": label, "outcome": f"{label} outcome", "feedback": f"{label} feedback", "loyalty_effect": effect, "next_step": next_step}


SCENARIO = {
    "title": "Cold soup",
    "situation": "A regular says the soup is cold.",
    "steps": [
        {"step_id": "start", "prompt": "She frowns.", "choices": [choice("Apologise", 2, "fix"), choice("Shrug", -2, "angry")]},
        {"step_id": "fix", "prompt": "She waits.", "choices": [choice("Fresh bowl and dessert", 3), choice("Fresh bowl", 1)]},
        {"step_id": "angry", "prompt": "She asks for the manager.", "choices": [choice("Call the manager", 1), choice("Argue", -3)]},
    ],
}


class TestWalkthrough:
    def test_valid_walkthrough_cleans(self):
        value = clean(ConnectionPointWalkthroughBlock(), WALK)
        assert [s["touchpoint"] for s in value["stops"]] == ["Front door", "Counter"]

    def test_stop_without_sense_is_refused_by_name(self):
        raw = copy.deepcopy(WALK)
        raw["stops"][1]["senses"] = []
        with pytest.raises(ValidationError) as exc:
            clean(ConnectionPointWalkthroughBlock(), raw)
        assert "Counter" in errors_text(exc.value) and "reaches no sense" in errors_text(exc.value)

    def test_single_stop_is_refused(self):
        raw = {**WALK, "stops": [STOP]}
        with pytest.raises(ValidationError) as exc:
            clean(ConnectionPointWalkthroughBlock(), raw)
        assert "at least two stops" in errors_text(exc.value)

    def test_renders_ordered_stops_with_senses_and_both_customers(self):
        block = ConnectionPointWalkthroughBlock()
        html = block.render(block.to_python(WALK))
        assert "<ol" in html and html.index("Front door") < html.index("Counter")
        for text in ("See", "Smell", "Hear", "Taste", "Feel", "A clean entrance.", "Fresh coffee", "Greet within five seconds."):
            assert text in html
        assert "data-walkthrough" in html  # hook for the step-by-step script


class TestScenario:
    def test_valid_branching_scenario_cleans_and_scores_best_path(self):
        value = clean(ProblemScenarioBlock(), SCENARIO)
        assert value.best_score() == 5  # Apologise (+2) then fresh bowl and dessert (+3)
        assert value.start_step()["step_id"] == "start"

    @pytest.mark.parametrize(
        "mutate, message",
        [
            (lambda s: s["steps"][0]["choices"][0].update(next_step="refund"), "leads to step “refund”, which does not exist"),
            (lambda s: s["steps"][2].update(step_id="fix"), "is used by an earlier step"),
            (lambda s: s["steps"][1]["choices"][0].update(next_step="start"), "leads back to step “start”"),
            (lambda s: s["steps"][0]["choices"][1].update(next_step="fix"), "“angry” cannot be reached"),
            (lambda s: s["steps"][0]["choices"][0].update(loyalty_effect=9), "less than or equal to 3"),
            (lambda s: s["steps"][0].update(step_id="not a slug!"), "valid “slug”"),
        ],
        ids=["unknown-step", "duplicate-id", "loop", "unreachable", "effect-range", "bad-id"],
    )
    def test_broken_scenarios_are_refused_with_a_clear_message(self, mutate, message):
        raw = copy.deepcopy(SCENARIO)
        mutate(raw)
        with pytest.raises(ValidationError) as exc:
            clean(ProblemScenarioBlock(), raw)
        assert message in errors_text(exc.value)

    def test_step_needs_two_choices(self):
        raw = copy.deepcopy(SCENARIO)
        raw["steps"][2]["choices"] = raw["steps"][2]["choices"][:1]
        with pytest.raises(ValidationError):
            clean(ProblemScenarioBlock(), raw)

    def test_renders_every_step_choice_outcome_and_links_between_steps(self):
        block = ProblemScenarioBlock()
        html = block.render(block.to_python(SCENARIO), context={"id": "abc"})
        for text in ("A regular says the soup is cold.", "Apologise outcome", "Shrug feedback", "Loyalty effect: +2", "Loyalty effect: -3"):
            assert text in html
        assert 'href="#scn-abc-fix"' in html and 'id="scn-abc-fix"' in html
        assert 'data-best="5"' in html
        assert html.count("<details") == 6  # readable without JavaScript: every choice is a disclosure


class TestCalculator:
    def test_defaults_are_the_curriculum_example(self):
        block = LifetimeValueCalculatorBlock()
        value = block.to_python({})
        assert value.satisfied_yearly() == 200 and value.satisfied_lifetime() == 2000
        assert value.loyal_yearly() == 2600 and value.loyal_lifetime() == 26000

    def test_server_side_rendering_shows_the_figures(self):
        block = LifetimeValueCalculatorBlock()
        html = block.render(block.to_python({}))
        for figure in ("$200", "$2,000", "$2,600", "$26,000"):
            assert figure in html
        assert 'value="4"' in html and 'value="52"' in html and 'value="10"' in html
        assert 'w-pct-8"' in html  # the picture: satisfied is 200/2600 of loyal

    @pytest.mark.parametrize("field, bad, message", [
        ("satisfied_spend", "-5", "Money cannot be negative"),
        ("loyal_spend", "-0.01", "Money cannot be negative"),
        ("loyal_visits", -1, "Enter 0 or more"),
        ("years", 101, "at most 100 years"),
    ])
    def test_bad_numbers_are_refused(self, field, bad, message):
        with pytest.raises(ValidationError) as exc:
            clean(LifetimeValueCalculatorBlock(), {field: bad})
        assert message in errors_text(exc.value) and field in errors_text(exc.value)

    def test_decimal_spend(self):
        value = clean(LifetimeValueCalculatorBlock(), {"satisfied_spend": "12.50", "satisfied_visits": 3, "years": 2})
        assert value.satisfied_lifetime() == Decimal("75.00")


class TestSimpleBlocks:
    def test_heading_levels(self):
        block = HeadingBlock()
        assert "<h3" in block.render(block.to_python({"text": "Sub", "level": "h3"}))
        assert "<h2" in block.render(block.to_python({"text": "Main", "level": "h2"}))

    def test_callout_renders_kind_and_body(self):
        block = CalloutBlock()
        html = block.render(block.to_python({"kind": "takeaway", "title": "Remember", "body": "<p>Loyal is an A.</p>"}))
        assert "Key takeaway" in html and "Loyal is an A." in html and "Remember" in html

    def test_every_custom_block_declares_metadata(self):
        for name, block in LessonBodyBlock().child_blocks.items():
            if name == "text":
                continue
            assert block.meta.icon and block.meta.template and block.meta.description, name
