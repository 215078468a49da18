"""The rules of parsers/listing.py on small hand-written pages, each rule on both sides: what is
an entry and what is not, which element is a row, which text is its date, which link is the
next page and which the last. Expected values are written by hand from the markup."""

from __future__ import annotations

import pytest
from parsel import Selector

from mptcrawler.parsers.listing import ListingEntry, ListingPage, parse_listing

URL = "https://mpt.gov.by/ru/news?page=1"


def listing(content: str, url: str = URL, chrome: str = "") -> ListingPage:
    html = (f"<html><body><div id='header'>{chrome}</div><div id='content'>{content}</div>"
            "</body></html>")
    return parse_listing(Selector(text=html), url)


def entries(content: str, url: str = URL) -> list[tuple[str, str, str | None, str | None]]:
    return [(e.href, e.title, e.date_raw, e.date_source) for e in listing(content, url).entries]


def row(inner: str) -> str:
    return f"<div class='views-row'>{inner}</div>"


# --- what is an entry -------------------------------------------------------------------------


def test_article_links_are_entries_other_links_are_not() -> None:
    assert entries(
        row("<span class='date'>15.03.2019</span><a href='/ru/news/15-03-2019-100'>Новость</a>")
        + row("<a href='/ru/news?page=2'>2</a>")  # a listing, not an article
        + row("<a href='mailto:press@mpt.gov.by'>Почта</a>")
        + row("<a href=''>пусто</a><a>без адреса</a>")
        + row("<span class='date'>16.03.2019</span><a href=' /ru/node/101 '>Узел</a>")
    ) == [("/ru/news/15-03-2019-100", "Новость", "15.03.2019", "date-element"),
          ("/ru/node/101", "Узел", "16.03.2019", "date-element")]


def test_links_in_the_page_chrome_are_no_entries() -> None:
    page = listing(row("<a href='/ru/news/15-03-2019-100'>Новость</a>"),
                   chrome="<a href='/ru/news/16-03-2019-101'>Последняя новость</a>")
    assert [e.href for e in page.entries] == ["/ru/news/15-03-2019-100"]


def test_an_off_site_link_is_an_entry_only_in_a_dated_row() -> None:
    assert entries(
        row("<span class='date'>15.03.2019</span>"
            "<a href='https://www.belta.by/society/view/1/'>Новость на сайте БЕЛТА</a>")
        + row("<p>См. <a href='https://www.belta.by/society/view/2/'>БЕЛТА</a></p>")
        + row("<span class='date'>17.03.2019</span><a href='ftp://example.org/f'>Файл</a>")
    ) == [("https://www.belta.by/society/view/1/", "Новость на сайте БЕЛТА", "15.03.2019",
           "date-element")]


def test_one_entry_per_row_and_per_article() -> None:
    assert entries(
        row("<a href='/ru/news/15-03-2019-100'><img src='/i.jpg'></a>"
            "<span class='date'>15.03.2019</span>"
            "<a href='/ru/news/15-03-2019-100'>Заголовок</a>"
            "<a href='/ru/news/15-03-2019-100'>Подробнее</a>")
        + row("<span class='date'>15.03.2019</span><a href='/ru/news/15-03-2019-100'>Снова</a>")
        + row("<span class='date'>14.03.2019</span><a href='/ru/news/14-03-2019-99'>Вторая</a>")
    ) == [("/ru/news/15-03-2019-100", "Заголовок", "15.03.2019", "date-element"),
          ("/ru/news/14-03-2019-99", "Вторая", "14.03.2019", "date-element")]


def test_an_entry_with_no_text_has_an_empty_title() -> None:
    assert entries(row("<a href='/ru/news/15-03-2019-100'><img src='/i.jpg'></a>")) == [
        ("/ru/news/15-03-2019-100", "", None, None)]


# --- which element is the row ---------------------------------------------------------------


