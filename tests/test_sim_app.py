"""The simulator app over raw HTTP: routing, control endpoints, vendor extras and pushes."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import httpx
import pytest
from smswire.codecs import DeliveryReport, GatewayError, InboundMessage, esms100
from smswire.transports import Client, PushReceiver
from smswire.transports.sim import LoopbackServer, SimServer, Simulator, check_loopback


@pytest.fixture(scope="module")
def server() -> Iterator[SimServer]:
    with SimServer(Simulator(rate_limits=False, push_time_scale=0.001)) as running:
        yield running


@pytest.fixture
def http(server: SimServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, trust_env=False, timeout=10.0) as client:
        yield client


def _md5_upper(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest().upper()


def test_vendor_paths_are_served_under_their_prefix(server: SimServer, http: httpx.Client) -> None:
    account = server.simulator.new_account("esms100", balance=Decimal(77))
    # Built by hand from the document (§6: /qamount/?cpid=…&cppwd=MD5 upper-case).
    target = f"/esms100/qamount/?cpid={account.cpid}&cppwd={_md5_upper('demo-esms100')}"
    answer = http.get(target)
    assert answer.status_code == 200
    assert answer.content == b"77"
    wrong = http.get(f"/esms100/qamount/?cpid={account.cpid}&cppwd={_md5_upper('nope')}")
    assert wrong.content == b"-1"


def test_unknown_prefix_and_unknown_path(http: httpx.Client) -> None:
    assert http.get("/nosuchvendor/x").status_code == 404
    answer = http.get("/esms100/nothere/?cpid=1")
    assert answer.status_code == 400
    assert "esms100" in answer.text


def test_demo_accounts_endpoint_lists_every_vendor(server: SimServer, http: httpx.Client) -> None:
    data = http.get("/_sim/accounts").json()
    assert set(data) == set(server.simulator.profiles)
    # The simulator's credentials are meant to be read, secrets included.
    assert data["esms100"] == {"cpid": "10000", "password": "demo-esms100", "cppwd": None}


def test_inject_endpoint(server: SimServer, http: httpx.Client) -> None:
    account = server.simulator.new_account("esms100")
    body = {
        "vendor": "esms100",
        "account": account.cpid,
        "mobile": "13812345678",
        "content": "在吗",
    }
    assert http.post("/_sim/inject", json=body).json() == {"ok": True}
    target = f"/esms100/mo/?cpid={account.cpid}&cppwd={_md5_upper('demo-esms100')}"
    text = http.get(target).content.decode("gbk")
    head, _, record = text.partition("\n")
    assert head == "1"
    when, mobile, content = record.split("##")
    assert (mobile, content) == ("13812345678", "在吗")
    # esms100 writes reply times without seconds when they are zero (its document's form).
    assert datetime.strptime(when[:16], "%Y-%m-%d %H:%M").year >= 2024
    # Handed out once (§5).
    assert http.get(target).content == b""


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"vendor": "esms100", "mobile": "138"}, "missing fields: content"),
        ({"vendor": "nobody", "mobile": "138", "content": "x"}, "no vendor 'nobody'"),
        ({"vendor": "esms100", "mobile": "abc", "content": "x"}, "not a phone number"),
        ({"vendor": "esms100", "mobile": "138", "content": "ab\n"}, "cannot carry"),
        ({"vendor": "esms100", "account": "999", "mobile": "1", "content": "x"}, "no account"),
        ([1, 2], "JSON object"),
    ],
)
def test_inject_refusals(http: httpx.Client, body: Any, message: str) -> None:
    answer = http.post("/_sim/inject", json=body)
    assert answer.status_code == 400
    assert message in answer.json()["error"]


def test_fault_endpoint(server: SimServer, http: httpx.Client) -> None:
    account = server.simulator.new_account("esms100")
    target = f"/esms100/qamount/?cpid={account.cpid}&cppwd={_md5_upper('demo-esms100')}"
    rules = [
        {"kind": "error", "code": "-17", "vendor": "esms100"},
        {"kind": "malformed", "body": "garbage", "vendor": "esms100"},
        {"kind": "drop", "vendor": "esms100"},
    ]
    assert http.post("/_sim/faults", json=rules).json() == {"ok": True, "active": 3}
    assert http.get(target).content == b"-17"
    assert http.get(target).content == b"garbage"
    with pytest.raises(httpx.RemoteProtocolError):
        http.get(target)
    assert http.get(target).content == b"100000"
    assert http.post("/_sim/faults", json={"kind": "delay", "seconds": 5}).status_code == 200
    assert http.post("/_sim/faults", json={"clear": True}).json() == {"ok": True, "active": 0}
    assert http.post("/_sim/faults", json={"kind": "error"}).status_code == 400
    assert http.get("/_sim/faults").status_code == 405
    assert http.post("/_sim/nothing", json={}).status_code == 404


def test_delay_fault_answers_late(server: SimServer, http: httpx.Client) -> None:
    server.simulator.faults.delay(0.3, vendor="esms100")
    started = time.monotonic()
    http.get(f"/esms100/qamount/?cpid=10000&cppwd={_md5_upper('demo-esms100')}")
    assert time.monotonic() - started >= 0.3


def test_esms100_password_change(server: SimServer) -> None:
    sim = server.simulator
    account = sim.new_account("esms100")
    with Client("esms100", account, server.url("esms100"), rate_limit=False) as client:
        client.call(esms100.ChangePassword("n3wpass"))
    renamed = esms100.Account(account.cpid, password="n3wpass")
    with Client("esms100", renamed, server.url("esms100"), rate_limit=False) as client:
        assert client.balance().amount == 100_000
    assert sim.state("esms100", account.cpid).account == renamed


def test_smscn_send_records_and_sent_count(server: SimServer) -> None:
    from smswire.codecs import smscn

    sim = server.simulator
    account = sim.new_account("smscn")
    mobiles = [f"1380000{i:04d}" for i in range(60)]
    with Client("smscn", account, server.url("smscn"), rate_limit=False) as client:
        client.send(mobiles, "记录")
        client.send(["13999999999"], "x" * 71)
        assert client.call(smscn.QuerySentCount()) == 60 + 2
        first = client.call(smscn.QuerySendRecords(page=1))
        second = client.call(smscn.QuerySendRecords(page=2))
        one = client.call(smscn.QuerySendRecords(mobile="13999999999"))
        none = client.call(smscn.QuerySendRecords(date=date(2001, 1, 1)))
    assert (first.total, first.count, first.pages) == (61, 50, 2)
    assert (second.total, second.count, second.pages) == (61, 11, 2)
    assert [r.mobile for r in first.records + second.records] == [*mobiles, "13999999999"]
    assert [(r.mobile, r.content) for r in one.records] == [("13999999999", "x" * 71)]
    assert none == smscn.SendRecords()


# --------------------------------------------------------------------------- pushes


class _Collector:
    def __init__(self, refuse: int = 0) -> None:
        self.refuse = refuse
        self.items: list[Any] = []

    def add(self, item: Any) -> None:
        if self.refuse:
            self.refuse -= 1
            raise RuntimeError("receiver down")
        self.items.append(item)


def _wait_for(condition: Any, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.02)


PUSHERS = ("smscn", "eims", "emay", "emay-simple")


@pytest.mark.parametrize("vendor", PUSHERS)
def test_reports_and_replies_are_pushed_to_the_customer(server: SimServer, vendor: str) -> None:
    sim = server.simulator
    if vendor not in sim.profiles:
        pytest.fail(f"{vendor} has not landed")
    profile = sim.profiles[vendor]
    account = sim.new_account(vendor)
    collector = _Collector()
    receiver = PushReceiver(
        profile.codec, account, on_report=collector.add, on_inbound=collector.add
    )
    with LoopbackServer(receiver) as hook:
        sim.set_push_url(vendor, hook.base_url + "/hook", profile.credential(account))
        with Client(profile.codec, account, server.url(vendor), rate_limit=False) as client:
            client.send(["13800000001", "13800000002"], "推送")
        sim.inject_reply(vendor, "13800000003", "回复推送", profile.credential(account))
        expected = 2 + ("replies" in profile.pushes)
        _wait_for(lambda: len(collector.items) >= expected)
        sim.set_push_url(vendor, None, profile.credential(account))
    reports = [i for i in collector.items if isinstance(i, DeliveryReport)]
    replies = [i for i in collector.items if isinstance(i, InboundMessage)]
    assert sorted(r.mobile for r in reports) == ["13800000001", "13800000002"]
    if "replies" in profile.pushes:
        assert [(m.mobile, m.content) for m in replies] == [("13800000003", "回复推送")]
    else:
        # Not pushed: the reply waits for a read.
        assert replies == []
        waiting = sim.state(vendor, profile.credential(account)).take_replies()
        assert [(r.mobile, r.content) for r in waiting] == [("13800000003", "回复推送")]


def test_refused_pushes_are_retried_then_abandoned(server: SimServer) -> None:
    sim = server.simulator
    original = sim.profiles["smscn"]
    sim.profiles["smscn"] = attrs.evolve(
        original, traits=attrs.evolve(original.traits, push_retries=(10.0, 60.0))
    )
    try:
        account = sim.new_account("smscn")
        collector = _Collector(refuse=2)
        receiver = PushReceiver(original.codec, account, on_report=collector.add)
        with LoopbackServer(receiver) as hook:
            sim.set_push_url("smscn", hook.base_url, account.uid)
            with Client("smscn", account, server.url("smscn"), rate_limit=False) as client:
                client.send(["13800000001"], "重试")
            mine = lambda: [r for r in sim.pushes.records if r.credential == account.uid]  # noqa: E731
            _wait_for(lambda: len(mine()) == 1)
            record = mine()[0]
            assert (record.attempts, record.acknowledged) == (3, True)
            # Refused on every attempt: three tries, then the gateway gives up.
            collector.refuse = 3
            client2 = Client("smscn", account, server.url("smscn"), rate_limit=False)
            with client2:
                client2.send(["13800000002"], "放弃")
            _wait_for(lambda: len(mine()) == 2)
            sim.set_push_url("smscn", None, account.uid)
        last = mine()[-1]
        assert (last.attempts, last.acknowledged) == (3, False)
        assert [r.mobile for r in collector.items] == ["13800000001"]
    finally:
        sim.profiles["smscn"] = original


@pytest.mark.parametrize(
    "url",
    ["http://10.0.0.1/hook", "https://127.0.0.1/hook", "http://example.com/", "ftp://127.0.0.1/"],
)
def test_pushes_go_to_loopback_only(server: SimServer, url: str) -> None:
    with pytest.raises(ValueError, match=r"loopback|http://"):
        check_loopback(url)
    with pytest.raises(ValueError, match=r"loopback|http://"):
        server.simulator.set_push_url("smscn", url)


def test_vendors_that_do_not_push_refuse_a_push_url(server: SimServer) -> None:
    with pytest.raises(ValueError, match="does not push"):
        server.simulator.set_push_url("esms100", "http://127.0.0.1:9/")


def test_servers_listen_on_loopback_only() -> None:
    with pytest.raises(ValueError, match="loopback"):
        SimServer(host="0.0.0.0")
    for host in ("127.0.0.1", "localhost"):
        assert LoopbackServer(object(), host=host).host == host


# --------------------------------------------------------------------------- Emay extras


def test_emay_templates_short_links_and_retrieve_report(server: SimServer) -> None:
    from smswire.codecs import emay

    sim = server.simulator
    account = sim.new_account("emay")
    url = server.url("emay")
    with Client("emay", account, url, rate_limit=False) as client:
        created = client.call(emay.CreateTemplate("您的验证码是${code}，${minutes}分钟内有效"))
        state = client.call(emay.QueryTemplate(created.template_id))
        assert state.status is emay.TemplateStatus.APPROVED
        sent = client.call(
            emay.SendTemplateVariables(
                created.template_id,
                [emay.TemplateVariables("13800000001", {"code": "1234", "minutes": "5"})],
            )
        )
        assert [r.mobile for r in sent.receipts] == ["13800000001"]
        records = sim.state("emay", account.app_id).sent()
        assert records[-1].content == "您的验证码是1234，5分钟内有效"
        assert client.call(emay.DeleteTemplate(created.template_id)).deleted is True
        gone = client.call(emay.QueryTemplate(created.template_id))
        assert gone.status is emay.TemplateStatus.NOT_FOUND
        with pytest.raises(GatewayError):
            client.call(emay.SendTemplate(created.template_id, [emay.Recipient("13800000002")]))

        client.call(
            emay.SendShortLink(
                f"详情 {emay.PLACEHOLDER}", "https://example.com/a", [emay.Recipient("13800000003")]
            )
        )
        text = sim.state("emay", account.app_id).sent()[-1].content
        code = text.rsplit("/", 1)[1]
        sim.click_short_link("emay", code, account.app_id)
        clicks = list(client.call(emay.FetchShortLinkClicks()))
        assert [(c.mobile, c.long_link) for c in clicks] == [
            ("13800000003", "https://example.com/a")
        ]

        reports = list(client.fetch_reports())
        assert len(reports) == 2
        assert list(client.fetch_reports()) == []
        # retrieveReport hands the window's reports out again (§2.4).
        times = [r.sent_at for r in reports if r.sent_at]
        client.call(emay.RetrieveReport(min(times) - timedelta(minutes=1), max(times)))
        again = list(client.fetch_reports())
    assert sorted(r.message_id or "" for r in again) == sorted(r.message_id or "" for r in reports)


def test_emay_push_retries_follow_the_documents_intervals(server: SimServer) -> None:
    # §2.3.3: retried after 10 s, 1 min and 10 min, then abandoned.
    assert server.simulator.profiles["emay"].push_retries == (10.0, 60.0, 600.0)
    assert server.simulator.profiles["emay-simple"].push_retries == (10.0, 60.0, 600.0)


def test_push_control_endpoint(server: SimServer, http: httpx.Client) -> None:
    account = server.simulator.new_account("smscn")
    body = {"vendor": "smscn", "account": account.uid, "url": "http://127.0.0.1:9/hook"}
    assert http.post("/_sim/push", json=body).json() == {"ok": True}
    assert http.post("/_sim/push", json={**body, "url": None}).json() == {"ok": True}
    refused = http.post("/_sim/push", json={**body, "url": "http://192.0.2.1/hook"})
    assert refused.status_code == 400
    assert "loopback" in refused.json()["error"]


def test_emay_interfaces_are_routed_by_their_declared_paths(
    server: SimServer, http: httpx.Client
) -> None:
    # issue 14 item 2: one prefix, two codecs; the plain interface's path goes to the plain
    # codec because its traits declare it, and a path neither declares is no codec's to guess.
    from smswire.codecs._chinatime import CHINA

    account = server.simulator.new_account("emay-simple", balance=Decimal(42))
    stamp = datetime.now(CHINA).strftime("%Y%m%d%H%M%S")
    # §2.2: sign = MD5(appId + secretKey + timestamp), 32 lower-case hex digits.
    sign = hashlib.md5((account.app_id + account.secret_key + stamp).encode()).hexdigest()
    answer = http.get(
        f"/emay/simpleinter/getBalance?appId={account.app_id}&timestamp={stamp}&sign={sign}"
    )
    assert answer.status_code == 200, answer.text
    assert b"42" in answer.content
    nowhere = http.get("/emay/nothere")
    assert nowhere.status_code == 404
    assert "/nothere" in nowhere.text
