"""LLM gateway shim: one internal HTTP API in front of every vendor, with per-team keys and quotas."""