def test_a_teaser_is_a_row_and_gives_its_node_id() -> None:
    page = listing(
        "<div class='view'><div id='node-7' class='node node-teaser'>"
        "<h2><a href='/ru/news/15-03-2019-100'>Первая</a></h2>"
        "<span class='date-display-single'>15.03.2019</span></div>"
        "<div id='node-8' class='node node-teaser'>"
        "<h2><a href='/ru/news/16-03-2019-101'>Вторая</a></h2>"
        "<span class='date-display-single'>16.03.2019</span></div></div>")
    assert page.entries == [
        ListingEntry("/ru/news/15-03-2019-100", "Первая", "15.03.2019", 7, "date-element"),
        ListingEntry("/ru/news/16-03-2019-101", "Вторая", "16.03.2019", 8, "date-element")]


def test_list_items_and_table_rows_are_rows() -> None:
    assert entries(
        "<ul><li><a href='/ru/news/15-03-2019-100'>Первая</a> 15.03.2019</li>"
        "<li><a href='/ru/news/16-03-2019-101'>Вторая</a> 16.03.2019</li></ul>"
    ) == [("/ru/news/15-03-2019-100", "Первая", "15.03.2019", "row-text"),
          ("/ru/news/16-03-2019-101", "Вторая", "16.03.2019", "row-text")]
    assert entries(
        "<table><tr><td>15.03.2019</td><td><a href='/ru/news/15-03-2019-100'>Первая</a></td>"
        "</tr><tr><td>16.03.2019</td><td><a href='/ru/news/16-03-2019-101'>Вторая</a></td>"
        "</tr></table>"
    ) == [("/ru/news/15-03-2019-100", "Первая", "15.03.2019", "row-text"),
          ("/ru/news/16-03-2019-101", "Вторая", "16.03.2019", "row-text")]


def test_without_rows_the_row_is_the_widest_block_of_one_article() -> None:
    # No views-row, node, li or tr: each article's date is in the div that holds only it.
    assert entries(
        "<div class='list'>"
        "<div><p>15.03.2019</p><h3><a href='/ru/news/15-03-2019-100'>Первая</a></h3></div>"
        "<div><p>16.03.2019</p><h3><a href='/ru/news/16-03-2019-101'>Вторая</a></h3></div>"
        "</div>"
    ) == [("/ru/news/15-03-2019-100", "Первая", "15.03.2019", "row-text"),
          ("/ru/news/16-03-2019-101", "Вторая", "16.03.2019", "row-text")]


def test_a_link_alone_in_its_block_has_no_date_of_its_neighbour() -> None:
    assert entries(
        "<div><p>15.03.2019</p><a href='/ru/news/15-03-2019-100'>Первая</a>"
        "<a href='/ru/news/16-03-2019-101'>Вторая</a></div>"
    ) == [("/ru/news/15-03-2019-100", "Первая", None, None),
          ("/ru/news/16-03-2019-101", "Вторая", None, None)]



# A Views grid's own row holds several results, one a cell. Drupal core's
# views-view-grid.html.twig: `div.views-view-grid > div.views-row.row-N > div.views-col.col-N`
# (horizontal; vertical: views-col around views-row); Views 6/7's views-view-grid.tpl.php:
# `table.views-view-grid > tr.row-N > td.col-N`. Each cell here: a date and a title link.
def cell(n: int, day: int) -> str:
    return (f"<div class='views-field views-field-created'>{day}.03.2019</div>"
            f"<div class='views-field views-field-title'><a href='/ru/news/{day}-03-2019-{n}'>"
            f"Новость {n}</a></div>")


GRID_ENTRIES = [(f"/ru/news/{day}-03-2019-{n}", f"Новость {n}", f"{day}.03.2019",
                 "date-element") for n, day in ((100, 15), (101, 16), (102, 17))]


def test_each_cell_of_a_horizontal_views_grid_is_a_row() -> None:
    assert entries(
        "<div class='views-view-grid horizontal cols-2 clearfix'>"
        "<div class='views-row clearfix row-1'>"
        f"<div class='views-col col-1'>{cell(100, 15)}</div>"
        f"<div class='views-col col-2'>{cell(101, 16)}</div></div>"
        f"<div class='views-row clearfix row-2'><div class='views-col col-1'>{cell(102, 17)}"
        "</div></div></div>") == GRID_ENTRIES


