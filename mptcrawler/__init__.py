"""mptcrawler: the news of mpt.gov.by as a clean, dated, deduplicated dataset.

Data flow: spiders/mpt.py (routing) → parsers/ (pure page parsers per era) → items.py (the
record) → pipelines.py (markup, dates, attribution, validation) → exporters.py / FEEDS.
"""

__version__ = "0.1.0"
