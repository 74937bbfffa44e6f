"""Refuse to serve on a network with the published defaults.

``kg serve`` on a loopback address is a laptop: the development defaults are fine there.
Bound anywhere else, the API is reachable by others, so it needs an API key of its own
(``NEWSKG_API_KEY``) and a Neo4j password that is not the one printed in this repository.
"""

from __future__ import annotations

import ipaddress

from kg.core.config import Settings
from kg.core.errors import ConfigurationError


def is_loopback(host: str) -> bool:
    """Whether ``host`` is ``localhost`` or an address in 127.0.0.0/8 or ``::1``."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # another host name may resolve to any interface


def check_exposure(settings: Settings, host: str) -> None:
    """Refuse a non-loopback ``host`` unless the API key and the Neo4j password are set.

    Raises:
        ConfigurationError: ``host`` is not loopback and the Neo4j password is the default
            or no API key is set; the message says what to set.
    """
    if is_loopback(host):
        return
    problems = []
    if settings.uses_default_neo4j_password:
        problems.append("the Neo4j password is the published default (set NEWSKG_NEO4J_PASSWORD)")
    if settings.api_key is None or not settings.api_key.get_secret_value():
        problems.append("no API key is set (set NEWSKG_API_KEY)")
    if problems:
        raise ConfigurationError(
            f"refusing to serve on {host}, which is not a loopback address: "
            + "; ".join(problems)
            + ". Bind to 127.0.0.1 for local use.",
            setting="api_host",
        )
