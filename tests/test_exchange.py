"""The exchange base: dispatch by operation type and by method + path, merges, esms100 on it."""

from __future__ import annotations

import ast
import importlib.util
import json
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import attrs
import httpx
import pytest
from smswire.codecs import (
    CHINA,
    Batch,
    DecodeError,
    DeliveryReport,
    DeliveryStatus,
    EncodeError,
    FetchInbound,
    FetchReports,
    GatewayError,
    HttpRequest,
    HttpResponse,
    InboundMessage,
    Operation,
    QueryBalance,
    Receipt,
    SendResult,
    SendSms,
    SmsWireError,
    Stamp,
    changlong,
    eims,
    emay,
    esms100,
    merge_results,
    smscn,
)
from smswire.codecs._exchange import Exchange, ExchangeCodec, Exchanges
from smswire.codecs._models import Mergeable
from smswire.codecs._plan import split_field
from test_transports_core import Driver

STAMP = Stamp(datetime(2024, 5, 1, 9, 30, tzinfo=CHINA))
ESMS100 = Path(esms100.__file__).parent
CHANGLONG = Path(changlong.__file__).parent
EIMS = Path(eims.__file__).parent


# ------------------------------------------------------------------ a vendor of two exchanges


@attrs.frozen
class Toy(Operation[str]):
    word: str


@attrs.frozen
class Other(Operation[str]):
    word: str


def _toy_request(codec: ToyCodec, op: Toy, account: str, stamp: Stamp) -> HttpRequest:
    return HttpRequest("GET", f"/say?who={account}&word={op.word}")


def _toy_answer(codec: ToyCodec, op: Toy, response: HttpResponse, account: str) -> str:
    return response.body.decode()


def _toy_read(
    codec: ToyCodec, request: HttpRequest, lookup: Any, stamp: Stamp | None
) -> tuple[Toy, str]:
    return Toy(request.query.rpartition("=")[2]), "alice"


def _toy_write(codec: ToyCodec, op: Toy, result: str, account: str) -> HttpResponse:
    return HttpResponse(200, (), result.encode())


def _other_read(
    codec: ToyCodec, request: HttpRequest, lookup: Any, stamp: Stamp | None
) -> tuple[Other, str]:
    return Other("other"), "bob"


def _split(codec: ToyCodec, op: Toy) -> tuple[Toy, ...]:
    return tuple(Toy(c) for c in op.word)


def _refuse_loudly(codec: ToyCodec, op: Toy, error: GatewayError, account: str) -> HttpResponse:
    return HttpResponse(400, (), f"toy {error.code}".encode())


TOY = Exchange(
    Toy,
    "/say",
    ("GET",),
    _toy_request,
    _toy_answer,
    _toy_read,
    _toy_write,
    _refuse_loudly,
    _split,
    when=lambda request: "word=" in request.query,
)
OTHER = Exchange(
    Other,
    "/say",
    ("GET", "POST"),
    lambda codec, op, account, stamp: HttpRequest("POST", "/say"),
    lambda codec, op, response, account: "other",
    _other_read,
    lambda codec, op, result, account: HttpResponse(204, (), b""),
    when=lambda request: True,
)

_TOY_FUNCTIONS = (_toy_request, _toy_answer, _toy_read, _toy_write)


@attrs.frozen
class ToyCodec(ExchangeCodec[str]):
    vendor: ClassVar[str] = "toy"
    exchanges: ClassVar[Exchanges[ToyCodec, str]] = Exchanges("toy", (TOY, OTHER))

    def refuse(self, error: GatewayError) -> HttpResponse:
        return HttpResponse(500, (), error.code.encode())


toy = ToyCodec()


def test_client_role_dispatches_on_the_operation_type() -> None:
    assert toy.encode_request(Toy("hi"), "alice", STAMP).target == "/say?who=alice&word=hi"
    assert toy.encode_request(Other("x"), "alice", STAMP).method == "POST"
    assert toy.decode_response(Toy("hi"), HttpResponse(200, (), b"yes"), "alice") == "yes"
    assert toy.operations() == (Toy, Other)


