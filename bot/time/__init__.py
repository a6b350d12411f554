"""Time: clocks, schedules and their triggers, due work, and the runtime loops."""
