"""The marshmallow schemas of the API's bodies: the views load and dump with them, and the
OpenAPI document and ``shared-schemas/`` are made from them."""
