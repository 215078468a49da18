"""Project commands (``COMMANDS_MODULE``): ``crawl`` with a health-aware exit status."""
