"""Page chrome of live weight: what makes the live site's pages ~60 KB (shared/notes.md) where
the replica's own markup is ~9 KB. ``mptcrawler-replica serve --weight live``.

A Drupal 7 government site of this kind carries, on every page: a head full of stylesheet and
script links, inline styles and a large ``Drupal.settings`` object; a top bar (version for the
visually impaired, languages, social icons as inline SVG); a main menu of a dozen sections with
nested submenus; a search form with Drupal's hidden form fields; sidebar blocks of banners,
useful links and a poll; a footer of link columns, contacts, state-portal banners and the
counters' scripts (Yandex.Metrika, Google Analytics, LiveInternet).

Every piece here is page chrome the way Drupal marks it, so that no parser may read it as the
article: it goes only into the header, navigation, sidebar and footer regions of the page
renderers (``pages.py``, ``variants.py``), and it carries none of the markup the parsers take as
evidence of a node, a date, a title or a Drupal version (no ``node`` classes, no ``h1``, no
``article``/``main``, no ``field-name-``/``field--name-`` classes, no ``data-drupal-*``, no
shortlink, Generator, ``og:title`` or JSON-LD, no ``rel="next"`` and no ``?page=`` links). Each
piece is built once per language and cached: the live weight costs the server little.
"""

from __future__ import annotations

import json
import random
from functools import cache

# Sections of the main menu and their pages (the live site's menu is unseen; these are the
# usual sections of a Belarusian ministry's site, with their usual depth).
SECTIONS: list[tuple[str, str, list[str]]] = [
    ("ministerstvo", "О Министерстве", [
        "Общие сведения", "Структура Министерства", "Положение о Министерстве",
        "Коллегия Министерства", "Организации, подчинённые Министерству", "История отрасли",
        "Общественно-консультативный совет", "Научно-технический совет", "Символика отрасли"]),
    ("rukovodstvo", "Руководство", [
        "Министр", "Первый заместитель Министра", "Заместители Министра",
        "График личного приёма граждан", "Прямые телефонные линии"]),
    ("deyatelnost", "Деятельность", [
        "Электросвязь", "Почтовая связь", "Информатизация", "Цифровое развитие",
        "Радиочастотный спектр", "Государственные программы", "Международное сотрудничество",
        "Стандартизация", "Лицензирование", "Подтверждение соответствия",
        "Инновационная деятельность", "Кадровая политика", "Идеологическая работа"]),
    ("normativnye-pravovye-akty", "Нормативные правовые акты", [
        "Законы Республики Беларусь", "Указы и распоряжения Президента",
        "Постановления Совета Министров", "Постановления Министерства",
        "Технические нормативные правовые акты", "Проекты нормативных правовых актов",
        "Общественное обсуждение"]),
    ("administrativnye-procedury", "Административные процедуры", [
        "Для граждан", "Для юридических лиц и индивидуальных предпринимателей",
        "Перечень административных процедур", "Образцы заявлений", "Служба «одно окно»",
        "Электронные административные процедуры"]),
    ("obrashcheniya-grazhdan", "Обращения граждан", [
        "Порядок рассмотрения обращений", "Электронные обращения", "Книга замечаний и "
        "предложений", "Ответы на часто задаваемые вопросы", "Горячая линия",
        "Обзор обращений"]),
    ("press-centr", "Пресс-центр", [
        "Новости", "Анонсы", "Интервью", "Выступления", "Фотогалерея", "Видеогалерея",
        "Публикации в СМИ", "Контакты для СМИ", "Пресс-релизы"]),
    ("cifrovaya-transformaciya", "Цифровая трансформация", [
        "Государственная программа «Цифровое развитие Беларуси»", "Концепция цифровой "
        "трансформации", "Электронное правительство", "Открытые данные",
        "Межведомственная система документооборота", "Общегосударственная автоматизированная "
        "информационная система", "Единый портал электронных услуг"]),
    ("ekonomika-otrasli", "Экономика отрасли", [
        "Основные показатели", "Тарифы", "Государственные закупки", "Инвестиционные проекты",
        "Государственное имущество", "Экспорт услуг"]),
    ("protivodeystvie-korrupcii", "Противодействие коррупции", [
        "Нормативная база", "Комиссия по противодействию коррупции", "Планы мероприятий",
        "Сообщить о коррупции"]),
    ("vakansii", "Вакансии", ["Вакансии Министерства", "Вакансии подчинённых организаций",
                              "Кадровый резерв"]),
    ("kontakty", "Контакты", ["Справочник телефонов", "Схема проезда", "Реквизиты",
                              "Режим работы"]),
]
SOCIAL = [("vk", "ВКонтакте", "https://vk.com/mptgovby"),
          ("telegram", "Telegram", "https://t.me/mptgovby"),
          ("youtube", "YouTube", "https://www.youtube.com/@mptgovby"),
          ("facebook", "Facebook", "https://www.facebook.com/mptgovby"),
          ("instagram", "Instagram", "https://www.instagram.com/mptgovby"),
          ("ok", "Одноклассники", "https://ok.ru/mptgovby")]
