"""A query compiled once per process (training/precompiled.py) gives what the ORM gives for the
same queryset: the same instances, fields, select_related objects, annotations and converted values
(JSON, dates, decimals), on SQLite and PostgreSQL, in one query each time."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.db.models import Count, F

from assessments.attempts.services import attempt_save, attempt_start, attempt_submit
from assessments.models import Attempt, Response
from .conftest import choice_id, single
from tests.conftest import in_real_transactions
from training.people.models import Employee
from training.precompiled import MARKERS, PrecompiledQuery

pytestmark = pytest.mark.django_db


def _fields(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def _users(pk):
    return get_user_model().objects.select_related("employee").annotate(attempts=Count("employee__attempts")).filter(pk=pk)[:1]


def test_instances_with_select_related_and_annotations_equal_the_orms(academy, django_assert_num_queries):
    query = PrecompiledQuery(_users, MARKERS[0])
    with_employee = get_user_model().objects.get(username="amira")
    without_employee = get_user_model().objects.create_user("nobody", password="x")  # no Employee: a LEFT JOIN's NULLs
    for user in (with_employee, without_employee, with_employee):  # the last one from the compiled SQL
        expected = _users(user.pk).get()
        with django_assert_num_queries(1):
            found = query.first(user.pk)
        assert type(found) is type(expected) and _fields(found) == _fields(expected)
        assert found.last_login == expected.last_login and found.date_joined == expected.date_joined  # converted datetimes
        assert found.attempts == expected.attempts
        employee = getattr(found, "employee", None)
        assert (employee and _fields(employee)) == (getattr(expected, "employee", None) and _fields(expected.employee))
        assert found._state.adding is False and found._state.db == "default"
    assert query.first(10**15) is None and query.objects(10**15) == []


def test_rows_are_converted_as_values_list_converts_them(employee, make_quiz):
    quiz = make_quiz([single("A"), single("B")])
    attempt = attempt_start(employee=employee, quiz=quiz)
    attempt_save(attempt=attempt, answers={attempt.questions[0]["id"]: choice_id(attempt, 0, "Right")})
    attempt_submit(attempt=Attempt.objects.get(pk=attempt.pk))

    def build(attempt_id):
        return Response.objects.filter(attempt_id=attempt_id).order_by("question_id").values_list(
            "question_id", "value", "points", "saved_at", F("attempt__questions")
        )

    expected = list(build(attempt.pk))
    rows = PrecompiledQuery(build, MARKERS[0]).rows(attempt.pk)
    assert rows == expected and len(rows) == 1  # the one answered
    assert isinstance(rows[0][2], Decimal) and isinstance(rows[0][4], list)  # numeric and JSON, not text


@in_real_transactions
def test_a_locking_query_runs_only_in_a_transaction_as_the_orms_does(academy, employee, make_quiz):
    attempt = attempt_start(employee=employee, quiz=make_quiz([single("A")]))
    locked = PrecompiledQuery(lambda pk: Attempt.objects.select_for_update().filter(pk=pk)[:1], MARKERS[0])
    with transaction.atomic():
        assert locked.first(attempt.pk).pk == attempt.pk
    if connection.features.has_select_for_update:  # PostgreSQL; SQLite has no FOR UPDATE to refuse
        with pytest.raises(TransactionManagementError):
            Attempt.objects.select_for_update().filter(pk=attempt.pk).first()
        with pytest.raises(TransactionManagementError):
            locked.first(attempt.pk)


def test_values_and_markers_are_checked(employee):
    query = PrecompiledQuery(lambda pk: Employee.objects.filter(pk=pk), MARKERS[0])
    with pytest.raises(TypeError):  # the ORM would have made an int of it; this does not guess
        query.objects(str(employee.pk))
    with pytest.raises(TypeError):
        query.objects()
    unused = PrecompiledQuery(lambda pk: Employee.objects.all(), MARKERS[0])
    with pytest.raises(ValueError, match="exactly once"):
        unused.objects(employee.pk)
    flat = PrecompiledQuery(lambda pk: Employee.objects.filter(pk=pk).values_list("pk", flat=True), MARKERS[0])
    with pytest.raises(TypeError, match="not flat"):
        flat.rows(employee.pk)
