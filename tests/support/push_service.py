"""A push service on localhost for the tests: it decrypts each message as a browser would
(RFC 8291, aes128gcm), checks the VAPID signature, and answers with the status it is told."""

import base64
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid01

from diary.reminders.vapid import b64url, b64url_decode


@dataclass
class Device:
    """A browser's side of a subscription: its key pair and auth secret, as PushManager makes them."""

    path: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: base64.urlsafe_b64decode("c2VjcmV0LWF1dGgtMTIzNA=="))

    def subscription(self, base_url: str) -> dict:
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": base_url + self.path,
            "keys": {"p256dh": b64url(public), "auth": b64url(self.auth)},
        }


@dataclass
class Received:
    path: str
    headers: dict
    payload: dict | None
    vapid_claims: dict | None
    vapid_key: str | None


class PushService:
    def __init__(self):
        self.devices: dict[str, Device] = {}
        self.status: dict[str, int] = {}
        self.received: list[Received] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                service.receive(
                    self.path, {name.lower(): value for name, value in self.headers.items()}, body
                )
                self.send_response(service.status.get(self.path, 201))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def device(self, name: str, status: int = 201) -> Device:
        device = Device(path=f"/push/{name}")
        self.devices[device.path] = device
        self.status[device.path] = status
        return device

    def receive(self, path: str, headers: dict, body: bytes) -> None:
        device = self.devices.get(path)
        payload = None
        if device is not None:
            plain = http_ece.decrypt(
                body, private_key=device.private_key, auth_secret=device.auth, version="aes128gcm"
            )
            payload = json.loads(plain)
        claims, key = _vapid(headers.get("authorization", ""))
        self.received.append(Received(path, headers, payload, claims, key))

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def _vapid(authorization: str) -> tuple[dict | None, str | None]:
    """The claims of a `vapid t=…, k=…` header whose signature is good, and its public key."""
    if not authorization.startswith("vapid "):
        return None, None
    parts = dict(item.strip().split("=", 1) for item in authorization[len("vapid ") :].split(","))
    token, key = parts["t"], parts["k"]
    if not Vapid01.verify(key, "vapid " + token):
        return None, key
    claims = json.loads(b64url_decode(token.split(".")[1]))
    return claims, key
