"""One definition per list: the page, its sorting and pagination, and its Excel export.

A ``ListDefinition`` names the columns once. ``ListPage`` applies the request's
sort and page to a queryset that the caller has already scoped and filtered,
and renders either the HTML table (``components/list_table.html``) or, with
``?export=xlsx``, a workbook with exactly the columns on screen and every row
the filter selects.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path

from core.excel import XLSX_CONTENT_TYPE, write_xlsx

PAGE_SIZES = (10, 20, 50, 100)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable[[Any], Any]  # the cell's plain value (screen text and Excel)
    sort: str | None = None  # ORM ordering field when sortable
    tag: Callable[[Any], str] | None = None  # CSS class of a coloured status tag
    link: Callable[[Any], str] | None = None  # URL when the cell links somewhere
    export: bool = True


@dataclass(frozen=True)
class Action:
    label: str
    url: Callable[[Any], str]
    confirm: str = ""  # a confirmation question for destructive actions
    method: str = "get"


@dataclass
class ListDefinition:
    name: str  # sheet and file name, e.g. 党员名册
    columns: Sequence[Column]
    default_sort: str
    row_actions: Sequence[Action] = field(default_factory=tuple)
    empty_text: str = "暂无记录。"

    def sortable(self) -> dict[str, str]:
        return {c.key: c.sort for c in self.columns if c.sort}


@dataclass
class Cell:
    text: str
    tag: str | None = None
    link: str | None = None


@dataclass
class Row:
    number: int
    obj: Any
    cells: list[Cell]
    actions: list[tuple[Action, str]]


class _Window:
    """A queryset's rows as the paginator slices them, one page taken by ``window``."""

    def __init__(self, queryset: QuerySet, window: Callable[[int, int], list]):
        self.queryset, self.window = queryset, window

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, item: slice) -> list:
        return self.window(item.start or 0, item.stop - (item.start or 0))


def _text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()[:10]
    return str(value)


class ListPage:
    """The request's view of a list: sort, page size, page number, rows."""

    def __init__(
        self,
        request: HttpRequest,
        definition: ListDefinition,
        queryset: QuerySet,
        *,
        count=None,
        count_cap: int | None = None,
        window: Callable[[int, int], list] | None = None,
    ):
        """``count``: the number of rows when the caller already knows it (a cached
        subtree total), sparing the COUNT(*) of a very large list.
        ``count_cap``: count no further than this (a search matching 70,000 of a million
        members): the pages then cover the first ``count_cap`` rows, and the page says so.
        ``window(offset, limit)``: the rows of one page in the default order, from a
        query faster than slicing the queryset (see people.search.name_search_window)."""
        self.request = request
        self.definition = definition
        self.known_count = count
        self.count_cap = count_cap
        self.capped = False
        sortable = definition.sortable()
        sort = request.GET.get("sort", "")
        key = sort.lstrip("-")
        self.sort = sort if key in sortable else ""
        order = sortable[key] if self.sort else definition.default_sort
        if self.sort.startswith("-"):
            order = order[1:] if order.startswith("-") else f"-{order}"
        self.queryset = queryset.order_by(order, "pk")
        self.window = window if order == definition.default_sort else None  # only the default order has one
        try:
            self.page_size = int(request.GET.get("size", 20))
        except ValueError:
            self.page_size = 20
        if self.page_size not in PAGE_SIZES:
            self.page_size = 20

    @property
    def wants_export(self) -> bool:
        return self.request.GET.get("export") == "xlsx"

    def page(self):
        rows = _Window(self.queryset, self.window) if self.window else self.queryset
        paginator = Paginator(rows, self.page_size)
        if self.known_count is not None:
            paginator.count = self.known_count  # replaces the cached_property's COUNT(*)
        elif self.count_cap is not None:
            count = self.queryset.order_by()[: self.count_cap + 1].count()
            self.capped = count > self.count_cap
            paginator.count = min(count, self.count_cap)
        return paginator.get_page(self.request.GET.get("page"))

    def rows(self, page) -> list[Row]:
        start = (page.number - 1) * self.page_size
        rows = []
        for i, obj in enumerate(page.object_list, start=start + 1):
            cells = [
                Cell(
                    text=_text(c.value(obj)),
                    tag=c.tag(obj) if c.tag else None,
                    link=c.link(obj) if c.link else None,
                )
                for c in self.definition.columns
            ]
            actions = [(a, a.url(obj)) for a in self.definition.row_actions]
            rows.append(Row(number=i, obj=obj, cells=cells, actions=actions))
        return rows

    def query_without(self, *keys: str, **extra) -> str:
        params = [(k, v) for k, v in self.request.GET.items() if k not in keys and k not in extra]
        params += [(k, v) for k, v in extra.items()]
        return urlencode(params)

    def headers(self) -> list[dict]:
        result = []
        for c in self.definition.columns:
            if not c.sort:
                result.append({"label": c.label, "url": None, "state": ""})
                continue
            state = "asc" if self.sort == c.key else "desc" if self.sort == f"-{c.key}" else ""
            next_sort = f"-{c.key}" if state == "asc" else c.key
            result.append(
                {"label": c.label, "url": "?" + self.query_without("sort", "page", sort=next_sort), "state": state}
            )
        return result

    def context(self) -> dict:
        page = self.page()
        return {
            "listing": self,
            "page_obj": page,
            # first, last and ±2 around the current page: never a loop over every page
            # (a whole-district list of 1,000,000 members has 20,000)
            "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
            "rows": self.rows(page),
            "headers": self.headers(),
            "page_sizes": PAGE_SIZES,
            "export_query": self.query_without("page", "export", export="xlsx"),
            "count_capped": self.capped,
        }

    def export(self, *, title: str | None = None) -> HttpResponse:
        columns = [c for c in self.definition.columns if c.export]
        rows = (
            [i, *(_text(c.value(obj)) for c in columns)]
            for i, obj in enumerate(self.queryset.iterator(chunk_size=2000), 1)
        )
        data = write_xlsx(
            sheet_title=self.definition.name,
            headers=["序号", *(c.label for c in columns)],
            rows=rows,
            title=title or self.definition.name,
            subtitle=f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}",
        )
        response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
        filename = f"{self.definition.name}-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
        return response
