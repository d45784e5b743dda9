"""BASE-04: names sort by pinyin and are searchable by full pinyin and initials."""

from __future__ import annotations

from functools import cache, lru_cache
from itertools import product

from pypinyin import Style, lazy_pinyin, pinyin
from pypinyin.phrases_dict import phrases_dict as PHRASES_DICT

# Surnames whose reading differs from the character's common reading.
_SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha",
    "区": "ou", "乐": "yue", "盖": "ge", "覃": "qin", "繁": "po", "尉": "yu", "员": "yun", "缪": "miao",
}  # fmt: skip


def _has_phrase(name: str) -> bool:
    n = len(name)
    return any(name[i:j] in PHRASES_DICT for i in range(n - 1) for j in range(i + 2, n + 1))


@cache
def _reading(char: str) -> str:
    """The common reading of one character; a character without pinyin stands for itself."""
    syllables = lazy_pinyin(char, style=Style.NORMAL, errors=lambda s: [s.lower()])
    return (syllables[0] if syllables else char).lower().replace("ü", "v")


@lru_cache(maxsize=131072)
def name_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name: ("zhangsan", "zs") for 张三.

    Lower-case, no tones, no separators; surnames with their own reading (单 shan,
    曾 zeng …) read so. A name containing a word of pypinyin's phrase dictionary
    goes through its segmentation, which reads a heteronym from its neighbours
    (李长安 lichangan); any other name reads character by character, each with
    its common reading, from a cache — the same result, and what makes a
    100,000-row import fast.
    """
    name = (name or "").strip()
    if not name:
        return "", ""
    if _has_phrase(name):
        syllables = [
            s.lower().replace("ü", "v") for s in lazy_pinyin(name, style=Style.NORMAL, errors=lambda s: list(s.lower()))
        ]
    else:
        syllables = [_reading(c) for c in name]
    if name[0] in _SURNAME_READINGS:
        syllables[0] = _SURNAME_READINGS[name[0]]
    return "".join(syllables), "".join(s[0] for s in syllables if s)


def full_pinyin(name: str) -> str:
    """zhangsan — the sort key of names."""
    return name_keys(name)[0]


def initials(name: str) -> str:
    """zs for 张三."""
    return name_keys(name)[1]


def prefix_readings(text: str, chars: int = 2) -> frozenset[str]:
    """Every pinyin that a name starting with ``text`` may start with, as ``name_keys``
    writes it: each reading of its first ``chars`` characters (heteronyms, the surname
    readings) combined — 单 → dan, chan, shan; 长安 → zhangan, changan."""
    readings = []
    for i, char in enumerate(text[:chars]):
        options = {r.lower().replace("ü", "v") for r in pinyin(char, style=Style.NORMAL, heteronym=True,
                                                                errors=lambda s: [s.lower()])[0]}  # fmt: skip
        options.add(_reading(char))
        if i == 0 and char in _SURNAME_READINGS:
            options.add(_SURNAME_READINGS[char])
        readings.append(sorted(options))
    return frozenset("".join(combo) for combo in product(*readings))
