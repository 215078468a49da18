"""The spiders of the project: one, ``mpt``."""
