import json

import boto3

bedrock = boto3.client("bedrock-runtime", region_name="eu-west-1")
MODEL = "anthropic.claude-haiku-5-5-v1:0"


def converse(text: str) -> str:
    # an inference config to merge the limit into, and no request metadata yet
    response = bedrock.converse(
        modelId=MODEL,
        messages=[{"role": "user", "content": [{"text": text}]}],
        inferenceConfig={"temperature": 0.2, "maxTokens": 512},
        requestMetadata={"team": "platform", "use_case": "assistant"},
    )
    return response["output"]["message"]["content"][0]["text"]


def converse_bare(text: str) -> str:
    response = bedrock.converse(modelId=MODEL, messages=[{"role": "user", "content": [{"text": text}]}], requestMetadata={"team": "platform", "use_case": "assistant"}, inferenceConfig={"maxTokens": 512})
    return response["output"]["message"]["content"][0]["text"]


def invoke(text: str) -> str:
    # InvokeModel: the limit goes into the JSON body of the model family (Anthropic: max_tokens)
    response = bedrock.invoke_model(
        modelId=MODEL,
        body=json.dumps({
            "anthropic_version": "bedrock-2023-05-31",
            "max_tokens": 2000,
            "messages": [{"role": "user", "content": text}],
        }),
    )
    return json.loads(response["body"].read())["content"][0]["text"]
