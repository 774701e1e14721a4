"""`python -m etl account …`: local accounts (bcrypt hashes only) and e-mail → role for OIDC sign-in."""
from __future__ import annotations

import getpass
import sys
import time
from dataclasses import replace

from core import auth, lockout
from core.settings import load_settings


def _password() -> str:
    """The password from the terminal (asked twice), or the first line of stdin when it is not a terminal."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Ripeti la password: "):
        raise ValueError("le due password non coincidono")
    return first


def run_add(args) -> int:
    """Add or update a local account (a viewer unless --role says otherwise); the password is stored only as a bcrypt
    hash, and setting it again lifts the account's sign-in lockout."""
    path = load_settings().accounts_file
    access = auth.load_access(path)
    try:
        hashed = auth.hash_password(_password())
    except ValueError as exc:
        print(f"Account non salvato: {exc}", file=sys.stderr)
        return 1
    account = {"name": args.name or args.username, "role": args.role, "password_hash": hashed}
    auth.save_access(path, replace(access, accounts={**access.accounts, args.username: account}))
    lockout.Lockout(lockout.lockout_file(path)).clear(lockout.counter_keys(args.username, None)[0], time.time())
    print(f"Account {args.username} ({args.role}) salvato in {path.name}")
    return 0


def run_role(args) -> int:
    """Give a role to an e-mail address signing in through OIDC (or take it away with --remove)."""
    path = load_settings().accounts_file
    access = auth.load_access(path)
    roles = {k: v for k, v in access.roles.items() if k != args.email.lower()}
    if not args.remove:
        roles[args.email.lower()] = args.role
    auth.save_access(path, replace(access, roles=roles))
    print(f"{args.email.lower()}: {'nessun ruolo' if args.remove else args.role}")
    return 0


def run_remove(args) -> int:
    """Remove a local account."""
    path = load_settings().accounts_file
    access = auth.load_access(path)
    if args.username not in access.accounts:
        print(f"Account sconosciuto: {args.username}", file=sys.stderr)
        return 1
    auth.save_access(path, replace(access, accounts={k: v for k, v in access.accounts.items() if k != args.username}))
    print(f"Account {args.username} rimosso")
    return 0


def run_list(args) -> int:
    """List e-mail roles and local accounts (never the hashes)."""
    access = auth.load_access(load_settings().accounts_file)
    for email, role in sorted(access.roles.items()):
        print(f"oidc   {email}  {role}")
    for name, account in sorted(access.accounts.items()):
        print(f"locale {name}  {account.get('role')}  ({account.get('name')})")
    return 0


def add_parser(commands) -> None:
    """Register `account` and its subcommands."""
    parser = commands.add_parser("account", help="accessi degli uffici: account locali e ruoli per e-mail")
    sub = parser.add_subparsers(dest="account_command", required=True)
    add = sub.add_parser("add", help="crea o aggiorna un account locale (password chiesta, salvata come hash bcrypt)")
    add.add_argument("username")
    add.add_argument("--role", choices=auth.ROLES, default=auth.VIEWER, help="ruolo (predefinito: viewer)")
    add.add_argument("--name", help="nome mostrato come autore dei caricamenti")
    add.set_defaults(run=run_add)
    role = sub.add_parser("role", help="assegna un ruolo a un indirizzo e-mail (accesso OIDC)")
    role.add_argument("email")
    role.add_argument("role", nargs="?", choices=auth.ROLES, default=auth.EDITOR)
    role.add_argument("--remove", action="store_true", help="toglie il ruolo")
    role.set_defaults(run=run_role)
    remove = sub.add_parser("remove", help="rimuove un account locale")
    remove.add_argument("username")
    remove.set_defaults(run=run_remove)
    listing = sub.add_parser("list", help="elenca ruoli e account (senza hash)")
    listing.set_defaults(run=run_list)
