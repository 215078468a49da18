"""Scrapy's ``shell``, writing nothing to the dataset (mptcrawler/commands/tools.py)."""

from scrapy.commands.shell import Command as ScrapyCommand

from .tools import LeavesTheDatasetAlone


class Command(LeavesTheDatasetAlone, ScrapyCommand):
    pass
