"""Whether a relation the pipeline creates exists yet: a fresh database has
no dbt relation (mart, staging, reference) nor case-queue view until the
first run builds them, and the incremental build plan looks for its kept
person keys."""

from django.db import connection
from django.db.models import Model


def relation_exists(name: str) -> bool:
    """Whether the table or view ``name`` (optionally schema-qualified, as SQL) exists."""
    with connection.cursor() as cursor:
        cursor.execute("select to_regclass(%s) is not null", [name])
        return cursor.fetchone()[0]


def built(model: type[Model]) -> bool:
    """Whether the relation of the unmanaged ``model`` (a dbt table, the case-queue view) exists."""
    return relation_exists(connection.ops.quote_name(model._meta.db_table))
