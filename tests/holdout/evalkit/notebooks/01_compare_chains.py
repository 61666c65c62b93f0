# %% [markdown]
# # Compare LangChain chat models on the support-FAQ set
# Exported from Jupyter (jupytext percent format).

# %%
import os

import pandas as pd
from langchain.chat_models import init_chat_model
from langchain_anthropic import ChatAnthropic
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import AzureChatOpenAI, ChatOpenAI

from evalkit.config import CANDIDATE_CLAUDE, DEFAULT_RUN

df = pd.read_parquet("data/faq_sample.parquet")
prompt = ChatPromptTemplate.from_messages([("system", "Answer in one paragraph."), ("user", "{question}")])

# %%
gpt = ChatOpenAI(model="gpt-4o-mini", temperature=0, max_tokens=300)
claude = ChatAnthropic(model=CANDIDATE_CLAUDE, max_tokens=300)
nano = ChatOpenAI(model_name=DEFAULT_RUN.candidate_model)
flexible = init_chat_model("anthropic:claude-3-5-haiku-latest", temperature=0)
mistral_lc = init_chat_model("mistral-small-latest", model_provider="mistralai")
azure_lc = AzureChatOpenAI(azure_deployment="faq-gpt4o", api_version="2024-10-21", temperature=0)

# %%
results = {}
for name, llm in {"gpt": gpt, "claude": claude, "nano": nano, "flex": flexible, "mistral": mistral_lc, "azure": azure_lc}.items():
    chain = prompt | llm
    results[name] = [chain.invoke({"question": q}).content for q in df["question"].head(20)]

# %%
scores = pd.DataFrame(results)
scores.to_csv("out/compare_chains.csv", index=False)
scores.describe()
