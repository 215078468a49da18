"""What the project's commands (mptcrawler-replica, -reextract, -report) share on their
command line: ``--version`` and help that shows each option's default."""

from __future__ import annotations

import argparse

from . import __version__


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """The description as written (it holds examples), and ``(default: X)`` after the help of
    every option that has a default worth stating: not None, False or an empty string, which
    mean "off" and read as noise; not when the help already says its default."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        help = action.help or ""
        default = action.default
        if ("default" in help or default is None or default is False or default == ""
                or default is argparse.SUPPRESS or not action.option_strings):
            return action.help
        return f"{help} (default: %(default)s)".lstrip()


def add_version(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
