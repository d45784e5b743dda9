"""An inspection run (督查) and its circular (通报) as a GB/T 9704 document.

``run`` computes, for a subtree and a period, the LIFE findings (``selectors.compliance``),
the TERM findings of the current terms (``orgs.term_rules``) and the REC findings where
the recruitment app provides them, grouped by organisation; the result is a JSON-safe
snapshot stored on the circular, so the document says what was found when it was drafted.

REC hook: if ``recruitment.selectors.inspection_findings(*, root, start, end, today)``
exists it is called and must yield ``(org_id, Finding)`` pairs; otherwise the REC part
is skipped and the snapshot says so.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from core import officialdoc as od
from core.dates import fmt_cn
from core.findings import ERROR, Finding
from core.rule_settings import value
from orgs import term_rules
from orgs.models import PartyOrg, Term
from partylife import rules, selectors
from partylife.models import Circular

SOURCES = {
    "LIFE": "《中国共产党支部工作条例（试行）》",
    "LIFE-04": "地方规定（每季度1次党课）",
    "TERM": "中办《关于党的基层组织任期的意见》",
    "REC": "《中国共产党发展党员工作细则》",
}
SECTIONS = (
    ("LIFE", "组织生活制度落实方面"),
    ("TERM", "按期换届方面"),
    ("REC", "发展党员工作方面"),
)
_FREQ = {rules.MONTH: "每月", rules.QUARTER: "每季度", rules.YEAR: "每年"}


def source_of(rule: str) -> str:
    return SOURCES.get(rule) or SOURCES.get(rule.split("-")[0], "")


def _condensed(row: selectors.ComplianceRow) -> list[dict]:
    """One line per rule: the periods that fell short, instead of one sentence each."""
    short = defaultdict(list)
    for status in row.statuses:
        if status.state == rules.SHORT:
            short[(status.rule, status.kind, status.period.freq, status.required, status.subject)].append(status)
    lines = []
    for (rule, kind, freq, required, subject), statuses in sorted(short.items(), key=lambda kv: kv[0][0]):
        periods = _compact([s.period for s in statuses])
        who = f"{subject}" if subject else ""
        severity = statuses[0].finding.severity if statuses[0].finding else ERROR
        lines.append(
            {
                "rule": rule,
                "severity": severity,
                "message": f"{who}{rules.MEETING_KIND_LABELS[kind]}{periods}未达到规定次数（应{_FREQ[freq]}至少召开{required}次）",
                "source": source_of(rule),
            }
        )
    for finding in row.extra_findings:
        lines.append(_finding_json(finding))
    return lines


def _compact(periods) -> str:
    """2026年1月、2月、3月 / 2026年第2季度、第3季度: the year once per run of the same year."""
    parts, year = [], None
    for period in periods:
        label = period.label
        if period.start.year == year and period.freq != rules.YEAR:
            label = label.removeprefix(f"{year}年")
        year = period.start.year
        parts.append(label)
    return "、".join(parts)


def _finding_json(finding: Finding) -> dict:
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "message": finding.message.rstrip("。"),
        "source": source_of(finding.rule),
    }


def _term_findings(root: PartyOrg, today: date) -> dict[int, list[dict]]:
    found = defaultdict(list)
    for term in Term.objects.filter(org__path__startswith=root.path, ended_on__isnull=True).select_related("org"):
        facts = term_rules.TermFacts(
            org_kind=term.org.kind,
            started_on=term.started_on,
            length_years=term.length_years,
            postponed_to=term.postponed_to,
            approval_note=term.approval_note,
        )
        try:
            status = term_rules.term_status(facts, today=today)
        except ValueError:
            continue
        for finding in status.findings:
            found[term.org_id].append(_finding_json(finding))
    return found


def _rec_findings(root: PartyOrg, start: date, end: date, today: date) -> dict[int, list[dict]] | None:
    try:
        from recruitment import selectors as recruitment_selectors

        provider = recruitment_selectors.inspection_findings
    except (ImportError, AttributeError):
        return None
    found = defaultdict(list)
    for org_id, finding in provider(root=root, start=start, end=end, today=today):
        found[getattr(org_id, "pk", org_id)].append(_finding_json(finding))
    return found


def run(*, root: PartyOrg, start: date, end: date, today: date) -> dict:
    """The inspection of ``root``'s subtree over ``start … end`` as a JSON-safe dict."""
    report = selectors.compliance(
        root=root, start=start, end=end, today=today, lectures_per_year=value("LECTURES_PER_YEAR")
    )
    names = {r.org.pk: _org_label(r) for r in report.rows}
    life = defaultdict(list)
    for row in report.rows:
        lines = _condensed(row)
        if lines:
            target = row.org.pk
            if row.org.kind == PartyOrg.GROUP:
                # A party group's shortfall is its branch's finding.
                parent = next((r for r in report.rows if r.org.path == row.org.path[: -PartyOrg.steplen]), None)
                target = parent.org.pk if parent else target
            life[target].extend(lines)
    terms = _term_findings(root, today)
    rec = _rec_findings(root, start, end, today)
    missing_names = set(terms) | set(rec or {})
    missing_names -= set(names)
    if missing_names:
        for pk, name, short in PartyOrg.objects.filter(pk__in=missing_names).values_list("id", "name", "short_name"):
            names[pk] = short or name
    sections = []
    for key, title in SECTIONS:
        data = {"LIFE": life, "TERM": terms, "REC": rec}[key]
        if data is None:
            continue
        orgs = [{"id": pk, "name": names.get(pk, str(pk)), "findings": data[pk]} for pk in data if data[pk]]
        orgs.sort(key=lambda o: o["name"])
        sections.append({"key": key, "title": title, "orgs": orgs})
    with_findings = {pk for section in sections for o in section["orgs"] for pk in [o["id"]]}
    praised = [
        _org_label(r)
        for r in report.branches
        if r.org.pk not in with_findings and r.meetings and (r.attendance_rate or 0) >= 0.9
    ]
    rate = report.attendance_rate
    return {
        "summary": {
            "branches": len(report.branches),
            "groups": len(report.rows) - len(report.branches),
            "meetings": report.meeting_count,
            "attendance_rate": round(rate * 100, 1) if rate is not None else None,
            "compliant": report.compliant_count,
            "with_findings": len(with_findings),
            "computed_on": today.isoformat(),
        },
        "praised": praised,
        "sections": sections,
        "skipped": [] if rec is not None else ["REC"],
    }


