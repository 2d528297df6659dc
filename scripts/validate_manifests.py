"""Checks of docs/deploy/scale-out/ that the Kubernetes JSON schemas cannot make (run by
scripts/validate-manifests.sh inside its venv, after kubernetes-validate):

- the Argo CronWorkflow against hera's models of the Argo Workflows API (types and required fields),
  with every key of the YAML known to those models (pydantic itself ignores unknown keys);
- the fields the partitioned run relies on: an Indexed Job with per-index retries, restartPolicy Never,
  JOB_COMPLETION_INDEX from the Job's annotation, pod failure policy actions and operators, the DAG's
  templates, dependencies, fan-out and retries, volumes and mounts, one claim;
- the same command lines everywhere: the Argo templates run exactly the Jobs' arguments, with
  {{inputs.parameters.index}} for $(JOB_COMPLETION_INDEX) and the partition count parameter for the
  plan's --partitions, which equals the Indexed Job's completions.

Usage: python validate_manifests.py FOLDER   (exit 1 with one line per problem)
"""

import sys
from pathlib import Path

import yaml
from hera.workflows.models import CronWorkflow, Workflow

problems = []


def problem(text):
    problems.append(text)


def unknown_keys(given, known, path):
    """Keys of the YAML that the model dropped: misspelt or unsupported fields."""
    if isinstance(given, dict) and isinstance(known, dict):
        for key, value in given.items():
            if key not in known:
                problem(f"{path}.{key}: not a field of the Argo Workflows API")
            else:
                unknown_keys(value, known[key], f"{path}.{key}")
    elif isinstance(given, list) and isinstance(known, list):
        for index, (a, b) in enumerate(zip(given, known)):
            unknown_keys(a, b, f"{path}[{index}]")


