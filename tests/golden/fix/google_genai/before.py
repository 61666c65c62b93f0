from google import genai
from google.genai import types

client = genai.Client()


def label(text: str) -> str:
    response = client.models.generate_content(
        model="gemini-3-flash",
        contents=text,
        config=types.GenerateContentConfig(temperature=0.0),
    )
    return response.text or ""


def describe(text: str) -> str:
    response = client.models.generate_content(model="gemini-3-flash", contents=text)
    return response.text or ""


def configured(text: str, config: types.GenerateContentConfig) -> str:
    # the config is built elsewhere: it may set the limit, so it is left alone
    response = client.models.generate_content(model="gemini-3-flash", contents=text, config=config)
    return response.text or ""
