"""Tables as Excel workbooks (openpyxl), for every export a person opens in a spreadsheet:
dates as dates, numbers as numbers, text stored as text (a cell typed as a string is never
run as a formula, so it needs no quote, unlike CSV)."""

import io
from datetime import date

Sheet = tuple[str, list[str], list[list]]  # title, header, rows


def workbook(sheets: list[Sheet]) -> bytes:
    """The sheets, each with its header in bold and frozen, as an XLSX file."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(_sheet_title(title))
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(
                [
                    value if isinstance(value, (date, int, float)) or value is None else str(value)
                    for value in row
                ]
            )
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, str):
                    cell.data_type = "s"  # text as typed, never a formula ("=…", "+1 418…")
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    """At most 31 characters, none of those Excel refuses in a sheet's name."""
    for forbidden in "[]:*?/\\":
        title = title.replace(forbidden, " ")
    return title[:31] or "Sheet"
