"""HTML, RSS and robots.txt of the replica, in the markup of each era (site.md).

Page chrome is deliberately noisy: the contacts block (``Тел.: +375 (17) 287 87 06``), menus,
language switcher, breadcrumb, a sidebar of latest news with their own dates, share buttons,
"Версия для печати", and a footer with a year range. None of it may reach an item.
"""

from __future__ import annotations

import datetime as dt
import html
from email.utils import format_datetime

from . import chrome
from .content import GENITIVE, WEEKDAYS_RU
from .site import HOST_VARIANTS, ReplicaArticle, ReplicaSite

NEWS_PAGE_SIZE = 10  # entries of /{lang}/news?page=N
FRONT_PAGE_SIZE = 10  # teasers of /?page=N
FEED_SIZE = 20
SITE_NAME = {"ru": "Министерство связи и информатизации Республики Беларусь",
             "be": "Міністэрства сувязі і інфарматызацыі Рэспублікі Беларусь",
             "en": "Ministry of Communications and Informatization of the Republic of Belarus"}
NEWS_WORD = {"ru": "Новости", "be": "Навіны", "en": "News"}
HOME_WORD = {"ru": "Главная", "be": "Галоўная", "en": "Home"}
PRINT_WORD = {"ru": "Версия для печати", "be": "Версія для друку", "en": "Printer-friendly version"}
LATEST_WORD = {"ru": "Последние новости", "be": "Апошнія навіны", "en": "Latest news"}
MENU = [("/ru/ministerstvo", "О Министерстве"), ("/ru/rukovodstvo", "Руководство"),
        ("/ru/news", "Новости"), ("/ru/normativnye-pravovye-akty", "Нормативные правовые акты"),
        ("/ru/administrativnye-procedury", "Административные процедуры"),
        ("/ru/obrashcheniya-grazhdan", "Обращения граждан"), ("/ru/kontakty", "Контакты"),
        ("/ru/vakansii", "Вакансии"),
        ("/ru/protivodeystvie-korrupcii", "Противодействие коррупции")]
_STYLE = ("body{font-family:Arial,sans-serif;margin:0}#header{background:#0b4a8b;color:#fff}"
          ".menu li{display:inline-block;padding:4px 8px}.news-item{margin:8px 0}"
          ".sidebar{float:right;width:25%}.footer{clear:both;font-size:12px}") * 6
_SCRIPT = ('jQuery.extend(Drupal.settings, {"basePath":"\\/","pathPrefix":"ru\\/",'
           '"ajaxPageState":{"theme":"mpt","theme_token":"x9Gz"},"googleanalytics":'
           '{"trackOutbound":1,"trackMailto":1,"trackDownload":1}});') * 4


def e(text: str) -> str:
    return html.escape(text, quote=True)


def _contacts() -> str:
    # [known] the header contacts block of every page
    return ('<div class="contacts-block"><p>Тел.: +375 (17) 287 87 06<br />'
            "Факс: +375 (17) 327 21 57</p><p>220030, г. Минск, пр-т Независимости, 10</p>"
            '<p><a href="mailto:mpt@mpt.gov.by">mpt@mpt.gov.by</a></p></div>')


def _live(site: ReplicaSite) -> bool:
    """Whether pages carry the live site's weight of chrome (``serve --weight live``)."""
    return site.weight == "live"


def _menu(lang: str, live: bool = False, switcher: str | None = None) -> str:
    """Header navigation: the main menu, the language switcher (``switcher``: a page's own,
    else links to the sections' front pages) and the search form; with ``live``, also the top
    bar, the full main menu with its submenus and Drupal's search block (chrome.py). The caller
    puts it in a header region."""
    items = "".join(f'<li class="leaf"><a href="{p.replace("/ru/", f"/{lang}/")}">{t}</a></li>'
                    for p, t in MENU)
    switch = "".join(f'<li class="{code}"><a href="/{code}" class="language-link">{code}</a></li>'
                     for code in ("ru", "be", "en"))
    switcher = switcher or f'<ul class="language-switcher-locale-url">{switch}</ul>'
    return (f'<ul class="menu main-menu">{items}</ul>'
            f'{switcher}'
            '<form action="/ru/search" method="get" id="search-block-form"><input type="text" '
            'name="search_block_form" value="" /><input type="submit" value="Поиск" /></form>'
            + (chrome.top_bar(lang) + chrome.main_menu(lang) + chrome.search_form(lang)
               if live else ""))


