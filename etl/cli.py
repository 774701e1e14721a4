"""Command line: python -m etl <command>; each command module adds its own subparser."""
from __future__ import annotations

import argparse
import importlib

# Each module defines add_parser(subparsers) and sets `run` (a function args -> exit code) as default.
COMMAND_MODULES = (
    "etl.build_cli",
    "etl.publish",
    "etl.refresh_cli",
    "etl.uploads.cli",
    "etl.accounts_cli",
    "etl.report_cli",
)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run one subcommand; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m etl", description="ETL del monitor PSM Asse 5")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_parser(commands)
    args = parser.parse_args(argv)
    return args.run(args)