def _org_label(row) -> str:
    return row.org.short_name or row.org.name


def default_title(root: PartyOrg, start: date, end: date) -> str:
    period = (
        f"{start.year}年度"
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year
        else f"{fmt_cn(start)}至{fmt_cn(end)}"
    )
    return f"关于{period}{root.short_name or root.name}基层党组织“三会一课”等制度落实情况的通报"


def default_opening(root: PartyOrg, start: date, end: date) -> str:
    return (
        "为深入贯彻落实《中国共产党支部工作条例（试行）》，推动党内组织生活经常化、规范化，"
        f"{_issuer(root).short_name or _issuer(root).name}对{root.short_name or root.name}所属基层党组织"
        f"{fmt_cn(start)}至{fmt_cn(end)}“三会一课”、主题党日、组织生活会等制度落实情况进行了督查。现将有关情况通报如下。"
    )


def default_conclusions() -> str:
    return "\n".join(
        [
            "各基层党组织要对照本通报指出的问题，逐项制定整改措施，明确责任人和完成时限，认真抓好整改落实。",
            "党组织书记要切实履行第一责任人职责，严格落实“三会一课”、主题党日、组织生活会、民主评议党员和谈心谈话等制度，确保党内组织生活经常化、规范化。",
            "对连续3次以上无故不参加党内组织生活的党员，所在党支部要及时进行提醒谈话，做好教育管理工作。",
            "整改情况请于通报印发之日起30日内书面报区直机关党工委组织部。",
        ]
    )


def _issuer(org: PartyOrg) -> PartyOrg:
    return org if org.depth == 1 else PartyOrg.objects.get(path=org.path[: PartyOrg.steplen])


