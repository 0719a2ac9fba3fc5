import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _no_figures_from_another_test():
    # The public figures are cached per directory revision, and each test's rolled-back
    # transaction takes the revision counter back with it: a later test reaches the same
    # number with other data.
    cache.clear()
    yield
    cache.clear()
