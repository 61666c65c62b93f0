"""A stand-in with the OpenAI client's shape, for replaying recorded answers without network access."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

RECORDINGS = Path(__file__).with_name("recordings.jsonl")


@dataclass
class _Completions:
    answers: list[str]

    def create(self, **kwargs: Any) -> SimpleNamespace:
        text = self.answers.pop(0) if self.answers else ""
        return SimpleNamespace(choices=[SimpleNamespace(message=SimpleNamespace(content=text))], request=kwargs)


class OpenAI:
    """Replays answers from recordings.jsonl in order."""

    def __init__(self, recordings: Path = RECORDINGS) -> None:
        answers = [json.loads(line)["answer"] for line in recordings.read_text().splitlines() if line.strip()]
        self.chat = SimpleNamespace(completions=_Completions(answers))
