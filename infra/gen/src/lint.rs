//! Checks of the SAM template that cfn-lint and `sam validate --lint` miss (aws-local.md): the
//! `ReportBatchItemFailures` spelling, SQS visibility timeouts of at least 6× the consumer's
//! timeout, references that resolve (in `Globals`, policy templates and everywhere else), the
//! `provided.al2023`/arm64 runtime, and DLQs that have alarms.

use std::collections::BTreeSet;

use serde_norway::{Mapping, Value};

/// The SAM default function timeout, seconds.
const SAM_DEFAULT_TIMEOUT: i64 = 3;
/// SQS's default visibility timeout, seconds.
const SQS_DEFAULT_VISIBILITY: i64 = 30;
/// Pseudo parameters a reference may name.
const PSEUDO: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];
/// The only runtime functions may use.
pub const RUNTIME: &str = "provided.al2023";
/// CloudFormation's resource limit per stack.
pub const MAX_RESOURCES: usize = 500;
/// The only architecture functions may use.
pub const ARCHITECTURE: &str = "arm64";

/// A parsed template.
pub struct Template {
    root: Value,
}

/// `map[key]` for a string key.
pub fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_mapping().and_then(|m| m.get(key))
}

/// The tag name and inner value of a tagged value (`!Ref X` → `("Ref", X)`), or the long form
/// (`{Ref: X}`, `{"Fn::GetAtt": …}`).
pub fn intrinsic(v: &Value) -> Option<(String, &Value)> {
    if let Value::Tagged(t) = v {
        return Some((t.tag.to_string().trim_start_matches('!').to_string(), &t.value));
    }
    let m = v.as_mapping()?;
    if m.len() != 1 {
        return None;
    }
    let (k, inner) = m.iter().next()?;
    let k = k.as_str()?;
    let name = k.strip_prefix("Fn::").unwrap_or(k);
    matches!(name, "Ref" | "GetAtt" | "Sub" | "If" | "Join" | "Select" | "Split" | "Equals" | "Not" | "And" | "Or")
        .then(|| (name.to_string(), inner))
}

