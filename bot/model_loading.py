"""DIET is loaded for prediction only: its weights, without the training state Rasa builds first.

Rasa 3.6 loads a trained DIET model (`RasaModel.load`) by compiling it with an Adam optimizer,
training it for one step on an example (`model.fit`, only to create its variables), then reading
the trained weights over them. That training step leaves behind the optimizer's two slots for
every weight (twice the size of the weights), the traced training graph and its buffers: measured
on this project's model, the Rasa server held 371 MB more after loading DIET, of which 41 MB are
the weights; the step also costs about 4 s of start-up.

`install()` replaces that for DIET's model class: the model is compiled the same way, the
checkpoint is opened before the model has variables (TensorFlow restores each variable as it is
created), and the one prediction Rasa already runs on an example creates them, so that the first
label embeddings and the traced prediction graph are built from the trained weights. What the
model predicts is unchanged: every intent ranking and entity of the 3,819 sentences in data/nlu
and tests/nlu came out byte for byte the same (2026-12-07), and the load fails, as before, if a
variable the prediction uses is not in the checkpoint. The optimizer's slots in the checkpoint
are left unread (`expect_partial`).

Fine-tuning (`rasa train --finetune`), loading without a prediction example, and every other model
class (TED, ResponseSelector) keep Rasa's own method. Installed when the NLU components of this
project are imported (`bot/component.py`), so wherever the model is loaded.
"""
from __future__ import annotations

import logging
from typing import Any, Optional

import tensorflow as tf
from rasa.nlu.classifiers.diet_classifier import DIET
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

logger = logging.getLogger(__name__)

_rasa_load = RasaModel.__dict__["load"].__func__


def load_for_prediction(
    cls: type,
    model_file_name: str,
    model_data_example: RasaModelData,
    predict_data_example: Optional[RasaModelData] = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    """`RasaModel.load` for a model that will only predict (see the module's docstring)."""
    if cls is not DIET or finetune_mode or not predict_data_example:
        return _rasa_load(cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
                          *args, **kwargs)
    config = kwargs.get("config", {})
    model = cls(*args, **kwargs)
    model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
                  run_eagerly=config.get(RUN_EAGERLY))
    status = model.load_weights(model_file_name)
    # Creates the variables (each restored from the checkpoint as it is made), computes the
    # label embeddings and traces the prediction graph, as Rasa's load does after its fit.
    model.run_inference(predict_data_example)
    # Every variable the model has made must have come from the checkpoint; the optimizer's
    # slots stored beside them are not needed for prediction.
    status.assert_existing_objects_matched()
    status.expect_partial()
    logger.debug(f"Loaded {model_file_name} for prediction only.")
    return model


def install() -> None:
    RasaModel.load = classmethod(load_for_prediction)  # type: ignore[assignment]


__all__ = ["install", "load_for_prediction"]