def test_an_operation_without_an_exchange_is_the_documented_encode_error() -> None:
    with pytest.raises(EncodeError, match="toy has no operation QueryBalance"):
        toy.encode_request(QueryBalance(), "alice", STAMP)
    with pytest.raises(EncodeError, match="toy has no operation QueryBalance"):
        toy.decode_response(QueryBalance(), HttpResponse(200, (), b""), "alice")
    with pytest.raises(EncodeError, match="toy has no operation QueryBalance"):
        toy.plan(QueryBalance())


def test_server_role_dispatches_on_method_and_path_then_on_when() -> None:
    assert toy.decode_request(HttpRequest("GET", "/say?word=hi"), lambda _: None) == (
        Toy("hi"),
        "alice",
    )
    # Same path and method, the first exchange's `when` does not hold: the next one's does.
    assert toy.decode_request(HttpRequest("GET", "/say?x=1"), lambda _: None)[0] == Other("other")
    # Only Other takes POST on /say: no predicate is consulted.
    assert toy.decode_request(HttpRequest("POST", "/say"), lambda _: None)[0] == Other("other")


def test_an_unknown_path_or_method_is_the_documented_decode_error() -> None:
    with pytest.raises(DecodeError, match="toy has no endpoint '/nope'"):
        toy.decode_request(HttpRequest("GET", "/nope"), lambda _: None)
    with pytest.raises(DecodeError, match="toy takes GET or POST at '/say', not PUT"):
        toy.decode_request(HttpRequest("PUT", "/say"), lambda _: None)


def test_a_route_shared_without_predicates_is_refused_at_declaration() -> None:
    bare = Exchange(Other, "/say", ("GET",), *(lambda *a: None,) * 4)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="is shared by Toy, Other"):
        Exchanges("toy", (Exchange(Toy, "/say", ("GET",), *(lambda *a: None,) * 4), bare))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="two exchanges for Toy"):
        Exchanges("toy", (TOY, TOY))


def test_answers_and_refusals_go_to_the_exchange_or_the_codec() -> None:
    assert toy.encode_response(Toy("x"), "said", "alice").body == b"said"
    # Toy renders its own refusals; Other has none, so the codec's refusal answers.
    refusal = GatewayError("toy", "E1", "no")
    assert toy.encode_response(Toy("x"), refusal, "alice").body == b"toy E1"
    assert toy.encode_response(Other("x"), refusal, "alice").status == 500
    assert toy.encode_error(HttpRequest("GET", "/say"), refusal).body == b"E1"


def test_plan_uses_the_exchange_split_or_keeps_the_operation_whole() -> None:
    assert toy.plan(Toy("ab")) == (Toy("a"), Toy("b"))
    assert toy.plan(Other("ab")) == (Other("ab"),)


# ------------------------------------------------------------------ merging split results


def test_batches_merge_their_records_and_their_malformed_fragments_in_order() -> None:
    at = datetime(2024, 5, 1, 9, 30, tzinfo=CHINA)
    one = Batch((InboundMessage("1", "a", at),), (b"x",))
    two = Batch((InboundMessage("2", "b", at),), (b"y",))
    merged = Batch.merge([one, two])
    assert [m.mobile for m in merged] == ["1", "2"]
    assert merged.malformed == (b"x", b"y")
    assert merge_results([one, two]) == merged


def test_merge_results_uses_each_result_type_merge() -> None:
    sent = [SendResult((Receipt("1", "a"),), 1, "b1"), SendResult((Receipt("2", "b"),), 0, "b2")]
    assert merge_results(sent) == SendResult((Receipt("1", "a"), Receipt("2", "b")), 1, "b1,b2")
    # Operations without a result (Emay's retrieveReport) merge to None.
    assert merge_results([None, None]) is None
    for kind in (SendResult, Batch, eims.ReportQuery):
        assert isinstance(kind(), Mergeable)


