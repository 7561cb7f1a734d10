"""Emay's envelope against the JDK: javax.crypto AES/ECB/PKCS5Padding and java.util.zip.

The JDK is the reference implementation the document's steps are written for
(``AES.decrypt(bytes, secretKey.getBytes(), 算法)``, ``GZIPUtils.decompress``).
A small Java program, written here, opens our server role's answers with gzip
on and off (§2.1: "如果请求信息中有压缩标示，返回的数据也是压缩过的") and seals
requests our server role must read. Skipped where no JDK is installed.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from smswire.codecs import Balance, Batch, HttpRequest, InboundMessage, QueryBalance, Stamp, emay

pytestmark = pytest.mark.skipif(
    shutil.which("javac") is None or shutil.which("java") is None, reason="no JDK"
)

CST = timezone(timedelta(hours=8))
NOW = datetime(2024, 5, 1, 9, 30, tzinfo=CST)
ACCOUNT = emay.Account("EUCP-EMY-SMS1-JDK00", "0123456789abcdef")

JAVA = r"""
import java.io.*;
import java.util.Base64;
import java.util.zip.*;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

public class Envelope {
    static Cipher cipher(int mode, String key) throws Exception {
        Cipher c = Cipher.getInstance("AES/ECB/PKCS5Padding");
        c.init(mode, new SecretKeySpec(key.getBytes("UTF-8"), "AES"));
        return c;
    }
    public static void main(String[] a) throws Exception {
        String key = a[1];
        boolean gzip = a[2].equals("on");
        if (a[0].equals("open")) {
            byte[] body = Base64.getDecoder().decode(a[3]);
            byte[] data = cipher(Cipher.DECRYPT_MODE, key).doFinal(body);
            if (gzip) {
                data = new GZIPInputStream(new ByteArrayInputStream(data)).readAllBytes();
            }
            System.out.print(Base64.getEncoder().encodeToString(data));
        } else {
            byte[] data = Base64.getDecoder().decode(a[3]);
            if (gzip) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (GZIPOutputStream z = new GZIPOutputStream(out)) { z.write(data); }
                data = out.toByteArray();
            }
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, key).doFinal(data);
            System.out.print(Base64.getEncoder().encodeToString(sealed));
        }
    }
}
"""


@pytest.fixture(scope="module")
def java(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("jdk")
    (folder / "Envelope.java").write_text(JAVA, encoding="utf-8")
    subprocess.run(["javac", "Envelope.java"], cwd=folder, check=True, timeout=120)
    return folder


def _run(folder: Path, *args: str) -> bytes:
    done = subprocess.run(
        ["java", "-cp", str(folder), "Envelope", *args],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return base64.b64decode(done.stdout)


@pytest.mark.parametrize("gzip", [False, True])
def test_jdk_opens_the_server_roles_answer(java: Path, gzip: bool) -> None:
    # The request the answer is to: the gzip header on or off, nothing else differs.
    codec = emay.Codec()
    headers = (("appId", ACCOUNT.app_id),) + ((("gzip", "on"),) if gzip else ())
    request = HttpRequest("POST", "/inter/getMo", headers, b"")
    reply = InboundMessage("13800138000", "收到，退订", NOW)
    answer = codec.answering(request).encode_response(
        emay.FetchInboundUpTo(1), Batch((reply,)), ACCOUNT
    )
    body = base64.b64encode(answer.body).decode("ascii")
    # Step 4 of every §2.1 answer: String json = new String(data,"UTF-8").
    plain = _run(java, "open", ACCOUNT.secret_key, "on" if gzip else "off", body)
    assert json.loads(plain.decode("utf-8")) == [
        {"mobile": "13800138000", "content": "收到，退订", "moTime": "2024-05-01 09:30:00"}
    ]
    balance = codec.answering(request).encode_response(
        QueryBalance(), Balance(Decimal(1000)), ACCOUNT
    )
    opened = _run(
        java,
        "open",
        ACCOUNT.secret_key,
        "on" if gzip else "off",
        base64.b64encode(balance.body).decode("ascii"),
    )
    assert json.loads(opened) == {"balance": 1000}


@pytest.mark.parametrize("gzip", [False, True])
def test_server_role_reads_a_jdk_sealed_request(java: Path, gzip: bool) -> None:
    millis = int(NOW.timestamp() * 1000)
    text = json.dumps({"requestTime": millis, "requestValidPeriod": 60}).encode("utf-8")
    sealed = _run(
        java, "seal", ACCOUNT.secret_key, "on" if gzip else "off", base64.b64encode(text).decode()
    )
    headers = (("appId", ACCOUNT.app_id),) + ((("gzip", "on"),) if gzip else ())
    request = HttpRequest("POST", "/inter/getBalance", headers, sealed)
    op, account = emay.Codec().decode_request(request, {ACCOUNT.app_id: ACCOUNT}.get, Stamp(NOW))
    assert (op, account) == (QueryBalance(), ACCOUNT)
