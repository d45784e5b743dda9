"""Official documents (通报, 公示, 请示) in GB/T 9704-2012 layout (base.md, BASE-03).

One plain ``OfficialDocument`` is laid out once (``layout``: the elements in the
standard's order, each with a role) and rendered three ways from that layout:
``render_docx`` (python-docx, editable), ``render_html`` (the printable page) and
``render_pdf`` (WeasyPrint from the HTML). Both renderings share the geometry: A4,
margins 37 / 26 / 35 / 28 mm (top, right, bottom, binding), a 156 × 225 mm text
block of 22 lines × 28 characters of 3号 (16 pt) type.

Fonts are named as the standard names them (仿宋_GB2312, 黑体, 楷体_GB2312,
方正小标宋简体); the .docx stores those names, including the East Asian slot, so a
government PC with the usual fonts shows them. The HTML lists fall-backs down to
the Noto CJK families that a Linux server has.
"""

from __future__ import annotations

import datetime
import html
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from core.dates import fmt_cn

# --- geometry (GB/T 9704-2012 §5.2) ----------------------------------------------
PAGE_MM = (210, 297)
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37, 35, 28, 26
BLOCK_MM = (156, 225)
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
PT_PER_MM = 72 / 25.4
BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
RECORD_PT = 14  # 4号: 版记 and page numbers
# 28.95 pt, not 225 mm / 22 = 28.99 pt: Word lays a line only if it fits whole, and
# 22 × 28.99 pt rounds to just over the block, which would leave 21 lines a page.
LINE_TWIPS = 579
LINE_PT = LINE_TWIPS / 20
# One grid character: 156 mm / 28 = 15.79 pt, a little narrower than the 16 pt type.
CHAR_PT = BLOCK_MM[0] * PT_PER_MM / CHARS_PER_LINE
MARK_MAX_PT = 36  # the issuer mark is shrunk below this to stay on one line
MARK_TOP_MM = 35  # issuer mark's top edge below the text block's top (下行文)
MARK_TOP_UPWARD_MM = 80  # … for an upward document (请示, 报告)
FOOTER_MM = 24  # footer baseline area: the dash sits about 7 mm below the text block

# --- fonts (by the names the standard and government PCs use) --------------------
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
RED = "FF0000"

# CSS fall-backs: the standard's font first, then what Windows, macOS and Linux have.
CSS_FONTS = {
    BODY_FONT: '"仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", '
    '"Noto Serif CJK SC", "Source Han Serif SC", "Noto Serif SC", serif',
    HEI_FONT: '"黑体", "SimHei", "Heiti SC", "Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", sans-serif',
    KAI_FONT: '"楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", "Noto Serif CJK SC", serif',
    # "GB Title" is an @font-face alias: 小标宋 if installed, else a *bold* CJK serif,
    # because the bold weight must not be applied to 小标宋 itself (it is already heavy).
    TITLE_FONT: '"GB Title", "方正小标宋简体", "Noto Serif CJK SC", "Source Han Serif SC", serif',
    PAGE_NUMBER_FONT: '"宋体", "SimSun", "Noto Serif CJK SC", "Source Han Serif SC", serif',
}
TITLE_FACE_SOURCES = (
    "方正小标宋简体",
    "FZXiaoBiaoSong-B05S",
    "方正小标宋_GBK",
    "Noto Serif CJK SC Bold",
    "NotoSerifCJKsc-Bold",
    "Source Han Serif SC Bold",
    "SourceHanSerifSC-Bold",
)


# --- the document ------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A structural heading; its number (一、（一）1.（1）) is added when laid out."""

    level: int  # 1..4
    text: str


Block = str | Heading  # a body paragraph or a heading


