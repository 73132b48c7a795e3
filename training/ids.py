"""Database ids from outside: URLs, filters, form fields. One bound, checked before any query.

Django hands any string of digits to the database: `<int:...>` matches `18446744073709551616`, and
a ModelChoiceField looks up whatever pk it is given. SQLite cannot bind an integer above 2**63 - 1
(OverflowError, a 500) and PostgreSQL's bigint cannot hold one either; Django's own guard against
that covers plain integer fields but not the `page_ptr` keys of Wagtail pages nor `pk__in`. So
every id read from a request goes through here and anything out of range is refused first:

- URLs use the `<id:name>` converter (registered by `training.apps`): a bad id is a 404, as for
  any other object that does not exist. A test fails if one of our URLs still uses `<int:...>`.
- Forms and filters use `IdChoiceField` / `IdMultipleChoiceField`: a bad id is the field's own
  "not a valid choice" error, so a form shows it by the field and a report names the filter.
- Anything else (a plain GET parameter) calls `parse_id`.
"""

from django import forms
from django.core.exceptions import ValidationError

MAX_ID = 2**63 - 1  # the largest signed 64-bit integer: SQLite INTEGER, PostgreSQL bigint
_MAX_DIGITS = len(str(MAX_ID))


def parse_id(value) -> int | None:
    """`value` as an id (1 .. MAX_ID, ASCII digits only), or None when it cannot be one."""
    text = str(value)
    if not (text.isascii() and text.isdigit() and len(text) <= _MAX_DIGITS):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


class IdConverter:
    """`<id:pk>`: one to nineteen digits naming a possible id; anything else does not match (404)."""

    regex = f"[0-9]{{1,{_MAX_DIGITS}}}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(f"{value} is not an id")  # Django then tries the next pattern, then 404
        return number

    def to_url(self, value) -> str:
        return str(value)


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField (keyed by pk) that refuses an impossible id as an invalid choice
    instead of sending it to the database."""

    def to_python(self, value):
        if (
            value not in self.empty_values
            and not self.to_field_name
            and not isinstance(value, self.queryset.model)
            and parse_id(value) is None
        ):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """IdChoiceField for several values: an impossible id is the field's `invalid_pk_value` error."""

    def _check_values(self, value):
        if not self.to_field_name:
            for pk in value:
                if parse_id(pk) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)
