"""``labelbridge manifest``: the counts per carrier first, then one manifest per carrier, its
PDF written, a refused carrier in Starshipit's words."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
from click.testing import CliRunner
from sqlalchemy import select

from server.cli import main
from server.db import get_database
from server.demo import sandbox_config
from server.models import Manifest

STARTRACK = {"carrier": "StarTrack", "carrier_service_code": "EXP"}


@pytest.fixture
def out(tmp_path):
    return tmp_path / "manifests"


@pytest.fixture
def manifest(app, sandbox, monkeypatch, out):
    for name, value in sandbox_config(sandbox).items():
        monkeypatch.setenv(f"LABELBRIDGE_{name}", str(value))
    monkeypatch.setenv("LABELBRIDGE_DATABASE_URL", get_database(app).url)

    def run(*args: str, answer: str | None = None):
        return CliRunner().invoke(main, ["manifest", "--out", str(out), *args], input=answer)

    return run


def test_the_counts_are_shown_and_nothing_is_manifested_without_a_yes(manifest, ship, control, out):
    ship("CLI-1")
    ship("CLI-2", STARTRACK)
    declined = manifest(answer="n\n")
    assert declined.exit_code == 1
    assert "Australia Post: 1 shipment(s)" in declined.output and "StarTrack: 1 shipment(s)" in declined.output
    assert control.counters("starshipit").get("POST /api/orders/manifest", 0) == 0

    done = manifest(answer="y\n")
    assert done.exit_code == 0, done.output
    assert control.counters("starshipit")["POST /api/orders/manifest"] == 2
    written = sorted(path.name for path in out.iterdir())
    assert len(written) == 2 and all(name.endswith(".pdf") for name in written)
    assert all((out / name).read_bytes().startswith(b"%PDF") for name in written)
    assert "manifest unknown (labelbridge manifest " in done.output

    nothing = manifest("--yes")
    assert nothing.exit_code == 0 and "Nothing to manifest" in nothing.output


def test_a_refused_carrier_fails_the_run_in_starshipits_words_and_the_other_is_manifested(manifest, ship, control):
    ship("CLI-1")
    ship("CLI-2", STARTRACK)
    requests.post(
        f"{control.url}/_sandbox/starshipit/manifest-refusals",
        json={"carrier": "StarTrack", "message": "Manifest failed", "details": "StarTrack is closed today"},
        timeout=10,
    ).raise_for_status()
    result = manifest("--yes")
    assert result.exit_code == 1
    assert "StarTrack: failed: Starshipit refused manifesting the StarTrack shipments: Manifest failed: " in (
        result.output
    )
    assert "Australia Post: manifest " in result.output


def test_a_manifest_made_without_an_answer_is_settled_by_the_next_run_and_said_to_have_no_pdf(
    app, manifest, ship, control, out
):
    ship("CLI-1")
    control.fault(service="starshipit", path="/api/orders/manifest", status=504, count=1)
    lost = manifest("--yes")
    assert lost.exit_code == 1 and "unconfirmed" in lost.output
    with get_database(app).sessions() as session:  # as if asked long enough ago that no answer can land
        for row in session.scalars(select(Manifest)):
            row.created_at -= timedelta(minutes=5)
        session.commit()
    ship("CLI-2")

    settled = manifest("--yes")

    assert "Australia Post: 1 shipment(s)" in settled.output  # CLI-1 is held until it is settled
    assert "Australia Post: failed: Starshipit's answer never came" in settled.output
    assert settled.exit_code == 1
    assert "Australia Post: manifest unknown" in settled.output and "2 shipment(s)" in settled.output
    assert len(list(out.iterdir())) == 1
