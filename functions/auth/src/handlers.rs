//! Handlers: translate wire types to the auth service and back.

use im_domain::ImResult;
use im_http::{Caller, Empty};

use crate::AuthState;
use crate::api::*;

pub(crate) async fn get_admin_token(auth: AuthState, caller: Caller, req: GetAdminTokenReq) -> ImResult<TokenResp> {
    let t = auth.get_admin_token(&caller.tenant, &req.secret, &req.user_id).await?;
    Ok(TokenResp { token: t.token, expire_time_seconds: t.expire_seconds })
}

pub(crate) async fn get_user_token(auth: AuthState, caller: Caller, req: GetUserTokenReq) -> ImResult<TokenResp> {
    let t = auth.get_user_token(&caller.tenant, &req.user_id, req.platform_id).await?;
    Ok(TokenResp { token: t.token, expire_time_seconds: t.expire_seconds })
}

pub(crate) async fn parse_token(auth: AuthState, caller: Caller, req: ParseTokenReq) -> ImResult<ParseTokenResp> {
    let p = auth.parse_token(&caller.tenant, &req.token).await?;
    Ok(ParseTokenResp { user_id: p.user_id, platform_id: p.platform_id, expire_time_seconds: p.exp })
}

pub(crate) async fn force_logout(auth: AuthState, caller: Caller, req: ForceLogoutReq) -> ImResult<Empty> {
    auth.force_logout(&caller.tenant, &req.user_id, req.platform_id).await?;
    Ok(Empty {})
}
