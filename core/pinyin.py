"""BASE-04: names sort by pinyin and are searchable by full pinyin and initials."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Surnames whose reading differs from the character's common reading.
_SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha",
    "区": "ou", "乐": "yue", "盖": "ge", "覃": "qin", "繁": "po", "尉": "yu", "员": "yun", "缪": "miao",
}  # fmt: skip


@lru_cache(maxsize=65536)
def full_pinyin(name: str) -> str:
    """zhangsan — lower-case, no tones, no separators; the sort key of names."""
    name = (name or "").strip()
    if not name:
        return ""
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors=lambda s: [s.lower()])
    if name[0] in _SURNAME_READINGS:
        syllables[0] = _SURNAME_READINGS[name[0]]
    return "".join(syllables).lower().replace("ü", "v")


@lru_cache(maxsize=65536)
def initials(name: str) -> str:
    """zs for 张三."""
    name = (name or "").strip()
    if not name:
        return ""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda s: [s.lower()])
    if name[0] in _SURNAME_READINGS:
        letters[0] = _SURNAME_READINGS[name[0]][0]
    return "".join(letters).lower()
