"""Excel in and out: messy sheets read leniently but strictly validated, lists written streaming.

Reading (python-calamine): the header row is the first row holding the key
column (姓名); title rows and merged cells above it are ignored; header
synonyms map to canonical columns; cells are normalised (full-width digits and
punctuation, surrounding spaces). Dates accept the forms of
formats/recruitment-ledger.md. Errors name the cell (``K7``) in Chinese.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

XLSX_MAGIC = b"PK\x03\x04"
EXCEL_EPOCH = date(1899, 12, 30)


class UploadError(ValueError):
    """The upload itself is unusable (not .xlsx, empty, too large); Chinese message."""


@dataclass(frozen=True)
class CellError:
    row: int  # sheet row number (1-based)
    column: str  # column letter, or "" when the error is about the whole row
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


def column_letter(index0: int) -> str:
    return get_column_letter(index0 + 1)


def read_upload(upload) -> bytes:
    """The bytes of an uploaded .xlsx, or UploadError with a clear Chinese message."""
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    limit = settings.MAX_UPLOAD_BYTES
    if size is not None and size > limit:
        raise UploadError(f"文件过大（{size / 1024 / 1024:.1f} MB），上传文件不能超过 {limit // 1024 // 1024} MB。")
    if not name.lower().endswith(".xlsx"):
        raise UploadError("只支持 Excel .xlsx 文件，请在 Excel 中“另存为”.xlsx 格式后再上传。")
    data = upload.read()
    if not data:
        raise UploadError("上传的文件是空的。")
    if len(data) > limit:
        raise UploadError(f"文件过大，上传文件不能超过 {limit // 1024 // 1024} MB。")
    if not data.startswith(XLSX_MAGIC):
        raise UploadError("文件内容不是有效的 .xlsx 工作簿（可能是改了扩展名的其他文件）。")
    return data


def load_sheet(data: bytes, *, preferred: str | None = None) -> list[list]:
    """Rows of the preferred sheet if present, else the first sheet."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = workbook.sheet_names
        name = preferred if preferred in names else names[0]
        return workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise UploadError("无法读取该 Excel 文件，文件可能已损坏或已加密。") from exc


_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20


def clean_text(value) -> str:
    """Cell text with full-width characters made half-width and spaces stripped."""
    if value is None:
        return ""
    if value.__class__ is str:  # most cells: skip the conversions below
        return value.strip() if value.isascii() else value.translate(_FULLWIDTH).strip()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).translate(_FULLWIDTH).strip()


def clean_header(value) -> str:
    return re.sub(r"[\s*＊]", "", clean_text(value))


def find_header(rows: Sequence[Sequence], key: str = "姓名") -> int | None:
    """Index of the first row containing the key column's header."""
    for i, row in enumerate(rows):
        if any(clean_header(c) == key for c in row):
            return i
    return None


def map_columns(header: Sequence, synonyms: dict[str, Sequence[str]]) -> tuple[dict[str, int], list[str]]:
    """Canonical column → index, and the headers nobody asked for (reported, not fatal)."""
    lookup = {}
    for canonical, names in synonyms.items():
        for n in (canonical, *names):
            lookup[n] = canonical
    found: dict[str, int] = {}
    unknown = []
    for i, cell in enumerate(header):
        text = clean_header(cell)
        if not text:
            continue
        if text in lookup and lookup[text] not in found:
            found[lookup[text]] = i
        elif text not in lookup:
            unknown.append(text)
    return found, unknown


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def parse_date(value) -> date | None:
    """A date from any accepted cell form; None for an empty cell; ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000101 <= value <= 21001231 and float(value).is_integer():
            return parse_date(str(int(value)))
        if 1 <= value < 2958466:  # Excel serial numbers up to 9999-12-31
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError
    text = clean_text(value)
    if not text:
        return None
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isdigit() and text.isascii():
        try:  # the common form first: 2019-07-01
            return date(int(text[:4]), int(text[5:7]), int(text[8:]))
        except ValueError:
            pass  # 2019-13-01 is refused below, 2019-7-01 never gets here
    text = re.sub(r"\s+\d{1,2}:\d{2}(:\d{2})?$", "", text)  # "2019-07-01 00:00:00"
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            return date(y, mo, d)  # ValueError for 2019.13.01
    raise ValueError


def parse_int(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        return int(value)
    if isinstance(value, int):
        return value
    text = clean_text(value)
    if not text:
        return None
    if not re.fullmatch(r"-?\d+(\.0+)?", text):
        raise ValueError
    return int(float(text))


def parse_number(value) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = clean_text(value)
    if not text:
        return None
    return float(text)  # ValueError for non-numbers


def split_names(value) -> list[str]:
    """Names separated by 、 , ， ; ； or spaces."""
    return [p for p in re.split(r"[、,，;；\s]+", clean_text(value)) if p]


# --- writing ----------------------------------------------------------------


def write_xlsx(
    *,
    sheet_title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    title: str | None = None,
    subtitle: str | None = None,
) -> bytes:
    """A workbook written in openpyxl's streaming mode (memory stays flat for large lists)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    from openpyxl.cell import WriteOnlyCell

    def styled(value, *, bold=False, size=11):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(name="宋体", bold=bold, size=size)
        return cell

    for i, header in enumerate(headers):
        sheet.column_dimensions[get_column_letter(i + 1)].width = max(10, min(40, len(str(header)) * 2 + 4))
    if title:
        cell = styled(title, bold=True, size=14)
        cell.alignment = Alignment(horizontal="left")
        sheet.append([cell])
    if subtitle:
        sheet.append([styled(subtitle)])
    sheet.append([styled(h, bold=True) for h in headers])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
