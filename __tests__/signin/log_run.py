"""Logs a run through the front door with the MLflow client, as a notebook would: MLFLOW_TRACKING_URI is the public
https name, MLFLOW_TRACKING_TOKEN an Entra ID access token. Prints the run id."""
import os
import pathlib
import tempfile

import mlflow

mlflow.set_experiment("front-door-signin")
with mlflow.start_run() as run:
    mlflow.log_param("entry", "front door")
    mlflow.log_metric("accuracy", 0.93)
    with tempfile.TemporaryDirectory() as tmp:
        note = pathlib.Path(tmp, "note.txt")
        note.write_text("logged through oauth2-proxy with a bearer token\n")
        mlflow.log_artifact(str(note))
print(run.info.run_id)
