"""``labelbridge schemas``: the JSON Schemas shared with the extension (shared-schemas/)."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def schemas() -> None:
    """The JSON Schemas shared with the extension (shared-schemas/)."""


@schemas.command("export")
@click.option(
    "--out",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default="shared-schemas",
    show_default=True,
    help="The shared-schemas folder of a checkout.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when the folder differs from a fresh export.")
def schemas_export(directory: Path, check: bool) -> None:
    """Write one JSON Schema per body the extension and the backend exchange, with its valid and
    invalid examples, from the marshmallow schemas in server/api/."""
    from ..openapi import export

    if check:
        wanted, present = export.render(), export.on_disk(directory)
        stale = sorted(path for path in wanted.keys() | present.keys() if wanted.get(path) != present.get(path))
        for path in stale:
            click.echo(f"differs: {path}", err=True)
        if stale:
            raise SystemExit(1)
        return
    changed = export.export(directory)
    click.echo(f"{len(changed)} file(s) written or removed in {directory}", err=True)