def _footer(live: bool = False, lang: str = "ru") -> str:
    """The footer (itself a chrome region: ``#footer``); with ``live``, the live site's link
    columns, banners and counters inside it."""
    return ('<div id="footer" class="footer"><p>© 2009–2026 Министерство связи и информатизации '
            "Республики Беларусь. При использовании материалов ссылка на сайт обязательна.</p>"
            '<p>Обновлено: 20.11.2026</p><a href="https://www.belta.by">БЕЛТА</a> '
            '<a href="https://pravo.by">Национальный правовой Интернет-портал</a>'
            f'{chrome.footer(lang) if live else ""}</div>')


def _share(url: str) -> str:
    return ('<div class="share-buttons">Поделиться: '
            f'<a href="https://vk.com/share.php?url={e(url)}">ВКонтакте</a> '
            f'<a href="https://www.facebook.com/sharer.php?u={e(url)}">Facebook</a> '
            f'<a href="https://t.me/share/url?url={e(url)}">Telegram</a></div>')


NATIVE = {"ru": "Русский", "be": "Беларуская", "en": "English"}


def hreflang_links(site: ReplicaSite, a: ReplicaArticle) -> str:
    """Drupal 8+ content_translation's head links (``ContentTranslationHooks::pageAttachments``;
    earlier content_translation_page_attachments): one absolute ``rel="alternate"`` per
    translation of the node, its own language included. On a fallback page, the node's
    translations: the section's language is not among them. Only with translations on."""
    if not site.translations:
        return ""
    return "".join(f'<link rel="alternate" hreflang="{m.lang}" href="{m.url}" />\n'
                   for m in site.members(a))


def language_block_d8(site: ReplicaSite, a: ReplicaArticle, system_path: bool = True,
                      active: bool = True) -> str:
    """Drupal 8+ language block (modules/language/src/Plugin/Block/LanguageBlock.php, theme
    ``links__language_block``): every language, translated or not, linking the node in it
    (the translation's alias, else /{lang}/node/N); ``data-drupal-link-system-path`` from
    ``set_active_class``, ``is-active`` from ActiveLinkResponseFilter."""
    shown = a.shows or a
    have = {m.lang: m for m in site.members(a)} if site.translations else {}
    nid = shown.node_id
    path_attr = f' data-drupal-link-system-path="node/{nid}"' if system_path else ""
    items = []
    for code in ("ru", "be", "en"):
        href = have[code].path if code in have else f"/{code}/node/{nid}"
        on = " is-active" if active and code == a.lang else ""
        li_class = f' class="{on.strip()}"' if on else ""
        items.append(f'<li hreflang="{code}"{path_attr}{li_class}>'
                     f'<a href="{href}" class="language-link{on}" '
                     f'hreflang="{code}"{path_attr}>{NATIVE[code]}</a></li>')
    return ('<div class="language-switcher-language-url block block-language" '
            f'role="navigation"><ul class="links">{"".join(items)}</ul></div>')


def switcher_d7(site: ReplicaSite, a: ReplicaArticle, xml_lang: bool = True) -> str | None:
    """Drupal 7 locale block with the translation module (locale_block_view,
    locale_language_switcher_url, translation_language_switch_links_alter): a link per
    translation of the node's set, ``locale-untranslated`` (and no href, so theme_links writes
    a span) for a language without one. None without translations (the plain switcher)."""
    if not site.translations:
        return None
    have = {m.lang: m for m in site.members(a)}
    items = []
    for i, code in enumerate(("ru", "be", "en")):
        place = " first" if i == 0 else " last" if i == 2 else ""
        lang_attr = f' xml:lang="{code}"' if xml_lang else ""
        if code in have:
            on = " active" if have[code].path == a.path else ""
            items.append(f'<li class="{code}{place}{on}"><a href="{have[code].path}" '
                         f'class="language-link{on}"{lang_attr}>{NATIVE[code]}</a></li>')
        else:
            items.append(f'<li class="{code}{place}"><span class="language-link '
                         f'locale-untranslated"{lang_attr}>{NATIVE[code]}</span></li>')
    return f'<ul class="language-switcher-locale-url">{"".join(items)}</ul>'


