"""Fully offline evaluation helpers: local HF models, no API calls (used in the nightly eval box)."""

from __future__ import annotations

from functools import lru_cache

import torch
from llama_cpp import Llama
from sentence_transformers import CrossEncoder, SentenceTransformer
from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline
from vllm import LLM, SamplingParams

GEN_CHECKPOINT = "mistralai/Mistral-7B-Instruct-v0.3"


@lru_cache(maxsize=1)
def _embedder() -> SentenceTransformer:
    return SentenceTransformer("sentence-transformers/all-MiniLM-L6-v2")


def embed_offline(texts: list[str]) -> list[list[float]]:
    return _embedder().encode(texts, normalize_embeddings=True).tolist()


def rerank_offline(query: str, passages: list[str]) -> list[float]:
    scorer = CrossEncoder("cross-encoder/ms-marco-MiniLM-L-6-v2")
    return scorer.predict([(query, p) for p in passages]).tolist()


def generate_hf(prompt: str) -> str:
    generator = pipeline("text-generation", model="Qwen/Qwen2.5-0.5B-Instruct", device_map="auto")
    return generator(prompt, max_new_tokens=128)[0]["generated_text"]


def generate_raw(prompt: str) -> str:
    tokenizer = AutoTokenizer.from_pretrained(GEN_CHECKPOINT)
    model = AutoModelForCausalLM.from_pretrained(GEN_CHECKPOINT, torch_dtype=torch.bfloat16)
    inputs = tokenizer(prompt, return_tensors="pt")
    output = model.generate(**inputs, max_new_tokens=256)
    return tokenizer.decode(output[0], skip_special_tokens=True)


def generate_vllm(prompts: list[str]) -> list[str]:
    engine = LLM(model=GEN_CHECKPOINT, max_model_len=8192)
    outputs = engine.generate(prompts, SamplingParams(max_tokens=256, temperature=0.2))
    return [o.outputs[0].text for o in outputs]


def generate_gguf(question: str) -> str:
    llm = Llama(model_path="/models/llama-3.1-8b-instruct.Q4_K_M.gguf", n_ctx=8192)
    result = llm.create_chat_completion(messages=[{"role": "user", "content": question}], max_tokens=256)
    return result["choices"][0]["message"]["content"]
