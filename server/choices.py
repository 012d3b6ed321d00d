"""The values a few settings may take; the environment (``config``) and the saved settings
(``settings``) check them against the same lists."""

WRITEBACK_MODES = ("consignment", "document", "both", "none")
ORDER_NUMBER_SOURCES = ("customer_reference", "numeric_id")
REFERENCE_SOURCES = ("other_identifier", "customer_reference", "numeric_id", "none")
LABEL_FORMATS = ("pdf", "zpl")