def test_eims_report_queries_merge_counters_and_reports() -> None:
    report = DeliveryReport("10010", DeliveryStatus.DELIVERED, "0")
    parts = [
        eims.ReportQuery(1, 0, 0, 0, 1, Batch((report,))),
        eims.ReportQuery(0, 1, 1, 1, 0, Batch((), (b"raw",))),
    ]
    merged = merge_results(parts)
    assert (merged.success, merged.fail, merged.unsent, merged.sending, merged.nofound) == (
        1,
        1,
        1,
        1,
        1,
    )
    assert merged.reports == Batch((report,), (b"raw",))


def test_results_that_cannot_merge_are_an_error() -> None:
    with pytest.raises(SmsWireError, match="cannot merge results of a split operation"):
        merge_results([SendResult(), Batch()])
    with pytest.raises(SmsWireError, match="cannot merge results of a split operation: str"):
        merge_results(["a", "b"])


def test_a_split_eims_report_query_is_merged_by_the_client() -> None:
    # §3 "get发送一次性最多提交 200个号码": 250 ids go as two requests. The
    # transports used to merge only sends and batches, so this raised.
    answers = [
        {"status": 0, "success": 1, "fail": 0, "unsent": 0, "sending": 0, "nofound": 199,
         "array": [[1, "10010", 20171001123015, 0]]},
        {"status": 0, "success": 0, "fail": 1, "unsent": 0, "sending": 0, "nofound": 49,
         "array": [[2, "1008611", 20171001123015, 3]]},
    ]  # fmt: skip

    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=json.dumps(answers.pop(0)).encode())

    d = Driver("sync", handle, eims.Codec(), eims.Account("chenkc", "123456"))
    result = d.call(eims.QueryReports(tuple(str(i) for i in range(1, 251))))
    assert len(d.requests) == 2
    assert (result.success, result.fail, result.nofound) == (1, 1, 248)
    assert [r.mobile for r in result.reports] == ["10010", "1008611"]


# ------------------------------------------------------------------ the vendors on the base


OPERATION_NAMES = {"SendSms", "FetchInbound", "QueryBalance", "FetchReports", "ChangePassword"}
#: Every vendor package on the base, its files, and the operation classes its dispatch
#: could name (the package's own Operation subclasses beside the neutral ones).
VENDOR_PACKAGES = (esms100, changlong, smscn, eims, emay)


def _operation_names(package: Any) -> set[str]:
    own = {
        name
        for name in dir(package)
        if isinstance(getattr(package, name), type)
        and issubclass(getattr(package, name), Operation)
    }
    return OPERATION_NAMES | {"SendPersonalized"} | own


VENDOR_FILES = [
    pytest.param(package, path, id=f"{package.__name__.rsplit('.', 1)[1]}/{path.name}")
    for package in VENDOR_PACKAGES
    for path in sorted(Path(package.__file__).parent.glob("*.py"))
]


def _our_source(path: Path) -> str:
    """The file's text; under mutation (tools/mutate.py) the codecs are mutmut's
    trampolined copies, which are not the code these layout rules judge."""
    text = path.read_text(encoding="utf-8")
    if "__mutmut_" in text:
        pytest.skip("a mutmut copy of the module, not its source")
    return text


@pytest.mark.parametrize(("package", "path"), VENDOR_FILES)
def test_no_isinstance_chain_over_operations_and_no_cast(package: Any, path: Path) -> None:
    operations = _operation_names(package)
    for node in ast.walk(ast.parse(_our_source(path))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id != "cast", f"{path.name}:{node.lineno} casts"
            if node.func.id == "isinstance":
                names = {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name)}
                names |= {n.attr for n in ast.walk(node.args[1]) if isinstance(n, ast.Attribute)}
                assert not names & operations, f"{path.name}:{node.lineno} dispatches by type"


