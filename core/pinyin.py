"""BASE-04: names sort by pinyin and are searchable by full pinyin and initials."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Surnames whose reading differs from the character's common reading.
_SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha",
    "区": "ou", "乐": "yue", "盖": "ge", "覃": "qin", "繁": "po", "尉": "yu", "员": "yun", "缪": "miao",
}  # fmt: skip


@lru_cache(maxsize=131072)
def name_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name from one conversion: ("zhangsan", "zs") for 张三.

    Lower-case, no tones, no separators; a character without pinyin stands for itself.
    One ``lazy_pinyin`` call for both keys: it is most of the cost of a large import.
    """
    name = (name or "").strip()
    if not name:
        return "", ""
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors=lambda s: list(s.lower()))
    if name[0] in _SURNAME_READINGS:
        syllables[0] = _SURNAME_READINGS[name[0]]
    syllables = [s.lower().replace("ü", "v") for s in syllables if s]
    return "".join(syllables), "".join(s[0] for s in syllables)


def full_pinyin(name: str) -> str:
    """zhangsan — the sort key of names."""
    return name_keys(name)[0]


def initials(name: str) -> str:
    """zs for 张三."""
    return name_keys(name)[1]
