"""One SQLAlchemy engine per database URL in a test process.

SQLAlchemy caches each statement's compiled form per engine. A test's app makes its own engine,
so every statement a test runs was compiled again for it: a millisecond or more each, several
dozen times a test. The test processes keep the first engine made for a URL instead; disposing a
``Database`` closes its connections as before, and the next test's app gets the same engine,
with its compiled statements, and new connections. A serving process makes its engine once, so
the product is unchanged.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sqlalchemy import Engine

from server import db

_engines: dict[str, Engine] = {}
_make_engine = db.make_engine


def _kept_engine(url: str) -> Engine:
    engine = _engines.get(url)
    if engine is None:
        engine = _engines[url] = _make_engine(url)
    return engine


def install() -> None:
    db.make_engine = _kept_engine


def fresh_sqlite_copy(path: Path, source: Path) -> str:
    """The URL of ``path``, made a new copy of ``source`` with no write-ahead log of the database
    it replaces: a new file, so a connection a test left open keeps the old one."""
    url = f"sqlite:///{path}"
    path.parent.mkdir(exist_ok=True)
    if url in _engines:
        _engines[url].dispose()
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if leftover.exists():
            os.remove(leftover)
    shutil.copyfile(source, path)
    return url
