//! Request bodies that also accept the older shapes of the Chinese API documents (seeds
//! 000/003), where they do not clash with the reference's shapes (the reference wins):
//!
//! * `create_group`: `memberList: [{userID | uid, setRole}]` (setRole 1 owner, 2 admin, else
//!   member) with `groupName`, `introduction`, `notification`, `faceURL`/`faceUrl`, `ex` at the
//!   top level; no `groupType` means 2. The answer then also carries the old `groupID` next to
//!   `groupInfo`. A missing owner is the caller.
//! * `set_group_info`: `groupInfo` for `groupInfoForSet`.
//! * `join_group`: `reqMsg` for `reqMessage`.
//! * `invite_user_to_group`: `uidList` for `invitedUserIDs`; `kick_group`: `uidListInfo:
//!   [{userId}]` or `uidList` for `kickedUserIDs`. (Their old array answers would replace the
//!   empty envelope OpenIM sends, so they answer in the current shape.)
//!
//! Keys match exactly first, then ASCII-case-insensitively (Go's rule).

use im_wire::pb::group::{
    CreateGroupReq, CreateGroupResp, InviteUserToGroupReq, JoinGroupReq, KickGroupMemberReq, SetGroupInfoReq,
};
use im_wire::pb::sdkws::{GroupInfo, GroupInfoForSet};
use serde::de::{DeserializeOwned, Error as _};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// `obj[key]`, exact key first, then case-insensitively.
fn field<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    obj.get(key).or_else(|| obj.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
}

fn string(obj: &Map<String, Value>, key: &str) -> String {
    field(obj, key).and_then(Value::as_str).unwrap_or_default().to_string()
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// Decodes a wire type from a JSON value, naming the failing field.
fn decode<T: DeserializeOwned, E: serde::de::Error>(v: &Value) -> Result<T, E> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        if path == "." { E::custom(e.inner()) } else { E::custom(format!("{path}: {}", e.inner())) }
    })
}

/// Reads the body as a JSON object (`null` is an empty one).
fn object<'de, D: Deserializer<'de>>(d: D) -> Result<(Value, Map<String, Value>), D::Error> {
    let v = Value::deserialize(d)?;
    let obj = match &v {
        Value::Object(m) => m.clone(),
        Value::Null => Map::new(),
        _ => return Err(D::Error::custom("the body must be a JSON object")),
    };
    Ok((v, obj))
}

/// `create_group` body: the reference shape, or the old `memberList` shape.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreateGroupBody {
    /// The request in the reference shape.
    pub req: CreateGroupReq,
    /// Whether the old shape was used (answer also with `groupID`; missing owner = caller).
    pub legacy: bool,
}

impl<'de> Deserialize<'de> for CreateGroupBody {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (v, obj) = object(d)?;
        let mut req: CreateGroupReq = decode(&v)?;
        let Some(list) = field(&obj, "memberList").and_then(Value::as_array) else {
            return Ok(CreateGroupBody { req, legacy: false });
        };
        for entry in list {
            let Some(e) = entry.as_object() else { continue };
            let uid = Some(string(e, "userID")).filter(|s| !s.is_empty()).unwrap_or_else(|| string(e, "uid"));
            if uid.is_empty() {
                continue;
            }
            match field(e, "setRole").and_then(Value::as_i64) {
                Some(1) if req.owner_user_id.is_empty() => req.owner_user_id = uid,
                Some(1) if req.owner_user_id == uid => {}
                Some(2) => req.admin_user_ids.push(uid),
                _ if req.owner_user_id == uid => {}
                _ => req.member_user_ids.push(uid),
            }
        }
        if req.group_info.is_none() {
            req.group_info = Some(GroupInfo {
                group_name: string(&obj, "groupName"),
                introduction: string(&obj, "introduction"),
                notification: string(&obj, "notification"),
                face_url: string(&obj, "faceURL"),
                ex: string(&obj, "ex"),
                group_type: im_domain::constants::group_type::WORKING,
                ..GroupInfo::default()
            });
        }
        Ok(CreateGroupBody { req, legacy: true })
    }
}

/// `create_group` answer: `{groupInfo}`, plus the old `groupID` for old-shape requests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreateGroupReply {
    /// The reference answer.
    pub resp: CreateGroupResp,
    /// Whether to add the old `groupID` key.
    pub legacy: bool,
}

impl Serialize for CreateGroupReply {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("groupInfo", &self.resp.group_info)?;
        if self.legacy {
            let id = self.resp.group_info.as_ref().map(|g| g.group_id.as_str()).unwrap_or_default();
            map.serialize_entry("groupID", id)?;
        }
        map.end()
    }
}

/// `set_group_info` body: `groupInfoForSet`, or the old `groupInfo`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SetGroupInfoBody(pub SetGroupInfoReq);

