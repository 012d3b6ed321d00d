import pytest

from server import create_app
from server.config import ConfigError


def test_defaults_then_environment_then_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("LABELBRIDGE_HTTP_READ_TIMEOUT", "12.5")
    monkeypatch.setenv("LABELBRIDGE_WRITEBACK_MODE", "document")
    app = create_app({"WRITEBACK_MODE": "both", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["HTTP_READ_TIMEOUT"] == 12.5  # from the environment, parsed as a number
    assert app.config["WRITEBACK_MODE"] == "both"  # explicit override wins
    assert app.config["HTTP_CONNECT_TIMEOUT"] == 3.0  # default


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("WRITEBACK_MODE", "sometimes", "must be one of consignment, document, both, none"),
        ("STARSHIPIT_URL", "api.starshipit.com", "must start with http"),
        ("HTTP_READ_TIMEOUT", "-1", "greater than zero"),
        ("STARSHIPIT_RATE_PER_SECOND", "fast", "could not convert"),
        ("CORS_ORIGINS", "evil.example", "is not an origin"),
        ("ORDER_NUMBER_SOURCE", "uuid", "must be one of customer_reference, numeric_id"),
    ],
)
def test_invalid_setting_fails_at_start_naming_it(monkeypatch, name, value, words):
    monkeypatch.setenv(f"LABELBRIDGE_{name}", value)
    with pytest.raises(ConfigError, match=f"LABELBRIDGE_{name}=.*{words}"):
        create_app()


def test_database_defaults_to_sqlite_in_the_instance_folder(tmp_path):
    app = create_app({"TESTING": True})
    database = app.extensions["labelbridge.db"]
    assert database.url.startswith("sqlite:///")
    assert database.url.endswith("/instance/labelbridge.sqlite3")
    database.dispose()


def test_an_unreachable_database_at_start_up_is_warned_about_not_fatal(caplog):
    """The database restarting at the same time: the app starts and answers 503s until it is back."""
    app = create_app(
        {"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=1", "TESTING": True}
    )
    assert "cannot be reached at start-up" in caplog.text
    assert app.test_client().get("/api/v1/health").status_code == 503
