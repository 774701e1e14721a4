"""The machine the figures were measured on, as Markdown lines for bench/RESULTS.md."""
from __future__ import annotations

import os
import platform
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PACKAGES = ("streamlit", "pandas", "duckdb", "pyarrow", "plotly", "pydeck", "numpy", "protobuf",
            "uvicorn", "starlette", "websockets")


def _cpu_model() -> str:
    """CPU model name from /proc/cpuinfo (the platform's processor string elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> str:
    """Total memory in GiB from /proc/meminfo."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def describe() -> list[str]:
    """Date, cores, memory, CPU, OS, Python and package versions, one Markdown bullet each."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return [
        f"- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- cores (nproc): {os.cpu_count()}, memory: {_memory_gib()}, CPU: {_cpu_model()}",
        f"- load average at the start (1, 5, 15 min): {load} (the machine is shared)",
        f"- OS: {platform.system()} {platform.release()}, Python {platform.python_version()}",
        "- packages: " + ", ".join(f"{p} {_version(p)}" for p in PACKAGES),
    ]


if __name__ == "__main__":
    print("\n".join(describe()))
