"""What features and adapters agree on: events in, neutral UI out, the router, the handler's
context, the platform interface, errors, and the Bot that dispatches."""
