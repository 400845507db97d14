"""What the random history of :mod:`.native_people` never shows, added by a
second random stream (so those rows stay the same for a given seed): series of
debt-collection calls on one debt over 7 local days, of 8 to 10 counted calls
(Reg F, 12 CFR 1006.14(b)(2)(i)(A): RF-FREQ-1) or exactly 7 (the near miss),
busy and network failures beside them not counted; numbers registered on the
national registry during the period, some with a purchase, inquiry or
application before their calls (an established business relationship, 47 CFR
64.1200(f)(5): exempt, possible on the anniversary, or expired); and monthly
registry downloads with gaps, so a number registered after the version a scrub
used is safe-harbor eligible when that version is at most 31 days old and not
when older (64.1200(c)(2)(i)(D)).
"""

import random
from datetime import date, datetime, time, timedelta

from compliance.datasets.native_people import FIRST_NATIONAL_VERSIONS, History, Person, spell_phone
from compliance.datasets.seed import PERIOD_DAYS, PERIOD_START
from compliance.datasets.writing import RowWriter, offset_text

# Monthly national registry downloads after the first three, with gaps: a scrub
# in a gap uses a version more than 31 days old (no safe harbor). List versions
# are not per lead, so generated data loaded beside other data shares them:
# June 2025 is skipped so that the 2025-05-01 download stays the latest one in
# early June, as the DNC-02 worked example built beside this data in the test
# suite (tests/native_scenarios.py) needs.
SKIPPED_DOWNLOADS = {(2025, 6), (2025, 8), (2025, 9), (2026, 2), (2026, 6), (2026, 7)}


def add_rule_exercises(rng: random.Random, rows: RowWriter, history: History, people: list[Person],
                       listed: dict[str, str]) -> None:
    """Rows the random history never produces (module docstring): monthly
    registry downloads with gaps, Reg F call series for about 1 person in 100
    (at least 2) and national registrations for about 3 in 100 (at least 6),
    people taken in a random order. Each kind cycles through its variants, so
    even a small dataset has every one. Uses its own ``rng``; attempts are
    numbered after the others."""
    monthly = [f"{year}-{month:02d}-01T06:00:00Z" for year in (2025, 2026) for month in range(1, 13)
               if (2025, 4) <= (year, month) <= (2026, 11) and (year, month) not in SKIPPED_DOWNLOADS]
    for version in monthly:
        rows.add("dnc_list_versions", {"list": "national", "obtained_at": version})
    versions = sorted(datetime.fromisoformat(v) for v in FIRST_NATIONAL_VERSIONS + tuple(monthly))
    # Numbers already on the national list (two people may share a fictional number): one entry per number.
    registered = {person.e164 for person in people if listed.get(person.lead_id) == "national"}
    series_left, registrations_left = max(2, round(len(people) / 100)), max(6, round(len(people) * 3 / 100))
    order = list(people)
    rng.shuffle(order)
    for person in order:
        if not (series_left or registrations_left):
            break
        attempts = history.attempts(person)
        marketing = [a for a in attempts if a["purpose"] == "telemarketing" and a["channel"] in ("call", "sms", "rvm")]
        if (series_left and person.profile.state and not history.opted_out[person.number]
                and person.lead_id not in listed):
            series_left -= 1
            add_reg_f_series(rng, rows, person, attempts, counted=(8, 7, 9, 10)[series_left % 4])
        # An established business relationship is only seen where no written consent exempts the calls already.
        elif (registrations_left and marketing and person.lead_id not in listed and person.e164 not in registered
              and (EBR_VARIANTS[(registrations_left - 1) % 5] is None or not history.written[person.number])):
            registrations_left -= 1
            registered.add(person.e164)
            add_registration(rng, rows, person, marketing, versions, variant=registrations_left)


