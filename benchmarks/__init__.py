"""Benchmarks against ../shared/data (override with --data or $MANYSIDES_SHARED_DATA)."""
