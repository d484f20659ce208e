"""A tiny HTTP client over the standard library: cookies and the CSRF token, like a browser."""
from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request


class HttpSession:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.token: str | None = None

    def request(self, path: str, data: dict | None = None, headers: dict | None = None, timeout: float = 10):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def get(self, path: str):
        status, text = self.request(path)
        match = re.search(r'<meta name="csrf-token" content="([^"]+)"', text)
        if match:
            self.token = match.group(1)
        return status, text

    def post(self, path: str, data: dict, htmx: bool = False):
        headers = {"X-CSRFToken": self.token or ""}
        if htmx:
            headers["HX-Request"] = "true"
        return self.request(path, {**data, "csrf_token": self.token or ""}, headers)

    def login(self, email: str, password: str):
        self.get("/login")
        self.post("/login", {"email": email, "password": password})
        return self.get("/")
