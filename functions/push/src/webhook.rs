//! Offline push through an HTTP webhook: the provider for deployments that hand offline
//! notifications (APNs, FCM, a vendor SDK…) to their own service.
//!
//! One `POST <url>/callbackOfflinePushCommand` per message, in the shape of OpenIM's webhooks
//! (reference §11): header `operationID`, a JSON body with `callbackCommand`, the recipients
//! (`userIDList`), the message's `offlinePushInfo` and its identifying fields, plus `tenantID`.
//! A reply other than HTTP 2xx, or a JSON reply with a non-zero `errCode`, is an error
//! (90004 NetworkError); the push stage logs it and goes on — offline push is best effort.

use std::time::Duration;

use async_trait::async_trait;
use im_domain::{ErrCode, ImError, ImResult, TenantId};
use im_msg::push::OfflinePusher;
use im_wire::pb::sdkws::MsgData;
use serde_json::{Value, json};

/// Environment variable with the webhook's base URL (the command is appended).
pub const WEBHOOK_URL_VAR: &str = "IM_OFFLINE_PUSH_WEBHOOK_URL";

/// The webhook's command name, appended to the base URL and sent as `callbackCommand`.
pub const COMMAND: &str = "callbackOfflinePushCommand";

/// Time allowed for one webhook call.
const TIMEOUT: Duration = Duration::from_secs(5);

/// The webhook provider.
#[derive(Debug, Clone)]
pub struct WebhookOfflinePush {
    http: reqwest::Client,
    endpoint: String,
}

impl WebhookOfflinePush {
    /// A provider posting to `<base_url>/callbackOfflinePushCommand`.
    pub fn new(base_url: &str) -> ImResult<Self> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .build()
            .map_err(|e| ImError::new(ErrCode::ServerInternal, format!("offline-push webhook client: {e}")))?;
        Ok(WebhookOfflinePush { http, endpoint: format!("{}/{COMMAND}", base_url.trim_end_matches('/')) })
    }

    /// The provider configured by [`WEBHOOK_URL_VAR`], if set.
    pub fn from_env() -> ImResult<Option<Self>> {
        match std::env::var(WEBHOOK_URL_VAR) {
            Ok(url) if !url.trim().is_empty() => Self::new(url.trim()).map(Some),
            _ => Ok(None),
        }
    }

    /// The URL it posts to.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }
}

/// The webhook body for `msg` to `user_ids`.
pub fn body(tenant: &TenantId, user_ids: &[String], msg: &MsgData, operation_id: &str) -> Value {
    json!({
        "callbackCommand": COMMAND,
        "operationID": operation_id,
        "tenantID": tenant.as_str(),
        "userIDList": user_ids,
        "offlinePushInfo": msg.offline_push_info.clone().unwrap_or_default(),
        "sendID": msg.send_id,
        "recvID": msg.recv_id,
        "groupID": msg.group_id,
        "clientMsgID": msg.client_msg_id,
        "serverMsgID": msg.server_msg_id,
        "senderNickname": msg.sender_nickname,
        "sessionType": msg.session_type,
        "contentType": msg.content_type,
        "content": String::from_utf8_lossy(&msg.content),
        "atUserIDList": msg.at_user_id_list,
        "seq": msg.seq,
        "sendTime": msg.send_time,
    })
}

#[async_trait]
impl OfflinePusher for WebhookOfflinePush {
    async fn push(&self, tenant: &TenantId, user_ids: &[String], msg: &MsgData) -> ImResult<()> {
        let operation_id = format!("offline-{}", msg.server_msg_id);
        let network = |detail: String| ImError::new(ErrCode::Network, detail);
        let resp = self
            .http
            .post(&self.endpoint)
            .header("operationID", &operation_id)
            .json(&body(tenant, user_ids, msg, &operation_id))
            .send()
            .await
            .map_err(|e| network(format!("offline-push webhook: {e}")))?;
        let status = resp.status();
        let reply = resp.bytes().await.map_err(|e| network(format!("offline-push webhook: {e}")))?;
        if !status.is_success() {
            return Err(network(format!("offline-push webhook answered HTTP {status}")));
        }
        // An OpenIM-style reply may refuse with errCode; an empty or non-JSON 2xx is success.
        if let Ok(v) = serde_json::from_slice::<Value>(&reply) {
            let code = v.get("errCode").and_then(Value::as_i64).unwrap_or(0);
            if code != 0 {
                let detail = v.get("errMsg").and_then(Value::as_str).unwrap_or_default();
                return Err(network(format!("offline-push webhook refused: errCode {code} {detail}")));
            }
        }
        Ok(())
    }
}
