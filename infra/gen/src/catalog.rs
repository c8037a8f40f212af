//! The deployed functions: one entry per Lambda function, naming its binary, what triggers it and
//! exactly which AWS resources it may touch. HTTP functions take their routes from their crate's
//! `ROUTES` table (declared once per endpoint with `im_http::endpoints!`), so a route added to a
//! router reaches the template through `im-infra write` and nowhere else.

use im_domain::ports::Topic;
use im_http::RouteInfo;

/// What invokes a function.
#[derive(Debug, Clone, Copy)]
pub enum Trigger {
    /// HTTP API routes (payload format 2.0).
    Http(&'static [RouteInfo]),
    /// An SQS queue (the topic's queue), in batches, with partial batch failures.
    Queue(Topic),
    /// The API Gateway WebSocket API's `$connect`, `$default` and `$disconnect` routes.
    WebSocket,
}

/// Table actions a function may perform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableAccess {
    /// `GetItem`, `BatchGetItem`, `Query`.
    Read,
    /// Reads plus `PutItem`, `UpdateItem`, `DeleteItem`, `BatchWriteItem`, `ConditionCheckItem`
    /// (transactions are authorised per contained action).
    ReadWrite,
}

impl TableAccess {
    /// The IAM actions of this access level, in template order.
    pub fn actions(self) -> &'static [&'static str] {
        const READ: &[&str] = &["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"];
        const WRITE: &[&str] = &[
            "dynamodb:GetItem",
            "dynamodb:BatchGetItem",
            "dynamodb:Query",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:ConditionCheckItem",
        ];
        match self {
            TableAccess::Read => READ,
            TableAccess::ReadWrite => WRITE,
        }
    }
}

/// One Lambda function.
#[derive(Debug, Clone, Copy)]
pub struct Function {
    /// Short name: `auth`, `user`, …; the logical ID is its CamelCase form + `Function`.
    pub name: &'static str,
    /// Cargo package of the binary.
    pub package: &'static str,
    /// Binary target (built by cargo-lambda as `bootstrap`).
    pub binary: &'static str,
    /// What invokes it.
    pub trigger: Trigger,
    /// Table actions it performs.
    pub table: TableAccess,
    /// Queues it publishes to.
    pub sends_to: &'static [Topic],
    /// Whether it verifies tokens or issues them (gets the token secret and the admin list).
    pub auth: bool,
    /// Whether it posts to WebSocket connections through API Gateway's management API.
    pub manages_connections: bool,
    /// Whether it posts to im-server gateway nodes' `@connections` API (private addresses): it
    /// then runs in the gateway VPC when the gateway is enabled.
    pub reaches_nodes: bool,
    /// Whether it reads and writes the object bucket.
    pub bucket: bool,
    /// Memory, MB.
    pub memory_mb: u32,
    /// Timeout, seconds.
    pub timeout_s: u32,
}

impl Function {
    /// An HTTP function on `routes` with read-write table access and the auth settings.
    const fn http(name: &'static str, package: &'static str, routes: &'static [RouteInfo]) -> Function {
        Function {
            name,
            package,
            binary: package,
            trigger: Trigger::Http(routes),
            table: TableAccess::ReadWrite,
            sends_to: &[],
            auth: true,
            manages_connections: false,
            reaches_nodes: false,
            bucket: false,
            memory_mb: 256,
            timeout_s: 10,
        }
    }

    /// A queue consumer of `topic` (30 s timeout; the queue's visibility timeout must stay ≥ 6×)
    /// that reads and writes the table and publishes to `sends_to`.
    pub const fn consumer(
        name: &'static str,
        package: &'static str,
        topic: Topic,
        sends_to: &'static [Topic],
    ) -> Function {
        Function {
            trigger: Trigger::Queue(topic),
            sends_to,
            auth: false,
            timeout_s: 30,
            ..Function::http(name, package, &[])
        }
    }

    /// The WebSocket API's function: verifies tokens, writes connection records, posts to
    /// connections on both front doors and publishes sends to the transfer queue.
    pub const fn websocket(name: &'static str, package: &'static str) -> Function {
        Function {
            trigger: Trigger::WebSocket,
            sends_to: &[Topic::Transfer],
            manages_connections: true,
            reaches_nodes: true,
            ..Function::http(name, package, &[])
        }
    }

    /// The CloudFormation logical ID (`AuthFunction`).
    pub fn logical_id(&self) -> String {
        format!("{}Function", camel(self.name))
    }

