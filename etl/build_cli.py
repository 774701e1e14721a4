"""`python -m etl build`: rebuild the warehouse, reporting bad input by file, row and problem."""
from __future__ import annotations

import sys

from core.settings import load_settings


def run(args) -> int:
    """Build; exit 0, or 2 for bad reference data, 3 for failed checks, 4 for an unreadable download (old warehouse kept)."""
    from etl.build import BuildCheckError
    from etl.reference import ReferenceDataError
    from etl.sources import SourceDataError
    from etl.uploads.service import rebuild

    try:
        summary = rebuild(load_settings())
    except ReferenceDataError as exc:
        print("Build interrotto: problemi nei file di riferimento.\n" + str(exc), file=sys.stderr)
        print("Il warehouse precedente resta in servizio.", file=sys.stderr)
        return 2
    except SourceDataError as exc:
        print(f"Build interrotto: un file scaricato non è leggibile ({exc}).", file=sys.stderr)
        print("Il warehouse precedente resta in servizio.", file=sys.stderr)
        return 4
    except BuildCheckError as exc:
        print("Build interrotto: controlli falliti.\n" + str(exc), file=sys.stderr)
        print("Il warehouse precedente resta in servizio.", file=sys.stderr)
        return 3
    print(", ".join(f"{k}: {v}" for k, v in summary.items()))
    return 0


def add_parser(commands) -> None:
    """Register the build subcommand."""
    parser = commands.add_parser("build", help="costruisce warehouse.duckdb dai dati inclusi, dalle fonti e dai caricamenti")
    parser.set_defaults(run=run)
