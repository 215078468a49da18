"""The one stderr line of a stopped run (mptcrawler/commands/crawl.py): written out by hand for
each case, since a cron job's operator reads it to know what the next run will do."""

from __future__ import annotations

from types import SimpleNamespace

from mptcrawler.commands.crawl import interrupted_line


def runs(left: dict[str, int] | None, bounded: list[str] | None = None) -> SimpleNamespace:
    return SimpleNamespace(frontier_left=left, bounded=bounded or [])


def test_an_ad_hoc_run_says_its_output_holds_what_was_fetched() -> None:
    assert interrupted_line("shutdown", 7, None) == (
        "mptcrawler: interrupted (shutdown) after 7 items: the output holds what was fetched "
        "before the stop")


def test_a_committed_run_names_the_frontier_it_leaves() -> None:
    line = interrupted_line("shutdown", 21, runs({"listing_pages": 3, "articles": 33}))
    assert line == ("mptcrawler: interrupted (shutdown) after 21 items: they are delivered; the "
                    "next run finishes first the frontier left (3 listing pages, 33 articles)")


def test_a_run_stopped_at_a_bound_promises_no_frontier() -> None:
    # Past a bound nothing is in the frontier: the next run walks every listing again.
    line = interrupted_line("shutdown", 5, runs({"listing_pages": 0, "articles": 2},
                                                ["http://127.0.0.1/ru/news?page=3"]))
    assert line == ("mptcrawler: interrupted (shutdown) after 5 items: they are delivered; a "
                    "listing stopped at a bound, so the next run walks every listing again")
    assert "frontier" not in line


def test_a_run_that_did_not_commit_says_only_that_its_items_are_delivered() -> None:
    assert interrupted_line("signal", 0, runs(None, ["x"])) == (
        "mptcrawler: interrupted (signal) after 0 items: they are delivered")
