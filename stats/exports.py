"""The tables as .xlsx: a title row, 单位 and 截至日期, the merged header, the rows, the checks and notes."""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from stats.tables import TableResult

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center")
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
FONT = "宋体"


def sheet_title(result: TableResult) -> str:
    return f"{result.code} {result.title}"[:31]


def write_table(ws, result: TableResult) -> None:
    """One table on one worksheet (fixed layout: label, 行次, then the columns)."""
    report = result.report
    n_cols = len(result.columns) + 2
    depth = result.header_depth
    ws.cell(row=1, column=1, value=f"{result.code} {result.title}").font = Font(name=FONT, bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n_cols)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    ws.cell(row=2, column=1, value=f"单位：{report.org.name}").font = Font(name=FONT)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(1, n_cols - 3))
    ws.cell(row=2, column=max(2, n_cols - 2), value=f"截至日期：{report.on.isoformat()}").font = Font(name=FONT)
    ws.cell(row=2, column=n_cols, value=f"单位：{result.table.unit}").font = Font(name=FONT)
    top = 3
    for r in range(top, top + depth):
        for c in range(1, n_cols + 1):
            cell = ws.cell(row=r, column=c)
            cell.border, cell.alignment, cell.fill = BORDER, CENTER, HEAD_FILL
            cell.font = Font(name=FONT, bold=True)
    ws.cell(row=top, column=1, value=result.table.row_heading)
    ws.merge_cells(start_row=top, start_column=1, end_row=top + depth - 1, end_column=1)
    ws.cell(row=top, column=2, value="行次")
    ws.merge_cells(start_row=top, start_column=2, end_row=top + depth - 1, end_column=2)
    # place each header cell: track the next free column per header level
    occupied: set[tuple[int, int]] = set()
    for level, cells in enumerate(result.header_rows):
        col = 3
        r = top + level
        for h in cells:
            while (r, col) in occupied:
                col += 1
            ws.cell(row=r, column=col, value=h.label)
            if h.colspan > 1 or h.rowspan > 1:
                ws.merge_cells(start_row=r, start_column=col, end_row=r + h.rowspan - 1, end_column=col + h.colspan - 1)
            for rr in range(r, r + h.rowspan):
                for cc in range(col, col + h.colspan):
                    occupied.add((rr, cc))
            col += h.colspan
    row_index = top + depth
    for result_row in result.rows:
        label = "　" * result_row.row.level + result_row.row.label
        values: list = [label, result_row.row.number, *result_row.values]
        for c, value in enumerate(values, 1):
            cell = ws.cell(row=row_index, column=c, value=value)
            cell.border = BORDER
            cell.font = Font(name=FONT, bold=result_row.row.kind in ("total", "group"))
            cell.alignment = LEFT if c == 1 else CENTER
        row_index += 1
    row_index += 1
    for check in result.checks:
        mark = "√" if check.ok else "×"
        text = f"{mark} {check.label}" + ("" if check.ok else f"（应为 {check.expected}，实为 {check.actual}）")
        ws.cell(row=row_index, column=1, value=f"校核：{text}").font = Font(name=FONT, size=10)
        row_index += 1
    for note in result.notes:
        ws.cell(row=row_index, column=1, value=f"说明：{note}").font = Font(name=FONT, size=10)
        row_index += 1
    ws.column_dimensions["A"].width = max(18, min(40, max(len(r.row.label) + 2 * r.row.level for r in result.rows) * 2))
    ws.column_dimensions["B"].width = 6
    for c in range(3, n_cols + 1):
        ws.column_dimensions[get_column_letter(c)].width = 11
    ws.freeze_panes = ws.cell(row=top + depth, column=3)


def workbook(results: Iterable[TableResult]) -> bytes:
    """One sheet per table (the full set, or a single table)."""
    wb = Workbook()
    wb.remove(wb.active)
    for result in results:
        write_table(wb.create_sheet(sheet_title(result)), result)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
