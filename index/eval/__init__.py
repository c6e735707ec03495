"""Evaluation: a question set scored against an index, the corpus suite with leave-one-corpus-out fitting,
follow-up evaluation.

May import every other room (it drives the engine).
"""