@dataclass(frozen=True)
class OfficialDocument:
    issuer_mark: str  # 发文机关标志, e.g. 中共万州区直属机关工作委员会文件
    doc_number: str  # 发文字号, e.g. 万直党工〔2026〕12号
    title: str  # 标题; "\n" breaks it where the drafter wants
    recipients: str  # 主送机关 ("" for a 公示 without one)
    body: Sequence[Block]
    signer: str  # 署名
    date: datetime.date  # 成文日期
    attachments: Sequence[str] = ()  # 附件说明: attachment names, in order
    note: str = ""  # 附注
    cc: str = ""  # 抄送, names separated by "，"
    printer_and_date: tuple[str, datetime.date] | None = None  # 印发机关和印发日期
    copy_number: str = ""  # 份号
    secrecy: str = ""  # 密级和保密期限
    urgency: str = ""  # 紧急程度
    upward: bool = False  # 上行文 (请示): mark lower, number left, 签发人 right
    sign_off: str = ""  # 签发人 (upward documents)


# --- layout: the elements in the standard's order ---------------------------------


@dataclass(frozen=True)
class Border:
    side: str  # "top" | "bottom"
    width_pt: float
    color: str = "000000"


@dataclass(frozen=True)
class Line:
    """One laid-out element; ``role`` selects its formatting in both renderers."""

    role: str
    text: str = ""
    right_text: str = ""  # text set flush right on the same line (签发人, 印发日期)
    right_chars: float = 0.0  # right indent in characters (署名, 成文日期)
    size_pt: float | None = None  # overrides the role's size (the issuer mark)
    space_before_pt: float = 0.0
    borders: tuple[Border, ...] = ()


@dataclass(frozen=True)
class Role:
    font: str
    size_pt: float = BODY_PT
    align: str = "justify"  # left | center | right | justify
    first_chars: float = 0.0  # first-line indent (negative: hanging)
    left_chars: float = 0.0
    right_chars: float = 0.0
    color: str | None = None
    grid: bool = True  # snap to the 28-character grid (only 3号 text does)
    outline: int | None = None  # heading outline level 0..3


ROLES = {
    "preamble": Role(HEI_FONT, align="left"),
    "mark": Role(TITLE_FONT, MARK_MAX_PT, "center", color=RED, grid=False),
    "number": Role(BODY_FONT, align="center"),
    "number-up": Role(BODY_FONT, align="left", left_chars=1, right_chars=1),
    "blank": Role(BODY_FONT, align="left"),
    "title": Role(TITLE_FONT, TITLE_PT, "center", grid=False),
    "recipients": Role(BODY_FONT, align="justify"),
    "body": Role(BODY_FONT, first_chars=2),
    "h1": Role(HEI_FONT, first_chars=2, outline=0),
    "h2": Role(KAI_FONT, first_chars=2, outline=1),
    "h3": Role(BODY_FONT, first_chars=2, outline=2),
    "h4": Role(BODY_FONT, first_chars=2, outline=3),
    "attachment": Role(BODY_FONT, align="left", first_chars=-3, left_chars=5),
    "attachment-more": Role(BODY_FONT, align="left", left_chars=5),
    "signer": Role(BODY_FONT, align="right"),
    "date": Role(BODY_FONT, align="right"),
    "note": Role(BODY_FONT, first_chars=2),
    "cc": Role(BODY_FONT, RECORD_PT, "left", first_chars=-3, left_chars=4, right_chars=1, grid=False),
    "printer": Role(BODY_FONT, RECORD_PT, "left", left_chars=1, right_chars=1, grid=False),
}
RECORD_ROLES = ("cc", "printer")
THICK_PT, THIN_PT = 0.35 * PT_PER_MM, 0.25 * PT_PER_MM  # 版记 rules (GB/T 9704 §7.4.1)
RED_RULE_PT = 1.5