@pytest.mark.parametrize(("package", "path"), VENDOR_FILES)
def test_vendor_files_are_under_500_lines_and_functions_under_50(package: Any, path: Path) -> None:
    text = _our_source(path)
    assert len(text.splitlines()) < 500
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno is not None
            assert node.end_lineno - node.lineno < 50, f"{path.name}:{node.lineno} {node.name}"


def test_esms100_sections_follow_the_document() -> None:
    # The document's headings: "4.提交发送(MT)", "5.接收回复信息操作(MO)",
    # "6.查询余额(QAMOUNT)", "7.获取状态报告(QREPORT)", "8.修改密码(ENT)".
    text = (ESMS100 / "_codec.py").read_text(encoding="utf-8")
    headings = ["§4 提交发送(MT)", "§5 接收回复信息操作(MO)", "§6 查询余额(QAMOUNT)",
                "§7 获取状态报告(QREPORT)", "§8 修改密码(ENT)"]  # fmt: skip
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    codec = esms100.Codec()
    assert codec.operations() == (SendSms, FetchInbound, QueryBalance, FetchReports,
                                  esms100.ChangePassword)  # fmt: skip
    # The document's URLs: http://api.esms100.com:8080/mt/, /mo/, /qamount/, /qreport/, /ent/.
    account = esms100.Account("10000", password="x")
    ops: list[Operation[Any]] = [SendSms(("13866668888",), "test"), FetchInbound(),
                                 QueryBalance(), FetchReports(),
                                 esms100.ChangePassword("n")]  # fmt: skip
    paths = [codec.encode_request(op, account, STAMP).path for op in ops]
    assert paths == ["/mt/", "/mo/", "/qamount/", "/qreport/", "/ent/"]


def test_esms100_plan_splits_at_the_documented_1000_numbers() -> None:
    # §4 "phone 不多于1000 号码".
    op = SendSms(tuple(f"138{i:08d}" for i in range(2001)), "hi")
    assert [len(p.mobiles) for p in esms100.Codec().plan(op)] == [1000, 1000, 1]
    assert split_field(op, "mobiles", 5000) == (op,)


def test_changlong_sections_follow_the_document() -> None:
    # The document's contents: "1.1.1. 发送普通短信", "1.1.2. 接收状态报告",
    # "1.1.3. 接收短信", "1.1.4. 查询余额".
    text = (CHANGLONG / "_codec.py").read_text(encoding="utf-8")
    headings = ["§1.1.1 发送普通短信", "§1.1.2 接收状态报告", "§1.1.3 接收短信", "§1.1.4 查询余额"]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    codec = changlong.Codec()
    assert codec.operations() == (SendSms, FetchReports, FetchInbound, QueryBalance)
    # The document's 入口地址: http://www.112088.net:8088/sendsms_txt.asp,
    # /get_report_txt.asp, /get_receive_message_txt.asp, /Get_Account_Balance.asp.
    account = changlong.Account("mysms", "123456")
    ops: list[Operation[Any]] = [SendSms(("13798361236",), "x"), FetchReports(), FetchInbound(),
                                 QueryBalance()]  # fmt: skip
    paths = [codec.encode_request(op, account, STAMP).path for op in ops]
    assert paths == ["/sendsms_txt.asp", "/get_report_txt.asp", "/get_receive_message_txt.asp",
                     "/Get_Account_Balance.asp"]  # fmt: skip


def test_changlong_plan_splits_at_the_documented_100_numbers() -> None:
    # 1.1.1 "最大允许每次提交号码 100 个号码".
    op = SendSms(tuple(f"138{i:08d}" for i in range(201)), "hi")
    assert [len(p.mobiles) for p in changlong.Codec().plan(op)] == [100, 100, 1]


