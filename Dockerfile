# Engram API image: Python 3.11, CPU-only PyTorch, models shipped in wheels (nothing fetched at run time).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

RUN groupadd --system --gid 10001 engram \
    && useradd --system --uid 10001 --gid engram --create-home --home-dir /home/engram \
        --shell /usr/sbin/nologin engram

# CPU-only torch first, so that sentence-transformers finds it satisfied and never pulls the CUDA build.
RUN pip install --no-cache-dir torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu

WORKDIR /app

# Dependencies only, read from pyproject.toml: this layer is rebuilt when pyproject.toml changes,
# not on every code change.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb')).get('project', {}).get('dependencies', []); open('/tmp/requirements.txt', 'w').write(''.join(d + '\n' for d in deps))" \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY app/ ./app/
COPY cypher/ ./cypher/
RUN pip install --no-cache-dir . \
    && rm -rf build ./*.egg-info \
    && python -c "import importlib.metadata as m; v = m.version('torch'); assert v.endswith('+cpu'), 'torch is not the CPU build: ' + v" \
    && mkdir -p /app/.data \
    && chown engram:engram /app/.data

# /app first on the path: the app runs from the same source layout as in development (app/ beside cypher/).
ENV PYTHONPATH=/app \
    ENGRAM_DATA_DIR=/app/.data \
    ENGRAM_HOST=0.0.0.0 \
    ENGRAM_PORT=8000 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1

USER 10001:10001

EXPOSE 8000

CMD ["python", "-m", "app"]
