"""Troubleshooting: what a sale order becomes in Starshipit and what is wrong with it, before
anything is printed (the preview), and what happened to it since (the history)."""
