"""The shared paging helper: one page of rows with the total and GOV.UK page links,
two queries whatever the size, and never an error for a junk page number."""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from mash.lib import paging

rf = RequestFactory()


def _page(query: str, rows: Any, **kwargs: Any) -> paging.Page[Any]:
    return paging.page_of(rf.get(f"/list/{query}"), rows, **kwargs)


def test_it_shows_one_page_of_rows_with_the_total() -> None:
    page = _page("?page=2", list(range(60)), noun="enquiries")
    assert page.rows == list(range(25, 50))
    assert (page.number, page.num_pages, page.total) == (2, 3, 60)
    assert page.summary == "Showing 26 to 50 of 60 enquiries"


@pytest.mark.parametrize("junk", ["abc", "-1", "0", "2.5", "", "1e3", "9" * 5000, "%00"])
def test_a_junk_page_number_shows_the_first_page(junk: str) -> None:
    page = _page(f"?page={junk}", list(range(60)))
    assert page.number == 1
    assert page.rows == list(range(25))


def test_a_page_past_the_end_shows_the_last_page() -> None:
    page = _page("?page=99", list(range(60)))
    assert page.number == 3
    assert page.rows == list(range(50, 60))


def test_an_empty_list_is_one_empty_page_without_links() -> None:
    page = _page("?page=4", [])
    assert (page.number, page.num_pages, page.total, page.rows) == (1, 1, 0, [])
    assert not page.has_other_pages
    assert render_to_string("includes/pagination.html", {"page": page}).strip() == ""


def test_links_keep_the_filters_and_drop_page_one() -> None:
    page = _page("?rag=red&rag=amber&page=2", list(range(60)), fragment="answered")
    assert page.previous_url == "?rag=red&rag=amber#answered"
    assert page.next_url == "?rag=red&rag=amber&page=3#answered"


def test_the_window_shows_first_last_and_neighbours_with_ellipses() -> None:
    assert paging.window(1, 1) == [1]
    assert paging.window(1, 3) == [1, 2, 3]
    assert paging.window(5, 10) == [1, None, 4, 5, 6, None, 10]
    assert paging.window(3, 10) == [1, 2, 3, 4, None, 10]
    assert paging.window(10, 10) == [1, None, 9, 10]


def test_no_more_than_fifty_rows_a_page() -> None:
    assert len(_page("", list(range(200)), per_page=1000)) == 50


def test_the_pagination_is_govuk_markup_marking_the_current_page() -> None:
    html = render_to_string(
        "includes/pagination.html", {"page": _page("?page=5", list(range(250)))}
    )
    assert '<nav class="govuk-pagination" aria-label="Pagination">' in html
    assert 'href="?page=5" aria-label="Page 5" aria-current="page">5</a>' in html
    assert html.count("govuk-pagination__item--ellipsis") == 2
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_a_queryset_costs_a_count_and_one_query_for_the_page(
    db: Any, django_assert_num_queries: Any
) -> None:
    from mash.agencies.models import Agency

    Agency.objects.bulk_create(
        Agency(code=f"a{n:03}", name=f"Agency {n}", kind="police") for n in range(30)
    )
    with django_assert_num_queries(2):
        page = _page("?page=2", Agency.objects.order_by("code"))
    assert [a.code for a in page] == [f"a{n:03}" for n in range(25, 30)]
    with django_assert_num_queries(1):
        empty = _page("", Agency.objects.filter(code="none"))
    assert empty.rows == []


def test_rows_are_counted_only_so_far_past_the_page_and_every_row_stays_reachable(
    db: Any, monkeypatch: Any, django_assert_num_queries: Any
) -> None:
    from mash.agencies.models import Agency

    monkeypatch.setattr(paging, "COUNT_AHEAD", 50)
    Agency.objects.bulk_create(
        Agency(code=f"b{n:03}", name=f"Agency {n}", kind="police") for n in range(130)
    )
    agencies = Agency.objects.filter(code__startswith="b").order_by("code")
    with django_assert_num_queries(2):
        first = _page("", agencies, noun="agencies")
    # Counted to 25 + 50 rows: more than 75, the last page unknown, "Next" leads on.
    assert first.more and first.total == 75
    assert first.summary == "Showing 1 to 25 of more than 75 agencies"
    assert first.next_url == "?page=2"
    assert [link.number for link in first.links] == [1, 2, None]
    html = render_to_string("includes/pagination.html", {"page": first})
    assert html.count("govuk-pagination__item--ellipsis") == 1 and 'rel="next"' in html
    # Deeper pages count from where they start: page 4 knows the whole list again.
    third = _page("?page=3", agencies, noun="agencies")
    assert third.more and third.total == 125 and third.next_url == "?page=4"
    last = _page("?page=6", agencies, noun="agencies")
    assert not last.more and last.total == 130 and last.number == 6
    assert [a.code for a in last] == [f"b{n:03}" for n in range(125, 130)]
    assert last.summary == "Showing 126 to 130 of 130 agencies" and last.next_url is None
    # Within the bound nothing changes: the exact total, the last page linked.
    few = _page("", Agency.objects.filter(code__lt="b010"), noun="agencies")
    assert not few.more and few.summary == "10 agencies"
