"""Nightly digest: batch jobs that summarise yesterday's account activity for customer-success managers."""
