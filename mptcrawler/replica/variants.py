"""Variants mode of the replica: the same articles rendered the many ways real Drupal does.

    mptcrawler-replica serve --variants 7

Every page draws, per dimension, one of several renderings from a generator seeded with
``(variants seed, page path)``: the same page always looks the same, the next page another
way. The visible text (title, body, date, files) and so the ground truth never change.

Each alternative follows a real template or module (public sources; read, not copied):

- Drupal 7 pages: ``modules/system/page.tpl.php`` and Bartik's ``page.tpl.php`` (``#page-title``,
  ``#content``, ``region-*``, ``#block-system-main``), Garland's ``page.tpl.php`` (``h1``
  without id, ``#squeeze``, the site name in an ``h1``), Bootstrap's ``h1.page-header``;
  ``modules/node/node.tpl.php`` (``div#node-N.node.node-TYPE``), ``modules/rdf/rdf.module``
  (``about``, ``typeof``, ``dc:title`` metadata, ``dc:date dc:created`` around the submitted
  line, ``content:encoded`` on the body item), ``theme_field`` in ``modules/field/field.module``
  (``field-name-*``, ``field-items``, ``field-label``), the Date module's
  ``theme_date_display_single`` (``span.date-display-single`` with RDF ``content``),
  ``theme_file_link`` and the file table formatter, ``template_preprocess_html`` body classes
  (``page-node-N``), ``node_page_view`` head links (relative shortlink), the print module's
  links (``/print/N``).
- Drupal 8+ pages: ``node.html.twig`` of Classy, Olivero and Stable9 (``article``,
  ``node--type-*``, ``node--view-mode-full``, ``data-history-node-id`` from comment/history,
  ``role="article"`` up to 10.0, RDF ``about``/``typeof="schema:Article"``), ``field.html.twig``
  (``field--name-*``, ``field__item``, ``field__label``; Stable9 without classes),
  ``time.html.twig`` and the datetime formatter (``time[datetime]`` in UTC with ``Z``), the
  created field in the submitted line (``node__submitted``, Olivero's ``node__meta``), RDF
  ``schema:dateCreated``/``schema:name``/``schema:text``, ``page-title.html.twig`` (``h1`` with
  ``span.field--name-title``), ``page.html.twig`` (``main``, ``layout-content``,
  ``aside.layout-sidebar-*``; Olivero's ``region--sidebar``), the language block
  (``data-drupal-link-system-path="node/N"``), absolute shortlinks, printable's
  ``/node/N/printable/print``.
- Listings: Views 7.x-3 ``views-view-unformatted``, ``views-view-list``, ``views-view-table``,
  ``views-view-fields`` and the node row plugin (teasers), Views 8+ twins (rows without
  numbered classes), D7 ``theme_pager`` and ``theme_views_mini_pager``, D8 ``pager.html.twig``
  (query-only ``?page=N`` with ``rel="next"``) and Olivero's pager.
- RSS: D7 ``node_feed()`` and D8 ``views-view-rss.html.twig`` (with ``atom:link``).

A Stable9 page without the RDF module has no evidence of its body or files at all: that is the
fallback extractor's case, not an exact reading, so this mode does not render it.
"""

from __future__ import annotations

import datetime as dt
import random
from email.utils import format_datetime

from . import chrome, pages
from .content import GENITIVE, WEEKDAYS_RU
from .pages import (
    HOME_WORD,
    LATEST_WORD,
    NEWS_PAGE_SIZE,
    NEWS_WORD,
    OFFSITE_EVERY,
    PRINT_WORD,
    SITE_NAME,
    _contacts,
    _footer,
    _href,
    _live,
    _menu,
    _share,
    e,
)
from .site import MINSK, ReplicaArticle, ReplicaSite

SUBMITTED = {"ru": ("Опубликовано", "в"), "be": ("Апублікавана", "у"), "en": ("Submitted by", "on")}
DATE_LABEL = {"ru": "Дата", "be": "Дата", "en": "Date"}
WEEKDAY_ABBR_RU = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]


def _rng(seed: int, key: str) -> random.Random:
    return random.Random(f"{seed}:{key}")


def _iso_local(a: ReplicaArticle) -> str:
    """What PHP's ``date('c')`` writes for the article (D7 RDF, Date module, metatag)."""
    p = a.published
    moment = p if isinstance(p, dt.datetime) else dt.datetime(p.year, p.month, p.day,
                                                              tzinfo=MINSK)
    return moment.isoformat()


def _iso_utc(a: ReplicaArticle) -> str:
    if a.utc_instant is not None:
        return f"{a.utc_instant:%Y-%m-%dT%H:%M:%SZ}"
    return f"{dt.datetime.fromisoformat(_iso_local(a)).astimezone(dt.UTC):%Y-%m-%dT%H:%M:%SZ}"


