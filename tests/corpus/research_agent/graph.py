"""The agent loop: plan -> research -> write -> critique, as a small LangGraph."""

from __future__ import annotations

import logging
from typing import TypedDict

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI
from langgraph.graph import END, StateGraph

from . import llms
from .retrieval import build_retriever
from .tools import TOOLS

logger = logging.getLogger(__name__)


class State(TypedDict):
    question: str
    plan: list[str]
    notes: list[str]
    draft: str
    critique: str


PLAN_PROMPT = ChatPromptTemplate.from_messages([
    ("system", "Break the research question into at most five concrete search steps, one per line."),
    ("human", "{question}"),
])
WRITE_PROMPT = ChatPromptTemplate.from_messages([
    ("system", "Write a brief with inline citations [n] from the notes. Be precise."),
    ("human", "Question: {question}\n\nNotes:\n{notes}"),
])


def plan(state: State) -> dict[str, list[str]]:
    chain = PLAN_PROMPT | llms.planner() | StrOutputParser()
    steps = chain.invoke({"question": state["question"]}).splitlines()
    return {"plan": [step.strip() for step in steps if step.strip()]}


def research(state: State) -> dict[str, list[str]]:
    retriever = build_retriever()
    notes: list[str] = []
    for step in state["plan"]:
        docs = retriever.invoke(step)
        notes.extend(doc.page_content[:800] for doc in docs)
        for tool in TOOLS:
            notes.append(str(tool.invoke({"query": step})))
    return {"notes": notes}


def write(state: State) -> dict[str, str]:
    chain = WRITE_PROMPT | llms.writer() | StrOutputParser()
    draft = chain.invoke({"question": state["question"], "notes": "\n".join(state["notes"])})
    return {"draft": draft}


def critique(state: State) -> dict[str, str]:
    reviewer = ChatOpenAI(model="o3-mini", reasoning_effort="medium", max_completion_tokens=4000)
    verdict = reviewer.invoke(f"Find factual gaps in this brief:\n\n{state['draft']}")
    return {"critique": str(verdict.content)}


def build_graph():  # noqa: ANN201 - LangGraph's compiled type is private
    graph = StateGraph(State)
    graph.add_node("plan", plan)
    graph.add_node("research", research)
    graph.add_node("write", write)
    graph.add_node("critique", critique)
    graph.set_entry_point("plan")
    graph.add_edge("plan", "research")
    graph.add_edge("research", "write")
    graph.add_edge("write", "critique")
    graph.add_edge("critique", END)
    return graph.compile()


def answer(question: str) -> str:
    app = build_graph()
    final = app.invoke({"question": question, "plan": [], "notes": [], "draft": "", "critique": ""})
    return final["draft"]
