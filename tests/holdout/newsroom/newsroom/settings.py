"""Django settings for the newsroom project (excerpt)."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only")
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "articles"]
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/0")

AWS_REGION = os.environ.get("AWS_REGION", "us-east-1")
HEADLINE_MODEL = os.environ.get("NEWSROOM_HEADLINE_MODEL") or "claude-3-5-haiku-20241022"
BEDROCK_SUMMARY_MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
MEDIA_BUCKET = "newsroom-media"
