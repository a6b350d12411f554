"""Discord: a discord.py gateway client in the bot's event loop, and a Platform for the outbox.

`client` turns application commands, button clicks, modal submits, reactions and DMs into
bot.contract.events; `platform` delivers outbox rows rendered by `render`. Nothing here imports a
handler.
"""
