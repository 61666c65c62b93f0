# %% [markdown]
# # Embeddings and fast candidates from Cohere, Mistral and Groq

# %%
import asyncio
import os

import cohere
from groq import AsyncGroq
from mistralai import Mistral

co = cohere.ClientV2()
mistral = Mistral(api_key=os.getenv("MISTRAL_API_KEY", ""))
agroq = AsyncGroq()
texts = ["refund policy", "change plan", "cancel subscription"]

# %%
cohere_vectors = co.embed(model="embed-english-v3.0", texts=texts, input_type="search_document", embedding_types=["float"])
mistral_vectors = mistral.embeddings.create(model="mistral-embed", inputs=texts)
tokens = co.tokenize(text=texts[0], model="command-r-08-2024")

# %%
answer = co.chat(model="command-r-08-2024", messages=[{"role": "user", "content": "What does a refund window mean?"}])
print(answer.message.content[0].text)

# %%
stream = mistral.chat.stream(model="open-mistral-nemo", messages=[{"role": "user", "content": "Name three SLAs."}])
for event in stream:
    print(event.data.choices[0].delta.content or "", end="")


# %%
async def race(prompt: str) -> list[str]:
    calls = [
        agroq.chat.completions.create(model=m, messages=[{"role": "user", "content": prompt}], max_tokens=128)
        for m in ("llama-3.1-8b-instant", "gemma2-9b-it")
    ]
    results = await asyncio.gather(*calls)
    return [r.choices[0].message.content or "" for r in results]


print(asyncio.run(race("Explain churn in one sentence.")))
print([m.id for m in mistral.models.list().data])
