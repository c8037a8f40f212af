//! Renders the generated parts of `infra/template.yaml` from the catalogue: one
//! `AWS::Serverless::Function` per function with its environment, least-privilege policies and
//! triggers (an HttpApi event per declared route, an SQS event-source mapping, or the WebSocket
//! API), its log group, and the WebSocket outputs. Output is deterministic text.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use im_domain::ports::Topic;

use crate::catalog::{Function, Trigger, queue_env_var, queue_logical_id};
use crate::paths::{api_path, event_name};

/// Marker name of the generated resources block.
pub const RESOURCES_BLOCK: &str = "functions";
/// Marker name of the generated outputs block.
pub const OUTPUTS_BLOCK: &str = "function-outputs";

/// Most HttpApi events of one function: each adds a statement to the function's resource-based
/// policy, which Lambda caps at 20 KB (~300 bytes a statement).
pub const MAX_ROUTES_PER_FUNCTION: usize = 60;
/// SQS batch size of the queue consumers.
pub const QUEUE_BATCH_SIZE: u32 = 10;
/// WebSocket API stage name.
pub const WS_STAGE: &str = "ws";

/// Text lines at an indentation, two spaces a level.
struct Out {
    text: String,
}

impl Out {
    fn line(&mut self, indent: usize, s: &str) {
        let _ = writeln!(self.text, "{:width$}{s}", "", width = indent * 2);
    }

    fn list(&mut self, indent: usize, key: &str, items: &[String]) {
        self.line(indent, &format!("{key}:"));
        for it in items {
            self.line(indent + 1, &format!("- {it}"));
        }
    }
}

/// The IM_SECRET value: the stack's generated secret or the one named by `TokenSecretArn`.
const SECRET_VALUE: &str = "!If [CreateTokenSecret, !Sub '{{resolve:secretsmanager:${TokenSecret}:SecretString}}', \
!Sub '{{resolve:secretsmanager:${TokenSecretArn}:SecretString}}']";

fn has_ws(functions: &[Function]) -> bool {
    functions.iter().any(|f| matches!(f.trigger, Trigger::WebSocket))
}

/// Checks the catalogue for what the renderer cannot express.
pub fn validate(functions: &[Function]) -> Result<(), String> {
    let ws = functions.iter().filter(|f| matches!(f.trigger, Trigger::WebSocket)).count();
    if ws > 1 {
        return Err("more than one WebSocket function".into());
    }
    let mut seen_routes = BTreeSet::new();
    let mut topics = BTreeSet::new();
    for f in functions {
        if f.manages_connections && ws == 0 {
            return Err(format!("{}: manages connections but no WebSocket function is deployed", f.name));
        }
        if f.routes().len() > MAX_ROUTES_PER_FUNCTION {
            return Err(format!(
                "{}: {} routes exceed {MAX_ROUTES_PER_FUNCTION} (Lambda's 20 KB resource-policy limit); split the function",
                f.name,
                f.routes().len()
            ));
        }
        if let Trigger::Queue(t) = f.trigger
            && !topics.insert(queue_logical_id(t))
        {
            return Err(format!("{}: a second consumer of {}", f.name, queue_logical_id(t)));
        }
        let mut names = BTreeSet::new();
        for r in f.routes() {
            api_path(r.path).map_err(|e| format!("{}: {e}", f.name))?;
            if !seen_routes.insert((r.method.as_str(), r.path)) {
                return Err(format!("{} {} is served by two functions", r.method.as_str(), r.path));
            }
            if !names.insert(event_name(r)) {
                return Err(format!("{}: two routes map to the event name {}", f.name, event_name(r)));
            }
        }
    }
    Ok(())
}

/// The generated resources block (without markers).
pub fn resources(functions: &[Function]) -> Result<String, String> {
    validate(functions)?;
    let mut o = Out { text: String::new() };
    for (i, f) in functions.iter().enumerate() {
        if i > 0 {
            o.text.push('\n');
        }
        function(&mut o, f)?;
    }
    if has_ws(functions) {
        o.text.push('\n');
        websocket_api(&mut o, functions);
    }
    Ok(o.text)
}

/// The generated outputs block (without markers).
pub fn outputs(functions: &[Function]) -> String {
    let mut o = Out { text: String::new() };
    if has_ws(functions) {
        o.line(1, "WebSocketUrl:");
        o.line(2, "Description: API Gateway WebSocket URL (text-JSON clients only; official SDKs need the gateway)");
        o.line(
            2,
            &format!("Value: !Sub 'wss://${{WsApi}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/{WS_STAGE}'"),
        );
        o.line(1, "WebSocketManagementUrl:");
        o.line(2, "Description: API Gateway management API endpoint (@connections)");
        o.line(
            2,
            &format!("Value: !Sub 'https://${{WsApi}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/{WS_STAGE}'"),
        );
    } else {
        o.line(1, "# No WebSocket function in the catalogue yet: no WebSocket API.");
    }
    o.text
}

