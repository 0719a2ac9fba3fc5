"""The curators' pages, one module per topic: review, history, duplicates (and merge), quality,
people (personal-data requests) and transfer (downloads in the import format)."""
