"""What every feature uses: people, personal settings and hours, interactions, feature settings,
roles, audit, safe text, wording, subcommands, text similarity, AI models."""
