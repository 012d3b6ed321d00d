"""The instance folder labelbridge keeps its own files in: readable by its owner only."""

from __future__ import annotations

from pathlib import Path


def make_private_folder(folder: Path) -> None:
    """The instance folder, readable by the owner only (it holds the key file and the SQLite file)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
