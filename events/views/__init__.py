"""Event pages: thin views over the services beside them (`events.setup`, `events.schedule`, ...),
one module per part of the event; `events.urls` names each view by its module."""
