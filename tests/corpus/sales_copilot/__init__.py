"""Sales copilot: a Slack bot that researches accounts, drafts emails and turns call recordings into notes."""
