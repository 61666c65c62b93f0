"""Scripts from the 2023 prototype. Pinned to openai==0.28 and langchain==0.0.x; some were migrated."""