PORTALS = [("president.gov.by", "Официальный Интернет-портал Президента Республики Беларусь"),
           ("government.by", "Правительство Республики Беларусь"),
           ("pravo.by", "Национальный правовой Интернет-портал Республики Беларусь"),
           ("portal.gov.by", "Единый портал электронных услуг"),
           ("belarus.by", "Официальный сайт Республики Беларусь"),
           ("e-gov.by", "Электронное правительство"),
           ("opendata.by", "Портал открытых данных"),
           ("rcheck.by", "Реестр проверок"),
           ("mvd.gov.by", "Кибербезопасность: осторожно, мошенники!"),
           ("beltelecom.by", "РУП «Белтелеком»"),
           ("belpost.by", "РУП «Белпочта»"),
           ("brtpc.by", "Белорусский радиотелевизионный передающий центр")]


def _slug(text: str, index: int) -> str:
    return f"razdel-{index}-" + "".join(c for c in text.lower() if c.isalnum())[:12]


def _svg(seed: str) -> str:
    """An inline SVG icon, as themes embed them: a path of a few hundred characters."""
    rng = random.Random(seed)
    points = " ".join(f"{rng.randint(0, 24)}.{rng.randint(0, 99)},{rng.randint(0, 24)}."
                      f"{rng.randint(0, 99)}" for _ in range(24))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24"'
            f' aria-hidden="true" focusable="false"><path d="M{points}Z" fill="currentColor"/>'
            "</svg>")


@cache
def head(lang: str) -> str:
    """Stylesheet and script links, inline styles and settings: ~13 KB."""
    rng = random.Random(f"head:{lang}")
    links = "".join(
        f'<link type="text/css" rel="stylesheet" href="https://mpt.gov.by/sites/default/files/'
        f'css/css_{rng.getrandbits(128):032x}.css" media="all" />\n' for _ in range(10))
    scripts = "".join(
        f'<script type="text/javascript" src="https://mpt.gov.by/sites/default/files/js/'
        f'js_{rng.getrandbits(128):032x}.js"></script>\n' for _ in range(8))
    rules = []
    for i in range(60):
        selector = rng.choice(["#header", ".menu", ".block", ".region", "#footer", ".banner",
                               ".social", ".sidebar", ".views-row", ".search-form", ".top-bar"])
        rules.append(f"{selector} .c{i}{{margin:{rng.randint(0, 20)}px {rng.randint(0, 20)}px;"
                     f"padding:{rng.randint(0, 12)}px;color:#{rng.getrandbits(24):06x};"
                     f"font-size:{rng.randint(11, 18)}px;line-height:1.{rng.randint(2, 6)}}}")
    style = "\n".join(rules)
    files = {f"sites/all/modules/m{i}/m{i}.css": 1 for i in range(60)}
    js = {f"sites/all/modules/m{i}/m{i}.js": 1 for i in range(45)}
    settings = {
        "basePath": "/", "pathPrefix": f"{lang}/",
        "ajaxPageState": {"theme": "mpt", "theme_token": f"{rng.getrandbits(160):040x}",
                          "js": js, "css": files},
        "colorbox": {"opacity": "0.85", "current": "{current} из {total}",
                     "previous": "« Назад", "next": "Вперёд »", "close": "Закрыть",
                     "maxWidth": "98%", "maxHeight": "98%", "fixed": True},
        "googleanalytics": {"trackOutbound": 1, "trackMailto": 1, "trackDownload": 1,
                            "trackDownloadExtensions": "7z|aac|arc|arj|asf|asx|avi|bin|csv|doc"
                            "x?|exe|flv|gif|gz|gzip|hqx|jar|jpe?g|js|mp(2|3|4|e?g)|mov(ie)?|msi"
                            "|msp|pdf|phps|png|ppt|qtm?|ra(m|r)?|sea|sit|tar|tgz|torrent|txt|wav"
                            "|wma|wmv|wpd|xls|xml|z|zip"},
        "superfish": {str(i): {"id": str(i), "sf": {"animation": {"opacity": "show",
                                                                  "height": "show"},
                                                    "speed": "fast", "autoArrows": False},
                               "plugins": {"smallscreen": {"mode": "window_width",
                                                           "title": "Меню"}}}
                      for i in range(1, 5)},
        "urlIsAjaxTrusted": {f"/{lang}/search": True},
    }
    return (f'<meta name="viewport" content="width=device-width, initial-scale=1.0" />\n'
            '<link rel="shortcut icon" href="https://mpt.gov.by/sites/default/files/favicon.ico"'
            ' type="image/vnd.microsoft.icon" />\n'
            f'{links}<style type="text/css" media="all">\n{style}\n</style>\n{scripts}'
            '<script type="text/javascript">\n<!--//--><![CDATA[//><!--\n'
            f"jQuery.extend(Drupal.settings, {json.dumps(settings, ensure_ascii=False)});\n"
            "//--><!]]>\n</script>\n")


