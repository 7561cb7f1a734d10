"""The Emay secure envelope's byte contract, pinned against pycryptodome, gzip and zlib.

The document (emay.txt, 安全接口): "数据加密方式：AES；加密算法：AES/ECB/PKCS5Padding；
压缩算法：gzip". Java's PKCS5Padding always adds padding: a 16-aligned
plaintext gets a whole block of ``0x10``. Every expected value here is computed
with pycryptodome's ``Crypto.Util.Padding`` and the stdlib's ``gzip``/``zlib``,
never with the module under test. Written to kill mutants that survived
``tools/mutate.py codecs/emay/_envelope.py`` (issue 17).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import tracemalloc
import zlib
from collections.abc import Callable

import pytest
from Crypto.Cipher import AES
from Crypto.Util.Padding import pad, unpad
from hypothesis import example, given
from hypothesis import strategies as st
from smswire.codecs import DecodeError, EncodeError
from smswire.codecs.emay import _envelope as envelope

KEY = b"0123456789abcdef"
OTHER_KEY = b"fedcba9876543210"


def java_encrypt(plain: bytes, key: bytes = KEY) -> bytes:
    """AES/ECB/PKCS5Padding as javax.crypto does it (PKCS#7 on 16-byte blocks)."""
    return AES.new(key, AES.MODE_ECB).encrypt(pad(plain, 16, style="pkcs7"))


def java_decrypt(body: bytes, key: bytes = KEY) -> bytes:
    return unpad(AES.new(key, AES.MODE_ECB).decrypt(body), 16, style="pkcs7")


def raw_encrypt(block_aligned: bytes, key: bytes = KEY) -> bytes:
    """ECB without any padding: for bodies whose last block is deliberately wrong."""
    return AES.new(key, AES.MODE_ECB).encrypt(block_aligned)


@pytest.mark.parametrize(("length", "sealed"), [(0, 16), (1, 16), (15, 16), (16, 32), (32, 48)])
def test_seal_plain_matches_pkcs5_and_always_pads(length: int, sealed: int) -> None:
    data = bytes(range(65, 65 + length)) if length < 60 else b"x" * length
    body = envelope.seal(data, KEY, gzip=False)
    assert len(body) == sealed
    assert body == java_encrypt(data)
    if length % 16 == 0:
        # "PKCS5Padding" adds a whole block to an aligned plaintext: the last block is 16 x 0x10.
        assert AES.new(KEY, AES.MODE_ECB).decrypt(body)[-16:] == b"\x10" * 16


@given(st.binary(max_size=80))
@example(b"")
@example(b"a" * 15)
@example(b"a" * 16)
@example(b"a" * 31)
@example(b"a" * 32)
@example(b"a" * 48)
def test_seal_plain_is_java_encryption(data: bytes) -> None:
    assert envelope.seal(data, KEY, gzip=False) == java_encrypt(data)


@given(st.binary(max_size=200))
@example(b"")
@example(b"b" * 16)
@example(b"b" * 32)
@example("短信内容".encode())
def test_seal_gzip_is_gzip_then_java_encryption(data: bytes) -> None:
    body = envelope.seal(data, KEY, gzip=True)
    member = java_decrypt(body)
    # Whatever the compression level, the member is one gzip member of `data`.
    assert gzip.decompress(member) == data
    assert member[:3] == b"\x1f\x8b\x08"
    # RFC 1952: MTIME is bytes 4..7; 0 means "no time stamp" (a pure codec carries no clock).
    assert member[4:8] == b"\x00\x00\x00\x00"
    assert envelope.seal(data, KEY, gzip=True) == body


@pytest.mark.parametrize("length", [0, 15, 16, 32])
def test_decrypt_reads_java_bodies(length: int) -> None:
    data = b"z" * length
    assert envelope.decrypt(java_encrypt(data), KEY) == data
    assert envelope.unseal(java_encrypt(data), KEY, gzip=False, max_size=length) == data


@pytest.mark.parametrize("length", [0, 15, 16, 32])
def test_unseal_reads_java_gzip_bodies(length: int) -> None:
    data = b"q" * length
    body = java_encrypt(gzip.compress(data, mtime=0))
    assert envelope.unseal(body, KEY, gzip=True, max_size=max(length, 1)) == data


@pytest.mark.parametrize(
    "body",
    [b"", b"\x00" * 15, b"\x00" * 17, b"\x00" * 31],
    ids=["empty", "15", "17", "31"],
)
def test_decrypt_refuses_partial_blocks(body: bytes) -> None:
    with pytest.raises(
        DecodeError,
        match=rf"^emay: encrypted body of {len(body)} bytes is not a whole number of AES blocks$",
    ) as info:
        envelope.decrypt(body, KEY)
    assert info.value.raw == body


@pytest.mark.parametrize(
    "last_block",
    [
        b"a" * 15 + b"\x00",  # pad byte 0: PKCS#5 never writes it
        b"a" * 15 + b"\x11",  # pad byte 17: more than a block
        b"a" * 15 + b"\xff",
        b"a" * 13 + b"\x02\x03\x03",  # claims 3 bytes of padding, one is wrong
        b"a" * 14 + b"\x01\x02",  # claims 2, the other byte is 1
        b"\x0f" + b"\x10" * 15,  # claims a full block, the first byte is wrong
    ],
    ids=["zero", "seventeen", "ff", "three-one-wrong", "two-one-wrong", "sixteen-one-wrong"],
)
def test_decrypt_refuses_bad_padding(last_block: bytes) -> None:
    body = raw_encrypt(last_block)
    with pytest.raises(
        DecodeError, match=r"^emay: bad padding after decryption \(wrong key\?\)$"
    ) as info:
        envelope.decrypt(body, KEY)
    assert info.value.raw == body


def test_decrypt_accepts_every_valid_pad_length() -> None:
    for n in range(1, 17):
        block = b"p" * (16 - n) + bytes((n,)) * n
        assert envelope.decrypt(raw_encrypt(block), KEY) == b"p" * (16 - n)


def test_decrypt_with_the_wrong_key_is_a_decode_error() -> None:
    body = java_encrypt(b'{"mobile":"13800138000"}')
    # Checked independently: this body's last block under OTHER_KEY is not valid padding.
    last = AES.new(OTHER_KEY, AES.MODE_ECB).decrypt(body)
    with pytest.raises(ValueError, match=r"(?i)padding"):
        unpad(last, 16, style="pkcs7")
    with pytest.raises(DecodeError) as info:
        envelope.decrypt(body, OTHER_KEY)
    assert info.value.raw == body


@pytest.mark.parametrize("key", [b"short", b"x" * 17, b""])
def test_decrypt_with_an_impossible_key_is_a_decode_error(key: bytes) -> None:
    body = java_encrypt(b"hello")
    with pytest.raises(DecodeError, match=r"^emay: body cannot be decrypted \(.+\)$") as info:
        envelope.decrypt(body, key)
    assert info.value.raw == body


# ------------------------------------------------------------------------- gzip side


def test_inflate_plain_limit_is_inclusive() -> None:
    assert envelope.inflate(b"x" * 10, b"raw", gzip=False, max_size=10) == b"x" * 10
    with pytest.raises(DecodeError, match=r"^emay: body larger than 9 bytes$") as info:
        envelope.inflate(b"x" * 10, b"raw", gzip=False, max_size=9)
    assert info.value.raw == b"raw"


@pytest.mark.parametrize("size", [1, 100, 5000])
def test_inflate_gzip_limit_is_inclusive(size: int) -> None:
    member = gzip.compress(b"y" * size, mtime=0)
    assert envelope.inflate(member, b"raw", gzip=True, max_size=size) == b"y" * size
    with pytest.raises(
        DecodeError, match=rf"^emay: body inflates beyond {size - 1} bytes$"
    ) as info:
        envelope.inflate(member, b"raw", gzip=True, max_size=size - 1)
    assert info.value.raw == b"raw"


def test_gzip_bomb_is_refused_without_inflating_it() -> None:
    bomb = gzip.compress(b"\x00" * 20_000_000, mtime=0)
    assert len(bomb) < 30_000
    with pytest.raises(DecodeError, match=r"^emay: body inflates beyond 1000 bytes$"):
        envelope.inflate(bomb, b"raw", gzip=True, max_size=1000)


def test_members_follow_one_another_and_share_the_cap() -> None:
    # RFC 1952 2.2: "A gzip file consists of a series of members"; Java's GZIPInputStream
    # reads concatenated members as one stream.
    two = gzip.compress(b"first,", mtime=0) + gzip.compress(b"second", mtime=0)
    assert envelope.inflate(two, b"raw", gzip=True, max_size=12) == b"first,second"
    three = two + gzip.compress(b"!", mtime=0)
    assert envelope.inflate(three, b"raw", gzip=True, max_size=13) == b"first,second!"
    with pytest.raises(DecodeError, match=r"^emay: body inflates beyond 11 bytes$"):
        envelope.inflate(two, b"raw", gzip=True, max_size=11)


@pytest.mark.parametrize("trailer", [b"x", b"\x1f", b"\x00\x00", b"garbage after"])
def test_data_after_the_member_is_refused(trailer: bytes) -> None:
    member = gzip.compress(b"payload", mtime=0) + trailer
    # zlib itself sees the trailer as unused data after a complete member.
    inflater = zlib.decompressobj(wbits=31)
    assert inflater.decompress(member) == b"payload"
    assert inflater.unused_data == trailer
    with pytest.raises(
        DecodeError, match=r"^emay: data after the gzip member in body is not gzip$"
    ) as info:
        envelope.inflate(member, b"raw", gzip=True, max_size=100)
    assert info.value.raw == b"raw"


def test_truncated_member_is_refused() -> None:
    member = gzip.compress(b"payload" * 20, mtime=0)
    for cut in (len(member) - 1, len(member) - 8, 12):
        with pytest.raises(DecodeError, match=r"^emay: truncated gzip data in body$") as info:
            envelope.inflate(member[:cut], b"raw", gzip=True, max_size=1000)
        assert info.value.raw == b"raw"


@pytest.mark.parametrize("data", [b"not gzip at all", b"\x1f\x8b\x08garbage", b"\x1f\x8b"])
def test_not_gzip_is_refused(data: bytes) -> None:
    with pytest.raises(
        DecodeError, match=r"^emay: (body is not valid gzip \(.+\)|truncated gzip data in body)$"
    ) as info:
        envelope.inflate(data, b"raw", gzip=True, max_size=1000)
    assert info.value.raw == b"raw"


def test_a_second_member_that_is_broken_is_refused() -> None:
    member = gzip.compress(b"ok", mtime=0)
    # Method byte 7: RFC 1952 defines only 8 (deflate).
    second = b"\x1f\x8b\x07\x00" + b"\x00" * 6 + b"broken"
    with pytest.raises(DecodeError, match=r"^emay: body is not valid gzip \(.+\)$"):
        envelope.inflate(member + second, b"raw", gzip=True, max_size=100)


def test_unseal_carries_the_whole_body_in_every_error() -> None:
    body = java_encrypt(b"not gzip")
    with pytest.raises(DecodeError) as info:
        envelope.unseal(body, KEY, gzip=True, max_size=100)
    assert info.value.raw == body


# ------------------------------------------------------------------------- JSON side


def test_dumps_is_compact_json_with_characters_kept() -> None:
    value = {"mobile": "13800138000", "content": "【签名】短信", "n": [1, 2]}
    assert envelope.dumps(value, "utf-8") == (
        '{"mobile":"13800138000","content":"【签名】短信","n":[1,2]}'.encode()
    )
    assert envelope.dumps(value, "gbk") == (
        '{"mobile":"13800138000","content":"【签名】短信","n":[1,2]}'.encode("gbk")
    )


def test_dumps_refuses_what_the_charset_cannot_carry() -> None:
    with pytest.raises(EncodeError) as info:
        envelope.dumps({"content": "emoji 😀 here"}, "gbk")
    assert str(info.value) == "emay: '😀' cannot be sent in charset gbk"
    with pytest.raises(EncodeError, match=r"^emay: unknown charset 'no-such-charset'$"):
        envelope.dumps({"a": 1}, "no-such-charset")


@pytest.mark.parametrize("depth", [100_000, 5_000])
def test_deep_nesting_is_a_decode_error_not_a_recursion_error(depth: int) -> None:
    data = b"[" * depth
    with pytest.raises(DecodeError) as info:
        envelope.loads(data, "utf-8", b"raw")
    assert info.value.raw == b"raw"


def test_deep_but_closed_nesting_with_a_trailing_comma_is_a_decode_error() -> None:
    data = ("[" * 100_000 + "1," + "]" * 100_000).encode()
    with pytest.raises(DecodeError):
        envelope.loads(data, "utf-8", b"raw")


def test_loads_skips_a_byte_order_mark() -> None:
    assert envelope.loads(b"\xef\xbb\xbf" + b'{"a":1}', "utf-8", b"") == {"a": 1}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a":1,}', {"a": 1}),
        ("[1,2,]", [1, 2]),
        ('{"a":[1, ] ,"b":2 , }', {"a": [1], "b": 2}),
        ('{"a":",}","b":[3,]}', {"a": ",}", "b": [3]}),
        # An escaped quote does not end the string: its ",]" stays text.
        ('{"a":"x\\",]","b":[4,\n]}', {"a": 'x",]', "b": [4]}),
        ('{"a":"\\\\",}', {"a": "\\"}),
        ('[{"k":"v",},]', [{"k": "v"}]),
    ],
)
def test_trailing_commas_are_mended_outside_strings(text: str, expected: object) -> None:
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    assert envelope.loads(text.encode("gbk"), "gbk", b"") == expected