def _head(title: str, lang: str, extra: str = "", live: bool = False) -> str:
    return (f'<!DOCTYPE html>\n<html lang="{lang}" dir="ltr"><head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
            f"{extra}<title>{e(title)} | {SITE_NAME[lang]}</title>\n"
            f"<style>{_STYLE}</style>\n<script>{_SCRIPT}</script>\n"
            f'{chrome.head(lang) if live else ""}</head>\n')


def _sidebar_d7(site: ReplicaSite, lang: str, word_dates: bool) -> str:
    """Latest news with their own dates: the trap for a date parser that takes the first one."""
    rows = []
    for a in site.listed(lang)[:5]:
        if word_dates:
            date = (f'<span class="date-display-single">{a.day.day} '
                    f"{GENITIVE['ru'][a.day.month - 1]} {a.day.year}</span>")
        else:
            date = f'<span class="latest-news-date">{a.day:%d.%m.%Y}</span>'
        rows.append(f'<li class="latest-news-item">{date} '
                    f'<a href="http://www.mpt.gov.by{a.path}">{e(a.title)}</a></li>')
    more = chrome.sidebar_blocks(lang) if _live(site) else ""
    return (f'<div class="sidebar block-latest-news"><h2>{LATEST_WORD[lang]}</h2>'
            f'<ul>{"".join(rows)}</ul>{more}</div>')


def _breadcrumb(lang: str, title: str) -> str:
    return (f'<div class="breadcrumb"><a href="/{lang}">{HOME_WORD[lang]}</a> » '
            f'<a href="/{lang}/news">{NEWS_WORD[lang]}</a> » {e(title)}</div>')


def _body_classes(a: ReplicaArticle) -> str:
    return (f"html not-front not-logged-in one-sidebar sidebar-first page-node page-node- "
            f"page-node-{a.node_id} node-type-news i18n-{a.lang}")


def article_era_a(site: ReplicaSite, a: ReplicaArticle) -> str:
    live = _live(site)
    head = _head(a.title, "ru", f'<link rel="shortlink" href="/node/{a.node_id}" />\n'
                                f'<link rel="canonical" href="{a.path}" />\n', live)
    return (
        f'{head}<body class="{_body_classes(a)}"><div id="page">'
        f'<div id="header"><a href="/" id="logo">{SITE_NAME["ru"]}</a>{_contacts()}'
        f'{_menu("ru", live, switcher_d7(site, a))}</div><div id="main">'
        # The sidebar comes before the content in this theme's source order.
        f'<div id="sidebar-first">{_sidebar_d7(site, "ru", word_dates=True)}</div>'
        f'<div id="content">{_breadcrumb("ru", a.title)}'
        f'<h1 class="title" id="page-title">{e(a.title)}</h1>'
        f'<div id="node-{a.node_id}" class="node node-news node-full clearfix">'
        f'<div class="submitted"><span class="date-display-single">{a.published_raw}</span></div>'
        '<div class="content"><div class="field field-name-body field-type-text-with-summary '
        'field-label-hidden"><div class="field-items"><div class="field-item even" '
        f'property="content:encoded">{a.body_html}</div></div></div></div>'
        f'<div class="print-link"><a href="{a.print_path}" title="{PRINT_WORD["ru"]}">'
        f'{PRINT_WORD["ru"]}</a></div>{_share(a.url)}</div></div></div>'
        f"{_footer(live)}</div></body></html>"
    )


