"""A fake ProConnect (OpenID provider) living inside the test process: no network.

It signs its ID tokens and userinfo with an RSA key generated for the test session, and answers the
discovery, JWKS, token and userinfo requests that mozilla-django-oidc and betatracker.oidc make with
`requests`, which the tests monkeypatch to point here.
"""

import json
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "https://proconnect.test/api/v2"
CLIENT_ID = "betatracker-test-client"
CLIENT_SECRET = "betatracker-test-secret"
KEY_ID = "fake-proconnect-key"


def generate_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _response(url: str, status: int = 200, body=None, content_type: str = "application/json", text: str | None = None):
    response = requests.Response()
    response.status_code = status
    response.url = url
    response.headers["content-type"] = content_type
    response._content = (text if text is not None else json.dumps(body)).encode()
    return response


class FakeProConnect:
    def __init__(self, private_key):
        self.signing_key = private_key  # what it signs with…
        self.published_key = private_key  # …and what its JWKS publishes: a test may make them differ
        self.pending = {}  # authorization code -> (nonce, claims)
        self.issued_access_tokens = {}  # access token -> claims
        self.id_token_lifetime = 60
        self.token_requests = []

    # What a real ProConnect does in the browser: the person signs in and is sent back with a code.
    def authorize(self, authorization_url: str, claims: dict) -> dict:
        query = parse_qs(urlsplit(authorization_url).query)
        assert query["client_id"] == [CLIENT_ID]
        assert query["response_type"] == ["code"]
        assert set(query["scope"][0].split()) == {"openid", "email", "given_name", "usual_name"}
        code = uuid.uuid4().hex
        self.pending[code] = (query["nonce"][0], claims)
        return {"code": code, "state": query["state"][0]}

    def _sign(self, payload: dict) -> str:
        return jwt.encode(payload, self.signing_key, algorithm="RS256", headers={"kid": KEY_ID})

    def jwks(self) -> dict:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.published_key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]}

    def discovery(self) -> dict:
        return {
            "issuer": ISSUER,
            "authorization_endpoint": f"{ISSUER}/authorize",
            "token_endpoint": f"{ISSUER}/token",
            "userinfo_endpoint": f"{ISSUER}/userinfo",
            "jwks_uri": f"{ISSUER}/jwks",
            "end_session_endpoint": f"{ISSUER}/session/end",
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
            "userinfo_signing_alg_values_supported": ["RS256", "ES256"],
        }

    # --- requests.get / requests.post replacements --------------------------------------------
    def get(self, url, headers=None, **kwargs):
        if url == f"{ISSUER}/.well-known/openid-configuration":
            return _response(url, body=self.discovery())
        if url == f"{ISSUER}/jwks":
            return _response(url, body=self.jwks())
        if url == f"{ISSUER}/userinfo":
            access_token = (headers or {}).get("Authorization", "").removeprefix("Bearer ")
            claims = self.issued_access_tokens.get(access_token)
            if claims is None:
                return _response(url, status=401, body={"error": "invalid_token"})
            now = int(time.time())
            signed = self._sign({**claims, "iss": ISSUER, "aud": CLIENT_ID, "iat": now, "exp": now + 60})
            return _response(url, content_type="application/jwt", text=signed)
        raise AssertionError(f"The test tried to reach {url}")

    def post(self, url, data=None, **kwargs):
        if url != f"{ISSUER}/token":
            raise AssertionError(f"The test tried to post to {url}")
        self.token_requests.append(dict(data or {}))
        if data.get("client_secret") != CLIENT_SECRET or data.get("code") not in self.pending:
            return _response(url, status=400, body={"error": "invalid_grant"})
        nonce, claims = self.pending.pop(data["code"])
        now = int(time.time())
        id_token = self._sign(
            {
                "iss": ISSUER,
                "aud": CLIENT_ID,
                "sub": claims["sub"],
                "nonce": nonce,
                "iat": now - 5,
                "exp": now + self.id_token_lifetime,
                "acr": "eidas1",
            }
        )
        access_token = uuid.uuid4().hex
        self.issued_access_tokens[access_token] = claims
        return _response(
            url, body={"access_token": access_token, "token_type": "Bearer", "expires_in": 60, "id_token": id_token}
        )
