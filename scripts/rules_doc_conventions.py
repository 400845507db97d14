"""The conventions every rule of docs/rules.md shares (its "Conventions"
section, written by ``scripts/generate_rules_doc.py``).

Code and docs cite them by anchor, e.g. ``docs/rules.md#zones-and-states``
(the heading's GitHub anchor: lowercase, punctuation dropped, spaces as
hyphens); ``tests/test_self_contained_docs.py`` checks every such anchor
exists.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Convention:
    """One convention: ``title`` (its heading, so its anchor), ``text`` what
    CCI does, ``basis`` the regulation or the reason behind it."""

    title: str
    text: str
    basis: str


CONVENTIONS = (
    Convention(
        "Zones and states",
        "Every time-of-day rule (calling hours, restricted days, the Regulation F day count, the company's daily "
        "cap) is checked in each candidate zone of the called party: the lead's stated zone; the zones of its "
        "address (the ZIP3 where `dbt/seeds/zip3_zones.csv` narrows a split state, else every zone of the state, "
        "`dbt/seeds/state_zones.csv`); and the zones of the called number's area code "
        "(`dbt/seeds/area_code_zones.csv`; an area code whose region spans two zones gives both). No evidence at "
        "all makes every US zone a candidate, territories included. A state's rule applies where its state is a "
        "candidate state: the address state and the states of the area code. A Florida, Oklahoma or Connecticut "
        "area code makes that state a candidate whatever the address, because those statutes presume that a "
        "call to one of their area codes reaches a resident. The mart lists the candidate zones, the zones that "
        "decided and where each came from (`docs/data-contract.md#candidate-time-zones`).",
        "No FCC rule says how a caller locates the holder of a mobile number. For debt collectors, the official "
        "commentary to 12 CFR 1006.6(b)(1) says that with conflicting or ambiguous location information a "
        "collector complies only at a time convenient in every location it indicates; CCI applies that reading "
        "to every family. Presumptions: Fla. Stat. 501.059, 15 O.S. 775C, Conn. P.A. 23-98. Zone boundaries: "
        "49 CFR Part 71.",
    ),
    Convention(
        "Times and boundaries",
        "Attempts are instants: the seed export's timestamps without an offset are UTC; the native format "
        "requires an offset and quarantines a timestamp without one, since no zone may be guessed. Local times "
        "come from the IANA zone database (`AT TIME ZONE`), never from fixed offsets or labels such as EST, so "
        "daylight saving days and Arizona are right. Window boundaries are allowed: under a 08:00-21:00 window "
        "08:00:00 and 21:00:00 are inside and 21:00:01 is not; a fraction of a second after the end "
        "(21:00:00.400) is `possible`. Rolling windows (24 hours) are elapsed time between instants, so a "
        "fall-back day has 25 local hours; calendar-day windows (the company's daily cap, Regulation F) count "
        "local dates.",
        "47 CFR 64.1200(c)(1) forbids calls \"before the hour of 8 a.m. or after 9 p.m.\"; 12 CFR 1006.6(b)(1)(i) "
        "the same for collectors. Daylight saving time: 15 U.S.C. 260a (Arizona and Hawaii do not observe it).",
    ),
    Convention(
        "Certainty",
        "A mart row is `definite` when the attempt breaks the rule in every candidate zone and, for a state rule, "
        "its state is the only candidate state; it is `possible` when only some zones or states decide, when the "
        "evidence cannot settle it (an area-code presumption against an address elsewhere, a do-not-call hit "
        "within the scrub safe harbor, a text of unknown technology), or when the rule's source is not "
        "confident enough to be definite (`definite_enabled` false). An attempt inside the rule in every "
        "candidate zone makes no row. Where evidence cannot decide, CCI reports `possible`, never nothing.",
        "The candidate sets of docs/rules.md#zones-and-states; the confidence levels of "
        "docs/rules.md#source-confidence.",
    ),
    Convention(
        "Severities",
        "Each rule has a severity for definite rows and one for possible rows (catalog columns "
        "`default_severity`, `possible_severity`). Critical: a private right of action with damages per attempt "
        "and no defense visible in the data (consent missing for an autodialed or prerecorded call, a "
        "registry-listed number without exemption, the Florida and Oklahoma hours and caps). High: a definite "
        "hours, day, frequency or opt-out violation whose theory is contested or whose exposure is small. "
        "Medium: possible rows (ambiguous zone or state, safe-harbor-eligible events) and CCI's own daily cap. "
        "Low: warnings (an attempt within the opt-out allowance). A case's priority follows its severity "
        "(P1 critical to P4 low).",
        "A design of CCI, not law: it orders the work by the exposure described in "
        "docs/rules.md#exposure-estimate.",
    ),
    Convention(
        "Source confidence",
        "Each rule's `confidence` says what its statement rests on: P, the primary text was seen (regulation, "
        "statute, Federal Register, agency page); S, a secondary source describing it (law-firm alert, trade "
        "association); A, a vendor's or aggregator's table only; U, not verified. A rule resting on A or U has "
        "`definite_enabled` false until counsel confirms it, so it produces `possible` rows only.",
        "Vendor tables of state calling hours disagree with each other; a rule nobody has read in the statute "
        "must not produce a definite violation.",
    ),
    Convention(
        "Exposure estimate",
        "Every mart row carries `exposure_min_usd` and `exposure_max_usd` for its attempt, by the rule's "
        "`exposure_basis`: `per_call` ($500, up to $1,500 when willful or knowing); "
        "`per_call_if_more_than_one_call_in_12_months` (the same, but $0 unless the number got more than one "
        "call or text from the company within 12 months); `per_consumer_cap` (up to $1,000 per consumer, not per "
        "call: the rows of one consumer share one cap, so they must not be added up); "
        "`civil_penalty_per_violation` (government enforcement only: minimum $0); `none` (no private damages, or "
        "company policy). One attempt may have rows under 227(b) and 227(c): they stack, $1,000-$3,000 per call. "
        "A text is counted as a call; courts are split on that for 227(c), and the row's details say so.",
        "47 U.S.C. 227(b)(3) and 227(c)(5) (the 227(c) action needs more than one call within any 12-month "
        "period); Fla. Stat. 501.059(10) ($500, up to three times); 15 U.S.C. 1692k (FDCPA additional damages up "
        "to $1,000 per action); FTC civil penalties up to $53,088 per violation in 2025 (90 FR 5580).",
    ),
    Convention(
        "Restricted dates",
        "A state's restricted days are its Sundays where the rule bans them, its legal holidays and dated "
        "restrictions. Holidays come from `dbt/seeds/holiday_calendars.csv`, generated from the `holidays` "
        "package with each state's observance (a Saturday holiday observed on the Friday before, a Sunday one "
        "on the Monday after, where the state does so). Days no calendar knows (a holiday declared by a "
        "governor, a state of emergency) are written by hand in `dbt/seeds/state_restricted_dates.csv`, each "
        "with its source. The date is the attempt's local date in each candidate zone.",
        "La. R.S. 45:811 and 45:844.31 (Louisiana holidays, governor-declared days, emergencies); Miss. Code "
        "77-3-723; Utah Code 13-25a-103(3); R.I. Gen. Laws 5-61-3.6 and 25-1-1; Pennsylvania Act 73 of 2019.",
    ),
    Convention(
        "Frequency caps",
        "The state caps count the attempts to one person on one subject within any rolling 24 hours of elapsed "
        "time (Florida, Oklahoma: calls; Maryland: calls and texts; Florida texts counted too, conservatively), "
        "whatever caller ID made them; the attempt over the cap is the violation. Massachusetts counts a "
        "creditor's calls and texts per debt over 7 days. CCI's own cap (CAP-CCI-1) counts attempts per lead "
        "and local day.",
        "Fla. Stat. 501.616(6)(b) (\"regardless of the phone number used\"); 15 O.S. 775C; the Maryland Stop "
        "the Spam Calls Act of 2023; 940 CMR 7.04(1)(f).",
    ),
    Convention(
        "Reg F counting",
        "Regulation F counts telephone calls (voicemail and ringless voicemail included, texts and emails not) "
        "placed to one person about one debt, across all their numbers; calls that did not connect (busy, "
        "network failure) are not counted. Days are local calendar days, counted in every candidate zone. The "
        "day of a conversation is the first day of its 7-day period: a call later that day or on the next six "
        "days is a violation.",
        "12 CFR 1006.14(b)(2) (the 7-in-7 and conversation presumptions) and (b)(3) (excluded calls).",
    ),
    Convention(
        "Business days",
        "Opt-out allowances in business days count Monday to Friday without US federal legal holidays "
        "(`dbt/seeds/holiday_calendars.csv`, calendar US); the day the request is received is not counted, and an "
        "attempt is after the allowance when its local date (in its primary zone) is after the last business day.",
        "47 CFR 64.1200(a)(11) and (d)(3) (within ten business days of receipt, from 2025-04-11); the section "
        "defines business day only in 64.1200(n)(1) (Monday through Friday, excluding Federal legal holidays), "
        "which CCI uses; 15 U.S.C. 7704(a)(4) (CAN-SPAM, ten business days).",
    ),
    Convention(
        "Channels",
        "A text is a call for the TCPA rules: hours, do-not-call, consent and opt-outs. A ringless voicemail is "
        "a prerecorded-voice call. Commercial email has no federal time window; its opt-out is CAN-SPAM's. "
        "Regulation F's hours cover every medium of a debt collector, email included, timed when sent.",
        "FCC 23-107 (do-not-call protections for texts); FCC 22-85 (ringless voicemail); 15 U.S.C. 7704(a)(4); "
        "12 CFR 1006.6(b)(1)(i) and its rule that an electronic communication occurs when sent.",
    ),
    Convention(
        "Do-not-call lists",
        "The national registry, the state lists and litigator lists are matched at the attempt's time. An "
        "established business relationship or written consent exempts a number from the national registry. A "
        "number registered after a scrub version at most 31 days old is safe-harbor eligible (`possible`). "
        "State lists carry each state's own exemptions (treated as `possible`). A litigator list is an "
        "industry practice, not a legal requirement: a risk flag, never definite. A company's own do-not-call "
        "list is an opt-out (`attempt_after_opt_out`).",
        "47 CFR 64.1200(c)(2), (c)(2)(i)(D) (31-day scrub), (f)(5) (EBR: a purchase within 18 months, an "
        "inquiry within 3); 16 CFR 310.4(b)(3)(iv); the state statutes named in DNC-ST-1.",
    ),
)
