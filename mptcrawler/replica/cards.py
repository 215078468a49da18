"""Card listings (``serve --card-rows``): ``/{lang}/news`` renders each row as one card wrapped
in the node's link, as Drupal 8+ card view modes do; the page around the rows (its chrome, the
view, the pager) and every other page stay as the replica has them.

A card is the node rendered in a "card" view mode whose template puts the node's link around
the whole teaser: image, heading, summary and date are all inside one ``<a href>``, so no date
or title is written outside the link. Three real templates (public sources; read, not copied):

- ``wireframe``: kalamuna/wireframe-starter ``templates/content/node--card.html.twig``
  (commit 1ed211bf079e9dc05270a13e5ef900469ccbec21): node.html.twig's ``<article class="node
  node--type-… node--view-mode-card">`` around ``<a href="{{ url }}">``, the image field, then
  ``<div class="node__content"><h3>{{ label }}</h3>{{ content|without(…) }}</div>`` (the date
  field among the content: Classy's ``field.html.twig`` or Stable9's class-less one, the
  datetime formatter's ``time[datetime]``).
- ``govau``: govau/dta-gov-au ``templates/content/node--card.html.twig`` (commit
  2b669eb6ae90494965bb0d2ad8ca043d1cdbd3f3): no node element at all, the template *is*
  ``<a href="{{ url('entity.node.canonical', …) }}" class="au-card …" hreflang="…">`` around
  ``div.au-card__image``, ``h3.au-card__title``, ``div.au-card__text`` and a
  ``<footer role="contentinfo"><p class="au-card--date">`` holding the date field (whose div
  libxml2, like browsers, moves out of the ``p``).
- ``parity``: HCPSS/parity ``templates/content/node--card.html.twig`` (commit
  1578a3f49abba7e8c852860d4a321680b3a348ee): the node's own element is the link,
  ``<a href="{{ url }}"{{ attributes.addClass('node', 'node--type-…', 'btn', 'btn-card', …) }}>``
  (so ``data-history-node-id``, when the history module adds it, is on the link), around
  ``div.card-title > h3``, ``footer.node__meta > div.node__submitted`` ("Submitted by … on
  {{ date }}") and the content.

Rows are laid out as Views lays them (drupal/core 401b0999cdb9e2ee91b7ec0c73acb254ad184c1f):
``views-view-unformatted.html.twig`` (a ``div.views-row`` a card), ``views-view-grid.html.twig``
horizontal (``div.views-row.row-N`` around ``div.views-col.col-N`` cells: one grid row holds
several cards) and vertical (``div.views-col`` around ``div.views-row``), and Olivero's
``views-view-grid.html.twig`` (``div.views-view-grid__item``, no Views classes). Each listing
page draws its template, layout and date format from ``(replica seed, page)``.
"""

from __future__ import annotations

import random

from . import pages
from .pages import NEWS_PAGE_SIZE, OFFSITE_EVERY, _href, e
from .site import ReplicaArticle, ReplicaSite
from .variants import SUBMITTED, _listing_date

TEMPLATES = ("wireframe", "govau", "parity")
LAYOUTS = ("unformatted", "grid-horizontal", "grid-vertical", "olivero-grid")
COLUMNS = 3


def _field_date(a: ReplicaArticle, date: str, classy: bool, name: str) -> str:
    """A date field as D8+ field.html.twig renders it, label hidden: Classy's classes or
    Stable9's bare div; the datetime formatter writes ``time`` with the UTC instant."""
    time = f'<time datetime="{a.day}T12:00:00Z">{date}</time>'
    if not classy:
        return f"<div>{time}</div>"
    return (f'<div class="field field--name-{name} field--type-datetime field--label-hidden '
            f'field__item">{time}</div>')


