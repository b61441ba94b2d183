"""The outlet that published an article: from an agency credit or from a URL's host.

The names come from package data: ``news_agencies.csv`` (an agency credit
such as "KYODO" or "Associated Press" to its outlet) and ``news_hosts.csv``
(hosts whose outlet has another name than the host, "yna.co.kr" -> "Yonhap").
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

import pandas as pd

from analysis import resources

__all__ = ["URL_HOST", "outlet_from_url", "outlet_of", "outlets_of_hosts"]

#: The host of a URL (the scheme may be missing): what an outlet is named after.
URL_HOST = r"(?i)^(?:https?://)?([^/?#]+)"


@lru_cache(maxsize=1)
def _agency_outlets() -> dict[str, str]:
    """Return the outlet name of each news agency credit, keyed lower-case."""
    table = resources.read_csv("news_agencies.csv")
    return dict(zip(table["credit"].str.lower(), table["outlet"], strict=True))


@lru_cache(maxsize=1)
def _host_outlets() -> dict[str, str]:
    """Return the outlet of each host whose outlet is named otherwise, in file order."""
    table = resources.read_csv("news_hosts.csv")
    return dict(zip(table["host"].str.lower(), table["outlet"], strict=True))


def outlet_of(credit: str | None) -> str | None:
    """Return the outlet for an agency credit ("KYODO" -> "Kyodo"), or None.

    Examples
    --------
    >>> outlet_of("KYODO"), outlet_of("Associated  Press"), outlet_of("a reporter")
    ('Kyodo', 'AP', None)
    """
    if not credit:
        return None
    return _agency_outlets().get(" ".join(credit.split()).lower())


def outlet_from_url(url: str | None) -> str | None:
    """Return the outlet a URL's host names ("feeds.reuters.com" -> "Reuters").

    A host listed in ``news_hosts.csv`` (or a subdomain of one) gives its
    outlet; else the first label of the host that is an agency credit; else
    the host itself, without ``www.``.

    Examples
    --------
    >>> outlet_from_url("http://feeds.reuters.com/x"), outlet_from_url("https://www.yna.co.kr/a")
    ('Reuters', 'Yonhap')
    >>> outlet_from_url("https://www.example.org/a")
    'example.org'
    """
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    except ValueError:  # "http://[x" is no URL with a host (an unclosed IPv6 bracket)
        return None
    for suffix, outlet in _host_outlets().items():
        if host == suffix or host.endswith("." + suffix):
            return outlet
    for label in host.split("."):
        outlet = outlet_of(label)
        if outlet:
            return outlet
    return host or None


def outlets_of_hosts(hosts: pd.Series) -> pd.Series:
    """Return the outlet of each host (see :func:`outlet_from_url`), NA where the host is.

    Each distinct host is looked up once, so a table of thousands of records
    from a few sites costs a few look-ups. Hosts come from :data:`URL_HOST`,
    e.g. ``urls.str.extract(URL_HOST, expand=False)``.
    """
    uniques = {host: outlet_from_url("http://" + host) for host in hosts.dropna().unique()}
    return hosts.map(uniques).astype("string")
