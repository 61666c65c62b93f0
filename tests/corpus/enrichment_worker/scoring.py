"""Lead scoring with the in-house models (scikit-learn and a small Keras net). No LLMs here."""

from __future__ import annotations

from functools import lru_cache

import joblib
import numpy as np
from tensorflow import keras

SKLEARN_PATH = "/models/lead_score_v7.joblib"
KERAS_PATH = "/models/churn_net_v3.keras"


@lru_cache(maxsize=1)
def _lead_model():  # noqa: ANN202 - sklearn pipeline
    return joblib.load(SKLEARN_PATH)


def lead_scores(features: np.ndarray) -> np.ndarray:
    model = _lead_model()
    return model.predict_proba(features)[:, 1]


def lead_classes(features: np.ndarray) -> np.ndarray:
    return _lead_model().predict(features)


def churn_risk(features: np.ndarray) -> np.ndarray:
    model = keras.models.load_model(KERAS_PATH)
    return model.predict(features, verbose=0).ravel()
