"""BASE-04: the pinyin keys of names (sort, full-pinyin search, initials search)."""

from hypothesis import given
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from core.pinyin import _SURNAME_READINGS, full_pinyin, initials, name_keys

# Characters of real names, heteronyms (长 行 乐 重 朝 和 华 …) and phrase-forming pairs included.
NAME_CHARS = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单解仇朴查区长行乐重朝和华安平国明小红军伟芳娜秀英敏静丽强磊洋艳勇杰娟涛超霞刚桂兰春银"


def phrase_reading(name: str) -> tuple[str, str]:
    """The reference: pypinyin's phrase segmentation of the whole name, surname rule applied."""
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors=lambda s: list(s.lower()))
    if name[0] in _SURNAME_READINGS:
        syllables[0] = _SURNAME_READINGS[name[0]]
    syllables = [s.lower().replace("ü", "v") for s in syllables if s]
    return "".join(syllables), "".join(s[0] for s in syllables)


def test_name_keys_of_common_and_special_names():
    """BASE-04"""
    assert name_keys("张三") == ("zhangsan", "zs")
    assert name_keys("吕小绿") == ("lvxiaolv", "lxl")
    assert name_keys("单雄信") == ("shanxiongxin", "sxx")  # surname reading
    assert name_keys("曾国藩") == ("zengguofan", "zgf")
    assert name_keys("李长安") == ("lichangan", "lca")  # heteronym read from its phrase
    assert name_keys("欧阳娜娜") == ("ouyangnana", "oynn")
    assert (full_pinyin(" 王小明 "), initials("王小明")) == ("wangxiaoming", "wxm")
    assert name_keys("") == ("", "")


@given(st.text(alphabet=NAME_CHARS, min_size=2, max_size=4))
def test_fast_reading_equals_the_phrase_reading(name):
    """BASE-04: the per-character fast path gives exactly pypinyin's phrase reading."""
    assert name_keys(name) == phrase_reading(name)
