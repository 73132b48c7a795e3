"""Database ids from outside: URLs, filters, form fields. One bound, checked before any query.

Django hands any string of digits to the database: `<int:...>` matches `18446744073709551616`, and
a ModelChoiceField looks up whatever pk it is given. SQLite cannot bind an integer above 2**63 - 1
(OverflowError, a 500) and PostgreSQL's bigint cannot hold one either; Django's own guard against
that covers plain integer fields but not the `page_ptr` keys of Wagtail pages nor `pk__in`. So
every id read from a request goes through here and anything out of range is refused first:

- URLs use the `<id:name>` converter (registered by `training.apps`): a bad id is a 404, as for
  any other object that does not exist. A test fails if one of our URLs still uses `<int:...>`.
- Forms use `IdChoiceField` / `IdMultipleChoiceField`, filters `IdModelChoiceFilter` (a Wagtail
  listing's `list_filter`: `base_filterset_class = IdFilterSet`): a bad id is the field's own
  "not a valid choice" error, so a form shows it by the field and a report names the filter.
- Anything else (a plain GET parameter) calls `parse_id`.
- Wagtail's own admin filters (users by group; the page explorer by content type, owner, site)
  are out of our reach: `IdTooLargeMiddleware` answers the OverflowError they raise with a 400.
"""

import django_filters
import django_filters.fields
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseBadRequest
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS
from wagtail.admin.filters import WagtailFilterSet

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
            and self.to_field_name in (None, self.queryset.model._meta.pk.name)
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
        if self.to_field_name in (None, self.queryset.model._meta.pk.name):
            for pk in value:
                if parse_id(pk) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)


class _IdFilterField(django_filters.fields.ModelChoiceField, IdChoiceField):
    pass


class IdModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A ModelChoiceFilter whose field is an IdChoiceField."""

    field_class = _IdFilterField


class IdFilterSet(WagtailFilterSet):
    """WagtailFilterSet whose generated filters on a foreign key refuse impossible ids: the base
    for a Wagtail listing's `list_filter` (the view's `base_filterset_class`)."""

    FILTER_DEFAULTS = {
        **WagtailFilterSet.FILTER_DEFAULTS,
        **{
            field: {**FILTER_FOR_DBFIELD_DEFAULTS[field], "filter_class": IdModelChoiceFilter}
            for field in (models.ForeignKey, models.OneToOneField)
        },
    }


class IdTooLargeMiddleware:
    """The safety net for views that are not ours: an OverflowError (SQLite's answer to a number
    above 2**63 - 1 in a query) is the request's fault, so it is a 400 saying so, not a 500.
    Our own views never get here: they check ids with the tools above."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError):
            return HttpResponseBadRequest(
                f"A number in this request is too large to be an id (at most {MAX_ID}).", content_type="text/plain"
            )
        return None