def _head(a: ReplicaArticle, links: str, d8: bool, rng: random.Random, live: bool) -> str:
    extra = links
    if rng.random() < 0.5:
        extra += f'<meta property="og:title" content="{e(a.title)}" />\n'
    if rng.random() < 0.4:  # metatag's article:published_time ([node:created:custom:c])
        extra += f'<meta property="article:published_time" content="{_iso_local(a)}" />\n'
    generator = "Drupal 9 (https://www.drupal.org)" if d8 else "Drupal 7 (http://drupal.org)"
    if rng.random() < 0.5:
        extra += f'<meta name="Generator" content="{generator}" />\n'
    settings = ('<script type="application/json" data-drupal-selector="drupal-settings-json">'
                '{"path":{"baseUrl":"\\/"}}</script>\n' if d8 else
                '<script>jQuery.extend(Drupal.settings, {"basePath":"\\/"});</script>\n')
    return (f'<!DOCTYPE html>\n<html lang="{a.lang}" dir="ltr"><head>\n'
            '<meta charset="utf-8" />\n'
            f"{extra}<title>{e(a.title)} | {SITE_NAME[a.lang]}</title>\n{settings}"
            f'{chrome.head(a.lang) if live else ""}</head>\n')


def _sidebar(site: ReplicaSite, a: ReplicaArticle, rng: random.Random) -> str:
    rows = "".join(
        f'<li><span class="date-display-single">{x.day:%d.%m.%Y}</span> '
        f'<a href="{x.path}">{e(x.title)}</a></li>' for x in site.listed(a.lang)[:5])
    return (f'<div id="block-views-latest" class="block block-views"><h2>{LATEST_WORD[a.lang]}'
            f'</h2><div class="content"><div class="item-list"><ul>{rows}</ul></div></div></div>'
            f'{chrome.sidebar_blocks(a.lang) if _live(site) else ""}')


# --- Drupal 7 (eras A and B) -----------------------------------------------------------------


def _d7_date(a: ReplicaArticle, rng: random.Random) -> tuple[str, str]:
    """(markup inside the node before the body, where: 'field' or 'submitted')."""
    raw = a.published_raw
    rdf = rng.random() < 0.5
    span_attrs = (f' property="dc:date" datatype="xsd:dateTime" content="{_iso_local(a)}"'
                  if rdf else "")
    if rng.random() < 0.5:
        span = f'<span class="date-display-single"{span_attrs}>{raw}</span>'
    else:  # Date 7.x-2.14: the class last, after a double space
        span = f'<span {span_attrs} class="date-display-single">{raw}</span>'
    shape = rng.choice(["date-field", "date-field-label", "submitted-span", "submitted-rdf",
                        "garland-submitted"])
    if shape == "date-field":
        inner = span if rng.random() < 0.6 else raw
        return ('<div class="field field-name-field-date field-type-datetime '
                'field-label-hidden"><div class="field-items"><div class="field-item even">'
                f"{inner}</div></div></div>"), "field"
    if shape == "date-field-label":
        return ('<div class="field field-name-field-date field-type-datestamp '
                f'field-label-inline clearfix"><div class="field-label">{DATE_LABEL[a.lang]}:'
                f'&nbsp;</div><div class="field-items"><div class="field-item even">{span}'
                "</div></div></div>"), "field"
    by, on = SUBMITTED[a.lang]
    user = ('<span class="username" xml:lang="" about="/user/3" typeof="sioc:UserAccount" '
            'property="foaf:name" datatype="">pressa</span>')
    if shape == "submitted-span":
        return f'<div class="submitted">{span}</div>', "submitted"
    if shape == "submitted-rdf":  # rdf_process() wraps the whole submitted line
        picture = '<div class="user-picture"><img src="/sites/default/files/p.png" alt="" /></div>'
        return (f'<div class="meta submitted">{picture if rng.random() < 0.5 else ""}'
                f'<span property="dc:date dc:created" content="{_iso_local(a)}" '
                f'datatype="xsd:dateTime" rel="sioc:has_creator">{by} {user} {on} {raw}</span>'
                "</div>"), "submitted"
    # Garland's template.php: "$date — $name"
    return f'<span class="submitted">{raw} — {user}</span>', "submitted"


