"""Child process of the query benchmark: write the full download of a warehouse, print seconds, peak RSS and size."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from monitor import downloads


def main(argv: list[str]) -> int:
    """python -m bench.export_worker WAREHOUSE FOLDER: write the ZIP as the app's first click does, print a JSON line."""
    warehouse, folder = Path(argv[0]), Path(argv[1])
    started = time.perf_counter()
    target = downloads.full_download(warehouse, folder)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_rss_bytes": peak_rss_bytes(), "zip_bytes": target.stat().st_size}),
          flush=True)
    return 0


def peak_rss_bytes() -> int:
    """Peak resident size of this process since it started (VmHWM; getrusage would include the parent's at fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
