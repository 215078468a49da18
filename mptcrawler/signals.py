"""Signals of mptcrawler (sent with ``crawler.signals.send_catch_log``)."""

# An article (or a listing) the crawl found but could not turn into an item.
# Arguments: url (canonical), kind ("article" | "news" | "front" | "feed"), reason (a short
# stable token such as "http_404" or "parse_error"), detail (a human sentence), attempts (how
# many requests were made; None when the page was fetched but could not be read).
page_failed = object()

# A known article that answers 404 or 410: withdrawn from the site, not a failure.
# Arguments: url (canonical), status (404 or 410).
article_gone = object()
