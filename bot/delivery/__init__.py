"""Messages out and events in, exactly once: the outbox, its lanes, leases, pauses and pacing,
group DMs, and the durable intake."""
