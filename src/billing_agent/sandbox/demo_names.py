"""Word lists and places the demo seed draws realistic customers from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """Where a demo customer is: country, state, city, zip code, time zone, billing currency."""

    country: str
    state: str | None
    city: str
    zipcode: str
    timezone: str
    currency: str


PLACES: dict[str, tuple[Place, ...]] = {
    "US": (
        Place("US", "CA", "San Francisco", "94107", "America/Los_Angeles", "USD"),
        Place("US", "CA", "Los Angeles", "90012", "America/Los_Angeles", "USD"),
        Place("US", "NY", "New York", "10001", "America/New_York", "USD"),
        Place("US", "TX", "Austin", "78701", "America/Chicago", "USD"),
        Place("US", "WA", "Seattle", "98101", "America/Los_Angeles", "USD"),
        Place("US", "MA", "Boston", "02108", "America/New_York", "USD"),
        Place("US", "IL", "Chicago", "60601", "America/Chicago", "USD"),
        Place("US", "CO", "Denver", "80202", "America/Denver", "USD"),
    ),
    "GB": (
        Place("GB", None, "London", "EC1A 1BB", "Europe/London", "USD"),
        Place("GB", None, "Manchester", "M1 1AE", "Europe/London", "USD"),
    ),
    "FR": (
        Place("FR", None, "Paris", "75002", "Europe/Paris", "EUR"),
        Place("FR", None, "Lyon", "69002", "Europe/Paris", "EUR"),
    ),
    "DE": (
        Place("DE", None, "Berlin", "10115", "Europe/Berlin", "EUR"),
        Place("DE", None, "Munich", "80331", "Europe/Berlin", "EUR"),
    ),
    "ES": (Place("ES", None, "Madrid", "28013", "Europe/Madrid", "EUR"),),
    "NL": (Place("NL", None, "Amsterdam", "1012 JS", "Europe/Amsterdam", "EUR"),),
    "CA": (
        Place("CA", "ON", "Toronto", "M5H 2N2", "America/New_York", "USD"),
        Place("CA", "BC", "Vancouver", "V6B 1A1", "America/Los_Angeles", "USD"),
    ),
    "AU": (Place("AU", "NSW", "Sydney", "2000", "Australia/Sydney", "USD"),),
    "BR": (Place("BR", "SP", "Sao Paulo", "01310-100", "America/Sao_Paulo", "USD"),),
    "IN": (Place("IN", "KA", "Bengaluru", "560001", "Asia/Kolkata", "USD"),),
    "JP": (Place("JP", None, "Tokyo", "100-0001", "Asia/Tokyo", "USD"),),
}

COUNTRY_CYCLE = (
    "US", "GB", "US", "FR", "DE", "US", "CA", "US", "ES", "NL",
    "US", "GB", "FR", "US", "DE", "AU", "US", "BR", "IN", "JP",
)  # fmt: skip
"""Countries handed out in turn: 7 in 20 customers (35 %) are in the US, whatever the total."""

COMPANY_FIRST = (
    "Blue", "Bright", "Cedar", "Cobalt", "Crimson", "Delta", "Echo", "Ember", "Falcon", "Granite",
    "Harbor", "Indigo", "Juniper", "Keystone", "Lumen", "Maple", "Nimbus", "Nova", "Onyx", "Orbit",
    "Pioneer", "Quartz", "Redwood", "Sable", "Summit", "Tidal", "Umber", "Vertex", "Willow", "Zenith",
)  # fmt: skip
COMPANY_SECOND = (
    "Analytics", "Apps", "Bakery", "Cloud", "Commerce", "Data", "Design", "Dynamics", "Foods", "Freight",
    "Health", "Labs", "Logistics", "Media", "Networks", "Robotics", "Security", "Software", "Studios", "Systems",
)  # fmt: skip
COMPANY_SUFFIX = ("Inc", "LLC", "Ltd", "GmbH", "SAS", "Co", "Group", "")
FIRST_NAMES = (
    "Ava", "Ben", "Chloe", "Daniel", "Emma", "Felix", "Grace", "Hugo", "Isla", "Jack",
    "Kai", "Lena", "Mia", "Noah", "Olivia", "Paul", "Quinn", "Rosa", "Sam", "Tara",
)  # fmt: skip
LAST_NAMES = (
    "Anderson", "Bauer", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jensen",
    "Kumar", "Lopez", "Martin", "Nguyen", "Okafor", "Patel", "Rossi", "Silva", "Tanaka", "Walker",
)  # fmt: skip
SEGMENTS = ("smb", "mid-market", "enterprise")
