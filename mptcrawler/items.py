"""The exported record: one news article of mpt.gov.by.

Every field's exact format is written in its ``doc`` metadata (also each Parquet column's
metadata); the field table of docs/fields.md says the same word for word, and the JSON Schema
(``schema/article-<SCHEMA_VERSION>.schema.json``) has the same fields in the same order but
not these descriptions; tests/test_documentation.py keeps the three in step.
Fields after ``EXPORT_FIELDS`` are working data of the pipelines and are never exported.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from typing import Any

import orjson

# The version of the item's JSON Schema, written into every item, the schema's file name and
# `$id`, and the Parquet file's metadata. Semantic versioning (docs/fields.md, "Schema
# version"): major when a field is removed or renamed or a value changes its type or meaning,
# minor when a field or a value is added, patch when only descriptions change.
SCHEMA_VERSION = "1.0.0"


def _doc(text: str) -> dict[str, str]:
    return {"doc": text}


@dataclass
class Article:
    url: str = field(metadata=_doc(
        "Canonical URL, always `https://mpt.gov.by/<path>` whatever host or base URL served it; "
        "for a `/node/NID` twin or a print copy, the aliased page's URL."
    ))
    node_id: int | None = field(metadata=_doc(
        "Drupal node id (one site-wide counter), from the page's own evidence in this order: "
        "`data-history-node-id`, the node's `node-N` id or RDF `about`, the shortlink, the "
        "`page-node-N` body class, its print, edit or language links, the URL (era B, "
        "`/node/NID`); null only if the page shows none."
    ))
    lang: str = field(metadata=_doc(
        "Section language from the URL prefix: `ru`, `be` or `en` (no prefix: `ru`). Never "
        "guessed from the text: `/be/node/7670` served English. A page whose own evidence says "
        "its section has no translation of the node (a language fallback: its language missing "
        "from its hreflang alternates or marked `locale-untranslated` in the switcher, or its "
        "canonical link in another language) is no article: the article it shows is exported "
        "from its own language's page. An article is one node in one language: `(node_id, "
        "lang)`."
    ))
    title: str = field(metadata=_doc("Headline as shown, white space folded."))
    published: str | None = field(default=None, metadata=_doc(
        "Publication date as the page shows it (date field, Date-module span, `time` or "
        "submitted line; else its machine-readable date, else its listing's), ISO 8601: "
        "`YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS+03:00` when the page shows a time (Europe/Minsk's "
        "offset: `+02:00` in the winters before 2011)."
    ))
    published_raw: str | None = field(default=None, metadata=_doc(
        "The date exactly as the page shows it, e.g. `Вторник, 26 апреля 2016 - 10:15` (of a "
        "line such as `Submitted by … on …`, the date only); when the page shows none, its "
        "machine-readable date (`time[datetime]`, RDF `content`, metatag) or its listing's date."
    ))
    text: str | None = field(default=None, metadata=_doc(
        "Body as plain text: markup stripped, blocks separated by one blank line, list items "
        "`- `/`1. `, table cells ` | `, the attribution line excluded."
    ))
    source: dict[str, Any] | None = field(default=None, metadata=_doc(
        "The first of `sources` as `{\"name\", \"url\", \"raw\"}`, or null when there is none "
        "(the seed: `Использована информация с сайта: http://www.belta.by`)."
    ))
    dates_mentioned: list[dict[str, Any]] = field(default_factory=list, metadata=_doc(
        "Dates written in `text`, in order: `{\"text\", \"date\", \"kind\", \"start\", \"end\"}`; "
        "`kind` one of `date`, `month`, `year`, `range`, `legal_act`, `relative`; `date` ISO 8601 "
        "(`YYYY-MM-DD`, `YYYY-MM`, `YYYY`, or `start/end` for a range); `start`/`end` offsets in "
        "`text`. Year-less mentions take the year nearest the publication date; relative ones "
        "(`вчера`, `два дня назад`, `в прошлом году`) are resolved against it, at their own "
        "precision (a day, a month, a year, or a Monday–Sunday range for a week)."
    ))
    images: list[dict[str, Any]] = field(default_factory=list, metadata=_doc(
        "Images of the article: `{\"url\", \"alt\", \"caption\"}`, URL absolute (canonical for "
        "site hosts); `caption` the `figcaption` (not in `text`) or null."
    ))
    attachments: list[dict[str, Any]] = field(default_factory=list, metadata=_doc(
        "Attached files: `{\"url\", \"title\", \"type\", \"size\"}`; `title` without the trailing "
        "type label (`PDF`), `type` the MIME type, `size` in bytes: exact from the link's "
        "`length`, else from the page's label (`48.21 KB` → 49367), else null."
    ))
    crawled_at: str | None = field(default=None, metadata=_doc(
        "When the page was fetched, UTC, `YYYY-MM-DDTHH:MM:SSZ` (in an item rebuilt by "
        "`mptcrawler-reextract`, the archive record's `WARC-Date`, which can be a second off)."
    ))
    sources: list[dict[str, Any]] = field(default_factory=list, metadata=_doc(
        "Every attribution of the body in page order, `{\"name\", \"url\", \"raw\", \"kind\"}`; "
        "`kind` `attribution` (`Использована информация с сайта: …`, `Источник: …`, "
        "`По информации …`), `read_more` (a trailing `Подробности тут` link) or `dateline` "
        "(`10 ноября, Минск /Корр. БЕЛТА/.` opening the text); `raw` the line as shown, `url` "
        "the link on that line (canonical for site hosts, else as written) or null (a line "
        "with two links is not an attribution), `name` the link text, "
        "its host when the text is a URL, or the words after the label. None of it is in `text`."
    ))
    photo_credit: dict[str, str] | None = field(default=None, metadata=_doc(
        "`Фото: …` line as `{\"name\", \"raw\"}`, or null; not in `text`."
    ))
    revision: int | None = field(default=None, metadata=_doc(
        "1 for the first version of an article exported from this base URL, then 2, 3, … each "
        "time its content changed (the state database remembers); null where no state is kept: "
        "ad-hoc runs (`-o`/`-O`), `MPT_INCREMENTAL=False`, items rebuilt by "
        "`mptcrawler-reextract`."
    ))
    previous_urls: list[str] = field(default_factory=list, metadata=_doc(
        "Earlier canonical URLs of this article (same node id, same language) when its address "
        "changed (a new alias), oldest first; empty otherwise and in ad-hoc runs. A changed "
        "address is a new revision of the same article, never a second article."
    ))
    translation_key: str | None = field(default=None, metadata=_doc(
        "The translation set the article belongs to, the same for all its languages: "
        "`node/N`, N the node id shared by Drupal 8+ translations, or for a Drupal 7 "
        "translation set (one node per language) its source node, the smallest node id of "
        "the set; an article without translations is a set of one, `node/<node_id>`. Null "
        "only without a node id."
    ))
    translations: list[dict[str, str]] = field(default_factory=list, metadata=_doc(
        "The article in the other languages, `{\"lang\", \"url\"}` in the order `ru`, `be`, "
        "`en`, from the page's own evidence: Drupal 8+ `<link rel=\"alternate\" hreflang>` "
        "(translations share the node id), else the Drupal 7 language switcher's links "
        "(separate nodes of one translation set; untranslated languages are not linked); "
        "empty when there is none, or when the page shows no evidence."
    ))
    era: str | None = field(default=None, metadata=_doc(
        "Era of the page: `A` (to 2016, Drupal 7, `/<slug>`), `B` (2017–2022, Drupal 7, "
        "`/{lang}/news/DD-MM-YYYY-NID`), `C` (2023–, Drupal 8+, `/{lang}/<slug>`); null for a "
        "fallback item."
    ))
    extraction: str = field(default="site", metadata=_doc(
        "`site` when the page's Drupal body field was found (RDF `content:encoded` or "
        "`schema:text`, `field-name-body`, `field--name-body`); `fallback` when nothing shows "
        "it (a redesign) and trafilatura read the body, the other fields still from Drupal's "
        "evidence."
    ))
    markdown: str | None = field(default=None, metadata=_doc(
        "Body as Markdown (links, emphasis, lists, tables), attribution excluded; the Markdown "
        "document exporter writes it."
    ))
    schema_version: str = field(default=SCHEMA_VERSION, metadata=_doc(
        "Version of the JSON Schema the item follows, `MAJOR.MINOR.PATCH` (the schema is "
        "`mptcrawler/schema/article-<version>.schema.json`; docs/fields.md says when it "
        "changes). Items exported before version 1.0.0 lack the field."
    ))
    # Working data of the pipelines, not exported.
    body_html: str | None = field(default=None, repr=False)
    url_date: str | None = None  # the date written in an era-B URL, checked against `published`
    # The page's machine-readable date (time[datetime], RDF content, metatag), ISO: checked
    # against `published`, and read when the shown date cannot be.
    structured_date: str | None = None
    http_etag: str | None = None  # validators of the response, for conditional re-checks
    http_last_modified: str | None = None


FIELD_DOCS: dict[str, str] = {
    f.name: f.metadata["doc"] for f in fields(Article) if "doc" in f.metadata
}
EXPORT_FIELDS: list[str] = list(FIELD_DOCS)


# What makes a new revision: the article's content, not when or how it was fetched.
CONTENT_FIELDS = ("url", "node_id", "lang", "title", "published", "text", "sources",
                  "photo_credit", "images", "attachments")

# The canonical JSON of the content, whose SHA-256 every stored state holds: what
# json.dumps(..., ensure_ascii=False, sort_keys=True, separators=(",", ":")) writes, in UTF-8.
# Written by orjson, which writes the same bytes for every value an item can hold (strings of any
# code point, control characters escaped as json escapes them, 64-bit integers, None, bools,
# lists, tuples, dicts with str keys; tests/test_pipelines.py compares them on every fixture
# and on generated values) in ~9 us an item instead of ~21 (the replica's 3,000 items, one after
# another; ~60 us against ~97 inside a crawl, bench/call_times.py), once per article of a cron
# run. Anything orjson will not write (an integer beyond 64 bits; datetimes and dataclasses,
# which json refuses: passed through) goes to json, whose bytes are the definition.
_CANONICAL_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_ORJSON_CANONICAL = (orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS
                     | orjson.OPT_PASSTHROUGH_DATETIME)


def canonical_json(content: Any) -> bytes:
    """``content`` as canonical JSON, UTF-8 (the bytes :func:`content_hash` hashes)."""
    try:
        return orjson.dumps(content, option=_ORJSON_CANONICAL)
    except orjson.JSONEncodeError:
        return _CANONICAL_JSON.encode(content).encode("utf-8")


def content_hash(article: Article) -> str:
    """SHA-256 of the content fields, as canonical JSON. ``translations`` counts only when
    there are some: a translation added later is a new revision of the article, and the
    hashes of articles without any stay what earlier runs stored."""
    content = {name: getattr(article, name) for name in CONTENT_FIELDS}
    if article.translations:
        content["translations"] = article.translations
    return hashlib.sha256(canonical_json(content)).hexdigest()


def exported(article: Article) -> dict[str, Any]:
    """The item as written to the JSONL feed, in export order."""
    return {name: getattr(article, name) for name in EXPORT_FIELDS}


def article_from_page(page: Any, crawled_at: str) -> Article:
    """An item from a parsed article page (:class:`mptcrawler.parsers.ArticlePage`)."""
    return Article(
        url=page.url,
        node_id=page.node_id,
        lang=page.lang,
        translation_key=page.translation_key,
        translations=list(page.translations),
        title=page.title,
        published_raw=page.published_raw,
        images=list(page.images),
        attachments=list(page.attachments),
        crawled_at=crawled_at,
        era=page.era if page.extraction == "site" else None,
        extraction=page.extraction,
        body_html=page.body_html,
        url_date=page.url_date,
        structured_date=page.structured_date,
    )
