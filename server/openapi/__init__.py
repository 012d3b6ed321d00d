"""The API's contract as data: how schemas become JSON Schema (``converter``), the bodies shared
with the extension and their examples (``contract``), and their export to shared-schemas/
(``export``). The OpenAPI document itself is flask-smorest's (``server/api/document.py``)."""
