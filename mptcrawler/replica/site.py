"""The replica's model: a deterministic synthetic mpt.gov.by and its ground truth.

``build_site(articles=N, seed=S)`` always gives the same site for the same arguments. Each
article is generated as structured blocks; its HTML and its expected item (``truth()``) are both
derived from those blocks, so the truth never comes from parsing the HTML the crawler reads.

HTML is perturbed in ways a reader never sees (``&nbsp;``, soft hyphens, entities, source line
breaks, emphasis) so that the expected text is exact only if markup is stripped correctly.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import random
from dataclasses import dataclass, field, replace
from functools import cached_property
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from ..urls import LANGUAGES
from . import content
from .content import Mention, Sentence

MINSK = ZoneInfo("Europe/Minsk")
SEED_PATH = ("/segodnya-26-aprelya-v-minsvyazi-prokhodit-belorussko-koreyskiy-forum-v-oblasti-"
             "elektronnogo")
SEED_PUBLISHED = dt.datetime(2016, 4, 26, 10, 15, tzinfo=MINSK)
FIRST_DAY = dt.date(2013, 1, 9)
LAST_DAY = dt.date(2026, 11, 20)
# Known points of the site-wide node counter (site.md): NIDs are interpolated between them.
NID_ANCHORS = [(dt.date(2013, 1, 1), 600), (dt.date(2017, 3, 15), 1785),
               (dt.date(2022, 11, 1), 8143), (dt.date(2024, 4, 15), 9339),
               (dt.date(2026, 11, 30), 11500)]
# Every host the site answers on (site.md, "Hosts"): links on replica pages use all of them.
HOST_VARIANTS = ["http://mpt.gov.by", "https://www.mpt.gov.by", "http://www.mpt.gov.by",
                 "https://минсвязи.бел", "http://xn--b1akbcqh2a7i.xn--90ais"]
_ENTITIES = {'"': "&quot;", "«": "&laquo;", "»": "&raquo;", "—": "&mdash;", "–": "&ndash;",
             "№": "&#8470;"}


@dataclass(frozen=True)
class Block:
    """One block of a body: its HTML and what a reader sees of it (None: nothing)."""

    html: str
    text: str | None
    sentences: tuple[Sentence, ...] = ()


@dataclass
class ReplicaArticle:
    node_id: int
    lang: str
    era: str  # A, B, C
    title: str
    path: str  # canonical path: /<slug>, /ru/news/DD-MM-YYYY-NID, /ru/<slug>, /ru/node/NID
    published: dt.date | dt.datetime  # truth: a datetime only where the page shows a time
    blocks: list[Block]
    # Trailing attribution paragraphs: (paragraph HTML, expected entry of `sources`).
    attributions: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    photo_credit: tuple[str, dict[str, str]] | None = None  # (paragraph HTML, expected)
    photo_first: bool = False  # the photo credit comes before the attributions
    dateline: str | None = None  # BelTA dateline opening the first paragraph
    dateline_bold: bool = False
    share_widget: bool = False  # era C: Yandex share block inside the body field
    images: list[dict[str, Any]] = field(default_factory=list)  # inline ones are in blocks too
    field_images: list[dict[str, Any]] = field(default_factory=list)  # era C image field
    attachments: list[dict[str, Any]] = field(default_factory=list)  # [(html, truth)]
    attachment_html: list[str] = field(default_factory=list)
    nominative_month: bool = False  # era A: Drupal 7's "26 Апрель 2016"
    url_date: dt.date | None = None  # era B: the date in the URL (differs from the field rarely)
    utc_instant: dt.datetime | None = None  # era C: time[datetime]
    trailing_empty_paragraph: bool = False
    seed_mentions: tuple[Mention, ...] | None = None
    text_lang: str = ""  # the language the text is written in, when it is not `lang` (quirk)
    # The translation set (build_site(translations=True)): Drupal 8+ translations share the
    # node; a Drupal 7 set of nodes is known by its source node (i18n's tnid). None: node/<nid>.
    set_key: str | None = None
    # The node's versions in the other languages, [{"lang", "url"}]: set by ReplicaSite.
    translations: list[dict[str, str]] = field(default_factory=list)
    # A language-fallback page (/be/node/N of a node without a Belarusian translation): the
    # article whose text it shows. Such a page is no article and has no truth of its own.
    shows: ReplicaArticle | None = None
    # Changed since the day before (build_site's ``edited``/``edited_old``): the sitemap's
    # lastmod is then the moment the replica's next day began (ReplicaSite.changed_at).
    edited: bool = False

    @property
    def url(self) -> str:
        return "https://mpt.gov.by" + self.path

    @property
    def translation_key(self) -> str:
        return self.set_key or f"node/{self.node_id}"

    @property
    def node_path(self) -> str:
        return f"/node/{self.node_id}" if self.era == "A" else f"/{self.lang}/node/{self.node_id}"

    @property
    def print_path(self) -> str:
        if self.era == "C":
            return f"/{self.lang}/node/{self.node_id}/printable/print"
        return f"/print/{self.node_id}" if self.era == "A" else f"/{self.lang}/print/{self.node_id}"

    @property
    def day(self) -> dt.date:
        p = self.published
        return p.date() if isinstance(p, dt.datetime) else p

    @property
    def published_raw(self) -> str:
        if self.era == "A":
            assert isinstance(self.published, dt.datetime)
            p = self.published
            month = (content.NOMINATIVE_RU[p.month - 1] if self.nominative_month
                     else content.GENITIVE["ru"][p.month - 1])
            return f"{content.WEEKDAYS_RU[p.weekday()]}, {p.day} {month} {p.year} - {p:%H:%M}"
        return f"{self.day:%d.%m.%Y}"

    @cached_property
    def body_html(self) -> str:
        parts = [b.html for b in self.blocks]
        if self.dateline:
            line = f"<strong>{self.dateline}</strong>" if self.dateline_bold else self.dateline
            parts[0] = parts[0].replace("<p>", f"<p>{line} ", 1)
        trailing = [html for html, _ in self.attributions]
        if self.photo_credit:
            trailing.insert(0 if self.photo_first else len(trailing), self.photo_credit[0])
        parts += trailing
        if self.trailing_empty_paragraph:
            parts.append("<p>&nbsp;</p>")
        if self.share_widget:
            parts.append('<div class="ya-share2" data-services="vkontakte,facebook,telegram">'
                         '<span class="ya-share2__title">Поделиться</span> <a href="https://vk.com/'
                         f'share.php?url={self.url}">ВКонтакте</a></div>')
        return "\n".join(parts)

    @property
    def sources(self) -> list[dict[str, Any]]:
        head = ([{"name": "БЕЛТА", "url": None, "raw": self.dateline, "kind": "dateline"}]
                if self.dateline else [])
        return head + [entry for _, entry in self.attributions]

    @cached_property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks if b.text)

    def _mentions(self) -> list[dict[str, Any]]:
        text = self.text
        found: list[dict[str, Any]] = []
        cursor = 0
        wanted: list[Mention] = (list(self.seed_mentions) if self.seed_mentions is not None
                                 else [m for b in self.blocks for s in b.sentences
                                       for m in s.mentions])
        for m in wanted:
            start = text.index(m.text, cursor)
            cursor = start + len(m.text)
            found.append({"text": m.text, "date": m.date, "kind": m.kind,
                          "start": start, "end": cursor})
        return found

    def truth(self) -> dict[str, Any]:
        """The item the crawler must produce for this article (without ``crawled_at``)."""
        published = self.published.isoformat()
        return {
            "url": self.url,
            "node_id": self.node_id,
            "lang": self.lang,
            "translation_key": self.translation_key,
            "translations": self.translations,
            "title": self.title,
            "published": published,
            "published_raw": self.published_raw,
            "text": self.text,
            "source": ({k: v for k, v in self.sources[0].items() if k != "kind"}
                       if self.sources else None),
            "dates_mentioned": self._mentions(),
            "images": self.field_images + self.images,
            "attachments": self.attachments,
            "sources": self.sources,
            "photo_credit": self.photo_credit[1] if self.photo_credit else None,
            "era": self.era,
            "extraction": "site",
        }


# --- HTML with invisible perturbations ------------------------------------------------------


def perturb(text: str, rng: random.Random, emphasis: bool = True) -> str:
    """``text`` as HTML a reader sees as ``text``: entities, no-break spaces, soft hyphens,
    line breaks in the source and emphasis, placed at random."""
    words = text.split(" ")
    out = []
    for i, word in enumerate(words):
        piece = "".join(
            _ENTITIES[ch] if ch in _ENTITIES and rng.random() < 0.5 else html.escape(ch, False)
            for ch in word
        )
        if len(word) > 9 and word.isalpha() and rng.random() < 0.08:
            cut = len(piece) // 2
            piece = piece[:cut] + "&shy;" + piece[cut:]
        if emphasis and word.isalpha() and rng.random() < 0.04:
            tag = rng.choice(["strong", "em", "b"])
            piece = f"<{tag}>{piece}</{tag}>"
        out.append(piece)
        if i < len(words) - 1:
            r = rng.random()
            out.append("&nbsp;" if r < 0.05 else "\n    " if r < 0.08 else " ")
    return "".join(out)


def _paragraph(sentences: list[Sentence], rng: random.Random, emphasis: bool = True) -> Block:
    text = " ".join(s.text for s in sentences)
    return Block(f"<p>{perturb(text, rng, emphasis)}</p>", text, tuple(sentences))


def _list_block(lang: str, rng: random.Random) -> Block:
    items = rng.sample(content.LIST_ITEMS[lang], k=min(3, len(content.LIST_ITEMS[lang])))
    tag = rng.choice(["ul", "ol"])
    marker = (lambda i: f"{i}. ") if tag == "ol" else (lambda i: "- ")
    lis = "".join(f"\n  <li>{perturb(item, rng)}</li>" for item in items)
    text = "\n".join(marker(i) + item for i, item in enumerate(items, 1))
    return Block(f"<{tag}>{lis}\n</{tag}>", text)


def _table_block(lang: str, rng: random.Random) -> Block:
    header = content.TABLE_HEADERS[lang]
    rows = content.TABLE_ROWS[lang][: rng.randint(2, len(content.TABLE_ROWS[lang]))]
    cells = "".join(f"<th>{h}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c, False)}</td>" for c in row) + "</tr>\n"
        for row in rows
    )
    markup = (f'<table class="table" border="1">\n<thead><tr>{cells}</tr></thead>\n'
              f"<tbody>\n{body}</tbody></table>")
    text = "\n".join(" | ".join(row) for row in [header, *rows])
    return Block(markup, text)


# --- building the site ----------------------------------------------------------------------


def _nid_for(day: dt.date) -> int:
    for (d0, n0), (d1, n1) in itertools.pairwise(NID_ANCHORS):
        if d0 <= day <= d1:
            return n0 + round((n1 - n0) * (day - d0).days / (d1 - d0).days)
    return NID_ANCHORS[-1][1]


def _era(day: dt.date) -> str:
    return "A" if day.year <= 2016 else "B" if day.year <= 2022 else "C"


def load_seed() -> tuple[str, list[str], str, str]:
    """The seed document bundled with the package: title, paragraphs, attribution line, URL."""
    doc = resources.files(__package__).joinpath("seed_article.txt").read_text(encoding="utf-8")
    head, _, tail = doc.strip("\n").partition("\n\n---\n\n### **Source URL:**\n\n")
    blocks = head.split("\n\n")
    title = blocks[0].removeprefix("## ")
    return title, blocks[1:-1], blocks[-1], tail.strip("<>")


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.aliases: set[str] = set()
        self.english_on_be = False

    def alias(self, prefix: str, title: str) -> str:
        # Pathauto gives a repeated title the suffix -0, then -1, … (site.md, era C).
        base = prefix + content.slugify(title)
        path, n = base, 0
        while path in self.aliases:
            path = f"{base}-{n}"
            n += 1
        self.aliases.add(path)
        return path

    def body(self, lang: str, day: dt.date, era: str) -> tuple[list[Block], list[dict[str, Any]]]:
        rng = self.rng
        fillers = content.FILLER[lang]
        dated = content.DATE_SENTENCES[lang]
        blocks: list[Block] = []
        images: list[dict[str, Any]] = []
        for p in range(rng.randint(2, 5)):
            sentences = [Sentence(s) for s in rng.sample(fillers, k=rng.randint(1, 3))]
            for _ in range(rng.randint(0, 2) if p else 1):
                sentences.insert(rng.randint(0, len(sentences)), rng.choice(dated)(rng, day))
            blocks.append(_paragraph(sentences, rng))
            if p == 0 and era != "C" and rng.random() < 0.35:
                src = f"/sites/default/files/field/image/img_{day:%Y%m%d}_{p}.jpg"
                written = rng.choice([src, rng.choice(HOST_VARIANTS) + src])
                alt = rng.choice(content.IMAGE_ALTS[lang])
                blocks.append(Block(f'<p><img src="{written}" alt="{alt}" width="600" '
                                    f'height="400" /></p>', None))
                images.append({"url": "https://mpt.gov.by" + src, "alt": alt, "caption": None})
            elif p == 0 and era == "C" and rng.random() < 0.25:
                src = f"/sites/default/files/inline-images/photo_{day:%Y%m%d}.jpg"
                alt = rng.choice(content.IMAGE_ALTS[lang])
                caption = rng.choice(content.CAPTIONS[lang])
                blocks.append(Block(
                    f'<figure class="caption caption-img"><img src="{src}" alt="{alt}" />'
                    f"<figcaption>{caption}</figcaption></figure>", None))
                images.append({"url": "https://mpt.gov.by" + src, "alt": alt,
                               "caption": caption})
        extras = []
        if rng.random() < 0.15:
            heading = content.HEADINGS[lang]
            extras.append(Block(f"<h3>{heading}</h3>", heading))
        if rng.random() < 0.3:
            extras.append(_list_block(lang, rng))
        if rng.random() < 0.2:
            extras.append(_table_block(lang, rng))
        if rng.random() < 0.1:
            lines = ["Контактный телефон: +375 (17) 309 44 01",
                     "Электронная почта: press@mpt.gov.by"]
            extras.append(Block("<p>" + "<br />\n".join(lines) + "</p>", "\n".join(lines)))
        at = rng.randint(1, len(blocks))
        blocks[at:at] = extras
        return blocks, images

    def attributions(self, art: ReplicaArticle, lang: str, rng: random.Random) -> None:
        """Trailing attribution lines, a photo credit, and a BelTA dateline, at random."""
        found: list[tuple[str, dict[str, Any]]] = []
        r = rng.random()
        if r < 0.6:
            markup, raw, name, url = rng.choice(content.ATTRIBUTIONS[lang])
            found.append((f"<p>{markup.format(u=url)}</p>",
                          {"name": name, "url": url, "raw": raw.format(u=url),
                           "kind": "attribution"}))
            if lang == "ru" and rng.random() < 0.15:  # several: a report and a site
                report = "По информации пресс-службы Оперативно-аналитического центра."
                found.insert(0, (f"<p>{report}</p>", {
                    "name": "пресс-службы Оперативно-аналитического центра", "url": None,
                    "raw": report, "kind": "attribution"}))
        if art.era == "C" and rng.random() < 0.25:
            target = f"/{lang}/news"
            written = rng.choice(HOST_VARIANTS) + target
            label = content.READ_MORE[lang]
            found.append((f'<p><a href="{written}">{label}</a></p>', {
                "name": "mpt.gov.by", "url": "https://mpt.gov.by" + target, "raw": label,
                "kind": "read_more"}))
        art.attributions = found
        if rng.random() < 0.15:
            credit = content.PHOTO_CREDITS[lang]
            art.photo_credit = (f"<p>{credit[0]}</p>", {"name": credit[1], "raw": credit[0]})
            art.photo_first = rng.random() < 0.5
        if lang == "ru" and art.era != "A" and rng.random() < 0.15:
            art.dateline = (f"{art.day.day} {content.GENITIVE['ru'][art.day.month - 1]}, "
                            "Минск /Корр. БЕЛТА/.")
            art.dateline_bold = rng.random() < 0.5
        art.share_widget = art.era == "C" and rng.random() < 0.3

    def article(self, day: dt.date, nid: int, lang: str | None = None) -> ReplicaArticle:
        """An article of ``day``; ``lang`` given: a translation, never the quirk."""
        rng = self.rng
        era = _era(day)
        translation = lang is not None
        if lang is None:
            lang = "ru" if era == "A" else rng.choices(["ru", "be", "en"], [70, 15, 15])[0]
        # The prefix does not guarantee the language: /be/node/7670 served English text. The
        # first Belarusian era-C article always does, so that every replica has the quirk.
        quirk = (not translation and lang == "be" and era == "C"
                 and (not self.english_on_be or rng.random() < 0.25))
        self.english_on_be = self.english_on_be or quirk
        written_in = "en" if quirk else lang
        title = rng.choice(content.TOPICS[written_in])
        blocks, images = self.body(written_in, day, era)
        published: dt.date | dt.datetime = day
        art = ReplicaArticle(node_id=nid, lang=lang, era=era, title=title, path="",
                             published=day, blocks=blocks, images=images, text_lang=written_in)
        art.trailing_empty_paragraph = rng.random() < 0.1
        if era == "A":
            published = dt.datetime(day.year, day.month, day.day, rng.randint(8, 18),
                                    rng.choice([0, 5, 15, 30, 45]), tzinfo=MINSK)
            art.nominative_month = rng.random() < 0.3
            art.path = self.alias("/", title)
        elif era == "B":
            # The URL date is the creation day; rarely it differs from the date field.
            art.url_date = day - dt.timedelta(days=1) if rng.random() < 0.03 else day
            art.path = f"/{lang}/news/{art.url_date:%d-%m-%Y}-{nid}"
            self.attach(art, rng)
        else:
            hour = rng.choice([0, 0, 9, 11, 14, 16])  # 00:xx in Minsk is the previous UTC day
            local = dt.datetime(day.year, day.month, day.day, hour, rng.randint(0, 59),
                                tzinfo=MINSK)
            art.utc_instant = local.astimezone(dt.UTC)
            unaliased = written_in != lang or rng.random() < 0.1
            art.path = f"/{lang}/node/{nid}" if unaliased else self.alias(f"/{lang}/", title)
            if rng.random() < 0.6:
                src = f"/sites/default/files/styles/large/public/{day:%Y-%m}/photo_{nid}.jpg"
                query = f"?itok={rng.getrandbits(32):08x}"
                alt = rng.choice(content.IMAGE_ALTS[written_in])
                art.field_images = [{"url": "https://mpt.gov.by" + src + query, "alt": alt,
                                     "caption": None}]
            self.attach(art, rng)
        art.published = published
        self.attributions(art, written_in, rng)
        return art

    def attach(self, art: ReplicaArticle, rng: random.Random) -> None:
        if rng.random() > 0.25:
            return
        for i in range(rng.randint(1, 2)):
            title = rng.choice(content.ATTACHMENT_TITLES)
            path = f"/sites/default/files/doc_{art.node_id}_{i}.pdf"
            size = rng.randint(20_000, 900_000)
            written = rng.choice([path, "https://www.mpt.gov.by" + path])
            if art.era == "B":
                art.attachment_html.append(
                    '<span class="file"><img class="file-icon" alt="PDF icon" '
                    'src="/modules/file/icons/application-pdf.png" /> '
                    f'<a href="{written}" type="application/pdf; length={size}">'
                    f"{html.escape(title, False)} PDF</a></span>")
                art.attachments.append({"url": "https://mpt.gov.by" + path, "title": title,
                                        "type": "application/pdf", "size": size})
            else:
                art.attachment_html.append(
                    '<span class="file file--mime-application-pdf file--application-pdf">'
                    f'<a href="{written}" type="application/pdf">{html.escape(title, False)}</a>'
                    f'</span> <span class="file__size">{size / 1024:.2f} KB</span>')
                shown = round(float(f"{size / 1024:.2f}") * 1024)  # what the label tells
                art.attachments.append({"url": "https://mpt.gov.by" + path, "title": title,
                                        "type": "application/pdf", "size": shown})

    def seed_article(self, nid: int) -> ReplicaArticle:
        title, paragraphs, attribution, url = load_seed()
        assert url == "https://mpt.gov.by" + SEED_PATH, url
        # The seed page shows no emphasis (its Markdown has none), so none is added here.
        blocks = [Block(f"<p>{perturb(p, self.rng, emphasis=False)}</p>", p) for p in paragraphs]
        label, _, link = attribution.partition(": ")
        href = link.strip("<>")
        source = {"name": "belta.by", "url": href, "raw": f"{label}: {href}",
                  "kind": "attribution"}
        mentions = (  # read off the seed's text by hand
            Mention("Сегодня", "2016-04-26", "relative"),
            Mention("в марте", "2016-03", "month"),
            Mention("сегодня", "2016-04-26", "relative"),
            Mention("в мае-июне", "2016-05/2016-06", "range"),
            Mention("на 2016-2022 годы", "2016/2022", "range"),
        )
        return ReplicaArticle(
            node_id=nid, lang="ru", era="A", title=title, path=SEED_PATH,
            published=SEED_PUBLISHED, blocks=blocks,
            attributions=[(f'<p>{label}: <a href="{href}">{href}</a></p>', source)],
            seed_mentions=mentions,
        )


WEIGHTS = ("small", "live")


@dataclass
class ReplicaSite:
    """All articles, newest first, with the lookups the server needs."""

    articles: list[ReplicaArticle]
    seed: int
    variants: int | None = None  # render pages the many ways Drupal does (variants.py)
    moved: dict[str, str] = field(default_factory=dict)  # old alias → new (301 redirects)
    # "small" (~9 KB pages, fast tests) or "live": the live site's ~60 KB of chrome (chrome.py)
    weight: str = "small"
    # Pages link their translations (hreflang alternates, language switchers): build_site's
    # ``translations``. Without it no page shows any translation evidence.
    translations: bool = False
    fallbacks: list[ReplicaArticle] = field(default_factory=list)  # language-fallback pages
    # ``serve --sitemap STYLE``: robots.txt announces /sitemap.xml, written the way of that
    # Drupal module (replica/sitemap.py); None: no sitemap, as site.md knows the live site.
    sitemap: str | None = None
    sitemap_chunk: int = 2000  # links per chunk of the sitemap (simple_sitemap's default)
    # ``serve --card-rows``: /{lang}/news renders each row as a card wrapped in the node's link
    # (replica/cards.py); every other page as before.
    cards: bool = False
    # When this day's site began (serve sets its start): the lastmod of the edited articles.
    changed_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def __post_init__(self) -> None:
        pages = [*self.articles, *self.fallbacks]
        self.by_path = {a.path: a for a in pages}
        self.by_node_path = {a.node_path: a for a in pages}
        self.by_print_path = {a.print_path: a for a in pages}
        self.sets: dict[str, list[ReplicaArticle]] = {}
        for a in self.articles:
            self.sets.setdefault(a.translation_key, []).append(a)
        order = {lang: i for i, lang in enumerate(LANGUAGES)}
        for members in self.sets.values():
            members.sort(key=lambda m: order[m.lang])
            for a in members:
                a.translations = [{"lang": m.lang, "url": m.url} for m in members if m is not a]

    def members(self, a: ReplicaArticle) -> list[ReplicaArticle]:
        """The translation set of ``a`` (of the article a fallback page shows), ru, be, en."""
        shown = a.shows or a
        return self.sets.get(shown.translation_key, [shown])

    def listed(self, lang: str) -> list[ReplicaArticle]:
        """What ``/{lang}/news`` lists, newest first: its articles and its language-fallback
        pages (a View not filtered by translation language lists every node, linking the
        ones without a translation in this language by /{lang}/node/N)."""
        found = [a for a in self.articles if a.lang == lang]
        extra = [f for f in self.fallbacks if f.lang == lang]
        if not extra:
            return found
        return sorted([*found, *extra], key=lambda a: a.day, reverse=True)

    def truth(self) -> list[dict[str, Any]]:
        return [a.truth() for a in self.articles]


UPDATE_NOTE = {"ru": "Материал обновлен: добавлены комментарии участников.",
               "be": "Матэрыял абноўлены: дададзены каментарыі ўдзельнікаў.",
               "en": "The story was updated with comments of the participants."}


def build_site(articles: int = 40, seed: int = 1, *, span_days: int | None = None,
               added: int = 0, edited: int = 0, deleted: int = 0, renamed: int = 0,
               edited_old: int = 0, deleted_old: int = 0,
               variants: int | None = None, weight: str = "small",
               translations: bool = False) -> ReplicaSite:
    """A replica with ``articles`` articles (at least 1: the seed's), newest first.

    ``span_days`` puts the articles in the last days before 2026-11-20 instead of 2013–2026
    (a dense site, for incremental runs). ``added`` articles newer than all others and
    ``edited`` changes to the newest existing ones make the next day's site: everything else
    stays exactly as it was. ``weight`` changes only the page chrome, never an article.
    ``translations`` adds translations of some era-B and era-C articles and language-fallback
    pages (see :func:`_translate`); ``articles`` counts the generated originals, translations
    come on top.
    """
    if articles < 1:
        raise ValueError("a replica has at least one article (the seed's)")
    builder = _Builder(seed)
    first_day = FIRST_DAY if span_days is None else LAST_DAY - dt.timedelta(days=span_days)
    span = (LAST_DAY - first_day).days
    days = sorted(first_day + dt.timedelta(days=builder.rng.randrange(span))
                  for _ in range(articles - 1))
    result: list[ReplicaArticle] = []
    seed_day = SEED_PUBLISHED.date()
    seed_done = False
    last_nid = 0
    for day in [*days, LAST_DAY + dt.timedelta(days=1)]:
        if not seed_done and day >= seed_day:
            last_nid = max(last_nid + 1, _nid_for(seed_day))
            result.append(builder.seed_article(last_nid))
            seed_done = True
        if day > LAST_DAY:
            break
        last_nid = max(last_nid + builder.rng.randint(1, 4), _nid_for(day))
        result.append(builder.article(day, last_nid))
    result.reverse()
    fallbacks: list[ReplicaArticle] = []
    if translations:
        result, fallbacks = _translate(result, builder, seed)
    # Old articles edited or deleted: spread over the archive's older half, where only a full
    # crawl or rolling revalidation (MPT_REVALIDATE_DAYS) looks.
    older = result[len(result) // 2:]
    step = max(1, len(older) // max(1, edited_old + deleted_old))
    spread = older[::step][:edited_old + deleted_old]
    for article in [*result[:edited], *spread[:edited_old]]:  # the newest: re-checked
        note = UPDATE_NOTE[article.lang]
        article.blocks.append(Block(f"<p>{note}</p>", note))
        article.edited = True
        article.__dict__.pop("body_html", None)  # cached properties of the old text
        article.__dict__.pop("text", None)
    old_gone = spread[edited_old:]
    if added:
        later = _Builder(seed + 7919)  # a stream of its own: the existing articles stay as they are
        later.aliases = builder.aliases
        later.english_on_be = True
        newest = result[0].day
        nid = max(a.node_id for a in result)
        for i in range(added):
            nid += later.rng.randint(1, 3)
            result.insert(0, later.article(newest + dt.timedelta(days=1 + i // 3), nid))
    # Deleted: the newest articles after the edited ones (an incremental run re-checks them).
    gone = result[edited:edited + deleted] + old_gone
    result = [a for a in result if a not in gone]
    # Renamed: era-C articles whose alias changed (pathauto after a title edit); the old alias
    # redirects to the new one, as Drupal's redirect module does.
    moved: dict[str, str] = {}
    for article in [a for a in result[edited:] if a.era == "C" and "/node/" not in a.path][
            :renamed]:
        old = article.path
        article.path = builder.alias(f"/{article.lang}/", article.title + " obnovleno")
        moved[old] = article.path
    fallbacks = [f for f in fallbacks if f.shows in result]
    if weight not in WEIGHTS:
        raise ValueError(f"weight must be one of {WEIGHTS}, not {weight!r}")
    return ReplicaSite(result, seed, variants, moved, weight, translations, fallbacks)


TRANSLATED = 0.4  # the share of era-B/C originals translated into each other language
FALLBACK = 0.2  # the share of the rest that get a language-fallback page listed


def _translate(originals: list[ReplicaArticle], builder: _Builder, seed: int
               ) -> tuple[list[ReplicaArticle], list[ReplicaArticle]]:
    """Translations in the two Drupal styles, some news in one language only, and pages that
    fall back to another language's text (site.md, Languages), from a stream of their own: the
    originals stay exactly as build_site made them.

    - Era C (Drupal 8+, content_translation): a translation is the same node in another
      language, with its own pathauto alias (or none: /be/node/N).
    - Era B (Drupal 7, i18n/translation): a translation is another node of the set, with a
      node id of its own, created after its source (the next free id).
    - Era A pages have no language prefix on the site: Russian only.
    - Language fallback: /{lang}/node/N of a node without a translation in lang shows the
      text of a language it has. The default replica's quirk (an English text at
      /be/node/N, no evidence on the page) becomes what Drupal would make of it with
      translations on: an English node, at /en/…, and the fallback page /be/node/N.
    """
    rng = random.Random(f"{seed}:translations")
    tb = _Builder(seed + 104729)
    tb.aliases = builder.aliases
    tb.english_on_be = True
    used = {a.node_id for a in originals}
    result: list[ReplicaArticle] = []
    fallbacks: list[ReplicaArticle] = []

    def fallback(art: ReplicaArticle, lang: str) -> None:
        # The shown article under another section: its node, another language's prefix.
        page = replace(art, lang=lang, path=f"/{lang}/node/{art.node_id}", shows=art,
                       translations=[])
        fallbacks.append(page)

    for art in originals:
        result.append(art)
        if art.era == "A":
            continue
        if art.text_lang and art.text_lang != art.lang:
            unaliased = rng.random() < 0.3
            art.lang = art.text_lang
            art.path = (f"/{art.lang}/node/{art.node_id}" if unaliased
                        else tb.alias(f"/{art.lang}/", art.title))
            fallback(art, "be")
            continue
        others = [lang for lang in LANGUAGES if lang != art.lang]
        done = [lang for lang in others if rng.random() < TRANSLATED]
        for lang in done:
            if art.era == "C":
                nid = art.node_id
            else:
                nid = art.node_id + 1
                while nid in used:
                    nid += 1
                used.add(nid)
            version = tb.article(art.day, nid, lang)
            version.set_key = f"node/{art.node_id}"
            art.set_key = art.translation_key
            result.append(version)
        missing = [lang for lang in others if lang not in done]
        if missing and rng.random() < FALLBACK:
            fallback(art, rng.choice(missing))
    return result, fallbacks
