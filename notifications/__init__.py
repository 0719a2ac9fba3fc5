"""What people are told: an in-app inbox and e-mail, per kind of message, with preferences
and one-click unsubscribe. Knows nothing about actors or events: the apps above register
their kinds of message (`kinds.register`) and call `service.notify`."""
