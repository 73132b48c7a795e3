"""Widths from data without `style` attributes, which the Content-Security-Policy forbids."""

from django import template

register = template.Library()


@register.filter
def width_class(percent) -> str:
    """`{{ 37.4|width_class }}` -> `w-pct-37`: a class of training/static/training/widths.css,
    which has one per whole percent from 0 to 100 (out-of-range or missing values are clamped)."""
    try:
        number = round(float(percent))
    except (TypeError, ValueError, OverflowError):
        number = 0
    return f"w-pct-{min(max(number, 0), 100)}"
