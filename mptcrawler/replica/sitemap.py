"""``/sitemap.xml`` as Drupal's sitemap modules write it (``serve --sitemap STYLE``).

site.md knows no sitemap on the live site; this is the [replica] answer to "what if it has one".
Both modules write with PHP's XMLWriter, without indentation, one element per line:

- ``simple_sitemap`` (Drupal 8+): ``/sitemap.xml`` is a ``sitemapindex`` once the links do not
  fit one chunk, its chunks ``/sitemap.xml?page=1``…; each ``url`` has ``xhtml:link`` hreflang
  alternates of every translation (itself included), then ``lastmod`` as PHP's ``date('c')``
  in the site's time zone (``+03:00``), ``changefreq`` and ``priority``.
- ``xmlsitemap`` (Drupal 7 and 8+): the same index and chunk addresses; ``lastmod`` as
  ``gmdate(DATE_W3C)`` (``+00:00``); ``priority`` only where it is not the default 0.5.
- ``malformed``: a sitemap cut off mid-element (a generator that died writing its file).
- ``missing``: robots.txt announces it, ``/sitemap.xml`` answers 404 (the module uninstalled,
  its line left in a hand-edited robots.txt).

``lastmod`` is the node's ``changed`` time: its publication, or for an article edited since the
day before (build_site's ``edited``/``edited_old``), the moment the replica's next day began
(``ReplicaSite.changed_at``). Deleted articles are not listed; the front page is, as both
modules add it.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from .site import MINSK, ReplicaArticle, ReplicaSite

STYLES = ("simple_sitemap", "xmlsitemap", "malformed", "missing")
# Links per chunk: simple_sitemap's default (xmlsitemap writes up to 50,000). Tests ask for
# fewer (serve --sitemap-chunk) so that a few hundred articles make an index of several chunks.
CHUNK = 2000
_NS = ('xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
       'xmlns:xhtml="http://www.w3.org/1999/xhtml"')
_XSL = {"simple_sitemap": "/sitemap_generator/default/sitemap.xsl",
        "xmlsitemap": "/sitemap.xsl"}


def changed(article: ReplicaArticle, changed_at: dt.datetime) -> dt.datetime:
    """The node's last change: the next day's start if it was edited, else its publication
    (era C's instant; a date alone: noon in Minsk)."""
    if article.edited:
        return changed_at
    if article.utc_instant is not None:  # era C: the time its date field shows
        return article.utc_instant
    p = article.published
    if isinstance(p, dt.datetime):
        return p
    return dt.datetime(p.year, p.month, p.day, 12, tzinfo=MINSK)


def _lastmod(moment: dt.datetime, style: str) -> str:
    if style == "xmlsitemap":
        return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    return moment.astimezone(MINSK).isoformat(timespec="seconds")


def _url(site: ReplicaSite, article: ReplicaArticle, style: str,
         changed_at: dt.datetime) -> str:
    parts = [f"<url><loc>{escape(article.url)}</loc>"]
    if style == "simple_sitemap" and site.translations:
        for member in site.members(article):
            parts.append(f'<xhtml:link rel="alternate" hreflang="{member.lang}" '
                         f'href="{escape(member.url)}"/>')
    parts.append(f"<lastmod>{_lastmod(changed(article, changed_at), style)}</lastmod>")
    parts.append("<changefreq>weekly</changefreq>")
    if style == "simple_sitemap":
        parts.append("<priority>0.5</priority>")
    parts.append("</url>")
    return "".join(parts)


def _front(style: str, changed_at: dt.datetime) -> str:
    return (f"<url><loc>https://mpt.gov.by/</loc><lastmod>{_lastmod(changed_at, style)}"
            "</lastmod><changefreq>daily</changefreq><priority>1.0</priority></url>")


def _document(style: str, root: str, rows: list[str]) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<?xml-stylesheet type="text/xsl" href="{_XSL[style]}"?>\n'
            f"<{root} {_NS}>\n" + "\n".join(rows) + f"\n</{root}>\n")


def sitemap(site: ReplicaSite, style: str, page: int, changed_at: dt.datetime,
            chunk: int = CHUNK) -> str | None:
    """``/sitemap.xml`` (``page`` 0) or its chunk ``?page=N`` of ``chunk`` links; None: no
    such chunk (404)."""
    if style not in STYLES:
        raise ValueError(f"sitemap style must be one of {STYLES}, not {style!r}")
    if style == "missing":
        return None
    shown = "xmlsitemap" if style == "malformed" else style
    rows = [_front(shown, changed_at)] + [
        _url(site, a, shown, changed_at) for a in sorted(site.articles, key=lambda a: a.node_id)]
    chunks = [rows[i:i + chunk] for i in range(0, len(rows), chunk)]
    if style == "malformed":
        whole = _document(shown, "urlset", rows)
        return whole[: len(whole) // 3]  # cut inside an element, no closing tags
    if page == 0 and len(chunks) > 1:
        newest = _lastmod(max(changed(a, changed_at) for a in site.articles), style)
        index = [f"<sitemap><loc>https://mpt.gov.by/sitemap.xml?page={n}</loc>"
                 f"<lastmod>{newest}</lastmod></sitemap>" for n in range(1, len(chunks) + 1)]
        return _document(style, "sitemapindex", index)
    if page == 0:
        return _document(style, "urlset", chunks[0])
    if 1 <= page <= len(chunks) and len(chunks) > 1:
        return _document(style, "urlset", chunks[page - 1])
    return None
