# %% [markdown]
# # RAG baseline with LlamaIndex

# %%
import os

from llama_index.core import Settings, SimpleDirectoryReader, VectorStoreIndex
from llama_index.embeddings.openai import OpenAIEmbedding
from llama_index.llms.openai import OpenAI

Settings.llm = OpenAI(model=os.environ.get("RAG_MODEL", "gpt-4o-mini"), temperature=0.1, max_tokens=512)
Settings.embed_model = OpenAIEmbedding(model="text-embedding-3-large")

# %%
docs = SimpleDirectoryReader("data/kb").load_data()
index = VectorStoreIndex.from_documents(docs)
engine = index.as_query_engine(similarity_top_k=4)
answer = engine.query("How do I reset my password?")
print(answer)

# %%
strict = OpenAI("gpt-4o", temperature=0.0)
print(strict.complete("Rewrite as a bullet list:\n" + str(answer)))
