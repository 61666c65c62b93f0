"""Knowledge-base search and answers."""