fn function(o: &mut Out, f: &Function) -> Result<(), String> {
    let id = f.logical_id();
    o.line(1, &format!("{id}:"));
    o.line(2, "Type: AWS::Serverless::Function");
    o.line(2, "Metadata:");
    o.line(3, "BuildMethod: rust-cargolambda");
    o.line(3, "BuildProperties:");
    o.line(4, &format!("Binary: {}", f.binary));
    o.line(2, "Properties:");
    o.line(3, &format!("Description: !Sub '${{AWS::StackName}} {} ({})'", f.name, f.package));
    o.line(3, &format!("FunctionName: !Sub '${{AWS::StackName}}-{}'", f.name));
    o.line(3, "CodeUri: ..");
    o.line(3, &format!("MemorySize: {}", f.memory_mb));
    o.line(3, &format!("Timeout: {}", f.timeout_s));
    o.line(3, "LoggingConfig:");
    o.line(4, &format!("LogGroup: !Ref {}LogGroup", id.trim_end_matches("Function")));
    environment(o, f);
    if f.reaches_nodes {
        o.line(3, "VpcConfig: !If");
        o.line(4, "- WithGateway");
        o.line(4, "- SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]");
        o.line(5, "SecurityGroupIds: [!Ref NodeClientSecurityGroup]");
        o.line(4, "- !Ref AWS::NoValue");
    }
    policies(o, f);
    if let Trigger::Http(routes) = f.trigger {
        o.line(3, "Events:");
        for r in routes {
            o.line(4, &format!("{}:", event_name(r)));
            o.line(5, "Type: HttpApi");
            o.line(5, "Properties:");
            o.line(6, "ApiId: !Ref HttpApi");
            o.line(6, &format!("Method: {}", r.method.as_str()));
            o.line(6, &format!("Path: {}", api_path(r.path)?));
        }
    }
    let base = id.trim_end_matches("Function");
    o.text.push('\n');
    o.line(1, &format!("{base}LogGroup:"));
    o.line(2, "Type: AWS::Logs::LogGroup");
    o.line(2, "Properties:");
    o.line(3, &format!("LogGroupName: !Sub '/aws/lambda/${{AWS::StackName}}-{}'", f.name));
    o.line(3, "RetentionInDays: !Ref LogRetentionDays");
    if let Trigger::Queue(topic) = f.trigger {
        o.text.push('\n');
        o.line(1, &format!("{base}QueueMapping:"));
        o.line(2, "Type: AWS::Lambda::EventSourceMapping");
        o.line(2, "Properties:");
        o.line(3, &format!("EventSourceArn: !GetAtt {}.Arn", queue_logical_id(topic)));
        o.line(3, &format!("FunctionName: !Ref {id}"));
        o.line(3, &format!("BatchSize: {QUEUE_BATCH_SIZE}"));
        o.line(3, "MaximumBatchingWindowInSeconds: !Ref QueueBatchingWindowSeconds");
        o.list(3, "FunctionResponseTypes", &["ReportBatchItemFailures".into()]);
    }
    Ok(())
}

fn environment(o: &mut Out, f: &Function) {
    let mut vars: Vec<(String, String)> = Vec::new();
    if f.auth {
        vars.push(("IM_SECRET".into(), SECRET_VALUE.into()));
        vars.push(("IM_ADMIN_USER_IDS".into(), "!Ref AdminUserIds".into()));
    }
    // The queue adapter (`im_adapters::sqs::SqsQueue::from_env`) needs every queue's URL to
    // publish to any; URLs grant nothing (the policies below do).
    if !f.sends_to.is_empty() {
        for t in [Topic::Transfer, Topic::Push] {
            vars.push((queue_env_var(t).into(), format!("!Ref {}", queue_logical_id(t))));
        }
    }
    // Offline push (webhook when the parameter is set) happens in the push stage.
    if matches!(f.trigger, Trigger::Queue(Topic::Push)) {
        vars.push(("IM_OFFLINE_PUSH_WEBHOOK_URL".into(), "!Ref OfflinePushWebhookUrl".into()));
    }
    // The ws function records this management-API URL as its connections' endpoint (the
    // execute-api URL works behind a custom domain too).
    if matches!(f.trigger, Trigger::WebSocket) {
        vars.push((
            "IM_WS_CALLBACK_URL".into(),
            format!("!Sub 'https://${{WsApi}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/{WS_STAGE}'"),
        ));
    }
    if f.reaches_nodes {
        for (var, key) in [("IM_NODE_ACCESS_KEY", "accessKeyId"), ("IM_NODE_SECRET_KEY", "secretAccessKey")] {
            vars.push((
                var.into(),
                format!(
                    "!If [WithGateway, !Sub '{{{{resolve:secretsmanager:${{NodeKeySecret}}:SecretString:{key}}}}}', '']"
                ),
            ));
        }
    }
    if f.bucket {
        vars.push(("IM_BUCKET".into(), "!Ref Bucket".into()));
    }
    if vars.is_empty() {
        return;
    }
    o.line(3, "Environment:");
    o.line(4, "Variables:");
    for (k, v) in vars {
        o.line(5, &format!("{k}: {v}"));
    }
}

