"""The OParl replay server (tests/oparl_replay.py) against the recorded Hürtgenwald crawl in ../shared/oparl-samples."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from .conftest import ROOT
from .oparl_replay import Replay, split_modified_since, with_parameter

SAMPLES = ROOT.parent / "shared" / "oparl-samples" / "huertgenwald"
BASE = "https://sdnetrim.kdvz-frechen.de/rim4220/webservice/oparl/v1.0/"
PAGE_14 = "body/1/paper?page=14"  # page 1 has 25 papers all modified 2009-12-17T15:55:45+01:00; page 14 has a mix


def page_14(server: Replay, client: httpx.Client, since: str) -> dict[str, Any]:
    """Page 14 of the papers with modified_since=since (httpx's params= would replace the URL's query)."""
    response = client.get(server.url + "body/1/paper", params={"page": "14", "modified_since": since})
    assert response.status_code == 200
    result: dict[str, Any] = response.json()
    return result


@pytest.fixture
def server() -> Iterator[Replay]:
    with Replay(SAMPLES, base=BASE) as replay:
        yield replay


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as http:
        yield http


def ids(page: dict[str, Any]) -> list[str]:
    return [item["id"].rsplit("/", 1)[-1] for item in page["data"]]


def test_system_is_served_with_the_replay_base(server: Replay, client: httpx.Client) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    assert server.url.endswith("/oparl/v1.0/")
    response = client.get(server.url + "system")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert BASE not in response.text
    system = response.json()
    assert system["id"] == server.url + "system"
    assert system["body"] == server.url + "body"
    assert system["name"] == "SD.NET RIM"
    body = client.get(system["body"]).json()
    assert body["data"][0]["name"] == "Gemeinde Hürtgenwald"
    assert body["data"][0]["paper"] == server.url + "body/1/paper"
    assert server.requests == ["system", "body"]


def test_links_next_leads_back_to_the_replay_server(server: Replay, client: httpx.Client) -> None:
    first = client.get(server.url + "body/1/paper").json()
    assert first["links"]["next"] == server.url + "body/1/paper?page=2"
    assert ids(first)[:2] == ["60", "782"]
    second = client.get(first["links"]["next"])
    assert second.status_code == 200
    page = second.json()
    assert page["pagination"]["currentPage"] == 2
    assert page["links"]["next"] == server.url + "body/1/paper?page=3"
    assert len(page["data"]) == 25
    assert all(item["id"].startswith(server.url + "body/1/paper/") for item in page["data"])
    last = client.get(server.url + "body/1/meeting?page=15").json()
    assert "next" not in last["links"]
    assert len(last["data"]) == 17


def test_modified_since_filters_a_list_page(server: Replay, client: httpx.Client) -> None:
    # page 14: 11 papers modified 2009-12-17T15:55:45+01:00, 7 at 2010-01-28T10:35:39+01:00, 1 at 18:32:55,
    # 5 at 2010-02-09T18:53:12+01:00, 1 (paper 1257) at 2011-01-19T19:00:09+01:00
    assert len(client.get(server.url + PAGE_14).json()["data"]) == 25
    page = page_14(server, client, "2010-01-01T00:00:00+01:00")
    assert len(page["data"]) == 14
    assert ids(page)[0] == "1245"
    assert page["pagination"]["totalElements"] == 2115  # the unfiltered counts (the documented simplification)
    # compared as aware datetimes: 09:35:39Z is 10:35:39+01:00 (kept: not older); one second later drops those 7
    same = page_14(server, client, "2010-01-28T09:35:39Z")
    assert len(same["data"]) == 14
    later = page_14(server, client, "2010-01-28T09:35:40Z")
    assert ids(later) == ["1261", "1249", "1253", "1254", "1255", "1256", "1257"]
    assert ids(client.get(server.url + f"{PAGE_14}&modified_since=2011-01-01T00:00:00%2B01:00").json()) == ["1257"]
    assert ids(client.get(server.url + "body/1/paper?modified_since=2030-01-01T00%3A00Z&page=14").json()) == []


def test_modified_since_is_carried_along_in_links_next(server: Replay, client: httpx.Client) -> None:
    since = "2010-01-01T00:00:00+01:00"
    first = client.get(server.url + "body/1/paper", params={"modified_since": since}).json()
    assert first["data"] == []  # all 25 papers of page 1 were modified 2009-12-17
    nxt = first["links"]["next"]
    assert nxt == server.url + "body/1/paper?page=2&modified_since=2010-01-01T00%3A00%3A00%2B01%3A00"
    assert first["links"]["self"] == server.url + "body/1/paper?page=1&modified_since=2010-01-01T00%3A00%3A00%2B01%3A00"
    second = client.get(nxt).json()
    assert second["data"] == []
    assert second["links"]["next"] == with_parameter(server.url + "body/1/paper?page=3", since)
    assert server.requests[-1] == "body/1/paper?page=2&modified_since=2010-01-01T00%3A00%3A00%2B01%3A00"


def test_modified_since_keeps_objects_without_modified(server: Replay, client: httpx.Client) -> None:
    server.overrides["body/1/paper?page=99"] = {
        "data": [{"id": BASE + "body/1/paper/1"}, {"id": BASE + "body/1/paper/2", "modified": "2009-01-01T00:00:00Z"}],
        "links": {},
    }
    page = client.get(server.url + "body/1/paper?page=99&modified_since=2010-01-01T00:00:00Z").json()
    assert page["data"] == [{"id": server.url + "body/1/paper/1"}]


def test_bad_modified_since_is_400(server: Replay, client: httpx.Client) -> None:
    unencoded = client.get(server.url + "body/1/paper?modified_since=2010-01-01T00:00:00+01:00")  # '+' is a space
    assert unencoded.status_code == 400
    assert "%2B" in unencoded.json()["error"]
    assert client.get(server.url + "body/1/paper", params={"modified_since": "2010-01-01"}).status_code == 400


def test_fail_then_recover_with_retry_after(server: Replay, client: httpx.Client) -> None:
    server.fail("body/1/paper", times=2)
    server.fail("body/1/meeting", times=1, status=503, retry_after=2)
    server.fail("body/1/person", times=1, status=429, retry_after=0.25)
    statuses = [client.get(server.url + "body/1/paper?page=3").status_code for _ in range(3)]
    assert statuses == [500, 500, 200]
    assert client.get(server.url + "body").status_code == 200  # other paths are untouched
    busy = client.get(server.url + "body/1/meeting")
    assert busy.status_code == 503
    assert busy.headers["retry-after"] == "2"
    assert busy.headers["content-type"] == "application/json; charset=utf-8"
    assert client.get(server.url + "body/1/meeting").status_code == 200
    limited = client.get(server.url + "body/1/person")
    assert (limited.status_code, limited.headers["retry-after"]) == (429, "0.25")
    first = client.get(server.url + "body/1/paper?page=3")
    assert first.status_code == 200
    assert "retry-after" not in first.headers


def test_fail_counts_exactly_under_concurrent_requests(server: Replay) -> None:
    server.fail("body/1/paper?page=", times=3, status=502)
    with httpx.Client(timeout=5) as http, ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda n: http.get(f"{server.url}body/1/paper?page={n}").status_code, range(2, 18)))
    assert sorted(statuses) == [200] * 13 + [502] * 3
    assert sorted(server.requests) == sorted(f"body/1/paper?page={n}" for n in range(2, 18))


def test_overrides_replace_a_response(server: Replay, client: httpx.Client) -> None:
    original = client.get(server.url + "body").json()
    changed = dict(original["data"][0], name="Gemeinde Hürtgenwald (geändert)")
    server.overrides["body"] = {**original, "data": [changed]}
    served = client.get(server.url + "body").json()
    assert served["data"][0]["name"] == "Gemeinde Hürtgenwald (geändert)"
    assert served["data"][0]["paper"] == server.url + "body/1/paper"
    server.overrides["system"] = {"id": BASE + "system", "body": BASE + "body"}
    assert client.get(server.url + "system").json() == {"id": server.url + "system", "body": server.url + "body"}
    del server.overrides["system"]
    assert client.get(server.url + "system").json()["name"] == "SD.NET RIM"


def test_unknown_paths_are_404(server: Replay, client: httpx.Client) -> None:
    for path in ["body/1/paper/60", "body/1/paper?page=1", "body/1/paper?page=86", "body/1/paper?page=2&x=1", ""]:
        response = client.get(server.url + path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/json; charset=utf-8"
        assert response.json()["error"] == "no such recorded response"
    outside = client.get(server.url.removesuffix("oparl/v1.0/") + "system")
    assert outside.status_code == 404
    assert outside.json()["path"] == "/system"


def test_no_file_outside_the_folder_is_served(tmp_path: Path) -> None:
    (tmp_path / "secret.json").write_text('{"secret": true}', encoding="utf-8")
    (tmp_path / "crawl").mkdir()
    (tmp_path / "crawl" / "system.json").write_text('{"id": "https://example.org/oparl/system"}', encoding="utf-8")
    with Replay(tmp_path / "crawl", base="https://example.org/oparl/") as replay:
        connection = http.client.HTTPConnection("127.0.0.1", urlsplit(replay.url).port, timeout=5)
        try:
            for path, status in [("system", 200), ("../secret", 404), ("../crawl/system", 200)]:
                connection.request("GET", "/oparl/v1.0/" + path)  # raw: httpx would normalise the dots away
                response = connection.getresponse()
                body = json.loads(response.read())  # HTTP/1.0: the server closes; the next request reconnects
                assert response.status == status, path
                assert "secret" not in body
        finally:
            connection.close()
        assert replay.requests == ["system", "../secret", "../crawl/system"]
        assert httpx.get(replay.url + "system").json() == {"id": replay.url + "system"}


def test_delay_and_request_log(server: Replay, client: httpx.Client) -> None:
    server.delay = 0.2
    start = time.monotonic()
    assert client.get(server.url + "system").status_code == 200
    assert time.monotonic() - start >= 0.2
    server.delay = 0.0
    client.get(server.url + "body/1/paper?page=2")
    assert server.requests == ["system", "body/1/paper?page=2"]


def test_split_modified_since() -> None:
    assert split_modified_since("body/1/paper") == ("body/1/paper", None)
    assert split_modified_since("body/1/paper?page=2") == ("body/1/paper?page=2", None)
    assert split_modified_since("body/1/paper?modified_since=2020-01-01T00%3A00%2B01%3A00&page=2") == (
        "body/1/paper?page=2",
        "2020-01-01T00:00+01:00",
    )


def test_url_only_while_running() -> None:
    replay = Replay(SAMPLES, base=BASE)
    with pytest.raises(RuntimeError):
        _ = replay.url
    with replay:
        url = replay.url
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "system", timeout=2)
