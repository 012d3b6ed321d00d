"""The order core: the only place that resolves a sale order, locks it, finds or creates its
Starshipit order, prints, reprints and redoes. The click (``bench``), the batch (``batch``), the
status trigger and the tracking matcher (``server/sync``) and the CLI all call it, and none of
them keeps a rule of its own about creating orders.

- ``identifiers``, ``resolver``: a sale order from any of its identifiers, and labelbridge's record of it;
- ``lock``: the one per-order lease lock, for one order (waiting) or many (not waiting);
- ``sends``: the record of every create sent to Starshipit, and ``may_still_land``;
- ``creation``: find or create one order; ``bulk``: create many, fifty to an import;
- ``settings``: the mapping settings; ``service``: print, reprint, redo;
- ``bench``: one click at a workstation (its printer, its Idempotency-Key); ``idempotency``;
- ``batch``, ``batch_runs``: many orders in one request.

Failures are domain errors (``server/failures.py``); the API turns them into HTTP answers.
"""
