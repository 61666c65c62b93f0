# %% [markdown]
# # DSPy program for answer extraction

# %%
import dspy

lm = dspy.LM("openai/gpt-4o-mini", max_tokens=400, temperature=0.0)
dspy.configure(lm=lm)
teacher = dspy.LM(model="anthropic/claude-3-5-sonnet-20241022", max_tokens=1000)


class ExtractAnswer(dspy.Signature):
    """Extract the short answer from a support article."""

    article: str = dspy.InputField()
    question: str = dspy.InputField()
    answer: str = dspy.OutputField()


# %%
program = dspy.ChainOfThought(ExtractAnswer)
print(program(article="Refunds are issued within 14 days.", question="How long do refunds take?").answer)

# %%
with dspy.context(lm=teacher):
    print(program(article="Plans can change any time.", question="Can I switch plans?").answer)
