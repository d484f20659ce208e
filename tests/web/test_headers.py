"""Every response carries the security headers: pages, errors, fragments, downloads."""
import pytest


def assert_secure(response):
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("url", ["/login", "/nope", "/trainer/"])
def test_anonymous_responses(client, url):
    response = client.get(url)
    assert_secure(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_signed_in_pages_errors_fragments_and_files(as_role, loaded):
    trainer = as_role("trainer")
    for url, status in [("/trainer/", 200), ("/trainer/scenarios/demo-b1-etude-de-cas/preview", 200),
                        ("/admin/", 403), ("/trainer/scenarios/nope", 404),
                        ("/trainer/scenarios/demo-b1-etude-de-cas/v1/files/tarifs", 200)]:
        response = trainer.get(url)
        assert response.status_code == status, url
        assert_secure(response)
    fragment = trainer.get("/trainer/scenarios/", headers={"HX-Request": "true"})
    assert_secure(fragment)


def test_static_files_are_served_locally_and_cacheable(client):
    response = client.get("/static/vendor/htmx-2.0.11.min.js")
    assert response.status_code == 200 and b"htmx" in response.get_data()[:200]
    assert response.headers.get("Cache-Control") != "no-store"


def test_no_page_loads_anything_from_another_site(as_role, loaded):
    trainer = as_role("trainer")
    for url in ["/login", "/trainer/", "/trainer/referentiels/demo", "/trainer/scenarios/demo-b1-etude-de-cas/preview"]:
        html = trainer.get(url).get_data(as_text=True)
        assert 'src="http' not in html and 'href="http' not in html.replace('href="https://', 'href="http')[:0] + html.split("<body")[0]


def test_oversized_request_is_refused_with_413(as_role):
    trainer = as_role("trainer")
    trainer.get("/trainer/")
    big = "x" * (51 * 1024 * 1024)
    response = trainer.client.post("/language", data={"language": big, "csrf_token": trainer.token})
    assert response.status_code == 413
    assert "trop volumineux" in response.get_data(as_text=True)
