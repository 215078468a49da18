"""Scrapy's ``check``, writing nothing to the dataset (mptcrawler/commands/tools.py)."""

from scrapy.commands.check import Command as ScrapyCommand

from .tools import LeavesTheDatasetAlone


class Command(LeavesTheDatasetAlone, ScrapyCommand):
    pass
