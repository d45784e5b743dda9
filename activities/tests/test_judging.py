from decimal import Decimal
from fractions import Fraction

import pytest

from activities.judging import (
    Criterion,
    awards,
    judge_total,
    panel_score,
    published,
    rank_contestants,
    score_findings,
)
from core.findings import ERROR, MISSING, WARNING

# 书画: 思想性 30%, 艺术性 50%, 创新性 20%, each marked out of 100
CALLIGRAPHY = [Criterion("idea", "思想性", 30), Criterion("art", "艺术性", 50), Criterion("new", "创新性", 20)]


def sheet(idea, art, new):
    return {"idea": idea, "art": art, "new": new}


def test_judge_total_is_the_weighted_mean_on_a_100_point_scale():
    assert judge_total(CALLIGRAPHY, sheet(80, 90, 70)) == Fraction(30 * 80 + 50 * 90 + 20 * 70, 100)  # 83
    fractional_weights = [Criterion(c.code, c.name, c.weight / 100) for c in CALLIGRAPHY]
    assert judge_total(fractional_weights, sheet(80, 90, 70)) == 83


def test_criteria_marked_out_of_their_own_maxima_add_up():
    skills = [Criterion("speed", "速度", 1, max_score=30), Criterion("accuracy", "准确", 1, max_score=70)]
    # equal weights, different maxima: 24/30 and 63/70 → 0.8 and 0.9 → 85 on the 100-point scale
    assert judge_total(skills, {"speed": 24, "accuracy": 63}) == 85


def test_judge_total_refuses_missing_marks_and_bad_weights():
    with pytest.raises(ValueError, match="“创新性”没有打分"):
        judge_total(CALLIGRAPHY, {"idea": 80, "art": 90})
    with pytest.raises(ValueError, match="权重之和须大于 0"):
        judge_total([Criterion("x", "x", 0)], {"x": 1})


def test_four_judges_are_all_averaged():
    panel = panel_score({"评委1": Fraction(90), "评委2": Fraction(80), "评委3": Fraction(70), "评委4": Fraction(95)})
    assert panel.final == Fraction(335, 4)  # 83.75
    assert panel.dropped_high is None and panel.dropped_low is None


def test_five_judges_drop_one_highest_and_one_lowest():
    totals = {"评委1": Fraction(90), "评委2": Fraction(80), "评委3": Fraction(70), "评委4": Fraction(95), "评委5": 60}
    panel = panel_score(totals)
    assert panel.final == 80  # (90 + 80 + 70) / 3
    assert (panel.dropped_high, panel.dropped_low) == ("评委4", "评委5")


def test_only_one_of_several_equal_extremes_is_dropped():
    totals = {"甲": Fraction(90), "乙": Fraction(90), "丙": Fraction(80), "丁": Fraction(70), "戊": Fraction(70)}
    panel = panel_score(totals)
    assert panel.final == Fraction(90 + 80 + 70, 3)
    assert (panel.dropped_high, panel.dropped_low) == ("甲", "丁")


def test_panel_needs_a_judge():
    with pytest.raises(ValueError, match="没有评委的评分"):
        panel_score({})


def test_published_score_rounds_half_up():
    assert published(Fraction(80245, 1000)) == Decimal("80.25")
    assert published(Fraction(2, 3) * 100) == Decimal("66.67")


def test_ranking_with_four_and_with_five_judges():
    marks = {
        "作品A": [sheet(90, 90, 90), sheet(80, 80, 80), sheet(70, 70, 70), sheet(99, 99, 99), sheet(50, 50, 50)],
        "作品B": [sheet(85, 85, 85)] * 4 + [sheet(40, 40, 40)],
    }
    judges = ["评委1", "评委2", "评委3", "评委4", "评委5"]

    five = rank_contestants(CALLIGRAPHY, {c: dict(zip(judges, m, strict=True)) for c, m in marks.items()})
    # A: drop 99 and 50 → 80.00; B: drop 85 and 40 → 85.00
    assert [(e.contestant, e.rank, e.score) for e in five] == [
        ("作品B", 1, Decimal("85.00")),
        ("作品A", 2, Decimal("80.00")),
    ]
    assert (five[1].dropped_high, five[1].dropped_low) == ("评委4", "评委5")

    four = rank_contestants(CALLIGRAPHY, {c: dict(zip(judges[:4], m, strict=False)) for c, m in marks.items()})
    # A: (90 + 80 + 70 + 99) / 4 = 84.75; B: 85
    assert [(e.contestant, e.score) for e in four] == [("作品B", Decimal("85.00")), ("作品A", Decimal("84.75"))]
    assert four[0].dropped_high is None


