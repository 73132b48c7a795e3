"""Reads made on every request, compiled to SQL once per process.

Building and compiling a queryset costs the ORM more CPU than the database takes to run it: the
signed-in user (0.58 ms, of which running the SQL was 0.06), the attempt of an attempt page, its
answers. `PrecompiledQuery` builds its queryset once, with marker values where the real values go,
keeps the SQL and where each marker sits among the parameters, and then runs that SQL with the real
values, making rows or model instances as Django's own iterables do (the same converters, the same
`from_db`, `select_related` objects and annotations). The queryset stays the one definition of the
query; only its compilation is kept.

    _attempt = PrecompiledQuery(lambda pk: Attempt.objects.filter(pk=pk)[:1], MARKER)
    _attempt.objects(attempt_id)  # -> [Attempt] or []

Values must have the markers' types, as Django's field preparation would have made them (ids are
ints); a queryset whose markers do not each appear exactly once among its parameters is refused.
"""

from django.db import connections
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.db.transaction import TransactionManagementError

# Marker values: no id is negative, and they fit a 32-bit integer column (Django finds nothing
# without asking for a value out of a column's range, and compiles no SQL for it).
MARKERS = (-2_013_000_001, -2_013_000_002, -2_013_000_003)


class PrecompiledQuery:
    def __init__(self, build, *markers):
        """`build(*markers)` returns the queryset, filtered on `markers` where the values go."""
        self.build, self.markers, self._compiled = build, markers, None

    def _compile(self):
        queryset = self.build(*self.markers)
        if queryset._iterable_class not in (ModelIterable, ValuesListIterable):
            raise TypeError("PrecompiledQuery makes model instances or values_list() tuples (not flat, not named).")
        db = queryset.db
        compiler = queryset.query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        params = list(params)
        slots = []
        for marker in self.markers:
            if type(marker) is bool or params.count(marker) != 1:
                raise ValueError(f"marker {marker!r} must appear exactly once among the parameters {params!r}")
            slots.append(params.index(marker))
        build_objects = None
        if queryset._iterable_class is ModelIterable:
            klass_info, select = compiler.klass_info, compiler.select
            first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            names = [column[0].target.attname for column in select[first:last]]
            related = get_related_populators(klass_info, select, db)
            annotations = list((compiler.annotation_col_map or {}).items())
            build_objects = (klass_info["model"], names, first, last, related, annotations)
        columns = [column[0] for column in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(columns):
            raise TypeError("PrecompiledQuery does not read composite primary keys.")
        converters = compiler.get_converters(columns)  # as results_iter() finds them, once
        for_update = queryset.query.select_for_update and connections[db].features.has_select_for_update
        self._compiled = (db, compiler, sql, params, slots, converters, for_update, build_objects)
        return self._compiled

    def rows(self, *values) -> list[tuple]:
        """The rows for `values`, converted as the ORM converts them (JSON, dates, decimals)."""
        db, compiler, sql, params, slots, converters, for_update, _ = self._compiled or self._compile()
        connection = connections[db]
        if for_update and connection.get_autocommit():  # as the ORM refuses it
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        if len(values) != len(slots):
            raise TypeError(f"expected {len(slots)} values, got {len(values)}")
        params = params.copy()
        for slot, marker, value in zip(slots, self.markers, values):
            if type(value) is not type(marker):
                raise TypeError(f"expected {type(marker).__name__}, got {value!r}")
            params[slot] = value
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        return list(map(tuple, compiler.apply_converters(fetched, converters))) if converters else fetched

    def objects(self, *values) -> list:
        """The model instances for `values`, with their select_related objects and annotations."""
        rows = self.rows(*values)
        db, *_, build_objects = self._compiled
        model, names, first, last, related, annotations = build_objects
        found = []
        for row in rows:
            instance = model.from_db(db, names, row[first:last])
            for populator in related:
                populator.populate(row, instance)
            for name, position in annotations:
                setattr(instance, name, row[position])
            found.append(instance)
        return found

    def first(self, *values):
        found = self.objects(*values)
        return found[0] if found else None
