"""Boundary tests of the party-life rules; each test names the rule it pins."""

from datetime import date

from core.findings import ERROR, MISSING, WARNING
from partylife import rules as r


def _statuses(statuses, rule):
    return [s for s in statuses if s.rule == rule]


def _branch(kind_dates, *, today, start=date(2026, 1, 1), end=date(2026, 12, 31), **kw):
    kw.setdefault("has_committee", True)
    return r.compliance(kind_dates, org_kind=r.BRANCH, period_start=start, period_end=end, today=today, **kw)


# --- periods -------------------------------------------------------------------


def test_period_labels_and_ends():
    assert r.period_of(date(2026, 5, 17), r.QUARTER).start == date(2026, 4, 1)
    assert r.period_of(date(2026, 5, 17), r.QUARTER).end == date(2026, 6, 30)
    assert r.period_of(date(2026, 2, 3), r.MONTH).end == date(2026, 2, 28)
    assert r.period_of(date(2028, 2, 3), r.MONTH).end == date(2028, 2, 29)
    assert r.period_of(date(2026, 12, 31), r.QUARTER).label == "2026年第4季度"
    assert r.period_of(date(2026, 12, 31), r.YEAR).label == "2026年度"
    assert r.period_of(date(2026, 7, 1), r.MONTH).label == "2026年7月"


def test_periods_begin_inside_the_window():
    """A period that began before the window start is not judged (obligation started mid-period)."""
    quarters = r.periods_between(date(2026, 2, 15), date(2026, 12, 31), r.QUARTER)
    assert [q.start for q in quarters] == [date(2026, 4, 1), date(2026, 7, 1), date(2026, 10, 1)]
    assert r.periods_between(date(2026, 1, 1), date(2026, 1, 1), r.YEAR)[0].end == date(2026, 12, 31)


# --- LIFE-01 -------------------------------------------------------------------


def test_life01_quarter_with_no_general_meeting_is_an_error():
    statuses = _statuses(_branch({}, today=date(2026, 4, 1)), "LIFE-01")
    q1 = statuses[0]
    assert (q1.period.start, q1.held, q1.required, q1.state) == (date(2026, 1, 1), 0, 1, r.SHORT)
    assert q1.finding.severity == ERROR
    assert q1.finding.rule == "LIFE-01"
    assert "2026年第1季度" in q1.finding.message and "支部党员大会0次" in q1.finding.message


def test_life01_quarter_with_one_general_meeting_is_met():
    statuses = _statuses(_branch({r.GENERAL_MEETING: [date(2026, 3, 31)]}, today=date(2026, 4, 1)), "LIFE-01")
    assert statuses[0].state == r.MET
    assert statuses[0].finding is None


def test_life01_quarter_not_ended_is_due_not_a_finding():
    """On the last day of the quarter it can still be held: due by that day."""
    statuses = _statuses(_branch({}, today=date(2026, 3, 31)), "LIFE-01")
    assert len(statuses) == 1
    assert statuses[0].state == r.DUE
    assert statuses[0].due_by == date(2026, 3, 31)
    assert statuses[0].finding is None
    assert statuses[0].text == "2026年第1季度 支部党员大会 0/1 次，截止2026-03-31"


def test_life01_the_day_after_the_quarter_it_becomes_a_finding():
    statuses = _statuses(_branch({}, today=date(2026, 4, 1)), "LIFE-01")
    assert [s.state for s in statuses] == [r.SHORT, r.DUE]
    assert len(r.findings_of(statuses)) == 1


def test_life01_current_period_already_met_is_met():
    statuses = _statuses(_branch({r.GENERAL_MEETING: [date(2026, 11, 2)]}, today=date(2026, 11, 23)), "LIFE-01")
    assert statuses[-1].state == r.MET and statuses[-1].due_by is None


def test_life01_meeting_dated_after_today_does_not_count():
    statuses = _statuses(_branch({r.GENERAL_MEETING: [date(2026, 3, 20)]}, today=date(2026, 3, 10)), "LIFE-01")
    assert statuses[0].held == 0 and statuses[0].state == r.DUE


# --- LIFE-02 / LIFE-03 ---------------------------------------------------------


