"""Platform adapters: each turns platform payloads into bot.contract.events and renders
bot.contract.ui."""
