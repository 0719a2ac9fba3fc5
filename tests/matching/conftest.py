import pytest

from tests.factories import ActorFactory, InterestFactory, SectorFactory


@pytest.fixture
def world(cast):
    """cast's European actors plus a small Korean side with one obvious partner each."""
    water = SectorFactory(code="environmental-services", label="Environmental services")
    bio = SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals")
    market = InterestFactory(code="market-access", label="Market access and export")
    rnd = InterestFactory(code="rd-projects", label="Joint R&D projects")
    a = cast.actor
    a.description = "Lyon cluster for vaccines, antibodies and diagnostics companies."
    a.save()
    a.sectors.set([bio])
    a.seeks.set([market])
    a.offers.set([rnd])
    cast.other_actor.description = "Turin water cluster: wastewater treatment and membranes."
    cast.other_actor.save()
    cast.other_actor.sectors.set([water])
    cast.chuncheon = ActorFactory(
        slug="chuncheon-bio",
        name="Chuncheon Bioindustry Foundation",
        side="kr",
        country="KR",
        kind="foundation",
        description="Bioindustry foundation for vaccines, antibodies and "
        "diagnostics start-ups in Gangwon.",
        sectors=[bio],
        offers=[market],
        seeks=[rnd],
    )
    cast.daegu = ActorFactory(
        slug="daegu-water",
        name="Daegu Water Cluster",
        side="kr",
        country="KR",
        kind="cluster-agency",
        description="Water technopole with membranes and wastewater treatment test beds.",
        sectors=[water],
    )
    cast.korean.description = "Mobile phone parts makers in Gumi."
    cast.korean.save()
    return cast
