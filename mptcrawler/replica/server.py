"""Serve a replica over real HTTP on 127.0.0.1 with Twisted (which Scrapy already brings).

Pages are rendered on request from the model, so a replica of thousands of articles costs only
its model in memory. Every request can be appended to an access log (``method path``), which the
tests read to see exactly what the crawler asked for.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qs, unquote, urlsplit

from twisted.web import http, resource, server

from . import cards, pages, variants
from .faults import ENTITY_BOMB, REDESIGN, Faults
from .site import ReplicaSite
from .sitemap import sitemap

_HTML = "text/html; charset=utf-8"
_STATIC = {path for path, _ in pages.MENU}


_PAGER = re.compile(r'<h2 class="element-invisible">Страницы</h2><ul class="pager">.*?</ul>')


def endless_listing(site: ReplicaSite, lang: str, page: int) -> str:
    """``/{lang}/news?page=N`` of a pager that never ends (``serve --endless-pager``), as a
    misconfigured Drupal view serves it: from the last page on, every page shows the last
    page's entries again and a "next" link to the page after it."""
    last = max(0, -(-len(site.listed(lang)) // pages.NEWS_PAGE_SIZE) - 1)
    body = pages.news_listing(site, lang, min(page, last))
    assert body is not None
    pager = pages._pager(f"/{lang}/news", page, page + 2)
    if _PAGER.search(body):
        return _PAGER.sub(lambda _: pager, body, count=1)
    # A one-page listing has no pager: after its rows (the view's content ends the first
    # three closing divs in a row).
    return body.replace("</div></div></div>", "</div></div></div>" + pager, 1)


def route(site: ReplicaSite, target: str, crawl_delay: float = 10,
          endless: bool = False) -> tuple[int, str, str]:
    """(status, content type, body) for a request target such as ``/ru/news?page=2``;
    ``endless``: the news listings never end (:func:`endless_listing`)."""
    parts = urlsplit(target)
    path = unquote(parts.path)
    if len(path) > 1:
        path = path.rstrip("/")
    query = parse_qs(parts.query)
    page_arg = query.get("page", ["0"])[0]
    page = int(page_arg) if page_arg.isdigit() else 0
    if path == "/robots.txt":
        robots = pages.robots_txt(crawl_delay)
        if site.sitemap is not None:
            # simple_sitemap and xmlsitemap ask the robotstxt module to add this line
            robots += "Sitemap: https://mpt.gov.by/sitemap.xml\n"
        return 200, "text/plain; charset=utf-8", robots
    if path == "/sitemap.xml" and site.sitemap is not None:
        xml = sitemap(site, site.sitemap, page, site.changed_at, site.sitemap_chunk)
        return ((200, "application/xml; charset=utf-8", xml) if xml is not None
                else (404, _HTML, pages.not_found(target)))
    seed = site.variants
    if path in ("/rss.xml", "/ru/rss", "/ru/rss.xml"):
        feed = pages.rss(site) if seed is None else variants.rss(site, seed)
        return 200, "application/rss+xml; charset=utf-8", feed
    if path == "/":
        body = (pages.front_listing(site, page) if seed is None else
                variants.front_listing(site, page, seed))
        return (200, _HTML, body) if body else (404, _HTML, pages.not_found(target))
    if (m := re.fullmatch(r"/(ru|be|en)/news", path)) and endless and seed is None:
        return 200, _HTML, endless_listing(site, m.group(1), page)
    if m := re.fullmatch(r"/(ru|be|en)/news", path):
        body = (cards.news_listing(site, m.group(1), page) if site.cards else
                pages.news_listing(site, m.group(1), page) if seed is None else
                variants.news_listing(site, m.group(1), page, seed))
        return (200, _HTML, body) if body else (404, _HTML, pages.not_found(target))
    if path in site.moved:
        return 301, _HTML, site.moved[path]  # a redirect: the body is its Location
    article = site.by_path.get(path) or site.by_node_path.get(path)
    if article is not None:
        if seed is not None:
            return 200, _HTML, variants.article_page(site, article, seed)
        return 200, _HTML, pages.article_page(site, article)
    if (article := site.by_print_path.get(path)) is not None:
        return 200, _HTML, pages.print_page(article)
    if re.sub(r"^/(be|en)/", "/ru/", path) in _STATIC:
        return 200, _HTML, pages.static_page(path)
    return 404, _HTML, pages.not_found(target)


class ReplicaResource(resource.Resource):
    isLeaf = True

    def __init__(self, site: ReplicaSite, access_log: IO[str] | None = None,
                 crawl_delay: float = 10, faults: Faults | None = None,
                 hostile: dict[str, str] | None = None, endless: bool = False) -> None:
        super().__init__()
        self.endless = endless
        self.site = site
        self.access_log = access_log
        self.crawl_delay = crawl_delay
        self.faults = faults
        self.hostile = hostile or {}
        self.asked_hostile: dict[str, int] = {}
        self._bomb: bytes | None = None

    def normal(self, request: server.Request, target: str) -> bytes:
        status, content_type, body = route(self.site, target, self.crawl_delay, self.endless)
        request.setResponseCode(status)
        request.setHeader(b"content-type", content_type.encode())
        return body.encode("utf-8")

    def render_GET(self, request: server.Request) -> bytes:
        target = request.uri.decode("latin-1")
        if self.access_log is not None:
            host = (request.getHeader("host") or "").split(":")[0]
            self.access_log.write(f"{request.method.decode()} {host} {target} "
                                  f"{time.monotonic():.4f}\n")
            self.access_log.flush()
        path = unquote(urlsplit(target).path)
        if path in self.hostile:
            return self.hostile_response(request, self.hostile[path], target)
        status, content_type, body = route(self.site, target, self.crawl_delay, self.endless)
        if status == 301:
            request.setResponseCode(status)
            request.setHeader(b"location", body.encode("utf-8"))
            return b""
        data = body.encode("utf-8")
        request.setHeader(b"content-type", content_type.encode())
        if self.faults is not None:
            fault, v = self.faults.draw(urlsplit(target).path)
            if fault is not None:
                return self.misbehave(request, fault, v, status, data)
        if status == 200:
            # Conditional requests, as Drupal's page cache answers them.
            etag = b'"' + hashlib.sha1(data).hexdigest().encode() + b'"'
            if request.setETag(etag) == http.CACHED:
                return b""
        request.setResponseCode(status)
        return data

    def hostile_response(self, request: server.Request, kind: str, target: str) -> Any:
        body = route(self.site, target, self.crawl_delay, self.endless)[2]
        port = request.getHost().port
        asked = self.asked_hostile[target.split("?")[0]] = self.asked_hostile.get(
            target.split("?")[0], 0) + 1
        if kind == "too_many_requests" and asked == 1:
            request.setResponseCode(429)
            request.setHeader(b"retry-after", b"1")
            return b"<html><body>Too many requests</body></html>"
        if kind == "redirect_chain":
            hop = int(parse_qs(urlsplit(target).query).get("hop", ["0"])[0])
            if hop < 4:  # four hops, then the page (Drupal's redirect module does chains)
                request.setResponseCode(301)
                request.setHeader(b"location", f"{urlsplit(target).path}?hop={hop + 1}".encode())
                return b""
            return self.normal(request, target)
        if kind == "too_many_requests":
            return self.normal(request, target)
        if kind == "content_length_short":
            data = body.encode("utf-8")
            request.setHeader(b"content-type", b"text/html; charset=utf-8")
            request.setHeader(b"content-length", str(len(data) * 6 // 10).encode())
            request.write(data[: len(data) * 6 // 10])
            request.finish()
            return server.NOT_DONE_YET
        if kind == "robots_disallow_print":
            request.setHeader(b"content-type", b"text/plain; charset=utf-8")
            return (pages.robots_txt(self.crawl_delay) + "Disallow: /print/\n"
                    "Disallow: /*/print/\nDisallow: /*/node/*/printable/\n").encode()
        if kind == "404":
            request.setResponseCode(404)
            return pages.not_found(target).encode()
        if kind in ("offsite_redirect", "redirect_loop"):
            # "localhost" is this same server under another host name: if the crawler followed
            # the redirect, the access log would show it.
            where = f"http://localhost:{port}/trap" if kind == "offsite_redirect" else target
            request.setResponseCode(302)
            request.setHeader(b"location", where.encode())
            return b""
        if kind in ("cp1251_header", "cp1251_meta"):
            body = body.replace("charset=utf-8", "charset=windows-1251")
            header = "text/html; charset=windows-1251" if kind == "cp1251_header" else "text/html"
            request.setHeader(b"content-type", header.encode())
            return body.encode("cp1251")
        if kind == "garbage":
            request.setHeader(b"content-type", b"text/html")
            return hashlib.sha512(target.encode()).digest() * 2000
        if kind == "gzip_bomb":
            if self._bomb is None:
                self._bomb = gzip.compress(b"\0" * (256 * 1024 * 1024), compresslevel=9)
            request.setHeader(b"content-type", b"text/html; charset=utf-8")
            request.setHeader(b"content-encoding", b"gzip")
            return self._bomb
        if kind == "huge":
            request.setHeader(b"content-type", b"text/html; charset=utf-8")
            return b"<html><body>" + b"<p>x</p>" * (50 * 1024 * 1024 // 8) + b"</body></html>"
        if kind == "redesign":
            for old, new in REDESIGN:
                body = body.replace(old, new)
            request.setHeader(b"content-type", b"text/html; charset=utf-8")
            return body.encode("utf-8")
        if kind == "feed_entity_bomb":
            request.setHeader(b"content-type", b"application/rss+xml; charset=utf-8")
            return ENTITY_BOMB.encode()
        raise AssertionError(kind)

    def misbehave(self, request: server.Request, fault: str, v: float, status: int,
                  data: bytes) -> Any:
        from twisted.internet import reactor as _reactor

        reactor: Any = _reactor
        if fault == "5xx":
            code = (500, 502, 503)[int(v * 3)]
            if code == 503 and v > 0.8:
                request.setHeader(b"retry-after", b"1")
            request.setResponseCode(code)
            return b"<html><body><h1>Service unavailable</h1></body></html>"
        if fault == "truncate":
            request.setResponseCode(status)
            return data[: int(len(data) * 0.6)]
        if fault == "reset":
            request.setResponseCode(status)
            request.setHeader(b"content-length", str(len(data)).encode())
            request.write(data[: len(data) // 2])
            transport: Any = request.transport
            reactor.callLater(0.01, transport.abortConnection)
            return server.NOT_DONE_YET
        # timeout: answer only after the stall, long after the client gave up
        def late() -> None:
            if not request.finished and not request._disconnected:
                request.setResponseCode(status)
                request.write(data)
                request.finish()

        assert self.faults is not None
        reactor.callLater(self.faults.stall, late)
        return server.NOT_DONE_YET

    def render_HEAD(self, request: server.Request) -> bytes:
        return self.render_GET(request)


def serve(site: ReplicaSite, host: str = "127.0.0.1", port: int = 0,
          port_file: Path | None = None, access_log: Path | None = None,
          crawl_delay: float = 10, faults: Faults | None = None,
          hostile: dict[str, str] | None = None, endless: bool = False,
          announce: Callable[[str], None] | None = None) -> None:
    """Listen and run the reactor until the process is stopped. Prints the base URL, then
    calls ``announce`` with it (the CLI prints the crawl command to use)."""
    from twisted.internet import reactor as _reactor

    reactor: Any = _reactor  # the module-level reactor is untyped for mypy
    log = access_log.open("a", encoding="utf-8") if access_log else None
    factory = server.Site(ReplicaResource(site, log, crawl_delay, faults, hostile, endless))
    factory.displayTracebacks = False
    listening = reactor.listenTCP(port, factory, interface=host)
    base = f"http://{host}:{listening.getHost().port}"
    if port_file is not None:
        tmp = port_file.with_suffix(".tmp")
        tmp.write_text(base + "\n", encoding="utf-8")
        tmp.replace(port_file)  # atomic: a reader never sees a half-written URL
    print(f"replica of {len(site.articles)} articles serving at {base}", flush=True)
    if announce is not None:
        announce(base)
    reactor.run()