def article_era_b(site: ReplicaSite, a: ReplicaArticle) -> str:
    live = _live(site)
    head = _head(a.title, a.lang, f'<link rel="shortlink" href="/{a.lang}/node/{a.node_id}" />\n'
                                  f'<link rel="canonical" href="{a.path}" />\n', live)
    files = ""
    if a.attachment_html:
        items = "".join(f'<div class="field-item {"even" if i % 2 == 0 else "odd"}">{h}</div>'
                        for i, h in enumerate(a.attachment_html))
        files = (f'<div class="field field-name-field-files field-type-file field-label-hidden">'
                 f'<div class="field-items">{items}</div></div>')
    return (
        f'{head}<body class="{_body_classes(a)}"><div id="page">'
        f'<div id="header"><a href="/{a.lang}" id="logo">{SITE_NAME[a.lang]}</a>{_contacts()}'
        f"{_menu(a.lang, live, switcher_d7(site, a))}</div>"
        f'<div id="main"><div id="content">{_breadcrumb(a.lang, a.title)}'
        f'<h1 class="title" id="page-title">{e(a.title)}</h1>'
        f'<div id="node-{a.node_id}" class="node node-news node-full clearfix">'
        '<div class="field field-name-field-date field-type-text field-label-hidden">'
        f'<div class="field-items"><div class="field-item even">{a.published_raw}</div></div></div>'
        '<div class="field field-name-body field-type-text-with-summary field-label-hidden">'
        '<div class="field-items"><div class="field-item even" property="content:encoded">'
        f"{a.body_html}</div></div></div>{files}"
        f'<div class="print-link"><a href="{a.print_path}">{PRINT_WORD[a.lang]}</a></div>'
        f"{_share(a.url)}</div></div>"
        f'<div id="sidebar-second">{_sidebar_d7(site, a.lang, word_dates=False)}</div></div>'
        f"{_footer(live, a.lang)}</div></body></html>"
    )


def article_era_c(site: ReplicaSite, a: ReplicaArticle) -> str:
    # A fallback page's canonical link and shortlink are in the language of the translation
    # it shows: EntityBase::toUrl() sets the entity's language on the URL.
    shown = a.shows or a
    head = _head(a.title, a.lang,
                 f'<link rel="canonical" href="{shown.url}" />\n'
                 f'<link rel="shortlink" href="https://mpt.gov.by/{shown.lang}/node/{a.node_id}"'
                 ' />\n'
                 f'{hreflang_links(site, a)}'
                 f'<meta property="og:title" content="{e(a.title)}" />\n', _live(site))
    assert a.utc_instant is not None
    images = ""
    if a.field_images:
        img = a.field_images[0]
        src = img["url"].removeprefix("https://mpt.gov.by")
        images = ('<div class="field field--name-field-image field--type-image '
                  'field--label-hidden field__items"><div class="field__item">'
                  f'<img src="{e(src)}" alt="{e(img["alt"])}" width="800" height="533" '
                  'loading="lazy" /></div></div>')
    files = ""
    if a.attachment_html:
        files = ('<div class="field field--name-field-files field--type-file field--label-hidden '
                 'field__items">'
                 + "".join(f'<div class="field__item">{h}</div>' for h in a.attachment_html)
                 + "</div>")
    latest = "".join(
        f'<div class="views-row"><time datetime="{x.day}">{x.day:%d.%m.%Y}</time> '
        f'<a href="https://www.mpt.gov.by{x.path}">{e(x.title)}</a></div>'
        for x in site.listed(a.lang)[:5]
    )
    return (
        f'{head}<body class="path-node page-node-type-news">'
        '<div class="dialog-off-canvas-main-canvas">'
        f'<header role="banner"><a href="/{a.lang}" rel="home">{SITE_NAME[a.lang]}</a>{_contacts()}'
        f"{_menu(a.lang, _live(site), language_block_d8(site, a) if site.translations else None)}"
        "</header>"
        f'<main role="main">{_breadcrumb(a.lang, a.title)}'
        f'<h1 class="page-title"><span class="field field--name-title">{e(a.title)}</span></h1>'
        f'<article data-history-node-id="{a.node_id}" role="article" about="{shown.path}" '
        'class="node node--type-news node--promoted node--view-mode-full">'
        '<div class="node__content">'
        '<div class="field field--name-field-date field--type-datetime field--label-hidden '
        f'field__item"><time datetime="{a.utc_instant:%Y-%m-%dT%H:%M:%SZ}" class="datetime">'
        f"{a.published_raw}</time></div>{images}"
        '<div class="clearfix text-formatted field field--name-body field--type-text-with-summary '
        f'field--label-hidden field__item">{a.body_html}</div>{files}</div></article>'
        f'<div class="print__wrapper"><a href="{a.print_path}" class="print__link">'
        f"{PRINT_WORD[a.lang]}</a></div>{_share(a.url)}</main>"
        f'<aside class="layout-sidebar-second"><h2>{LATEST_WORD[a.lang]}</h2>'
        f'<div class="view-latest-news">{latest}</div>'
        f'{chrome.sidebar_blocks(a.lang) if _live(site) else ""}</aside>'
        f"{_footer(_live(site), a.lang)}</div></body></html>"
    )