/// Numbers written as integers or digit strings.
fn as_int(v: &Value) -> Option<i64> {
    v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

impl Template {
    /// Parses YAML text.
    pub fn parse(text: &str) -> Result<Template, String> {
        let root: Value = serde_norway::from_str(text).map_err(|e| format!("template is not YAML: {e}"))?;
        if !root.is_mapping() {
            return Err("template is not a mapping".into());
        }
        Ok(Template { root })
    }

    /// The root value.
    pub fn root(&self) -> &Value {
        &self.root
    }

    fn section(&self, name: &str) -> Mapping {
        get(&self.root, name).and_then(Value::as_mapping).cloned().unwrap_or_default()
    }

    /// `(logical ID, resource)` pairs.
    pub fn resources(&self) -> Vec<(String, Value)> {
        self.section("Resources").into_iter().filter_map(|(k, v)| Some((k.as_str()?.to_string(), v))).collect()
    }

    /// Resources of `kind`.
    pub fn resources_of(&self, kind: &str) -> Vec<(String, Value)> {
        self.resources().into_iter().filter(|(_, r)| get(r, "Type").and_then(Value::as_str) == Some(kind)).collect()
    }

    fn resource(&self, id: &str) -> Option<Value> {
        self.resources().into_iter().find(|(k, _)| k == id).map(|(_, v)| v)
    }

    fn globals_function(&self, key: &str) -> Option<Value> {
        get(&self.root, "Globals").and_then(|g| get(g, "Function")).and_then(|f| get(f, key)).cloned()
    }

    /// A SAM function's property, falling back to `Globals.Function`.
    pub fn function_prop(&self, function: &Value, key: &str) -> Option<Value> {
        get(function, "Properties").and_then(|p| get(p, key)).cloned().or_else(|| self.globals_function(key))
    }

    /// Every check; each problem is one line.
    pub fn lint(&self) -> Vec<String> {
        let mut problems = Vec::new();
        problems.extend(self.check_runtime());
        problems.extend(self.check_batch_failures());
        problems.extend(self.check_visibility());
        problems.extend(self.check_references());
        problems.extend(self.check_dead_letters());
        problems.extend(self.check_resource_budget());
        problems
    }

    /// Resources after SAM's transform (each function adds a role, each HttpApi event a
    /// permission; the HTTP API its stage): CloudFormation refuses more than 500.
    pub fn check_resource_budget(&self) -> Vec<String> {
        let n = self.expanded_resource_count();
        if n > MAX_RESOURCES {
            vec![format!("about {n} resources after the SAM transform; CloudFormation allows {MAX_RESOURCES}")]
        } else {
            vec![]
        }
    }

    /// Estimated resource count after the SAM transform.
    pub fn expanded_resource_count(&self) -> usize {
        let mut n = 0;
        for (_, r) in self.resources() {
            n += 1;
            match get(&r, "Type").and_then(Value::as_str) {
                Some("AWS::Serverless::Function") => {
                    n += 1 + events(&r).len();
                }
                Some("AWS::Serverless::HttpApi") => n += 1,
                _ => {}
            }
        }
        n
    }

    /// Every SAM function runs `provided.al2023` on arm64 with the `bootstrap` handler.
    pub fn check_runtime(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (id, f) in self.resources_of("AWS::Serverless::Function") {
            match self.function_prop(&f, "Runtime") {
                Some(Value::String(r)) if r == RUNTIME => {}
                other => problems.push(format!("{id}: Runtime must be {RUNTIME}, found {other:?}")),
            }
            let arch = self.function_prop(&f, "Architectures");
            let arm = arch
                .as_ref()
                .and_then(Value::as_sequence)
                .is_some_and(|a| a.len() == 1 && a[0].as_str() == Some(ARCHITECTURE));
            if !arm {
                problems.push(format!("{id}: Architectures must be [{ARCHITECTURE}], found {arch:?}"));
            }
            if get(&f, "Metadata").and_then(|m| get(m, "BuildMethod")).and_then(Value::as_str)
                != Some("rust-cargolambda")
            {
                problems.push(format!("{id}: Metadata.BuildMethod must be rust-cargolambda"));
            }
        }
        for (id, f) in self.resources_of("AWS::Lambda::Function") {
            let r = get(&f, "Properties").and_then(|p| get(p, "Runtime")).and_then(Value::as_str);
            if r != Some(RUNTIME) {
                problems.push(format!("{id}: Runtime must be {RUNTIME}, found {r:?}"));
            }
        }
        problems
    }

    /// Every SQS trigger reports partial batch failures, spelt exactly as AWS does.
    pub fn check_batch_failures(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let ok = |v: Option<&Value>| {
            v.and_then(Value::as_sequence)
                .is_some_and(|s| s.len() == 1 && s[0].as_str() == Some("ReportBatchItemFailures"))
        };
        for (id, m) in self.resources_of("AWS::Lambda::EventSourceMapping") {
            if !ok(get(&m, "Properties").and_then(|p| get(p, "FunctionResponseTypes"))) {
                problems.push(format!("{id}: FunctionResponseTypes must be [ReportBatchItemFailures]"));
            }
        }
        for (id, f) in self.resources_of("AWS::Serverless::Function") {
            for (name, ev) in events(&f) {
                if get(&ev, "Type").and_then(Value::as_str) == Some("SQS")
                    && !ok(get(&ev, "Properties").and_then(|p| get(p, "FunctionResponseTypes")))
                {
                    problems.push(format!("{id}.{name}: FunctionResponseTypes must be [ReportBatchItemFailures]"));
                }
            }
        }
        problems
    }

    /// Queue visibility timeout ≥ 6 × the consuming function's timeout (AWS's advice; below 1×
    /// the mapping is refused at deploy).
    pub fn check_visibility(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut pairs: Vec<(String, Option<String>, Option<String>)> = Vec::new();
        for (id, m) in self.resources_of("AWS::Lambda::EventSourceMapping") {
            let p = get(&m, "Properties");
            let queue = p.and_then(|p| get(p, "EventSourceArn")).and_then(getatt_target);
            let func = p.and_then(|p| get(p, "FunctionName")).and_then(ref_target);
            pairs.push((id, queue, func));
        }
        for (id, f) in self.resources_of("AWS::Serverless::Function") {
            for (name, ev) in events(&f) {
                if get(&ev, "Type").and_then(Value::as_str) == Some("SQS") {
                    let queue = get(&ev, "Properties").and_then(|p| get(p, "Queue")).and_then(getatt_target);
                    pairs.push((format!("{id}.{name}"), queue, Some(id.clone())));
                }
            }
        }
        for (id, queue, func) in pairs {
            let (Some(queue), Some(func)) = (queue, func) else {
                problems.push(format!("{id}: queue and function must be !GetAtt <Queue>.Arn and !Ref <Function>"));
                continue;
            };
            let (Some(q), Some(f)) = (self.resource(&queue), self.resource(&func)) else {
                problems.push(format!("{id}: {queue} or {func} is not a resource"));
                continue;
            };
            let vis = get(&q, "Properties")
                .and_then(|p| get(p, "VisibilityTimeout"))
                .map_or(Some(SQS_DEFAULT_VISIBILITY), as_int);
            let timeout = self.function_prop(&f, "Timeout").map_or(Some(SAM_DEFAULT_TIMEOUT), |v| as_int(&v));
            match (vis, timeout) {
                (Some(v), Some(t)) if v >= 6 * t => {}
                (Some(v), Some(t)) => problems.push(format!(
                    "{id}: {queue} VisibilityTimeout {v} s is below 6 × {func} Timeout {t} s = {} s",
                    6 * t
                )),
                _ => {
                    problems.push(format!("{id}: {queue} VisibilityTimeout or {func} Timeout is not a literal number"))
                }
            }
        }
        problems
    }

    /// Every `Ref`, `GetAtt`, `Sub` variable and `If` condition names something that exists.
    pub fn check_references(&self) -> Vec<String> {
        let mut names: BTreeSet<String> = PSEUDO.iter().map(|s| s.to_string()).collect();
        let params = self.section("Parameters");
        names.extend(params.keys().filter_map(|k| k.as_str().map(String::from)));
        let mut resources: BTreeSet<String> = BTreeSet::new();
        for (id, r) in self.resources() {
            // SAM's implicit resources.
            if get(&r, "Type").and_then(Value::as_str) == Some("AWS::Serverless::Function") {
                resources.insert(format!("{id}Role"));
            }
            resources.insert(id);
        }
        resources.insert("ServerlessHttpApi".into());
        names.extend(resources.iter().cloned());
        let conditions: BTreeSet<String> =
            self.section("Conditions").keys().filter_map(|k| k.as_str().map(String::from)).collect();
        let mut problems = Vec::new();
        for section in ["Globals", "Resources", "Outputs", "Conditions"] {
            if let Some(v) = get(&self.root, section) {
                walk(v, section, &mut |path, tag, inner| {
                    check_intrinsic(path, tag, inner, &names, &resources, &conditions, &mut problems);
                });
            }
        }
        for (id, r) in self.resources() {
            if let Some(c) = get(&r, "Condition").and_then(Value::as_str)
                && !conditions.contains(c)
            {
                problems.push(format!("Resources.{id}: unknown condition {c}"));
            }
            let deps: Vec<String> = match get(&r, "DependsOn") {
                Some(Value::String(s)) => vec![s.clone()],
                Some(Value::Sequence(s)) => s.iter().filter_map(|v| v.as_str().map(String::from)).collect(),
                _ => vec![],
            };
            for d in deps {
                if !resources.contains(&d) {
                    problems.push(format!("Resources.{id}: DependsOn {d} is not a resource"));
                }
            }
        }
        problems
    }

    /// Every queue a function consumes has a redrive policy, and every dead-letter queue has an
    /// alarm on its visible messages.
    pub fn check_dead_letters(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let alarmed: BTreeSet<String> = self
            .resources_of("AWS::CloudWatch::Alarm")
            .iter()
            .filter_map(|(_, a)| {
                get(a, "Properties").and_then(|p| get(p, "Dimensions")).and_then(Value::as_sequence).cloned()
            })
            .flatten()
            .filter_map(|d| get(&d, "Value").and_then(getatt_target))
            .collect();
        for (id, m) in self.resources_of("AWS::Lambda::EventSourceMapping") {
            let Some(queue) = get(&m, "Properties").and_then(|p| get(p, "EventSourceArn")).and_then(getatt_target)
            else {
                continue;
            };
            let dlq = self
                .resource(&queue)
                .and_then(|q| get(&q, "Properties").and_then(|p| get(p, "RedrivePolicy")).cloned())
                .and_then(|r| get(&r, "deadLetterTargetArn").and_then(getatt_target));
            match dlq {
                None => problems.push(format!("{id}: {queue} has no RedrivePolicy.deadLetterTargetArn")),
                Some(d) if !alarmed.contains(&d) => problems.push(format!("{id}: dead-letter queue {d} has no alarm")),
                Some(_) => {}
            }
        }
        problems
    }
}

/// A function's `Events` as `(name, event)`.
pub fn events(function: &Value) -> Vec<(String, Value)> {
    get(function, "Properties")
        .and_then(|p| get(p, "Events"))
        .and_then(Value::as_mapping)
        .map(|m| m.iter().filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.clone()))).collect())
        .unwrap_or_default()
}

