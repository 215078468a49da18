# Everything is in pyproject.toml; this file only lets scrapyd-deploy build an egg from it
# (without it, scrapyd-deploy writes a setup.py of its own that leaves out package data).
from setuptools import setup

setup()
