"""The 发展对象公示 as an official document (BASE-03, core.officialdoc)."""

from __future__ import annotations

from core import officialdoc
from core.dates import fmt_cn
from people import codes
from recruitment.models import PublicNotice


def document(notice: PublicNotice) -> officialdoc.OfficialDocument:
    people = list(notice.recruitments.select_related("person", "person__unit", "branch").order_by("branch__path", "pk"))
    intro = (
        f"根据《中国共产党发展党员工作细则》有关规定，经{notice.org.name}研究，"
        f"拟将以下{len(people)}名同志确定为发展对象，现予以公示。"
    )
    body: list = [intro, officialdoc.Heading(1, "公示对象基本情况")]
    for record in people:
        p = record.person
        gender = "男" if p.gender == "M" else "女"
        education = codes.EDUCATION_LABEL.get(p.education, "")
        unit = p.unit.name if p.unit_id else record.branch.name
        activist = f"，{fmt_cn(record.activist_on)}被确定为入党积极分子" if record.activist_on else ""
        application = f"，{fmt_cn(record.application_on)}递交入党申请书" if record.application_on else ""
        body.append(
            f"{p.name}，{gender}，{p.ethnicity}，{p.birth_date.year}年{p.birth_date.month}月生，{education}学历，"
            f"{unit}{(' ' + p.position) if p.position else ''}{application}{activist}。"
        )
    body.append(officialdoc.Heading(1, "公示时间"))
    body.append(
        f"{fmt_cn(notice.start_on)}至{fmt_cn(notice.end_on)}（{notice.workdays}个工作日）。"
        + ("流出地和流入地同时公示。" if notice.in_both_places else "")
    )
    body.append(officialdoc.Heading(1, "反映方式"))
    contact = notice.contact or f"{notice.org.name}"
    body.append(
        f"公示期间，党员和群众可通过来信、来电、来访等方式向{contact}反映公示对象的有关情况和问题。"
        "反映问题应实事求是，以真实姓名反映的，我们将严格保密。"
    )
    return officialdoc.OfficialDocument(
        issuer_mark=notice.org.name,
        doc_number="",
        title=notice.title,
        recipients="",
        body=body,
        signer=notice.org.name,
        date=notice.start_on,
    )


def render_html(notice: PublicNotice) -> str:
    return officialdoc.render_html(document(notice))


def render_docx(notice: PublicNotice) -> bytes:
    return officialdoc.render_docx(document(notice))
