"""Helpdesk: a small support-desk back-end that triages, summarises and answers tickets with LLMs."""