_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 21 → 二十一 (headings run to 99 at most)."""
    if not 0 < n < 100:
        raise ValueError(f"heading number {n} out of range 1..99")
    tens, ones = divmod(n, 10)
    head = ("" if tens == 1 else _CN_DIGITS[tens]) + "十" if tens else ""
    return head + (_CN_DIGITS[ones] if ones else "")


def heading_number(level: int, n: int) -> str:
    """The standard's four levels: 一、 （一） 1. （1）. Arabic levels have no upper bound
    (a circular may list hundreds of branches); Chinese numerals run to 99."""
    if level == 1:
        return f"{cn_number(n)}、"
    if level == 2:
        return f"（{cn_number(n)}）"
    return f"{n}." if level == 3 else f"（{n}）"


def numbered_body(body: Sequence[Block]) -> list[Line]:
    """Body blocks as lines, headings numbered; a heading restarts every deeper level."""
    counters = [0, 0, 0, 0]
    lines = []
    for block in body:
        if isinstance(block, Heading):
            if not 1 <= block.level <= 4:
                raise ValueError(f"heading level {block.level} out of range 1..4")
            counters[block.level - 1] += 1
            counters[block.level :] = [0] * (4 - block.level)
            number = heading_number(block.level, counters[block.level - 1])
            lines.append(Line(f"h{block.level}", number + block.text))
        else:
            lines.append(Line("body", block))
    return lines


def text_width(text: str) -> float:
    """Width in characters: Latin letters and Arabic digits are half a character."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def signature_indents(signer: str, date_text: str) -> tuple[float, float]:
    """Right indents (in characters) of 署名 and 成文日期 for an unsealed document.

    GB/T 9704 §7.3.5.2: the date is set two characters from the right, its first
    character two to the right of the signer's first; a signer longer than that
    is itself kept two characters from the right and the date moves left instead.
    """
    signer_w, date_w = text_width(signer), text_width(date_text)
    date_right = 2.0
    signer_right = date_right + date_w + 2 - signer_w
    if signer_right < 2:
        signer_right, date_right = 2.0, signer_w - date_w
    return signer_right, date_right


def layout(doc: OfficialDocument) -> list[Line]:
    """Every element in the order of BASE-03, with the standard's blank lines."""
    lines = _head(doc)
    if doc.recipients:
        recipients = doc.recipients if doc.recipients.endswith(("：", ":")) else doc.recipients + "："
        lines += [Line("blank"), Line("recipients", recipients)]
    lines += numbered_body(doc.body)
    lines += _attachment_lines(doc.attachments)
    lines += _signature_lines(doc)
    lines += _record_lines(doc)
    return lines


def _head(doc: OfficialDocument) -> list[Line]:
    preamble = [Line("preamble", t) for t in (doc.copy_number, doc.secrecy, doc.urgency) if t]
    top_mm = MARK_TOP_UPWARD_MM if doc.upward else MARK_TOP_MM
    mark_size = min(MARK_MAX_PT, math.floor(BLOCK_MM[0] * PT_PER_MM / max(text_width(doc.issuer_mark), 1)))
    red_rule = (Border("bottom", RED_RULE_PT, RED),)
    if doc.upward:
        sign_off = f"签发人：{doc.sign_off}" if doc.sign_off else ""
        number = Line("number-up", doc.doc_number, right_text=sign_off, borders=red_rule)
    else:
        number = Line("number", doc.doc_number, borders=red_rule)
    return [
        *preamble,
        Line(
            "mark",
            doc.issuer_mark,
            size_pt=mark_size,
            space_before_pt=max(0.0, top_mm * PT_PER_MM - len(preamble) * LINE_PT),
        ),
        Line("blank"),
        Line("blank"),
        number,
        Line("blank"),
        Line("blank"),
        Line("title", doc.title),
    ]


def _attachment_lines(attachments: Sequence[str]) -> list[Line]:
    if not attachments:
        return []
    if len(attachments) == 1:
        return [Line("blank"), Line("attachment", f"附件：{attachments[0]}")]
    lines = [Line("blank"), Line("attachment", f"附件：1.{attachments[0]}")]
    lines += [Line("attachment-more", f"{i}.{name}") for i, name in enumerate(attachments[1:], start=2)]
    return lines


