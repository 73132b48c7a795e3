"""Lifetime-value calculator: what a satisfied and a loyal customer are worth over the years."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

MONEY_FIELDS = ("satisfied_spend", "loyal_spend")
COUNT_FIELDS = ("satisfied_visits", "loyal_visits", "years")
MAX_VISITS = 100_000  # a year's visits
MONEY_DIGITS = 10  # up to 99,999,999.99 per visit


class CalculatorValue(blocks.StructValue):
    """Server-side figures, so the block reads fully without JavaScript."""

    def satisfied_yearly(self) -> Decimal:
        return self["satisfied_visits"] * self["satisfied_spend"]

    def loyal_yearly(self) -> Decimal:
        return self["loyal_visits"] * self["loyal_spend"]

    def satisfied_lifetime(self) -> Decimal:
        return self.satisfied_yearly() * self["years"]

    def loyal_lifetime(self) -> Decimal:
        return self.loyal_yearly() * self["years"]

    def _bar_percent(self, yearly: Decimal) -> int:
        biggest = max(self.satisfied_yearly(), self.loyal_yearly())
        return round(yearly * 100 / biggest) if biggest else 0

    def satisfied_bar_percent(self) -> int:
        """Bar widths of the picture: the larger of the two customers is 100%."""
        return self._bar_percent(self.satisfied_yearly())

    def loyal_bar_percent(self) -> int:
        return self._bar_percent(self.loyal_yearly())


class LifetimeValueCalculatorBlock(blocks.StructBlock):
    """Visits per year x spend per visit x years, for a satisfied and a loyal customer side by side.

    Prefilled with the curriculum's example (4 visits x $50 against $50 every week over 10 years);
    lesson.js recomputes as the employee types.
    """

    title = blocks.CharBlock(max_length=120, default="What is a customer worth?")
    currency = blocks.CharBlock(max_length=3, default="$")
    # Bounded so the figures stay numbers a page can show: without a bound, a spend like 1e999999
    # is a valid decimal whose products overflow when the block renders (a 500 on preview and view).
    satisfied_visits = blocks.IntegerBlock(default=4, max_value=MAX_VISITS, label="Satisfied customer: visits per year")
    satisfied_spend = blocks.DecimalBlock(
        default=Decimal(50), max_digits=MONEY_DIGITS, decimal_places=2, label="Satisfied customer: spend per visit"
    )
    loyal_visits = blocks.IntegerBlock(default=52, max_value=MAX_VISITS, label="Loyal customer: visits per year")
    loyal_spend = blocks.DecimalBlock(
        default=Decimal(50), max_digits=MONEY_DIGITS, decimal_places=2, label="Loyal customer: spend per visit"
    )
    years = blocks.IntegerBlock(default=10, label="Years as a customer")

    class Meta:
        icon = "table"
        template = "modules/blocks/lifetime_value_calculator.html"
        description = "Visits per year x spend per visit x years, satisfied against loyal."
        value_class = CalculatorValue
        preview_value = {
            "title": "What is a customer worth?",
            "currency": "$",
            "satisfied_visits": 4,
            "satisfied_spend": Decimal(50),
            "loyal_visits": 52,
            "loyal_spend": Decimal(50),
            "years": 10,
        }

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        for name in MONEY_FIELDS:
            if value[name] is not None and value[name] < 0:
                errors[name] = ValidationError("Money cannot be negative: enter 0 or more.")
        for name in COUNT_FIELDS:
            if value[name] is not None and value[name] < 0:
                errors[name] = ValidationError("Enter 0 or more.")
        if value["years"] is not None and value["years"] > 100:
            errors["years"] = ValidationError("Enter at most 100 years.")
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value