def test_life02_applies_only_to_a_branch_with_a_committee():
    with_committee = _statuses(_branch({}, today=date(2026, 3, 1)), "LIFE-02")
    without = _statuses(_branch({}, today=date(2026, 3, 1), has_committee=False), "LIFE-02")
    assert [s.state for s in with_committee] == [r.SHORT, r.SHORT, r.DUE]
    assert without == []


def test_life02_month_not_yet_ended():
    """Today is the last day of February: January is judged, February is due."""
    statuses = _statuses(_branch({r.COMMITTEE_MEETING: [date(2026, 1, 31)]}, today=date(2026, 2, 28)), "LIFE-02")
    assert [(s.period.label, s.state) for s in statuses] == [("2026年1月", r.MET), ("2026年2月", r.DUE)]
    assert statuses[1].due_by == date(2026, 2, 28)


def test_life03_each_party_group_monthly():
    statuses = r.compliance(
        {r.GROUP_MEETING: [date(2026, 1, 5)]},
        org_kind=r.GROUP,
        has_committee=False,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        today=date(2026, 3, 5),
        subject="第一党小组",
    )
    assert {s.rule for s in statuses} == {"LIFE-03"}
    assert [s.state for s in statuses] == [r.MET, r.SHORT, r.DUE]
    assert "第一党小组党小组会0次" in statuses[1].finding.message


def test_life_frequencies_do_not_apply_to_a_general_branch():
    statuses = r.compliance(
        {},
        org_kind="GENERAL_BRANCH",
        has_committee=True,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        today=date(2027, 1, 1),
    )
    assert statuses == []


# --- LIFE-04 … LIFE-07 ---------------------------------------------------------


def test_life04_lectures_per_year_setting_boundary():
    three = [date(2026, 3, 1), date(2026, 6, 1), date(2026, 9, 1)]
    short = _statuses(_branch({r.PARTY_LECTURE: three}, today=date(2027, 1, 1)), "LIFE-04")[0]
    assert (short.held, short.required, short.state) == (3, 4, r.SHORT)
    assert short.finding.severity == WARNING
    met = _statuses(_branch({r.PARTY_LECTURE: three}, today=date(2027, 1, 1), lectures_per_year=3), "LIFE-04")
    assert met[0].state == r.MET


def test_life04_year_not_ended_is_due_by_31_december():
    status = _statuses(_branch({}, today=date(2026, 12, 31)), "LIFE-04")[0]
    assert status.state == r.DUE and status.due_by == date(2026, 12, 31)


def test_life05_theme_day_monthly():
    days = [date(2026, m, 15) for m in range(1, 12)]  # none in December
    statuses = _statuses(_branch({r.THEME_DAY: days}, today=date(2027, 1, 1)), "LIFE-05")
    assert len(statuses) == 12
    assert [s.period.label for s in statuses if s.state == r.SHORT] == ["2026年12月"]


def test_life06_and_life07_once_a_year():
    kinds = {r.LIFE_MEETING: [date(2026, 12, 20)], r.MEMBER_APPRAISAL: []}
    statuses = _branch(kinds, today=date(2027, 1, 1))
    assert _statuses(statuses, "LIFE-06")[0].state == r.MET
    appraisal = _statuses(statuses, "LIFE-07")[0]
    assert appraisal.state == r.SHORT and appraisal.finding.severity == ERROR


# --- LIFE-08 -------------------------------------------------------------------


def test_life08_each_member_at_least_once_a_year():
    statuses = r.talk_compliance(
        {"张三": [date(2025, 6, 1)], "李四": []},
        members={"张三": date(2020, 1, 1), "李四": date(2020, 1, 1)},
        period_start=date(2025, 1, 1),
        period_end=date(2026, 12, 31),
        today=date(2026, 11, 23),
    )
    by = {(s.subject, s.period.start.year): s.state for s in statuses}
    assert by == {
        ("张三", 2025): r.MET,
        ("张三", 2026): r.DUE,
        ("李四", 2025): r.SHORT,
        ("李四", 2026): r.DUE,
    }
    (finding,) = r.findings_of(statuses)
    assert finding.rule == "LIFE-08" and "支部委员会与李四谈心谈话0次" in finding.message