@pytest.mark.parametrize(
    "text",
    [
        "X1",
        "[1,,]",
        "{“a”:1",
        '[1,] "abc',
        "XX[1]",
        "\ufeffX2",
        '{"a":1',
        '{"a":1 "b":2}',
        "[1,,2]",
        '{"a":"x,}"',
        "nope",
    ],
)
def test_unmendable_json_is_a_decode_error(text: str) -> None:
    with pytest.raises(DecodeError, match=r"^emay: body is not JSON \(.+\)$") as info:
        envelope.loads(text.encode(), "utf-8", b"the raw body")
    assert info.value.raw == b"the raw body"


def test_loads_refuses_bytes_the_charset_cannot_read() -> None:
    with pytest.raises(DecodeError, match=r"^emay: body is not JSON in utf-8 \(.+\)$") as info:
        envelope.loads(b'{"a":"\xff"}', "utf-8", b"raw")
    assert info.value.raw == b"raw"
    with pytest.raises(DecodeError):
        envelope.loads(b"{}", "no-such-charset", b"raw")


def test_loads_reads_gbk_text() -> None:
    assert envelope.loads('{"c":"短信"}'.encode("gbk"), "gbk", b"") == {"c": "短信"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Quirk curly-quotes: the document prints (“extendedCode”:”112”, [”15538867822”…]).
        ("{“extendedCode”:”112”}", {"extendedCode": "112"}),
        # Quirk full-width-comma: ("smsId":"…"，).
        ('{"smsId":"1"，"mobile":"2"}', {"smsId": "1", "mobile": "2"}),
        # Both, and a trailing comma (quirk trailing-comma).
        ('{“a”:”1”，"b":[2,],}', {"a": "1", "b": [2]}),
    ],
)
def test_documented_typography_is_mended(text: str, expected: object) -> None:
    assert envelope.loads(text.encode("utf-8"), "utf-8", b"") == expected


def _peak_memory(run: Callable[[], None]) -> int:
    tracemalloc.start()
    try:
        with contextlib.suppress(DecodeError):
            run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


BOMB = gzip.compress(b"\x00" * 50_000_000, mtime=0)


@pytest.mark.parametrize("first", [b"", b"k" * 1000, b"k" * 999])
def test_inflating_stays_bounded_in_memory(first: bytes) -> None:
    # The module's promise: "decompress in bounded steps so a small hostile body cannot
    # expand without limit" — also after a first member that used up the allowance exactly.
    body = (gzip.compress(first, mtime=0) if first else b"") + BOMB

    def run() -> None:
        envelope.inflate(body, b"", gzip=True, max_size=1000)

    with pytest.raises(DecodeError, match=r"^emay: body inflates beyond 1000 bytes$"):
        run()
    assert _peak_memory(run) < 5_000_000


def test_a_zlib_stream_is_not_gzip() -> None:
    # The document says gzip; a zlib (RFC 1950) stream has another header and is refused.
    with pytest.raises(DecodeError, match=r"^emay: body is not valid gzip \(.+\)$"):
        envelope.inflate(zlib.compress(b"payload"), b"raw", gzip=True, max_size=100)
