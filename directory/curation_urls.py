# Placeholder until the curation pages land; replaced by their module.
urlpatterns: list = []
