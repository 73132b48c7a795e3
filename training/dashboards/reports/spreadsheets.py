"""Spreadsheets that stream: CSV and XLSX written row by row while the response is sent, so the
first bytes leave at once and memory stays flat however many rows there are.

Every text cell goes through `neutralise`, the last transformation of its text, so anything a
spreadsheet program could read as a formula gets a leading apostrophe (the rule is in its
docstring; the certificate ZIP's manifest uses it too). XLSX is written by hand (a ZIP of
a few XML parts, the sheet deflated as it is written) because openpyxl assembles the whole file
before the first byte can be sent.
"""

import csv
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from django.http import StreamingHttpResponse
from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_PER_CHUNK = 500
# Characters XML 1.0 cannot carry at all (C0 controls but tab, line feed and carriage return; two
# non-characters). Dropped from every text cell, CSV included, so all formats say the same.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _first_visible(text: str) -> str:
    """The first character that is not whitespace, a control or an invisible format character
    (zero-width space, byte-order mark, direction marks ...): what a reader or a trimming import
    would take as the start of the cell."""
    for char in text:
        if not (char.isspace() or unicodedata.category(char) in ("Cc", "Cf")):
            return char
    return ""


def neutralise(value):
    """Text made safe to open in a spreadsheet; anything that is not a string is returned unchanged
    (numbers stay numbers).

    This is the last transformation of a cell's text, for CSV, XLSX and the certificate manifest
    alike: it first drops the characters XML cannot hold, then decides on what is left, so no later
    step can uncover a formula. The text gets a leading apostrophe when
    - it starts with a tab or a carriage return, or
    - its first visible character (after leading whitespace, control and invisible format
      characters, which some programs trim on import) is = + - or @, or a compatibility look-alike
      of one: fullwidth ＝ ＋ － ＠, small ﹦ ﹢ ﹣ ﹫, superscript ⁼ ⁺ ⁻ ... (anything whose NFKC form
      starts with one of them; spreadsheet programs fold some of these to ASCII).
    Text that merely contains these characters later ("a=b", "O'Brien") is left alone. To extend
    the rule, change it here: every export calls this function.
    """
    if not isinstance(value, str):
        return value
    text = _NOT_XML.sub("", value)
    if text.startswith(("\t", "\r")) or unicodedata.normalize("NFKC", _first_visible(text)).startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _local(moment: datetime, zone) -> datetime:
    """Wall-clock time in the site's time zone, as spreadsheets have no time zones."""
    return moment.astimezone(zone).replace(tzinfo=None) if moment.tzinfo else moment


def _text(value, zone) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return _local(value, zone).isoformat(" ", "minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    return neutralise(str(value))  # anything else (a lazy string, a model) is text too


class _Echo:
    def write(self, value):
        return value


def csv_stream(headings: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark, so spreadsheet programs read accents right."""
    writer = csv.writer(_Echo())
    zone = timezone.get_current_timezone()
    yield ("\ufeff" + writer.writerow([_text(heading, zone) for heading in headings])).encode()
    lines = []
    for row in rows:
        lines.append(writer.writerow([_text(value, zone) for value in row]))
        if len(lines) == ROWS_PER_CHUNK:
            yield "".join(lines).encode()
            lines.clear()
    if lines:
        yield "".join(lines).encode()


# XLSX -------------------------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STATIC_PARTS = {
    "[Content_Types].xml": _XML
    + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>",
    "_rels/.rels": _XML
    + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/_rels/workbook.xml.rels": _XML
    + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>',
    # Styles: 0 plain, 1 date, 2 date and time, 3 bold (the heading row).
    "xl/styles.xml": _XML
    + f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>",
}
_EPOCH = datetime(1899, 12, 30)


def _column_letters(count: int) -> list[str]:
    letters = []
    for index in range(1, count + 1):
        name = ""
        while index:
            index, remainder = divmod(index - 1, 26)
            name = chr(65 + remainder) + name
        letters.append(name)
    return letters


def _cell(ref: str, value, zone, style: int = 0) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float, Decimal)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, datetime):
        serial = round((_local(value, zone) - _EPOCH).total_seconds()) / 86400
        return f'<c r="{ref}" s="2"><v>{serial!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="1"><v>{(value - _EPOCH.date()).days}</v></c>'
    # A raw carriage return would come back as a line feed (XML end-of-line handling).
    text = escape(neutralise(str(value)), {"\r": "&#13;"})
    style_attr = f' s="{style}"' if style else ""
    return f'<c r="{ref}" t="inlineStr"{style_attr}><is><t xml:space="preserve">{text}</t></is></c>'


class _Chunks:
    """A write-only file for zipfile: it keeps what is written until the generator takes it."""

    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def xlsx_stream(headings: list[str], rows: Iterable[list], *, title: str = "Report") -> Iterator[bytes]:
    letters = _column_letters(len(headings))
    zone = timezone.get_current_timezone()
    sheet_name = escape(re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "Report", {'"': "&quot;"})
    buffer = _Chunks()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in _STATIC_PARTS.items():
            archive.writestr(name, content)
        archive.writestr(
            "xl/workbook.xml",
            _XML + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            f'<sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            heading_cells = "".join(_cell(f"{letter}1", heading, zone, 3) for letter, heading in zip(letters, headings))
            sheet.write(
                (
                    _XML + f'<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
                    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                    f'</sheetView></sheetViews><sheetData><row r="1">{heading_cells}</row>'
                ).encode()
            )
            lines = []
            for number, row in enumerate(rows, start=2):
                cells = "".join(_cell(f"{letter}{number}", value, zone) for letter, value in zip(letters, row))
                lines.append(f'<row r="{number}">{cells}</row>')
                if len(lines) == ROWS_PER_CHUNK:
                    sheet.write("".join(lines).encode())
                    lines.clear()
                    yield buffer.take()
            sheet.write(("".join(lines) + "</sheetData></worksheet>").encode())
    yield buffer.take()


def spreadsheet_response(export_format: str, filename: str, headings: list[str], rows: Iterable[list]):
    """A streaming download of `rows` as CSV or XLSX."""
    if export_format == "xlsx":
        response = StreamingHttpResponse(xlsx_stream(headings, rows, title=filename), content_type=XLSX_CONTENT_TYPE)
    else:
        response = StreamingHttpResponse(csv_stream(headings, rows), content_type="text/csv; charset=utf-8")
        export_format = "csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export_format}"'
    return response