def _signature_lines(doc: OfficialDocument) -> list[Line]:
    date_text = fmt_cn(doc.date)
    signer_right, date_right = signature_indents(doc.signer, date_text)
    lines = [
        Line("blank"),
        Line("signer", doc.signer, right_chars=signer_right),
        Line("date", date_text, right_chars=date_right),
    ]
    if doc.note:
        note = doc.note if doc.note.startswith("（") else f"（{doc.note}）"
        lines.append(Line("note", note))
    return lines


def _record_lines(doc: OfficialDocument) -> list[Line]:
    """版记: thick rule above the first element and below the last, thin between."""
    lines = []
    if doc.cc:
        cc = doc.cc if doc.cc.endswith("。") else doc.cc + "。"
        lines.append(Line("cc", f"抄送：{cc}", borders=(Border("top", THICK_PT), Border("bottom", THIN_PT))))
    if doc.printer_and_date:
        printer, printed_on = doc.printer_and_date
        borders = (Border("bottom", THICK_PT),) if lines else (Border("top", THICK_PT), Border("bottom", THICK_PT))
        lines.append(Line("printer", printer, right_text=f"{fmt_cn(printed_on)}印发", borders=borders))
    elif lines:
        lines[-1] = Line("cc", lines[-1].text, borders=(Border("top", THICK_PT), Border("bottom", THICK_PT)))
    return [Line("blank"), *lines] if lines else []


# --- .docx -------------------------------------------------------------------------


def render_docx(doc: OfficialDocument) -> bytes:
    """The document as .docx bytes (python-docx), fonts and grid as GB/T 9704 asks."""

    document = Document()
    document.core_properties.title = doc.title.replace("\n", "")
    _docx_page(document)
    _docx_styles(document)
    for line in layout(doc):
        _docx_line(document, line)
    _docx_footers(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
    section.gutter = Mm(0)
    section.header_distance, section.footer_distance = Mm(15), Mm(FOOTER_MM)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_TWIPS))
    grid.set(qn("w:charSpace"), str(char_space()))


def char_space() -> int:
    """docGrid charSpace: grid pitch minus the 16 pt base size, in 1/4096 pt (rounded
    down so that 28 characters never overflow the 156 mm line)."""
    return math.floor((CHAR_PT - BODY_PT) * 4096)


def _docx_styles(document) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, BODY_FONT)
    rpr.find(qn("w:sz")).set(qn("w:val"), str(BODY_PT * 2))
    rpr.find(qn("w:szCs")).set(qn("w:val"), str(BODY_PT * 2))
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).remove_all("w:spacing")
    normal = document.styles["Normal"]
    _style_format(normal, ROLES["blank"])
    for role, spec in ROLES.items():
        style = document.styles.add_style(style_name(role), WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = role in ("title", "body", "h1", "h2", "h3", "h4")
        _style_format(style, spec)


def style_name(role: str) -> str:
    """The .docx paragraph style of a role, e.g. "GB h1" for level-1 headings."""
    return f"GB {role}"


def _style_format(style, spec: Role) -> None:
    font = style.font
    font.size = Pt(spec.size_pt)
    font.bold = False
    font.color.rgb = RGBColor.from_string(spec.color or "000000")
    set_fonts(style.element.get_or_add_rPr(), spec.font)
    fmt = style.paragraph_format
    fmt.alignment = _docx_align(spec.align)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.widow_control = True
    if spec.outline is not None:
        fmt.keep_with_next = True
        _ppr_child(style.element.get_or_add_pPr(), "w:outlineLvl", val=str(spec.outline))
    if not spec.grid:
        _ppr_child(style.element.get_or_add_pPr(), "w:snapToGrid", val="0")
    _set_indent(style.element.get_or_add_pPr(), spec, right_chars=spec.right_chars)


def set_fonts(rpr, name: str) -> None:
    """Name the font in every slot, East Asian included, and drop theme fonts
    (a theme attribute would override the name in Word)."""

    rfonts = rpr.get_or_add_rFonts()
    for attr in list(rfonts.attrib):
        if "heme" in attr:
            del rfonts.attrib[attr]
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{slot}"), name)
    rfonts.set(qn("w:hint"), "eastAsia")


def _docx_align(align: str):
    return {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]


# Order of w:pPr children (ECMA-376 CT_PPrBase); Word rejects a file that breaks it.
# fmt: off
_PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr", "suppressLineNumbers",
    "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
    "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
    "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl",
    "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
)
# fmt: on


