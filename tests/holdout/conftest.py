"""The corpus is application code for the accuracy test to read, never tests to collect or modules to import."""

collect_ignore_glob = ["*"]
