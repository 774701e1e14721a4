"""Command line: python -m etl build | … (each subcommand in its own module registers here)."""
from __future__ import annotations

import argparse
import sys

from monitor.settings import load_settings


def _build(args) -> int:
    from etl.build import BuildCheckError, build
    from etl.reference import ReferenceDataError

    try:
        summary = build(load_settings())
    except ReferenceDataError as exc:
        print("Build interrotto: problemi nei file di riferimento.\n" + str(exc), file=sys.stderr)
        print("Il warehouse precedente resta in servizio.", file=sys.stderr)
        return 2
    except BuildCheckError as exc:
        print("Build interrotto: controlli falliti.\n" + str(exc), file=sys.stderr)
        print("Il warehouse precedente resta in servizio.", file=sys.stderr)
        return 3
    print(", ".join(f"{k}: {v}" for k, v in summary.items()))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run one subcommand; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m etl", description="ETL del monitor PSM Asse 5")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="costruisce warehouse.duckdb dai dati inclusi, dalle fonti e dai caricamenti").set_defaults(run=_build)
    args = parser.parse_args(argv)
    return args.run(args)