def _ppr_child(ppr, tag: str, **attrs):
    """Get or insert ``tag`` in ``ppr`` at its schema position, setting w:-attributes."""

    child = ppr.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        rank = _PPR_ORDER.index(tag.split(":")[1])
        later = [qn(f"w:{t}") for t in _PPR_ORDER[rank + 1 :]]
        follower = next((c for c in ppr if c.tag in later), None)
        if follower is None:
            ppr.append(child)
        else:
            follower.addprevious(child)
    for key, value in attrs.items():
        child.set(qn(f"w:{key}"), value)
    return child


def _set_indent(ppr, spec: Role, *, right_chars: float) -> None:
    """Indents in characters (…Chars, which Word measures on the grid) and in twips
    (for readers that ignore the character attributes)."""

    char_twips = (CHAR_PT if spec.grid else spec.size_pt) * 20
    attrs = {}
    if spec.left_chars:
        attrs |= {"leftChars": f"{spec.left_chars * 100:.0f}", "left": f"{spec.left_chars * char_twips:.0f}"}
    if right_chars:
        attrs |= {"rightChars": f"{right_chars * 100:.0f}", "right": f"{right_chars * char_twips:.0f}"}
    if spec.first_chars > 0:
        attrs |= {
            "firstLineChars": f"{spec.first_chars * 100:.0f}",
            "firstLine": f"{spec.first_chars * char_twips:.0f}",
        }
    elif spec.first_chars < 0:
        hang = -spec.first_chars
        attrs |= {"hangingChars": f"{hang * 100:.0f}", "hanging": f"{hang * char_twips:.0f}"}
    if attrs:
        ind = _ppr_child(ppr, "w:ind")
        for key in list(ind.attrib):
            del ind.attrib[key]
        for key, value in attrs.items():
            ind.set(qn(f"w:{key}"), value)


def _docx_line(document, line: Line) -> None:
    spec = ROLES[line.role]
    paragraph = document.add_paragraph(style=style_name(line.role))
    ppr = paragraph._p.get_or_add_pPr()
    if line.right_chars:
        _set_indent(ppr, Role(spec.font, grid=spec.grid), right_chars=line.right_chars)
    if line.size_pt:
        paragraph.paragraph_format.line_spacing = Pt(line.size_pt * 1.25)
    if line.space_before_pt:
        paragraph.paragraph_format.space_before = Pt(line.space_before_pt)
    _docx_borders(ppr, line.borders)
    for i, part in enumerate(line.text.split("\n") if line.text else ()):
        if i:
            paragraph.runs[-1].add_break()
        run = paragraph.add_run(part)
        if line.size_pt:
            run.font.size = Pt(line.size_pt)
    if line.right_text:
        _docx_right_text(paragraph, line, spec)


