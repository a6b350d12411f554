"""What an operator sees of a running process: its metrics and its log lines."""