def _d7_files(a: ReplicaArticle, rng: random.Random) -> str:
    if not a.attachment_html:
        return ""
    if rng.random() < 0.6:
        items = "".join(f'<div class="field-item {"even" if i % 2 == 0 else "odd"}">{h}</div>'
                        for i, h in enumerate(a.attachment_html))
        return ('<div class="field field-name-field-files field-type-file field-label-hidden">'
                f'<div class="field-items">{items}</div></div>')
    rows = "".join(
        f'<tr class="{"odd" if i % 2 == 0 else "even"}"><td>{h}</td><td>{size}</td></tr>'
        for i, (h, size) in enumerate(
            (h, f'{t["size"] / 1024:.2f} KB') for h, t in zip(a.attachment_html, a.attachments,
                                                             strict=True)))
    return ('<div class="field field-name-field-files field-type-file field-label-above">'
            '<div class="field-label">Файлы:&nbsp;</div><div class="field-items">'
            '<div class="field-item even"><table class="sticky-enabled"><thead><tr>'
            "<th>Вложение</th><th>Размер</th></tr></thead><tbody>"
            f"{rows}</tbody></table></div></div></div>")


def article_d7(site: ReplicaSite, a: ReplicaArticle, seed: int) -> str:
    rng = _rng(seed, a.path)
    theme = rng.choice(["bartik", "garland", "bootstrap"])
    node_type = rng.choice(["news", "article", "page"])
    rdf = rng.random() < 0.6
    # Where the node id shows: at least one of these (era B also has it in the URL).
    where = {k for k in ("shortlink", "body-class", "node-id", "print") if rng.random() < 0.5}
    if not where and a.era == "A":
        where = {rng.choice(["shortlink", "body-class", "node-id", "print"])}
    links = f'<link rel="canonical" href="{a.path}" />\n'
    if "shortlink" in where:
        shortlink = a.node_path if rng.random() < 0.5 else "https://mpt.gov.by" + a.node_path
        links += f'<link rel="shortlink" href="{shortlink}" />\n'
    live = _live(site)
    head = _head(a, links, False, rng, live)
    body_classes = ["html", "not-front", "not-logged-in", "one-sidebar", "sidebar-first"]
    if "body-class" in where:
        body_classes += ["page-node", "page-node-", f"page-node-{a.node_id}"]
    body_classes += [f"node-type-{node_type}", f"i18n-{a.lang}"]
    node_classes = ["node", f"node-{node_type}", "node-promoted"]
    if theme == "bartik":
        node_classes.append("node-full")
    attrs = f' id="node-{a.node_id}"' if "node-id" in where else ""
    if rdf:
        attrs += f' about="{a.path}" typeof="sioc:Item foaf:Document"'
    date_html, _ = _d7_date(a, rng)
    title_meta = (f'<span property="dc:title" content="{e(a.title)}" '
                  'class="rdf-meta element-hidden"></span>' if rdf else "")
    item_rdf = ' property="content:encoded"' if rdf or rng.random() < 0.3 else ""
    body = ('<div class="field field-name-body field-type-text-with-summary field-label-hidden">'
            f'<div class="field-items"><div class="field-item even"{item_rdf}>{a.body_html}'
            "</div></div></div>")
    print_link = ""
    if "print" in where or rng.random() < 0.3:
        print_link = (f'<ul class="links inline"><li class="print_html first last">'
                      f'<a href="{a.print_path}" title="{PRINT_WORD[a.lang]}" class="print-page" '
                      f'rel="nofollow">{PRINT_WORD[a.lang]}</a></li></ul>')
    node = (f'<div{attrs} class="{" ".join(node_classes)} clearfix">{title_meta}{date_html}'
            f'<div class="content">{body}{_d7_files(a, rng)}</div>{print_link}'
            f"{_share(a.url)}</div>")
    heading = {"bartik": f'<h1 class="title" id="page-title">\n      {e(a.title)}    </h1>',
               "garland": f"<h1>{e(a.title)}</h1>",
               "bootstrap": f'<h1 class="page-header">{e(a.title)}</h1>'}[theme]
    crumbs = (f'<h2 class="element-invisible">You are here</h2><div class="breadcrumb">'
              f'<a href="/{a.lang}">{HOME_WORD[a.lang]}</a> » <a href="/{a.lang}/news">'
              f"{NEWS_WORD[a.lang]}</a></div>")
    sidebar = _sidebar(site, a, rng)
    # The locale block with the translation module's links (translations mode only); l()
    # writes xml:lang on the links of some versions and themes, the li class names the
    # language in all.
    menu = _menu(a.lang, live, pages.switcher_d7(site, a, xml_lang=rng.random() < 0.5)
                 if site.translations else None)
    if theme == "garland":
        page = (f'<div id="wrapper"><div id="container" class="clearfix"><div id="header">'
                f'<div id="logo-floater"><h1><a href="/{a.lang}" title="">'
                f"<span>{SITE_NAME[a.lang]}</span></a></h1></div>{_contacts()}{menu}"
                f'</div><div id="sidebar-left" class="sidebar">{sidebar}</div>'
                f'<div id="center"><div id="squeeze"><div class="right-corner"><div '
                f'class="left-corner">{crumbs}{heading}<div class="clearfix">{node}</div>'
                f'<div id="footer">{_footer(live, a.lang)}</div></div></div></div></div></div>'
                "</div>")
    else:
        page = (f'<div id="page-wrapper"><div id="page"><div id="header">'
                f'<div id="name-and-slogan"><div id="site-name"><strong><a href="/{a.lang}" '
                f'rel="home">{SITE_NAME[a.lang]}</a></strong></div></div>{_contacts()}</div>'
                f'<div id="navigation">{menu}</div>'
                f'<div id="main-wrapper"><div id="main" class="clearfix">'
                f'<div id="breadcrumb">{crumbs}</div>'
                f'<div id="content" class="column"><div class="section">'
                f'<a id="main-content"></a>{heading}<div class="region region-content">'
                f'<div id="block-system-main" class="block block-system"><div class="content">'
                f"{node}</div></div></div></div></div>"
                f'<div id="sidebar-first" class="column sidebar"><div class="section">'
                f'<div class="region region-sidebar-first">{sidebar}</div></div></div>'
                f'</div></div><div id="footer-wrapper"><div class="section">'
                f'<div id="footer" class="clearfix">{_footer(live, a.lang)}</div></div></div>'
                "</div></div>")
    return f'{head}<body class="{" ".join(body_classes)}" >{page}</body></html>'


