"""Entry points and wiring: the command line, settings, assembly of a running bot, the web server,
the demo data, start-up checks."""
