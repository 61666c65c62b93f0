# %% [markdown]
# # Non-LLM baselines (for the comparison table)

# %%
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from transformers import pipeline

df = pd.read_parquet("data/faq_sample.parquet")

# %%
vectorizer = TfidfVectorizer(max_features=20_000)
X = vectorizer.fit_transform(df["question"])
clf = LogisticRegression(max_iter=1000).fit(X, df["intent"])
df["tfidf_intent"] = clf.predict(X)

# %%
generator = pipeline("text-generation", model="Qwen/Qwen2.5-0.5B-Instruct", max_new_tokens=64)
df["local_answer"] = [generator(q)[0]["generated_text"] for q in df["question"].head(10)]
sentiment = pipeline("sentiment-analysis", model="distilbert-base-uncased-finetuned-sst-2-english")
df["sentiment"] = [s["label"] for s in sentiment(list(df["question"].head(10)))]


# %%
class OpenAI:
    """Stand-in with the same shape as our old in-house scorer service (HTTP, not an LLM)."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint

    def create(self, model: str, text: str) -> float:
        return float(len(text) % 5)


scorer = OpenAI("http://scorer.internal:8080")
df["house_score"] = [scorer.create(model="intent-v7", text=q) for q in df["question"].head(10)]
