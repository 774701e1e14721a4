"""`python -m etl upload …`: validate, commit, history, revert and templates without the UI."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from etl.uploads import service
from core.settings import load_settings

EXIT_INVALID, EXIT_USAGE = 1, 2


def progress_to_stderr(step: int, total: int, message: str) -> None:
    """Progress of a commit or revert on stderr, so that stdout holds only the result."""
    print(f"[{step}/{total}] {message}" if total else message, file=sys.stderr, flush=True)


def _read(path: str, settings):
    """(bytes, None) or (None, report) for a missing or too large file; the size is checked before reading."""
    file = Path(path)
    if not file.is_file():
        return None, service.refused(file.name, 0, f"file non trovato: {path}")
    size = file.stat().st_size
    if size > settings.upload_max_bytes:
        return None, service.refused(file.name, size, service.too_large(size, settings.upload_max_bytes))
    return file.read_bytes(), None


def run_validate(args) -> int:
    """Print the validation report (and the preview when valid); exit 1 when the file has problems."""
    settings = load_settings()
    if settings.warehouse.exists() and service.needs_rebuild(settings):  # preview against what the ledger says
        service.ensure_current(settings, progress=progress_to_stderr)
    raw, report = _read(args.file, settings)
    if report is None:
        report = service.validate_upload(raw, Path(args.file).name, settings, args.kind)
    preview = service.preview_upload(report, settings) if report.ok else None
    if args.json:
        data = report.to_dict()
        if preview is not None:
            data["preview"] = service.preview_dict(preview)
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(service.report_text(report, preview))
    return 0 if report.ok else EXIT_INVALID


def run_commit(args) -> int:
    """Validate and commit a file; exit 1 (nothing changed) when it is refused."""
    settings = load_settings()
    raw, report = _read(args.file, settings)
    if report is not None:
        print(service.report_text(report, None), file=sys.stderr)
        return EXIT_INVALID
    try:
        entry = service.commit_file(raw, Path(args.file).name, args.by, settings, kind=args.kind, account=args.by,
                                    progress=progress_to_stderr)
    except service.UploadRefused as exc:
        print(service.refused_text(exc), file=sys.stderr)
        return EXIT_INVALID
    print(json.dumps(entry, ensure_ascii=False, indent=2) if args.json else service.entry_text(entry))
    return 0


def run_history(args) -> int:
    """Print every ledger entry with its status (repairing a warehouse left behind by a crash first)."""
    settings = load_settings()
    service.ensure_current(settings, progress=progress_to_stderr)
    table = service.upload_history(settings)
    if args.json:
        print(json.dumps(service.records(table), ensure_ascii=False, indent=2, default=str))
    else:
        print(service.history_text(table))
    return 0


def run_revert(args) -> int:
    """Revert an upload with a new ledger entry and rebuild; exit 1 when refused."""
    try:
        entry = service.revert_upload(args.id, args.by, load_settings(), reason=args.reason, account=args.by,
                                      progress=progress_to_stderr)
    except service.UploadRefused as exc:
        print(service.refused_text(exc), file=sys.stderr)
        return EXIT_INVALID
    print(json.dumps(entry, ensure_ascii=False, indent=2) if args.json else service.entry_text(entry))
    return 0


def run_template(args) -> int:
    """Print the template CSV on stdout and the meaning of its columns on stderr."""
    sys.stdout.write(service.template_text(args.kind))
    print(f"# {service.TEMPLATES[args.kind].title.it}: colonne", file=sys.stderr)
    for name, meaning, required in service.meanings(args.kind):
        print(f"#   {name}{'' if required else ' (facoltativa)'}: {meaning}", file=sys.stderr)
    return 0


def add_parser(commands) -> None:
    """Register `upload` and its subcommands."""
    parser = commands.add_parser("upload", help="caricamenti degli uffici: verifica, pubblica, storico, annulla, modelli")
    sub = parser.add_subparsers(dest="upload_command", required=True)
    validate = sub.add_parser("validate", help="verifica un file senza caricarlo (uscita 1 se ha problemi)")
    commit = sub.add_parser("commit", help="verifica, conserva e pubblica un file")
    for command in (validate, commit):
        command.add_argument("file", help="file CSV, testo Unicode di Excel, .xlsx o .ods (modello o formato nativo)")
        command.add_argument("--kind", help=f"tipo: {', '.join(service.KINDS)} o un formato nativo "
                                            "(predefinito: riconosciuto)")
        command.add_argument("--json", action="store_true", help="risultato in JSON")
    validate.set_defaults(run=run_validate)
    commit.add_argument("--by", required=True, help="nome di chi carica il file")
    commit.set_defaults(run=run_commit)
    history = sub.add_parser("history", help="tutti i caricamenti e ripristini")
    history.add_argument("--json", action="store_true", help="risultato in JSON")
    history.set_defaults(run=run_history)
    revert = sub.add_parser("revert", help="annulla un caricamento (con una nuova voce nel registro)")
    revert.add_argument("id", help="identificativo del caricamento, es. upload-00003")
    revert.add_argument("--by", required=True, help="nome di chi annulla")
    revert.add_argument("--reason", help="motivo")
    revert.add_argument("--json", action="store_true", help="risultato in JSON")
    revert.set_defaults(run=run_revert)
    template = sub.add_parser("template", help="stampa il modello CSV di un tipo di file")
    template.add_argument("kind", choices=service.KINDS)
    template.set_defaults(run=run_template)
