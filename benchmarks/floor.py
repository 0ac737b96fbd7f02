"""The physical floor: list and read every file under a root, nothing more.

    python benchmarks/floor.py ROOT

Hidden folders (`.git`) and files are skipped, as pmctl skips them. No tool
that looks at every record can be faster than this.
"""

from __future__ import annotations

import os
import sys


def read_all(root: str) -> tuple[int, int]:
    files = size = 0
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if not name.startswith("."):
                with open(os.path.join(folder, name), "rb") as handle:
                    size += len(handle.read())
                files += 1
    return files, size


if __name__ == "__main__":
    count, total = read_all(sys.argv[1])
    print(f"read {count} files, {total} bytes")