def test_equal_published_scores_share_a_rank():
    sheets = {
        "甲": {"评委1": sheet(85.1, 85.1, 85.1), "评委2": sheet(85.3, 85.3, 85.3)},
        "乙": {"评委1": sheet(90, 90, 90), "评委2": sheet(90, 90, 90)},
        "丙": {"评委1": sheet(85.2, 85.2, 85.2), "评委2": sheet(85.2, 85.2, 85.2)},
        "丁": {"评委1": sheet(80, 80, 80), "评委2": sheet(80, 80, 80)},
    }
    ranked = rank_contestants(CALLIGRAPHY, sheets)
    assert [(e.contestant, e.rank) for e in ranked] == [("乙", 1), ("甲", 2), ("丙", 2), ("丁", 4)]


def test_score_findings():
    sheets = {
        "作品A": {"评委1": sheet(80, 101, 70), "评委2": {"idea": 80, "art": 90}},
        "作品B": {"评委1": sheet(80, 90, -1)},
    }
    findings = score_findings(CALLIGRAPHY, sheets, judges=["评委1", "评委2"])
    assert [(f.rule, f.severity, f.message) for f in findings] == [
        ("ACT-05", ERROR, "评委 评委1 给 作品A 的“艺术性”打了 101 分，超出 0 至 100 分的范围。"),
        ("ACT-06", MISSING, "评委 评委2 尚未给 作品A 的“创新性”打分。"),
        ("ACT-05", ERROR, "评委 评委1 给 作品B 的“创新性”打了 -1 分，超出 0 至 100 分的范围。"),
        ("ACT-06", MISSING, "评委 评委2 尚未给 作品B 打分。"),
    ]


def test_complete_sheets_have_no_findings():
    sheets = {"作品A": {"评委1": sheet(80, 100, 0)}}
    assert score_findings(CALLIGRAPHY, sheets, judges=["评委1"]) == []


def ranked_with_scores(*scores):
    sheets = {f"C{i}": {"评委1": sheet(s, s, s)} for i, s in enumerate(scores, start=1)}
    return rank_contestants(CALLIGRAPHY, sheets)


def test_awards_by_quota():
    ranked = ranked_with_scores(95, 90, 88, 85, 80, 75, 70)
    result, findings = awards(ranked, quotas=(1, 2, 3))
    assert result == {
        "C1": "一等奖",
        "C2": "二等奖",
        "C3": "二等奖",
        "C4": "三等奖",
        "C5": "三等奖",
        "C6": "三等奖",
        "C7": None,
    }
    assert findings == []


def test_a_tie_across_a_boundary_takes_the_higher_award_and_shrinks_the_next():
    ranked = ranked_with_scores(95, 90, 90, 90, 80, 75)
    result, findings = awards(ranked, quotas=(1, 2, 2))
    # C2..C4 share rank 2 ≤ 3: all 二等奖; rank 5 ≤ 5: 三等奖; only one 三等奖 remains
    assert [result[f"C{i}"] for i in range(1, 7)] == ["一等奖", "二等奖", "二等奖", "二等奖", "三等奖", None]
    assert findings == []


def test_a_tie_at_the_last_place_is_flagged():
    ranked = ranked_with_scores(95, 90, 85, 85, 70)
    result, findings = awards(ranked, quotas=(1, 1, 1))
    assert [result[f"C{i}"] for i in range(1, 6)] == ["一等奖", "二等奖", "三等奖", "三等奖", None]
    (finding,) = findings
    assert (finding.rule, finding.severity) == ("ACT-07", WARNING)
    assert finding.message == "末位并列，获奖数 4 超出名额 3（多 1 个），请评委会确定。"


def test_awards_settings_are_checked():
    ranked = ranked_with_scores(95)
    with pytest.raises(ValueError, match="奖项名称"):
        awards(ranked, quotas=(1, 1, 1, 1))
    with pytest.raises(ValueError, match="不能为负数"):
        awards(ranked, quotas=(1, -1))
    result, _ = awards(ranked, quotas=(0, 0, 3), names=("特等奖", "一等奖", "优秀奖"))
    assert result == {"C1": "优秀奖"}
