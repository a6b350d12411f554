"""Offline evaluation against real history: the Q&A routing replay and the network insights on
a StackExchange dump. Not a chat feature (no router): `rapport eval` and benchmarks/ use it,
so the running features never load it."""
