"""Platform adapters: each turns platform payloads into bot.events and renders bot.ui."""
