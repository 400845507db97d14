from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = "Compliance"

    def ready(self):
        # Every PostgreSQL connection reads a date or time Python cannot hold
        # (year 10000, infinity) as a clamped stand-in instead of failing the
        # page (compliance/db_types.py, docs/data-contract.md).
        from django.db.backends.signals import connection_created

        from compliance.db_types import on_connection_created

        connection_created.connect(on_connection_created, dispatch_uid="compliance.db_types")
