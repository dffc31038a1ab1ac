"""Issue 10: the API's description and docs page answer where the README says, with no CDN needed."""

import re


def test_docs_and_openapi_answer_at_the_root_and_load_only_the_vendored_swagger_ui(client):
    description = client.get("/openapi.json")
    assert description.status_code == 200
    assert "/api/v1/cases" in description.json()["paths"]

    page = client.get("/docs")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assert sorted(assets) == ["/static/vendor/swagger-ui/favicon-32x32.png", "/static/vendor/swagger-ui/swagger-ui-bundle.js",
                              "/static/vendor/swagger-ui/swagger-ui.css"]
    assert "'/openapi.json'" in page.text and "cdn" not in page.text
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert client.get("/docs/oauth2-redirect").status_code == 200
