"""Fits y = a*x + b with ridge regularisation and logs the result to the MLflow run the project started."""

import argparse
import json
import os
import tempfile

import mlflow
import numpy as np


def load_points(data, points, rng):
    """Reads x,y pairs from a CSV file, or makes up noisy points on y = 3x + 2."""
    if data != "synthetic":
        table = np.loadtxt(data, delimiter=",", skiprows=1, ndmin=2)
        return table[:, 0], table[:, 1]
    x = rng.uniform(-5.0, 5.0, size=points)
    return x, 3.0 * x + 2.0 + rng.normal(0.0, 0.5, size=points)


def fit(x, y, alpha):
    """Ridge least squares on [x, 1]; alpha shrinks the slope only."""
    design = np.column_stack([x, np.ones_like(x)])
    penalty = np.diag([alpha, 0.0])
    slope, intercept = np.linalg.solve(design.T @ design + penalty, design.T @ y)
    return float(slope), float(intercept)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--alpha", type=float, required=True)
    parser.add_argument("--points", type=int, required=True)
    parser.add_argument("--data", required=True)
    args = parser.parse_args()

    x, y = load_points(args.data, args.points, np.random.default_rng(seed=7))
    slope, intercept = fit(x, y, args.alpha)
    rmse = float(np.sqrt(np.mean((slope * x + intercept - y) ** 2)))

    # `mlflow run` passes the run through MLFLOW_RUN_ID / MLFLOW_TRACKING_URI; start_run picks them up.
    with mlflow.start_run():
        mlflow.log_params({"alpha": args.alpha, "points": len(x), "data": args.data})
        mlflow.log_metric("rmse", rmse)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "coefficients.json")
            with open(path, "w") as out:
                json.dump({"slope": slope, "intercept": intercept}, out)
            mlflow.log_artifact(path)
    print(f"slope={slope:.3f} intercept={intercept:.3f} rmse={rmse:.3f}")


if __name__ == "__main__":
    main()
