"""The 25 steps as the pages and services see them: which fields each step records.

Step 0 is the record's basic facts (branch, transferred in, mobile, notes); steps
1–25 follow rules/recruitment.md. ``mentors``, ``sponsors``, ``evaluations`` and
``probation_evaluations`` are related rows, the rest are columns of
``Recruitment``.
"""

from __future__ import annotations

from recruitment.rules import PROCESS_ORDER, STEP_LABELS

BASIC = 0
STEP_FIELDS: dict[int, tuple[str, ...]] = {
    BASIC: ("branch", "transferred_in", "mobile_member", "notes"),
    1: ("application_on",),
    2: ("talk_on",),
    3: ("activist_on",),
    4: ("activist_filed_on",),
    5: ("mentors_assigned_on", "mentors"),
    6: ("evaluations",),
    7: ("candidate_on", "candidate_agreed_by_superior"),
    8: ("notice_start", "notice_end", "notice_in_both_places"),
    9: ("sponsors_assigned_on", "sponsors"),
    10: ("political_review_on",),
    11: ("training_start", "training_end", "training_hours"),
    12: ("committee_review_on", "planned_leave_on"),
    13: ("pre_review_on",),
    14: ("application_form_on",),
    15: (
        "general_meeting_on",
        "admission_due",
        "admission_present",
        "admission_written_in_favour",
        "admission_in_favour",
        "admission_method",
    ),  # fmt: skip
    16: ("superior_talk_on",),
    17: ("approved_on", "approving_org"),
    18: ("approval_filed_on",),
    19: ("assigned_to_branch_on",),
    20: ("oath_on", "collective_oath"),
    21: ("probation_evaluations",),
    22: ("conversion_application_on",),
    23: (
        "conversion_committee_review_on",
        "conversion_meeting_on",
        "conversion_due",
        "conversion_present",
        "conversion_written_in_favour",
        "conversion_in_favour",
        "conversion_method",
        "extension_months",
    ),  # fmt: skip
    24: ("conversion_approved_on",),
    25: ("archived_on", "archive_checklist"),
}
RELATED_KEYS = ("mentors", "sponsors", "evaluations", "probation_evaluations")

STEP_TITLES = {BASIC: "基本情况", **STEP_LABELS}

# The stage a step belongs to, for grouping the timeline.
PHASES = (
    ("入党申请", (1, 2)),
    ("入党积极分子的确定和培养教育", (3, 4, 5, 6)),
    ("发展对象的确定和考察", (8, 7, 9, 10, 11)),
    ("预备党员的接收", (12, 13, 14, 15, 16, 17, 18)),
    ("预备党员的教育考察和转正", (19, 20, 21, 22, 23, 24, 25)),
)
assert [s for _, steps in PHASES for s in steps] == list(PROCESS_ORDER)

# Steps that come after the notice (8): an unresolved objection blocks them.
AFTER_NOTICE = frozenset(PROCESS_ORDER[PROCESS_ORDER.index(8) + 1 :])