def test_changlong_pages_take_the_documents_get_only() -> None:
    # Every 调用接口示例 is a GET URL; the old decode_request ignored the method.
    request = HttpRequest("POST", "/Get_Account_Balance.asp?us_name=mysms&us_pwd=123456")
    miss = r"changlong takes GET at '/Get_Account_Balance\.asp', not POST"
    with pytest.raises(DecodeError, match=miss):
        changlong.Codec().decode_request(request, lambda _: None)


def test_folded_routes_match_paths_in_any_case() -> None:
    folded = Exchanges("toy", (TOY,), fold_case=True)
    assert folded.route(HttpRequest("GET", "/SAY?word=hi")) is TOY
    with pytest.raises(DecodeError, match="toy takes GET at '/Say', not POST"):
        folded.route(HttpRequest("POST", "/Say"))
    with pytest.raises(DecodeError, match="toy has no endpoint '/SAY'"):
        Exchanges("toy", (TOY,)).route(HttpRequest("GET", "/SAY?word=hi"))


# ------------------------------------------------------------------ eims on the base


def test_eims_sections_follow_the_document() -> None:
    # The document's headings: "1. 查询余额 getbalance", "2. 群发短信 sendsms",
    # "3. 查询短信发送结果 getreport", "4. 接收短信 getsms", "5. 主动往客户的 url推送发送报告".
    text = (EIMS / "_codec.py").read_text(encoding="utf-8")
    headings = ["§1 查询余额 getbalance", "§2 群发短信 sendsms", "§3 查询短信发送结果 getreport",
                "§4 接收短信 getsms", "§5 主动往客户的 url推送发送报告"]  # fmt: skip
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    codec = eims.Codec()
    assert codec.operations() == (QueryBalance, SendSms, eims.SendMessage, eims.QueryReports,
                                  FetchInbound)  # fmt: skip
    # The document's URLs: http://Ip:20003/getbalance, /sendsms, /getreport, /getsms.
    account = eims.Account("chenkc", "123456")
    ops: list[Operation[Any]] = [QueryBalance(), SendSms(("10010",), "test"),
                                 eims.SendMessage(("10010",), "test", 1),
                                 eims.QueryReports(("1",)), FetchInbound()]  # fmt: skip
    paths = [codec.encode_request(op, account, STAMP).path for op in ops]
    assert paths == ["/getbalance", "/sendsms", "/sendsms", "/getreport", "/getsms"]


def test_eims_sendsms_is_read_once_as_either_send() -> None:
    # One /sendsms reader: a request using an option (here smstype=1, 彩信) is a
    # SendMessage, any other a SendSms; each answer goes through its own exchange.
    codec, account = eims.Codec(), eims.Account("chenkc", "123456")
    lookup = {"chenkc": account}.get
    mms = eims.SendMessage(("10010",), "test", 1)
    for op in (SendSms(("10010",), "test"), mms):
        request = codec.encode_request(op, account, STAMP)
        assert codec.decode_request(request, lookup) == (op, account)
        answer = codec.encode_response(op, SendResult((Receipt("10010", "7"),)), account)
        assert json.loads(answer.body) == {"status": 0, "success": 1, "fail": 0,
                                           "array": [[10010, 7]]}  # fmt: skip
    # The document: "支持 http get方式" only, for every endpoint but sendsms.
    with pytest.raises(DecodeError, match="eims takes GET at '/getbalance', not POST") as caught:
        codec.decode_request(HttpRequest("POST", "/getbalance"), lookup)
    assert caught.value.raw == b"/getbalance"


def test_eims_plan_splits_sends_by_method_and_report_queries_at_200_ids() -> None:
    # §2 "get 最多 100 个,post 最多 10000 个"; §3 "(最多 200 个）".
    sms = SendSms(tuple(f"138{i:08d}" for i in range(10001)), "x")
    assert [len(p.mobiles) for p in eims.Codec().plan(sms)] == [10000, 1]
    mms = eims.SendMessage(sms.mobiles[:101], "x", 1)
    assert [len(p.mobiles) for p in eims.Codec(method="GET").plan(mms)] == [100, 1]
    query = eims.QueryReports(tuple(str(i) for i in range(1, 402)))
    assert [len(p.ids) for p in eims.Codec().plan(query)] == [200, 200, 1]


