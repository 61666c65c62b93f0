"""The first prototype of the email classifier (langchain 0.0.3xx import paths)."""

from langchain.chains import LLMChain
from langchain.chat_models import ChatOpenAI
from langchain.prompts import PromptTemplate

PROMPT = PromptTemplate.from_template("Classify the email as SALES, SUPPORT or SPAM:\n\n{email}\n\nLabel:")


def classify(email):
    llm = ChatOpenAI(temperature=0)
    chain = LLMChain(llm=llm, prompt=PROMPT)
    return chain.run(email=email).strip()


def classify_careful(email):
    llm = ChatOpenAI(model_name="gpt-4", temperature=0, max_tokens=5)
    return llm.predict(PROMPT.format(email=email)).strip()
