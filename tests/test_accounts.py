"""Local accounts: the secrets file, argon2 hashes, the command line, roles by e-mail."""

from __future__ import annotations

import io
import logging
import tomllib

import pytest

import cli
from store import Store, queries
from store import accounts as acc
from store.actors import Actor, PermissionDenied

SECRET = "Gizli-parol-2024"


@pytest.fixture()
def secrets(tmp_path, monkeypatch):
    path = tmp_path / "secrets.toml"
    path.write_text('[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\n\n'
                    '[accounts.old]\nname = "Old"\nrole = "viewer"\npassword_hash = "x"\n', encoding="utf-8")
    monkeypatch.setenv("EGOV_SECRETS", str(path))
    return path


def test_add_verify_passwd_remove(secrets):
    acc.add_account("aysel", SECRET, "expert", 'Aysel "Ə" Quliyeva\n[x]')
    data = tomllib.loads(secrets.read_text(encoding="utf-8"))
    assert data["auth"]["redirect_uri"].startswith("http")  # other sections kept
    assert data["accounts"]["aysel"]["name"] == 'Aysel "Ə" Quliyeva\n[x]'
    assert data["accounts"]["aysel"]["password_hash"].startswith("$argon2")
    assert SECRET not in secrets.read_text(encoding="utf-8")
    assert acc.authenticate("aysel", SECRET) == Actor("aysel", "expert")
    assert acc.authenticate("aysel", "wrong-password") is None
    assert acc.authenticate("old", "anything") is None  # unreadable hash: refused, no crash
    acc.set_password("aysel", "Yeni-parol-2025")
    assert acc.authenticate("aysel", SECRET) is None and acc.authenticate("aysel", "Yeni-parol-2025")
    acc.remove_account("aysel")
    assert [u for u, _, _ in acc.list_accounts()] == ["old"]


@pytest.mark.parametrize("user, password, role", [("a", SECRET, "expert"), ("ok", "short", "expert"),
                                                  ("ok", SECRET, "root"), ("bad name", SECRET, "admin")])
def test_bad_accounts_refused(secrets, user, password, role):
    with pytest.raises(acc.AccountError):
        acc.add_account(user, password, role)


def test_cli_user_commands_never_show_the_password(secrets, writable_db, monkeypatch, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr("sys.stdin", io.StringIO(SECRET + "\n"))
    assert cli.main(["--db", str(writable_db), "user", "add", "rauf", "--role", "admin", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("Parol-dəyişdi-1\n"))
    assert cli.main(["user", "passwd", "rauf", "--password-stdin"]) == 0
    assert cli.main(["user", "list"]) == 0
    assert cli.main(["--db", str(writable_db), "user", "remove", "old"]) == 0
    out = capsys.readouterr()
    assert "rauf\tadmin" in out.out
    for text in (out.out, out.err, caplog.text, secrets.read_text(encoding="utf-8")):
        assert SECRET not in text and "Parol-dəyişdi-1" not in text
    assert acc.authenticate("rauf", "Parol-dəyişdi-1").role == "admin"
    with Store(writable_db) as st:
        ev = queries.events(st)
    changes = ev[ev["action"].str.startswith("account_")].sort_values("event_id")
    assert changes["action"].tolist() == ["account_add", "account_password", "account_remove"]
    assert all(SECRET not in d and "argon2" not in d for d in changes["detail"])


def test_roles_by_email_are_an_admins_write(writable_db):
    with Store(writable_db) as st:
        with pytest.raises(PermissionDenied):
            acc.set_role(st, Actor("e", "expert"), "x@gov.az", "admin")
        acc.set_role(st, Actor("a", "admin"), "X@gov.az", "expert", reason="joined the working group")
        assert acc.role_for_email(st, "x@GOV.az") == "expert"
        acc.set_role(st, Actor("a", "admin"), "x@gov.az", None, reason="left")
        assert acc.role_for_email(st, "x@gov.az") is None
        assert (queries.events(st)["action"] == "role_change").sum() == 2
