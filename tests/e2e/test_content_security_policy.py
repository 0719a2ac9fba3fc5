"""The Content Security Policy blocks nothing the site itself needs."""

from tests.e2e.conftest import log_in, screenshot
from tests.factories import ActorFactory, InterestFactory, SectorFactory, UserFactory


def test_pages_render_under_the_policy_without_violations(live_server, page, transactional_db):
    bio = SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals")
    market = InterestFactory(code="market-access", label="Market access and export")
    lyon = ActorFactory(
        slug="lyonbiopole", name="Lyonbiopole", sectors=[bio], seeks=[market],
        description="Lyon health cluster for vaccines, diagnostics and infectious diseases.",
    )  # fmt: skip
    ActorFactory(
        slug="chuncheon", name="Chuncheon Bioindustry Foundation", side="kr", country="KR",
        kind="foundation", sectors=[bio], offers=[market],
        description="Gangwon foundation supporting vaccines and diagnostics companies.",
    )  # fmt: skip
    manager = UserFactory(username="lyon.manager")
    lyon.managers.add(manager)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{live_server.url}/accounts/login/")
    log_in(page, "lyon.manager")
    for path in ("/", "/actors/", "/actors/lyonbiopole/", "/partners/lyonbiopole/", "/events/"):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("link[rel=stylesheet]").count() == 1
    # The score bar is drawn by stylesheet classes, so it still has a width under the policy.
    page.goto(f"{live_server.url}/partners/lyonbiopole/")
    text_segment = page.locator(".scorebar .seg-text").first
    assert text_segment.bounding_box()["width"] > 10
    screenshot(page, "partners-under-csp")
    assert violations == []
