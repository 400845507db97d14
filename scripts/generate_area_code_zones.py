"""Write dbt/seeds/area_code_zones.csv from the ``phonenumbers`` library's data.

    python scripts/generate_area_code_zones.py [--check]

One row per NANP area code (NPA) that ``phonenumbers`` accepts as valid:
``npa`` (3 digits), ``region`` (ISO 3166 code: US, PR, GU, CA, ...),
``states`` (US/CA state or province codes found in the library's geocoding
data, space-separated: "Miami, FL" gives FL; a full US state name, as the
library writes most area codes, is mapped to its code with the ``holidays``
package's list of US subdivisions) and ``iana_zones`` (every IANA zone the library maps
any number of that area code to, space-separated; empty when the library only
knows "somewhere in NANP", e.g. toll-free codes). The seed is generated, not
edited by hand: ``--check`` exits 1 if the file differs from what the
installed ``phonenumbers`` produces (the test suite runs it).
"""

import re
import sys
from pathlib import Path

import phonenumbers
from generated_file import write_or_check_seed
from holidays.countries.united_states import UnitedStates
from phonenumbers import geocoder, timezone
from phonenumbers.tzdata import TIMEZONE_DATA

SEED = Path(__file__).resolve().parent.parent / "dbt" / "seeds" / "area_code_zones.csv"
STATE_SUFFIX = re.compile(r", ([A-Z]{2})$")
# Full names as the geocoder writes them -> USPS codes. Two of its spellings
# differ from the subdivision names ("Washington State", "Washington D.C.").
STATE_NAMES = {
    **UnitedStates.subdivisions_aliases,
    "Washington State": "WA",
    "Washington D.C.": "DC",
}
LINE = "4567"  # any line number; only the area code and a valid exchange matter here


def zones_for(npa: str, example) -> list[str]:
    """Union of the zones of every time-zone prefix under ``1<npa>``. Where the
    library knows nothing more specific than "somewhere in NANP" (toll-free
    codes, some territories) the list is empty: no zone evidence."""
    prefix = f"1{npa}"
    zones = {zone for key, values in TIMEZONE_DATA.items() if key.startswith(prefix) for zone in values}
    fallback = set(timezone.time_zones_for_number(example)) - {"Etc/Unknown"}
    if not zones and fallback != set(TIMEZONE_DATA["1"]):
        zones = fallback
    return sorted(zones)


def states_for(npa: str) -> list[str]:
    """State or province codes the geocoder names for numbers of ``npa``."""
    states = set()
    for exchange in range(200, 1000, 7):  # a spread of exchanges across the area code
        number = phonenumbers.parse(f"+1{npa}{exchange}4567")
        description = geocoder.description_for_number(number, "en")
        match = STATE_SUFFIX.search(description)
        if match:
            states.add(match.group(1))
        elif description in STATE_NAMES:
            states.add(STATE_NAMES[description])
    return sorted(states)


def valid_example(npa: str):
    """A number of ``npa`` that ``phonenumbers`` calls valid, or None if none is."""
    for exchange in range(200, 1000, 13):
        number = phonenumbers.parse(f"+1{npa}{exchange}{LINE}")
        if phonenumbers.is_valid_number(number):
            return number
    return None


def rows() -> list[list[str]]:
    """The seed's rows, sorted by NPA."""
    result = []
    for npa in (str(n) for n in range(200, 1000)):
        example = valid_example(npa)
        if example is None:
            continue
        result.append([npa, phonenumbers.region_code_for_number(example) or "", " ".join(states_for(npa)),
                       " ".join(zones_for(npa, example))])
    return result


def main() -> int:
    return write_or_check_seed(__doc__, SEED, ["npa", "region", "states", "iana_zones"], rows(),
                               f"phonenumbers {phonenumbers.__version__}", "area codes")


if __name__ == "__main__":
    sys.exit(main())