# ------------------------------------------------------------------ one operation, two paths


def _utf8_request(codec: ChoosyCodec, op: Toy, account: str, stamp: Stamp) -> HttpRequest:
    return HttpRequest("GET", f"/say8?word={op.word}")


def _utf8_read(
    codec: ChoosyCodec, request: HttpRequest, lookup: Any, stamp: Stamp | None
) -> tuple[Toy, str]:
    return Toy("utf8"), "carol"


SAY = Exchange(Toy, "/say", ("GET",), _toy_request, _toy_answer, _toy_read, _toy_write)
SAY8 = Exchange(
    Toy, "/say8", ("GET",), _utf8_request, _toy_answer, _utf8_read, _toy_write,
    choose=lambda codec: codec.utf8,
)  # fmt: skip


@attrs.frozen
class ChoosyCodec(ExchangeCodec[str]):
    utf8: bool = False
    vendor: ClassVar[str] = "choosy"
    exchanges: ClassVar[Exchanges[ChoosyCodec, str]] = Exchanges("choosy", (SAY, SAY8))

    def refuse(self, error: GatewayError) -> HttpResponse:
        return HttpResponse(500, (), error.code.encode())


def test_the_codec_options_choose_among_the_paths_of_one_operation() -> None:
    # Client role: the exchange without `choose` unless the options choose another.
    assert ChoosyCodec().encode_request(Toy("hi"), "a", STAMP).path == "/say"
    assert ChoosyCodec(utf8=True).encode_request(Toy("hi"), "a", STAMP).path == "/say8"
    # Server role: each path is its exchange's, whatever the options.
    for codec in (ChoosyCodec(), ChoosyCodec(utf8=True)):
        assert codec.decode_request(HttpRequest("GET", "/say8"), lambda _: None)[0] == Toy("utf8")
        assert codec.decode_request(HttpRequest("GET", "/say?word=x"), lambda _: None)[0] == Toy(
            "x"
        )
    assert ChoosyCodec().operations() == (Toy,)


def test_an_operation_only_chosen_has_no_default_and_is_refused_at_declaration() -> None:
    with pytest.raises(ValueError, match="Toy has no exchange without `choose`"):
        Exchanges("choosy", (SAY8,))


# ------------------------------------------------------------------ sms.cn on the base

SMSCN = Path(smscn.__file__).parent


def test_smscn_sections_follow_the_document() -> None:
    # The document's headings: "四、短信发送（单条，多条发送）", "五、接收状态报告",
    # "六、接收上行短信（回复）" (6.1, 6.2), "七、取剩余短信条数", "八、取已发送总条数",
    # "十、取发送记录".
    text = (SMSCN / "_codec.py").read_text(encoding="utf-8")
    headings = ["§4 短信发送（单条，多条发送）", "§5 接收状态报告", "§6 接收上行短信（回复）",
                "6.2 推送接收上行短信（回复）", "§7 取剩余短信条数", "§8 取已发送总条数",
                "§10 取发送记录"]  # fmt: skip
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    codec = smscn.Codec()
    assert codec.operations() == (SendSms, FetchReports, FetchInbound, QueryBalance,
                                  smscn.QuerySentCount, smscn.QuerySendRecords)  # fmt: skip
    # The document's URLs: http://api.sms.cn/mt/, /st/, /rx/, /mm/, /mm/?…&cmd=send, /rd/.
    account = smscn.Account("test", "123123")
    ops: list[Operation[Any]] = [SendSms(("13900008888",), "x"), FetchReports(), FetchInbound(),
                                 QueryBalance(), smscn.QuerySentCount(),
                                 smscn.QuerySendRecords()]  # fmt: skip
    targets = [codec.encode_request(op, account, STAMP).target for op in ops]
    assert [t.partition("?")[0] for t in targets] == [
        "/mt/",
        "/st/",
        "/rx/",
        "/mm/",
        "/mm/",
        "/rd/",
    ]
    assert targets[4].endswith("&cmd=send") and "cmd" not in targets[3]