def test_each_cell_of_a_vertical_views_grid_is_a_row() -> None:
    assert entries(
        "<div class='views-view-grid vertical cols-2 clearfix'>"
        "<div class='views-col clearfix col-1'>"
        f"<div class='views-row row-1'>{cell(100, 15)}</div>"
        f"<div class='views-row row-2'>{cell(101, 16)}</div></div>"
        f"<div class='views-col clearfix col-2'><div class='views-row row-1'>{cell(102, 17)}"
        "</div></div></div>") == GRID_ENTRIES


def test_each_cell_of_a_views_table_grid_is_a_row_of_no_other_table() -> None:
    cells = (f"<tr class='row-1 row-first'><td class='col-1'>{cell(100, 15)}</td>"
             f"<td class='col-2'>{cell(101, 16)}</td></tr>"
             f"<tr class='row-2 row-last'><td class='col-1'>{cell(102, 17)}</td></tr>")
    assert entries(f"<table class='views-view-grid cols-2'><tbody>{cells}</tbody></table>"
                   ) == GRID_ENTRIES
    # In any other table (a Views table: one result a row, its fields in cells) the row is
    # the tr: its first article is its entry, with the date of its row.
    assert entries(f"<table class='views-table'><tbody>{cells}</tbody></table>") == [
        GRID_ENTRIES[0], GRID_ENTRIES[2]]
    # A td of a grid inside a cell of another table is still the grid's cell; a td is a cell
    # by its own table only.
    assert entries(f"<table class='layout'><tr><td><table class='views-view-grid'>{cells}"
                   "</table></td></tr></table>") == GRID_ENTRIES


# --- which text is the row's date ------------------------------------------------------------


def test_a_time_element_comes_first_and_is_named() -> None:
    assert entries(row(
        "<p>16.03.2019</p><time datetime='2019-03-15T10:00:00+03:00'>15.03.2019</time>"
        "<a href='/ru/news/15-03-2019-100'>Новость</a>")) == [
        ("/ru/news/15-03-2019-100", "Новость", "15.03.2019", "time")]


def test_a_dated_element_gives_the_date_inside_its_text() -> None:
    assert entries(row(
        "<div class='submitted'>Опубликовано: 15.03.2019, pressa</div>"
        "<a href='/ru/news/15-03-2019-100'>Новость</a>")) == [
        ("/ru/news/15-03-2019-100", "Новость", "15.03.2019", "date-element")]
    assert entries(row(
        "<span property='dc:date'>Вторник, 26 апреля 2016 - 10:15,</span>"
        "<a href='/ru/news/15-03-2019-100'>Новость</a>")) == [
        ("/ru/news/15-03-2019-100", "Новость", "Вторник, 26 апреля 2016 - 10:15,",
         "date-element")]


def test_every_date_word_marks_a_dated_element() -> None:
    for word in ("field-date", "created", "submitted", "posted-on", "news-time"):
        assert entries(row(
            f"<span class='{word}'>Опубликовано 15.03.2019</span>"
            "<a href='/ru/news/15-03-2019-100'>Новость</a>"))[0][2:] == (
            "15.03.2019", "date-element"), word


def test_a_dated_element_without_a_date_is_passed_over() -> None:
    assert entries(row(
        "<span class='date'>вчера</span><p>15.03.2019</p>"
        "<a href='/ru/news/15-03-2019-100'>Новость</a>")) == [
        ("/ru/news/15-03-2019-100", "Новость", "15.03.2019", "row-text")]


def test_plain_text_is_a_date_only_when_it_is_nothing_else() -> None:
    assert entries(row(
        "<p>Дата события 15.03.2019 и другие слова</p>"
        "<a href='/ru/news/15-03-2019-100'>Новость</a>")) == [
        ("/ru/news/15-03-2019-100", "Новость", None, None)]
    assert entries(row(
        "<p><b>Новое</b> 15.03.2019.</p><a href='/ru/news/15-03-2019-100'>Новость</a>")) == [
        ("/ru/news/15-03-2019-100", "Новость", "15.03.2019.", "row-text")]