def add_reg_f_series(rng: random.Random, rows: RowWriter, person: Person, history: list[dict],
                     counted: int) -> None:
    """Manual debt-collection calls on the person's debt over 7 local days none of
    their other attempts falls on, at most 2 a day, 12:00-17:59 local: ``counted``
    calls that count (RF-FREQ-1 from the 8th in 7 days; 7 is the near miss)
    and 0-2 busy or network failures, which do not (12 CFR 1006.14(b)(3))."""
    busy_days = {datetime.fromisoformat(a["attempted_at"]).astimezone(person.zone).date() for a in history}
    while True:
        start = PERIOD_START + timedelta(days=rng.randrange(PERIOD_DAYS - 7))
        if not busy_days & {start + timedelta(days=n) for n in range(7)}:
            break
    outcomes = [rng.choice(("voicemail", "no_answer")) for _ in range(counted)]
    outcomes += [rng.choice(("busy", "network_fail")) for _ in range(rng.randint(0, 2))]
    per_day: dict[int, int] = {}
    for _ in outcomes:
        day = rng.choice([n for n in range(7) if per_day.get(n, 0) < 2])
        per_day[day] = per_day.get(day, 0) + 1
    moments = sorted(
        datetime.combine(start + timedelta(days=day), time(12 + 3 * n + rng.randint(0, 2), rng.randint(0, 59)),
                         tzinfo=person.zone)
        for day, count in per_day.items() for n in range(count)
    )
    rng.shuffle(outcomes)
    for moment, outcome in zip(moments, outcomes):
        rows.add("contact_attempts", {
            "attempt_id": f"NA{rows.counts['contact_attempts'] + 1:07d}", "lead_id": person.lead_id, "to_phone": "",
            "channel": "call", "technology": "manual", "purpose": "debt_collection",
            "attempted_at": offset_text(moment), "outcome": outcome, "campaign_id": "CMP-03",
            "subject": "balance due", "debt_id": f"D-{person.lead_id}",
            "caller_id": f"+1800555{rng.randint(1000, 9999)}",
        })


def months_before(day: date, months: int) -> date:
    """``day`` minus ``months`` calendar months, the day clamped to the month's last."""
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    following = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(day.day, (following - timedelta(days=1)).day))


# What a registration comes with (variant % 5): no conversion; a purchase 1-17 months before the
# attempt (an established business relationship: exempt); a purchase 18 months or an inquiry or
# application 3 months before it (the anniversary: possible); an inquiry 4-6 months before (expired).
EBR_VARIANTS = (None, ("purchase", (1, 17)), ("purchase", (18, 18)), ("inquiry", (3, 3)), ("inquiry", (4, 6)))


def add_registration(rng: random.Random, rows: RowWriter, person: Person, marketing: list[dict],
                     versions: list[datetime], variant: int) -> None:
    """The person's number registered on the national registry before one of
    their marketing attempts (earlier attempts are not listed): for an even
    ``variant`` after the registry version a scrub at that attempt used
    (missed by the scrub: safe-harbor eligible when the version is at most 31
    days old), for an odd one before it; and a conversion (EBR_VARIANTS)."""
    daytime = [a for a in marketing if 9 <= datetime.fromisoformat(a["attempted_at"]).astimezone(person.zone).hour < 20]
    target = rng.choice(daytime or marketing)
    moment = datetime.fromisoformat(target["attempted_at"])
    version = max((v for v in versions if v < moment), default=None)
    if version is not None and variant % 2 == 0:
        registered = version + (moment - version) * rng.uniform(0.1, 0.9)
    else:
        registered = (version or moment) - timedelta(days=rng.randint(1, 60), hours=rng.randint(1, 12))
    rows.add("dnc_entries", {"list": "national", "phone": spell_phone(rng, person.e164), "phone_hash": "",
                             "registered_at": offset_text(registered.astimezone(person.zone).replace(microsecond=0)),
                             "removed_at": ""})
    if EBR_VARIANTS[variant % 5] is None:
        return
    kind, (fewest, most) = EBR_VARIANTS[variant % 5]
    if kind == "inquiry" and fewest == 3:
        kind = rng.choice(("inquiry", "application"))
    day = moment.astimezone(person.zone).date()
    rows.add("conversions", {
        "conversion_id": f"CV-{person.lead_id}-EBR", "lead_id": person.lead_id, "kind": kind,
        "occurred_at": offset_text(datetime.combine(months_before(day, rng.randint(fewest, most)), time(12),
                                                    tzinfo=person.zone)),
        "revenue": f"{rng.randint(10, 900)}.{rng.randint(0, 99):02d}",
    })