def test_smscn_mt_and_mtutf8_are_two_exchanges_of_one_operation() -> None:
    # /mtutf8/ is what public clients use (quirk mtutf8-endpoint): Codec(mtutf8=True) sends
    # there; the server role reads both paths whatever the options.
    account = smscn.Account("test", "123123")
    op = SendSms(("13900008888",), "发送测试")
    utf8 = smscn.Codec(charset="utf-8", mtutf8=True)
    assert utf8.encode_request(op, account, STAMP).path == "/mtutf8/"
    assert smscn.Codec(charset="utf-8").encode_request(op, account, STAMP).path == "/mt/"
    # "发送测试" in UTF-8 (urllib.parse.quote_plus("发送测试")), no encode=utf8 on /mtutf8/.
    target = ("/mtutf8/?uid=test&pwd=b9887c5ebb23ebb294acab183ecf0769&mobile=13900008888"
              "&content=%E5%8F%91%E9%80%81%E6%B5%8B%E8%AF%95")  # fmt: skip
    for codec in (smscn.Codec(), utf8):
        assert codec.decode_request(HttpRequest("GET", target), {"test": account}.get) == (
            op,
            account,
        )
    assert utf8.encode_request(op, account, STAMP).target == target


# ------------------------------------------------------------------ emay on the base

EMAY = Path(emay.__file__).parent
EMAY_FILES = sorted(p.name for p in EMAY.glob("*.py"))


def test_emay_has_no_path_tables_and_serves_no_getattr_probe() -> None:
    # The simulator answers every codec through encode_response_to, not a probe.
    # Found by import, not beside the codecs: under mutation the codecs are a copy.
    spec = importlib.util.find_spec("smswire.transports.sim._app")
    assert spec is not None and spec.origin is not None
    app = Path(spec.origin).read_text("utf-8")
    assert "getattr(codec" not in app and "encode_response_to(request" in app
    for name in ("_secure.py", "_simple.py", "_plain.py"):
        assert "_PATHS" not in (EMAY / name).read_text(encoding="utf-8"), name


SECURE_HEADINGS = [
    "§2.1.1 发送单条短信接口", "§2.1.2 发送批量短信接口【支持自定义 SMSID】",
    "§2.1.3 发送批量短信接口【不支持自定义 SMSID】", "§2.1.4 发送个性短信接口",
    "§2.1.5 发送个性短信接口【全属性个性】", "§2.1.6 短信模板创建接口", "§2.1.7 短信模板删除接口",
    "§2.1.8 短信模板查询接口", "§2.1.9 发送普通模板短信接口", "§2.1.10 发送个性模板短信接口",
    "§2.1.11 发送短链短信接口", "§2.1.12 获取状态报告接口", "§2.1.13 获取上行接口",
    "§2.1.14 获取短链点击明细接口", "§2.1.15 获取余额接口",
]  # fmt: skip
SIMPLE_HEADINGS = ["§2.2.1 发送短信接口", "§2.2.2 发送个性短信接口", "§2.2.3 获取状态报告接口",
                   "§2.2.4 获取上行接口", "§2.2.5 获取余额接口"]  # fmt: skip


SECTIONS = [("_inter.py", SECURE_HEADINGS), ("_simple.py", SIMPLE_HEADINGS)]


