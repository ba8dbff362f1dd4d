# The assistant as one container: `jxai serve` (page + REST API on port 7860), N uvicorn workers.
# Not built or run in this repository's CI (no docker there); see README "Deployment".
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    JXAI_CACHE_DIR=/var/cache/jxai JXAI_DATA_DIR=/var/lib/jxai
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
COPY corpus ./corpus
COPY app.py ./
RUN pip install . && useradd --system --home /app jxai && mkdir -p /var/cache/jxai /var/lib/jxai \
    && chown jxai /var/cache/jxai /var/lib/jxai
USER jxai
# Build the retrieval index at image build time, so a replica is ready seconds after it starts.
RUN jxai index
EXPOSE 7860
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:7860/v1/healthz', timeout=4)"
CMD ["jxai", "serve", "--host", "0.0.0.0", "--port", "7860", "--workers", "2"]