def _docx_borders(ppr, borders: Sequence[Border]) -> None:
    if not borders:
        return
    pbdr = _ppr_child(ppr, "w:pBdr")
    for border in sorted(borders, key=lambda b: b.side != "top"):  # schema: top before bottom
        edge = OxmlElement(f"w:{border.side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), str(round(border.width_pt * 8)))  # eighths of a point
        edge.set(qn("w:space"), "1" if border.color == "000000" else "8")
        edge.set(qn("w:color"), border.color)
        pbdr.append(edge)


def _docx_right_text(paragraph, line: Line, spec: Role) -> None:
    """A right-aligned tab stop at the right indent, then the right-hand text."""
    # Tab positions are measured from the margin, not from the paragraph's indent.
    char_pt = CHAR_PT if spec.grid else spec.size_pt
    stop = BLOCK_MM[0] * PT_PER_MM - spec.right_chars * char_pt
    paragraph.paragraph_format.tab_stops.add_tab_stop(Pt(stop), WD_TAB_ALIGNMENT.RIGHT)
    label, _, name = line.right_text.partition("：")
    if line.role == "number-up" and name:
        # 签发人 is 仿宋, the signatory's name 楷体 (GB/T 9704 §7.2.4).
        paragraph.add_run(f"\t{label}：")
        run = paragraph.add_run(name)
        set_fonts(run._r.get_or_add_rPr(), KAI_FONT)
    else:
        paragraph.add_run(f"\t{line.right_text}")


def _docx_footers(document) -> None:
    """Page numbers "— 1 —" in 4号: odd pages right, even pages left, one character in."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    _page_number(section.footer.paragraphs[0], "right")
    _page_number(section.even_page_footer.paragraphs[0], "left")


def _page_number(paragraph, side: str) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = _docx_align(side)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(20)
    fmt.first_line_indent = Pt(0)
    if side == "right":
        fmt.right_indent = Pt(RECORD_PT)
    else:
        fmt.left_indent = Pt(RECORD_PT)
    _ppr_child(paragraph._p.get_or_add_pPr(), "w:snapToGrid", val="0")
    runs = [paragraph.add_run("— ")]
    runs += [_field_part(paragraph, part) for part in ("begin", " PAGE ", "separate", "1", "end")]
    runs.append(paragraph.add_run(" —"))
    for run in runs:
        run.font.size = Pt(RECORD_PT)
        set_fonts(run._r.get_or_add_rPr(), PAGE_NUMBER_FONT)


def _field_part(paragraph, part: str):
    """One run of a PAGE field: a field character, the instruction, or the cached result."""
    run = paragraph.add_run()
    if part in ("begin", "separate", "end"):
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), part)
        run._r.append(fld)
    elif part.strip() == "PAGE":
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = part
        run._r.append(instr)
    else:
        run.text = part
    return run


# --- HTML and PDF --------------------------------------------------------------------


def render_html(doc: OfficialDocument) -> str:
    """The printable page: self-contained HTML (no external asset) in the same layout."""
    lines = layout(doc)
    record = [_html_line(line) for line in lines if line.role in RECORD_ROLES]
    # 版记 comes last, after one blank line, which becomes the record's top margin.
    body = lines[: -len(record) - 1] if record else lines
    parts = [_html_line(line) for line in body]
    if record:
        parts.append(f'<div class="record">{"".join(record)}</div>')
    title = html.escape(doc.title.replace("\n", ""))
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{stylesheet()}</style></head>"
        f'<body><main class="gw">{"".join(parts)}</main></body></html>'
    )


def render_pdf(doc: OfficialDocument) -> bytes:
    """The document as PDF bytes (WeasyPrint; fonts through fontconfig)."""
    # Imported here: WeasyPrint loads Pango and fontconfig, which only PDF output needs.
    from weasyprint import HTML

    return HTML(string=render_html(doc)).write_pdf()


def _html_line(line: Line) -> str:
    if line.role == "blank":
        return '<p class="blank"></p>'
    styles = []
    if line.size_pt:
        styles.append(f"font-size:{line.size_pt}pt;line-height:{line.size_pt * 1.25:.2f}pt")
    if line.space_before_pt:
        styles.append(f"margin-top:{line.space_before_pt:.2f}pt")
    if line.right_chars:
        styles.append(f"padding-right:{line.right_chars * CHAR_PT:.2f}pt")
    styles += [f"border-{b.side}:{b.width_pt:.2f}pt solid #{b.color}" for b in line.borders]
    style = f' style="{";".join(styles)}"' if styles else ""
    text = "<br>".join(html.escape(part) for part in line.text.split("\n"))
    if line.right_text:
        label, _, name = line.right_text.partition("：")
        right = html.escape(line.right_text)
        if line.role == "number-up" and name:
            right = f'{html.escape(label)}：<span class="kai">{html.escape(name)}</span>'
        text = f'<span class="left">{text}</span><span class="right">{right}</span>'
    return f'<p class="{line.role}"{style}>{text}</p>'


def stylesheet() -> str:
    """CSS for the page: geometry, fonts and rules shared with the .docx."""
    title_src = ", ".join(f'local("{name}")' for name in TITLE_FACE_SOURCES)
    rules = [
        f'@font-face{{font-family:"GB Title";src:{title_src}}}',
        f"@page{{size:A4;margin:{TOP_MM}mm {RIGHT_MM}mm {BOTTOM_MM}mm {LEFT_MM}mm}}",
        _page_number_css(":right", "right"),
        _page_number_css(":left", "left"),
        f"html{{font-family:{CSS_FONTS[BODY_FONT]};font-size:{BODY_PT}pt;line-height:{LINE_PT}pt;color:#000}}",
        "body{margin:0}",
        "p{margin:0;orphans:1;widows:1}",
        # Negative letter-spacing narrows each 16 pt character to the 15.79 pt grid
        # pitch, so 28 fit on a 156 mm line as in Word.
        f".gw p{{letter-spacing:{CHAR_PT - BODY_PT - 0.005:.3f}pt}}",
        f".blank{{height:{LINE_PT}pt}}",
        ".kai{font-family:" + CSS_FONTS[KAI_FONT] + "}",
        ".number-up,.printer{display:flex;justify-content:space-between}",
        ".left,.right{flex:none;white-space:nowrap}",
        # The red rule sits about 4 mm below the number's glyphs; half the leading is below them already.
        ".number,.number-up{padding-bottom:1.7mm}",
        "@media screen{body{background:#eee}.gw{box-sizing:content-box;width:156mm;min-height:225mm;"
        f"margin:1em auto;padding:{TOP_MM}mm {RIGHT_MM}mm {BOTTOM_MM}mm {LEFT_MM}mm;background:#fff}}}}",
        # 版记 at the foot of the last page (WeasyPrint footnote area); in flow elsewhere.
        f".record{{float:footnote;margin-top:{LINE_PT}pt}}",
        ".record::footnote-call,.record::footnote-marker{content:none}",
    ]
    rules += [_role_css(role, spec) for role, spec in ROLES.items()]
    return "\n".join(rules)


def _page_number_css(page: str, side: str) -> str:
    box = f"@bottom-{side}"
    return (
        f"@page {page}{{{box}{{content:'— ' counter(page) ' —';font-family:{CSS_FONTS[PAGE_NUMBER_FONT]};"
        f"font-size:{RECORD_PT}pt;line-height:{RECORD_PT}pt;vertical-align:top;padding-top:4.5mm;"
        f"padding-{side}:{RECORD_PT}pt}}}}"
    )


def _role_css(role: str, spec: Role) -> str:
    char_pt = CHAR_PT if spec.grid else spec.size_pt
    decl = [f"font-family:{CSS_FONTS[spec.font]}", f"text-align:{spec.align}"]
    if spec.size_pt != BODY_PT or role == "mark":
        decl.append(f"font-size:{spec.size_pt}pt")
    if not spec.grid:
        decl.append("letter-spacing:0")
    if spec.color:
        decl.append(f"color:#{spec.color}")
    if spec.left_chars:
        decl.append(f"padding-left:{spec.left_chars * char_pt:.2f}pt")
    if spec.right_chars:
        decl.append(f"padding-right:{spec.right_chars * char_pt:.2f}pt")
    if spec.first_chars:
        decl.append(f"text-indent:{spec.first_chars * char_pt:.2f}pt")
    if spec.outline is not None:
        decl.append("break-after:avoid")
    # ".gw .role" outranks the grid letter-spacing of ".gw p".
    return f".gw .{role}{{{';'.join(decl)}}}"
