"""``python -m l10n check`` validates the PO files; ``python -m l10n sort`` rewrites them sorted."""

import sys

from .catalogue import problems, write_sorted


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "check"
    if cmd == "sort":
        write_sorted()
    found = problems()
    for line in found:
        print(line)
    print(f"{len(found)} problem(s)" if found else "catalogue OK")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
