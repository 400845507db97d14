# One image for web, worker, beat and the one-off migrate service
# (docker-compose.yml picks the command). Production settings; no secret in
# the image: SECRET_KEY, DATABASE_URL and the rest come from the environment.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=cci_site.settings.production
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml ./
COPY cci_site ./cci_site
COPY compliance ./compliance
RUN pip install --no-cache-dir .
COPY . .
# Static files with WhiteNoise's manifest (production answers 500 without it).
# Importing the production settings needs a strong SECRET_KEY and a
# DATABASE_URL: a random key made for this step and a database that is never
# contacted, both only in this RUN's environment (nothing is kept in the image).
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    DATABASE_URL=postgres://build@localhost:1/unused \
    python manage.py collectstatic --noinput
# Not root: the app writes only under CCI_STATE_DIR (/app/.cci: dbt run
# artifacts) and the dbt project's own files.
RUN useradd --system --create-home --home-dir /home/cci cci \
    && mkdir -p /app/.cci \
    && chown -R cci:cci /app/.cci /app/dbt
USER cci
EXPOSE 8000
CMD ["gunicorn", "cci_site.wsgi:application", "--bind", "0.0.0.0:8000", "--timeout", "120", "--access-logfile", "-"]
