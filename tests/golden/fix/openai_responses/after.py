from openai import AsyncOpenAI

client = AsyncOpenAI()
MAX_ANSWER_TOKENS = 2048


async def answer(question: str) -> str:
    response = await client.responses.create(
        model="gpt-6-luna",
        instructions="Answer briefly.",
        input=question,
        metadata={"team": "platform", "use_case": "assistant"},
        max_output_tokens=512
    )
    return response.output_text


async def summary(text: str) -> str:
    # the limit is a module constant shared with other code: lowered where it is defined, not here
    response = await client.responses.create(model="gpt-6-luna", input=text, max_output_tokens=MAX_ANSWER_TOKENS,
                                             metadata={"team": "platform", "use_case": "assistant"})
    return response.output_text
