"""Sentence-aware chunking: whole sentences, packed by paragraph within one sub-heading section."""

from __future__ import annotations

from index.text.split import split_sentences
from index.types import Chunk, Document


def chunk_document(doc: Document, *, max_words: int = 120, overlap: int = 0) -> list[Chunk]:
    """Pack sentences into chunks of at most ~`max_words`, never across a sub-heading.

    `overlap` sentences at the end of a chunk start the next one too (within one sub-heading section).
    """
    text = doc.text
    chunks: list[Chunk] = []
    current: list[tuple[int, int]] = []
    heading = None
    words = carried = 0

    def flush(carry: bool) -> None:
        nonlocal current, words, carried
        if len(current) > carried:  # not just the sentences carried over from the chunk before
            s, e = current[0][0], current[-1][1]
            chunks.append(Chunk(doc.id, len(chunks), s, e, text[s:e], heading or "", tuple(current)))
            current = current[-overlap:] if carry and overlap else []
        else:
            current = []
        carried = len(current)
        words = sum(len(text[s:e].split()) for s, e in current)

    for p_start, p_end, p_heading in doc.paragraphs:
        if p_heading != heading:
            flush(carry=False)
            heading = p_heading
        para_words = len(text[p_start:p_end].split())
        if current and words + para_words > max_words:
            flush(carry=True)
        for s, e in split_sentences(text, p_start, p_end):
            n = len(text[s:e].split())
            if current and words + n > max_words:
                flush(carry=True)
            current.append((s, e))
            words += n
    flush(carry=False)
    return chunks
