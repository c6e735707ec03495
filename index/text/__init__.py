"""Text shared by every room: Unicode checks, folding for comparison, sentence splitting, language detection,
Ukrainian/Russian word forms, place names.

May import the leaf modules only (index.errors, limits, settings, types, stages, logs).
"""