    /// The HTTP routes it serves (empty for other triggers).
    pub fn routes(&self) -> &'static [RouteInfo] {
        match self.trigger {
            Trigger::Http(routes) => routes,
            _ => &[],
        }
    }
}

/// The logical ID of a topic's queue (`TransferQueue`).
pub fn queue_logical_id(topic: Topic) -> &'static str {
    match topic {
        Topic::Transfer => "TransferQueue",
        Topic::Push => "PushQueue",
    }
}

/// The environment variable carrying a topic's queue URL.
pub fn queue_env_var(topic: Topic) -> &'static str {
    match topic {
        Topic::Transfer => "IM_TRANSFER_QUEUE_URL",
        Topic::Push => "IM_PUSH_QUEUE_URL",
    }
}

/// `get_admin_token` → `GetAdminToken`: ASCII letters and digits of each `_`/`-`/`/`-separated
/// word, first letter upper-cased.
pub fn camel(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next().map(|c| c.to_ascii_uppercase().to_string() + cs.as_str()).unwrap_or_default()
        })
        .collect()
}

/// Every deployed function, in template order. Add a line here when a function crate lands (and
/// the crate to this package's dependencies), then run `cargo run -p im-infra -- write`.
pub fn functions() -> Vec<Function> {
    vec![
        Function::http("auth", "im-fn-auth", im_fn_auth::ROUTES),
        Function::http("user", "im-fn-user", im_fn_user::ROUTES),
        Function::http("friend", "im-fn-friend", im_fn_friend::ROUTES),
        Function::http("group", "im-fn-group", im_fn_group::ROUTES),
        Function::http("conversation", "im-fn-conversation", im_fn_conversation::ROUTES),
        // Sends store the message and enqueue the rest on the transfer queue.
        Function { sends_to: &[Topic::Transfer], ..Function::http("msg", "im-fn-msg", im_fn_msg::ROUTES) },
        // Composite read-only views.
        Function { table: TableAccess::Read, ..Function::http("jssdk", "im-fn-jssdk", im_fn_jssdk::ROUTES) },
        Function::consumer("transfer", "im-fn-transfer", Topic::Transfer, &[Topic::Push]),
        // Posts to both front doors: API Gateway connections (management API) and gateway nodes
        // (in the VPC when the gateway is enabled).
        Function {
            reaches_nodes: true,
            manages_connections: true,
            ..Function::consumer("push", "im-fn-push", Topic::Push, &[])
        },
        // The API Gateway WebSocket API ($connect, $default, $disconnect).
        Function::websocket("ws", "im-fn-ws"),
    ]
}

/// [`functions`] plus stand-ins for the pipeline functions whose crates have not landed
/// (`preview-transfer`, `preview-push`, `preview-ws`), so their rendering (event-source mappings,
/// WebSocket API, VPC access, management-API policy) is checked before they exist.
pub fn with_pipeline_preview() -> Vec<Function> {
    let mut fs = functions();
    if !fs.iter().any(|f| matches!(f.trigger, Trigger::Queue(Topic::Transfer))) {
        fs.push(Function::consumer("preview-transfer", "preview-transfer", Topic::Transfer, &[Topic::Push]));
    }
    if !fs.iter().any(|f| matches!(f.trigger, Trigger::Queue(Topic::Push))) {
        fs.push(Function {
            manages_connections: true,
            reaches_nodes: true,
            ..Function::consumer("preview-push", "preview-push", Topic::Push, &[])
        });
    }
    if !fs.iter().any(|f| matches!(f.trigger, Trigger::WebSocket)) {
        fs.push(Function { bucket: true, ..Function::websocket("preview-ws", "preview-ws") });
    }
    fs
}

/// The function called `name`.
pub fn function(name: &str) -> Option<Function> {
    functions().into_iter().find(|f| f.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case() {
        assert_eq!(camel("get_admin_token"), "GetAdminToken");
        assert_eq!(camel("/statistics/group/create"), "StatisticsGroupCreate");
        assert_eq!(camel("{*name}"), "Name");
        assert_eq!(camel("conversation"), "Conversation");
    }

    #[test]
    fn names_and_binaries_are_unique() {
        let fs = functions();
        for (i, a) in fs.iter().enumerate() {
            for b in &fs[i + 1..] {
                assert_ne!(a.name, b.name);
                assert_ne!(a.binary, b.binary);
            }
        }
    }
}
