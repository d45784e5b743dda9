"""Pure rules of the 党内统计 tables (formats/party-statistics.md): periods, bands, identities.

No ORM here: dates in, dates/ranges/checks out. The table module turns the
ranges into filters so that every band is counted by the database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from core.dates import add_months, add_years


@dataclass(frozen=True)
class Period:
    """The report period of an as-of date: 1 January of its year up to the date itself."""

    on: date  # 截至日期
    year_start: date  # 本年1月1日
    previous_year_end: date  # 上年底

    @property
    def year(self) -> int:
        return self.on.year


def period_of(on: date) -> Period:
    """T01: 本年 runs from 1 January of the as-of date's year to the as-of date; 上年底 is 31 December before."""
    start = date(on.year, 1, 1)
    return Period(on=on, year_start=start, previous_year_end=start - timedelta(days=1))


def as_of_error(*, on: date, today: date, established_on: date | None, org_name: str) -> str | None:
    """A Chinese message when the as-of date cannot be reported on, else None (bad input → message, not zeros)."""
    if on > today:
        return f"截至日期 {on.isoformat()} 晚于今天（{today.isoformat()}），不能统计尚未发生的情况。"
    if established_on is not None and on < established_on:
        return f"截至日期 {on.isoformat()} 早于{org_name}的成立日期 {established_on.isoformat()}，该组织当时尚未成立。"
    return None


# --- bands ------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """A band of whole years [low, high] (high None: and above)."""

    key: str
    label: str
    low: int
    high: int | None


def born_range(on: date, band: Band) -> tuple[date | None, date | None]:
    """Birth dates (exclusive lower, inclusive upper) of people whose completed age on ``on`` lies in the band.

    age_on(b, on) >= n  ⟺  b <= on − n years (29 February clamps to 28 February
    the same way ``core.dates.age_on`` counts a birthday).
    """
    latest = add_years(on, -band.low)  # born on or before: at least ``low``
    earliest = add_years(on, -(band.high + 1)) if band.high is not None else None  # born after: at most ``high``
    return earliest, latest


def since_range(on: date, band: Band) -> tuple[date | None, date | None]:
    """Start dates (exclusive lower, inclusive upper) of a duration of whole years in the band on ``on``.

    The same arithmetic as ages: 党龄 from 转为正式党员日期 (REC-23).
    """
    return born_range(on, band)


AGE_BANDS_MEMBERS = (  # T02
    Band("age_le30", "30岁及以下", 0, 30),
    Band("age_31_35", "31至35岁", 31, 35),
    Band("age_36_40", "36至40岁", 36, 40),
    Band("age_41_45", "41至45岁", 41, 45),
    Band("age_46_50", "46至50岁", 46, 50),
    Band("age_51_55", "51至55岁", 51, 55),
    Band("age_56_60", "56至60岁", 56, 60),
    Band("age_61_65", "61至65岁", 61, 65),
    Band("age_66_70", "66至70岁", 66, 70),
    Band("age_ge71", "71岁及以上", 71, None),
)
AGE_BANDS_RECRUITS = (  # T16, T18, T19, T20
    Band("age_le25", "25岁及以下", 0, 25),
    Band("age_26_30", "26至30岁", 26, 30),
    Band("age_31_35", "31至35岁", 31, 35),
    Band("age_36_40", "36至40岁", 36, 40),
    Band("age_41_59", "41至59岁", 41, 59),
    Band("age_ge60", "60岁及以上", 60, None),
)
AGE_BANDS_LOST = (  # T43
    Band("age_le35", "35岁及以下", 0, 35),
    Band("age_36_45", "36至45岁", 36, 45),
    Band("age_46_60", "46至60岁", 46, 60),
    Band("age_ge61", "61岁及以上", 61, None),
)
PARTY_AGE_BANDS_LOST = (  # T43, 党龄 from 转为正式党员日期 (REC-23); a probationary member has none yet
    Band("pa_lt1", "1年以下", 0, 0),
    Band("pa_1_5", "1至5年", 1, 5),
    Band("pa_6_10", "6至10年", 6, 10),
    Band("pa_11_20", "11至20年", 11, 20),
    Band("pa_ge21", "21年及以上", 21, None),
)


@dataclass(frozen=True)
class LostBand:
    """T43 失联时间: [low_months, high_months) since 失去联系日期."""

    key: str
    label: str
    low_months: int
    high_months: int | None


LOST_BANDS = (
    LostBand("lost_6m_1y", "6个月以上不满1年", 6, 12),
    LostBand("lost_1_5", "1至5年", 12, 72),
    LostBand("lost_6_10", "6至10年", 72, 132),
    LostBand("lost_ge11", "11年及以上", 132, None),
)
LOST_MINIMUM_MONTHS = 6  # a member out of contact for less than six months is not yet a 失联党员


def lost_range(on: date, band: LostBand) -> tuple[date | None, date]:
    """失去联系日期 range (exclusive lower, inclusive upper) of the band on ``on``."""
    latest = add_months(on, -band.low_months)
    earliest = add_months(on, -band.high_months) if band.high_months is not None else None
    return earliest, latest


# --- 入党时间 (T03) ------------------------------------------------------------------


@dataclass(frozen=True)
class DateBand:
    key: str
    label: str
    start: date | None  # inclusive
    end: date | None  # inclusive