def test_a_date_inside_a_link_is_not_the_rows_date() -> None:
    assert entries(row(
        "<a href='/ru/news/15-03-2019-100'>15.03.2019</a>"
        "<a href='/ru/news/15-03-2019-100'><span class='date'>16.03.2019</span></a>")) == [
        ("/ru/news/15-03-2019-100", "15.03.2019", None, None)]


def test_a_machine_readable_date_is_the_last_resort() -> None:
    assert entries(row(
        "<time datetime=' 2019-03-15T10:00:00+03:00 '></time>"
        "<a href='/ru/news/15-03-2019-100'>Новость</a>")) == [
        ("/ru/news/15-03-2019-100", "Новость", "2019-03-15T10:00:00+03:00", "date-attribute")]
    assert entries(row(
        "<span class='date' content='2019-03-15T10:00:00+03:00'></span>"
        "<a href='/ru/news/15-03-2019-100'>Новость</a>")) == [
        ("/ru/news/15-03-2019-100", "Новость", "2019-03-15T10:00:00+03:00", "date-attribute")]
    # on an element that is neither a time nor a date: not a date
    assert entries(row(
        "<span class='author' content='2019-03-15T10:00:00+03:00'></span>"
        "<a href='/ru/news/15-03-2019-100'>Новость</a>")) == [
        ("/ru/news/15-03-2019-100", "Новость", None, None)]


# --- the next page and the last -------------------------------------------------------------


def test_rel_next_wins_over_page_numbers() -> None:
    page = listing("<a href='/ru/news?page=2'>2</a><a rel='prev next' href=' /ru/news?page=9 '>"
                   "›</a>")
    assert (page.next_href, page.next_source) == ("/ru/news?page=9", "rel-next")
    page = listing("<a rel='next'>›</a><a href='/ru/news?page=2'>3</a>")  # no href: no link
    assert (page.next_href, page.next_source) == ("/ru/news?page=2", "page-query")
    html = ("<html><head><link rel='Next' href='/ru/news?page=5'></head><body>"
            "<a href='/ru/news?page=2'>3</a></body></html>")
    found = parse_listing(Selector(text=html), URL)
    assert (found.next_href, found.next_source) == ("/ru/news?page=5", "rel-next")


def test_the_next_page_is_one_higher_on_the_same_listing() -> None:
    page = listing("<a href='/ru/news?page=3'>4</a><a href='/ru/news'>1</a>"
                   "<a href='/be/news?page=2'>be</a><a href='/ru/news?page=2'>3</a>")
    assert (page.next_href, page.next_source) == ("/ru/news?page=2", "page-query")
    assert listing("<a href='/ru/news?page=3'>4</a>").next_href is None
    first = listing("<a href='/ru/news?page=1'>2</a><a href='/ru/news?page=2'>3</a>",
                    url="https://mpt.gov.by/ru/news")
    assert first.next_href == "/ru/news?page=1"
    odd = listing("<a href='/ru/news?page=x'>?</a><a href='/ru/news?page=1'>2</a>",
                  url="https://mpt.gov.by/ru/news?page=abc")  # not a number: page 0
    assert odd.next_href == "/ru/news?page=1"


def test_the_last_page_is_the_highest_beyond_this_one() -> None:
    page = listing("<a href='/ru/news?page=0'>1</a><a href='/ru/news?page=7'>8</a>"
                   "<a href='/be/news?page=50'>be</a><a href='/ru/news?page=3'>4</a>"
                   "<a href=''>x</a><a href='/ru/news?page=7'>последняя</a>")
    assert page.last_href == "/ru/news?page=7"
    assert listing("<a href='/ru/news?page=0'>1</a><a href='/ru/news?page=1'>2</a>"
                   ).last_href is None  # nothing beyond page 1
    assert listing("<a href='/ru/news?page=2'>3</a>").last_href == "/ru/news?page=2"


