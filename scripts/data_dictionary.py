#!/usr/bin/env python3
"""Write docs/data-dictionary.md from the column definitions in claimscope.export (TABLES).

    .venv/bin/python scripts/data_dictionary.py          # rewrite the file
    .venv/bin/python scripts/data_dictionary.py --check  # exit 1 when the file is out of date
"""
from __future__ import annotations

import sys
from pathlib import Path

from claimscope.export import data_dictionary

TARGET = Path(__file__).resolve().parents[1] / "docs" / "data-dictionary.md"


def main(argv: list[str]) -> int:
    text = data_dictionary()
    if "--check" in argv:
        current = TARGET.read_text("utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date: run python scripts/data_dictionary.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, "utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
