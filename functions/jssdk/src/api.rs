//! Endpoint declarations of `/jssdk` (reference §1.8, A.10); the wire types are
//! `im_wire::pb::jssdk`. Both routes use the token user as the owner and accept protobuf bodies.

use im_domain::ImResult;
use im_http::{AuthRule, Endpoint};
use im_wire::pb::jssdk::*;

use crate::codec;

/// `POST /jssdk/get_conversations` (T; the token user's conversations).
pub struct GetConversations;
impl Endpoint for GetConversations {
    const PATH: &'static str = "/jssdk/get_conversations";
    const AUTH: AuthRule = AuthRule::Token;
    type Req = GetConversationsReq;
    type Resp = GetConversationsResp;

    fn decode_binary(content_type: &str, body: &[u8]) -> Option<ImResult<Self::Req>> {
        codec::decode(content_type, body)
    }

    fn encode_binary(resp: &Self::Resp) -> ImResult<Vec<u8>> {
        codec::encode(resp)
    }
}

/// `POST /jssdk/get_active_conversations` (T; the token user's conversations).
pub struct GetActiveConversations;
impl Endpoint for GetActiveConversations {
    const PATH: &'static str = "/jssdk/get_active_conversations";
    const AUTH: AuthRule = AuthRule::Token;
    type Req = GetActiveConversationsReq;
    type Resp = GetActiveConversationsResp;

    fn decode_binary(content_type: &str, body: &[u8]) -> Option<ImResult<Self::Req>> {
        codec::decode(content_type, body)
    }

    fn encode_binary(resp: &Self::Resp) -> ImResult<Vec<u8>> {
        codec::encode(resp)
    }
}