def test_a_page_without_markup_has_nothing() -> None:
    page = parse_listing(Selector(text="<html><body></body></html>"), URL)
    assert page == ListingPage([], None, None, None)


def test_pager_links_are_anchors_and_the_first_of_equals_wins() -> None:
    html = ("<html><head><link rel='alternate' href='/ru/news?page=2'>"
            "<link rel='prefetch' href='/ru/news?page=40'></head><body><div id='content'>"
            "<a href='/ru/news?page=7'>8</a><a href='https://mpt.gov.by/ru/news?page=7'>"
            "последняя</a></div></body></html>")
    page = parse_listing(Selector(text=html), URL)
    assert page.last_href == "/ru/news?page=7"  # not the later link to the same page
    assert page.next_href is None  # a <link> that is not rel=next is no pager link


def test_a_row_with_links_to_two_articles_is_one_entry() -> None:
    # The first article of a views row, a teaser, a list item or a table row is the entry; an
    # article its text links to is no entry of its own, and lends it no title.
    first, other = "/ru/news/15-03-2019-100", "/ru/news/01-01-2019-1"
    for open_, close in (("<div class='views-row'>", "</div>"),
                         ("<div id='node-7' class='node'>", "</div>"),
                         ("<ul><li>", "</li></ul>"),
                         ("<table><tr><td>", "</td></tr></table>")):
        found = entries(f"{open_}<div class='date'>15.03.2019</div><div><a href='{first}'>"
                        f"<img src='/i.jpg'></a></div><p>См. <a href='{other}'>другую</a>.</p>"
                        f"{close}")
        assert found == [(first, "", "15.03.2019", "date-element")], open_


def test_a_teaser_is_a_row_without_the_views_class() -> None:
    page = listing("<div id='node-7' class='node'><div class='date'>15.03.2019</div>"
                   "<h2><a href='/ru/news/15-03-2019-100'>Первая</a></h2>"
                   "<div><a href='/ru/news/01-01-2019-1'>другая</a></div></div>")
    assert page.entries == [ListingEntry("/ru/news/15-03-2019-100", "Первая", "15.03.2019", 7,
                                         "date-element")]


def test_an_undated_off_site_link_is_skipped_and_the_rows_after_it_are_read() -> None:
    assert entries(
        row("<p>См. <a href='https://www.belta.by/society/view/2/'>БЕЛТА</a></p>")
        + row("<span class='date'>15.03.2019</span>"
              "<a href='http://www.belta.by/society/view/1/'>Новость на сайте БЕЛТА</a>")
        + row("<span class='date'>14.03.2019</span><a href='/ru/news/14-03-2019-99'>Вторая</a>")
    ) == [("http://www.belta.by/society/view/1/", "Новость на сайте БЕЛТА", "15.03.2019",
           "date-element"),
          ("/ru/news/14-03-2019-99", "Вторая", "14.03.2019", "date-element")]


def test_only_the_main_region_is_read() -> None:
    html = ("<html><body><div id='content'><div><a href='/ru/news/15-03-2019-100'>Первая</a>"
            "</div><link href='/ru/news/17-03-2019-102'></div><div class='related'>"
            "<span class='date'>20.11.2026</span>"
            "<a href='/ru/news/16-03-2019-101'>Вне списка</a></div></body></html>")
    page = parse_listing(Selector(text=html), URL)
    # the row stops at the region: no date from outside it, no link from outside it; a
    # <link> is no entry
    assert page.entries == [ListingEntry("/ru/news/15-03-2019-100", "Первая", None)]


def test_a_page_without_a_body_or_not_html_has_no_entries() -> None:
    head_only = "<html><head><link rel='next' href='/ru/news?page=2'></head></html>"
    assert parse_listing(Selector(text=head_only), URL) == ListingPage(
        [], "/ru/news?page=2", "rel-next", None)
    assert parse_listing(Selector(text='{"a": 1}', type="json"), URL) == ListingPage(
        [], None, None, None)


