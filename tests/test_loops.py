"""OBH402: calls repeated without a visible bound fire; bounded loops (the false-positive cases) don't."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import check_project, write_project

HEAD = "import itertools\nimport time\nfrom collections import deque\n\nimport anthropic\n\nclaude = anthropic.Anthropic()\nMAX_TURNS = 6\n\n\n"
CALL = "claude.messages.create(model=\"claude-haiku-5-5\", max_tokens=64, messages=[])"

#: name -> function body; each must NOT fire.
BOUNDED = {
    "for-over-a-list": "def run(tickets: list[str]) -> None:\n    for ticket in tickets:\n        " + CALL + "\n",
    "for-over-range": "def run() -> None:\n    for _ in range(MAX_TURNS):\n        " + CALL + "\n",
    "async-for": "async def run(stream) -> None:\n    async for item in stream:\n        await " + CALL + "\n",
    "comprehension": "def run(tickets: list[str]) -> list[object]:\n    return [" + CALL + " for _ in tickets]\n",
    "while-counter-in-condition": "def run(n: int) -> None:\n    i = 0\n    while i < n:\n        " + CALL + "\n        i += 1\n",
    "while-counter-assigned": "def run(n: int) -> None:\n    i = 0\n    while i < n:\n        " + CALL + "\n        i = i + 1\n",
    "while-countdown-attribute": ("class Agent:\n    def run(self) -> None:\n        while self.budget > 0:\n            " + CALL
                                  + "\n            self.budget -= 1\n"),
    "retry-while-true-with-max": ("def run() -> object:\n    attempt = 0\n    while True:\n        attempt += 1\n        try:\n"
                                  "            return " + CALL + "\n        except anthropic.APIError:\n"
                                  "            if attempt >= 3:\n                raise\n"),
    "retry-for-range": ("def run() -> object:\n    for attempt in range(3):\n        try:\n            return " + CALL
                        + "\n        except anthropic.APIError:\n            time.sleep(2 ** attempt)\n    return None\n"),
    "while-deadline": "def run() -> None:\n    end = time.monotonic() + 30\n    while time.monotonic() < end:\n        " + CALL + "\n",
    "while-draining-a-queue": ("def run(items: list[str]) -> None:\n    queue = deque(items)\n    while queue:\n        item = queue.popleft()\n"
                               "        " + CALL + "\n"),
    "call-in-while-else": "def run() -> None:\n    while False:\n        pass\n    else:\n        " + CALL + "\n",
    "call-before-the-loop": "def run() -> None:\n    " + CALL + "\n    while True:\n        time.sleep(1)\n",
    "loop-around-a-nested-def": ("def run() -> None:\n    while True:\n        def later() -> None:\n            " + CALL
                                 + "\n        break\n"),
    "recursion-with-depth": ("def walk(node: dict, depth: int = 0) -> None:\n    if depth > 3:\n        return\n    " + CALL
                             + "\n    for child in node['children']:\n        walk(child, depth + 1)\n"),
    "recursion-with-budget-countdown": ("def refine(text: str, budget: int) -> str:\n    if budget <= 0:\n        return text\n    "
                                        + CALL + "\n    return refine(text, budget - 1)\n"),
    "islice-count": "def run() -> None:\n    for _ in itertools.islice(itertools.count(), 5):\n        " + CALL + "\n",
}

#: name -> (function body, fragment of the message); each MUST fire.
UNBOUNDED = {
    "while-true": ("def run() -> None:\n    while True:\n        reply = " + CALL + "\n        if reply.stop_reason == 'end_turn':\n"
                   "            break\n", "`while True` with no counter-checked exit"),
    "while-1": ("def run() -> None:\n    while 1:\n        " + CALL + "\n", "`while 1`"),
    "while-not-done": ("def run() -> None:\n    done = False\n    while not done:\n        reply = " + CALL
                       + "\n        done = reply.stop_reason == 'end_turn'\n", "`while not done` has no counter"),
    "while-counter-never-stepped": ("def run(n: int) -> None:\n    i = 0\n    while i < n:\n        " + CALL + "\n",
                                    "`while i < n`"),
    "while-worklist-that-grows": ("def run(items: list[str]) -> None:\n    while items:\n        item = items.pop()\n        reply = "
                                  + CALL + "\n        items.append(item)\n", "`while items`"),
    "call-in-the-condition": ("def run() -> None:\n    while " + CALL + ".stop_reason != 'end_turn':\n        pass\n", "`while"),
    "itertools-count": ("def run() -> None:\n    for _ in itertools.count():\n        " + CALL + "\n", "itertools.count()"),
    "recursion": ("def refine(text: str) -> str:\n    reply = " + CALL + "\n    return text if text else refine(text)\n",
                  "`refine` calls itself"),
    "method-recursion": ("class Agent:\n    def step(self) -> None:\n        " + CALL + "\n        self.step()\n",
                         "`step` calls itself"),
    "nested-for-inside-while-true": ("def run(batch: list[str]) -> None:\n    while True:\n        for item in batch:\n            "
                                     + CALL + "\n        time.sleep(60)\n", "`while True`"),
}


def _obh402(tmp_path: Path, body: str) -> list[str]:
    root = write_project(tmp_path / "p", {"app/agent.py": HEAD + body}, "version: 1\nattribution:\n  required: []\n")
    report = check_project(root)
    assert report.call_sites, "the call must be recognised for the test to mean anything"
    return [f.message for f in report.findings if f.code == "OBH402"]


@pytest.mark.parametrize("name", BOUNDED)
def test_bounded_loops_do_not_fire(tmp_path: Path, name: str) -> None:
    assert _obh402(tmp_path, BOUNDED[name]) == []


@pytest.mark.parametrize("name", UNBOUNDED)
def test_unbounded_loops_fire(tmp_path: Path, name: str) -> None:
    body, fragment = UNBOUNDED[name]
    messages = _obh402(tmp_path, body)
    assert len(messages) == 1 and fragment in messages[0], messages
