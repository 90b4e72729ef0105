"""Hardened sign-in: throttling shared through the database, equal timing, re-read accounts, quiet logs.

Timing is compared as a ratio with wide margins (the machine is shared); the
throttle's clock is replaced where a test needs minutes to pass.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import stat
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from store import accounts as acc
from store import queries, throttle
from store.actors import Actor, PermissionDenied
from store.db import Store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SECRET = "Gizli-parol-2024"
ADMIN = Actor("admin-test", "admin")


@pytest.fixture()
def secrets_file(tmp_path, monkeypatch):
    path = tmp_path / "secrets.toml"
    monkeypatch.setenv("EGOV_SECRETS", str(path))
    return path


@pytest.fixture()
def st(writable_db):
    with Store(writable_db) as s:
        yield s


class Clock:
    """A settable clock for the throttle."""

    def __init__(self):
        self.at = dt.datetime(2026, 3, 1, 9, 0, 0)

    def __call__(self):
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += dt.timedelta(seconds=seconds)


@pytest.fixture()
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(throttle, "now", c)
    return c


def _fail(st, name, client="10.0.0.1", account=None):
    return throttle.record_failure(st, name, client, account)


def test_delay_grows_then_locks_and_an_admin_lifts_it(st, clock):
    for _ in range(throttle.NAME.free):
        assert _fail(st, "aysel", account="aysel").allowed
    waits = []
    for _ in range(throttle.NAME.free, throttle.NAME.lock_after - 1):
        v = _fail(st, "aysel", account="aysel")
        assert not v.allowed and not v.locked
        assert not throttle.check(st, "aysel", "10.0.0.2").allowed  # the name is held whatever the client
        waits.append(v.wait)
        clock.advance(v.wait)
        assert throttle.check(st, "aysel", "10.0.0.2").allowed
    assert waits == sorted(waits) and waits[0] == 1 and waits[-1] > waits[0]
    v = _fail(st, "aysel", account="aysel")
    assert v.locked and v.wait == throttle.LOCK_MINUTES * 60
    clock.advance(600)
    assert throttle.check(st, "aysel", "10.0.0.9").locked
    held = throttle.held(st)
    assert held.loc[held["kind"] == "name", "who"].tolist() == ["aysel"]
    assert (queries.events(st)["action"] == "sign_in_locked").sum() == 1
    assert throttle.unlock(st, ADMIN, username="aysel", reason="called the help desk") == 1
    assert throttle.check(st, "aysel", "10.0.0.9").allowed
    ev = queries.events(st)
    assert ev.iloc[0]["action"] == "sign_in_unlock" and ev.iloc[0]["reason"] == "called the help desk"


def test_unknown_names_are_throttled_exactly_like_accounts_and_stored_only_hashed(st, clock):
    real = [_fail(st, "aysel", "10.0.0.1", "aysel") for _ in range(throttle.NAME.lock_after)]
    fake = [_fail(st, "nobody-here", "10.0.0.2") for _ in range(throttle.NAME.lock_after)]
    assert [(v.allowed, v.locked, v.wait) for v in real] == [(v.allowed, v.locked, v.wait) for v in fake]
    typed = st.rows("SELECT subject, account FROM sign_in_throttle")
    assert all("nobody-here" not in s and (a is None or a == "aysel") for s, a in typed)


def test_client_counts_apart_and_a_success_does_not_clear_it(st, clock):
    for k in range(throttle.CLIENT.free + 1):
        _fail(st, f"name-{k}", "10.9.9.9")
    v = throttle.check(st, "someone-new", "10.9.9.9")
    assert not v.allowed and v.subject == "client"
    throttle.record_success(st, "someone-new")
    assert not throttle.check(st, "someone-new", "10.9.9.9").allowed
    assert throttle.check(st, "someone-new", "10.1.1.1").allowed
    clock.advance(throttle.FORGET_AFTER.total_seconds() + 1)
    assert throttle.check(st, "someone-new", "10.9.9.9").allowed


def test_throttling_is_shared_by_processes(st, secrets_file):
    """Failures counted by another process (another app instance) hold this one back: a lock-out
    reached there refuses the right password here, from another client."""
    acc.add_account("aysel", SECRET, "expert")
    # The other process's attempts are spread over the last twenty minutes (each waits out its delay),
    # so that the lock-out holds now whatever the machine's speed.
    code = textwrap.dedent(f"""
        import datetime as dt
        import itertools
        from store.db import Store
        from store import accounts, throttle
        start, tick = throttle.now() - dt.timedelta(minutes=20), itertools.count()
        throttle.now = lambda: start + dt.timedelta(seconds=61 * next(tick))
        st = Store({str(st.path)!r})
        for _ in range({throttle.NAME.lock_after}):
            accounts.sign_in(st, "aysel", "wrong-password", "10.0.0.7")
    """)
    env = dict(os.environ, EGOV_SECRETS=str(secrets_file))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    actor, verdict = acc.sign_in(st, "aysel", SECRET, "10.0.0.8")
    assert actor is None and not verdict.allowed and verdict.subject == "name" and verdict.locked


def test_unknown_user_costs_the_same_as_a_wrong_password(st, secrets_file):
    acc.add_account("aysel", SECRET, "expert")
    acc.sign_in(st, "warm-up", "x", "10.1.0.0")

    def timed(name, k):
        t0 = time.perf_counter()
        acc.sign_in(st, name, "not-the-password", f"10.2.{k}.1")
        return time.perf_counter() - t0

    known = [timed("aysel" if k % 3 else "aysel", k) for k in range(3)]
    throttle.record_success(st, "aysel")
    unknown = [timed(f"ghost-{k}", k + 10) for k in range(3)]
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.5 < ratio < 2.0, (known, unknown)
    # The argon2 check itself dominates: an unknown name is not answered in microseconds.
    assert statistics.median(unknown) > 0.01


def test_a_password_typed_as_user_name_never_reaches_the_log(app_env, secrets_file, caplog):
    from streamlit.testing.v1 import AppTest

    acc.add_account("aysel", SECRET, "expert")
    caplog.set_level(logging.DEBUG)
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.text_input(key="auth-user").input(SECRET)
    at.text_input(key="auth-password").input("whatever")
    next(b for b in at.button if b.label in ("Daxil ol", "Sign in")).click().run()
    assert at.session_state["actor"] is None if "actor" in at.session_state else True
    assert any(e.value for e in at.error)
    assert "sign-in refused" in caplog.text and "unknown user name" in caplog.text
    assert SECRET not in caplog.text and "whatever" not in caplog.text


def _sign_in(at, user, password):
    at.text_input(key="auth-user").input(user)
    at.text_input(key="auth-password").input(password)
    next(b for b in at.button if b.label in ("Daxil ol", "Sign in")).click().run()
    at.run()  # the sign-in reruns the script: pages are registered for the new role


def test_removed_or_changed_account_loses_its_rights_on_the_next_rerun(writable_db, secrets_file):
    from streamlit.testing.v1 import AppTest

    acc.add_account("elvin", SECRET, "expert")
    acc.add_account("boss", SECRET, "admin")
    at = AppTest.from_file(APP, default_timeout=90).run()
    _sign_in(at, "elvin", SECRET)
    assert at.session_state["actor"].role == "expert"
    at.switch_page("pages/data.py").run()
    assert not at.exception and at.title[0].value
    with Store(writable_db) as st:
        acc.change_account(st, Actor("boss", "admin"), "role", "elvin", role="viewer", reason="left the group")
    at.run()
    assert "actor" not in at.session_state or at.session_state["actor"] is None
    assert any("role or password" in c.value or "rolu və ya şifrəsi" in c.value for c in at.sidebar.caption)
    # The page left open is now only the sign-in prompt: nothing of the Data page is drawn.
    assert [i.value for i in at.info if "daxil ol" in i.value] and not at.file_uploader
    # Signing in again gives the new role; removing the account signs the session out at once.
    at.run()  # a rerun on the prompt still shows the prompt, not the page
    assert [i.value for i in at.info if "daxil ol" in i.value] and not at.file_uploader
    _sign_in(at, "elvin", SECRET)
    assert at.session_state["actor"].role == "viewer"
    with Store(writable_db) as st:
        acc.change_account(st, Actor("boss", "admin"), "remove", "elvin", reason="left")
    at.run()
    assert "actor" not in at.session_state or at.session_state["actor"] is None


def test_every_account_change_is_audited_with_who_and_why(st, secrets_file):
    boss = Actor("boss", "admin")
    acc.change_account(st, boss, "add", "aysel", password=SECRET, role="expert", name="Aysel", reason="new expert")
    acc.change_account(st, boss, "role", "aysel", role="admin", reason="leads the group")
    acc.change_account(st, boss, "passwd", "aysel", password="Yeni-parol-2025", reason="forgot it")
    acc.change_account(st, boss, "unlock", "aysel", reason="locked herself out")
    acc.change_account(st, boss, "remove", "aysel", reason="left")
    ev = queries.events(st).sort_values("event_id")
    mine = ev[ev["action"].isin(["account_add", "account_role", "account_password", "sign_in_unlock",
                                 "account_remove"])]
    assert mine["action"].tolist() == ["account_add", "account_role", "account_password", "sign_in_unlock",
                                       "account_remove"]
    assert set(mine["actor"]) == {"boss"}
    assert mine["reason"].tolist() == ["new expert", "leads the group", "forgot it", "locked herself out", "left"]
    assert '"from": "expert"' in mine.iloc[1]["detail"] and '"to": "admin"' in mine.iloc[1]["detail"]
    assert all(SECRET not in d and "argon2" not in d for d in mine["detail"])
    with pytest.raises(PermissionDenied):
        acc.change_account(st, Actor("e", "expert"), "add", "x1", password=SECRET, role="admin")


def test_admin_page_adds_an_account_with_an_audited_reason(writable_db, secrets_file):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["actor"] = Actor("boss", "admin")
    at.run()
    at.switch_page("pages/admin.py").run()
    at.text_input(key="acc-new-user").input("nigar")
    at.text_input(key="acc-new-name").input("Nigar Əliyeva")
    at.selectbox(key="acc-new-role").set_value("expert")
    at.text_input(key="acc-new-pw").input(SECRET)
    at.text_input(key="acc-new-pw2").input(SECRET)
    at.text_input(key="acc-new-reason").input("joins the review")
    next(b for b in at.button if b.label in ("Əlavə et", "Add")).click().run()
    assert not at.exception
    assert acc.authenticate("nigar", SECRET).role == "expert"
    with Store(writable_db) as st:
        ev = queries.events(st)
    row = ev[ev["action"] == "account_add"].iloc[0]
    assert row["actor"] == "boss" and row["reason"] == "joins the review"


def test_cli_unlock_and_list(writable_db, secrets_file, capsys, clock):
    import cli

    acc.add_account("aysel", SECRET, "expert")
    with Store(writable_db) as st:
        for _ in range(throttle.CLIENT.free + 1):
            throttle.record_failure(st, "aysel", "10.0.0.3", "aysel")
    assert cli.main(["user", "list"]) == 0
    out = capsys.readouterr().out
    assert "aysel\texpert\taysel\tlocked until" in out
    assert cli.main(["user", "unlock", "aysel", "--reason", "phoned in"]) == 0
    with Store(writable_db) as st:
        assert throttle.check(st, "aysel", "10.0.0.3").allowed is False  # the client is still held
        assert throttle.check(st, "aysel", "10.0.0.4").allowed
    assert cli.main(["user", "unlock", "--client", "10.0.0.3", "--reason", "office"]) == 0
    with Store(writable_db) as st:
        assert throttle.check(st, "aysel", "10.0.0.3").allowed


def test_secrets_file_is_private_from_its_first_byte(tmp_path, monkeypatch):
    """The temporary file is created 0600 by the open itself (umask 022 would make a plain write 0644)."""
    path = tmp_path / "new" / "secrets.toml"
    modes = []
    real_fdopen = os.fdopen

    def spying_fdopen(fd, *a, **kw):
        modes.append(stat.S_IMODE(os.fstat(fd).st_mode))
        return real_fdopen(fd, *a, **kw)

    monkeypatch.setattr(os, "fdopen", spying_fdopen)
    old = os.umask(0o022)
    try:
        acc.add_account("aysel", SECRET, "expert", path=path)
    finally:
        os.umask(old)
    assert modes and all(m == 0o600 for m in modes)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not path.with_name(path.name + ".tmp").exists()