def test_a_letter_beside_a_date_is_not_part_of_it() -> None:
    assert entries(row("<span class='date'>X 15.03.2019</span>"
                       "<a href='/ru/news/15-03-2019-100'>Новость</a>")) == [
        ("/ru/news/15-03-2019-100", "Новость", "15.03.2019", "date-element")]
    assert entries(row("<p>X 15.03.2019</p><a href='/ru/news/15-03-2019-100'>Новость</a>")) == [
        ("/ru/news/15-03-2019-100", "Новость", None, None)]


def test_a_card_that_is_one_link_holds_its_own_date() -> None:
    # Links side by side in one block: each link is its own row, and the date inside the
    # link is the row's (a card view); it is not the other link's.
    assert entries(
        "<div><a href='/ru/news/15-03-2019-100'><span class='date'>15.03.2019</span> Первая</a>"
        "<a href='/ru/news/16-03-2019-101'>Вторая</a></div>"
    ) == [("/ru/news/15-03-2019-100", "15.03.2019 Первая", "15.03.2019", "date-element"),
          ("/ru/news/16-03-2019-101", "Вторая", None, None)]


def test_only_a_node_row_gives_a_node_id() -> None:
    page = listing("<div class='views-row' about='/ru/node/5'><span class='date'>15.03.2019"
                   "</span><a href='/ru/news/15-03-2019-100'>Новость</a></div>")
    assert page.entries == [ListingEntry("/ru/news/15-03-2019-100", "Новость", "15.03.2019",
                                         None, "date-element")]


# A Drupal 8+ card view mode that wraps the whole teaser in the node's link, image, heading and
# fields (kalamuna/wireframe-starter templates/content/node--card.html.twig:
# `<a href="{{ url }}">{{ content.field_media_image }}<div class="node__content"><h3>{{ label }}
# </h3>{{ content|without(...) }}</div></a>` inside node.html.twig's `<article class="node …">`),
# in that theme's views-view-unformatted.html.twig rows (`div.view-row`, not Views' own
# `views-row`): every field of the row, its date too, is inside the one link.
def card(href: str, title: str, fields: str) -> str:
    return ("<div class='view-row'><article class='node node--type-article "
            f"node--view-mode-card'><a href='{href}'><img src='/i.jpg' alt=''>"
            f"<div class='node__content'><h3>{title}</h3>{fields}</div></a></article></div>")


def dates(content: str) -> list[tuple[str, str | None, str | None]]:
    # The entry's title is not what these tests are about (the card's title: below).
    return [(href, date, source) for href, _, date, source in entries(content)]


def test_a_card_wrapped_in_the_nodes_link_keeps_its_date() -> None:
    assert dates(
        "<div class='view-rows'>"
        + card("/ru/news/15-03-2019-100", "Первая",
               "<div class='field field--name-field-news-date'><time "
               "datetime='2019-03-15T12:00:00Z'>15.03.2019</time></div>"
               "<div class='field field--name-body'><p>Текст</p></div>")
        + card("/ru/news/16-03-2019-101", "Вторая", "<p>16.03.2019</p>")
        + card("/ru/news/17-03-2019-102", "Третья",
               "<time datetime='2019-03-17T09:00:00+03:00'></time>")
        + "</div>"
    ) == [
        # the field's div is the first dated element (its class says date), before its time
        ("/ru/news/15-03-2019-100", "15.03.2019", "date-element"),
        ("/ru/news/16-03-2019-101", "16.03.2019", "row-text"),
        ("/ru/news/17-03-2019-102", "2019-03-17T09:00:00+03:00", "date-attribute")]


def test_a_rows_own_date_wins_over_a_date_inside_its_card_link() -> None:
    # The row's own date element, outside the link, is the listed date; the card's inside it
    # (here another day) is not asked for.
    assert dates(
        "<div class='views-row'><span class='date'>16.03.2019</span>"
        "<a href='/ru/news/15-03-2019-100'><div><h3>Заголовок</h3>"
        "<span class='date'>15.03.2019</span></div></a></div>"
    ) == [("/ru/news/15-03-2019-100", "16.03.2019", "date-element")]


