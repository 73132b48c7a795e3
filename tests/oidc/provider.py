"""Start the test OpenID Connect provider (provider.mjs, npm `oidc-provider`) on loopback, and sign
in at it without a browser. No OIDC response is mocked: Django talks to this provider over HTTP."""

import re
import select
import subprocess
import time
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import requests

SCRIPT = Path(__file__).with_name("provider.mjs")
CLIENT_ID = "loyalty-academy"
CLIENT_SECRET = "test-client-secret-not-used-anywhere-else"


@dataclass(frozen=True)
class Provider:
    issuer: str
    process: subprocess.Popen

    def settings(self, **extra) -> dict:
        """Django settings that turn single sign-on on against this provider."""
        return {
            "OIDC_ISSUER_URL": self.issuer,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "SSO_ENABLED": True,
            "SSO_BUTTON_LABEL": "Test Provider",
            "AUTHENTICATION_BACKENDS": ["training.people.sso.PasswordBackend", "training.people.sso.SSOBackend"],
            **extra,
        }


def provider_start(*, redirect_uris: list[str], timeout: float = 20) -> Provider:
    """Run provider.mjs with node (node_modules from `npm ci`) and wait for its discovery document."""
    process = subprocess.Popen(
        ["node", str(SCRIPT), CLIENT_ID, CLIENT_SECRET, *redirect_uris],
        cwd=SCRIPT.parents[2],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    deadline = time.monotonic() + timeout
    try:
        ready, _, _ = select.select([process.stdout], [], [], timeout)
        line = process.stdout.readline() if ready else ""
        if not line.startswith("READY "):
            raise RuntimeError(f"the test OpenID provider did not start (exit code {process.poll()}): {line!r}")
        issuer = line.split()[1]
        while True:
            try:
                requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).raise_for_status()
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
    except BaseException:
        provider_stop(Provider(issuer="", process=process))
        raise
    return Provider(issuer=issuer, process=process)


def provider_stop(provider: Provider) -> None:
    provider.process.terminate()
    try:
        provider.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        provider.process.kill()
        provider.process.wait()


def sign_in_at_provider(authorize_url: str, login: str, *, back_to: str) -> str:
    """Follow the authorization request, fill the provider's login form, and return the URL the
    provider sends the browser back to (it starts with `back_to`), as a browser would."""
    session = requests.Session()
    url, response = authorize_url, None
    for _ in range(10):
        response = session.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            if url.startswith(back_to):
                return url
            continue
        form = re.search(r'<form[^>]*action="([^"]+)"', response.text)
        assert form, f"no login form at {url}: {response.text[:500]}"
        response = session.post(
            urljoin(url, unescape(form.group(1))),
            data={"prompt": "login", "login": login, "password": "any"},
            allow_redirects=False,
            timeout=10,
        )
        assert response.is_redirect, response.text[:500]
        url = urljoin(url, response.headers["Location"])
        if url.startswith(back_to):
            return url
    raise AssertionError(f"the provider never sent the browser back to {back_to}; last: {url}")
