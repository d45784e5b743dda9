"""BASE-03: official documents in GB/T 9704-2012 layout (.docx, HTML, PDF)."""

import datetime
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from core import officialdoc as od

OUTPUT = Path("/tmp/dangqun-test-output")  # outside the repo: generated files are not sources

CIRCULAR = od.OfficialDocument(
    issuer_mark="中共万州区直属机关工作委员会文件",
    doc_number="万直党工〔2026〕12号",
    title="关于2026年度区直机关基层党组织\n“三会一课”制度落实情况的通报",
    recipients="区直机关各党（工）委、党总支、党支部",
    body=[
        "为深入贯彻落实《中国共产党支部工作条例（试行）》，区直机关党工委对各基层党组织“三会一课”制度落实情况进行了督查。现将有关情况通报如下。",
        od.Heading(1, "基本情况"),
        "本次督查共抽查基层党支部46个，查阅会议记录312份。",
        od.Heading(2, "主要做法"),
        od.Heading(3, "坚持制度化规范化。"),
        od.Heading(4, "建立主题党日固定日制度。"),
        od.Heading(4, "实行组织生活督查通报制度。"),
        od.Heading(3, "坚持问题导向。"),
        od.Heading(2, "存在问题"),
        "少数党支部组织生活不够经常。",
        od.Heading(1, "下一步要求"),
        od.Heading(2, "抓好整改。"),
        "整改情况于2026年12月15日前书面报区直机关党工委组织部。",
    ],
    attachments=["2026年度组织生活督查情况统计表", "组织生活制度落实较好的党支部名单"],
    signer="中共万州区直属机关工作委员会",
    date=datetime.date(2026, 11, 23),
    note="联系人：张三，电话：58123456",
    cc="区委组织部，区纪委监委机关",
    printer_and_date=("中共万州区直属机关工作委员会办公室", datetime.date(2026, 11, 24)),
)


@pytest.fixture(scope="module")
def docx_file():
    return Document(io.BytesIO(od.render_docx(CIRCULAR)))


@pytest.fixture(scope="module")
def pdf_path():
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / "officialdoc-circular.pdf"
    path.write_bytes(od.render_pdf(CIRCULAR))
    return path


def _paragraph(document, style_role):
    return next(p for p in document.paragraphs if p.style.name == od.style_name(style_role))


def _east_asia(style):
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def _ascii(style):
    return style.element.rPr.rFonts.get(qn("w:ascii"))


# --- numbering and layout ----------------------------------------------------------


def test_base03_chinese_numerals():
    assert [od.cn_number(n) for n in (1, 9, 10, 11, 20, 21, 99)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十一",
        "九十九",
    ]
    with pytest.raises(ValueError):
        od.cn_number(100)


def test_base03_heading_numbers_restart_below_a_higher_level():
    texts = [line.text for line in od.numbered_body(CIRCULAR.body) if line.role != "body"]
    assert texts == [
        "一、基本情况",
        "（一）主要做法",
        "1.坚持制度化规范化。",
        "（1）建立主题党日固定日制度。",
        "（2）实行组织生活督查通报制度。",
        "2.坚持问题导向。",
        "（二）存在问题",
        "二、下一步要求",
        "（一）抓好整改。",
    ]


def test_base03_signature_indents():
    """Date two characters from the right, its first character two right of the signer's."""
    assert od.signature_indents("区直机关党工委", "2026年11月23日") == (4.0, 2.0)
    # A signer longer than the date keeps two characters from the right; the date moves.
    assert od.signature_indents("中共万州区直属机关工作委员会", "2026年11月23日") == (2.0, 7.0)


def test_base03_element_order():
    roles = [line.role for line in od.layout(CIRCULAR) if line.role != "blank"]
    expected = [
        "mark",
        "number",
        "title",
        "recipients",
        "body",
        "attachment",
        "signer",
        "date",
        "note",
        "cc",
        "printer",
    ]
    positions = [roles.index(role) for role in expected]
    assert positions == sorted(positions)


def test_base03_upward_document_puts_sign_off_right_and_mark_lower():
    upward = od.OfficialDocument(
        "中共万州区直属机关工作委员会",
        "万直党工〔2026〕15号",
        "关于换届选举的请示",
        "区委组织部",
        ["妥否，请批示。"],
        "区直机关党工委",
        datetime.date(2026, 11, 23),
        upward=True,
        sign_off="李四",
    )
    lines = od.layout(upward)
    number = next(line for line in lines if line.role == "number-up")
    assert (number.text, number.right_text) == ("万直党工〔2026〕15号", "签发人：李四")
    mark = next(line for line in lines if line.role == "mark")
    assert mark.space_before_pt == pytest.approx(80 * od.PT_PER_MM)
    assert "签发人：" in od.render_html(upward)