RENDERERS = {"A": article_era_a, "B": article_era_b, "C": article_era_c}


def article_page(site: ReplicaSite, a: ReplicaArticle) -> str:
    return RENDERERS[a.era](site, a)


def print_page(a: ReplicaArticle) -> str:
    return (f'{_head(a.title, a.lang)}<body class="print"><div class="print-content">'
            f'<h1 class="print-title">{e(a.title)}</h1><div class="print-submitted">'
            f"{a.published_raw}</div>{a.body_html}"
            f'<div class="print-source_url">Источник: {e(a.url)}</div></div></body></html>')


def _href(a: ReplicaArticle, index: int) -> str:
    """Listing links are root-relative [known]; every 7th is absolute on another site host."""
    if index % 7 == 3:
        return HOST_VARIANTS[index % len(HOST_VARIANTS)] + a.path
    return a.path


def _pager(path: str, page: int, pages: int) -> str:
    if pages <= 1:
        return ""
    items = []
    if page > 0:
        items.append(f'<li class="pager-first first"><a href="{path}">« первая</a></li>')
        prev = f"{path}?page={page - 1}" if page > 1 else path
        items.append(f'<li class="pager-previous"><a href="{prev}">‹ предыдущая</a></li>')
    for n in range(max(0, page - 4), min(pages, page + 5)):
        if n == page:
            items.append(f'<li class="pager-current">{n + 1}</li>')
        else:
            target = f"{path}?page={n}" if n else path
            items.append(f'<li class="pager-item"><a href="{target}">{n + 1}</a></li>')
    if page < pages - 1:
        items.append(f'<li class="pager-next"><a title="На следующую страницу" '
                     f'href="{path}?page={page + 1}">следующая ›</a></li>')
        items.append(f'<li class="pager-last last"><a href="{path}?page={pages - 1}">'
                     "последняя »</a></li>")
    return f'<h2 class="element-invisible">Страницы</h2><ul class="pager">{"".join(items)}</ul>'


OFFSITE_EVERY = 37  # an entry linking straight to a news agency's page, as editors sometimes do


