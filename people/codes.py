"""Code lists of the national member data items (formats/party-statistics.md)."""

from __future__ import annotations

# 学历: detailed code → label.
EDUCATION = [
    ("11", "博士研究生"),
    ("12", "硕士研究生"),
    ("13", "硕士生班"),
    ("1A", "中央党校研究生"),
    ("1B", "省（区、市）委党校研究生"),
    ("21", "大学"),
    ("23", "大学普通班"),
    ("24", "第二学士学位班"),
    ("2A", "中央党校大学"),
    ("2B", "省委党校大学"),
    ("22", "大专"),
    ("2C", "中央党校大专"),
    ("2D", "省委党校大专"),
    ("41", "中等专科"),
    ("44", "职业高中"),
    ("47", "技工学校"),
    ("61", "普通高中"),
    ("71", "初中"),
    ("81", "小学"),
    ("9", "其他"),
]

# The six report columns and the detailed codes each one counts.
EDUCATION_COLUMNS = [
    ("POSTGRADUATE", "研究生", ("11", "12", "13", "1A", "1B")),
    ("UNDERGRADUATE", "大学本科", ("21", "23", "24", "2A", "2B")),
    ("JUNIOR_COLLEGE", "大学专科", ("22", "2C", "2D")),
    ("SECONDARY_SPECIALISED", "中专", ("41",)),
    ("HIGH_SCHOOL", "高中、中技", ("44", "47", "61")),
    ("JUNIOR_HIGH_OR_BELOW", "初中及以下", ("71", "81", "9")),
]

EDUCATION_LABEL = dict(EDUCATION)
# Accepts a label typed in a sheet (研究生, 本科, 大专 …) as well as the codes.
EDUCATION_SYNONYMS = {
    "研究生": "12",
    "博士": "11",
    "硕士": "12",
    "本科": "21",
    "大学本科": "21",
    "大学": "21",
    "专科": "22",
    "大专": "22",
    "大学专科": "22",
    "中专": "41",
    "高中": "61",
    "中技": "47",
    "初中": "71",
    "小学": "81",
}


def education_code(text: str) -> str | None:
    """The code for a typed education value (code or label), or None."""
    value = (text or "").strip()
    if value in EDUCATION_LABEL:
        return value
    for code, label in EDUCATION:
        if value == label:
            return code
    return EDUCATION_SYNONYMS.get(value)


# 工作岗位 / 职业 tree: (code, label, parent code). Leaf codes are ours.
JOB_TREE = [
    ("1", "一、在岗职工", None),
    ("11", "公有制单位", "1"),
    ("111", "党政机关工作人员", "11"),
    ("112", "事业单位管理人员", "11"),
    ("113", "事业单位专业技术人员", "11"),
    ("114", "企业管理人员", "11"),
    ("115", "企业专业技术人员", "11"),
    ("116", "工勤技能人员", "11"),
    ("12", "非公有制单位", "1"),
    ("121", "企业管理人员", "12"),
    ("122", "企业专业技术人员", "12"),
    ("123", "民办非企业单位管理人员", "12"),
    ("124", "民办非企业专业技术人员", "12"),
    ("125", "工勤技能人员", "12"),
    ("2", "二、农牧渔民", None),
    ("3", "三、军人、武警", None),
    ("4", "四、学生", None),
    ("5", "五、离退休人员", None),
    ("6", "六、其他", None),
]
JOB_LABEL = {code: label for code, label, _ in JOB_TREE}
JOB_PARENTS = {code: parent for code, _, parent in JOB_TREE}
JOB_LEAVES = [code for code, _, _ in JOB_TREE if not any(p == code for _, _, p in JOB_TREE)]


def job_path_label(code: str) -> str:
    """公有制单位 / 党政机关工作人员 — the leaf with its group, for selects."""
    parts = []
    while code:
        parts.append(JOB_LABEL[code].split("、")[-1])
        code = JOB_PARENTS[code]
    return " / ".join(reversed(parts))


JOB_CHOICES = [(code, job_path_label(code)) for code in JOB_LEAVES]

# Leaves where a 其中 sub-count applies (其中农民工 / 其中外出务工经商人员).
JOB_MIGRANT_SUBCOUNT = {"116", "125", "2"}

GENDERS = [("M", "男"), ("F", "女")]

ETHNICITIES = [
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
    "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
    "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
    "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
]  # fmt: skip
ETHNICITY_CHOICES = [(e, e) for e in ETHNICITIES] + [("其他", "其他")]