# --- .docx -------------------------------------------------------------------------


def test_base03_docx_page_geometry(docx_file):
    section = docx_file.sections[0]
    mm = Mm(1)
    assert round(section.page_width / mm) == 210 and round(section.page_height / mm) == 297
    assert round(section.top_margin / mm) == 37
    assert round(section.left_margin / mm) == 28
    assert round(section.right_margin / mm) == 26
    assert round(section.bottom_margin / mm) == 35
    block_w = (section.page_width - section.left_margin - section.right_margin) / mm
    block_h = (section.page_height - section.top_margin - section.bottom_margin) / mm
    assert block_w == pytest.approx(156, abs=0.1) and block_h == pytest.approx(225, abs=0.1)


def test_base03_docx_grid_22_lines_of_28_characters(docx_file):
    grid = docx_file.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    pitch_pt = int(grid.get(qn("w:linePitch"))) / 20
    assert pitch_pt == pytest.approx(28.95)
    assert 22 * pitch_pt <= 225 * od.PT_PER_MM < 23 * pitch_pt
    char_pt = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    assert 28 * char_pt <= 156 * od.PT_PER_MM < 29 * char_pt
    normal = docx_file.styles["Normal"]
    assert normal.font.size == Pt(16)  # the grid's pitch is measured against this size
    assert normal.paragraph_format.line_spacing == Pt(28.95)


def test_base03_docx_fonts_named_with_east_asian_slot(docx_file):
    styles = docx_file.styles
    expected = {
        "title": ("方正小标宋简体", 22),
        "body": ("仿宋_GB2312", 16),
        "h1": ("黑体", 16),
        "h2": ("楷体_GB2312", 16),
        "h3": ("仿宋_GB2312", 16),
        "h4": ("仿宋_GB2312", 16),
        "mark": ("方正小标宋简体", 36),
    }
    for role, (font, size) in expected.items():
        style = styles[od.style_name(role)]
        assert (_east_asia(style), _ascii(style), style.font.size) == (font, font, Pt(size)), role
        assert style.font.bold is False
    assert _east_asia(styles["Normal"]) == "仿宋_GB2312"
    defaults = docx_file.styles.element.find(qn("w:docDefaults"))
    used = [defaults, *(styles[od.style_name(role)].element for role in od.ROLES)]
    for element in used:
        for rfonts in element.iter(qn("w:rFonts")):
            assert not [a for a in rfonts.attrib if "heme" in a]  # a theme font would override the names


def test_base03_docx_heading_paragraphs_and_numbering_text(docx_file):
    by_style = [(p.style.name, p.text) for p in docx_file.paragraphs if p.style.name.startswith("GB h")]
    assert by_style[:4] == [
        ("GB h1", "一、基本情况"),
        ("GB h2", "（一）主要做法"),
        ("GB h3", "1.坚持制度化规范化。"),
        ("GB h4", "（1）建立主题党日固定日制度。"),
    ]
    h1 = docx_file.styles[od.style_name("h1")]
    assert h1.element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == "0"
    indent = h1.element.pPr.find(qn("w:ind"))
    assert indent.get(qn("w:firstLineChars")) == "200"  # two grid characters
    assert h1.paragraph_format.first_line_indent.pt == pytest.approx(2 * od.CHAR_PT, abs=0.05)


def test_base03_docx_issuer_mark_red_and_one_line(docx_file):
    mark = _paragraph(docx_file, "mark")
    assert mark.text == "中共万州区直属机关工作委员会文件"
    assert str(mark.style.font.color.rgb) == "FF0000"
    assert mark.runs[0].font.size.pt * 16 <= 156 * od.PT_PER_MM
    assert mark.paragraph_format.space_before.mm == pytest.approx(35, abs=0.05)


def test_base03_docx_red_rule_under_the_doc_number(docx_file):
    number = _paragraph(docx_file, "number")
    assert number.text == "万直党工〔2026〕12号"
    bottom = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:val")) == "single" and bottom.get(qn("w:color")) == "FF0000"


