"""`labelbridge doctor`: one line per check in words, exit 1 when any fails."""

from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import insert, text

from server import crypto
from server.cli import main
from server.clients import get_upstreams
from server.db import get_database
from server.demo import sandbox_config
from server.models import OutboxJob, SyncCursor, utcnow
from server.sync.runner import SyncRunner


@pytest.fixture
def doctor(app, sandbox, monkeypatch):
    for name, value in sandbox_config(sandbox).items():
        monkeypatch.setenv(f"LABELBRIDGE_{name}", str(value))
    monkeypatch.setenv("LABELBRIDGE_DATABASE_URL", get_database(app).url)

    def run():
        result = CliRunner().invoke(main, ["doctor"], catch_exceptions=False)
        return result.exit_code, result.stdout.splitlines()

    return run


def run_pollers(app):
    SyncRunner(get_database(app).sessions, get_upstreams(app), app.config).run_once(force=True)


def line(lines, name):
    return next(text for text in lines if f" {name}" in text)


def test_a_working_installation_passes_every_check(app, doctor):
    run_pollers(app)
    code, lines = doctor()
    assert code == 0, "\n".join(lines)
    assert lines[0] == "ok    configuration: every setting is valid."
    assert line(lines, "database").startswith("ok") and "latest version (0012)" in line(lines, "database")
    assert line(lines, "keys:").startswith("ok") and "(mode 0600)" in line(lines, "keys:")
    assert line(lines, "CartonCloud").startswith("ok")
    assert any(text.startswith("ok    Starshipit account") for text in lines)
    assert line(lines, "poller cartoncloud.sale_orders").startswith("ok")
    assert line(lines, "writebacks").startswith("ok")
    assert line(lines, "statistics").startswith("ok")
    assert all(text.startswith(("ok    ", "FAIL  ")) for text in lines)


def test_each_problem_is_named_and_fails_the_run(app, doctor, control, instance_folder):
    assert app.instance_path == str(instance_folder)  # the test's own folder, never the checkout's key file
    crypto.get_box(app)  # makes the key file
    crypto.key_file(app).chmod(0o640)  # readable by its group: start-up warns (0644 refuses to start)
    control.fault(service="cartoncloud", path="*", status=401, rate=1.0)
    with get_database(app).sessions() as session:
        session.add(
            SyncCursor(
                name="cartoncloud.sale_orders", consecutive_failures=0, last_finished_at=utcnow() - timedelta(hours=2)
            )
        )
        record_failed_job(session)
        session.commit()
    code, lines = doctor()
    assert code == 1
    assert "can be read by others (mode 0640): run `chmod 600" in line(lines, "keys:")
    assert line(lines, "CartonCloud").startswith("FAIL")
    assert "Last finished a run 120 min ago" in line(lines, "poller cartoncloud.sale_orders")
    assert "1 tracking writeback(s) failed" in line(lines, "writebacks")


def record_failed_job(session):
    from server.models import SaleOrder

    order = SaleOrder(tenant_id="t", sale_order_id="s")
    session.add(order)
    session.flush()
    session.add(OutboxJob(sale_order_pk=order.id, mode="consignment", state="failed"))


def test_an_old_schema_and_a_bad_setting_are_named(app, doctor, monkeypatch):
    with get_database(app).engine.begin() as connection:  # as if this labelbridge were upgraded, not the database
        connection.execute(text("UPDATE alembic_version SET version_num = '0005'"))
    code, lines = doctor()
    assert code == 1 and "is at schema version 0005, this labelbridge needs 0012" in line(lines, "database")
    monkeypatch.setenv("LABELBRIDGE_HTTP_READ_TIMEOUT", "soon")
    code, lines = doctor()
    assert code == 1 and lines == [
        "FAIL  configuration: LABELBRIDGE_HTTP_READ_TIMEOUT='soon' is invalid: "
        "could not convert string to float: 'soon'"
    ]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_big_table_postgresql_never_analyzed_is_named_until_it_is(app, doctor):
    from server.models import SaleOrder

    engine = get_database(app).engine
    with engine.begin() as connection:
        orders = [{"tenant_id": "t", "sale_order_id": f"so-{number}"} for number in range(1500)]
        connection.execute(insert(SaleOrder), orders)
        connection.execute(text("SELECT pg_stat_force_next_flush()"))  # counted before the commit answers
        autovacuum = connection.scalar(text("SELECT current_setting('autovacuum')"))
    code, lines = doctor()
    assert code == 1 and line(lines, "statistics").startswith("FAIL")
    assert "sale_orders (1,500 rows) are missing or far out of date" in line(lines, "statistics")
    assert ("autovacuum is off: turn it on" in line(lines, "statistics")) == (autovacuum != "on")
    with engine.connect() as connection:
        connection.execute(text("ANALYZE sale_orders"))
        connection.commit()
    _code, lines = doctor()
    assert line(lines, "statistics").startswith("ok")
