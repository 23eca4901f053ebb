"""Writes to the dues ledger: every one validated whole, then written with its timeline event."""
