"""BASE-03: the published circular as .docx (opened and measured) and as PDF (rendered to PNG)."""

import io
import shutil
import subprocess
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn

from core import officialdoc as od
from core.testing import TODAY
from partylife import inspection, rules, services
from partylife.tests.factories import hold

pytestmark = pytest.mark.django_db


@pytest.fixture
def circular(district):
    for month in range(1, 10):
        hold(district.secretary_a, district.branch_a, on=date(2026, month, 10), today=TODAY)
    hold(district.secretary_a, district.branch_a, kind=rules.GENERAL_MEETING, on=date(2026, 2, 10), today=TODAY)
    draft = services.circular_draft(by=district.district_admin, root=district.root, start=date(2026, 1, 1),
                                    end=date(2026, 9, 30), today=TODAY)  # fmt: skip
    return services.circular_publish(by=district.district_admin, circular=draft, today=TODAY)


def _style_fonts(style):
    fonts = style.element.rPr.rFonts
    return fonts.get(qn("w:eastAsia")), fonts.get(qn("w:ascii"))


def test_base03_circular_docx_page_margins_fonts_and_headings(circular):
    data = inspection.stored_file(circular, "docx")
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    mm = lambda length: round(length.mm, 1)  # noqa: E731 - stored in twips, read back in EMU
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)  # A4
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (37, 35)
    assert (mm(section.left_margin), mm(section.right_margin)) == (28, 26)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars" and grid.get(qn("w:linePitch")) == str(od.LINE_TWIPS)

    styles = document.styles
    assert _style_fonts(styles[od.style_name("title")]) == ("方正小标宋简体", "方正小标宋简体")
    assert _style_fonts(styles[od.style_name("body")]) == ("仿宋_GB2312", "仿宋_GB2312")
    assert _style_fonts(styles[od.style_name("h1")])[0] == "黑体"
    assert _style_fonts(styles[od.style_name("h2")])[0] == "楷体_GB2312"

    by_style = {}
    for p in document.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style[od.style_name("number")] == [circular.doc_number]
    assert by_style[od.style_name("h1")] == ["一、基本情况", "二、表扬的党组织", "三、存在的问题", "四、下一步要求"]
    assert by_style[od.style_name("h2")][0] == "（一）组织生活制度落实方面"
    body = "\n".join(by_style[od.style_name("body")])
    assert "1.区税务局支部：" in body and "LIFE-05" in body and "《中国共产党支部工作条例（试行）》" in body
    assert by_style[od.style_name("cc")] == ["抄送：区委组织部。"]
    assert by_style[od.style_name("printer")][0].endswith("2026年11月23日印发")

    number = next(p for p in document.paragraphs if p.style.name == od.style_name("number"))
    bottom = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "FF0000"  # the red separator under the document number
    mark = next(p for p in document.paragraphs if p.style.name == od.style_name("mark"))
    assert mark.text == "区直机关党工委文件"


def test_base03_circular_pdf_renders_to_png(circular, screenshot_dir):
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    pdf = inspection.stored_file(circular, "pdf")
    assert pdf.startswith(b"%PDF-")
    path = screenshot_dir / "partylife-circular.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(screenshot_dir / "partylife-circular")], check=True)
    pages = sorted(screenshot_dir.glob("partylife-circular-*.png"))
    assert pages and pages[0].stat().st_size > 10_000
