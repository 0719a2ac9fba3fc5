"""The API documentation page (Swagger UI) renders under the site's strict CSP."""

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.factories import ActorFactory, SectorFactory


def test_the_api_docs_render_every_operation_without_policy_violations(
    live_server, page, transactional_db
):
    ActorFactory(slug="lyonbiopole", name="Lyonbiopole")
    SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals")
    problems = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() == 9
    for path in ("/api/v1/actors/", "/api/v1/actors/{slug}/matches/", "/api/v1/events/{slug}/"):
        assert page.locator(f".opblock-summary-path[data-path='{path}']").count() == 1
    assert page.locator(".info .title").inner_text().startswith("Cluster Match API")
    # Swagger UI's own stylesheet applies (no inline style needed for it to look right).
    assert (
        page.locator(".swagger-ui .opblock-get").first.evaluate(
            "e => getComputedStyle(e).borderColor"
        )
        != "rgb(0, 0, 0)"
    )
    # Try it out: the anonymous request goes to this site and comes back.
    page.locator(".opblock-summary-path[data-path='/api/v1/sectors/']").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_have_text(
        "200"
    )
    expect(page.locator(".live-responses-table .microlight").first).to_contain_text(
        '"biopharmaceuticals"'
    )
    # Open a model in the Schemas section (more of Swagger UI's rendering).
    page.locator("#model-Error button").first.click()
    page.locator("#model-Error .model-box .property-row").first.wait_for()
    screenshot(page, "api-docs")
    assert problems == []
    assert all(url.startswith(live_server.url) for url in requested), requested
