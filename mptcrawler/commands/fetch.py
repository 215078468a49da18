"""Scrapy's ``fetch``, writing nothing to the dataset (mptcrawler/commands/tools.py)."""

from scrapy.commands.fetch import Command as ScrapyCommand

from .tools import LeavesTheDatasetAlone


class Command(LeavesTheDatasetAlone, ScrapyCommand):
    pass
