"""Reading dates and times that Python cannot hold.

PostgreSQL stores ``timestamptz``, ``timestamp`` and ``date`` values from
4713 BC to year 294276, and ``infinity`` / ``-infinity``; Python's
``datetime`` stops at years 1 and 9999. psycopg refuses such a value
(``DataError: timestamp too large (after year 10K)``), so one row holding
one (a case whose attempt was sent as ``9999-12-31T23:59:59-12:00``, i.e.
``10000-01-01 11:59:59+00``) made every page that reads it answer 500, for
good: cases are never deleted. Staging now quarantines implausible
timestamps (``timestamp_out_of_range``, docs/data-contract.md), but rows
written before stay.

:func:`install` (called for every new Django connection, from
:meth:`compliance.apps.ComplianceConfig.ready` through the
``connection_created`` signal) wraps the connection's loaders of those three
types, text and binary, so that a value Python cannot represent reads as the
nearest value it can, instead of raising:

* too large (year 10000 and later, ``infinity``): :data:`LATEST` (``datetime.max``,
  aware in the connection's zone, UTC here), ``datetime.max`` (naive, for
  ``timestamp``) or ``date.max``;
* too small (before year 1, ``-infinity``): :data:`EARLIEST`, ``datetime.min``
  or ``date.min`` likewise.

Those clamped values are instances of :class:`OutOfRangeDatetime` /
:class:`OutOfRangeDate` (``datetime`` / ``date`` subclasses, equal to
``datetime.max`` and so on) whose ``out_of_range`` says which way the stored
value lies, so a page can say so (``{% if value.out_of_range %}``); an
ordinary value has no such attribute. Any other ``DataError`` (an unparsable
value) is raised as before. A clamped value is for reading only: writing it
back would store 9999-12-31 instead of what the database held (no code path
writes ``Case.attempt_ts`` or the mart's timestamps).
"""

from datetime import date, datetime, timezone

from psycopg import DataError
from psycopg.adapt import Loader
from psycopg.postgres import types as pg_types
from psycopg.pq import Format

AFTER = "after year 9999"
BEFORE = "before year 1"


class OutOfRangeDatetime(datetime):
    """``datetime.max`` or ``datetime.min`` standing for a stored value Python cannot hold."""

    @property
    def out_of_range(self) -> str:
        """``after year 9999`` or ``before year 1``: where the stored value lies."""
        return AFTER if self.year == 9999 else BEFORE


class OutOfRangeDate(date):
    """``date.max`` or ``date.min`` standing for a stored date Python cannot hold."""

    @property
    def out_of_range(self) -> str:
        return AFTER if self.year == 9999 else BEFORE


def clamped_datetime(after: bool, tzinfo=None) -> OutOfRangeDatetime:
    moment = datetime.max if after else datetime.min
    return OutOfRangeDatetime.combine(moment.date(), moment.time(), tzinfo=tzinfo)


def clamped_date(after: bool) -> OutOfRangeDate:
    day = date.max if after else date.min
    return OutOfRangeDate(day.year, day.month, day.day)


LATEST = clamped_datetime(True, timezone.utc)
EARLIEST = clamped_datetime(False, timezone.utc)

def lies_after(data, binary: bool) -> bool | None:
    """For a value psycopg refused: True if it lies after year 9999, False if
    before year 1, None if it is not a range problem (then the error stands).
    Text: ``infinity``, ``-infinity``, ``... BC``, or a year of five digits or
    more (DateStyle ISO, as Django sets it). Binary: the sign of the count of
    microseconds (days for ``date``) from 2000-01-01."""
    raw = bytes(data)
    if binary:
        return int.from_bytes(raw, "big", signed=True) > 0
    text = raw.strip()
    if text == b"-infinity" or text.endswith(b"BC"):
        return False
    if text == b"infinity":
        return True
    year = text.split(b"-", 1)[0]
    if year.isdigit() and len(year) > 4:
        return True
    return None


def clamping_loader(base: type[Loader], kind: str) -> type[Loader]:
    """A loader delegating to ``base`` that reads a value out of Python's range
    as its clamped stand-in (``kind``: ``timestamptz``, ``timestamp`` or
    ``date``). ``timezone`` is copied from Django's timestamptz loader: Django
    compares it with the connection's zone to decide whether a cursor needs
    its own loader (which would not clamp)."""

    class ClampingLoader(Loader):
        format = base.format
        timezone = getattr(base, "timezone", timezone.utc)
        clamps = True

        def __init__(self, oid: int, context=None):
            super().__init__(oid, context)
            self._base = base(oid, context)

        def load(self, data):
            try:
                return self._base.load(data)
            except DataError:
                after = lies_after(data, self.format == Format.BINARY)
                if after is None:
                    raise
                if kind == "date":
                    return clamped_date(after)
                return clamped_datetime(after, self.timezone if kind == "timestamptz" else None)

    ClampingLoader.__name__ = ClampingLoader.__qualname__ = f"Clamping{base.__name__}"
    return ClampingLoader


KINDS = ("timestamptz", "timestamp", "date")


def install(adapters) -> None:
    """Wrap the ``timestamptz``, ``timestamp`` and ``date`` loaders (text and
    binary) of ``adapters`` (a psycopg connection's or cursor's adapters map);
    doing it twice changes nothing."""
    for kind in KINDS:
        oid = pg_types[kind].oid
        for fmt in (Format.TEXT, Format.BINARY):
            base = adapters.get_loader(oid, fmt)
            if base is None or getattr(base, "clamps", False):
                continue
            adapters.register_loader(oid, clamping_loader(base, kind))


def on_connection_created(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: install the clamping loaders on every
    new PostgreSQL connection Django opens (web, worker, management commands)."""
    if connection.vendor == "postgresql":
        install(connection.connection.adapters)
