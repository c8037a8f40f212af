use im_domain::ImResult;
use im_http::{Caller, Empty};
use im_user::UserCommand;

use crate::UserState;
use crate::api::*;

fn info(c: UserCommand) -> CommandInfo {
    CommandInfo { kind: c.kind, create_time: c.create_time, uuid: c.uuid, value: c.value, ex: c.ex }
}

pub(crate) async fn add(st: UserState, caller: Caller, req: CommandWriteReq) -> ImResult<Empty> {
    st.users.command_add(&caller.tenant, &req.user_id, req.kind, &req.uuid, req.value, req.ex).await?;
    Ok(Empty {})
}

pub(crate) async fn update(st: UserState, caller: Caller, req: CommandWriteReq) -> ImResult<Empty> {
    st.users.command_update(&caller.tenant, &req.user_id, req.kind, &req.uuid, req.value, req.ex).await?;
    Ok(Empty {})
}

pub(crate) async fn delete(st: UserState, caller: Caller, req: CommandKeyReq) -> ImResult<Empty> {
    st.users.command_delete(&caller.tenant, &req.user_id, req.kind, &req.uuid).await?;
    Ok(Empty {})
}

pub(crate) async fn get(st: UserState, caller: Caller, req: CommandGetReq) -> ImResult<CommandsResp> {
    let cmds = st.users.commands(&caller.tenant, &req.user_id, Some(req.kind)).await?;
    Ok(CommandsResp { command_resp: cmds.into_iter().map(info).collect() })
}

pub(crate) async fn get_all(st: UserState, caller: Caller, req: CommandGetAllReq) -> ImResult<CommandsResp> {
    let cmds = st.users.commands(&caller.tenant, &req.user_id, None).await?;
    Ok(CommandsResp { command_resp: cmds.into_iter().map(info).collect() })
}
