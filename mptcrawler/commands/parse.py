"""Scrapy's ``parse``, writing nothing to the dataset (mptcrawler/commands/tools.py)."""

from scrapy.commands.parse import Command as ScrapyCommand

from .tools import LeavesTheDatasetAlone


class Command(LeavesTheDatasetAlone, ScrapyCommand):
    pass
