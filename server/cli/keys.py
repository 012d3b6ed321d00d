"""``labelbridge keys``: the encryption keys of stored secrets."""

from __future__ import annotations

import click

from .context import database_session, load_app


@click.group("keys")
def keys_group() -> None:
    """The encryption keys of stored secrets."""


@keys_group.command("rotate")
def keys_rotate() -> None:
    """Re-encrypt every stored secret under a new key. With instance/secret.keys a new key is
    made and put first; with LABELBRIDGE_SECRET_KEYS, put the new key first there, then run this."""
    from cryptography.fernet import Fernet

    from ..accounts import rotate_secrets
    from ..crypto import SecretBox, get_box, key_file, write_key_file

    app = load_app()
    box = get_box(app)
    if not app.config.get("SECRET_KEYS"):
        keys = [Fernet.generate_key(), *box.keys]
        write_key_file(key_file(app), keys)
        box = SecretBox(keys)
    with database_session(app) as session:
        count = rotate_secrets(session, box)
        session.commit()
    click.echo(f"{count} secret(s) re-encrypted under the newest key", err=True)
