"""URLs of mpt.gov.by: which hosts are the site, the canonical form of a link, where to fetch it.

The site answers on several hosts with the same paths (``site.md``, "Hosts"): http and https,
with or without ``www.``, and the IDN alias минсвязи.бел. Items always carry
``https://mpt.gov.by/<path>``; requests go to the configurable base URL, so that the same spider
crawls the live site or a replica on ``http://127.0.0.1:PORT``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import Enum
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

CANONICAL_ORIGIN = "https://mpt.gov.by"
IDN_ALIAS = "минсвязи.бел"
IDN_ALIAS_ASCII = "xn--b1akbcqh2a7i.xn--90ais"
SITE_HOSTS = frozenset(
    host
    for name in ("mpt.gov.by", IDN_ALIAS, IDN_ALIAS_ASCII)
    for host in (name, "www." + name)
)
LANGUAGES = ("ru", "be", "en")
DEFAULT_LANGUAGE = "ru"  # pages without a language prefix (era A) are Russian


class PageKind(Enum):
    NEWS_LISTING = "news_listing"  # /ru/news?page=N
    FRONT_LISTING = "front_listing"  # /?page=N
    FEED = "feed"  # /rss.xml, /ru/rss
    NODE = "node"  # /ru/node/8143, /node/1400: an article, or the twin of an aliased one
    PRINT = "print"  # print copies: never an item
    NEWS_ARTICLE = "news_article"  # era B: /ru/news/01-11-2022-8143
    SLUG = "slug"  # era A /<slug> or era C /ru/<slug>: an article only if the page says so
    FILE = "file"  # /sites/default/files/...: attachments and images
    OTHER = "other"  # menus, search, user pages


@dataclass(frozen=True)
class SitePath:
    """What a site path tells before the page is fetched."""

    kind: PageKind
    lang: str | None = None
    node_id: int | None = None
    url_date: str | None = None  # ISO date written in an era-B URL


_NEWS_ARTICLE = re.compile(r"^/(ru|be|en)/news/(\d{2})-(\d{2})-(\d{4})-(\d+)$")
_NODE = re.compile(r"^(?:/(ru|be|en))?/node/(\d+)$")
# /ru/node/9339/printable/print (era C), /ru/print/1785 and /print/1785 (eras A and B)
_PRINT = re.compile(r"^(?:/(ru|be|en))?/(?:node/\d+/printable/print|print/\d+)$")
_NEWS_LISTING = re.compile(r"^/(ru|be|en)/news/?$")
_FEED = re.compile(r"^(?:/rss\.xml|/(ru|be|en)/rss(?:\.xml)?)$")
_FILE = re.compile(r"^/(?:sites|misc|modules|themes|profiles|files)/")
# Drupal system paths and menu pages that share the /<lang>/<slug> shape with articles.
_OTHER_PREFIXES = ("user", "search", "admin", "taxonomy", "filter", "comment", "contact")
_SLUG = re.compile(r"^(?:/(ru|be|en))?/([^/]+)$")


def host_of(url: str) -> str:
    """The lower-case host of ``url``, percent-decoded: lxml's HTML serializer writes
    ``href="https://минсвязи.бел/…"`` as ``https://%D0%BC%D0%B8…``."""
    return unquote(urlsplit(url.strip()).hostname or "").lower()


def as_written(url: str) -> str:
    """An off-site link as its page wrote it, undoing only the serializer's host encoding."""
    parts = urlsplit(url.strip())
    if "%" not in parts.netloc:
        return url.strip()
    return urlunsplit(parts._replace(netloc=unquote(parts.netloc)))


def _normal_path(path: str) -> str:
    """Percent-encoding of Cyrillic paths differs between links; compare and emit one form."""
    path = quote(unquote(path), safe="/-._~!$&'()*+,;=:@%")
    if len(path) > 1:
        path = path.rstrip("/")
    return path or "/"


def canonical_url(url: str, base: str | None = None) -> str | None:
    """``https://mpt.gov.by/<path>`` for a link to any of the site's hosts; None for other hosts.

    Relative links are resolved against ``base`` (the page they were found on). The query is kept
    (listings need ``?page=N``); the fragment is dropped.
    """
    if base is not None:
        url = urljoin(base, url.strip())
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or host_of(url) not in SITE_HOSTS:
        return None
    return urlunsplit(("https", "mpt.gov.by", _normal_path(parts.path), parts.query, ""))


def site_path(url: str) -> str:
    """The path and query of a canonical URL, e.g. ``/ru/news?page=2``."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def fetch_url(canonical: str, base_url: str) -> str:
    """Where to request a canonical site URL from: the same path under ``MPT_BASE_URL``."""
    return base_url.rstrip("/") + site_path(canonical)


def classify(url: str) -> SitePath:
    """Tell the kind of a canonical site URL from its path alone."""
    parts = urlsplit(url)
    path = parts.path
    if path in ("", "/"):
        return SitePath(PageKind.FRONT_LISTING, DEFAULT_LANGUAGE)
    if m := _NEWS_ARTICLE.match(path):
        lang, day, month, year, nid = m.groups()
        return SitePath(PageKind.NEWS_ARTICLE, lang, int(nid), f"{year}-{month}-{day}")
    if m := _PRINT.match(path):
        return SitePath(PageKind.PRINT, m.group(1) or DEFAULT_LANGUAGE)
    if m := _NODE.match(path):
        return SitePath(PageKind.NODE, m.group(1) or DEFAULT_LANGUAGE, int(m.group(2)))
    if m := _NEWS_LISTING.match(path):
        return SitePath(PageKind.NEWS_LISTING, m.group(1))
    if m := _FEED.match(path):
        return SitePath(PageKind.FEED, m.group(1) or DEFAULT_LANGUAGE)
    if _FILE.match(path):
        return SitePath(PageKind.FILE)
    if m := _SLUG.match(path):
        lang, slug = m.groups()
        if slug in LANGUAGES or slug in _OTHER_PREFIXES or "." in slug:
            return SitePath(PageKind.OTHER, lang)
        return SitePath(PageKind.SLUG, lang or DEFAULT_LANGUAGE)
    return SitePath(PageKind.OTHER)


def language_of(url: str) -> str:
    """The section language from the path prefix; never guessed from the text (``/be/node/7670``
    served English text)."""
    first = urlsplit(url).path.split("/")[1:2]
    return first[0] if first and first[0] in LANGUAGES else DEFAULT_LANGUAGE


# Cached: a cron run asks for an article's twice, in the archive's record (archive.py) and in
# the spider's callback a moment later (7.5 us a call). A few hundred entries cover the
# responses in flight (CONCURRENT_REQUESTS).
@functools.lru_cache(maxsize=512)
def canonical_from_fetched(url: str, base_url: str) -> str | None:
    """The canonical URL of a page fetched from ``MPT_BASE_URL`` (``http://127.0.0.1:8800/ru/news``
    → ``https://mpt.gov.by/ru/news``); relative links on it resolve against this."""
    base = base_url.rstrip("/")
    if url == base or url.startswith(base + "/") or url.startswith(base + "?"):
        rest = url[len(base):] or "/"
        return canonical_url(CANONICAL_ORIGIN + rest)
    return canonical_url(url)
