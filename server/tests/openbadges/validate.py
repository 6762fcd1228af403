"""Checks a hosted Open Badges 2.0 assertion with the 1EdTech validator (PyPI `openbadges`), and
that the baked image gives the same assertion back (`openbadges-bakery`).

    validate.py ASSERTION_URL BAKED_IMAGE…

Prints a JSON summary; exits 1 if the validator reports an error or an image does not hold the
assertion (its URL, or its JSON as the URL serves it). Run by server/tests/open_badges.rs with the venv of scripts/setup-openbadges.sh.
"""

import json
import sys
from urllib.parse import urlparse

import requests
from requests.adapters import HTTPAdapter

from openbadges import verify
from openbadges.verifier.openbadges_context import OPENBADGES_CONTEXT_V2_DICT, OPENBADGES_CONTEXT_V2_URI
from openbadges_bakery import unbake

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
real_send = HTTPAdapter.send


def offline_send(adapter, request, **kwargs):
    """The validator fetches the JSON-LD context from the internet, which is closed here: answer
    it from the copy the package ships. Let the local server through; refuse everything else."""
    if request.url.rstrip("/") == OPENBADGES_CONTEXT_V2_URI:
        response = requests.Response()
        response.status_code = 200
        response._content = json.dumps(OPENBADGES_CONTEXT_V2_DICT).encode()
        response.headers["Content-Type"] = "application/ld+json"
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response
    if urlparse(request.url).hostname not in LOCAL_HOSTS:
        raise requests.ConnectionError("offline test: refusing " + request.url)
    return real_send(adapter, request, **kwargs)


HTTPAdapter.send = offline_send


def problems(result):
    """Whether the report is valid without errors, and its messages (errors and warnings)."""
    report = result["report"]
    return report.get("valid") is True and report.get("errorCount") == 0, report.get("messages", [])


def holds_assertion(baked, url):
    """Whether an unbaked value is the assertion: its URL, or the JSON the URL serves."""
    if baked == url:
        return True
    try:
        return json.loads(baked) == requests.get(url).json()
    except ValueError:
        return False


def main(url, baked_paths):
    result = verify(url)
    hosted_ok, hosted_messages = problems(result)
    # What the validator fetched and checked: the assertion, its BadgeClass and the Issuer.
    checked = sorted({node.get("type") for node in result.get("graph", [])} - {None})
    baked = []
    for path in baked_paths:
        with open(path, "rb") as image:
            value = unbake(image)
        # The bakery gives an SVG's `verify` URL as bytes, which validator 1.1.2 cannot take as
        # input on Python 3, so each baked value is compared with the assertion validated above.
        value = value.decode() if isinstance(value, bytes) else value
        entry = {"format": path.rsplit(".", 1)[-1], "matches": holds_assertion(value, url)}
        if not entry["matches"]:
            entry["value"] = value
        baked.append(entry)
    summary = {"hosted_valid": hosted_ok, "hosted_messages": hosted_messages, "checked": checked, "baked": baked}
    print(json.dumps(summary, indent=2))
    return 0 if hosted_ok and all(entry["matches"] for entry in baked) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
