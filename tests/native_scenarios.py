"""Hand-written native-format scenarios (JSON Lines) for candidate time zones
(docs/rules.md#zones-and-states; worked examples EDGE-05, EDGE-06, EDGE-08, EDGE-09, EDGE-12),
the state worked examples (ST-*), opt-out allowances (CN-*, CH-*), the Reg F worked examples (RF-*)
and native-only data.

Each lead names its evidence; each attempt lists the expected
outside_allowed_hours verdict: ``None`` (clear), or ``(certainty,
deciding zones)``. Lead ids start with ``Z-`` so they never meet the
generated native dataset's ``N...`` ids.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from compliance.ingest.formats import NATIVE_FORMAT
from compliance.ingest.phone_identity import normalize_phone, phone_hash

NY, CHI, DEN = "America/New_York", "America/Chicago", "America/Denver"
PHX, LA = "America/Phoenix", "America/Los_Angeles"


@dataclass
class ZoneScenario:
    name: str
    lead_id: str
    phone: str
    state: str
    zip_code: str
    stated: str
    candidates: list[str]
    attempts: dict[str, tuple[str, tuple[str, list[str]] | None]]  # attempt_id -> (attempted_at, verdict)
    phone_hash_only: bool = False
    cap: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # attempt_id -> (certainty, zones)


ALL_US = sorted({
    NY, CHI, DEN, PHX, LA, "America/Anchorage", "America/Adak", "Pacific/Honolulu", "America/Puerto_Rico",
    "America/St_Thomas", "Pacific/Guam", "Pacific/Saipan", "Pacific/Pago_Pago",
})

ZONE_SCENARIOS = [
    ZoneScenario(
        "QH-05 mobile area code 212 (Eastern) and an address in Los Angeles", "Z-QH05", "(212) 555-0108", "CA",
        "90012", "", [LA, NY],
        {"Z-QH-05a": ("2025-06-11T14:30:00Z", ("possible", [LA])),   # 10:30 EDT / 07:30 PDT
         "Z-QH-05b": ("2025-06-11T15:00:00Z", None),                 # 11:00 / 08:00
         "Z-QH-05c": ("2025-06-12T01:30:00Z", ("possible", [NY]))},  # 21:30 / 18:30
    ),
    ZoneScenario(
        "QH-06 Arizona number, address in Phoenix", "Z-QH06", "+16025550109", "AZ", "85004", "", [PHX],
        {"Z-QH-06": ("2025-07-15T14:30:00Z", ("definite", [PHX]))},  # 07:30 MST (08:30 MDT in Denver)
    ),
    ZoneScenario(
        "QH-07 Puerto Rico keeps Atlantic standard time", "Z-QH07", "+17875550110", "", "", "",
        ["America/Puerto_Rico"],
        {"Z-QH-07": ("2025-01-15T12:30:00Z", None)},  # 08:30 AST (07:30 if mis-mapped to Eastern)
    ),
    ZoneScenario(
        "QH-08 Guam: Sunday 07:30 ChST while it is Saturday on the mainland", "Z-QH08", "+16715550111", "", "", "",
        ["Pacific/Guam"],
        {"Z-QH-08": ("2025-07-12T21:30:00Z", ("definite", ["Pacific/Guam"]))},
    ),
    ZoneScenario(
        "QH-09 Idaho number 208, no address", "Z-QH09", "+12085550106", "", "", "",
        ["America/Boise", DEN, LA],
        # Boise (and Denver) 21:30 MDT out, Los Angeles 20:30 PDT in. phonenumbers lists
        # America/Denver for 208 besides Boise and Los Angeles: same clock as Boise.
        {"Z-QH-09": ("2025-06-10T03:30:00Z", ("possible", ["America/Boise", DEN]))},
    ),
    ZoneScenario(
        "EDGE-06 multi-zone area code 850, no address: Central and Eastern", "Z-850", "(850) 555-0142", "", "", "",
        [CHI, NY],
        {"Z-850-2030": ("2025-07-15T01:30:00Z", ("possible", [NY])),      # 20:30 CDT / 21:30 EDT
         "Z-850-0630": ("2025-07-15T11:30:00Z", ("definite", [CHI, NY])),  # 06:30 CDT / 07:30 EDT
         "Z-850-0730": ("2025-07-15T12:30:00+00:00", ("possible", [CHI])),  # 07:30 CDT / 08:30 EDT
         "Z-850-NOON": ("2025-07-15T12:00:00-05:00", None)},
    ),
    ZoneScenario(
        "Daily cap counted in every candidate zone: 4th of Jul 10 in Chicago, 1st of Jul 11 in New York",
        "Z-850-CAP", "+1 850 555 0143", "", "", "", [CHI, NY],
        {"Z-CAP-1": ("2025-07-10T14:00:00Z", None),
         "Z-CAP-2": ("2025-07-10T16:00:00Z", None),
         "Z-CAP-3": ("2025-07-10T18:00:00Z", None),
         "Z-CAP-4": ("2025-07-11T04:30:00Z", ("definite", [CHI, NY]))},   # 23:30 CDT Jul 10 / 00:30 EDT Jul 11
        cap={"Z-CAP-4": ("possible", [CHI])},
    ),
    ZoneScenario(
        "QH-06 Arizona (Phoenix ZIP, 602, MST label): America/Phoenix only", "Z-AZ", "602-555-0150", "AZ", "85004",
        "MST", [PHX],
        {"Z-AZ-2030": ("2025-07-16T03:30:00Z", None),                      # 20:30 MST (21:30 in Denver)
         "Z-AZ-0730": ("2025-07-15T14:30:00Z", ("definite", [PHX]))},
    ),
    ZoneScenario(
        "EDGE-08 Navajo Nation (Window Rock ZIP, 928): Phoenix and Denver in summer", "Z-NAVAJO", "928 555 0151",
        "AZ", "86515", "", [DEN, PHX],
        {"Z-NAVAJO-2030": ("2025-07-16T03:30:00Z", ("possible", [DEN]))},  # 20:30 MST / 21:30 MDT
    ),
    ZoneScenario(
        "EDGE-09 Guam: the local date is a day ahead", "Z-GU", "(671) 555-0152", "GU", "96910", "", ["Pacific/Guam"],
        {"Z-GU-0730": ("2025-07-15T21:30:00Z", ("definite", ["Pacific/Guam"]))},  # Jul 16 07:30 ChST
    ),
    ZoneScenario(
        "EDGE-09 Puerto Rico keeps Atlantic standard time all year", "Z-PR", "787-555-0153", "PR", "00901", "",
        ["America/Puerto_Rico"],
        {"Z-PR-JUL": ("2025-07-15T00:30:00Z", None),                                   # 20:30 AST
         "Z-PR-JAN": ("2025-01-15T01:30:00Z", ("definite", ["America/Puerto_Rico"]))},  # 21:30 AST
    ),
    ZoneScenario(
        "EDGE-12 stated zone (Pacific) conflicts with the address and area code (New York)", "Z-CONFLICT",
        "212-555-0154", "NY", "10001", "America/Los_Angeles", [LA, NY],
        {"Z-CONFLICT-22": ("2025-07-15T02:00:00Z", ("possible", [NY])),   # 22:00 EDT / 19:00 PDT
         "Z-CONFLICT-07": ("2025-07-15T14:00:00Z", ("possible", [LA]))},  # 10:00 EDT / 07:00 PDT
    ),
    ZoneScenario(
        "EDGE-05 toll-free number, no address, no zone: every US zone", "Z-NONE", "1-800-555-0155", "", "", "",
        ALL_US,
        {"Z-NONE-2300": ("2025-07-15T23:00:00Z", None),
         # 07:00 Honolulu, 06:00 Pago Pago, 03:00 next day in Guam and Saipan; 08:00:00 in Adak is allowed
         "Z-NONE-1700": ("2025-07-15T17:00:00Z", ("possible", ["Pacific/Guam", "Pacific/Honolulu",
                                                               "Pacific/Pago_Pago", "Pacific/Saipan"]))},
    ),
    ZoneScenario(
        "ZIP narrows a split state: Coeur d'Alene 838 is Pacific only (hash-only lead)", "Z-ID-ZIP", "208-555-0156",
        "ID", "83814", "", [LA],
        {"Z-ID-ZIP-0730": ("2025-07-15T14:30:00Z", ("definite", [LA]))},   # 07:30 PDT (08:30 MDT in Boise)
        phone_hash_only=True,
    ),
    ZoneScenario(
        "Without a ZIP, Idaho is Mountain and Pacific", "Z-ID-STATE", "", "ID", "", "", [DEN, LA],
        {"Z-ID-STATE-0730": ("2025-07-15T14:30:00Z", ("possible", [LA]))},
    ),
    ZoneScenario(
        "EDGE-11 21:00:00.400 is past 9 p.m. by less than a second: possible, not definite", "Z-EDGE11",
        "(212) 555-0163", "NY", "10001", "", [NY],
        {"Z-EDGE11-400": ("2025-06-11T01:00:00.400Z", ("possible", [NY])),
         "Z-EDGE11-2100": ("2025-06-11T01:00:00Z", None),
         "Z-EDGE11-2101": ("2025-06-12T01:00:01Z", ("definite", [NY]))},
    ),
    ZoneScenario(
        "EDGE-10 Gary, Indiana (ZIP 464) is Central time and observes DST (hash-only lead)", "Z-IN-GARY",
        "219-555-0162", "IN", "46402", "", [CHI],
        {"Z-IN-GARY-SUMMER": ("2025-07-15T12:30:00Z", ("definite", [CHI])),  # 07:30 CDT (08:30 in Indianapolis)
         "Z-IN-GARY-WINTER": ("2025-01-15T13:30:00Z", ("definite", [CHI])),  # 07:30 CST
         "Z-IN-GARY-0830": ("2025-01-15T14:30:00Z", None)},                  # 08:30 CST
        phone_hash_only=True,
    ),
]

# Quarantine cases of the JSON Lines reader and native staging:
# (file stem, raw line, reason code expected)
BROKEN_LINES = [
    ("contact_attempts", '["not", "an", "object"]', "malformed_record"),
    ("contact_attempts", '{"attempt_id": "Z-BAD-FIELD", "lead_id": "Z-850", "fax_number": "1"}', "malformed_record"),
    ("contact_attempts", "{not json", "malformed_record"),
    ("contact_attempts", json.dumps({"attempt_id": "Z-NAIVE", "lead_id": "Z-850", "channel": "call",
                                     "purpose": "telemarketing", "attempted_at": "2025-07-15T12:00:00"}),
     "naive_timestamp"),
    ("leads", json.dumps({"lead_id": "Z-BAD-PHONE", "phone": "+1 055 555 0123",
                          "created_at": "2025-01-01T00:00:00Z"}), "bad_phone"),
    # QH-NY is a valid lead of the seed scenarios: ids are shared between formats.
    ("leads", json.dumps({"lead_id": "QH-NY", "phone": "(212) 555-0107", "created_at": "2025-01-01T00:00:00Z"}),
     "duplicate_id_across_formats"),
]


def lead_record(scenario: ZoneScenario) -> dict:
    record = {"lead_id": scenario.lead_id, "address_state": scenario.state, "address_zip": scenario.zip_code,
              "timezone": scenario.stated, "created_at": "2025-01-01T00:00:00Z"}
    if scenario.phone_hash_only or not scenario.phone:
        record["phone_hash"] = phone_hash(normalize_phone(scenario.phone or "208-555-0157").e164)
    else:
        record["phone"] = scenario.phone
    return {key: value for key, value in record.items() if value}


def write_native_scenarios(directory: Path) -> None:
    """Write the scenarios and BROKEN_LINES as one JSON Lines file per entity."""
    lines: dict[str, list[str]] = {spec.stem: [] for spec in NATIVE_FORMAT}
    for scenario in ZONE_SCENARIOS:
        lines["leads"].append(json.dumps(lead_record(scenario)))
        for attempt_id, (attempted_at, _) in scenario.attempts.items():
            lines["contact_attempts"].append(json.dumps({
                "attempt_id": attempt_id, "lead_id": scenario.lead_id, "channel": "call", "technology": "manual",
                "purpose": "telemarketing", "attempted_at": attempted_at, "outcome": "no_answer",
            }))
    for state in STATE_SCENARIOS:
        lead, attempts, consents = state_records(state)
        lines["leads"].append(json.dumps(lead))
        lines["contact_attempts"] += [json.dumps(attempt) for attempt in attempts]
        lines["consents"] += [json.dumps(consent) for consent in consents]
    for opt in OPT_OUT_SCENARIOS:
        lead, attempts, opt_out = opt_out_records(opt)
        lines["leads"].append(json.dumps(lead))
        lines["contact_attempts"] += [json.dumps(attempt) for attempt in attempts]
        lines["opt_outs"].append(json.dumps(opt_out))
    by_entity = [dnc_records(dnc) for dnc in DNC_SCENARIOS] + [consent_records(c) for c in CONSENT_SCENARIOS]
    for records_by_stem in by_entity:
        for stem, records in records_by_stem.items():
            lines[stem] += [json.dumps(record) for record in records]
    lines["dnc_list_versions"] += [json.dumps({"list": name, "obtained_at": when}) for name, when in DNC_LIST_VERSIONS]
    for regf in REG_F_SCENARIOS:
        lead, attempts = regf_records(regf)
        lines["leads"].append(json.dumps(lead))
        lines["contact_attempts"] += [json.dumps(attempt) for attempt in attempts]
    for example in EXPOSURE_SCENARIOS:
        lead, calls, listed = exposure_records(*example[:4])
        lines["leads"].append(json.dumps(lead))
        lines["contact_attempts"] += [json.dumps(call) for call in calls]
        lines["dnc_entries"].append(json.dumps(listed))
    for stem, line, _ in BROKEN_LINES:
        lines[stem].append(line)
    for spec in NATIVE_FORMAT:
        (directory / f"{spec.stem}.jsonl").write_text("".join(line + "\n" for line in lines[spec.stem]))


@dataclass
class StateScenario:
    """A state worked example (ST-*): a lead (phone, address state and ZIP) and its
    telemarketing attempts ``attempt_id -> (attempted_at, channel)``;
    ``expected`` are the (attempt_id, rule_id, certainty) rows of state rules.
    Rules from vendor tables ([A]: TX, RI, AL, KY, ...) are `possible` until
    enabled. ``consent`` puts prior express consent on file (Utah)."""

    example: str
    lead_id: str
    phone: str
    state: str
    zip_code: str
    attempts: dict[str, tuple[str, str]]
    expected: set[tuple[str, str, str]]
    consent: bool = False
    subject: str = ""
    purpose: str = "telemarketing"
    debt_id: str = ""


STATE_SCENARIOS = [
    StateScenario("ST-FL-01 FL text after 8 p.m. (SEV-01: FTSA $500-$1,500, federal clear)", "S-FL01",
                  "+13055550100", "FL", "33130", {"S-FL01": ("2025-07-16T00:30:00Z", "sms")},  # Tue 20:30 EDT
                  {("S-FL01", "QH-FL-1", "definite")}),
    StateScenario("ST-FL-02 850 spans Central and Eastern, no address", "S-FL02", "+18505550101", "", "",
                  {"S-FL02": ("2025-07-16T00:30:00Z", "call")},  # 20:30 EDT / 19:30 CDT
                  {("S-FL02", "QH-FL-1", "possible")}),
    StateScenario("ST-FL-05 FL area code presumption, address in Georgia", "S-FL05", "+13055550120", "GA", "30303",
                  {"S-FL05": ("2025-07-16T00:30:00Z", "call")},  # 20:30 EDT
                  {("S-FL05", "QH-FL-1", "possible")}),
    StateScenario("ST-OK-01 Oklahoma after 8 p.m.", "S-OK01", "+14055550102", "", "",
                  {"S-OK01": ("2025-07-15T01:30:00Z", "call")},  # Mon 20:30 CDT
                  {("S-OK01", "QH-OK-1", "definite")}),
    StateScenario("ST-WA-01 Washington after 8 p.m.", "S-WA01", "+12065550104", "", "",
                  {"S-WA01": ("2025-07-16T03:30:00Z", "call")},  # Tue 20:30 PDT
                  {("S-WA01", "QH-WA-1", "definite")}),
    StateScenario("ST-TX-01/02 Texas: Sunday before noon, Saturday before 9 [A]", "S-TX01", "+15125550105", "", "",
                  {"S-TX01-1130": ("2025-07-20T16:30:00Z", "call"),   # Sun 11:30 CDT
                   "S-TX01-1230": ("2025-07-20T17:30:00Z", "call"),   # Sun 12:30 CDT
                   "S-TX02-0830": ("2025-07-19T13:30:00Z", "call")},  # Sat 08:30 CDT
                  {("S-TX01-1130", "QH-TX-1", "possible"), ("S-TX02-0830", "QH-TX-1", "possible")}),
    StateScenario("ST-UT-01/02 Utah Sunday and Pioneer Day, no consent", "S-UT01", "+18015550112", "", "",
                  {"S-UT01": ("2025-07-20T18:00:00Z", "call"),    # Sun 12:00 MDT
                   "S-UT02": ("2025-07-24T18:00:00Z", "call")},   # Thu Pioneer Day 12:00 MDT
                  {("S-UT01", "RD-UT-1", "definite"), ("S-UT02", "RD-UT-1", "definite")}),
    StateScenario("ST-UT-01 with prior express consent on file: clear", "S-UT01C", "+18015550121", "", "",
                  {"S-UT01C": ("2025-07-20T18:00:00Z", "call")}, set(), consent=True),
    StateScenario("ST-LA-01 Louisiana Sunday, live agent", "S-LA01", "+15045550113", "", "",
                  {"S-LA01": ("2025-07-20T19:00:00Z", "call")},  # Sun 14:00 CDT
                  {("S-LA01", "RD-LA-1", "definite")}),
    StateScenario("ST-LA-02 Louisiana holiday declared by the governor (dated restriction)", "S-LA02",
                  "+15045550122", "", "", {"S-LA02": ("2023-12-26T20:00:00Z", "call")},  # Tue 14:00 CST
                  {("S-LA02", "RD-LA-1", "definite")}),
    StateScenario("ST-MS-01 Mississippi Sunday", "S-MS01", "+16015550114", "", "",
                  {"S-MS01": ("2025-07-20T19:00:00Z", "call")},
                  {("S-MS01", "RD-MS-1", "definite")}),
    StateScenario("ST-RI-01 Rhode Island Saturday after 5 p.m. [A]", "S-RI01", "+14015550115", "", "",
                  {"S-RI01": ("2025-07-19T21:30:00Z", "call"),       # Sat 17:30 EDT
                   "S-RI01-SUN": ("2025-07-20T16:00:00Z", "call")},  # Sun 12:00 EDT: Sunday ban [P]
                  {("S-RI01", "QH-RI-1", "possible"), ("S-RI01-SUN", "RD-RI-1", "definite")}),
    StateScenario("ST-PA-01 Pennsylvania Independence Day", "S-PA01", "+12155550116", "", "",
                  {"S-PA01": ("2025-07-04T16:00:00Z", "call")},  # Fri 12:00 EDT
                  {("S-PA01", "RD-PA-1", "definite")}),
    StateScenario("ST-CT-01 Connecticut before 9 a.m.", "S-CT01", "+12035550117", "", "",
                  {"S-CT01": ("2025-07-15T12:30:00Z", "call")},  # 08:30 EDT
                  {("S-CT01", "QH-CT-1", "definite")}),
    StateScenario("ST-AL-01 Alabama Sunday [A]", "S-AL01", "+12055550119", "", "",
                  {"S-AL01": ("2025-07-20T19:00:00Z", "call")},  # Sun 14:00 CDT
                  {("S-AL01", "RD-AL-1", "possible")}),
    StateScenario("Maryland after 8 p.m.", "S-MD", "+14105550103", "", "",
                  {"S-MD": ("2025-07-16T00:30:00Z", "sms")},  # 20:30 EDT
                  {("S-MD", "QH-MD-1", "definite")}),
    StateScenario("Vendor-table windows at 08:30 local: KY 10-9, MI/MN/NM 9-9, NV 9-8 outside; MA 8-8 inside",
                  "S-AVT", "", "", "",
                  {"S-KY": ("2025-07-15T12:30:00Z", "call"), "S-MI": ("2025-07-15T12:30:00Z", "call"),
                   "S-MN": ("2025-07-15T13:30:00Z", "call"), "S-NM": ("2025-07-15T14:30:00Z", "call"),
                   "S-NV": ("2025-07-15T15:30:00Z", "call"), "S-MA": ("2025-07-15T12:30:00Z", "call"),
                   "S-MA-2030": ("2025-07-16T00:30:00Z", "call")},
                  {("S-KY", "QH-KY-1", "possible"), ("S-MI", "QH-MI-1", "possible"),
                   ("S-MN", "QH-MN-1", "possible"), ("S-NM", "QH-NM-1", "possible"),
                   ("S-NV", "QH-NV-1", "possible"), ("S-MA-2030", "QH-MA-1", "possible")}),
    StateScenario("ST-FL-03 4 solicitation calls within 23.5 hours, rotating caller IDs", "S-FL03", "+13055550141",
                  "", "", {"S-FL03-1": ("2025-07-14T13:00:00Z", "call"), "S-FL03-2": ("2025-07-14T16:00:00Z", "call"),
                           "S-FL03-3": ("2025-07-14T19:00:00Z", "call"), "S-FL03-4": ("2025-07-15T12:30:00Z", "call")},
                  {("S-FL03-4", "CAP-FL-1", "definite")}, subject="solar"),
    StateScenario("ST-FL-04 the 4th call 24.5 hours after the 1st: 3 in the window", "S-FL04", "+13055550142", "", "",
                  {"S-FL04-1": ("2025-07-14T13:00:00Z", "call"), "S-FL04-2": ("2025-07-14T16:00:00Z", "call"),
                   "S-FL04-3": ("2025-07-14T19:00:00Z", "call"), "S-FL04-4": ("2025-07-15T13:30:00Z", "call")},
                  set(), subject="solar"),
    StateScenario("FL near miss: the 4th call exactly 24 hours after the 1st is in the (closed) period", "S-FL24",
                  "+13055550143", "", "",
                  {"S-FL24-1": ("2025-07-14T13:00:00Z", "call"), "S-FL24-2": ("2025-07-14T16:00:00Z", "call"),
                   "S-FL24-3": ("2025-07-14T19:00:00Z", "call"), "S-FL24-4": ("2025-07-15T13:00:00Z", "call")},
                  {("S-FL24-4", "CAP-FL-1", "definite")}, subject="solar"),
    StateScenario("ST-MD-01 4 marketing texts on one subject within 6 hours", "S-MD01", "+14105550144", "", "",
                  {f"S-MD01-{n}": (f"2025-07-15T{13 + 2 * n}:00:00Z", "sms") for n in range(4)},  # 09:00-15:00 EDT
                  {("S-MD01-3", "CAP-MD-1", "definite")}, subject="mortgage"),
    StateScenario("ST-MA-01 collection calls about one debt Mon, Wed, Fri, unanswered: the 3rd in 7 days",
                  "S-MA01", "+16175550118", "MA", "02108",
                  {"S-MA01-1": ("2025-07-14T14:00:00Z", "call"), "S-MA01-2": ("2025-07-16T14:00:00Z", "call"),
                   "S-MA01-3": ("2025-07-18T14:00:00Z", "call")},
                  {("S-MA01-3", "CAP-MA-1", "definite")}, purpose="debt_collection", debt_id="S-MA01-D1"),
    StateScenario("Oklahoma: 4 calls in 3 hours, no subject given (counted together)", "S-OKCAP", "+14055550145",
                  "", "", {f"S-OKCAP-{n}": (f"2025-07-15T{15 + n}:00:00Z", "call") for n in range(4)},
                  {("S-OKCAP-3", "CAP-OK-1", "definite")}),
    StateScenario("8 p.m. windows on a Tuesday at 20:30 CDT: LA and MS [P], AL [A]", "S-8PM", "", "", "",
                  {"S-LA-2030": ("2025-07-16T01:30:00Z", "call"), "S-MS-2030": ("2025-07-16T01:30:00Z", "call"),
                   "S-AL-2030": ("2025-07-16T01:30:00Z", "call")},
                  {("S-LA-2030", "QH-LA-1", "definite"), ("S-MS-2030", "QH-MS-1", "definite"),
                   ("S-AL-2030", "QH-AL-1", "possible")}),
]
# Scenarios of several states call a different number per attempt (no address).
ATTEMPT_PHONES = {"S-KY": "+15025550130", "S-MI": "+13135550131", "S-MN": "+16125550132",
                  "S-NM": "+15055550133", "S-NV": "+17025550134", "S-MA": "+16175550135",
                  "S-MA-2030": "+16175550135", "S-LA-2030": "+15045550138", "S-MS-2030": "+16015550139",
                  "S-AL-2030": "+12055550140"}


def state_records(scenario: StateScenario) -> tuple[dict, list[dict], list[dict]]:
    """The lead, attempt and consent records (JSON Lines) of a state scenario."""
    lead = {"lead_id": scenario.lead_id, "phone": scenario.phone or "+15025550130",
            "address_state": scenario.state, "address_zip": scenario.zip_code, "created_at": "2023-01-01T00:00:00Z"}
    attempts = [
        {"attempt_id": attempt_id, "lead_id": scenario.lead_id, "channel": channel, "technology": "manual",
         "purpose": scenario.purpose, "attempted_at": when, "outcome": "no_answer", "subject": scenario.subject,
         "debt_id": scenario.debt_id,
         "caller_id": f"+1305555{index:04d}",  # a different caller ID on every attempt (EDGE-14)
         **({"to_phone": ATTEMPT_PHONES[attempt_id]} if attempt_id in ATTEMPT_PHONES else {})}
        for index, (attempt_id, (when, channel)) in enumerate(scenario.attempts.items())
    ]
    consents = [{"consent_id": f"CN-{scenario.lead_id}", "lead_id": scenario.lead_id, "kind": "pec",
                 "channels": "all", "seller": "Acme Solar", "captured_at": "2023-01-02T00:00:00Z",
                 "method": "verbal", "disclosure_shown": "false"}] if scenario.consent else []
    return {key: value for key, value in lead.items() if value}, attempts, consents


@dataclass
class OptOutScenario:
    """An opt-out worked example (CN-*, CH-*): a New York lead, one opt-out
    ``(requested_at, channel_scope, method)`` and later attempts
    ``attempt_id -> (attempted_at, channel, purpose)``; ``expected`` are the
    (attempt_id, rule_id, certainty) rows of family attempt_after_opt_out."""

    example: str
    lead_id: str
    opt_out: tuple[str, str, str]
    attempts: dict[str, tuple[str, str, str]]
    expected: set[tuple[str, str, str]]


OPT_OUT_SCENARIOS = [
    OptOutScenario(
        "CN-04 STOP on Fri 2025-11-21: 10th business day Mon 12-08 (Thanksgiving skipped)", "O-CN04",
        ("2025-11-21T15:00:00Z", "sms", "stop_keyword"),
        {"O-CN04-A": ("2025-12-01T15:00:00Z", "sms", "telemarketing"),     # within: warning
         "O-CN04-10": ("2025-12-08T22:00:00Z", "sms", "telemarketing"),    # 10th business day, 17:00 EST
         "O-CN04-B": ("2025-12-09T15:00:00Z", "sms", "telemarketing"),     # 11th: violation
         "O-CN04-CALL": ("2025-12-10T15:00:00Z", "call", "telemarketing")},  # scope sms only: clear
        {("O-CN04-A", "OPT-FED-2", "definite"), ("O-CN04-10", "OPT-FED-2", "definite"),
         ("O-CN04-B", "OPT-FED-1", "definite")},
    ),
    OptOutScenario(
        "CN-05 confirmation text 3 minutes after STOP, no marketing: clear", "O-CN05A",
        ("2025-06-02T15:00:00Z", "all", "stop_keyword"),
        {"O-CN05A": ("2025-06-02T15:03:00Z", "sms", "informational")}, set(),
    ),
    OptOutScenario(
        "CN-05 the same confirmation 2 hours later: possible", "O-CN05B",
        ("2025-06-02T15:00:00Z", "all", "stop_keyword"),
        {"O-CN05B": ("2025-06-02T17:00:00Z", "sms", "informational")}, {("O-CN05B", "OPT-FED-3", "possible")},
    ),
    OptOutScenario(
        "CN-05 a confirmation with a coupon: definite", "O-CN05C",
        ("2025-06-02T15:00:00Z", "all", "stop_keyword"),
        {"O-CN05C": ("2025-06-02T15:03:00Z", "sms", "telemarketing")}, {("O-CN05C", "OPT-FED-3", "definite")},
    ),
    OptOutScenario(
        "CN-10 request 2025-04-01, before 2025-04-11: 30 days, last day 05-01", "O-CN10A",
        ("2025-04-01T15:00:00Z", "call", "verbal"),
        {"O-CN10A-1": ("2025-05-01T15:00:00Z", "call", "telemarketing"),
         "O-CN10A-2": ("2025-05-02T15:00:00Z", "call", "telemarketing")},
        {("O-CN10A-1", "OPT-FED-2", "definite"), ("O-CN10A-2", "OPT-FED-1", "definite")},
    ),
    OptOutScenario(
        "CN-10 request 2025-04-14: 10 business days, last day 04-28", "O-CN10B",
        ("2025-04-14T15:00:00Z", "call", "verbal"),
        {"O-CN10B-1": ("2025-04-28T15:00:00Z", "call", "telemarketing"),
         "O-CN10B-2": ("2025-04-29T15:00:00Z", "call", "telemarketing")},
        {("O-CN10B-1", "OPT-FED-2", "definite"), ("O-CN10B-2", "OPT-FED-1", "definite")},
    ),
    OptOutScenario(
        "CH-01 unsubscribe Mon 2025-06-02: marketing email 06-16 within, 06-17 CAN-SPAM", "O-CH01",
        ("2025-06-02T15:00:00Z", "email", "email"),
        {"O-CH01-A": ("2025-06-16T15:00:00Z", "email", "telemarketing"),
         "O-CH01-B": ("2025-06-17T15:00:00Z", "email", "telemarketing"),
         "O-CH01-INFO": ("2025-06-18T15:00:00Z", "email", "informational")},  # not commercial: clear
        {("O-CH01-A", "OPT-FED-2", "definite"), ("O-CH01-B", "OPT-CS-1", "definite")},
    ),
    # A ringless voicemail is a call (FCC 22-85): an opt-out scoped to calls covers it. Mon 2025-06-02: the
    # 10th business day is Mon 06-16. An attempt at the very instant of the request is after it (OPT-FED-2).
    OptOutScenario(
        "CH-06 ringless voicemail after an opt-out of calls: covered; a text is not (the consumer's limit)",
        "O-CH06", ("2025-06-02T15:00:00Z", "call", "verbal"),
        {"O-CH06-SAME": ("2025-06-02T15:00:00Z", "rvm", "telemarketing"),
         "O-CH06-BEFORE": ("2025-06-02T14:59:59Z", "rvm", "telemarketing"),
         "O-CH06-IN": ("2025-06-16T15:00:00Z", "rvm", "informational"),
         "O-CH06-AFTER": ("2025-06-17T15:00:00Z", "rvm", "telemarketing"),
         "O-CH06-CALL": ("2025-06-17T16:00:00Z", "call", "telemarketing"),
         "O-CH06-SMS": ("2025-06-18T15:00:00Z", "sms", "telemarketing")},
        {("O-CH06-SAME", "OPT-FED-2", "definite"), ("O-CH06-IN", "OPT-FED-2", "definite"),
         ("O-CH06-AFTER", "OPT-FED-1", "definite"), ("O-CH06-CALL", "OPT-FED-1", "definite")},
    ),
    # requested_at == attempted_at: the attempt is after the request (every record is in effect from its own
    # timestamp on); within the allowance, so a warning, and the first text is the confirmation (64.1200(a)(12)).
    OptOutScenario(
        "CN-04 attempts at the very instant of the STOP: a call is a warning, a marketing text the confirmation",
        "O-CN04-SAME", ("2025-06-02T15:00:00Z", "all", "stop_keyword"),
        {"O-CN04-SAME-1S": ("2025-06-02T14:59:59Z", "call", "telemarketing"),
         "O-CN04-SAME-CALL": ("2025-06-02T15:00:00Z", "call", "telemarketing"),
         "O-CN04-SAME-SMS": ("2025-06-02T15:00:00Z", "sms", "telemarketing")},
        {("O-CN04-SAME-CALL", "OPT-FED-2", "definite"), ("O-CN04-SAME-SMS", "OPT-FED-3", "definite")},
    ),
    # FCC 24-24: a revocation for calls covers texts and vice versa unless the consumer limits it: scope `all`
    # covers calls, texts and ringless voicemail (and, CAN-SPAM, commercial email); scope `sms` only texts.
    OptOutScenario(
        "64.1200(a)(10) scope all: calls, texts, RVM and email after the allowance", "O-REV-ALL",
        ("2025-06-02T15:00:00Z", "all", "verbal"),
        {"O-REV-ALL-CALL": ("2025-06-17T15:00:00Z", "call", "telemarketing"),
         "O-REV-ALL-SMS": ("2025-06-17T15:10:00Z", "sms", "informational"),
         "O-REV-ALL-RVM": ("2025-06-17T15:20:00Z", "rvm", "debt_collection"),
         "O-REV-ALL-EMAIL": ("2025-06-17T15:30:00Z", "email", "telemarketing")},
        {("O-REV-ALL-CALL", "OPT-FED-1", "definite"), ("O-REV-ALL-SMS", "OPT-FED-1", "definite"),
         ("O-REV-ALL-RVM", "OPT-FED-1", "definite"), ("O-REV-ALL-EMAIL", "OPT-CS-1", "definite")},
    ),
    OptOutScenario(
        "64.1200(a)(10) scope sms (the consumer's limit): texts only, not calls or RVM", "O-REV-SMS",
        ("2025-06-02T15:00:00Z", "sms", "stop_keyword"),
        {"O-REV-SMS-CALL": ("2025-06-17T15:00:00Z", "call", "telemarketing"),
         "O-REV-SMS-RVM": ("2025-06-17T15:20:00Z", "rvm", "telemarketing"),
         "O-REV-SMS-SMS": ("2025-06-17T15:10:00Z", "sms", "telemarketing")},
        {("O-REV-SMS-SMS", "OPT-FED-1", "definite")},
    ),
]


def opt_out_records(scenario: OptOutScenario) -> tuple[dict, list[dict], dict]:
    """The lead, attempt and opt-out records (JSON Lines) of an opt-out scenario."""
    lead = {"lead_id": scenario.lead_id, "phone": "(212) 555-0190", "email": f"{scenario.lead_id.lower()}@example.com",
            "address_state": "NY", "address_zip": "10001", "created_at": "2025-01-01T00:00:00Z"}
    attempts = [
        {"attempt_id": attempt_id, "lead_id": scenario.lead_id, "channel": channel, "technology": "manual",
         "purpose": purpose, "attempted_at": when, "outcome": "delivered" if channel != "call" else "no_answer"}
        for attempt_id, (when, channel, purpose) in scenario.attempts.items()
    ]
    requested_at, scope, method = scenario.opt_out
    opt_out = {"opt_out_id": f"OO-{scenario.lead_id}", "lead_id": scenario.lead_id, "channel_scope": scope,
               "requested_at": requested_at, "method": method}
    return lead, attempts, opt_out


@dataclass
class DncScenario:
    """A do-not-call worked example (DNC-*): a New York lead with its list entries ``(list,
    registered_at)``, conversions ``(kind, occurred_at)``, optionally prior
    express written consent, and manual telemarketing calls ``attempt_id ->
    attempted_at`` (12:00 EDT); ``expected`` are the (attempt_id, rule_id,
    certainty) rows of families dnc_match and attempt_after_opt_out. The
    national registry version the scrubs used is DNC_LIST_VERSIONS."""

    example: str
    lead_id: str
    phone: str
    lists: list[tuple[str, str]]
    attempts: dict[str, str]
    expected: set[tuple[str, str, str]]
    conversions: list[tuple[str, str]] = field(default_factory=list)
    pewc: bool = False
    channel: str = "call"
    technology: str = "manual"


DNC_LIST_VERSIONS = [("national", "2025-05-01T06:00:00Z")]
DNC_SCENARIOS = [
    DncScenario("DNC-01 on the registry since 2024-01-10, no EBR or consent", "D-01", "(212) 555-0150",
                [("national", "2024-01-10T00:00:00Z")], {"D-01": "2025-06-02T16:00:00Z"},
                {("D-01", "DNC-FED-1", "definite")}),
    DncScenario("DNC-02 registered 2025-05-20 after the 2025-05-01 download: 31 days eligible, 32 not", "D-02",
                "(212) 555-0151", [("national", "2025-05-20T00:00:00Z")],
                {"D-02-A": "2025-06-01T16:00:00Z", "D-02-B": "2025-06-02T16:00:00Z"},
                {("D-02-A", "DNC-FED-1", "possible"), ("D-02-B", "DNC-FED-1", "definite")}),
    DncScenario("DNC-03 last purchase 2024-01-15: EBR to 2025-07-14, anniversary 07-15, expired 07-16", "D-03",
                "(212) 555-0152", [("national", "2024-01-10T00:00:00Z")],
                {"D-03-A": "2025-07-14T16:00:00Z", "D-03-ANN": "2025-07-15T16:00:00Z",
                 "D-03-B": "2025-07-16T16:00:00Z"},
                {("D-03-ANN", "DNC-FED-1", "possible"), ("D-03-B", "DNC-FED-1", "definite")},
                conversions=[("purchase", "2024-01-15T16:00:00Z")]),
    DncScenario("DNC-04 inquiry 2025-03-10: EBR to 06-09, expired 06-11", "D-04", "(212) 555-0153",
                [("national", "2024-01-10T00:00:00Z")],
                {"D-04-A": "2025-06-09T16:00:00Z", "D-04-B": "2025-06-11T16:00:00Z"},
                {("D-04-B", "DNC-FED-1", "definite")}, conversions=[("inquiry", "2025-03-10T16:00:00Z")]),
    DncScenario("DNC-05 customer's company DNC request Thu 2025-05-01 ends the EBR; call Mon 05-19", "D-05",
                "(212) 555-0154", [("national", "2024-01-10T00:00:00Z"), ("internal", "2025-05-01T16:00:00Z")],
                {"D-05": "2025-05-19T16:00:00Z"},
                {("D-05", "DNC-FED-1", "definite"), ("D-05", "OPT-FED-1", "definite")},
                conversions=[("purchase", "2025-03-01T16:00:00Z")]),
    DncScenario("DNC-07 only on the Texas list", "D-07", "(512) 555-0155", [("state:TX", "2024-01-10T00:00:00Z")],
                {"D-07": "2025-06-02T16:00:00Z"}, {("D-07", "DNC-ST-1", "definite")}),
    DncScenario("Registry-listed with a signed written agreement (PEWC): exempt, 64.1200(c)(2)(ii)", "D-PEWC",
                "(212) 555-0156", [("national", "2024-01-10T00:00:00Z")], {"D-PEWC": "2025-06-02T16:00:00Z"},
                set(), pewc=True),
    DncScenario("A state list with an EBR on file: possible (state exemptions vary)", "D-ST-EBR", "(512) 555-0157",
                [("state:TX", "2024-01-10T00:00:00Z")], {"D-ST-EBR": "2025-06-02T16:00:00Z"},
                {("D-ST-EBR", "DNC-ST-1", "possible")}, conversions=[("purchase", "2025-05-01T16:00:00Z")]),
    DncScenario("CH-04 two marketing texts in 12 months to a registered wireless number", "D-CH04", "(212) 555-0159",
                [("national", "2024-01-10T00:00:00Z")],
                {"D-CH04-1": "2025-06-02T16:00:00Z", "D-CH04-2": "2025-09-02T16:00:00Z"},
                {("D-CH04-1", "DNC-FED-1", "definite"), ("D-CH04-2", "DNC-FED-1", "definite")}, channel="sms"),
    DncScenario("SEV-04 prerecorded marketing calls to a registered number without PEWC, twice in 12 months",
                "D-SEV04", "(212) 555-0161", [("national", "2024-01-10T00:00:00Z")],
                {"D-SEV04-1": "2025-06-02T16:00:00Z", "D-SEV04-2": "2025-09-02T16:00:00Z"},
                {("D-SEV04-1", "DNC-FED-1", "definite"), ("D-SEV04-2", "DNC-FED-1", "definite")},
                technology="prerecorded"),
    DncScenario("A litigator list: a risk flag, never definite", "D-LIT", "(212) 555-0158",
                [("litigator", "2024-01-10T00:00:00Z")], {"D-LIT": "2025-06-02T16:00:00Z"},
                {("D-LIT", "DNC-LIT-1", "possible")}),
]


def dnc_records(scenario: DncScenario) -> dict[str, list[dict]]:
    """The records (JSON Lines) of a DNC scenario, by entity."""
    lead_id = scenario.lead_id
    texas = scenario.phone.startswith("(512)")
    return {
        "leads": [{"lead_id": lead_id, "phone": scenario.phone, "address_state": "TX" if texas else "NY",
                   "address_zip": "78701" if texas else "10001", "created_at": "2023-06-01T00:00:00Z"}],
        "contact_attempts": [
            {"attempt_id": attempt_id, "lead_id": lead_id, "channel": scenario.channel,
             "technology": scenario.technology, "purpose": "telemarketing", "attempted_at": when,
             "outcome": "no_answer"}
            for attempt_id, when in scenario.attempts.items()
        ],
        "dnc_entries": [{"list": name, "phone": scenario.phone, "registered_at": registered_at}
                        for name, registered_at in scenario.lists],
        "conversions": [{"conversion_id": f"CV-{lead_id}-{n}", "lead_id": lead_id, "kind": kind, "occurred_at": when,
                         "revenue": "100.00"} for n, (kind, when) in enumerate(scenario.conversions)],
        "consents": [{"consent_id": f"CN-{lead_id}", "lead_id": lead_id, "kind": "pewc", "channels": "all",
                      "seller": "Acme Solar", "captured_at": "2023-06-01T00:00:00Z", "method": "web_form",
                      "disclosure_shown": "true"}] if scenario.pewc else [],
    }


@dataclass
class ConsentScenario:
    """A consent worked example (CN-*, EDGE-16): a New York lead with consents
    ``(kind, channels, captured_at, disclosure_shown, revoked_at)`` and
    attempts ``attempt_id -> (attempted_at, channel, technology, purpose)``;
    ``expected`` are the (attempt_id, certainty) rows of CON-FED-1."""

    example: str
    lead_id: str
    consents: list[tuple[str, str, str, str, str]]
    attempts: dict[str, tuple[str, str, str, str]]
    expected: set[tuple[str, str]]


CONSENT_SCENARIOS = [
    ConsentScenario("CN-01 autodialed marketing text, only prior express consent on file", "C-01",
                    [("pec", "sms", "2025-01-02T00:00:00Z", "false", "")],
                    {"C-01": ("2025-06-02T16:00:00Z", "sms", "atds", "telemarketing")}, {("C-01", "definite")}),
    ConsentScenario("CN-02 prerecorded appointment reminder (informational) with prior express consent", "C-02",
                    [("pec", "call", "2025-01-02T00:00:00Z", "false", "")],
                    {"C-02": ("2025-06-02T16:00:00Z", "call", "prerecorded", "informational")}, set()),
    ConsentScenario("CN-03 PEWC without the not-a-condition-of-purchase disclosure", "C-03",
                    [("pewc", "all", "2025-01-02T00:00:00Z", "false", "")],
                    {"C-03": ("2025-06-02T16:00:00Z", "call", "ai_voice", "telemarketing"),
                     "C-03-INFO": ("2025-06-03T16:00:00Z", "call", "prerecorded", "informational")},
                    {("C-03", "definite")}),
    ConsentScenario("Valid PEWC: clear; ringless voicemail needs it too (CH-06)", "C-PEWC",
                    [("pewc", "call rvm", "2025-01-02T00:00:00Z", "true", "")],
                    {"C-PEWC": ("2025-06-02T16:00:00Z", "rvm", "prerecorded", "telemarketing"),
                     "C-PEWC-SMS": ("2025-06-02T16:05:00Z", "sms", "atds", "telemarketing")},  # not for sms
                    {("C-PEWC-SMS", "definite")}),
    ConsentScenario("EDGE-16 consent captured 1 s after the attempt (skew tolerance 2 s), and 10 s after", "C-SKEW",
                    [("pewc", "sms", "2025-06-02T16:00:01Z", "true", "")],
                    {"C-SKEW-1S": ("2025-06-02T16:00:00Z", "sms", "atds", "telemarketing"),
                     "C-SKEW-10S": ("2025-06-02T15:59:51Z", "sms", "atds", "telemarketing")},
                    {("C-SKEW-1S", "possible"), ("C-SKEW-10S", "definite")}),
    ConsentScenario("Consent revoked before the attempt", "C-REV",
                    [("pewc", "all", "2025-01-02T00:00:00Z", "true", "2025-06-01T00:00:00Z")],
                    {"C-REV": ("2025-06-02T16:00:00Z", "sms", "atds", "telemarketing")}, {("C-REV", "definite")}),
    # 47 U.S.C. 227(b)(1)(A), 64.1200(a)(1)-(2): consent is needed for autodialed or artificial/prerecorded-voice
    # calls and texts, and for every ringless voicemail (a prerecorded-voice call, FCC 22-85); a manual text
    # needs none; a text of unknown technology is possible (catalog parameter unknown_technology_texts).
    ConsentScenario("CH-06 without any consent: manual text clear, manual-tagged RVM definite, unknown text possible",
                    "C-CH06", [],
                    {"C-CH06-SMS": ("2025-06-02T16:00:00Z", "sms", "manual", "telemarketing"),
                     "C-CH06-SMS-INFO": ("2025-06-02T16:10:00Z", "sms", "manual", "informational"),
                     "C-CH06-RVM": ("2025-06-02T16:20:00Z", "rvm", "manual", "telemarketing"),
                     "C-CH06-UNKNOWN": ("2025-06-03T16:00:00Z", "sms", "", "telemarketing"),
                     "C-CH06-ATDS": ("2025-06-03T16:10:00Z", "sms", "atds", "informational"),
                     "C-CH06-2130": ("2025-06-04T01:30:00Z", "sms", "manual", "telemarketing")},  # 21:30 EDT
                    {("C-CH06-RVM", "definite"), ("C-CH06-UNKNOWN", "possible"), ("C-CH06-ATDS", "definite")}),
    # FCC 24-24, 64.1200(a)(10): a revocation for texts covers calls unless the consumer limits it; a consent's
    # revoked_at gives no scope. Consent captured after the revocation is new consent.
    ConsentScenario("Revocation: the text consent revoked 06-01 ends the call consent too; a consent of 06-10 counts",
                    "C-REV-ALL",
                    [("pec", "sms", "2025-01-02T00:00:00Z", "false", "2025-06-01T00:00:00Z"),
                     ("pec", "call", "2025-01-02T00:00:00Z", "false", ""),
                     ("pec", "call", "2025-06-10T00:00:00Z", "false", "")],
                    {"C-REV-ALL-BEFORE": ("2025-05-30T16:00:00Z", "call", "prerecorded", "informational"),
                     "C-REV-ALL-CALL": ("2025-06-02T16:00:00Z", "call", "prerecorded", "informational"),
                     "C-REV-ALL-NEW": ("2025-06-11T16:00:00Z", "call", "prerecorded", "informational")},
                    {("C-REV-ALL-CALL", "definite")}),
]


def consent_records(scenario: ConsentScenario) -> dict[str, list[dict]]:
    """The records (JSON Lines) of a consent scenario, by entity."""
    lead_id = scenario.lead_id
    return {
        "leads": [{"lead_id": lead_id, "phone": "(212) 555-0160", "address_state": "NY", "address_zip": "10001",
                   "created_at": "2025-01-01T00:00:00Z"}],
        "consents": [{"consent_id": f"CN-{lead_id}-{n}", "lead_id": lead_id, "kind": kind,
                      "channels": channels.replace(" ", ","), "seller": "Acme Solar", "captured_at": captured_at,
                      "method": "web_form", "disclosure_shown": disclosure, "revoked_at": revoked_at}
                     for n, (kind, channels, captured_at, disclosure, revoked_at) in enumerate(scenario.consents)],
        "contact_attempts": [
            {"attempt_id": attempt_id, "lead_id": lead_id, "channel": channel, "purpose": purpose,
             "attempted_at": when, "outcome": "delivered", **({"technology": technology} if technology else {})}
            for attempt_id, (when, channel, technology, purpose) in scenario.attempts.items()
        ],
    }


@dataclass
class RegFScenario:
    """A Regulation F worked example (RF-*): one person (lead in America/Chicago) and their
    calls, each ``(attempt_id, local CDT time 'MM-DD HH:MM', outcome, debt,
    channel, to_phone)``; ``expected`` are the (attempt_id, rule_id) rows."""

    example: str
    lead_id: str
    calls: list[tuple[str, str, str, str, str, str]]
    expected: set[tuple[str, str]]
    possible: set[tuple[str, str]] = field(default_factory=set)  # expected rows that are `possible`


def regf_calls(prefix: str, days: list[str], outcome: str = "no_answer", debt: str = "D1",
               channel: str = "call", to_phone: str = "") -> list[tuple[str, str, str, str, str, str]]:
    """Calls at 10:00, 11:00, 12:00 ... on the listed days (a day listed twice gets two calls)."""
    calls, per_day = [], {}
    for day in days:
        per_day[day] = per_day.get(day, 0) + 1
        calls.append((f"{prefix}-{len(calls) + 1}", f"{day} {9 + per_day[day]:02d}:00", outcome, debt, channel,
                      to_phone))
    return calls


FIRST_SEVEN = ["06-02", "06-02", "06-02", "06-03", "06-03", "06-05", "06-05"]
REG_F_SCENARIOS = [
    RegFScenario("RF-01", "Z-RF01", regf_calls("RF01", FIRST_SEVEN + ["06-08"]), {("RF01-8", "RF-FREQ-1")}),
    RegFScenario("RF-02", "Z-RF02", regf_calls("RF02", FIRST_SEVEN + ["06-09"]), set()),
    RegFScenario(
        "RF-03", "Z-RF03",
        [("RF03-V", "06-04 14:00", "conversation", "D1", "call", ""),
         ("RF03-A", "06-04 16:00", "no_answer", "D1", "call", ""),
         ("RF03-B", "06-10 10:00", "no_answer", "D1", "call", ""),
         ("RF03-C", "06-11 10:00", "no_answer", "D1", "call", "")],
        {("RF03-A", "RF-FREQ-2"), ("RF03-B", "RF-FREQ-2")},
    ),
    # A ringless voicemail cannot hold a conversation: one recorded as such is a data-quality warning, and
    # the calls after it are possible (RF-FREQ-2 parameter rvm_conversation).
    RegFScenario(
        "RF-03 after a ringless voicemail recorded as a conversation: possible", "Z-RF03RVM",
        [("RF03RVM-V", "06-04 14:00", "conversation", "D1", "rvm", ""),
         ("RF03RVM-A", "06-04 16:00", "no_answer", "D1", "call", ""),
         ("RF03RVM-B", "06-10 10:00", "no_answer", "D1", "call", ""),
         ("RF03RVM-C", "06-11 10:00", "no_answer", "D1", "call", "")],
        {("RF03RVM-A", "RF-FREQ-2"), ("RF03RVM-B", "RF-FREQ-2")},
        possible={("RF03RVM-A", "RF-FREQ-2"), ("RF03RVM-B", "RF-FREQ-2")},
    ),
    RegFScenario(
        "RF-03 a real conversation beside an RVM recorded as one: definite", "Z-RF03BOTH",
        [("RF03BOTH-V", "06-04 14:00", "conversation", "D1", "call", ""),
         ("RF03BOTH-R", "06-05 14:00", "conversation", "D1", "rvm", ""),
         ("RF03BOTH-B", "06-10 10:00", "no_answer", "D1", "call", ""),
         ("RF03BOTH-C", "06-11 10:00", "no_answer", "D1", "call", "")],
        {("RF03BOTH-R", "RF-FREQ-2"), ("RF03BOTH-B", "RF-FREQ-2"), ("RF03BOTH-C", "RF-FREQ-2")},
        possible={("RF03BOTH-C", "RF-FREQ-2")},
    ),
    RegFScenario(
        "RF-04", "Z-RF04",
        regf_calls("RF04M", ["06-02", "06-02", "06-03", "06-03"])
        + regf_calls("RF04L", ["06-04", "06-04", "06-05", "06-05"], to_phone="(312) 555-0199"),
        {("RF04L-4", "RF-FREQ-1")},
    ),
    RegFScenario(
        "RF-05", "Z-RF05",
        regf_calls("RF05A", [f"06-0{d}" for d in range(2, 9)])
        + [(f"RF05B-{d}", f"06-0{d} 14:00", "no_answer", "D2", "call", "") for d in range(2, 9)],
        set(),
    ),
    RegFScenario(
        "RF-06", "Z-RF06",
        regf_calls("RF06C", [f"06-0{d}" for d in range(2, 9)])
        + [(f"RF06S-{n}", f"06-0{2 + n % 7} 15:{n:02d}", "delivered", "D1", "sms", "") for n in range(10)],
        set(),
    ),
    RegFScenario(
        "RF-07 (busy / network_fail excluded)", "Z-RF07A",
        regf_calls("RF07A", ["06-02", "06-02", "06-02", "06-03", "06-03", "06-03"])
        + [("RF07A-7", "06-04 10:00", "busy", "D1", "call", ""),
           ("RF07A-8", "06-04 11:00", "network_fail", "D1", "call", "")],
        set(),
    ),
    RegFScenario(
        "RF-07 (voicemail / no_answer counted)", "Z-RF07B",
        regf_calls("RF07B", ["06-02", "06-02", "06-02", "06-03", "06-03", "06-03"])
        + [("RF07B-7", "06-04 10:00", "voicemail", "D1", "call", ""),
           ("RF07B-8", "06-04 11:00", "no_answer", "D1", "call", "")],
        {("RF07B-8", "RF-FREQ-1")},
    ),
    RegFScenario(
        "SEV-05 (12 calls in 7 days on one debt: rows 8 to 12, one $1,000 FDCPA cap)", "Z-SEV05",
        regf_calls("SEV05", [f"06-0{d}" for d in range(2, 8) for _ in range(2)]),
        {(f"SEV05-{n}", "RF-FREQ-1") for n in range(8, 13)},
    ),
]


def regf_records(scenario: RegFScenario) -> tuple[dict, list[dict]]:
    """The lead and attempt records (JSON Lines) of a Reg F scenario."""
    lead = {"lead_id": scenario.lead_id, "phone": "(312) 555-0170", "address_state": "IL", "address_zip": "60601",
            "timezone": "America/Chicago", "created_at": "2025-01-01T00:00:00Z"}
    attempts = [
        {"attempt_id": attempt_id, "lead_id": scenario.lead_id, "channel": channel, "technology": "manual",
         "purpose": "debt_collection", "attempted_at": f"2025-{when.replace(' ', 'T')}:00-05:00", "outcome": outcome,
         "debt_id": f"{scenario.lead_id}-{debt}", **({"to_phone": to_phone} if to_phone else {})}
        for attempt_id, when, outcome, debt, channel, to_phone in scenario.calls
    ]
    return lead, attempts


# docs/rules.md#exposure-estimate: (example, lead id, phone, call times UTC, expected (min, max) per dnc_match row)
EXPOSURE_SCENARIOS = [
    ("SEV-02", "E-SEV02", "(212) 555-0180", ["2025-03-03T15:00:00Z", "2025-09-03T15:00:00Z"], (500, 1500)),
    ("SEV-03", "E-SEV03", "(212) 555-0181", ["2025-03-03T15:00:00Z"], (0, 0)),
]


def exposure_records(example, lead_id, phone, times) -> tuple[dict, list[dict], dict]:
    """Lead, manual telemarketing calls and a national DNC entry for an exposure example."""
    lead = {"lead_id": lead_id, "phone": phone, "address_state": "NY", "address_zip": "10001",
            "created_at": "2025-01-01T00:00:00Z"}
    calls = [{"attempt_id": f"{lead_id}-{n}", "lead_id": lead_id, "channel": "call", "technology": "manual",
              "purpose": "telemarketing", "attempted_at": when, "outcome": "no_answer"}
             for n, when in enumerate(times, start=1)]
    listed = {"list": "national", "phone": phone, "registered_at": "2024-01-01T00:00:00Z"}
    return lead, calls, listed


# --- Implausible timestamps ---------------------------
# Rows of a valid lead (Z-850) with a timestamp outside the plausible range
# (docs/data-contract.md, "Plausible range"): quarantined as
# timestamp_out_of_range. They join BROKEN_LINES, so the JSON Lines
# quarantine test counts them with the others. 9999-12-31T23:59:59-12:00 is
# 10000-01-01T11:59:59Z: PostgreSQL stores it, Python cannot hold it. The
# conversion is only 30 days ahead of the load: the bound follows the load.
IMPLAUSIBLE_TIMESTAMP_LINES = [
    ("contact_attempts", json.dumps({"attempt_id": "Z-TS-FUTURE", "lead_id": "Z-850", "channel": "call",
                                     "purpose": "telemarketing", "attempted_at": "9999-12-31T23:59:59-12:00"}),
     "timestamp_out_of_range"),
    ("consents", json.dumps({"consent_id": "Z-TS-CONSENT", "lead_id": "Z-850", "kind": "pewc", "channels": "all",
                             "captured_at": "2999-01-01T00:00:00Z"}), "timestamp_out_of_range"),
    ("opt_outs", json.dumps({"opt_out_id": "Z-TS-OPT-OUT", "lead_id": "Z-850", "channel_scope": "all",
                             "requested_at": "9999-12-31T23:59:59-12:00"}), "timestamp_out_of_range"),
    ("conversions", json.dumps({"conversion_id": "Z-TS-SOON", "lead_id": "Z-850", "kind": "purchase",
                                "occurred_at": (datetime.now(timezone.utc) + timedelta(days=30)).isoformat()}),
     "timestamp_out_of_range"),
]
BROKEN_LINES += IMPLAUSIBLE_TIMESTAMP_LINES