def test_base03_docx_title_date_and_record(docx_file):
    texts = [p.text for p in docx_file.paragraphs]
    assert _paragraph(docx_file, "title").text == "关于2026年度区直机关基层党组织\n“三会一课”制度落实情况的通报"
    assert "区直机关各党（工）委、党总支、党支部：" in texts
    assert _paragraph(docx_file, "date").text == "2026年11月23日"
    assert "（联系人：张三，电话：58123456）" in texts
    cc = _paragraph(docx_file, "cc")
    assert cc.text == "抄送：区委组织部，区纪委监委机关。"
    edges = cc._p.pPr.find(qn("w:pBdr"))
    assert int(edges.find(qn("w:top")).get(qn("w:sz"))) > int(edges.find(qn("w:bottom")).get(qn("w:sz")))
    printer = _paragraph(docx_file, "printer")
    assert printer.text == "中共万州区直属机关工作委员会办公室\t2026年11月24日印发"
    assert printer._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")) is not None


def test_base03_docx_paragraph_properties_in_schema_order(docx_file):
    """Word refuses a file whose w:pPr children are out of the schema's order."""
    section = docx_file.sections[0]
    parts = [docx_file.element, docx_file.styles.element, section.footer._element, section.even_page_footer._element]
    for part in parts:
        for ppr in part.iter(qn("w:pPr")):
            ranks = [od._PPR_ORDER.index(child.tag.split("}")[1]) for child in ppr]
            assert ranks == sorted(ranks), [child.tag for child in ppr]


def test_base03_docx_page_numbers_with_dashes(docx_file):
    assert docx_file.settings.odd_and_even_pages_header_footer
    section = docx_file.sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        instr = "".join(t.text for t in paragraph._p.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"
        assert all(run.font.size == Pt(14) for run in paragraph.runs)
        assert paragraph.alignment == od._docx_align(side)


# --- HTML and PDF --------------------------------------------------------------------


def test_base03_html_is_self_contained_and_escaped():
    page = od.render_html(
        od.OfficialDocument("机关<文件>", "号", "标题", "", ["a & b"], "署名", datetime.date(2026, 1, 2))
    )
    assert "机关&lt;文件&gt;" in page and "a &amp; b" in page
    assert "size:A4" in page and "margin:37mm 26mm 35mm 28mm" in page
    assert "http" not in page  # intranet deployments: nothing loaded from outside
    assert "2026年1月2日" in page


def test_base03_pdf_is_a_pdf(pdf_path):
    assert pdf_path.read_bytes().startswith(b"%PDF")


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")
def test_base03_pdf_embeds_a_cjk_font(pdf_path):
    fonts = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts or "GB-Title" in fonts or "Song" in fonts, fonts


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_base03_pdf_text_and_page_numbers(pdf_path):
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("中共万州区直属机关工作委员会文件", "万直党工〔2026〕12号", "一、基本情况", "2026年11月23日"):
        assert expected in text
    assert re.search(r"—\s*1\s*—", text) and re.search(r"—\s*2\s*—", text)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_base03_pdf_22_lines_of_28_characters(tmp_path):
    """A page of body text holds 22 lines; a line holds 28 characters."""
    long_doc = od.OfficialDocument(
        "机关文件", "1号", "标题", "", ["党" * 28 * 10] * 8, "署名", datetime.date(2026, 1, 2)
    )
    path = tmp_path / "long.pdf"
    path.write_bytes(od.render_pdf(long_doc))
    page2 = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [line.strip() for line in page2.splitlines() if "党" in line]
    assert len(lines) == 22
    assert max(len(line) for line in lines) == 28


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_base03_pdf_first_page_renders(pdf_path):
    from PIL import Image

    prefix = OUTPUT / "officialdoc-circular-page"
    subprocess.run(
        ["pdftoppm", "-r", "72", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf_path), str(prefix)], check=True
    )
    png = prefix.with_suffix(".png")
    assert png.exists() and png.stat().st_size > 10_000
    image = Image.open(png).convert("RGB")
    width, height = image.size
    assert height / width == pytest.approx(297 / 210, rel=0.01)
    data = image.tobytes()
    pixels = [tuple(data[i : i + 3]) for i in range(0, len(data), 3)]
    red = sum(1 for r, g, b in pixels if r > 200 and g < 80 and b < 80)
    dark = sum(1 for r, g, b in pixels if r < 100 and g < 100 and b < 100)
    assert red > 500  # issuer mark and the red rule
    assert dark > 2_000  # the body text


def test_base03_arabic_heading_levels_number_past_99():
    """BASE-03: a circular listing 120 branches under one heading numbers them all."""
    assert od.heading_number(3, 120) == "120."
    assert od.heading_number(4, 100) == "（100）"
    assert od.heading_number(1, 21) == "二十一、"
