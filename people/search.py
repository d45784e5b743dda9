"""BASE-04: finding people by name, full pinyin, initials, ID-number tail or ID number.

``name_search_q`` is the filter every list applies. ``name_search_window`` gives the
member list its pages at a million members, where the plain filter ordered by pinyin
makes PostgreSQL walk the whole pinyin index to fill one page: the searched rows are
fetched as ordered index range scans that stop after the page, and merged.
"""

from __future__ import annotations

import re
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from core import crypto
from core.idnumber import normalise
from core.pinyin import prefix_readings

_LATIN = re.compile(r"^[a-z]+$")


def _kind(text: str) -> str:
    if len(text) in (15, 18) and text[:-1].isdigit():
        return "id_number"
    if len(text) == 4 and (text.isdigit() or (text[:3].isdigit() and text[3] == "x")):
        return "id_tail"
    return "pinyin" if _LATIN.match(text) else "name"


def _clean(text: str) -> str:
    return normalise(text).lower() if text else ""


def name_search_q(text: str, prefix: str = "") -> Q:
    """A name containing the text, a full pinyin or initials starting with it, the last 4
    of the ID number, or a whole ID number."""
    text = _clean(text)
    if not text:
        return Q()
    p = prefix
    kind = _kind(text)
    if kind == "id_number":
        return Q(**{f"{p}id_number_hash": crypto.lookup_hash(text.upper())})
    if kind == "id_tail":
        return Q(**{f"{p}id_last4": text.upper()})
    if kind == "pinyin":
        return _prefix_q(f"{p}name_pinyin", text) | _prefix_q(f"{p}name_initials", text)
    return Q(**{f"{p}name__contains": text})


def _prefix_q(field: str, text: str) -> Q:
    """``field`` starts with ``text`` (letters a–z), as a range: a plain index serves it under
    any collation, since strings of a–z sort alphabetically in all of them (LIKE 'x%'
    would need a second, pattern index under any collation but C)."""
    upper = text.rstrip("z")
    if not upper:  # "z", "zz": everything from there on
        return Q(**{f"{field}__gte": text})
    upper = upper[:-1] + chr(ord(upper[-1]) + 1)  # "wang" -> "wanh", "waz" -> "wb"
    return Q(**{f"{field}__gte": text, f"{field}__lt": upper})


def name_search_window(queryset: QuerySet, search: str, prefix: str = "person__"):
    """For ``ListPage(window=...)``: a page of ``queryset`` (not yet searched) matching
    ``search`` — or None for the ID-number searches (an index finds those directly).

    Pinyin and initials: in pinyin order, exactly the pages of the plain filter.
    A name: those starting with the text first, then the others containing it, each
    in pinyin order (王 finds the 王s at once; 伟 the 王伟s and 张伟s alike).
    """
    text = _clean(search)
    kind = _kind(text) if text else ""
    if kind == "pinyin":
        return _pinyin_window(queryset, text, prefix)
    if kind == "name":
        return _name_window(queryset, text, prefix)
    return None


def _page_of(queryset: QuerySet, keys: list[tuple[str, int]]) -> list:
    ids = [pk for _, pk in keys]
    rows = {row.pk: row for row in queryset.filter(pk__in=ids)}
    return [rows[pk] for pk in ids]


def _first(queryset: QuerySet, conditions, order, count: int) -> list[tuple[str, int]]:
    """The first ``count`` (pinyin, pk) of the rows meeting any of ``conditions``: one
    ordered range scan each, merged."""
    keys = set()
    for condition in conditions:
        keys.update(queryset.filter(condition).order_by(*order).values_list(*order)[:count])
    return sorted(keys)[:count]


def _pinyin_window(queryset: QuerySet, text: str, prefix: str):
    order = (f"{prefix}name_pinyin", "pk")
    # A name whose initials start with "zs" has a pinyin starting with "z": the initials
    # branch gets that range too, so the planner may walk the "z" names in pinyin order
    # (common initials) or take the initials index and sort (rare ones), as it estimates.
    branches = (
        _prefix_q(f"{prefix}name_pinyin", text),
        _prefix_q(f"{prefix}name_initials", text) & _prefix_q(f"{prefix}name_pinyin", text[0]),
    )

    def window(offset: int, limit: int) -> list:
        return _page_of(queryset, _first(queryset, branches, order, offset + limit)[offset:])

    return window


def _name_window(queryset: QuerySet, text: str, prefix: str):
    order = (f"{prefix}name_pinyin", "pk")
    starts = Q(**{f"{prefix}name__startswith": text})
    # a name starting with 王 has a pinyin starting with a reading of 王: an ordered range
    ranges = [_prefix_q(f"{prefix}name_pinyin", r) for r in sorted(prefix_readings(text)) if _LATIN.match(r)]
    first_group = [starts & r for r in ranges]
    others = (
        Q(**{f"{prefix}name__contains": text}) & ~(starts & reduce(or_, ranges))
        if ranges
        else Q(**{f"{prefix}name__contains": text})
    )

    def window(offset: int, limit: int) -> list:
        end = offset + limit
        first = _first(queryset, first_group, order, end)
        page = first[offset:end]
        if len(first) < end:  # the whole first group is known: the page goes on into the others
            n = len(first)
            page += queryset.filter(others).order_by(*order).values_list(*order)[max(0, offset - n) : end - n]
        return _page_of(queryset, page)

    return window
