import litellm


def complete(prompt: str) -> str:
    # litellm's own `metadata` feeds its callbacks only; the gateway reads headers
    response = litellm.completion(
        model="openai/gpt-6-luna",
        messages=[{"role": "user", "content": prompt}],
        extra_headers={"X-Oberhahn-Team": "platform", "X-Oberhahn-Use-Case": "assistant"},
        max_tokens=512,
    )
    return response.choices[0].message.content


async def complete_async(prompt: str) -> str:
    response = await litellm.acompletion(model="anthropic/claude-haiku-5-5", messages=[{"role": "user", "content": prompt}],
                                         max_tokens=512, extra_headers={"X-Oberhahn-Team": "platform", "X-Oberhahn-Use-Case": "assistant"})
    return response.choices[0].message.content
