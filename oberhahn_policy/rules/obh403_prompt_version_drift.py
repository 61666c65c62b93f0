"""OBH403 prompt-version-drift."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ..lock import (
    LOCK_FILE,
    LockError,
    locked_hash,
    locked_prompts,
    read_lock,
    recorded_elsewhere,
)
from ._base import Rule
from ._examples import Example, python, text, yaml
from ._view import ProjectView


class PromptVersionDrift(Rule):
    """A prompt's text changes only together with its `prompt_version`."""

    code = "OBH403"
    name = "prompt-version-drift"
    default_severity = Severity.ERROR
    summary = "A static prompt changed but its prompt_version did not."
    what = ("`oberhahn-policy lock` writes `oberhahn.lock` at the project root: for each use case and prompt version, "
            "a hash of each static prompt (prompt files included) of the calls that carry a statically known "
            "`prompt_version` attribution. `check` compares: a prompt whose text no longer matches the hash recorded "
            "for its current use case and version is a finding. Bump the version and run `lock` again to pass. "
            "Without a lock file the rule is silent.")
    why = ("Evaluations, cost baselines and incident reviews are keyed by prompt version. A prompt edited in place "
           "under the old version makes every dashboard compare two different prompts as if they were one, and a "
           "regression can't be traced to the change that caused it.")
    fix = "Bump the call's `prompt_version` (e.g. `v3` -> `v4`) and run `oberhahn-policy lock`; commit both."
    # the lock file holds `prompt_hash("You are a support triage assistant. Reply with one label.")`: the prompt of v3
    valid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()
            PROMPT_VERSION = "v3"
            SYSTEM = "You are a support triage assistant. Reply with one label."


            def triage(ticket: str) -> str:
                response = client.chat.completions.create(
                    model="gpt-6-luna",
                    messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": ticket}],
                    max_completion_tokens=20,
                    metadata={"team": "support", "use_case": "ticket-triage", "prompt_version": PROMPT_VERSION},
                )
                return response.choices[0].message.content or ""
        """), policy=yaml("""
            version: 1
            attribution:
              required: []
              optional: [prompt_version]
        """), others=(('oberhahn.lock', text("""
                {"prompts": {"ticket-triage": {"v3": {"app/service.py::triage#0": {"sha256": "sha256:bb4aab36d6da0d37ef62db7b3f6735e6ab15901559de05a06a1eeb14b88307ff", "tokens": 12}}}}, "version": 1}
            """)),)),
    )
    invalid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()
            PROMPT_VERSION = "v3"
            SYSTEM = "You are a support triage assistant. Reply with exactly one label, in lowercase."


            def triage(ticket: str) -> str:
                response = client.chat.completions.create(
                    model="gpt-6-luna",
                    messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": ticket}],
                    max_completion_tokens=20,
                    metadata={"team": "support", "use_case": "ticket-triage", "prompt_version": PROMPT_VERSION},
                )
                return response.choices[0].message.content or ""
        """), policy=yaml("""
            version: 1
            attribution:
              required: []
              optional: [prompt_version]
        """), lines=(9,), message="prompt_version is still 'v3'", others=(('oberhahn.lock', text("""
                {"prompts": {"ticket-triage": {"v3": {"app/service.py::triage#0": {"sha256": "sha256:bb4aab36d6da0d37ef62db7b3f6735e6ab15901559de05a06a1eeb14b88307ff", "tokens": 12}}}}, "version": 1}
            """)),)),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        if view.root is None:
            return
        try:
            lock = read_lock(view.root)
        except LockError as exc:
            yield self.at(LOCK_FILE, 1, 1, f"{LOCK_FILE}: {exc}")
            return
        if lock is None:
            return
        for prompt in locked_prompts(view.call_sites):
            recorded = locked_hash(lock, prompt)
            if recorded is None or recorded == prompt.sha256 or recorded_elsewhere(lock, prompt):
                continue
            yield self.at_call(prompt.site, f"the static prompt of this call changed since {LOCK_FILE} was written, but its "
                                            f"prompt_version is still {prompt.prompt_version!r} (use case {prompt.use_case!r}); "
                                            "bump prompt_version and run `oberhahn-policy lock`")