impl<'de> Deserialize<'de> for SetGroupInfoBody {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (v, obj) = object(d)?;
        let mut req: SetGroupInfoReq = decode(&v)?;
        if req.group_info_for_set.is_none()
            && let Some(old) = field(&obj, "groupInfo")
        {
            req.group_info_for_set = Some(decode::<GroupInfoForSet, D::Error>(old)?);
        }
        Ok(SetGroupInfoBody(req))
    }
}

/// `join_group` body: `reqMessage`, or the old `reqMsg`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JoinGroupBody(pub JoinGroupReq);

impl<'de> Deserialize<'de> for JoinGroupBody {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (v, obj) = object(d)?;
        let mut req: JoinGroupReq = decode(&v)?;
        if req.req_message.is_empty() {
            req.req_message = string(&obj, "reqMsg");
        }
        Ok(JoinGroupBody(req))
    }
}

/// `invite_user_to_group` body: `invitedUserIDs`, or the old `uidList`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InviteBody(pub InviteUserToGroupReq);

impl<'de> Deserialize<'de> for InviteBody {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (v, obj) = object(d)?;
        let mut req: InviteUserToGroupReq = decode(&v)?;
        if req.invited_user_ids.is_empty() {
            req.invited_user_ids = strings(field(&obj, "uidList"));
        }
        Ok(InviteBody(req))
    }
}

/// `kick_group` body: `kickedUserIDs`, or the old `uidListInfo: [{userId}]` / `uidList`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KickGroupBody(pub KickGroupMemberReq);

impl<'de> Deserialize<'de> for KickGroupBody {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (v, obj) = object(d)?;
        let mut req: KickGroupMemberReq = decode(&v)?;
        if req.kicked_user_ids.is_empty() {
            let infos = field(&obj, "uidListInfo").and_then(Value::as_array);
            req.kicked_user_ids = match infos {
                Some(list) => list
                    .iter()
                    .filter_map(|e| e.as_object())
                    .map(|e| Some(string(e, "userID")).filter(|s| !s.is_empty()).unwrap_or_else(|| string(e, "uid")))
                    .filter(|s| !s.is_empty())
                    .collect(),
                None => strings(field(&obj, "uidList")),
            };
        }
        Ok(KickGroupBody(req))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse<T: DeserializeOwned>(s: &str) -> T {
        serde_json::from_str(s).expect("parses")
    }

    #[test]
    fn create_group_shapes() {
        let b: CreateGroupBody =
            parse(r#"{"memberUserIDs":["m"],"groupInfo":{"groupName":"n","groupType":2},"ownerUserID":"o"}"#);
        assert!(!b.legacy);
        assert_eq!((b.req.owner_user_id.as_str(), b.req.member_user_ids.len()), ("o", 1));
        let b: CreateGroupBody = parse(
            r#"{"memberList":[{"uid":"a","setRole":1},{"userID":"b","setRole":2},{"uid":"c","setRole":0}],"groupName":"g","faceUrl":"f"}"#,
        );
        assert!(b.legacy);
        assert_eq!(b.req.owner_user_id, "a");
        assert_eq!(b.req.admin_user_ids, ["b"]);
        assert_eq!(b.req.member_user_ids, ["c"]);
        let info = b.req.group_info.expect("info");
        assert_eq!((info.group_name.as_str(), info.face_url.as_str(), info.group_type), ("g", "f", 2));
        let reply = CreateGroupReply {
            resp: CreateGroupResp { group_info: Some(GroupInfo { group_id: "9".into(), ..GroupInfo::default() }) },
            legacy: true,
        };
        let v = serde_json::to_value(&reply).expect("json");
        assert_eq!(v["groupID"], "9");
        assert_eq!(v["groupInfo"]["groupID"], "9");
        let reply = CreateGroupReply { legacy: false, ..reply };
        assert!(serde_json::to_value(&reply).expect("json").get("groupID").is_none());
        assert!(
            serde_json::from_str::<CreateGroupBody>(r#"{"ownerUserID":5}"#)
                .unwrap_err()
                .to_string()
                .contains("ownerUserID")
        );
    }

    #[test]
    fn aliases() {
        let s: SetGroupInfoBody = parse(r#"{"groupInfo":{"groupID":"g","groupName":"n"}}"#);
        assert_eq!(s.0.group_info_for_set.expect("set").group_name, "n");
        let j: JoinGroupBody = parse(r#"{"groupID":"g","reqMsg":"hi","joinSource":3}"#);
        assert_eq!(j.0.req_message, "hi");
        let i: InviteBody = parse(r#"{"groupID":"g","uidList":["a","b"]}"#);
        assert_eq!(i.0.invited_user_ids, ["a", "b"]);
        let k: KickGroupBody = parse(r#"{"groupID":"g","uidListInfo":[{"userId":"a"}]}"#);
        assert_eq!(k.0.kicked_user_ids, ["a"]);
        let k: KickGroupBody = parse(r#"{"groupID":"g","kickedUserIDs":["x"],"uidList":["a"]}"#);
        assert_eq!(k.0.kicked_user_ids, ["x"]);
    }
}
