"""Project settings from config.toml, each overridable by a PSM_* environment variable."""
from __future__ import annotations

import os
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path

from core.territory import Territory

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# setting name -> (config section, key, environment variable)
_KEYS = {
    "warehouse": ("paths", "warehouse", "PSM_WAREHOUSE"),
    "data_dir": ("paths", "data_dir", "PSM_DATA_DIR"),
    "public_warehouse": ("paths", "public_warehouse", "PSM_PUBLIC_WAREHOUSE"),
    "static_dir": ("paths", "static_dir", "PSM_STATIC_DIR"),
    "mode": ("app", "mode", "PSM_MODE"),
    "default_language": ("app", "default_language", "PSM_LANGUAGE"),
    "upload_max_bytes": ("uploads", "max_bytes", "PSM_UPLOAD_MAX_BYTES"),
    "accounts_file": ("auth", "accounts_file", "PSM_ACCOUNTS_FILE"),
    "publish_keep_days": ("publish", "keep_days", "PSM_PUBLISH_KEEP_DAYS"),
    "public_url": ("publish", "public_url", "PSM_PUBLIC_URL"),
    "publisher_ipa": ("publish", "publisher_ipa", "PSM_PUBLISHER_IPA"),
}
MODES = ("internal", "public")


@dataclass(frozen=True)
class Settings:
    """Resolved settings: absolute paths and the app mode."""

    warehouse: Path
    data_dir: Path
    public_warehouse: Path
    mode: str
    default_language: str
    territory: Territory
    upload_max_bytes: int = 10 * 2**20
    accounts_file: Path | None = None
    static_dir: Path = PROJECT_ROOT / "static"
    publish_keep_days: int = 30     # days an older published version stays reachable after it is replaced
    public_url: str = ""            # address of the public instance; empty: the catalogue's links are relative
    publisher_ipa: str = ""         # the publisher's IPA code (DCAT-AP_IT agent identifier); empty: left out

    @property
    def is_public(self) -> bool:
        return self.mode == "public"

    @property
    def served_warehouse(self) -> Path:
        """The file the app reads: the published copy in public mode, the live one otherwise."""
        return self.public_warehouse if self.is_public else self.warehouse

    @property
    def upload_max_megabytes(self) -> int:
        """The upload limit in Streamlit's megabytes (2**20 bytes), rounded up: the widget's and the server's limit."""
        return max(1, -(-self.upload_max_bytes // 2**20))


def _resolve(path: str) -> Path:
    p = Path(path)
    return p if p.is_absolute() else PROJECT_ROOT / p


_memo: dict[tuple, Settings] = {}
_memo_lock = threading.Lock()
_pinned = threading.local()   # .settings: what load_settings() answers in this thread until the next pin


def pin_for_this_thread() -> Settings:
    """Read the settings now and answer load_settings() with them in this thread until the next call.

    For a script run (app.py calls it first, through monitor.data.begin_run): the pages ask for the settings dozens
    of times a run, and each check of the file is a system call, which with 50 sessions running at once waits
    for Python's interpreter lock every time. A thread that never pinned checks the file on every call.
    """
    _pinned.settings = None
    _pinned.settings = load_settings()
    return _pinned.settings


def load_settings() -> Settings:
    """Read config.toml (or $PSM_CONFIG) and apply environment overrides; reread only when either changes.

    Pages ask for the settings many times per rerun: the file is parsed again only when its path, size or
    modification time, or one of the PSM_* variables, differs from the last call. In a thread that pinned them
    (a script run, see pin_for_this_thread) the settings of the pin.
    """
    pinned = getattr(_pinned, "settings", None)
    if pinned is not None:
        return pinned
    config_path = Path(os.environ.get("PSM_CONFIG", PROJECT_ROOT / "config.toml"))
    stat = config_path.stat()
    key = (str(config_path), stat.st_mtime_ns, stat.st_size, *(os.environ.get(env) for _, _, env in _KEYS.values()))
    settings = _memo.get(key)
    if settings is None:
        settings = _read_settings(config_path)
        with _memo_lock:
            _memo.clear()
            _memo[key] = settings
    return settings


def _read_settings(config_path: Path) -> Settings:
    """Parse the config file and apply environment overrides."""
    config = tomllib.loads(config_path.read_text(encoding="utf-8"))
    values = {}
    for name, (section, key, env) in _KEYS.items():
        values[name] = os.environ.get(env) or config.get(section, {}).get(key)
    if values["mode"] not in MODES:
        raise ValueError(f"PSM_MODE / app.mode must be one of {MODES}, not {values['mode']!r}")
    return Settings(
        warehouse=_resolve(values["warehouse"]),
        data_dir=_resolve(values["data_dir"]),
        public_warehouse=_resolve(values["public_warehouse"]),
        mode=values["mode"],
        default_language=values["default_language"] or "it",
        territory=Territory.from_config(config.get("build", {})),
        upload_max_bytes=int(values["upload_max_bytes"] or 10 * 2**20),
        accounts_file=_resolve(values["accounts_file"] or "data/accounts.toml"),
        static_dir=_resolve(values["static_dir"] or "static"),
        publish_keep_days=int(values["publish_keep_days"] if values["publish_keep_days"] is not None else 30),
        public_url=(values["public_url"] or "").rstrip("/"),
        publisher_ipa=values["publisher_ipa"] or "",
    )
