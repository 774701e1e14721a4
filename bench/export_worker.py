"""Child process of the query benchmark: write the full download of a warehouse, print seconds, peak RSS and size."""
from __future__ import annotations

import json
import resource
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
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024   # kilobytes on Linux
    print(json.dumps({"seconds": seconds, "peak_rss_bytes": peak, "zip_bytes": target.stat().st_size}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
