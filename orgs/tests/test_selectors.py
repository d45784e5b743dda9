"""The party tree with member counts: the whole tree for a district-sized scope, a window
of it (same counts) for a very large one."""

import pytest

from orgs import selectors
from people.models import PartyMember

pytestmark = pytest.mark.django_db


def _counts(nodes):
    return {node.org.name: node.count for node in nodes}


@pytest.mark.parametrize("current", [None, "committee", "branch_a", "group_a"])
def test_tree_window_shows_the_path_to_current_with_the_full_trees_counts(district, monkeypatch, current):
    PartyMember.objects.filter(pk=district.member_a.pk).update(group=district.group_a)
    at = getattr(district, current) if current else None
    full = _counts(selectors.party_tree(user=district.district_admin, current=at))

    monkeypatch.setattr(selectors, "TREE_FULL_LIMIT", 1)
    window = selectors.party_tree(user=district.district_admin, current=at)

    shown = {node.org.name for node in window}
    assert {"区直机关党工委", "区财政局机关党委", "区税务局支部"} <= shown  # the top two levels
    if current in ("branch_a", "group_a"):
        assert {"区财政局第一支部", "第一党小组"} <= shown  # the path down and its children
    elif current is None:
        assert "第一党小组" not in shown  # deeper levels wait for a click
    assert _counts(window) == {name: full[name] for name in shown}
    assert [n.is_current for n in window].count(True) == 1


def test_tree_window_lists_a_limited_number_of_children(district, monkeypatch):
    monkeypatch.setattr(selectors, "TREE_FULL_LIMIT", 1)
    monkeypatch.setattr(selectors, "TREE_WINDOW_CHILDREN", 1)
    nodes = selectors.party_tree(user=district.district_admin)
    names = [node.name for node in nodes]
    assert names[:2] == ["区直机关党工委", "区财政局机关党委"]
    assert names[2] == "……另有 1 个下级组织未列出"  # 区税务局支部
    assert nodes[2].count is None and nodes[2].depth == 1
    assert len({node.key for node in nodes}) == len(nodes)  # the browser remembers open nodes by key


@pytest.mark.parametrize("current", [None, "union_a", "union_group"])
def test_union_tree_window_has_the_full_trees_counts(district, monkeypatch, current):
    """A district of 15,000 基层工会 gets the same window as the party tree, with the
    counts the whole tree would show."""
    from core.testing import union_member, union_org
    from orgs.models import UnionOrg

    group = union_org(district.union_a, name="财政局第一工会小组", kind=UnionOrg.GROUP)
    for org, name in [(district.union_a, "甲"), (group, "乙"), (group, "丙"), (district.union_b, "丁")]:
        union_member(org, name, phone="")
    at = {"union_a": district.union_a, "union_group": group}.get(current)
    full = _counts(selectors.union_tree(user=district.district_admin, current=at))
    assert full["区直机关工会工委"] == 4 and full["区财政局工会"] == 3

    monkeypatch.setattr(selectors, "TREE_FULL_LIMIT", 1)
    window = selectors.union_tree(user=district.district_admin, current=at)
    shown = {node.org.name for node in window}
    assert {"区直机关工会工委", "区财政局工会", "区税务局工会"} <= shown
    assert ("财政局第一工会小组" in shown) == (current is not None)  # below the top: once opened
    assert _counts(window) == {name: full[name] for name in shown}
    assert [n.is_current for n in window].count(True) == 1