def document(circular: Circular) -> od.OfficialDocument:
    """The circular laid out as GB/T 9704 (BASE-03): headings 一、（一）1., 版记."""
    issuer = _issuer(circular.scope_org)
    data = circular.findings or {}
    summary = data.get("summary", {})
    body: list[od.Block] = [line for line in circular.opening.splitlines() if line.strip()]
    body.append(od.Heading(1, "基本情况"))
    rate = summary.get("attendance_rate")
    body.append(
        f"本次督查覆盖党支部{summary.get('branches', 0)}个、党小组{summary.get('groups', 0)}个。督查期间共召开组织生活会议"
        f"{summary.get('meetings', 0)}次，党员出席率{rate if rate is not None else '—'}%。"
        f"{summary.get('compliant', 0)}个党支部“三会一课”等制度落实到位，"
        f"{summary.get('with_findings', 0)}个党组织存在不同程度的问题。"
    )
    praised = data.get("praised", [])
    body.append(od.Heading(1, "表扬的党组织"))
    if praised:
        body.append(
            f"以下{len(praised)}个党支部组织生活制度落实到位、党员出席率高，予以通报表扬：{'、'.join(praised)}。"
        )
    else:
        body.append("本次督查没有符合表扬条件的党支部。")
    body.append(od.Heading(1, "存在的问题"))
    sections = [s for s in data.get("sections", []) if s.get("orgs")]
    if not sections:
        body.append("本次督查未发现问题。")
    for section in sections:
        body.append(od.Heading(2, section["title"]))
        # Numbered by hand, not as level-3 headings: a section may name more than 99 organisations.
        for i, org in enumerate(section["orgs"], 1):
            parts = [f"{f['message']}（{f['rule']}，{f['source']}）" if f.get("source") else f"{f['message']}（{f['rule']}）"
                     for f in org["findings"]]  # fmt: skip
            body.append(f"{i}.{org['name']}：{'；'.join(parts)}。")
    if "REC" in data.get("skipped", []):
        body.append("发展党员工作情况本次未纳入督查（系统中暂无发展党员记录）。")
    body.append(od.Heading(1, "下一步要求"))
    body += [line.strip() for line in circular.conclusions.splitlines() if line.strip()]
    issued = circular.issued_on or timezone.localdate()  # a draft preview is dated the day it is looked at
    root_name = circular.scope_org.short_name or circular.scope_org.name
    recipients = "区直机关各党（工）委、党总支、党支部" if circular.scope_org.depth == 1 else f"{root_name}所属各党组织"
    return od.OfficialDocument(
        issuer_mark=f"{issuer.name}文件",
        doc_number=circular.doc_number or "（发布时编号）",
        title=circular.title,
        recipients=recipients,
        body=body,
        signer=issuer.name,
        date=issued,
        cc="区委组织部",
        printer_and_date=(f"{issuer.short_name or issuer.name}办公室", issued),
    )


def files_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "partylife" / "circulars"


def store_files(circular: Circular, *, with_pdf: bool = True) -> tuple[str, str]:
    """Render and keep the published .docx (and PDF); returns their storage names.

    Without ``with_pdf`` the PDF is rendered and kept on its first download instead.
    """
    doc = document(circular)
    folder = files_root()
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{circular.number_year}-{circular.number_seq:03d}-{circular.pk}"
    (folder / f"{stem}.docx").write_bytes(od.render_docx(doc))
    if with_pdf:
        (folder / f"{stem}.pdf").write_bytes(od.render_pdf(doc))
    return f"{stem}.docx", f"{stem}.pdf"


def stored_file(circular: Circular, fmt: str) -> bytes:
    """The published file, rendered from the stored snapshot and kept if it is not there yet."""
    name = circular.docx_name if fmt == "docx" else circular.pdf_name
    path = files_root() / name
    if not path.exists():
        doc = document(circular)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(od.render_docx(doc) if fmt == "docx" else od.render_pdf(doc))
    return path.read_bytes()