@cache
def top_bar(lang: str) -> str:
    """Accessibility link, languages and social icons above the header: ~5 KB."""
    social = "".join(
        f'<li class="social-{key}"><a href="{href}" target="_blank" rel="noopener" '
        f'title="{name}">{_svg(key)}<span class="element-invisible">{name}</span></a></li>'
        for key, name, href in SOCIAL)
    langs = "".join(f'<li class="{code}{" active" if code == lang else ""}"><a href="/{code}" '
                    f'class="language-link" xml:lang="{code}">{code.upper()}</a></li>'
                    for code in ("ru", "be", "en"))
    return ('<div id="top-bar" class="top-bar header-top clearfix">'
            '<a href="#main-content" class="element-invisible element-focusable">'
            "Перейти к основному содержанию</a>"
            '<a href="/special" class="special-version" title="Версия для слабовидящих">'
            f'{_svg("eye")}Версия для слабовидящих</a>'
            f'<ul class="language-switcher top-languages">{langs}</ul>'
            f'<ul class="social-links">{social}</ul></div>')


@cache
def main_menu(lang: str) -> str:
    """The main menu: a dozen sections, their pages, a third level under the first: ~20 KB."""
    mlid = 400
    items = []
    for index, (slug, title, children) in enumerate(SECTIONS):
        rows = []
        for j, child in enumerate(children):
            mlid += 1
            path = f"/{lang}/{slug}/{_slug(child, j)}"
            third = ""
            if j == 0:
                grand = "".join(
                    f'<li class="leaf menu-mlid-{mlid * 10 + k}"><a href="{path}/{k + 1}">'
                    f"{child}: часть {k + 1}</a></li>" for k in range(2))
                third = f'<ul class="menu sf-menu-level-3">{grand}</ul>'
            position = " first" if j == 0 else " last" if j == len(children) - 1 else ""
            kind = "expanded" if third else "leaf"
            rows.append(f'<li class="{kind}{position} menu-mlid-{mlid}"><a href="{path}" '
                        f'class="sf-depth-2">{child}</a>{third}</li>')
        mlid += 1
        position = " first" if index == 0 else " last" if index == len(SECTIONS) - 1 else ""
        items.append(f'<li class="expanded{position} menu-mlid-{mlid} sf-depth-1">'
                     f'<a href="/{lang}/{slug}" title="{title}" class="sf-depth-1 menuparent">'
                     f'{title}</a><ul class="menu sf-menu-level-2">{"".join(rows)}</ul></li>')
    return (f'<div id="block-superfish-1" class="block block-superfish block-menu">'
            f'<div class="content"><ul id="superfish-1" class="menu sf-menu sf-main-menu '
            f'sf-horizontal sf-style-none">{"".join(items)}</ul></div></div>')


@cache
def search_form(lang: str) -> str:
    """Drupal 7's search block form, with its hidden fields: ~1 KB."""
    rng = random.Random(f"search:{lang}")
    return (f'<div id="block-search-form" class="block block-search search-block">'
            f'<form action="/{lang}/search" method="post" id="search-block-form--2" '
            'accept-charset="UTF-8"><div><div class="container-inline">'
            '<h2 class="element-invisible">Форма поиска</h2>'
            '<div class="form-item form-type-textfield form-item-search-block-form">'
            '<label class="element-invisible" for="edit-search-block-form--4">Поиск </label>'
            '<input title="Введите ключевые слова для поиска." placeholder="Поиск по сайту" '
            'type="text" id="edit-search-block-form--4" name="search_block_form" value="" '
            'size="15" maxlength="128" class="form-text" /></div>'
            '<div class="form-actions form-wrapper" id="edit-actions--2"><input type="submit" '
            'id="edit-submit--2" name="op" value="Найти" class="form-submit" /></div>'
            '<input type="hidden" name="form_build_id" value="form-'
            f'{rng.getrandbits(256):064x}" /><input type="hidden" name="form_id" '
            'value="search_block_form" /></div></div></form></div>')