# --- Drupal 8+ (era C) -----------------------------------------------------------------------


def _d8_date(a: ReplicaArticle, theme: str, rdf: bool, rng: random.Random) -> tuple[str, str]:
    """(date markup before the body, meta markup after it)."""
    raw = a.published_raw
    time_class = ' class="datetime"' if theme != "stable9" else ""
    time_el = f'<time datetime="{_iso_utc(a)}"{time_class}>{raw}</time>'
    shapes = ["time-field", "time-field-label", "submitted"]
    if theme != "stable9":
        shapes.append("text-field")
    shape = rng.choice(shapes)
    created_rdf = (f'<span property="schema:dateCreated" content="{_iso_utc(a)[:-1]}+00:00" '
                   'class="hidden"></span>' if rdf else "")
    if shape == "time-field":
        if theme == "stable9":
            return f"<div>{time_el}</div>", created_rdf
        return ('<div class="field field--name-field-date field--type-datetime '
                f'field--label-hidden field__item">{time_el}</div>'), created_rdf
    if shape == "time-field-label":
        if theme == "stable9":
            return f"<div><div>{DATE_LABEL[a.lang]}</div><div>{time_el}</div></div>", created_rdf
        return ('<div class="field field--name-field-date field--type-datetime '
                f'field--label-above"><div class="field__label">{DATE_LABEL[a.lang]}</div>'
                f'<div class="field__item">{time_el}</div></div>'), created_rdf
    if shape == "text-field":
        return ('<div class="field field--name-field-publication-date field--type-string '
                f'field--label-hidden field__item">{raw}</div>'), created_rdf
    by, on = SUBMITTED[a.lang]
    created = (f'<time datetime="{_iso_local(a)}">{raw}</time>' if rng.random() < 0.5
               else raw)  # 10.1+ renders the created timestamp as a time element
    if theme == "olivero":
        return "", (f'<div class="node__meta"><span>{by} <span class="node__author">pressa'
                    f"</span>, {created}</span>{created_rdf}</div>")
    if theme == "stable9":
        return "", f"<footer><div>{by} <span>pressa</span> {on} <span>{created}</span>" \
                   f"{created_rdf}</div></footer>"
    return "", (f'<footer class="node__meta"><div class="node__submitted">{by} '
                '<span class="field field--name-uid field--type-entity-reference '
                'field--label-hidden"><span>pressa</span></span> '
                f'{on} <span class="field field--name-created field--type-created '
                f'field--label-hidden">{created}</span>{created_rdf}</div></footer>')


def _d8_field(name: str, kind: str, theme: str, inner: str, extra_classes: str = "",
              attrs: str = "", multiple: bool = False) -> str:
    if theme == "stable9":
        return f"<div{attrs}>{inner}</div>"
    items = "field__items" if multiple else "field__item"
    return (f'<div{attrs} class="{extra_classes}field field--name-{name} field--type-{kind} '
            f'field--label-hidden {items}">{inner}</div>')


