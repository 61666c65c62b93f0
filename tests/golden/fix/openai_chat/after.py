from openai import OpenAI

client = OpenAI()


def triage(ticket: str) -> str:
    # no attribution and no limit: both are added, one argument per line like the others
    response = client.chat.completions.create(
        model="gpt-6-luna",
        messages=[{"role": "user", "content": ticket}],  # the ticket as the user wrote it
        metadata={"team": "platform", "use_case": "assistant"},
        max_completion_tokens=512,
    )
    return response.choices[0].message.content or ""


def classify(ticket: str) -> str:
    # a metadata dict to merge into, and a limit above the cap to lower
    response = client.chat.completions.create(model='gpt-6-luna', messages=[{'role': 'user', 'content': ticket}],
                                              max_completion_tokens=512, metadata={'use_case': 'assistant', 'team': 'platform'})
    return response.choices[0].message.content or ""


def configurable(ticket: str, **options: object) -> str:
    # `**options` may carry both: left alone
    response = client.chat.completions.create(model="gpt-6-luna", messages=[{"role": "user", "content": ticket}], **options)
    return response.choices[0].message.content or ""


def tagged(ticket: str, meta: dict[str, str]) -> str:
    # the metadata comes from the caller: left alone
    response = client.chat.completions.create(
        model="gpt-6-luna",
        messages=[{"role": "user", "content": ticket}],
        max_completion_tokens=200,
        metadata=meta,
    )
    return response.choices[0].message.content or ""