/// One `Allow` statement of an inline policy document.
fn statement(o: &mut Out, sid: &str, actions: &[String], resources: &[String]) {
    o.line(6, &format!("- Sid: {sid}"));
    o.line(7, "Effect: Allow");
    o.list(7, "Action", actions);
    o.list(7, "Resource", resources);
}

fn policies(o: &mut Out, f: &Function) {
    o.line(3, "Policies:");
    o.line(4, "- Statement:");
    let table_actions: Vec<String> = f.table.actions().iter().map(|a| a.to_string()).collect();
    statement(o, "Table", &table_actions, &["!GetAtt Table.Arn".into(), "!Sub '${Table.Arn}/index/*'".into()]);
    if f.manages_connections {
        let connections = format!(
            "!Sub 'arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{WsApi}}/{WS_STAGE}/*/@connections/*'"
        );
        statement(o, "ManageConnections", &["execute-api:ManageConnections".into()], &[connections]);
    }
    if f.bucket {
        let actions = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"];
        let actions: Vec<String> = actions.iter().map(|a| a.to_string()).collect();
        statement(o, "Objects", &actions, &["!Sub '${Bucket.Arn}/*'".into()]);
    }
    for t in f.sends_to {
        o.line(4, "- SQSSendMessagePolicy:");
        o.line(6, &format!("QueueName: !GetAtt {}.QueueName", queue_logical_id(*t)));
    }
    if let Trigger::Queue(t) = f.trigger {
        o.line(4, "- SQSPollerPolicy:");
        o.line(6, &format!("QueueName: !GetAtt {}.QueueName", queue_logical_id(t)));
    }
    if f.reaches_nodes {
        o.line(4, "- !If");
        o.line(5, "- WithGateway");
        o.line(5, "- !Sub 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole'");
        o.line(5, "- !Ref AWS::NoValue");
    }
}

fn websocket_api(o: &mut Out, functions: &[Function]) {
    let Some(ws) = functions.iter().find(|f| matches!(f.trigger, Trigger::WebSocket)) else {
        return;
    };
    let fid = ws.logical_id();
    o.line(1, "WsApi:");
    o.line(2, "Type: AWS::ApiGatewayV2::Api");
    o.line(2, "Properties:");
    o.line(3, "Name: !Sub '${AWS::StackName}-ws'");
    o.line(3, "ProtocolType: WEBSOCKET");
    o.line(3, "RouteSelectionExpression: '$request.body.action'");
    o.text.push('\n');
    o.line(1, "WsIntegration:");
    o.line(2, "Type: AWS::ApiGatewayV2::Integration");
    o.line(2, "Properties:");
    o.line(3, "ApiId: !Ref WsApi");
    o.line(3, "IntegrationType: AWS_PROXY");
    o.line(
        3,
        &format!(
            "IntegrationUri: !Sub 'arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{{fid}.Arn}}/invocations'"
        ),
    );
    for (name, key) in [("Connect", "$connect"), ("Default", "$default"), ("Disconnect", "$disconnect")] {
        o.text.push('\n');
        o.line(1, &format!("Ws{name}Route:"));
        o.line(2, "Type: AWS::ApiGatewayV2::Route");
        o.line(2, "Properties:");
        o.line(3, "ApiId: !Ref WsApi");
        o.line(3, &format!("RouteKey: '{key}'"));
        o.line(3, "AuthorizationType: NONE");
        o.line(3, "Target: !Sub 'integrations/${WsIntegration}'");
    }
    o.text.push('\n');
    o.line(1, "WsStage:");
    o.line(2, "Type: AWS::ApiGatewayV2::Stage");
    o.line(2, "Properties:");
    o.line(3, "ApiId: !Ref WsApi");
    o.line(3, &format!("StageName: {WS_STAGE}"));
    o.line(3, "AutoDeploy: true");
    o.line(3, "DefaultRouteSettings:");
    o.line(4, "ThrottlingBurstLimit: 5000");
    o.line(4, "ThrottlingRateLimit: 10000");
    o.text.push('\n');
    o.line(1, "WsInvokePermission:");
    o.line(2, "Type: AWS::Lambda::Permission");
    o.line(2, "Properties:");
    o.line(3, "Action: lambda:InvokeFunction");
    o.line(3, &format!("FunctionName: !Ref {fid}"));
    o.line(3, "Principal: apigateway.amazonaws.com");
    o.line(3, "SourceArn: !Sub 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WsApi}/*'");
}
