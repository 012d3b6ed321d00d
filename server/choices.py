"""The values a few settings may take, and the bounds of the numeric ones; the environment
(``config``) and the saved settings (``settings``) check them against the same lists."""

WRITEBACK_MODES = ("consignment", "document", "both", "none")
ORDER_NUMBER_SOURCES = ("customer_reference", "numeric_id")
REFERENCE_SOURCES = ("other_identifier", "customer_reference", "numeric_id", "none")
LABEL_FORMATS = ("pdf", "zpl")

# Upper bounds of the numeric settings: a value past one is a mistake, and an unbounded one ends
# in an OverflowError wherever it becomes a time (1e20 seconds is no timedelta).
DAY_SECONDS = 86_400.0
MAX_TIMEOUT_SECONDS = 600.0
MAX_CACHE_SECONDS = 60.0  # what a process may keep without asking the database again
MAX_AUDIT_BATCH_SECONDS = 10.0  # what a killed process may lose of the reprints' history
MAX_PACKAGE_WEIGHT_KG = 1_000.0
MAX_PACKAGE_SIDE_M = 10.0
MAX_LOOKBACK_HOURS = 24 * 366.0
MAX_RATE_PER_SECOND = 1_000_000.0  # the benchmarks' "no pacing"; Starshipit itself allows 2 or 20