@cache
def sidebar_blocks(lang: str) -> str:
    """Banners, useful links and a poll, as sidebar blocks: ~7 KB."""
    banners = "".join(
        f'<div class="banner-item"><a href="https://{host}" target="_blank" title="{name}">'
        f'<img src="https://mpt.gov.by/sites/default/files/banners/{host.split(".")[0]}.png" '
        f'alt="{name}" width="240" height="80" /></a></div>' for host, name in PORTALS)
    useful = "".join(
        f'<li class="leaf"><a href="https://{host}/ru/" target="_blank">{name}</a></li>'
        for host, name in reversed(PORTALS))
    answers = ["Ежедневно", "Несколько раз в неделю", "Раз в месяц", "Впервые на сайте"]
    poll = "".join(
        f'<div class="form-item form-type-radio"><input type="radio" id="edit-choice-{i}" '
        f'name="choice" value="{i}" class="form-radio" /><label class="option" '
        f'for="edit-choice-{i}">{a}</label></div>' for i, a in enumerate(answers))
    return (f'<div id="block-views-banners-block" class="block block-views banners">'
            f'<h2 class="block-title">Баннеры</h2><div class="content">{banners}</div></div>'
            f'<div id="block-menu-menu-useful-links" class="block block-menu">'
            f'<h2 class="block-title">Полезные ссылки</h2><div class="content">'
            f'<ul class="menu">{useful}</ul></div></div>'
            f'<div id="block-poll-recent" class="block block-poll"><h2 class="block-title">'
            f'Опрос</h2><div class="content"><form action="/{lang}/poll" method="post">'
            f'<div class="poll"><div class="vote-form"><div class="choices">'
            f'<div class="title">Как часто вы посещаете сайт Министерства?</div>{poll}</div>'
            '<input type="submit" name="op" value="Голосовать" class="form-submit" /></div>'
            "</div></form></div></div>")


@cache
def footer(lang: str) -> str:
    """Link columns, portal banners, contacts and the counters' scripts: ~12 KB."""
    columns = "".join(
        f'<div class="footer-column"><div class="footer-title">{title}</div><ul class="menu">'
        + "".join(f'<li class="leaf"><a href="/{lang}/{slug}/{_slug(c, j)}">{c}</a></li>'
                  for j, c in enumerate(children[:5]))
        + "</ul></div>" for slug, title, children in SECTIONS[:4])
    portals = "".join(
        f'<a href="https://{host}" class="footer-banner" target="_blank" title="{name}">'
        f'<img src="https://mpt.gov.by/sites/default/files/banners/f-{host.split(".")[0]}.png"'
        f' alt="{name}" width="180" height="60" /></a>' for host, name in PORTALS)
    social = "".join(f'<a href="{href}" class="footer-social social-{key}" title="{name}">'
                     f"{_svg('f' + key)}</a>" for key, name, href in SOCIAL)
    counters = (
        '<script type="text/javascript">(function(m,e,t,r,i,k,a){m[i]=m[i]||function(){'
        "(m[i].a=m[i].a||[]).push(arguments)};m[i].l=1*new Date();for(var j=0;j<document."
        "scripts.length;j++){if(document.scripts[j].src===r){return;}}k=e.createElement(t),"
        "a=e.getElementsByTagName(t)[0],k.async=1,k.src=r,a.parentNode.insertBefore(k,a)})"
        '(window,document,"script","https://mc.yandex.ru/metrika/tag.js","ym");ym(21948346,'
        '"init",{clickmap:true,trackLinks:true,accurateTrackBounce:true,webvisor:true});'
        "</script><noscript><div><img src=\"https://mc.yandex.ru/watch/21948346\" "
        'style="position:absolute;left:-9999px" alt="" /></div></noscript>'
        '<script async src="https://www.googletagmanager.com/gtag/js?id=UA-2145326-1"></script>'
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push("
        "arguments);}gtag('js',new Date());gtag('config','UA-2145326-1');</script>"
        '<div class="counter-li"><script type="text/javascript">document.write("<a href=\'//'
        "www.liveinternet.ru/click' target=_blank><img src='//counter.yadro.ru/hit?t44.6;r\"+"
        'escape(document.referrer)+((typeof(screen)=="undefined")?"":";s"+screen.width+"*"+'
        'screen.height+"*"+(screen.colorDepth?screen.colorDepth:screen.pixelDepth))+";u"+'
        'escape(document.URL)+";h"+escape(document.title.substring(0,150))+";"+Math.random()'
        '+"\' alt=\'\' title=\'LiveInternet\' border=\'0\' width=\'31\' height=\'31\'><\\/a>")'
        "</script></div>")
    return (f'<div class="footer-menus clearfix">{columns}</div>'
            f'<div class="footer-banners">{portals}</div>'
            '<div class="footer-contacts"><p>Приёмная: +375 (17) 287 87 06, факс: +375 (17) '
            "327 21 57</p><p>Режим работы: понедельник–пятница с 9.00 до 18.00, обед с 13.00 "
            "до 14.00</p><p>Электронные обращения принимаются через единую систему "
            '<a href="https://обращения.бел">обращения.бел</a></p></div>'
            f'<div class="footer-social-links">{social}</div>'
            f'<div class="footer-counters">{counters}</div>')