def test_life08_member_who_joined_mid_year_is_judged_from_the_next_year():
    statuses = r.talk_compliance(
        {},
        members={"王五": date(2025, 3, 1)},
        period_start=date(2025, 1, 1),
        period_end=date(2026, 12, 31),
        today=date(2027, 1, 1),
    )
    assert [(s.period.start.year, s.state) for s in statuses] == [(2026, r.SHORT)]


# --- LIFE-09 -------------------------------------------------------------------


def _record(**kw):
    base = dict(
        held_on=date(2026, 11, 20),
        kind=r.GENERAL_MEETING,
        topic="学习贯彻党的二十届四中全会精神",
        host="张三",
        attendance={"张三": r.PRESENT, "李四": r.EXCUSED, "王五": r.ABSENT},
        minutes="会议由张三主持……",
    )
    base.update(kw)
    return r.MeetingRecord(**base)


def test_life09_complete_record_has_no_finding():
    assert r.validate_meeting(_record(), members=["张三", "李四", "王五"], today=date(2026, 11, 23)) == []


def test_life09_incomplete_record():
    record = _record(held_on=None, kind="", topic=" ", host="", minutes="", attendance={"张三": r.PRESENT})
    found = r.validate_meeting(record, members=["张三", "李四", "王五"], today=date(2026, 11, 23))
    assert {f.rule for f in found} == {"LIFE-09"}
    assert all(f.severity == MISSING for f in found)
    messages = " ".join(f.message for f in found)
    for word in ("会议日期", "会议类型", "会议主题", "主持人", "纪要", "李四、王五"):
        assert word in messages


def test_life09_future_date_unknown_kind_and_status_are_errors():
    record = _record(held_on=date(2026, 11, 24), kind="PICNIC", attendance={"张三": "LATE"})
    found = r.validate_meeting(record, members=["张三"], today=date(2026, 11, 23))
    assert [f.severity for f in found] == [ERROR, ERROR, ERROR]
    assert r.validate_meeting(_record(held_on=date(2026, 11, 23)), members=[], today=date(2026, 11, 23)) == []


def test_life09_exactly_three_consecutive_absences_flagged():
    seqs = {"王五": [r.PRESENT, r.ABSENT, r.ABSENT, r.ABSENT], "李四": [r.ABSENT, r.ABSENT, r.PRESENT]}
    assert r.absent_streaks(seqs) == {"王五": 3}
    (finding,) = r.absent_streak_findings(seqs)
    assert finding.rule == "LIFE-09" and finding.severity == WARNING
    assert "王五连续3次无故缺席" in finding.message and "提醒谈话" in finding.message


def test_life09_two_consecutive_absences_not_flagged():
    assert r.absent_streaks({"李四": [r.ABSENT, r.ABSENT, r.PRESENT, r.ABSENT, r.ABSENT]}) == {}


def test_life09_excused_absence_breaks_a_streak():
    seq = [r.ABSENT, r.ABSENT, r.EXCUSED, r.ABSENT]
    assert r.longest_absent_streak(seq) == 2
    assert r.absent_streaks({"赵六": seq}) == {}


def test_life09_streak_threshold_is_a_parameter():
    assert r.absent_streaks({"赵六": [r.ABSENT] * 2}, threshold=2) == {"赵六": 2}


# --- heat map --------------------------------------------------------------------


def test_heat_map_matrix_fills_missing_cells_with_zero():
    counts = {
        ("一支部", date(2026, 1, 9)): 2,
        ("一支部", (2026, 3)): 1,
        ("二支部", (2026, 2)): 4,
        ("二支部", (2027, 1)): 9,
    }
    hm = r.heat_map(counts, first_month=date(2026, 1, 1), last_month=date(2026, 3, 31))
    assert hm.orgs == ("一支部", "二支部")
    assert hm.months == (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1))
    assert hm.cells == ((2, 0, 1), (0, 4, 0))
    assert hm.max_count == 4 and hm.row_totals == (3, 4)
    assert [hm.level(c) for c in (0, 1, 2, 4)] == [0, 1, 2, 4]


def test_heat_map_rows_follow_given_orgs():
    hm = r.heat_map({}, first_month=date(2026, 12, 1), last_month=date(2027, 1, 1), orgs=["三支部"])
    assert hm.cells == ((0, 0),) and hm.max_count == 0 and hm.level(0) == 0
