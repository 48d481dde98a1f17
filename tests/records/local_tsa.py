"""A time-stamping authority on 127.0.0.1, made in the test: it answers RFC 3161 requests
(``application/timestamp-query`` in, ``application/timestamp-reply`` out) with tokens
signed by a self-signed TSA certificate made here with ``cryptography``. No network
beyond loopback.

``LocalTSA.down()`` makes it refuse connections (the server is shut and its port
closed), ``LocalTSA.failing = True`` makes it answer 500 and ``LocalTSA.delay`` makes it
wait that many seconds before answering, for the "TSA down" cases.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

POLICY = "1.3.6.1.4.1.99999.1.1"  # any OID: the local TSA's policy


def make_tsa_certificate(common_name: str = "Local test TSA") -> tuple[Any, x509.Certificate]:
    """A self-signed TSA certificate (ECDSA P-256) with the critical ``timeStamping``
    extended key usage RFC 3161 section 2.3 requires."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def reply(request_der: bytes, key: Any, certificate: x509.Certificate, serial: int) -> bytes:
    """The DER ``TimeStampResp`` granting a token for ``request_der``."""
    request = tsp.TimeStampReq.load(request_der)
    cert_der = certificate.public_bytes(serialization.Encoding.DER)
    asn1_cert = asn1_x509.Certificate.load(cert_der)
    info: dict[str, Any] = {
        "version": "v1",
        "policy": POLICY,
        "message_imprint": request["message_imprint"],
        "serial_number": serial,
        "gen_time": dt.datetime.now(dt.UTC).replace(microsecond=0),
        "accuracy": {"seconds": 1},
    }
    if request["nonce"].native is not None:
        info["nonce"] = request["nonce"]
    tst_info = tsp.TSTInfo(info)
    content = tst_info.dump()
    signed_attrs = cms.CMSAttributes(
        [
            cms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}),
            cms.CMSAttribute(
                {"type": "message_digest", "values": [hashlib.sha256(content).digest()]}
            ),
            cms.CMSAttribute(
                {
                    "type": "signing_certificate_v2",
                    "values": [
                        {
                            "certs": [
                                {
                                    "hash_algorithm": {"algorithm": "sha256"},
                                    "cert_hash": hashlib.sha256(cert_der).digest(),
                                }
                            ]
                        }
                    ],
                }
            ),
        ]
    )
    signature = key.sign(signed_attrs.dump(), ec.ECDSA(hashes.SHA256()))
    signer = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": {
                        "issuer": asn1_cert.issuer,
                        "serial_number": asn1_cert.serial_number,
                    }
                }
            ),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
            "signed_attrs": signed_attrs,
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}),
            "signature": signature,
        }
    )
    signed_data = cms.SignedData(
        {
            "version": "v3",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": {
                "content_type": "tst_info",
                "content": core.ParsableOctetString(content),
            },
            "certificates": [asn1_cert] if request["cert_req"].native else [],
            "signer_infos": [signer],
        }
    )
    return tsp.TimeStampResp(
        {
            "status": {"status": "granted"},
            "time_stamp_token": {"content_type": "signed_data", "content": signed_data},
        }
    ).dump()


class LocalTSA:
    """The server and what it was asked: ``requests`` counts the queries it answered."""

    def __init__(self) -> None:
        self.key, self.certificate = make_tsa_certificate()
        self.requests = 0
        self.failing = False
        self.delay = 0.0
        self._lock = threading.Lock()
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # the protocol's one verb
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if tsa.delay:
                    time.sleep(tsa.delay)
                if tsa.failing:
                    self.send_error(500)
                    return
                if self.headers.get("Content-Type") != "application/timestamp-query":
                    self.send_error(415)
                    return
                with tsa._lock:
                    tsa.requests += 1
                    serial = tsa.requests
                answer = reply(body, tsa.key, tsa.certificate, serial)
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tsa"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self._up = True

    def certificate_file(self, directory: Path) -> Path:
        path = directory / "tsa.pem"
        path.write_bytes(self.certificate.public_bytes(serialization.Encoding.PEM))
        return path

    def down(self) -> None:
        """Stop answering: the port is closed, so a request is refused at once."""
        if self._up:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(timeout=5)
            self._up = False


@contextmanager
def local_tsa() -> Iterator[LocalTSA]:
    tsa = LocalTSA()
    try:
        yield tsa
    finally:
        tsa.down()