def article_d8(site: ReplicaSite, a: ReplicaArticle, seed: int) -> str:
    rng = _rng(seed, a.path)
    theme = rng.choice(["classy", "olivero", "stable9"])
    node_type = rng.choice(["news", "article", "page"])
    rdf = theme == "stable9" or rng.random() < 0.5
    where = {k for k in ("shortlink", "history", "language-links") if rng.random() < 0.6}
    if not where and "/node/" not in a.path:
        where = {rng.choice(["shortlink", "history", "language-links"])}
    # A fallback page's canonical link is in the language of the translation it shows
    # (EntityBase::toUrl() sets the entity's language); its alternates are the node's
    # translations (content_translation), placed before or after the canonical link.
    shown = a.shows or a
    links = f'<link rel="canonical" href="{shown.url}" />\n'
    if site.translations:  # (no draw otherwise: the default variants stay as they were)
        alternates = pages.hreflang_links(site, a)
        links = alternates + links if rng.random() < 0.5 else links + alternates
    if "shortlink" in where:
        links += f'<link rel="shortlink" href="https://mpt.gov.by/node/{a.node_id}" />\n'
    live = _live(site)
    head = _head(a, links, True, rng, live)
    attrs = f' data-history-node-id="{a.node_id}"' if "history" in where else ""
    if rng.random() < 0.5:
        attrs += ' role="article"'  # up to Drupal 10.0
    if rdf:
        attrs += f' about="{shown.path}" typeof="schema:Article"'
    classes = ("" if theme == "stable9" else
               f' class="node node--type-{node_type} node--promoted node--view-mode-full"')
    date_before, meta_after = _d8_date(a, theme, rdf, rng)
    body_rdf = ' property="schema:text"' if rdf else ""
    text_classes = {"classy": "clearfix text-formatted ", "olivero": "text-content clearfix ",
                    "stable9": ""}[theme]
    body = _d8_field("body", "text-with-summary", theme, a.body_html, text_classes, body_rdf)
    image = ""
    if a.field_images:
        img = a.field_images[0]
        src = img["url"].removeprefix("https://mpt.gov.by")
        image_rdf = ' property="schema:image"' if rdf else ""
        image = _d8_field("field-image", "image", theme,
                          f'<img src="{e(src)}" alt="{e(img["alt"])}" width="800" height="533" '
                          'loading="lazy" />', attrs=image_rdf)
    files = ""
    if a.attachment_html:
        items = "".join(f'<div class="field__item">{h}</div>' if theme != "stable9" else
                        f"<div>{h}</div>" for h in a.attachment_html)
        files = _d8_field("field-files", "file", theme, items, multiple=True)
    parts = [date_before, body, files]
    parts.insert(rng.choice([0, 1, 2]) if image else 0, image)
    title_meta = (f'<span property="schema:name" content="{e(a.title)}" class="hidden"></span>'
                  if rdf else "")
    content_class = {"classy": ' class="node__content"', "olivero": ' class="node__content"',
                     "stable9": ""}[theme]
    article = (f"<article{attrs}{classes}>{title_meta}<div{content_class}>{''.join(parts)}</div>"
               f"{meta_after}</article>")
    span_class = ("" if theme != "classy" else
                  ' class="field field--name-title field--type-string field--label-hidden"')
    h1_class = {"classy": ' class="page-title"', "olivero": ' class="title page-title"',
                "stable9": ""}[theme]
    heading = f"<h1{h1_class}><span{span_class}>{e(a.title)}</span></h1>"
    language_links = "".join(
        f'<li hreflang="{code}"'
        + (f' data-drupal-link-system-path="node/{a.node_id}"' if "language-links" in where
           else "")
        + f'><a href="/{code}/node/{a.node_id}" class="language-link" hreflang="{code}"'
        + (f' data-drupal-link-system-path="node/{a.node_id}"' if "language-links" in where
           else "")
        + f">{code}</a></li>" for code in ("ru", "be", "en"))
    switcher = (f'<div class="language-switcher-language-url block block-language" '
                f'role="navigation"><ul class="links">{language_links}</ul></div>')
    if site.translations:  # the block links each translation's alias
        switcher = pages.language_block_d8(site, a, system_path="language-links" in where,
                                           active=rng.random() < 0.5)
    print_link = (f'<div class="printable-links"><a href="{a.print_path}">'
                  f"{PRINT_WORD[a.lang]}</a></div>")
    latest = "".join(
        f'<div class="views-row"><time datetime="{x.day}">{x.day:%d.%m.%Y}</time> '
        f'<a href="https://www.mpt.gov.by{x.path}">{e(x.title)}</a></div>'
        for x in site.listed(a.lang)[:5])
    sidebar_inner = (f"<h2>{LATEST_WORD[a.lang]}</h2><div>{latest}</div>"
                     f'{chrome.sidebar_blocks(a.lang) if live else ""}')
    header = (f'<header role="banner"><a href="/{a.lang}" rel="home">{SITE_NAME[a.lang]}</a>'
              f"{_contacts()}{_menu(a.lang, live)}{switcher}</header>")
    crumbs = (f'<nav class="breadcrumb" aria-labelledby="system-breadcrumb"><ol>'
              f'<li><a href="/{a.lang}">{HOME_WORD[a.lang]}</a></li>'
              f'<li><a href="/{a.lang}/news">{NEWS_WORD[a.lang]}</a></li></ol></nav>')
    if theme == "olivero":
        page = (f'<div id="page-wrapper" class="page-wrapper"><div id="page">'
                f'<header id="header" class="site-header">{header}</header>'
                f'<div id="main-wrapper" class="layout-main-wrapper layout-container">'
                f'<div id="main" class="layout-main"><div class="main-content">'
                f'<a id="main-content" tabindex="-1"></a><div class="main-content__container '
                f'container"><div class="region region--breadcrumb">{crumbs}</div>'
                f'<div class="sidebar-grid grid-full"><main class="site-main">'
                f'<div class="region region--content-above"><div class="block">{heading}</div>'
                f'</div><div class="region region--content">{article}{print_link}'
                f'{_share(a.url)}</div></main><div class="region region--sidebar">'
                f"{sidebar_inner}</div></div></div></div></div></div>"
                f'<footer class="site-footer">{_footer(live, a.lang)}</footer></div></div>')
    else:
        region = ' class="region region-content"' if theme == "classy" else ""
        page = (f'<div class="dialog-off-canvas-main-canvas"><div class="layout-container">'
                f"{header}{crumbs}<main role=\"main\"><a id=\"main-content\" tabindex=\"-1\"></a>"
                f'<div class="layout-content"><div{region}><div id="block-{theme}-page-title">'
                f"{heading}</div><div id=\"block-{theme}-content\">{article}</div></div>"
                f"{print_link}{_share(a.url)}</div>"
                f'<aside class="layout-sidebar-second" role="complementary">{sidebar_inner}'
                f'</aside></main><footer role="contentinfo">{_footer(live, a.lang)}</footer>'
                "</div></div>")
    body_class = ("" if theme == "stable9" else
                  f' class="path-node page-node-type-{node_type}"')
    return f"{head}<body{body_class}>{page}</body></html>"


