"""What every feature uses: people, personal settings and hours, interactions, feature settings,
roles, audit, safe text, wording, subcommands, text matching per language (words, stop words,
stemming, language guess, tokenizing, tag names, similarity), AI models."""
