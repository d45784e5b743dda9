"""From stored rows to ``rules.RecruitmentFacts``: one record, or many at a time.

``facts_of`` takes a record whose related rows are prefetched (detail pages,
services). ``FactLoader`` reads whole querysets with plain ``values_list``
queries in chunks (ledger audits, the 100,000-record benchmark): a handful of
queries per 5,000 records and no model instances.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from recruitment import rules
from recruitment.models import Evaluation, Mentor, Override, Recruitment, Sponsor

# Record columns that carry over to the facts under the same name.
PLAIN_FIELDS = (
    "transferred_in", "mobile_member", "application_on", "talk_on", "activist_on", "activist_filed_on",
    "mentors_assigned_on", "candidate_on", "candidate_agreed_by_superior", "notice_start", "notice_end",
    "notice_in_both_places", "sponsors_assigned_on", "political_review_on", "training_start", "training_end",
    "committee_review_on", "pre_review_on", "application_form_on", "planned_leave_on", "general_meeting_on",
    "superior_talk_on", "approved_on", "approval_filed_on", "assigned_to_branch_on", "oath_on", "collective_oath",
    "extension_months", "conversion_application_on", "conversion_committee_review_on", "conversion_meeting_on",
    "conversion_approved_on", "archived_on",
)  # fmt: skip
BALLOT_FIELDS = ("due", "present", "written_in_favour", "in_favour", "method")
OTHER_FIELDS = ("training_hours", "approving_org_kind", "archive_checklist")
LOADED_FIELDS = (
    "pk", "person__name", "person__birth_date", "person__party_member__full_member_on",
    *PLAIN_FIELDS, *OTHER_FIELDS,
    *(f"admission_{f}" for f in BALLOT_FIELDS), *(f"conversion_{f}" for f in BALLOT_FIELDS),
)  # fmt: skip


def ballot(values: dict, prefix: str) -> rules.BallotResult | None:
    due, present, written, yes, method = (values.get(f"{prefix}_{f}") for f in BALLOT_FIELDS)
    if due is None and present is None and yes is None and written is None and not method:
        return None
    return rules.BallotResult(
        due=due, present=present, in_favour=yes, written_in_favour=written or 0, method=method or None
    )


def build(
    values: dict,
    *,
    birth_date: date | None,
    evaluations: Iterable[date] = (),
    probation_evaluations: Iterable[date] = (),
    mentors: Iterable[rules.MemberRef] = (),
    sponsors: Iterable[rules.MemberRef] = (),
    reasons: dict[str, str] | None = None,
    recorded_full_member_on: date | None = None,
) -> rules.RecruitmentFacts:
    """The facts of one record from its column values (a dict keyed by field name)."""
    hours = values.get("training_hours")
    checklist = values.get("archive_checklist")
    return rules.RecruitmentFacts(
        birth_date=birth_date,
        **{f: values.get(f) for f in PLAIN_FIELDS if values.get(f) is not None},
        evaluations=tuple(sorted(evaluations)),
        probation_evaluations=tuple(sorted(probation_evaluations)),
        mentors=tuple(mentors),
        sponsors=tuple(sponsors),
        training_hours=float(hours) if hours is not None else None,
        approving_org_kind=values.get("approving_org_kind") or None,
        admission_ballot=ballot(values, "admission"),
        conversion_ballot=ballot(values, "conversion"),
        archive_checklist=frozenset(checklist) if checklist is not None else None,
        recorded_full_member_on=recorded_full_member_on,
        recorded_reasons=dict(reasons or {}),
    )


def facts_of(record: Recruitment) -> rules.RecruitmentFacts:
    """The facts of a record (evaluations, mentors, sponsors, overrides and the person's
    membership prefetched or fetched on demand)."""
    values = {f: getattr(record, f) for f in (*PLAIN_FIELDS, *OTHER_FIELDS)}
    for prefix in ("admission", "conversion"):
        for f in BALLOT_FIELDS:
            values[f"{prefix}_{f}"] = getattr(record, f"{prefix}_{f}")
    evaluations = list(record.evaluations.all())
    member = getattr(record.person, "party_member", None) if record.person_id else None
    return build(
        values,
        birth_date=record.person.birth_date if record.person_id else None,
        evaluations=[e.on for e in evaluations if e.kind == Evaluation.CULTIVATION],
        probation_evaluations=[e.on for e in evaluations if e.kind == Evaluation.PROBATION],
        mentors=[m.as_ref() for m in record.mentors.all()],
        sponsors=[s.as_ref() for s in record.sponsors.all()],
        reasons={o.rule: o.reason for o in record.overrides.all()},
        recorded_full_member_on=member.full_member_on if member else None,
    )


def with_related(qs: QuerySet) -> QuerySet:
    """The prefetches ``facts_of`` needs (four queries for any number of records)."""
    return qs.select_related("person", "person__party_member", "branch", "approving_org").prefetch_related(
        "evaluations", "mentors", "sponsors", "overrides"
    )


@dataclass(frozen=True)
class LoadedRecord:
    pk: int
    name: str
    facts: rules.RecruitmentFacts


class FactLoader:
    """Facts for a whole queryset, ``chunk`` records at a time (five queries per chunk).

    The related rows of a chunk are read by the chunk's id range (not a list of
    thousands of ids, which costs more to build than to run), and each record's
    facts are built straight from its row tuple.
    """

    def __init__(self, qs: QuerySet, *, chunk: int = 5000):
        self.qs = qs.order_by("pk")
        self.chunk = chunk

    def __iter__(self) -> Iterator[LoadedRecord]:
        last = 0
        while True:
            rows = list(self.qs.filter(pk__gt=last).values_list(*LOADED_FIELDS)[: self.chunk])
            if not rows:
                return
            first, last = rows[0][0], rows[-1][0]
            yield from self._build(rows, first, last)
            if len(rows) < self.chunk:
                return

    def _build(self, rows: list[tuple], first: int, last: int) -> Iterator[LoadedRecord]:
        span = {"recruitment_id__gte": first, "recruitment_id__lte": last}
        cultivation, probation = defaultdict(list), defaultdict(list)
        for rid, kind, on in Evaluation.objects.filter(**span).values_list("recruitment_id", "kind", "on"):
            (cultivation if kind == Evaluation.CULTIVATION else probation)[rid].append(on)
        mentors, sponsors = defaultdict(list), defaultdict(list)
        for model, target in ((Mentor, mentors), (Sponsor, sponsors)):
            for rid, name, full, discipline in (
                model.objects.filter(**span)
                .order_by("id")
                .values_list("recruitment_id", "name", "was_full_member", "discipline")
            ):
                target[rid].append(rules.MemberRef(name, full is not False, discipline or None))
        reasons = defaultdict(dict)
        for rid, rule, reason in Override.objects.filter(**span).values_list("recruitment_id", "rule", "reason"):
            reasons[rid][rule] = reason
        for row in rows:
            pk = row[0]
            yield LoadedRecord(
                pk,
                row[_NAME],
                _facts_from_row(
                    row,
                    evaluations=cultivation.get(pk, ()),
                    probation_evaluations=probation.get(pk, ()),
                    mentors=mentors.get(pk, ()),
                    sponsors=sponsors.get(pk, ()),
                    reasons=reasons.get(pk),
                ),
            )


_INDEX = {name: i for i, name in enumerate(LOADED_FIELDS)}
_NAME, _BIRTH, _FULL_ON = (
    _INDEX["person__name"],
    _INDEX["person__birth_date"],
    _INDEX["person__party_member__full_member_on"],
)
_PLAIN = tuple((name, _INDEX[name]) for name in PLAIN_FIELDS)
_BALLOTS = {prefix: tuple(_INDEX[f"{prefix}_{f}"] for f in BALLOT_FIELDS) for prefix in ("admission", "conversion")}
_HOURS, _KIND, _CHECKLIST = _INDEX["training_hours"], _INDEX["approving_org_kind"], _INDEX["archive_checklist"]


def _ballot_from_row(row: tuple, prefix: str) -> rules.BallotResult | None:
    due, present, written, yes, method = (row[i] for i in _BALLOTS[prefix])
    if due is None and present is None and yes is None and written is None and not method:
        return None
    return rules.BallotResult(due, present, yes, written or 0, method or None)


def _facts_from_row(row: tuple, *, evaluations, probation_evaluations, mentors, sponsors, reasons):
    """``build`` for a ``LOADED_FIELDS`` row tuple, without the intermediate dict."""
    kwargs = {name: row[i] for name, i in _PLAIN if row[i] is not None}
    hours, checklist = row[_HOURS], row[_CHECKLIST]
    return rules.RecruitmentFacts(
        birth_date=row[_BIRTH],
        evaluations=tuple(sorted(evaluations)),
        probation_evaluations=tuple(sorted(probation_evaluations)),
        mentors=tuple(mentors),
        sponsors=tuple(sponsors),
        training_hours=float(hours) if hours is not None else None,
        approving_org_kind=row[_KIND] or None,
        admission_ballot=_ballot_from_row(row, "admission"),
        conversion_ballot=_ballot_from_row(row, "conversion"),
        archive_checklist=frozenset(checklist) if checklist is not None else None,
        recorded_full_member_on=row[_FULL_ON],
        recorded_reasons=reasons or {},
        **kwargs,
    )