def article_page(site: ReplicaSite, a: ReplicaArticle, seed: int) -> str:
    return article_d8(site, a, seed) if a.era == "C" else article_d7(site, a, seed)


# --- listings ------------------------------------------------------------------------------


def _listing_date(a: ReplicaArticle, style: str) -> str:
    d = a.day
    if style == "words":
        return f"{WEEKDAYS_RU[d.weekday()]}, {d.day} {GENITIVE['ru'][d.month - 1]} {d.year}"
    if style == "medium":  # Drupal's medium format, m/d/Y
        return f"{WEEKDAY_ABBR_RU[d.weekday()]}, {d:%m/%d/%Y} - 12:00"
    return f"{d:%d.%m.%Y}"


def _row(a: ReplicaArticle, href: str, shape: str, date_style: str, rng: random.Random,
         index: int) -> str:
    date = _listing_date(a, date_style)
    title = e(a.title)
    d7_classes = (f"views-row views-row-{index + 1} views-row-"
                  f'{"odd" if index % 2 == 0 else "even"}')
    if shape == "d7-fields":
        return (f'<div class="{d7_classes}"><div class="views-field views-field-field-date">'
                f'<div class="field-content"><span class="date-display-single">{date}</span>'
                '</div></div><div class="views-field views-field-title"><span '
                f'class="field-content"><a href="{e(href)}">{title}</a></span></div>'
                f'<div class="views-field views-field-body"><div class="field-content">'
                f"{e(a.text[:160])}…</div></div></div>")
    if shape == "d7-list":
        return (f'<li class="{d7_classes}"><span class="views-field views-field-created">'
                f'<span class="field-content">{date}</span></span> '
                f'<span class="views-field views-field-title"><span class="field-content">'
                f'<a href="{e(href)}">{title}</a></span></span></li>')
    if shape in ("d7-table", "d8-table"):
        cls = f' class="{"odd" if index % 2 == 0 else "even"}"' if shape == "d7-table" else ""
        return (f'<tr{cls}><td class="views-field views-field-created">{date}</td>'
                f'<td class="views-field views-field-title"><a href="{e(href)}">{title}</a>'
                "</td></tr>")
    if shape == "d7-teaser":
        return (f'<div class="{d7_classes}"><div id="node-{a.node_id}" class="node node-news '
                f'node-promoted node-teaser clearfix" about="{a.path}" typeof="sioc:Item '
                f'foaf:Document"><h2><a href="{e(href)}">{title}</a></h2><div class="submitted">'
                f'<span class="date-display-single">{date}</span></div><div class="content">'
                f'{e(a.text[:200])}…</div><ul class="links inline"><li class="node-readmore '
                f'first last"><a href="{e(href)}" rel="tag">Подробнее</a></li></ul></div></div>')
    if shape == "d8-fields":
        return (f'<div class="views-row"><div class="views-field views-field-created">'
                f'<span class="field-content"><time datetime="{a.day}T12:00:00Z">{date}</time>'
                '</span></div><div class="views-field views-field-title"><span '
                f'class="field-content"><a href="{e(href)}" hreflang="{a.lang}">{title}</a>'
                "</span></div></div>")
    # d8-teaser
    history = f' data-history-node-id="{a.node_id}"' if rng.random() < 0.5 else ""
    return (f'<div class="views-row"><article{history} class="node node--type-news '
            f'node--promoted node--view-mode-teaser"><h2><a href="{e(href)}" rel="bookmark">'
            f'<span class="field field--name-title field--type-string field--label-hidden">'
            f'{title}</span></a></h2><footer class="node__meta"><div class="node__submitted">'
            f'<span class="field field--name-created">{date}</span></div></footer>'
            f'<div class="node__content"><div class="field field--name-body">{e(a.text[:200])}…'
            f'</div></div><div class="node__links"><ul class="links inline"><li><a '
            f'href="{e(href)}" rel="tag" hreflang="{a.lang}">Подробнее</a></li></ul></div>'
            "</article></div>")


