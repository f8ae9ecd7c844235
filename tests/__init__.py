"""Tests for the IP Phone integration, its phone library and its phone simulator."""