def admission_periods(*, split_2022: bool) -> tuple[DateBand, ...]:
    """T03 columns; the setting SPLIT_2022_PERIOD splits 2012年11月及以后 at the 20th congress."""
    bands = [
        DateBand("p_to_1937", "1937年7月6日及以前", None, date(1937, 7, 6)),
        DateBand("p_1937_1945", "1937.7.7—1945.9.2", date(1937, 7, 7), date(1945, 9, 2)),
        DateBand("p_1945_1949", "1945.9.3—1949.9", date(1945, 9, 3), date(1949, 9, 30)),
        DateBand("p_1949_1966", "1949.10—1966.4", date(1949, 10, 1), date(1966, 4, 30)),
        DateBand("p_1966_1976", "1966.5—1976.10", date(1966, 5, 1), date(1976, 10, 31)),
        DateBand("p_1976_1978", "1976.11—1978.12", date(1976, 11, 1), date(1978, 12, 31)),
        DateBand("p_1979_2002", "1979.1—2002.10", date(1979, 1, 1), date(2002, 10, 31)),
        DateBand("p_2002_2012", "2002.11—2012.10", date(2002, 11, 1), date(2012, 10, 31)),
    ]
    if split_2022:
        bands += [
            DateBand("p_2012_2022", "2012.11—2022.10", date(2012, 11, 1), date(2022, 10, 31)),
            DateBand("p_from_2022", "2022年11月及以后", date(2022, 11, 1), None),
        ]
    else:
        bands.append(DateBand("p_from_2012", "2012年11月及以后", date(2012, 11, 1), None))
    return tuple(bands)


# --- the bulletin (公报) ----------------------------------------------------------------

BULLETIN_AGE = (  # bulletin band → T02 age columns
    ("30岁及以下", ("age_le30",)),
    ("31至35岁", ("age_31_35",)),
    ("36至40岁", ("age_36_40",)),
    ("41至45岁", ("age_41_45",)),
    ("46至50岁", ("age_46_50",)),
    ("51至55岁", ("age_51_55",)),
    ("56至60岁", ("age_56_60",)),
    ("61岁及以上", ("age_61_65", "age_66_70", "age_ge71")),
)
BULLETIN_ADMISSION = (  # bulletin period → T03 columns (both settings)
    ("新中国成立前", ("p_to_1937", "p_1937_1945", "p_1945_1949")),
    ("新中国成立后至党的十一届三中全会前", ("p_1949_1966", "p_1966_1976", "p_1976_1978")),
    ("党的十一届三中全会后至党的十八大前", ("p_1979_2002", "p_2002_2012")),
    ("党的十八大以来", ("p_from_2012", "p_2012_2022", "p_from_2022")),
)
BULLETIN_JOBS = (  # bulletin occupation → leaf codes of the 职业 tree (people.codes.JOB_TREE)
    ("工人（工勤技能人员）", ("116", "125")),
    ("农牧渔民", ("2",)),
    ("企事业单位、社会组织专业技术人员", ("113", "115", "122", "124")),
    ("企事业单位、社会组织管理人员", ("112", "114", "121", "123")),
    ("党政机关工作人员", ("111",)),
    ("学生", ("4",)),
    ("其他职业人员", ("3", "6")),
    ("离退休人员", ("5",)),
)
COLLEGE_OR_ABOVE = ("POSTGRADUATE", "UNDERGRADUATE", "JUNIOR_COLLEGE")  # 大专及以上


# --- identities -------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One identity of a table, checked and shown (never hidden when it fails)."""

    label: str
    expected: int
    actual: int
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.expected == self.actual

    @property
    def difference(self) -> int:
        return self.actual - self.expected


def sum_check(label: str, total: int, parts: Sequence[int], detail: str = "") -> Check:
    """``total`` should equal the sum of ``parts``."""
    return Check(label=label, expected=total, actual=sum(parts), detail=detail)


def t01_identities(values: dict[str, int]) -> list[Check]:
    """T01: 2 = 3+5+7; 9 = 10+11+12+13; 15 = 1+2−9; 17 = 16−15 (must be 0, shown when not)."""
    v = values
    return [
        Check("第2行 本年增加 = 第3行 + 第5行 + 第7行", v["r2"], v["r3"] + v["r5"] + v["r7"]),
        Check("第9行 本年减少 = 第10行 + 第11行 + 第12行 + 第13行", v["r9"], v["r10"] + v["r11"] + v["r12"] + v["r13"]),
        Check("第15行 本年底应有数 = 第1行 + 第2行 − 第9行", v["r15"], v["r1"] + v["r2"] - v["r9"]),
        Check("第17行 实有数与应有数之差 = 0", 0, v["r17"], "实有数与应有数不一致时说明记录中有缺漏的增减事项"),
        Check("第4行 ≤ 第3行、第6行 ≤ 第5行、第8行 ≤ 第7行、第14行 ≤ 第13行", 0,
              sum(max(0, v[a] - v[b]) for a, b in (("r4", "r3"), ("r6", "r5"), ("r8", "r7"), ("r14", "r13")))),
    ]  # fmt: skip


def inverse_month_shift(lo: date, hi: date, months: int) -> tuple[date, date]:
    """The dates d with lo ≤ add_months(d, months) ≤ hi, as an inclusive (first, last) range.

    ``add_months`` clamps to the month's end, so it is monotonic but not
    invertible by subtraction alone; the ends are adjusted day by day.
    """
    shift: Callable[[date], date] = lambda d: add_months(d, months)  # noqa: E731
    first = add_months(lo, -months) - timedelta(days=3)
    while shift(first) < lo:
        first += timedelta(days=1)
    last = add_months(hi, -months) + timedelta(days=3)
    while shift(last) > hi:
        last -= timedelta(days=1)
    return first, last
