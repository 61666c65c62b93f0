"""Model names shared by the routes and the background services."""

TRIAGE_MODEL = "gpt-4o-mini-2024-07-18"
CLAUDE_FAST = "claude-3-5-haiku-latest"
EMBEDDING_MODEL = "text-embedding-3-small"
GEMINI_MODEL = "gemini-2.0-flash"
MAX_TOKENS = 512
