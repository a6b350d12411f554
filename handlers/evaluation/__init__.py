"""Offline evaluation against real history: the Q&A routing replay and the network insights on
a StackExchange dump. Not a chat feature (no routes): its one contribution is `rapport eval`
(cli.py), and benchmarks/ use its reports directly; the running bot never loads them."""

from bot.contract.feature import Feature
from handlers.evaluation import cli

feature = Feature("eval", commands=cli.commands)
