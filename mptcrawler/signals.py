"""Signals of mptcrawler (sent with ``crawler.signals.send_catch_log``)."""

# An article (or a listing) the crawl found but could not turn into an item.
# Arguments: url (canonical), kind ("article" | "listing" | "feed"), reason (a short stable
# token such as "http_404" or "parse_error"), detail (a human sentence).
page_failed = object()
