"""Tests of the phone simulator."""
