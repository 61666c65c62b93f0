"""Research agent: plans, searches internal docs and the web, and writes cited briefs."""
