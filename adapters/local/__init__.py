"""The in-process platform: embedded default, transcript shell, and driver of handler tests."""
