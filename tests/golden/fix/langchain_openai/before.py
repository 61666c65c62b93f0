from langchain_openai import ChatOpenAI

# the model binding is the call site: the limit and the attribution go into the constructor
llm = ChatOpenAI(model="gpt-6-luna", temperature=0)

drafting = ChatOpenAI(
    model="gpt-6-luna",
    max_tokens=1024,
    extra_body={"metadata": {"use_case": "assistant"}},
)
