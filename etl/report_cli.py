"""`python -m etl report TERRITORY [--lang en] -o FILE.pdf`: the PDF territory report, for batches of them.

Second exception (after etl/publish.py) to "no module of etl/ imports monitor": the report shows the profile
page's figures in the page's formats, so it is built by monitor.report; monitor is imported here only, inside run().
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from core.settings import load_settings

LANGS = ("it", "en")


def write_atomically(path: Path, content: bytes) -> None:
    """Write the file next to its final name, then rename it: a reader never sees half a PDF."""
    handle, name = tempfile.mkstemp(prefix=path.name + ".", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(name, 0o644)   # mkstemp makes it private
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def run(args) -> int:
    """Build the report; exit 0, 2 for an unknown territory or an output folder that does not exist, 3 without a
    warehouse."""
    import streamlit.logger

    streamlit.logger.set_log_level("error")   # monitor's caches warn that no Streamlit server runs: none is needed
    from monitor import report

    db = load_settings().served_warehouse
    if not db.exists():
        print(f"Warehouse assente ({db.name}): eseguire `python -m etl build`. / No warehouse: run "
              "`python -m etl build`.", file=sys.stderr)
        return 3
    output = Path(args.output)
    if not output.parent.is_dir():
        print(f"Cartella di destinazione inesistente / output folder missing: {output.parent}", file=sys.stderr)
        return 2
    try:
        territory = report.parse_territory(db, args.territory)
    except report.TerritoryError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    write_atomically(output, report.territory_pdf(db, territory, args.lang))
    print(f"{output}: {output.stat().st_size} byte, {territory.level} {territory.code}, {args.lang}")
    return 0


def add_parser(commands) -> None:
    """Register the report subcommand."""
    parser = commands.add_parser("report", help="report PDF di una zona, di un comune o della CM / territory report")
    parser.add_argument("territory", metavar="TERRITORIO",
                        help="numero della zona omogenea (1–11), codice Istat del comune (es. 001272) o cm")
    parser.add_argument("--lang", choices=LANGS, default="it", help="lingua del report (it, en)")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="file PDF da scrivere")
    parser.set_defaults(run=run)
