"""Helpdesk: a FastAPI service that triages, summarises and drafts replies to support tickets."""

__version__ = "2.4.1"
