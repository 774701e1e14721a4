"""Who may upload: roles by e-mail for officials signed in with st.login (OIDC), or local accounts with bcrypt hashes.

The access file (settings.accounts_file, TOML) holds both and never a password in clear:

    [roles]                              # OIDC e-mail → role
    "mario.rossi@cittametropolitana.torino.it" = "editor"

    [accounts.mrossi]                    # local account (deployments without an identity provider)
    name = "Mario Rossi"
    role = "editor"
    password_hash = "$2b$12$…"           # written by `python -m etl account add`
"""
from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import bcrypt

ROLES = ("editor", "viewer")
EDITOR, VIEWER = "editor", "viewer"
MAX_PASSWORD_BYTES = 72  # bcrypt's limit
# Checked when the user name is unknown, so that a wrong name costs as much time as a wrong password.
_DUMMY_HASH = bcrypt.hashpw(b"not-a-password", bcrypt.gensalt(rounds=12)).decode()


class AccessFileError(Exception):
    """The access file is malformed or holds a password in clear."""


@dataclass(frozen=True)
class Identity:
    """A signed-in person: account (e-mail or user name), display name, role (None = no role), how they signed in."""

    account: str
    name: str
    role: str | None
    method: str  # "oidc" | "local"


@dataclass(frozen=True)
class Access:
    """E-mail → role for OIDC sign-in, and the local accounts."""

    roles: dict[str, str] = field(default_factory=dict)
    accounts: dict[str, dict] = field(default_factory=dict)


def load_access(path: Path | None) -> Access:
    """Read the access file (missing file = nobody has a role); refuse unknown roles and clear-text passwords."""
    if path is None or not Path(path).exists():
        return Access()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AccessFileError(f"{Path(path).name}: file illeggibile ({exc})") from exc
    roles = {str(email).strip().lower(): role for email, role in data.get("roles", {}).items()}
    accounts = data.get("accounts", {})
    for who, role in [*roles.items(), *((name, a.get("role")) for name, a in accounts.items())]:
        if role not in ROLES:
            raise AccessFileError(f"{who}: ruolo sconosciuto {role!r} (ammessi: {', '.join(ROLES)})")
    for name, account in accounts.items():
        if "password" in account or not str(account.get("password_hash", "")).startswith("$2"):
            raise AccessFileError(f"account {name}: serve password_hash (bcrypt); le password in chiaro non sono ammesse")
    return Access(roles, accounts)


def hash_password(password: str) -> str:
    """A bcrypt hash of the password (refused over 72 bytes, bcrypt's limit)."""
    if not password or len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise ValueError(f"la password deve avere da 1 a {MAX_PASSWORD_BYTES} byte")
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode()


def verify_password(password: str, hashed: str) -> bool:
    """True when the password matches the bcrypt hash."""
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("utf-8"))
    except ValueError:
        return False


def local_identity(access: Access, username: str) -> Identity | None:
    """The identity of a local account as the access file says now (None if it was removed)."""
    account = access.accounts.get(username)
    if account is None:
        return None
    return Identity(username, account.get("name") or username, account.get("role"), "local")


def authenticate(access: Access, username: str, password: str) -> Identity | None:
    """The local account for a user name and password, or None; as slow for an unknown name as for a wrong password."""
    account = access.accounts.get((username or "").strip())
    hashed = account["password_hash"] if account else _DUMMY_HASH
    if verify_password(password or "", hashed) and account is not None:
        return local_identity(access, username.strip())
    return None


def oidc_identity(access: Access, user: dict) -> Identity | None:
    """The identity of an official signed in through st.login: the role comes from the access file's e-mail list."""
    email = str(user.get("email") or "").strip().lower()
    if user.get("is_logged_in") is not True or not email:
        return None
    return Identity(email, str(user.get("name") or email), access.roles.get(email), "oidc")


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def save_access(path: Path, access: Access) -> None:
    """Write the access file (roles, then accounts), replacing it atomically."""
    lines = ["# Accessi al monitor PSM Asse 5: ruoli per e-mail (accesso OIDC) e account locali.",
             "# Le password sono solo hash bcrypt: usare `python -m etl account add`.", "", "[roles]"]
    lines += [f"{_toml(email)} = {_toml(role)}" for email, role in sorted(access.roles.items())]
    for name, account in sorted(access.accounts.items()):
        lines += ["", f"[accounts.{_toml(name)}]"]
        lines += [f"{key} = {_toml(str(account[key]))}" for key in ("name", "role", "password_hash") if key in account]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    temporary.chmod(0o600)
    temporary.replace(path)
