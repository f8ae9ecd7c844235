"""Benchmarks: what a refresh costs, measured against the phone simulator on loopback."""