def _pager(path: str, page: int, pages_total: int, style: str) -> str:
    if pages_total <= 1 or page >= pages_total - 1:
        return ""
    nxt = page + 1
    if style == "d7-full":
        return pages._pager(path, page, pages_total)
    if style == "d7-mini":
        prev = (f'<a href="{path}?page={page - 1}">‹‹</a>' if page > 1 else
                f'<a href="{path}">‹‹</a>' if page == 1 else "&nbsp;")
        return (f'<div class="item-list"><ul class="pager"><li class="pager-previous first">'
                f'{prev}</li>\n<li class="pager-current">{page + 1} из {pages_total}</li>\n'
                f'<li class="pager-next last"><a href="{path}?page={nxt}">››</a></li>\n'
                "</ul></div>")
    if style == "d8-full":
        return ('<nav class="pager" role="navigation" aria-labelledby="pagination-heading">'
                '<h4 id="pagination-heading" class="visually-hidden">Pagination</h4>'
                '<ul class="pager__items js-pager__items">'
                f'<li class="pager__item is-active"><a href="?page={page}" title="Current page">'
                f'<span class="visually-hidden">Page</span>{page + 1}</a></li>'
                f'<li class="pager__item"><a href="?page={nxt}" title="Go to page {nxt + 1}">'
                f'<span class="visually-hidden">Page</span>{nxt + 1}</a></li>'
                f'<li class="pager__item pager__item--next"><a href="?page={nxt}" '
                'title="Go to next page" rel="next"><span class="visually-hidden">Next page'
                '</span><span aria-hidden="true">Next ›</span></a></li></ul></nav>')
    # Olivero's pager, without rel="next" on this site's override: only the page number tells.
    return ('<nav class="pager" aria-labelledby="pagination-heading"><ul class="pager__items">'
            f'<li class="pager__item pager__item--number pager__item--active">'
            f'<span class="visually-hidden">Current page</span>{page + 1}</li>'
            f'<li class="pager__item pager__item--control pager__item--next">'
            f'<a href="?page={nxt}" class="pager__link" title="Go to next page">'
            '<span class="visually-hidden">Next page</span>›</a></li></ul></nav>')


