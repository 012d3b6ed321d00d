"""``labelbridge serve``: the API under gunicorn."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from gunicorn.app.base import BaseApplication

METRICS_FOLDER = "PROMETHEUS_MULTIPROC_DIR"


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from . import create_app
        from .startup import settle

        app = create_app()
        settle()
        return app


def prepare_metrics_folder() -> Path:
    """Where gunicorn's processes keep their counters for GET /metrics to add up: the folder in
    PROMETHEUS_MULTIPROC_DIR (emptied: counts start again with the server), else a new one. A
    `labelbridge worker` on this host given the same folder is counted too."""
    folder = os.environ.get(METRICS_FOLDER)
    if folder:
        for stale in Path(folder).glob("*.db"):
            stale.unlink()
    else:
        folder = tempfile.mkdtemp(prefix="labelbridge-metrics-")
        os.environ[METRICS_FOLDER] = folder
    return Path(folder)


def _child_exit(_server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def run_gunicorn(host: str, port: int, workers: int, threads: int, worker_connections: int) -> None:
    _Gunicorn(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_connections": worker_connections,
            "timeout": 120,
            "child_exit": _child_exit,
        }
    ).run()