def test_a_title_link_holding_a_date_is_not_a_card() -> None:
    # A title link holds text only (phrasing content): a date in it is part of the title, not
    # the row's date, even when the row has no other.
    assert dates(row(
        "<h3><a href='/ru/news/15-03-2019-100'><span class='date'>15.03.2019</span> "
        "Заголовок</a></h3><p>Текст</p>")) == [("/ru/news/15-03-2019-100", None, None)]


@pytest.mark.parametrize(("tag", "inner"), [
    *[(tag, "15.03.2019") for tag in ("address", "article", "aside", "blockquote", "div",
                                      "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
                                      "header", "p", "section")],
    ("dl", "<dd>15.03.2019</dd>"), ("ol", "<li>15.03.2019</li>"), ("ul", "<li>15.03.2019</li>")])
def test_a_link_around_any_block_is_a_card(tag: str, inner: str) -> None:
    assert dates(row(f"<a href='/ru/news/15-03-2019-100'><{tag}>{inner}</{tag}></a>")) == [
        ("/ru/news/15-03-2019-100", "15.03.2019", "row-text")]


@pytest.mark.parametrize("tag", ["span", "b", "em", "strong", "small"])
def test_a_link_around_text_is_no_card(tag: str) -> None:
    assert dates(row(f"<a href='/ru/news/15-03-2019-100'><{tag}>15.03.2019</{tag}></a>")) == [
        ("/ru/news/15-03-2019-100", None, None)]


def test_the_first_card_link_with_a_date_gives_it() -> None:
    # The card's own link, then a "more" link around a block without a date: the card's date
    # stays; a date-less card link before it does not hide a later one's.
    assert dates(row(
        "<a href='/ru/news/15-03-2019-100'><div><h3>Заголовок</h3><p>15.03.2019</p></div></a>"
        "<a href='/ru/news/15-03-2019-100'><div class='more'>Подробнее</div></a>")) == [
        ("/ru/news/15-03-2019-100", "15.03.2019", "row-text")]
    assert dates(row(
        "<a href='/ru/news/15-03-2019-100'><div><h3>Заголовок</h3></div></a>"
        "<a href='/ru/news/15-03-2019-100'><div><p>16.03.2019</p></div></a>")) == [
        ("/ru/news/15-03-2019-100", "16.03.2019", "row-text")]


# --- the title of a card link ----------------------------------------------------------------


def test_a_card_links_title_is_its_heading() -> None:
    # node--card templates put the label in an h3 inside the link, with the date and the
    # teaser (kalamuna/wireframe-starter, govau/dta-gov-au, HCPSS/parity): only the h3 is the
    # title.
    assert [title for _, title, _, _ in entries(
        "<div class='view-rows'>"
        + card("/ru/news/15-03-2019-100", "Первая",
               "<time datetime='2019-03-15T12:00:00Z'>15.03.2019</time><p>Текст первой</p>")
        + row("<a href='/ru/news/16-03-2019-101'><div class='card__image'><img src='/i.jpg'>"
              "</div><h3 class='card__title'> Вторая <em>новость</em> </h3>"
              "<footer><p>16.03.2019</p></footer></a>")
        + "</div>")] == ["Первая", "Вторая новость"]


def test_a_card_links_title_is_its_first_heading_with_text() -> None:
    for headings, title in [("<h2>Раздел</h2><h3>Заголовок</h3>", "Раздел"),
                            ("<h4>Заголовок</h4><h2>Позже</h2>", "Заголовок"),
                            ("<h1> </h1><h6>Заголовок</h6>", "Заголовок"),
                            ("<h5><img src='/i.jpg' alt=''></h5><h3>Заголовок</h3>",
                             "Заголовок")]:
        assert entries(row(f"<a href='/ru/news/15-03-2019-100'><div>{headings}"
                           "<p>Текст</p></div></a>")) == [
            ("/ru/news/15-03-2019-100", title, None, None)], headings


