"""Write the corpus to disk, and resave some of it through LibreOffice.

    .venv/bin/python -m tests.corpus.build OUT_DIR            # every case as a file
    .venv/bin/python -m tests.corpus.build --resave            # refresh tests/corpus/resaved/

The tests build the cases in memory; files on disk are for people (open them,
send them to the app) and for the LibreOffice round trip. Resaving needs
``soffice`` (Debian: libreoffice-calc-nogui); the resaved workbooks are
committed, so the tests and CI need no LibreOffice. Resaved files keep the
case's name, so they are checked against the same expected outcome.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .cases import CASES

RESAVED = Path(__file__).resolve().parent / "resaved"


def write_all(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for case in CASES:
        path = out / case.file_name
        path.write_bytes(case.build())
        paths.append(path)
    return paths


def resave(out: Path = RESAVED) -> list[Path]:
    """Open each ``resave=True`` case in LibreOffice Calc and save it again as .xlsx (Excel 2007-365)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is not installed; the committed files in resaved/ stay as they are")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        src, dst, profile = Path(tmp, "src"), Path(tmp, "dst"), Path(tmp, "profile")
        src.mkdir()
        for case in CASES:
            if case.resave:
                (src / case.file_name).write_bytes(case.build())
        files = sorted(src.glob("*.xlsx"))
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(dst), *map(str, files)],
                       check=True, capture_output=True, timeout=600)
        for f in sorted(dst.glob("*.xlsx")):
            target = out / f.name
            shutil.copy(f, target)
            written.append(target)
        # Real files in the formats people save by mistake, for the refusals with a "save as .xlsx" hint.
        other = Path(tmp, "other")
        for fmt, ext in (("ods", ".ods"), ("xls:MS Excel 97", ".xls")):
            subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                            "--convert-to", fmt, "--outdir", str(other), str(src / "contract_plain.xlsx")],
                           check=True, capture_output=True, timeout=300)
            made = other / f"contract_plain{ext}"
            for name in (f"saved_as_{ext[1:]}{ext}", f"{ext[1:]}_renamed_to_xlsx.xlsx"):
                shutil.copy(made, out / name)
                written.append(out / name)
    return written


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", nargs="?", type=Path, help="write every case to this folder")
    p.add_argument("--resave", action="store_true", help="refresh tests/corpus/resaved/ through LibreOffice")
    args = p.parse_args(argv)
    if args.out:
        print(f"{len(write_all(args.out))} files written to {args.out}")
    if args.resave:
        print(f"{len(resave())} files resaved by LibreOffice into {RESAVED}")
    if not args.out and not args.resave:
        p.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
