#!/usr/bin/env python3
"""Checks that a `foresight bench streams` report has every field (CI smoke).

Fails on a missing field, on duplicates or on outputs for frames no robot published (exactly-once
is not a matter of timing); frames still without a latent or prediction are only reported, since a
loaded CI machine may not drain in time.
"""
import json
import sys

TOP = ["benchmark", "time", "machine", "settings", "knee_robots", "knee_criteria", "model_cost",
       "processes", "stack_warmup", "steps"]
WARMUP = ["robots", "rounds", "seconds", "jit_cores_last_round", "settled", "jit_settled_cores"]
MODEL = ["encoder_us_per_frame", "encoder_batch", "samples", "horizon", "iterations",
         "predictor_steps", "predictor_us_per_plan", "predict_horizon", "predictions_us_per_frame",
         "model_us_per_frame"]
STEP = ["robots", "frames_per_s", "latents_per_s", "plans_per_s", "fresh_step_fraction",
        "frame_to_plan_ms", "plan_stages_ms", "goals", "plans_skipped", "latents_exact", "predictions_exact",
        "cpu_seconds_per_frame", "cpu_per_frame_vs_model", "job_split", "model_cost"]
DEPLOY = ["at_s", "deployment_id", "encoder_sha256", "streams", "switched_streams",
          "latents_old_after_switch", "seconds_to_first_new_plan", "max_seconds_to_first_new_plan",
          "p50_seconds_to_first_new_plan", "p99_seconds_to_first_new_plan", "refusals", "job_status",
          "job_restarts"]
NESTED = {
    "frame_to_plan_ms": ["count", "p50", "p95", "p99"],
    "plan_stages_ms": ["capture_to_world_model", "queued", "search", "capture_to_emit",
                       "new_goal_capture_to_emit"],
    "goals": ["attempted", "reached", "success_rate"],
    "latents_exact": ["expected", "distinct", "duplicates", "missing", "unexpected", "exact"],
    "predictions_exact": ["expected", "distinct", "duplicates", "missing", "unexpected", "exact"],
    "cpu_seconds_per_frame": ["robots", "stack", "job", "broker", "harness", "memory_store", "jit_cpu_s", "machine_cores"],
    "job_split": ["planners_us_per_plan", "planners_vs_predictor", "rest_us_per_frame", "rest_vs_encoder",
                  "rest_outside_model_us_per_frame"],
    "model_cost": ["encoder_us_before", "encoder_us_after", "predictor_us_before", "predictor_us_after",
                   "encoder_us_per_frame", "predictor_us_per_plan", "predictions_us_per_frame"],
}


def main(path):
    with open(path) as f:
        report = json.load(f)
    errors = [f"missing top-level field {k}" for k in TOP if k not in report]
    errors += [f"model_cost: missing {k}" for k in MODEL if k not in (report.get("model_cost") or {})]
    errors += [f"stack_warmup: missing {k}" for k in WARMUP if k not in (report.get("stack_warmup") or {})]
    steps = report.get("steps") or []
    if not steps:
        errors.append("no steps")
    for s in steps:
        n = s.get("robots")
        errors += [f"N={n}: missing {k}" for k in STEP if k not in s]
        for k, fields in NESTED.items():
            errors += [f"N={n}: {k}: missing {x}" for x in fields if x not in (s.get(k) or {})]
        jit = (s.get("cpu_seconds_per_frame") or {}).get("jit_cpu_s") or {}
        errors += [f"N={n}: jit_cpu_s: missing {x}" for x in ("robots", "stack", "memory_store") if x not in jit]
        for k in ("latents_exact", "predictions_exact"):
            e = s.get(k) or {}
            if e.get("duplicates") or e.get("unexpected"):
                errors.append(f"N={n}: {k}: {e}")
            elif e.get("missing"):
                print(f"smoke: warning: N={n}: {k}: {e['missing']} frames without a record")
        if "deploy" in s:  # --deploy-at: a model deployed in the middle of the step
            d = s["deploy"] or {}
            errors += [f"N={n}: deploy: missing {x}" for x in DEPLOY if x not in d]
            if d.get("switched_streams") != d.get("streams"):
                errors.append(f"N={n}: deploy: {d.get('switched_streams')} of {d.get('streams')} streams switched")
            if d.get("latents_old_after_switch"):
                errors.append(f"N={n}: deploy: {d['latents_old_after_switch']} latents of the old model after the switch")
            if d.get("job_restarts") is None:
                print(f"smoke: warning: N={n}: deploy: job_restarts not read (the REST API did not answer)")
            elif d.get("job_restarts"):
                errors.append(f"N={n}: deploy: the job restarted {d['job_restarts']} time(s)")
            if d.get("refusals"):
                errors.append(f"N={n}: deploy: refused: {d['refusals']}")
            print(f"  N={n}: deploy at {d.get('at_s')} s: {d.get('switched_streams')}/{d.get('streams')} switched,"
                  f" first new plan max {d.get('max_seconds_to_first_new_plan')} s, restarts {d.get('job_restarts')}")
        print(f"  N={n}: frames/s {s.get('frames_per_s')}, plans/s {s.get('plans_per_s')},"
              f" fresh {s.get('fresh_step_fraction')}, p99 {(s.get('frame_to_plan_ms') or {}).get('p99')} ms,"
              f" goals {(s.get('goals') or {}).get('reached')}/{(s.get('goals') or {}).get('attempted')}")
    if errors:
        print("smoke: bench streams report incomplete:\n  " + "\n  ".join(errors), file=sys.stderr)
        return 1
    print(f"  knee_robots: {report.get('knee_robots')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
