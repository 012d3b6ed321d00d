"""Secrets at rest: Fernet encryption with key rotation (MultiFernet).

The keys come from LABELBRIDGE_SECRET_KEYS (comma-separated, newest first) or, when that is not
set, from ``secret.keys`` in the instance folder, created with mode 0600 on first run. They are
never stored in the database, so a leaked database file reveals no Starshipit or CartonCloud key.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask

from .config import ConfigError
from .files import make_private_folder

KEY_FILE = "secret.keys"
log = logging.getLogger(__name__)


class SecretsError(RuntimeError):
    """A secret cannot be decrypted with any configured key, or no key can be had."""


class SecretBox:
    """Encrypts with the newest key; decrypts with any of them."""

    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise SecretsError("no encryption key configured")
        self.keys = keys
        self._fernet = MultiFernet([Fernet(key) for key in keys])

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise SecretsError(
                "a stored secret cannot be decrypted with the configured keys "
                "(was LABELBRIDGE_SECRET_KEYS or instance/secret.keys changed?)"
            ) from None

    def can_decrypt(self, token: str) -> bool:
        try:
            self._fernet.decrypt(token.encode())
        except InvalidToken:
            return False
        return True

    def rotate(self, token: str) -> str:
        """Re-encrypt ``token`` under the newest key."""
        return self._fernet.rotate(token.encode()).decode()


def mask(secret: str | None) -> str | None:
    """What responses and logs may show of a secret: its last four characters."""
    if not secret:
        return None
    return "…" + secret[-4:] if len(secret) > 8 else "…"


def _parse(text: str) -> list[bytes]:
    return [item.strip().encode() for item in text.replace("\n", ",").split(",") if item.strip()]


def key_file(app: Flask) -> Path:
    return Path(app.instance_path) / KEY_FILE


def key_source(app: Flask) -> str:
    """Where the keys come from, in words (never the keys)."""
    return "LABELBRIDGE_SECRET_KEYS" if app.config.get("SECRET_KEYS") else f"the key file {key_file(app)}"


def load_keys(app: Flask) -> list[bytes]:
    """The configured keys, newest first; creates the instance key file on first run. Raises
    SecretsError when the key file is readable by everyone."""
    configured = app.config.get("SECRET_KEYS")
    if configured:
        return _parse(configured if isinstance(configured, str) else ",".join(configured))
    path = key_file(app)
    if not path.exists():
        _create_key_file(path)
    _check_key_file_mode(path)
    return _parse(path.read_text())


def _check_key_file_mode(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & stat.S_IRWXO:
        raise SecretsError(
            f"the key file {path} can be read or changed by every user (mode {mode:04o}): "
            f"make it the owner's only with `chmod 600 {path}`"
        )
    if mode & stat.S_IRWXG:
        log.warning(
            "the key file %s is open to its group (mode %04o): `chmod 600 %s` keeps it the owner's", path, mode, path
        )


def _create_key_file(path: Path) -> None:
    """Make the first key file; when several processes start at once, the first one wins and the
    others read its key (a key written over another would make its secrets unreadable)."""
    make_private_folder(path.parent)
    candidate = path.with_name(f"{path.name}.{os.getpid()}.new")
    write_key_file(candidate, [Fernet.generate_key()])
    try:
        os.link(candidate, path)  # fails if another process made the file meanwhile
    except FileExistsError:
        pass
    finally:
        candidate.unlink()


def write_key_file(path: Path, keys: list[bytes]) -> None:
    """Write ``keys`` (newest first) readable by the owner only, replacing the file atomically."""
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write("\n".join(key.decode() for key in keys) + "\n")
    os.replace(temporary, path)


def init_app(app: Flask) -> None:
    try:
        app.extensions["labelbridge.secrets"] = SecretBox(load_keys(app))
    except SecretsError as error:
        raise ConfigError(f"labelbridge cannot use its encryption keys: {error}") from None


def get_box(app: Flask) -> SecretBox:
    return app.extensions["labelbridge.secrets"]