def card(a: ReplicaArticle, href: str, template: str, date: str, rng: random.Random,
         node: bool = True) -> str:
    """``a`` as a card linking ``href``; ``node``: the link is the node's (an off-site card,
    an editor's link to a news agency, carries no node attributes)."""
    title = e(a.title)
    summary = f"{e(a.text[:160])}…"
    image = f'<img src="/sites/default/files/styles/card/public/{a.node_id}.jpg" alt="" />'
    history = f' data-history-node-id="{a.node_id}"' if node and rng.random() < 0.5 else ""
    if template == "wireframe":
        date_field = _field_date(a, date, rng.random() < 0.5, "field-date")
        return (f'<article{history} class="node node--type-news node--promoted '
                f'node--view-mode-card"><a href="{e(href)}">{image}<div class="node__content">'
                f"<h3>{title}</h3>{date_field}<div class=\"field field--name-body "
                f'field--type-text-with-summary field--label-hidden field__item">{summary}'
                "</div></div></a></article>")
    if template == "govau":
        return (f'<a href="{e(href)}" class="au-card au-card--shadow au-cta-link" '
                f'hreflang="{a.lang}"><div class="au-card__image au-card__fullwidth">{image}'
                f'</div><h3 class="au-card__title">{title}</h3><div class="au-card__text">'
                f'{summary}</div><footer role="contentinfo"><p class="au-card--content '
                f'au-card--date">{_field_date(a, date, True, "field-publication-date")}</p>'
                "</footer></a>")
    by, on = SUBMITTED[a.lang]
    classes = "node node--type-news btn btn-card py-4 px-3 h-100 w-100" if node else "btn"
    return (f'<a href="{e(href)}" class="{classes}"{history}><div class="card-title">'
            f'<h3 class="fs-5 link-primary">{title}</h3></div><footer class="node__meta">'
            f'<div class="node__submitted">{by} <span>pressa</span> {on} {date}</div></footer>'
            f'<div class="vstack gap-4"><div class="field field--name-body">{summary}</div>'
            "</div></a>")


def _layout(cards: list[str], layout: str) -> str:
    if layout == "unformatted":
        return "".join(f'<div class="views-row">{c}</div>' for c in cards)
    if layout == "olivero-grid":
        items = "".join(f'<div class="views-view-grid__item"><div class="views-view-grid__'
                        f'item-inner">{c}</div></div>' for c in cards)
        return (f'<div class="views-view-grid views-view-grid--horizontal" '
                f'style="--views-grid--column-count: {COLUMNS}">{items}</div>')
    if layout == "grid-horizontal":
        rows = [cards[i:i + COLUMNS] for i in range(0, len(cards), COLUMNS)]
        inner = "".join(
            f'<div class="views-row clearfix row-{r + 1}">'
            + "".join(f'<div class="views-col col-{c + 1}">{x}</div>' for c, x in enumerate(row))
            + "</div>" for r, row in enumerate(rows))
        return f'<div class="views-view-grid horizontal cols-{COLUMNS} clearfix">{inner}</div>'
    # vertical: Views fills the columns one after the other, so document order is list order
    per_column = -(-len(cards) // COLUMNS)
    columns = [cards[i:i + per_column] for i in range(0, len(cards), per_column)]
    inner = "".join(
        f'<div class="views-col clearfix col-{c + 1}">'
        + "".join(f'<div class="views-row row-{r + 1}">{x}</div>' for r, x in enumerate(col))
        + "</div>" for c, col in enumerate(columns))
    return f'<div class="views-view-grid vertical cols-{COLUMNS} clearfix">{inner}</div>'


def style(site: ReplicaSite, lang: str, page: int) -> tuple[str, str, str]:
    """(template, layout, date format) of a card listing page."""
    rng = random.Random(f"{site.seed}:cards:/{lang}/news?page={page}")
    return (rng.choice(TEMPLATES), rng.choice(LAYOUTS),
            rng.choice(["numeric", "words", "medium"]))


def news_listing(site: ReplicaSite, lang: str, page: int) -> str | None:
    """``/{lang}/news?page=N`` with card rows: the same articles, links and off-site entries
    as the default listing (pages.news_listing), each a card."""
    articles = site.listed(lang)
    total = max(1, -(-len(articles) // NEWS_PAGE_SIZE))
    if page >= total:
        return None
    template, layout, date_style = style(site, lang, page)
    rng = random.Random(f"{site.seed}:cards:/{lang}/news?page={page}:rows")
    cards = []
    start = page * NEWS_PAGE_SIZE
    for i, a in enumerate(articles[start:start + NEWS_PAGE_SIZE], start):
        date = _listing_date(a, date_style)
        cards.append(card(a, _href(a, i), template, date, rng))
        if i % OFFSITE_EVERY == OFFSITE_EVERY - 1:
            cards.append(card(a, f"https://www.belta.by/society/view/{a.node_id}/", template,
                              date, rng, node=False))
    return pages.news_page(site, lang, page, total, _layout(cards, layout))
