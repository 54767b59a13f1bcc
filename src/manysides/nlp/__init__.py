"""Shared language tools: tokens, stop words, the stemmer and sentence boundaries."""
