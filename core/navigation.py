"""The left menu: areas, their pages, and which roles see each page.

The menu only hides what a role has no use for; it is not a permission check.
Every view still authorises through its policy. An item whose URL name does not
resolve (its app is not built or not installed) is left out silently, so the
menu can name pages before they exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from accounts.models import Grant

DISTRICT_ADMIN = Grant.DISTRICT_ADMIN
PARTY_ADMIN = Grant.PARTY_ADMIN
UNION_ADMIN = Grant.UNION_ADMIN
CORRESPONDENT = Grant.CORRESPONDENT
DISCIPLINE = Grant.DISCIPLINE
MEMBER = Grant.MEMBER

EVERYONE = frozenset({DISTRICT_ADMIN, PARTY_ADMIN, UNION_ADMIN, CORRESPONDENT, DISCIPLINE, MEMBER})
PARTY_READERS = frozenset({DISTRICT_ADMIN, PARTY_ADMIN, DISCIPLINE})
PARTY_WRITERS = frozenset({DISTRICT_ADMIN, PARTY_ADMIN})
UNION_STAFF = frozenset({DISTRICT_ADMIN, UNION_ADMIN})
ADMINS = frozenset({DISTRICT_ADMIN, PARTY_ADMIN, UNION_ADMIN})


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str  # a bootstrap-icons name without the "bi-" prefix
    roles: frozenset[str] | None = None  # None: every signed-in user, with or without a grant
    district_level: bool = False  # only for the 工委 and 工会工委 administrators (Scope.is_district_level)


@dataclass(frozen=True)
class NavGroup:
    key: str  # stable id, used to remember the open/closed state in the browser
    label: str
    icon: str
    items: tuple[NavItem, ...]


MENU: tuple[NavGroup, ...] = (
    NavGroup("home", "首页", "house", (NavItem("首页", "core:home", "house"),)),
    NavGroup(
        "orgs",
        "组织管理",
        "diagram-3",
        (
            NavItem("组织架构", "orgs:tree", "diagram-3", PARTY_READERS | UNION_STAFF),
            NavItem("单位", "orgs:unit_list", "building", ADMINS),
            NavItem("换届台账", "orgs:term_ledger", "calendar2-range", PARTY_READERS),
        ),
    ),
    NavGroup(
        "people",
        "党员管理",
        "people",
        (
            NavItem("党员名册", "people:member_list", "person-lines-fill", PARTY_READERS),
            NavItem("导入党员", "people:member_import", "upload", PARTY_WRITERS),
            NavItem("会员名册", "people:union_member_list", "person-vcard", UNION_STAFF),
            NavItem("我的信息", "people:me", "person-circle", EVERYONE),
        ),
    ),
    NavGroup(
        "recruitment",
        "发展党员",
        "flag",
        (
            NavItem("发展党员名册", "recruitment:ledger", "journal-text", PARTY_READERS),
            NavItem("入党积极分子培养台账", "recruitment:activist_ledger", "journal-bookmark", PARTY_READERS),
            NavItem("新党员发展台账", "recruitment:candidate_ledger", "journal-plus", PARTY_READERS),
            NavItem("预备党员转正台账", "recruitment:conversion_ledger", "journal-check", PARTY_READERS),
            NavItem("发展对象公示", "recruitment:notice_list", "megaphone", PARTY_READERS),
            NavItem("票决", "ballots:list", "check2-square", PARTY_READERS),
            NavItem("台账导入与核查", "recruitment:import", "upload", PARTY_WRITERS),
            NavItem("全区发展党员统计", "recruitment:pipeline", "bar-chart-steps", frozenset({DISTRICT_ADMIN})),
        ),
    ),
    NavGroup(
        "partylife",
        "组织生活",
        "calendar-check",
        (
            NavItem("三会一课", "partylife:meeting_list", "calendar-event", PARTY_READERS),
            NavItem("组织生活日历", "partylife:calendar", "calendar3", PARTY_READERS),
            NavItem("组织生活落实情况", "partylife:compliance", "clipboard-check", PARTY_READERS),
            NavItem("督查通报", "partylife:circular_list", "megaphone", PARTY_READERS),
            NavItem("通知公告", "partylife:notice_board", "bell", PARTY_READERS),
            NavItem("谈话记录", "talks:talk_list", "chat-square-text", PARTY_READERS),
            NavItem("我的组织生活", "partylife:my_meetings", "person-check", EVERYONE),
        ),
    ),
    NavGroup(
        "stats",
        "统计分析",
        "bar-chart",
        (
            NavItem("统计概览", "stats:index", "bar-chart", PARTY_READERS),
            NavItem("党内统计报表", "stats:table_list", "table", PARTY_READERS),
            NavItem("党内统计公报", "stats:bulletin", "newspaper", PARTY_READERS),
        ),
    ),
    NavGroup(
        "union",
        "工会工作",
        "briefcase",
        (
            NavItem("工会工作", "union:index", "briefcase", UNION_STAFF),
            NavItem("会员管理", "union:member_list", "person-vcard", UNION_STAFF),
            NavItem("困难职工帮扶", "union:case_list", "heart", UNION_STAFF),
            NavItem("慰问福利", "union:grant_list", "gift", UNION_STAFF),
            NavItem("职工代表大会", "union:session_list", "people", UNION_STAFF),
            NavItem("政务公开", "union:disclosure_list", "megaphone", UNION_STAFF),
            NavItem("职工之家", "union:round_list", "house-heart", UNION_STAFF),
            NavItem("党费会费", "dues:roll", "cash-coin", ADMINS | {DISCIPLINE}),
            NavItem("党费会费计算器", "dues:calculator", "calculator", EVERYONE),
            NavItem("我的工会", "union:me", "person-badge", frozenset({MEMBER})),
            NavItem("我的党费会费", "dues:mine", "wallet2", frozenset({MEMBER})),
        ),
    ),
    NavGroup(
        "activities",
        "文体活动",
        "trophy",
        (
            NavItem("活动列表", "activities:activity_list", "calendar2-week", ADMINS),
            NavItem("我的活动", "activities:my", "person-check", EVERYONE),
            NavItem("比赛", "activities:competition_list", "trophy", EVERYONE),
            NavItem("知识竞赛", "activities:quiz_list", "patch-question", EVERYONE),
            NavItem("题库", "activities:question_list", "journal-text", ADMINS),
            NavItem("培训学时", "activities:training_hours", "mortarboard", EVERYONE),
            NavItem("工间操", "activities:exercise", "person-arms-up", EVERYONE),
            NavItem("工间操统计", "activities:exercise_stats", "graph-up", ADMINS),
            NavItem("活动结构", "activities:balance", "pie-chart", UNION_STAFF),
        ),
    ),
    NavGroup(
        "system",
        "系统管理",
        "gear",
        (
            NavItem("修改记录", "core:audit_log", "clock-history", UNION_STAFF, district_level=True),
            NavItem("规则设置", "core:settings", "sliders", frozenset({DISTRICT_ADMIN})),
            NavItem("节假日安排", "core:calendar", "calendar3", frozenset({DISTRICT_ADMIN})),
        ),
    ),
)


@dataclass
class MenuLink:
    label: str
    url: str
    icon: str
    url_name: str
    active: bool = False


@dataclass
class MenuGroup:
    key: str
    label: str
    icon: str
    links: list[MenuLink] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return any(link.active for link in self.links)

    @property
    def single(self) -> MenuLink | None:
        """The one link of a group that is just a page (首页, 统计分析), shown without a heading."""
        if len(self.links) == 1 and self.links[0].label == self.label:
            return self.links[0]
        return None


def _reverse(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def menu_for(
    role: str | None, *, view_name: str = "", path: str = "", active: str = "", district_level: bool = False
) -> list[MenuGroup]:
    """The groups and links ``role`` sees (``None``: signed in without a grant);
    ``district_level``: the user acts for the 工委 or the 工会工委.

    The current link is the one named ``active`` (a view may set it), else the
    one whose URL name is the resolved ``view_name``, else the link with the
    longest URL that ``path`` starts with (so an edit page lights up its list).
    """
    groups: list[MenuGroup] = []
    for group in MENU:
        links = []
        for item in group.items:
            if item.roles is not None and role not in item.roles:
                continue
            if item.district_level and not district_level:
                continue
            url = _reverse(item.url_name)
            if url is not None:
                links.append(MenuLink(label=item.label, url=url, icon=item.icon, url_name=item.url_name))
        if links:
            groups.append(MenuGroup(key=group.key, label=group.label, icon=group.icon, links=links))
    _mark_active(groups, wanted=active or view_name, path=path)
    return groups


def _mark_active(groups: list[MenuGroup], *, wanted: str, path: str) -> None:
    links = [link for group in groups for link in group.links]
    for link in links:
        if wanted and link.url_name == wanted:
            link.active = True
            return
    best: MenuLink | None = None
    for link in links:
        # "/" is a prefix of every path: the home link only lights up on itself.
        matches = path == link.url if link.url == "/" else path.startswith(link.url)
        if matches and (best is None or len(link.url) > len(best.url)):
            best = link
    if best is not None:
        best.active = True


def trail(groups: list[MenuGroup], *, path: str = "") -> list[tuple[str, str | None]]:
    """Default breadcrumbs (below 首页) for the current page: area, then menu page.

    The menu page links back to itself only from a page below it (an edit form
    lights up its list); on the list itself it is plain text.
    """
    for group in groups:
        for link in group.links:
            if link.active:
                if link.url_name == "core:home":
                    return []
                page = (link.label, None if path == link.url else link.url)
                return [page] if group.single else [(group.label, None), page]
    return []
