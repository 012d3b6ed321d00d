"""Printing: resolve a sale order, find or create its Starshipit order, print once, queue writeback."""
