"""An engine over a hand-written test corpus: its folders copied to a temp root, ingested with a given encoder."""

from __future__ import annotations

import shutil
from pathlib import Path

from index.engine import Engine
from index.ingest.build import ingest
from newsdesk.settings import Settings


def engine_over(root: Path, corpus: Path | list[Path], encoder, **settings) -> Engine:
    """`corpus` copied to `root/corpus` (a list of folders: each under its own name), ingested with `encoder`;
    `settings` override the defaults (e.g. `embedding_model=`)."""
    into = root / "corpus"
    for folder in corpus if isinstance(corpus, list) else [corpus]:
        shutil.copytree(folder, into / folder.name if isinstance(corpus, list) else into)
    s = Settings(index_dir=root / "index", data_dir=root, corpus_dir=into, **settings)
    ingest(s, [into], encoder=encoder)
    return Engine.open(s, encoder=encoder)