/// `!GetAtt X.Arn` / `!GetAtt [X, Arn]` → `X`.
pub fn getatt_target(v: &Value) -> Option<String> {
    let (tag, inner) = intrinsic(v)?;
    if tag != "GetAtt" {
        return None;
    }
    match inner {
        Value::String(s) => s.split('.').next().map(String::from),
        Value::Sequence(s) => s.first().and_then(Value::as_str).map(String::from),
        _ => None,
    }
}

/// `!Ref X` → `X`.
pub fn ref_target(v: &Value) -> Option<String> {
    let (tag, inner) = intrinsic(v)?;
    (tag == "Ref").then(|| inner.as_str().map(String::from)).flatten()
}

/// Calls `f(path, tag, inner)` for every intrinsic function under `v`.
fn walk(v: &Value, path: &str, f: &mut dyn FnMut(&str, &str, &Value)) {
    if let Some((tag, inner)) = intrinsic(v) {
        f(path, &tag, inner);
        walk(inner, path, f);
        return;
    }
    match v {
        Value::Mapping(m) => {
            for (k, child) in m {
                let key = k.as_str().unwrap_or("?");
                walk(child, &format!("{path}.{key}"), f);
            }
        }
        Value::Sequence(s) => {
            for (i, child) in s.iter().enumerate() {
                walk(child, &format!("{path}[{i}]"), f);
            }
        }
        Value::Tagged(t) => walk(&t.value, path, f),
        _ => {}
    }
}

