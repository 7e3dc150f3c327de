"""No 500 on garbage: every operation of the OpenAPI document, with a valid token, answers
generated nonsense (paths, query strings, bodies, content types) with a status below 500 and,
for errors, the JSON ``{"errors": [{"field", "message"}]}``."""

from __future__ import annotations

import json
import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cnpe_flow.api.openapi import document

OPERATIONS = [
    (method.upper(), path, operation)
    for path, operations in document()["paths"].items()
    for method, operation in operations.items()
]
# Few examples per operation, no shrinking (the failing request is in the message): the two
# backends x 12 operations stay well within a minute.
GARBAGE = settings(
    max_examples=20,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CONTENT_TYPES = (
    "application/json",
    "application/json; charset=latin-1",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "",
)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["2026-11-23", "2026-02-30", "levee_ecrou", "ecrou", "done", "CP Liancourt"])
)


def _names(operation: dict) -> list[str]:
    """Field names this operation reads, so that garbage reaches past the first check."""
    text = json.dumps(document()["components"]["schemas"])
    names = set(re.findall(r'"([a-z_]+)": \{', text)) if "requestBody" in operation else set()
    return sorted(names | {"type", "date", "status", "version", "supersedes", "partner"})


def _json_values(operation: dict) -> st.SearchStrategy:
    keys = st.sampled_from(_names(operation)) | st.text(max_size=10)
    return st.recursive(
        _SCALARS,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=6),
        max_leaves=12,
    )


def _path_values(ids: list[int]) -> st.SearchStrategy:
    return (
        st.sampled_from([str(i) for i in ids])
        | st.integers(min_value=-5, max_value=2**80).map(str)
        | st.text(min_size=1, max_size=20).map(lambda t: quote(t, safe=""))
        | st.sampled_from(["release_summary", "ald_renewal", "0", "%00", "..", "1.5"])
    )


@st.composite
def _requests(draw, path: str, operation: dict, ids: list[int]) -> tuple[str, bytes, str]:
    url = re.sub(r"\{[^}]+\}", lambda _: draw(_path_values(ids)), path)
    query = draw(
        st.dictionaries(
            st.sampled_from(["q", "ecrou", "birth_date", "page"]) | st.text(max_size=5),
            st.text(max_size=20) | st.integers().map(str),
            max_size=3,
        )
    )
    if query:
        url += "?" + urlencode(query)
    body = draw(
        _json_values(operation).map(lambda v: json.dumps(v).encode())
        | st.binary(max_size=40)
        | st.sampled_from([b"", b"{", b'{"a": NaN}', b"[" * 300 + b"]" * 300])
    )
    return url, body, draw(st.sampled_from(CONTENT_TYPES))


@pytest.mark.slow
def test_garbage_never_gets_a_server_error(client, world):
    ids = [world.released.id, world.inside.id, world.fresnes.id, 1, 2, 3]

    def check(method: str, path: str, operation: dict) -> None:
        # The SPIP shares (the admin too, but then every share succeeds the same way).
        headers = world.headers["spip" if "share" in path else "admin"]

        @GARBAGE
        @given(request=_requests(path, operation, ids))
        def garbage(request):
            url, body, content_type = request
            response = client.open(
                url, method=method, data=body, content_type=content_type, headers=headers
            )
            assert response.status_code < 500, (method, url, body, response.get_data())
            if response.status_code >= 400:
                errors = response.get_json()["errors"]
                assert errors and all(e.keys() == {"field", "message"} for e in errors)
            elif response.mimetype != "application/pdf":
                assert response.is_json

        garbage()

    # Every operation gets its own examples (a shared budget could skip one).
    for method, path, operation in OPERATIONS:
        check(method, path, operation)


def test_ids_beyond_the_columns_range_are_not_found_on_every_route(client, world):
    """PostgreSQL ids are 32-bit and SQLite's 64-bit: a larger id must be a 404, not a 500."""
    urls = [
        (method, re.sub(r"\{(id|task_id)\}", str(big), path).replace("{kind}", "release_summary"))
        for method, path, _ in OPERATIONS
        if "{id}" in path
        for big in (2**31, 2**63)
    ]
    got = [
        (method, url, client.open(url, method=method, json={}, headers=world.headers["admin"]))
        for method, url in urls
    ]
    assert [(m, u, r.status_code) for m, u, r in got] == [(m, u, 404) for m, u in urls]


def test_a_slash_encoded_in_a_path_argument_is_not_found_not_redirected(client, world):
    """``%2F`` reaches routing as ``/``: ``letters/%2Frelease_summary.pdf`` must not be
    redirected (308) to ``letters/release_summary.pdf`` as werkzeug does with ``//``."""
    person = f"/api/v1/people/{world.released.id}"
    for url in (f"{person}/letters/%2Frelease_summary.pdf", f"{person}/%2Fevents"):
        response = client.get(url, headers=world.headers["admin"])
        assert response.status_code == 404, (url, response.status_code)
        assert response.get_json()["errors"], url
