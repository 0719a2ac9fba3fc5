"""`load_demo` refuses bad demo data as a whole."""

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from directory.demo import DemoDataError, demo_load
from directory.demo_schema import DEMO_DIR
from directory.models import Actor


def test_bad_demo_file_is_rejected_and_writes_nothing(db, tmp_path):
    good = yaml.safe_load((DEMO_DIR / "eu_and_partners.yaml").read_text(encoding="utf-8"))[:2]
    bad = dict(good[1], slug="bad-one", sectors=["biotek"], description="Too short.")
    path = tmp_path / "demo.yaml"
    path.write_text(yaml.safe_dump([good[0], bad]), encoding="utf-8")
    with pytest.raises(DemoDataError) as err:
        demo_load(paths=[path])
    message = str(err.value)
    assert "unknown sector code 'biotek'" in message
    assert "the description has 2 words; a published profile needs at least 20" in message
    assert not Actor.objects.exists()


def test_load_demo_command_reports_problems(db, tmp_path, monkeypatch):
    path = tmp_path / "broken.yaml"
    path.write_text("- slug: Not A Slug\n  name: X\n", encoding="utf-8")
    monkeypatch.setattr("directory.demo.DEMO_DIR", tmp_path)
    with pytest.raises(CommandError, match="nothing was loaded") as err:
        call_command("load_demo")
    assert "slug must be lowercase words joined by hyphens" in str(err.value)
    assert not Actor.objects.exists()
