"""One page of a list, done in the database: a count and a LIMIT/OFFSET query, never
the whole list. For every list page of the hub (enquiries, inboxes, the record, the
DPO's pages), with the GOV.UK pagination component (``includes/pagination.html``).

    page = paging.page_of(request, queryset, noun="enquiries")
    # page.rows: the rows shown (a list); page.total, page.summary, page.links...
    {% include "includes/pagination.html" with page=page %}

The page number comes from the request's ``page`` parameter (or ``param=``). Junk
(``?page=abc``, ``?page=-1``, ``?page=2.5``) shows the first page; a number past the
end shows the last page, as Django's ``Paginator.get_page`` does: a list never answers
500 or 404 for its page number. Links keep the request's other GET parameters (the
filters; never personal data: nothing personal goes in a URL), and ``fragment`` is
added to each (e.g. ``"answered"``, the tab a list lives in).

Sort the queryset on something unique at the end (``"-received_at", "pk"``) so a row
never shows on two pages. Give ``count=`` when counting the queryset itself would be
dearer than counting a simpler one (the number of rows must be the same).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest

T = TypeVar("T")


def row_count(related: QuerySet[Any], outer: str) -> Coalesce:
    """How many of ``related`` belong to each row of a page, for ``annotate``:
    ``related`` filtered on ``OuterRef("pk")`` by the field ``outer`` names. A
    correlated count the database works out for the rows of the page only, where a
    ``Count`` over a join groups every row the list's filter matches before the LIMIT
    (seconds at ten years' size)."""
    counted = related.order_by().values(outer).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


PER_PAGE = 25
MAX_PER_PAGE = 50
#: Rows counted past the start of the page asked for, at most (see the module).
COUNT_AHEAD = 10_000


@dataclass(frozen=True)
class PageLink:
    """One item of the pagination list: a page number with its link, or an ellipsis
    (``number`` is None)."""

    number: int | None
    url: str = ""
    current: bool = False

    @property
    def ellipsis(self) -> bool:
        return self.number is None


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    number: int
    num_pages: int
    total: int
    per_page: int
    noun: str = "results"
    noun_one: str = "result"
    previous_url: str | None = None
    next_url: str | None = None
    links: list[PageLink] = field(default_factory=list)
    # True when the rows were counted only up to ``total`` and there are more.
    more: bool = False

    def __iter__(self) -> Iterator[T]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def first_row(self) -> int:
        """The 1-based position of the first row shown (0 when there are none)."""
        return (self.number - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.rows) - 1 if self.rows else 0

    @property
    def summary(self) -> str:
        """ "Showing 26 to 50 of 1,234 enquiries"."""
        if not self.rows:
            return f"No {self.noun}"
        if not self.has_other_pages:
            return f"{self.total:,} {self.noun_one if self.total == 1 else self.noun}"
        of = f"more than {self.total:,}" if self.more else f"{self.total:,}"
        return f"Showing {self.first_row:,} to {self.last_row:,} of {of} {self.noun}"


def page_number(value: Any) -> int:
    """The page asked for: a whole number of at least 1, else 1."""
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 9:
        return 1
    return max(int(text), 1)


def _url(request: HttpRequest | None, param: str, number: int, fragment: str) -> str:
    query = request.GET.copy() if request is not None else None
    if query is None:
        from django.http import QueryDict

        query = QueryDict(mutable=True)
    if number == 1:
        query.pop(param, None)
    else:
        query[param] = str(number)
    encoded = query.urlencode()
    url = f"?{encoded}" if encoded else "?"
    return f"{url}#{fragment}" if fragment else url


def window(number: int, num_pages: int) -> list[int | None]:
    """The page numbers to link, GOV.UK style: the first, the last, the current and
    its neighbours, with None for the gaps (an ellipsis). A gap of one page shows that
    page instead."""
    if num_pages <= 1:
        return [1] if num_pages == 1 else []
    wanted = {1, num_pages, number - 1, number, number + 1}
    shown = sorted(n for n in wanted if 1 <= n <= num_pages)
    out: list[int | None] = []
    previous = 0
    for n in shown:
        if n - previous == 2:
            out.append(previous + 1)
        elif n - previous > 2:
            out.append(None)
        out.append(n)
        previous = n
    return out


def page_of(
    request: HttpRequest | None,
    rows: QuerySet[Any] | Sequence[T],
    *,
    per_page: int = PER_PAGE,
    param: str = "page",
    noun: str = "results",
    noun_one: str = "result",
    fragment: str = "",
    count: int | QuerySet[Any] | None = None,
) -> Page[Any]:
    """One page of ``rows`` (a queryset: one COUNT query, bounded as the module says,
    and one query for the page's rows; none for the rows when the count is 0)."""
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    paginator = Paginator(rows, per_page, allow_empty_first_page=True)
    wanted = page_number(request.GET.get(param) if request is not None else None)
    more = False
    if isinstance(count, int):
        paginator.count = count  # cached_property: set before anything reads it
    else:
        counted = rows if count is None else count
        if isinstance(counted, QuerySet):
            bound = wanted * per_page + COUNT_AHEAD
            found = counted.order_by()[: bound + 1].count()
            more = found > bound
            paginator.count = bound if more else found
    total = paginator.count
    num_pages = paginator.num_pages if total else 1
    number = min(wanted, num_pages)
    shown: list[Any] = []
    if total:
        try:
            shown = list(paginator.page(number).object_list)
        except InvalidPage:  # the rows changed between the count and the page
            shown = []
    numbers = window(number, num_pages)
    if more and numbers and numbers[-1] != number:
        # The last page is not known: an ellipsis where its number would be.
        numbers = numbers[:-1] if numbers[-2] is None else [*numbers[:-1], None]
    links = [
        PageLink(None)
        if n is None
        else PageLink(n, _url(request, param, n, fragment), current=n == number)
        for n in numbers
    ]
    return Page(
        rows=shown,
        number=number,
        num_pages=num_pages,
        total=total,
        per_page=per_page,
        noun=noun,
        noun_one=noun_one,
        previous_url=_url(request, param, number - 1, fragment) if number > 1 else None,
        next_url=(
            _url(request, param, number + 1, fragment) if number < num_pages or more else None
        ),
        links=links,
        more=more,
    )