def test_without_a_heading_a_card_links_title_is_the_element_named_title() -> None:
    # The D8+ title field (`span.field--name-title`), a theme's `div.card__title`: the first
    # element whose class holds "title" and some text.
    for inner, title in [
            ("<div class='card'><span class='field field--name-title'>Заголовок</span>"
             "<p>15.03.2019</p></div>", "Заголовок"),
            ("<div class='Card-Title'></div><div class='card__TITLE'>Заголовок</div>"
             "<div>Текст</div>", "Заголовок"),
            # no heading, no class naming a title (a comment saying it is none): all the text
            ("<div class='card'><!-- title --><span class='name'>Не заголовок</span> "
             "<span>15.03.2019</span></div>", "Не заголовок 15.03.2019"),
            # ... its blocks a space apart, also where nothing separates them in the markup
            ("<div class='card'><p>Министр связи в Гродно</p><div>15.03.2019</div></div>",
             "Министр связи в Гродно 15.03.2019"),
    ]:
        assert [t for _, t, _, _ in entries(
            row(f"<a href='/ru/news/15-03-2019-100'>{inner}</a>"))] == [title], inner


def test_a_title_link_keeps_all_its_text() -> None:
    # A link around phrasing content only is a title link: a heading-like span, a class
    # naming a title, a date in it are all its title, as the reader sees it.
    assert [t for _, t, _, _ in entries(
        row("<a href='/ru/news/15-03-2019-100'><span class='title'>Заголовок</span> "
            "<b>15.03.2019</b></a>"))] == ["Заголовок 15.03.2019"]


def test_a_card_link_that_is_the_node_gives_its_node_id() -> None:
    # HCPSS/parity node--card.html.twig: the node's element is the link itself, its attributes
    # (data-history-node-id, the node classes) on `<a href>`; the date in its submitted line.
    page = listing(
        row("<a href='/ru/news/15-03-2019-100' class='node node--type-news btn btn-card' "
            "data-history-node-id='100'><div class='card-title'><h3>Первая</h3></div>"
            "<footer class='node__meta'><div class='node__submitted'>Опубликовано pressa в "
            "15.03.2019</div></footer><div><p>Текст</p></div></a>")
        # a link that is no node gives none; the row's node wins over its link's
        + row("<a href='/ru/news/16-03-2019-101' class='card'><h3>Вторая</h3></a>")
        + "<div id='node-7' class='node'><a href='/ru/news/17-03-2019-102' class='node' "
        "data-history-node-id='102'><h3>Третья</h3></a></div>")
    assert page.entries == [
        ListingEntry("/ru/news/15-03-2019-100", "Первая", "15.03.2019", 100, "date-element"),
        ListingEntry("/ru/news/16-03-2019-101", "Вторая", None, None, None),
        ListingEntry("/ru/news/17-03-2019-102", "Третья", None, 7, None)]


def test_a_td_outside_any_table_is_no_grid_cell() -> None:
    # libxml2 keeps a stray td where the markup has one: no table, so no grid; each td holds
    # one article and is its row by the widest-block rule.
    assert entries(
        "<div><td><span class='date'>15.03.2019</span><a href='/ru/news/15-03-2019-100'>"
        "Первая</a></td><td><span class='date'>16.03.2019</span>"
        "<a href='/ru/news/16-03-2019-101'>Вторая</a></td></div>"
    ) == [("/ru/news/15-03-2019-100", "Первая", "15.03.2019", "date-element"),
          ("/ru/news/16-03-2019-101", "Вторая", "16.03.2019", "date-element")]


def test_a_link_marked_as_no_node_gives_no_node_id() -> None:
    # A node id written on a link that is not the node's element (RDF `about` on a link, an
    # id that is not node-N) is not the entry's: only a node's own attributes count.
    page = listing(row("<a href='/ru/news/15-03-2019-100' about='/ru/node/100' "
                       "id='card-100'><h3>Первая</h3></a>"))
    assert page.entries == [ListingEntry("/ru/news/15-03-2019-100", "Первая", None, None, None)]
