"""Tests of the rules-as-code calculator."""
