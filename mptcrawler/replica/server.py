"""Serve a replica over real HTTP on 127.0.0.1 with Twisted (which Scrapy already brings).

Pages are rendered on request from the model, so a replica of thousands of articles costs only
its model in memory. Every request can be appended to an access log (``method path``), which the
tests read to see exactly what the crawler asked for.
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qs, unquote, urlsplit

from twisted.web import http, resource, server

from . import pages
from .site import ReplicaSite

_HTML = "text/html; charset=utf-8"
_STATIC = {path for path, _ in pages.MENU}


def route(site: ReplicaSite, target: str, crawl_delay: float = 10) -> tuple[int, str, str]:
    """(status, content type, body) for a request target such as ``/ru/news?page=2``."""
    parts = urlsplit(target)
    path = unquote(parts.path)
    if len(path) > 1:
        path = path.rstrip("/")
    query = parse_qs(parts.query)
    page_arg = query.get("page", ["0"])[0]
    page = int(page_arg) if page_arg.isdigit() else 0
    if path == "/robots.txt":
        return 200, "text/plain; charset=utf-8", pages.robots_txt(crawl_delay)
    if path in ("/rss.xml", "/ru/rss", "/ru/rss.xml"):
        return 200, "application/rss+xml; charset=utf-8", pages.rss(site)
    if path == "/":
        body = pages.front_listing(site, page)
        return (200, _HTML, body) if body else (404, _HTML, pages.not_found(target))
    if m := re.fullmatch(r"/(ru|be|en)/news", path):
        body = pages.news_listing(site, m.group(1), page)
        return (200, _HTML, body) if body else (404, _HTML, pages.not_found(target))
    article = site.by_path.get(path) or site.by_node_path.get(path)
    if article is not None:
        return 200, _HTML, pages.article_page(site, article)
    if (article := site.by_print_path.get(path)) is not None:
        return 200, _HTML, pages.print_page(article)
    if re.sub(r"^/(be|en)/", "/ru/", path) in _STATIC:
        return 200, _HTML, pages.static_page(path)
    return 404, _HTML, pages.not_found(target)


class ReplicaResource(resource.Resource):
    isLeaf = True

    def __init__(self, site: ReplicaSite, access_log: IO[str] | None = None,
                 crawl_delay: float = 10) -> None:
        super().__init__()
        self.site = site
        self.access_log = access_log
        self.crawl_delay = crawl_delay

    def render_GET(self, request: server.Request) -> bytes:
        target = request.uri.decode("latin-1")
        if self.access_log is not None:
            host = (request.getHeader("host") or "").split(":")[0]
            self.access_log.write(f"{request.method.decode()} {host} {target} "
                                  f"{time.monotonic():.4f}\n")
            self.access_log.flush()
        status, content_type, body = route(self.site, target, self.crawl_delay)
        data = body.encode("utf-8")
        request.setHeader(b"content-type", content_type.encode())
        if status == 200:
            # Conditional requests, as Drupal's page cache answers them.
            etag = b'"' + hashlib.sha1(data).hexdigest().encode() + b'"'
            if request.setETag(etag) == http.CACHED:
                return b""
        request.setResponseCode(status)
        return data

    def render_HEAD(self, request: server.Request) -> bytes:
        return self.render_GET(request)


def serve(site: ReplicaSite, host: str = "127.0.0.1", port: int = 0,
          port_file: Path | None = None, access_log: Path | None = None,
          crawl_delay: float = 10) -> None:
    """Listen and run the reactor until the process is stopped. Prints the base URL."""
    from twisted.internet import reactor as _reactor

    reactor: Any = _reactor  # the module-level reactor is untyped for mypy
    log = access_log.open("a", encoding="utf-8") if access_log else None
    factory = server.Site(ReplicaResource(site, log, crawl_delay))
    factory.displayTracebacks = False
    listening = reactor.listenTCP(port, factory, interface=host)
    base = f"http://{host}:{listening.getHost().port}"
    if port_file is not None:
        tmp = port_file.with_suffix(".tmp")
        tmp.write_text(base + "\n", encoding="utf-8")
        tmp.replace(port_file)  # atomic: a reader never sees a half-written URL
    print(f"replica of {len(site.articles)} articles serving at {base}", flush=True)
    reactor.run()
