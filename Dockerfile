# One image for the four services: `orderflow run <name>` picks which one runs
# (docker-compose.yml runs each with its own command; `order` by default).
#   docker build -t orderflow:local .
#   docker run --rm orderflow:local orderflow run --help
# Not built by CI (its machines have no Docker engine); tests/unit/stack/
# test_compose_dockerfile.py checks what can be checked without one.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# What `pip install .` reads: the project's metadata (README.md is its long
# description), the pins of every package it installs, and the code.
COPY pyproject.toml constraints.txt README.md ./
COPY src ./src

# The services' dependencies only (no extra): the tools of dev and bench stay out.
RUN pip install --constraint constraints.txt .

# No service needs root; a fixed uid, so that a volume's owner can be set for it.
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin orderflow
USER orderflow

EXPOSE 8080 8091 8092 8093 8095
CMD ["orderflow", "run", "order"]
