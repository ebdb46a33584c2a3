"""Finding coordinates for an address with an optional Nominatim geocoder (off by default).

Kept in one small function so that tests can replace it; tests never reach the network.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5


def geocoder_enabled() -> bool:
    return bool(settings.GEOCODER_URL)


def geocode(address: str) -> tuple[float, float] | None:
    """The (latitude, longitude) of ``address`` from the configured geocoder, or ``None``.

    Any failure (network, timeout, quota, no result) is logged as a warning and gives ``None``:
    a missing position must never stop a coordinator from saving a record.
    """
    url = settings.GEOCODER_URL
    if not url or not address.strip():
        return None
    try:
        from geopy.geocoders import Nominatim

        parts = urlsplit(url)
        geocoder = Nominatim(
            domain=(parts.netloc + parts.path).rstrip("/") or parts.path,
            scheme=parts.scheme or "https",
            user_agent=settings.GEOCODER_USER_AGENT,
            timeout=TIMEOUT_SECONDS,
        )
        location = geocoder.geocode(address, country_codes="de")
    except Exception as error:  # any geocoder failure only costs the position
        logger.warning("Geocoding failed for %r: %s", address, error)
        return None
    if location is None:
        return None
    return float(location.latitude), float(location.longitude)
