"""Soak: twenty browser sessions read while two importers and an exporter write, and things get killed.

Run: make soak   (or .venv/bin/python bench/soak.py --seconds 300 --sessions 20)

On a fresh demo database, for ``--seconds``:

- ``--sessions`` browser sessions (tests/browser_load.py) visit the public pages of one app process;
- two import workers run ``cli.py import`` over a queue of distinct workbooks each, retrying a file
  whose import was killed, as an operator would;
- one export worker runs ``cli.py export`` in a loop;
- a chaos loop sends ``kill -9`` at random moments: to the app (restarted on the same port), to a
  running import, to a running export.

Then it checks that nothing was lost or duplicated: every workbook is stored exactly once
(``imports`` lists it once; re-importing it says "imported before"), the round holds exactly the
rows of the workbooks, each import has its audit event and its original file, no service has two
current answers, and a backup restores to the same content fingerprint. The figures are printed
as Markdown for docs/RELIABILITY.md; the exit code is 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.badfiles import TAXES, make_self_workbook, self_row  # noqa: E402
from tests.browser_support import free_port, wait_healthy  # noqa: E402

ROUND = "2099"
ROWS_PER_FILE = 25


class Soak:
    def __init__(self, folder: Path, seconds: float, sessions: int, files: int, seed: int):
        self.folder, self.seconds, self.sessions, self.files = folder, seconds, sessions, files
        self.rng = random.Random(seed)
        self.db = folder / "soak.duckdb"
        self.env = dict(os.environ, EGOV_DB=str(self.db), EGOV_SECRETS=str(folder / "secrets.toml"),
                        PYTHONUNBUFFERED="1")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app: subprocess.Popen | None = None
        self.lock = threading.Lock()
        self.running: dict[str, subprocess.Popen] = {}  # worker name → its current CLI process
        self.stats = {"imports_ok": 0, "imports_killed": 0, "imports_retried": 0, "imports_failed": [],
                      "exports_ok": 0, "exports_killed": 0, "exports_failed": [], "app_kills": 0,
                      "app_restart_s": [], "app_down": [], "cli_s": [], "import_kills_after_commit": 0}
        self.stop = threading.Event()

    # -- processes -----------------------------------------------------------------------
    def cli(self, *args) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "cli.py", *map(str, args)], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=600)

    def start_app(self) -> None:
        log = open(self.folder / "app.log", "a")
        self.app = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
             "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        wait_healthy(self.url, self.app, timeout=180)

    def workbooks(self) -> list[Path]:
        out = []
        for k in range(self.files):
            path = self.folder / f"soak-{k:03d}.xlsx"
            rows = [self_row(institution=TAXES, code=f"90.{k}.{j}", name=f"Soak service {k}.{j}",
                             answers=[(k + j + q) % 2 for q in range(17)]) for j in range(ROWS_PER_FILE)]
            path.write_bytes(make_self_workbook(rows, meta={"round": ROUND, "source": "self",
                                                            "methodology": "2013-osce"}))
            out.append(path)
        return out

    # -- workers -----------------------------------------------------------------------------
    def _run_killable(self, name: str, args: list) -> tuple[int | None, str, float]:
        t0 = time.monotonic()
        proc = subprocess.Popen([sys.executable, "cli.py", *map(str, args)], cwd=ROOT, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        with self.lock:
            self.running[name] = proc
        out, _ = proc.communicate(timeout=900)
        with self.lock:
            self.running.pop(name, None)
        return proc.returncode, out, time.monotonic() - t0

    def importer(self, name: str, queue: list[Path]) -> None:
        for path in queue:
            while not self.stop.is_set():
                code, out, secs = self._run_killable(name, ["import", path, "--as", f"soak-{name}"])
                if code == -signal.SIGKILL:
                    self.stats["imports_killed"] += 1
                    self.stats["imports_retried"] += 1
                    continue
                self.stats["cli_s"].append(secs)
                if code == 0 and ("imported" in out or "imported before" in out):
                    self.stats["imports_ok"] += 1
                    if "imported before" in out:
                        self.stats["import_kills_after_commit"] += 1
                    break
                if code == 75:  # busy: an operator runs it again
                    self.stats["imports_retried"] += 1
                    continue
                self.stats["imports_failed"].append(f"{path.name}: exit {code}: {out[-300:]}")
                break

    def exporter(self) -> None:
        k = 0
        while not self.stop.is_set():
            k += 1
            code, out, secs = self._run_killable("export", ["export", "--csv-dir", self.folder / f"export-{k % 3}"])
            if code == -signal.SIGKILL:
                self.stats["exports_killed"] += 1
            elif code in (0, 75):
                self.stats["exports_ok"] += int(code == 0)
                self.stats["cli_s"].append(secs)
            else:
                self.stats["exports_failed"].append(f"exit {code}: {out[-300:]}")

    def chaos(self, until: float) -> None:
        while time.monotonic() < until and not self.stop.is_set():
            time.sleep(self.rng.uniform(8, 20))
            target = self.rng.choice(["app", "import-a", "import-b", "export"])
            if target == "app":
                down = time.time()
                self.app.send_signal(signal.SIGKILL)
                self.app.wait()
                self.stats["app_kills"] += 1
                t0 = time.monotonic()
                self.start_app()
                self.stats["app_restart_s"].append(time.monotonic() - t0)
                self.stats["app_down"].append((down, time.time()))
            else:
                with self.lock:
                    proc = self.running.get(target)
                if proc is not None and proc.poll() is None:
                    time.sleep(self.rng.uniform(0, 1.5))  # somewhere in the middle of its work
                    try:
                        proc.send_signal(signal.SIGKILL)
                    except ProcessLookupError:
                        pass

    # -- the run -------------------------------------------------------------------------------
    def run(self) -> dict:
        t0 = time.monotonic()
        self.cli("demo")
        self.cli("round", "open", ROUND, "--reason", "soak")
        files = self.workbooks()
        self.start_app()
        load_out = self.folder / "load.json"
        stop_file = self.folder / "stop"
        load = subprocess.Popen([sys.executable, "-m", "tests.browser_load", "--url", self.url, "--sessions",
                                 str(self.sessions), "--seconds", str(self.seconds + 600), "--stop", str(stop_file),
                                 "--out", str(load_out)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.STDOUT)
        until = time.monotonic() + self.seconds
        half = len(files) // 2
        workers = [threading.Thread(target=self.importer, args=("import-a", files[:half])),
                   threading.Thread(target=self.importer, args=("import-b", files[half:])),
                   threading.Thread(target=self.exporter), threading.Thread(target=self.chaos, args=(until,))]
        for w in workers:
            w.start()
        workers[0].join()
        workers[1].join()
        while time.monotonic() < until:
            time.sleep(1)
        self.stop.set()
        for w in workers[2:]:
            w.join(timeout=900)
        stop_file.write_text("stop")
        load.wait(timeout=600)
        self.stats["load"] = json.loads(load_out.read_text())
        self.stats["checks"] = self.check(files)
        self.stats["minutes"] = round((time.monotonic() - t0) / 60, 1)
        self.app.terminate()
        self.app.wait(timeout=30)
        return self.stats

    def check(self, files: list[Path]) -> dict[str, bool]:
        from store import originals, queries
        from store.db import Store

        checks = {}
        with Store(self.db) as st:
            imports = queries.imports(st)
            mine = imports[imports["file_name"].str.startswith("soak-")]
            counts = mine[mine["outcome"] == "imported"]["file_name"].value_counts()
            checks["every workbook stored exactly once"] = (
                len(counts) == len(files) and bool((counts == 1).all()))
            current = st.scalar(
                "SELECT count(*) FROM service_answers a JOIN rounds r USING (round_id) WHERE r.label = ? "
                "AND a.replaced_by_import IS NULL AND a.import_id IN "
                "(SELECT import_id FROM imports WHERE outcome = 'imported')", [ROUND])
            checks["the round holds exactly the workbooks' rows"] = current == len(files) * ROWS_PER_FILE
            dupes = st.scalar(
                "SELECT count(*) FROM (SELECT service_id, source, round_id FROM service_answers "
                "WHERE replaced_by_import IS NULL GROUP BY ALL HAVING count(*) > 1)")
            checks["no service has two current answers"] = dupes == 0
            events = queries.events(st)
            ids = set(mine["import_id"])
            checks["each import has its audit event"] = ids <= set(events["import_id"].dropna().astype(int))
            checks["each import kept its original file"] = all(originals.of_import(st, i) for i in ids)
        again = self.cli("import", files[0])
        checks["re-importing a workbook changes nothing"] = again.returncode == 0 and "imported before" in again.stdout
        backup_dir = self.folder / "backup"
        b = self.cli("backup", "-o", backup_dir)
        r = self.cli("restore", backup_dir, "--db", self.folder / "restored.duckdb")
        checks["a backup restores to the same content"] = b.returncode == 0 and r.returncode == 0
        return checks


def report(stats: dict, seconds: float, sessions: int) -> str:
    load = stats["load"]
    cli = sorted(stats["cli_s"])
    cut = sum(1 for start, _end in load.get("failed_at", [])
              if any(start <= up and _end >= down for down, up in stats["app_down"]))
    lines = [
        f"| run | {stats['minutes']} min in all; {seconds:.0f} s of load and chaos |",
        "|---|---|",
        f"| browser sessions | {sessions}: {load['pages']} pages drawn, median {load['median_s']} s, "
        f"p95 {load['p95_s']} s, max {load['max_s']} s |",
        f"| errors shown in pages | {len(load['errors'])} |",
        f"| 'busy, try again' notices | {load['busy']} |",
        f"| visits cut by an app kill (started before its restart ended) | {cut} |",
        f"| visits that timed out otherwise (90 s to settle) | {len(load['failed']) - cut} |",
        f"| app killed with -9 / restart time | {stats['app_kills']} / "
        f"{', '.join(f'{s:.1f} s' for s in stats['app_restart_s']) or '—'} |",
        f"| imports done / killed with -9 (retried) / killed after their commit | {stats['imports_ok']} / "
        f"{stats['imports_killed']} / {stats['import_kills_after_commit']} |",
        f"| exports done / killed with -9 | {stats['exports_ok']} / {stats['exports_killed']} |",
        f"| CLI command time (median / max) | {cli[len(cli) // 2] if cli else 0:.1f} s / "
        f"{cli[-1] if cli else 0:.1f} s |",
        f"| commands that failed | {len(stats['imports_failed']) + len(stats['exports_failed'])} |",
    ]
    lines += [f"| check: {name} | {'yes' if ok else '**NO**'} |" for name, ok in stats["checks"].items()]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=240)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--files", type=int, default=24, help="workbooks to import (split between two workers)")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--keep", action="store_true", help="keep the working folder (its path is printed)")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="egov-soak-"))
    try:
        stats = Soak(folder, args.seconds, args.sessions, args.files, args.seed).run()
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"working folder: {folder}")
    print(report(stats, args.seconds, args.sessions))
    problems = stats["imports_failed"] + stats["exports_failed"] + stats["load"]["errors"]
    for p in problems[:20]:
        print("problem:", p)
    return 0 if all(stats["checks"].values()) and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
