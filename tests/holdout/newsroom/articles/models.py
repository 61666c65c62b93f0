from django.db import models


class Article(models.Model):
    title = models.CharField(max_length=300)
    body = models.TextField()
    language = models.CharField(max_length=8, default="en")
    summary = models.TextField(blank=True)
    published = models.DateTimeField(null=True)


class Headline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="headlines")
    text = models.CharField(max_length=200)
    model = models.CharField(max_length=100)


class Translation(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    language = models.CharField(max_length=8)
    body = models.TextField()
