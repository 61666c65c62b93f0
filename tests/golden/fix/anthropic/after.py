import anthropic

claude = anthropic.Anthropic()


def summarise(text: str) -> str:
    # Anthropic's `metadata` takes only `user_id`: attribution goes into gateway headers
    message = claude.messages.create(
        model="claude-haiku-5-5",
        max_tokens=512,
        messages=[{"role": "user", "content": text}],
        metadata={"user_id": "u-1"},
        extra_headers={"X-Oberhahn-Team": "platform", "X-Oberhahn-Use-Case": "assistant"},
    )
    return message.content[0].text


def title(text: str) -> str:
    # headers already carry the use case: the team joins them
    message = claude.messages.create(
        model="claude-haiku-5-5", max_tokens=30, messages=[{"role": "user", "content": text}],
        extra_headers={"X-Oberhahn-Use-Case": "assistant", "X-Oberhahn-Team": "platform"},
    )
    return message.content[0].text