@pytest.mark.parametrize(("name", "headings"), SECTIONS)
def test_emay_sections_follow_the_document(name: str, headings: list[str]) -> None:
    # The document's headings, "2.1.1 发送单条短信接口" … "2.2.5 获取余额接口", in its order.
    text = (EMAY / name).read_text(encoding="utf-8")
    positions = [text.index(f"# ---- {h}") for h in headings]
    assert positions == sorted(positions)


def test_emay_secure_exchanges_are_the_documents_fifteen_links_and_retrieve_report() -> None:
    # §2.1.1.1.1 http://ip:port/inter/sendSingleSMS … §2.1.15.1.1 /inter/getBalance, §2.4 链接
    # http://ip:port/report/retrieveReport.
    links = ["sendSingleSMS", "sendBatchSMS", "sendBatchOnlySMS", "sendPersonalitySMS",
             "sendPersonalityAllSMS", "createTemplateSMS", "deleteTemplateSMS",
             "queryTemplateSMS", "sendTemplateNormalSMS", "sendTemplateVariableSMS",
             "sendShortLinkSMS", "getReport", "getMo", "getShortLink", "getBalance"]  # fmt: skip
    paths = [e.path for e in emay.Codec.exchanges.all]
    assert paths == [f"/inter/{link}" for link in links] + ["/report/retrieveReport"]
    simple = [e.path for e in emay.SimpleCodec.exchanges.all]
    assert simple == [f"/simpleinter/{link}" for link in
                      ("sendSMS", "sendPersonalitySMS", "getReport", "getMo", "getBalance")] + [
        "/report/retrieveReport"]  # fmt: skip


def test_emay_sends_sms_to_the_endpoint_its_numbers_and_ids_ask_for() -> None:
    # §2.1.1 单条; §2.1.2 批量【支持自定义 SMSID】; §2.1.3 批量【不支持自定义 SMSID】.
    codec, account = emay.Codec(), emay.Account("EUCP-EMY-TEST", "0123456789abcdef")
    ops = [SendSms(("13800000000",), "hi"), SendSms(("13800000000", "13800000001"), "hi",
           client_ids=("a", "b")), SendSms(("13800000000", "13800000001"), "hi")]  # fmt: skip
    paths = [codec.encode_request(op, account, STAMP).path for op in ops]
    assert paths == ["/inter/sendSingleSMS", "/inter/sendBatchSMS", "/inter/sendBatchOnlySMS"]


def test_encode_response_to_is_encode_response_for_a_vendor_whose_answer_ignores_it() -> None:
    request = HttpRequest("GET", "/say?word=hi")
    op, account = toy.decode_request(request, lambda c: c)
    assert toy.encode_response_to(request, op, "hi", account) == toy.encode_response(
        op, "hi", account
    )


def test_an_operation_type_on_several_exchanges_needs_picks_and_takes_the_first_that_holds() -> (
    None
):
    with pytest.raises(ValueError, match="two exchanges for Toy: give each `picks`"):
        Exchanges("toy", (TOY, Exchange(Toy, "/shout", ("GET",), *_TOY_FUNCTIONS)))
    short = Exchange(Toy, "/short", ("GET",), *_TOY_FUNCTIONS, picks=lambda op: len(op.word) < 3)
    rest = Exchange(Toy, "/long", ("GET",), *_TOY_FUNCTIONS, picks=lambda op: True)
    table = Exchanges("toy", (short, rest))
    assert [table.pick(Toy(w)) for w in ("hi", "hello")] == [short, rest]
    assert table.pick(Other("x")) is None


def test_also_and_refuse_route_further_types_and_early_refusals() -> None:
    both = Exchange(Toy, "/say", ("GET",), *_TOY_FUNCTIONS, also=(Other,),
                    refuse=lambda codec, error: HttpResponse(418, (), b""))  # fmt: skip
    table = Exchanges("toy", (both,))
    assert table.by_op[Other] is both and table.ops == (Toy, Other)
    assert table.refusals["/say"](toy, GatewayError("toy", "x", "y")).status == 418