def _listing_page(site: ReplicaSite, lang: str, path: str, page: int, articles: list[
        ReplicaArticle], page_size: int, seed: int, front: bool) -> str | None:
    pages_total = max(1, -(-len(articles) // page_size))
    if page >= pages_total:
        return None
    rng = _rng(seed, f"{path}?page={page}")
    shape = rng.choice(["d7-fields", "d7-list", "d7-table", "d7-teaser", "d8-fields",
                        "d8-table", "d8-teaser"])
    date_style = rng.choice(["numeric", "words", "medium"])
    pager = rng.choice(["d7-full", "d7-mini"] if shape.startswith("d7") else
                       ["d8-full", "olivero"])
    rows = []
    start = page * page_size
    for i, a in enumerate(articles[start:start + page_size], start):
        href = a.node_path if front and i % 5 == 2 else _href(a, i)
        rows.append(_row(a, href, shape, date_style, rng, i - start))
        if (not front and i % OFFSITE_EVERY == OFFSITE_EVERY - 1
                and shape in ("d7-fields", "d7-list", "d8-fields")):
            rows.append(_row(a, f"https://www.belta.by/society/view/{a.node_id}/", shape,
                             date_style, rng, i - start))
    if shape.endswith("table"):
        cls = "views-table cols-2" if shape == "d7-table" else "views-table views-view-table"
        content = (f'<table class="{cls}"><thead><tr><th class="views-field">Дата</th>'
                   f'<th class="views-field">Заголовок</th></tr></thead><tbody>{"".join(rows)}'
                   "</tbody></table>")
    elif shape == "d7-list":
        content = f'<div class="item-list"><ul>{"".join(rows)}</ul></div>'
    else:
        content = "".join(rows)
    view = (f'<div class="view view-news view-id-news view-display-id-page">'
            f'<div class="view-content">{content}</div>'
            f"{_pager(path, page, pages_total, pager)}</div>")
    title = HOME_WORD["ru"] if front else NEWS_WORD[lang]
    latest = "".join(f'<li><a href="{x.path}">{e(x.title)}</a> {x.day:%d.%m.%Y}</li>'
                     for x in articles[:5])
    live = _live(site)
    sidebar = (f"<h2>{LATEST_WORD[lang]}</h2><ul>{latest}</ul>"
               f'{chrome.sidebar_blocks(lang) if live else ""}')
    if shape.startswith("d7"):
        return (f"{pages._head(title, lang, live=live)}<body class=\"html "
                f'{"front" if front else "not-front"} page-news"><div id="page">'
                f'<div id="header">{_contacts()}{_menu(lang, live)}</div><div id="main">'
                f'<div id="content" class="column"><h1 class="title" id="page-title">{title}'
                f'</h1><div class="region region-content">{view}</div></div>'
                f'<div id="sidebar-first" class="column sidebar">{sidebar}</div></div>'
                f'<div id="footer">{_footer(live, lang)}</div></div></body></html>')
    return (f"{pages._head(title, lang, live=live)}<body class=\"path-news\">"
            f'<div class="layout-container">'
            f'<header role="banner">{_contacts()}{_menu(lang, live)}</header><main role="main">'
            f'<div class="layout-content"><h1 class="page-title">{title}</h1>{view}</div>'
            f'<aside class="layout-sidebar-first" role="complementary">{sidebar}</aside></main>'
            f'<footer role="contentinfo">{_footer(live, lang)}</footer></div></body></html>')


def news_listing(site: ReplicaSite, lang: str, page: int, seed: int) -> str | None:
    return _listing_page(site, lang, f"/{lang}/news", page, site.listed(lang), NEWS_PAGE_SIZE,
                         seed, front=False)


def front_listing(site: ReplicaSite, page: int, seed: int) -> str | None:
    return _listing_page(site, "ru", "/", page, site.listed("ru"), pages.FRONT_PAGE_SIZE, seed,
                         front=True)


def rss(site: ReplicaSite, seed: int) -> str:
    """D7 ``node_feed()`` or D8 Views RSS (with ``atom:link``), by the seed."""
    if _rng(seed, "/rss.xml").random() < 0.5:
        return pages.rss(site)
    items = []
    for i, a in enumerate(site.listed("ru")[:pages.FEED_SIZE]):
        link = "https://mpt.gov.by" + (a.node_path if i % 4 == 1 else a.path)
        moment = a.published if isinstance(a.published, dt.datetime) else dt.datetime(
            a.day.year, a.day.month, a.day.day, 12, tzinfo=dt.UTC)
        items.append(f"<item><title>{e(a.title)}</title><link>{e(link)}</link>"
                     f"<description>{e(e(a.text[:200]))}</description>"
                     f"<pubDate>{format_datetime(moment.astimezone(dt.UTC))}</pubDate>"
                     "<dc:creator>pressa</dc:creator>"
                     f'<guid isPermaLink="false">{a.node_id} at https://mpt.gov.by</guid></item>')
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
            'xml:base="https://mpt.gov.by/rss.xml" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
            f"<title>{SITE_NAME['ru']}</title><link>https://mpt.gov.by/rss.xml</link>"
            '<atom:link href="https://mpt.gov.by/rss.xml" rel="self" '
            'type="application/rss+xml" /><description></description><language>ru</language>'
            f"{''.join(items)}</channel></rss>")