def news_listing(site: ReplicaSite, lang: str, page: int) -> str | None:
    articles = site.listed(lang)
    pages = max(1, -(-len(articles) // NEWS_PAGE_SIZE))
    if page >= pages:
        return None
    rows = []
    start = page * NEWS_PAGE_SIZE
    for i, a in enumerate(articles[start:start + NEWS_PAGE_SIZE], start):
        rows.append(
            f'<div class="news-item views-row"><div class="news-item-date">{a.day:%d.%m.%Y}</div>'
            f'<div class="news-item-title"><a href="{e(_href(a, i))}">{e(a.title)}</a></div>'
            f'<div class="news-item-teaser">{e(a.text[:160])}…</div></div>'
        )
        if i % OFFSITE_EVERY == OFFSITE_EVERY - 1:
            rows.append(
                f'<div class="news-item views-row"><div class="news-item-date">{a.day:%d.%m.%Y}'
                '</div><div class="news-item-title"><a href="https://www.belta.by/society/view/'
                f'{a.node_id}/">Новость на сайте БЕЛТА</a></div></div>'
            )
    return news_page(site, lang, page, pages, "".join(rows))


def news_page(site: ReplicaSite, lang: str, page: int, pages: int, content: str) -> str:
    """Page ``page`` of ``/{lang}/news`` around the view's rendered rows ``content``."""
    path = f"/{lang}/news"
    live = _live(site)
    return (
        f'{_head(NEWS_WORD[lang], lang, live=live)}<body class="html not-front page-news">'
        f'<div id="page"><div id="header">{_contacts()}{_menu(lang, live)}</div><div id="content">'
        f'<h1 class="title" id="page-title">{NEWS_WORD[lang]}</h1>'
        f'<div class="view view-news view-id-news"><div class="view-content">{content}'
        f"</div>{_pager(path, page, pages)}</div></div>"
        f"{_sidebar_d7(site, lang, word_dates=False)}{_footer(live, lang)}</div></body></html>"
    )


def _teaser_date(a: ReplicaArticle) -> str:
    d = a.day
    return f"{WEEKDAYS_RU[d.weekday()]}, {d.day} {GENITIVE['ru'][d.month - 1]} {d.year}"


def front_listing(site: ReplicaSite, page: int) -> str | None:
    """The old front page ``/?page=N``: Drupal 7 teasers of Russian news."""
    articles = site.listed("ru")
    pages = max(1, -(-len(articles) // FRONT_PAGE_SIZE))
    if page >= pages:
        return None
    start = page * FRONT_PAGE_SIZE
    teasers = []
    for i, a in enumerate(articles[start:start + FRONT_PAGE_SIZE], start):
        # Some teasers link the node path instead of the alias: a /node/NID twin to collapse.
        href = a.node_path if i % 5 == 2 else _href(a, i)
        teasers.append(
            f'<div id="node-{a.node_id}" class="node node-news node-teaser node-promoted">'
            f'<h2 class="node-title"><a href="{e(href)}">{e(a.title)}</a></h2>'
            f'<div class="submitted"><span class="date-display-single">{_teaser_date(a)}</span>'
            f'</div><div class="content">{e(a.text[:300])}…</div><ul class="links inline">'
            f'<li class="node-readmore"><a href="{e(href)}">Подробнее</a></li></ul></div>'
        )
    live = _live(site)
    return (
        f'{_head(HOME_WORD["ru"], "ru", live=live)}<body class="html front not-logged-in">'
        f'<div id="page"><div id="header">{_contacts()}{_menu("ru", live)}</div>'
        f'<div id="sidebar-first">{_sidebar_d7(site, "ru", word_dates=True)}</div>'
        f'<div id="content">{"".join(teasers)}{_pager("/", page, pages).replace("/?", "/?")}'
        f"</div>{_footer(live)}</div></body></html>"
    )


def rss(site: ReplicaSite) -> str:
    items = []
    for i, a in enumerate(site.listed("ru")[:FEED_SIZE]):
        link = "https://mpt.gov.by" + (a.node_path if i % 4 == 1 else a.path)
        moment = a.published if isinstance(a.published, dt.datetime) else dt.datetime(
            a.day.year, a.day.month, a.day.day, 12, tzinfo=dt.UTC)
        items.append(
            f"<item><title>{e(a.title)}</title><link>{e(link)}</link>"
            f"<description>{e(a.text[:200])}</description>"
            f"<pubDate>{format_datetime(moment)}</pubDate>"
            "<dc:creator>mpt</dc:creator>"
            f'<guid isPermaLink="false">{a.node_id} at https://mpt.gov.by</guid></item>'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xml:base="https://mpt.gov.by/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{SITE_NAME['ru']}</title><link>https://mpt.gov.by/</link>"
        "<description></description><language>ru</language>"
        f"{''.join(items)}</channel></rss>"
    )


def robots_txt(crawl_delay: float = 10) -> str:
    return ROBOTS_TXT.replace("Crawl-delay: 10", f"Crawl-delay: {crawl_delay:g}")


ROBOTS_TXT = """#
# robots.txt (Drupal's default; the real site's is unseen)
#
User-agent: *
Crawl-delay: 10
# Directories
Disallow: /includes/
Disallow: /misc/
Disallow: /modules/
Disallow: /profiles/
Disallow: /scripts/
Disallow: /themes/
# Paths (clean URLs)
Disallow: /admin/
Disallow: /comment/reply/
Disallow: /filter/tips/
Disallow: /node/add/
Disallow: /search/
Disallow: /user/register/
Disallow: /user/password/
Disallow: /user/login/
Disallow: /user/logout/
# Paths (no clean URLs)
Disallow: /?q=admin/
Disallow: /?q=user/login/
"""


def not_found(path: str) -> str:
    return (f'{_head("Страница не найдена", "ru")}<body><div id="content"><h1 class="title">'
            f"Страница не найдена</h1><p>Запрошенная страница «{e(path)}» не найдена.</p>"
            "</div></body></html>")


def static_page(path: str) -> str:
    """A menu page (``/ru/kontakty``): the ``/{lang}/<slug>`` shape of an era-C article, no news."""
    title = dict(MENU).get(path.replace(path[:3], "/ru", 1), "Страница")
    return (f'{_head(title, "ru")}<body class="path-node page-node-type-page"><main>'
            f'<h1 class="page-title">{e(title)}</h1><article class="node node--type-page">'
            f'<div class="field field--name-body">{_contacts()}</div></article></main>'
            f"{_footer()}</body></html>")