def load(folder, name):
    with open(folder / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def container(job):
    containers = job["spec"]["template"]["spec"]["containers"]
    return containers[0] if len(containers) == 1 else None


def check_job(name, job, claim):
    spec = job["spec"]
    pod = spec["template"]["spec"]
    if pod.get("restartPolicy") != "Never":
        problem(f"{name}: restartPolicy must be Never (podFailurePolicy and backoffLimitPerIndex need it)")
    main = container(job)
    if main is None:
        problem(f"{name}: one container expected")
        return
    if main.get("command") != ["teampulse"]:
        problem(f"{name}: the container's command must be [teampulse]")
    for rule in spec.get("podFailurePolicy", {}).get("rules", []):
        if rule.get("action") not in ("FailJob", "FailIndex", "Ignore", "Count"):
            problem(f"{name}: unknown podFailurePolicy action {rule.get('action')!r}")
        if rule.get("action") == "FailIndex" and spec.get("backoffLimitPerIndex") is None:
            problem(f"{name}: FailIndex needs backoffLimitPerIndex")
        codes = rule.get("onExitCodes")
        if codes:
            if codes.get("operator") not in ("In", "NotIn"):
                problem(f"{name}: onExitCodes operator must be In or NotIn")
            if codes.get("containerName") not in (None, main["name"]):
                problem(f"{name}: onExitCodes names container {codes.get('containerName')!r}, not {main['name']!r}")
            if 0 in codes.get("values", []):
                problem(f"{name}: exit code 0 in a pod failure rule")
        for condition in rule.get("onPodConditions", []):
            if condition.get("type") != "DisruptionTarget":
                problem(f"{name}: unexpected pod condition {condition.get('type')!r}")
    volumes = {volume["name"]: volume for volume in pod.get("volumes", [])}
    for mount in main.get("volumeMounts", []):
        if mount["name"] not in volumes:
            problem(f"{name}: volume mount {mount['name']!r} has no volume")
    for volume in volumes.values():
        if volume.get("persistentVolumeClaim", {}).get("claimName") != claim:
            problem(f"{name}: volume {volume['name']!r} must be the claim {claim!r}")


def main():
    folder = Path(sys.argv[1])
    claim = load(folder, "pvc.yaml")["metadata"]["name"]
    if "ReadWriteMany" not in load(folder, "pvc.yaml")["spec"]["accessModes"]:
        problem("pvc.yaml: the shared claim must be ReadWriteMany (every pod mounts it)")
    plan, partitions, merge = (load(folder, f"{step}-job.yaml") for step in ("plan", "partitions", "merge"))
    for name, job in (("plan-job.yaml", plan), ("partitions-job.yaml", partitions), ("merge-job.yaml", merge)):
        check_job(name, job, claim)

    spec = partitions["spec"]
    if spec.get("completionMode") != "Indexed":
        problem("partitions-job.yaml: completionMode must be Indexed (JOB_COMPLETION_INDEX is the partition)")
    if spec.get("backoffLimitPerIndex") is None:
        problem("partitions-job.yaml: backoffLimitPerIndex must be set (retries per partition)")
    if spec.get("podReplacementPolicy") != "Failed":
        problem("partitions-job.yaml: podReplacementPolicy must be Failed (never two writers of one partial)")
    main_container = container(partitions)
    index_env = [e for e in main_container.get("env", []) if e["name"] == "JOB_COMPLETION_INDEX"]
    field = "metadata.annotations['batch.kubernetes.io/job-completion-index']"
    if not index_env or index_env[0].get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") != field:
        problem(f"partitions-job.yaml: JOB_COMPLETION_INDEX must come from {field}")
    if "$(JOB_COMPLETION_INDEX)" not in main_container["args"]:
        problem("partitions-job.yaml: the partition must be $(JOB_COMPLETION_INDEX)")
    plan_args = container(plan)["args"]
    count = plan_args[plan_args.index("--partitions") + 1]
    if str(spec.get("completions")) != count:
        problem(f"partitions-job.yaml: completions {spec.get('completions')} must equal the plan's --partitions {count}")

    # Argo: the API's models, unknown keys, the DAG, the same command lines.
    document = load(folder, "workflow.yaml")
    model = {"CronWorkflow": CronWorkflow, "Workflow": Workflow}.get(document.get("kind"))
    if document.get("apiVersion") != "argoproj.io/v1alpha1" or model is None:
        problem("workflow.yaml: must be an argoproj.io/v1alpha1 CronWorkflow or Workflow")
        return finish()
    try:
        parsed = model.model_validate(document)
    except Exception as error:  # pydantic's ValidationError lists every field
        problem(f"workflow.yaml: {error}")
        return finish()
    unknown_keys(document, parsed.model_dump(by_alias=True, exclude_unset=True), "workflow.yaml")
    workflow = document["spec"]["workflowSpec"] if document["kind"] == "CronWorkflow" else document["spec"]
    templates = {template["name"]: template for template in workflow["templates"]}
    entry = templates.get(workflow.get("entrypoint"))
    if entry is None or "dag" not in entry:
        problem("workflow.yaml: the entrypoint must be a DAG template")
        return finish()
    tasks = {task["name"]: task for task in entry["dag"]["tasks"]}
    for task in tasks.values():
        if task["template"] not in templates:
            problem(f"workflow.yaml: task {task['name']!r} names no template")
        for dependency in str(task.get("depends", "")).replace("&&", " ").replace("||", " ").split():
            if dependency.split(".")[0] not in tasks:
                problem(f"workflow.yaml: task {task['name']!r} depends on an unknown task {dependency!r}")
    order = [tasks.get(name, {}).get("depends") for name in ("plan", "partition", "merge")]
    if order != [None, "plan", "partition"]:
        problem(f"workflow.yaml: the DAG must run plan, then partition, then merge (depends: {order})")
    parameters = {p["name"]: str(p.get("value")) for p in workflow.get("arguments", {}).get("parameters", [])}
    if parameters.get("partitions") != count:
        problem(f"workflow.yaml: the partitions parameter {parameters.get('partitions')} must equal the plan Job's {count}")
    fan_out = tasks.get("partition", {})
    if fan_out.get("withSequence", {}).get("count") != "{{workflow.parameters.partitions}}":
        problem("workflow.yaml: the partition task must fan out withSequence over {{workflow.parameters.partitions}}")
    volumes = {volume["name"]: volume for volume in workflow.get("volumes", [])}
    for volume in volumes.values():
        if volume.get("persistentVolumeClaim", {}).get("claimName") != claim:
            problem(f"workflow.yaml: volume {volume['name']!r} must be the claim {claim!r}")
    substitutions = {"{{workflow.parameters.partitions}}": count, "{{inputs.parameters.index}}": "$(JOB_COMPLETION_INDEX)"}
    for step, job in (("plan", plan), ("partition", partitions), ("merge", merge)):
        template = templates.get(fan_out["template"] if step == "partition" else step)
        if template is None or "container" not in template:
            problem(f"workflow.yaml: no container template for the {step} step")
            continue
        if "retryStrategy" not in template:
            problem(f"workflow.yaml: the {step} template has no retryStrategy")
        declared = {p["name"] for p in template.get("inputs", {}).get("parameters", [])}
        for argument in template["container"]["args"]:
            if argument.startswith("{{inputs.parameters.") and argument[len("{{inputs.parameters."):-2] not in declared:
                problem(f"workflow.yaml: the {step} template uses the undeclared parameter {argument}")
        args = [substitutions.get(argument, argument) for argument in template["container"]["args"]]
        expected = container(job)
        for key, value in (("command", template["container"].get("command")), ("args", args),
                           ("image", template["container"].get("image")), ("workingDir", template["container"].get("workingDir"))):
            if value != expected.get(key):
                problem(f"workflow.yaml: the {step} template's {key} {value} differs from the Job's {expected.get(key)}")
        for mount in template["container"].get("volumeMounts", []):
            if mount["name"] not in volumes:
                problem(f"workflow.yaml: volume mount {mount['name']!r} has no volume")
    return finish()


def finish():
    for line in problems:
        print(f"ERROR {line}")
    if not problems:
        print("INFO workflow.yaml passed the Argo Workflows models; the Jobs and the workflow run the same command lines")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
