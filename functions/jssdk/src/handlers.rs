//! Handlers: the token user becomes the actor (and the owner); the rest is the service.

use im_conversation::Actor;
use im_domain::ImResult;
use im_http::Caller;
use im_wire::pb::jssdk::*;

use crate::JssdkState;

fn actor(c: &Caller) -> Actor {
    Actor::new(&c.user_id, c.is_admin)
}

pub(crate) async fn get_conversations(
    s: JssdkState,
    c: Caller,
    req: GetConversationsReq,
) -> ImResult<GetConversationsResp> {
    s.jssdk_conversations(&actor(&c), &c.tenant, &req).await
}

pub(crate) async fn get_active_conversations(
    s: JssdkState,
    c: Caller,
    req: GetActiveConversationsReq,
) -> ImResult<GetActiveConversationsResp> {
    s.jssdk_active_conversations(&actor(&c), &c.tenant, &req).await
}
