"""`python -m etl refresh [SOURCE …]`: download each source politely, check the files, then rebuild the warehouse."""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock, Timeout
from tqdm import tqdm

from etl.refresh_changes import download_changes
from etl.sources import CONNECTORS, UPLOAD_ONLY, connector, source_code
from etl.sources.common import FormatError
from etl.sources.http import READ_TIMEOUT, Downloader, RateLimiter, SourceError
from etl.sources.raw import RawRun, latest


@dataclass
class Outcome:
    """What one source's refresh did: downloaded and checked, or failed and why."""

    name: str
    ok: bool
    message: str = ""
    requests: int = 0
    rows: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    run: RawRun | None = None


def _sleep(seconds: float) -> None:
    """Wait between requests (tests replace it to run without waiting)."""
    time.sleep(seconds)


def default_sources() -> list[str]:
    """Connectors that can download without an address to configure (the CMT list needs one)."""
    from etl.sources import cmt_zones

    return [n for n in CONNECTORS if n != "cmt_zones" or cmt_zones.META["fetch"]["url"]]


def refresh_source(name: str, raw_root: Path, force: bool = False, sleep=_sleep,
                   warehouse: Path | None = None) -> Outcome:
    """Fetch one source into today's raw folder, parse what arrived, and commit it only if it parses; with the
    live warehouse given, the manifest keeps what the download changes in it (rows added, changed, removed)."""
    module = connector(name)
    today = datetime.now(timezone.utc).date()
    run = RawRun(raw_root, module.SOURCE, today, force)
    per_minute = getattr(module, "REQUESTS_PER_MINUTE", None)
    total = module.expected_requests() if hasattr(module, "expected_requests") else None
    interactive = sys.stderr.isatty()
    if not interactive:
        print(f"{name}: aggiornamento…", file=sys.stderr, flush=True)
    with tqdm(total=total, desc=f"{name:<13}", unit=" rich.", file=sys.stderr, disable=not interactive) as bar:
        downloader = Downloader(module.SOURCE, run, limiter=RateLimiter(per_minute, sleep=sleep) if per_minute else None,
                                read_timeout=getattr(module, "READ_TIMEOUT", READ_TIMEOUT), sleep=sleep,
                                progress=lambda _name: bar.update(1))
        try:
            module.fetch(downloader, today)
            parsed = module.load(run.staged())
            if warehouse is not None:
                run.facts["changes"] = changes_of(run, parsed, raw_root, warehouse, module)
            run.commit()
        except SourceError as exc:
            return Outcome(name, False, str(exc), downloader.requests_made)
        except (FormatError, ValueError, KeyError) as exc:
            return Outcome(name, False, f"{name}: formato dei dati non riconosciuto: {exc}", downloader.requests_made)
        except Exception as exc:  # noqa: BLE001 - any other surprise in a source's answer: report it, go on
            return Outcome(name, False, f"{name}: risposta inattesa ({type(exc).__name__}: {exc})", downloader.requests_made)
    return Outcome(name, True, "", downloader.requests_made, parsed.rows(), parsed.skipped, run)


def changes_of(run: RawRun, parsed, raw_root: Path, warehouse: Path, module) -> dict | None:
    """What the download changes in the live warehouse; the same files downloaded again keep what was recorded
    when they first arrived (the warehouse has them already)."""
    previous = latest(raw_root, module.SOURCE)
    if previous is not None and previous.sha256 == run.staged().sha256 and "changes" in previous.facts:
        return previous.facts["changes"]
    return download_changes(parsed, warehouse, source_code(module))


def print_summary(outcomes: list[Outcome]) -> None:
    """One line per source: result, requests made, rows loaded, rows skipped and why."""
    print("\nRiepilogo dell'aggiornamento")
    for o in outcomes:
        if not o.ok:
            print(f"  {o.name:<13} ERRORE    {o.message}")
            continue
        skipped = "; ".join(f"{reason}: {n}" for reason, n in o.skipped.items()) or "nessuna"
        print(f"  {o.name:<13} ok        richieste {o.requests:>3}  righe {o.rows:>6}  scartate: {skipped}")


def run(args) -> int:
    """Refresh the sources; rebuild if any arrived. Exit 0 if all arrived, 1 if any failed, the build's code if it fails."""
    from etl import build_cli
    from core.settings import load_settings

    unknown = [s for s in args.sources if s not in CONNECTORS]
    if unknown:
        hint = [s for s in unknown if s in UPLOAD_ONLY]
        upload = f" {', '.join(hint)}: nessun download pubblico, caricare il file dalla pagina Carica dati." if hint else ""
        print(f"Fonti sconosciute: {', '.join(unknown)}. Fonti scaricabili: {', '.join(CONNECTORS)}.{upload}",
              file=sys.stderr)
        return 2
    settings = load_settings()
    raw_root = Path(settings.data_dir) / "raw"
    raw_root.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(str(raw_root / ".refresh.lock"), timeout=1):
            outcomes = [refresh_source(name, raw_root, args.force, sleep=_sleep, warehouse=Path(settings.warehouse))
                        for name in args.sources or default_sources()]
    except Timeout:
        print("Un altro aggiornamento è in corso: riprovare più tardi.", file=sys.stderr)
        return 2
    print_summary(outcomes)
    failed = [o.name for o in outcomes if not o.ok]
    if failed:
        print(f"Fonti non aggiornate: {', '.join(failed)} (motivo nel riepilogo); restano in uso i loro dati precedenti.",
              file=sys.stderr)
    arrived = [o for o in outcomes if o.ok]
    if not arrived:
        print("Nessuna fonte aggiornata: il warehouse resta quello di prima.", file=sys.stderr)
        return 1
    if args.no_build:
        return 0 if len(arrived) == len(outcomes) else 1
    code = build_cli.run(args)
    if code != 0:
        for outcome in arrived:
            outcome.run.rollback()
        print("I file appena scaricati restano in data/raw ma non sono usati finché il problema non è risolto.",
              file=sys.stderr)
        return code
    return 0 if len(arrived) == len(outcomes) else 1


def add_parser(commands) -> None:
    """Register the refresh subcommand."""
    parser = commands.add_parser("refresh", help="scarica i dati dalle fonti (Istat, Inps, …) e ricostruisce il warehouse")
    parser.add_argument("sources", nargs="*", metavar="FONTE",
                        help=f"fonti da aggiornare (tutte se omesse): {', '.join(CONNECTORS)}")
    parser.add_argument("--force", action="store_true", help="riscarica anche ciò che è già stato scaricato oggi")
    parser.add_argument("--no-build", action="store_true", help="scarica e controlla senza ricostruire il warehouse")
    parser.set_defaults(run=run)
