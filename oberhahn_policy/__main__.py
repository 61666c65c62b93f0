"""`python -m oberhahn_policy`."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="oberhahn-policy")
