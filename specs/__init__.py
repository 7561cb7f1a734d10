"""Vendor specifications: one TOML file per vendor (endpoints, limits, statuses, vectors)."""
