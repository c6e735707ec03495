"""Answering: what a question asks, the sentence that answers it, who said it, whether reports differ,
follow-up readings, time words, chance similarity, the signals and the answer decision, the answer's marks.

May import index.text, index.store, index.encode, index.search and the leaf modules.
"""
