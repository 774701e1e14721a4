"""Access: bcrypt hashes only, roles by e-mail, local accounts, the access file written by `python -m etl account`."""
from __future__ import annotations

import io

import pytest

from etl.cli import main
from core import auth


def test_password_is_stored_only_as_a_bcrypt_hash(tmp_path, monkeypatch):
    path = tmp_path / "accessi.toml"
    monkeypatch.setenv("PSM_ACCOUNTS_FILE", str(path))
    monkeypatch.setattr("sys.stdin", io.StringIO("una password lunga\n"))
    assert main(["account", "add", "mrossi", "--name", "Mario Rossi"]) == 0
    assert main(["account", "role", "Anna.Bianchi@Example.org", "editor"]) == 0
    text = path.read_text(encoding="utf-8")
    assert "una password lunga" not in text and "$2b$" in text
    access = auth.load_access(path)
    assert access.roles == {"anna.bianchi@example.org": "editor"}
    assert auth.authenticate(access, "mrossi", "una password lunga") == auth.Identity(
        "mrossi", "Mario Rossi", "viewer", "local")  # no --role: a viewer
    assert auth.authenticate(access, "mrossi", "sbagliata") is None
    assert auth.authenticate(access, "nessuno", "una password lunga") is None
    assert main(["account", "remove", "mrossi"]) == 0
    assert auth.load_access(path).accounts == {}


@pytest.mark.parametrize("content, message", [
    ('[accounts.mrossi]\nname = "M"\nrole = "editor"\npassword = "chiaro"\n', "in chiaro"),
    ('[roles]\n"a@b.it" = "capo"\n', "ruolo sconosciuto"),
    ("[roles\n", "illeggibile"),
])
def test_bad_access_files_are_refused(tmp_path, content, message):
    path = tmp_path / "accessi.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(auth.AccessFileError, match=message):
        auth.load_access(path)


def test_oidc_identity_needs_a_signed_in_user_and_takes_the_role_from_the_file():
    access = auth.Access(roles={"mario.rossi@example.org": "editor"})
    assert auth.oidc_identity(access, {"email": "test@example.com"}) is None   # not signed in
    assert auth.oidc_identity(access, {"is_logged_in": False, "email": "mario.rossi@example.org"}) is None
    signed = auth.oidc_identity(access, {"is_logged_in": True, "email": "Mario.Rossi@example.org", "name": "Mario"})
    assert signed == auth.Identity("mario.rossi@example.org", "Mario", "editor", "oidc")
    other = auth.oidc_identity(access, {"is_logged_in": True, "email": "altro@example.org"})
    assert other.role is None


def test_overlong_password_is_refused():
    with pytest.raises(ValueError):
        auth.hash_password("x" * 73)
    assert not auth.verify_password("x" * 100, auth.hash_password("x"))