/// `${Name}` / `${Name.Attr}` variables of a `Sub` string (`${!Literal}` excluded).
pub fn sub_variables(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        rest = &rest[i + 2..];
        let Some(j) = rest.find('}') else { break };
        let var = &rest[..j];
        if !var.starts_with('!') {
            out.push(var.to_string());
        }
        rest = &rest[j + 1..];
    }
    out
}

fn check_intrinsic(
    path: &str,
    tag: &str,
    inner: &Value,
    names: &BTreeSet<String>,
    resources: &BTreeSet<String>,
    conditions: &BTreeSet<String>,
    problems: &mut Vec<String>,
) {
    match tag {
        "Ref" => match inner.as_str() {
            Some(n) if names.contains(n) => {}
            other => problems.push(format!("{path}: !Ref {other:?} does not resolve")),
        },
        "GetAtt" => {
            let target = match inner {
                Value::String(s) => s.split('.').next().map(String::from),
                Value::Sequence(s) => s.first().and_then(Value::as_str).map(String::from),
                _ => None,
            };
            match target {
                Some(t) if resources.contains(&t) => {}
                other => problems.push(format!("{path}: !GetAtt {other:?} does not resolve")),
            }
        }
        "Sub" => {
            let (text, locals): (Option<&str>, BTreeSet<String>) = match inner {
                Value::String(s) => (Some(s), BTreeSet::new()),
                Value::Sequence(s) => (
                    s.first().and_then(Value::as_str),
                    s.get(1)
                        .and_then(Value::as_mapping)
                        .map(|m| m.keys().filter_map(|k| k.as_str().map(String::from)).collect())
                        .unwrap_or_default(),
                ),
                _ => (None, BTreeSet::new()),
            };
            let Some(text) = text else {
                problems.push(format!("{path}: malformed !Sub"));
                return;
            };
            for var in sub_variables(text) {
                let ok = match var.split_once('.') {
                    _ if locals.contains(&var) => true,
                    Some((res, _)) => resources.contains(res),
                    None => names.contains(&var),
                };
                if !ok {
                    problems.push(format!("{path}: !Sub variable ${{{var}}} does not resolve"));
                }
            }
        }
        "If" => match inner.as_sequence().and_then(|s| s.first()).and_then(Value::as_str) {
            Some(c) if conditions.contains(c) => {}
            other => problems.push(format!("{path}: !If condition {other:?} does not exist")),
        },
        "Condition" => match inner.as_str() {
            Some(c) if conditions.contains(c) => {}
            other => problems.push(format!("{path}: condition {other:?} does not exist")),
        },
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_variables_skip_literals() {
        assert_eq!(sub_variables("a${X}b${Y.Arn}${!Lit}c"), vec!["X", "Y.Arn"]);
        assert!(sub_variables("{{resolve:ssm:x}}").is_empty());
    }

    #[test]
    fn intrinsics_in_both_forms() {
        let t =
            Template::parse("A: !Ref X\nB: {Ref: Y}\nC: !GetAtt Q.Arn\nD: {'Fn::GetAtt': [R, Arn]}\n").expect("yaml");
        let r = t.root();
        assert_eq!(get(r, "A").and_then(ref_target).as_deref(), Some("X"));
        assert_eq!(get(r, "B").and_then(ref_target).as_deref(), Some("Y"));
        assert_eq!(get(r, "C").and_then(getatt_target).as_deref(), Some("Q"));
        assert_eq!(get(r, "D").and_then(getatt_target).as_deref(), Some("R"));
    }
}
