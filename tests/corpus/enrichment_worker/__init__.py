"""Enrichment worker: consumes company records from SQS and adds industry, summary and embeddings."""
